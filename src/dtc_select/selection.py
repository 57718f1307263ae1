"""The selection under the caps, vectorised over many rankings at once.

`allocation.allocate` decides one ranking, applicant by applicant, and writes the reasons. The
stability analysis and the method comparison need the same decision (who is selected) for
thousands of rankings, so this module repeats its rules on numpy arrays: one row per ranking
("sample"), one step per rank position, every sample advanced together. The rules, as in
`allocation.allocate`:
1. regional pass, in rank order: selected when the region has a seat left, the country is below
   `max_per_country` (centres of earlier phases included) and the score is not below
   `minimum_score`;
2. reallocation: the seats the regions could not fill go, in rank order, to the remaining
   applicants that pass the country cap and the minimum score;
3. presence quota (only when the call applies the presence priority as a quota): while fewer
   than the quota's seats are held by presence countries, the best-ranked unselected presence
   applicant that passes the caps takes the seat of the lowest-ranked selected centre of its own
   region from a country without presence.
The rank order is the score (to TIE_DECIMALS), then `scoring.tie_break_chain`, exactly as
`scoring.ranking_order`. Tests pin both equalities (tests/test_selection.py), and every run checks
that, on the call's own scores, this module selects whom `allocate` selected (stability.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dtc_select.call import Call
from dtc_select.call_caps import presence_minimum
from dtc_select.scoring import TIE_DECIMALS, tie_break_chain


@dataclass(frozen=True)
class Contest:
    """What the selection needs about the eligible applicants, as arrays (position i = row i of
    the ranked frame): region and country codes, seats per region code, the caps, the presence
    bonus and the tie-break keys that do not depend on the weights."""

    index: pd.Index
    ids: np.ndarray             # (N,) application ids
    region: np.ndarray          # (N,) region code
    country: np.ndarray         # (N,) country code
    seats: np.ndarray           # (R,) seats per region code
    max_per_country: int
    minimum_score: float | None
    bonus: np.ndarray           # (N,)
    earlier: np.ndarray         # (K,) centres of earlier phases per country code
    presence: np.ndarray        # (N,) ITU or Cisco present in the host country
    presence_minimum: int       # seats the presence quota keeps (0: no quota)
    # The tie-break chain, in order: ("merit", ascending) for merit_score, else one (N,) code per
    # run of keys that do not depend on the weights (0..N-1, sorting as those keys do).
    tie_keys: tuple

    @property
    def size(self) -> int:
        return len(self.index)


def contest_from(eligible: pd.DataFrame, ranked: pd.DataFrame, seats: pd.DataFrame, call: Call) -> Contest:
    """The arrays for the eligible applicants (`eligible` and `ranked` share their index) and the
    seats per region (`seats`: a `seats` column indexed by region)."""
    rules = call.allocation
    regions = list(seats.index)
    region = eligible["region"].map({r: i for i, r in enumerate(regions)}).to_numpy(dtype=int)
    country, codes = pd.factorize(eligible["country_iso3"].astype(str), sort=True)
    earlier = pd.Series([c.country for c in call.previous_centres], dtype=object).value_counts()
    keys: list = []
    static: list[np.ndarray] = []
    for key, order in tie_break_chain(call):
        if key == "merit_score":
            keys += [_combined(static)] if static else []
            keys.append(("merit", order == "ascending"))
            static = []
            continue
        column = (ranked if key in ranked else eligible)[key]
        static.append(_static_code(column, ascending=order == "ascending"))
    keys += [_combined(static)] if static else []
    cap = len(eligible) + len(earlier) + 1 if rules.max_per_country is None else rules.max_per_country
    presence = eligible["presence"].astype("boolean").fillna(False).to_numpy(dtype=bool) \
        if "presence" in eligible else np.zeros(len(eligible), dtype=bool)
    return Contest(ranked.index, eligible["application_id"].to_numpy(dtype=object), region, country,
                   seats["seats"].to_numpy(dtype=int), cap, rules.minimum_score,
                   ranked["priority_bonus"].to_numpy(dtype=float),
                   earlier.reindex(codes).fillna(0).to_numpy(dtype=np.int32), presence, presence_minimum(call),
                   tuple(keys))


def _static_code(column: pd.Series, *, ascending: bool) -> np.ndarray:
    """Integers that sort like `column` in the declared order, missing values last."""
    if column.dtype == "boolean":
        column = column.astype("Int8")
    codes = column.rank(method="dense", ascending=ascending)
    return codes.fillna(codes.max() + 1 if codes.notna().any() else 0).to_numpy(dtype=float)


def _combined(codes: list[np.ndarray]) -> np.ndarray:
    """One dense code sorting like the given codes in turn: fewer keys to sort each sample by."""
    frame = pd.DataFrame({i: c for i, c in enumerate(codes)})
    return frame.groupby(list(frame.columns), sort=True).ngroup().to_numpy(dtype=float)


def scores_from_merit(contest: Contest, merit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(merit, score) rounded as the scoring stage rounds them, for (S, N) raw merit scores."""
    merit = np.round(merit, TIE_DECIMALS)
    return merit, np.round(merit + contest.bonus, TIE_DECIMALS)


def rank_order(contest: Contest, merit: np.ndarray, score: np.ndarray) -> np.ndarray:
    """(S, N) applicant positions best first: score, then the tie-break chain, per sample."""
    shape = score.shape
    if len(contest.tie_keys) == 1 and not isinstance(contest.tie_keys[0], tuple):
        # One static key (the usual chain): scores are whole numbers of 1e-9 (TIE_DECIMALS), so
        # score and tie-break code fit one integer key, unique per applicant: one plain argsort.
        n = shape[-1]
        units = np.rint(score * 10 ** TIE_DECIMALS)
        if np.abs(units).max(initial=0) * n < 2 ** 62:
            key = -units.astype(np.int64) * n + contest.tie_keys[0].astype(np.int64)
            return np.argsort(key, axis=-1)
    keys = []
    for key in contest.tie_keys:
        if isinstance(key, tuple):
            keys.append(merit if key[1] else -merit)
        else:
            keys.append(np.broadcast_to(key, shape))
    # np.lexsort sorts by the last key first.
    return np.lexsort([*reversed(keys), -score], axis=-1)


def selected_under_caps(contest: Contest, order: np.ndarray, passes_minimum: np.ndarray) -> np.ndarray:
    """(S, N) booleans by applicant position: selected in each sample's ranking `order`.
    `passes_minimum` (S, N) by applicant position: the score is not below the call's minimum."""
    samples, n = order.shape
    regions, countries = len(contest.seats), int(contest.country.max(initial=-1)) + 1
    # Rank position first (rows contiguous per step); counters flat, indexed sample * width + code.
    by_place = order.T
    region_at = contest.region[by_place] + (np.arange(samples) * regions)[None, :]
    country_at = contest.country[by_place] + (np.arange(samples) * countries)[None, :]
    seats_at = contest.seats[contest.region[by_place]]
    passes = np.take_along_axis(passes_minimum, order, axis=1).T
    filled = np.zeros(samples * regions, dtype=np.int32)
    held = np.tile(contest.earlier, samples)
    chosen = np.zeros((n, samples), dtype=bool)
    cap = contest.max_per_country
    full = np.tile(contest.seats, samples)  # seats per (sample, region), laid out like `filled`
    for p in range(n):  # 1. regional pass
        r, c = region_at[p], country_at[p]
        take = passes[p] & (filled[r] < seats_at[p]) & (held[c] < cap)
        chosen[p] = take
        filled[r] += take
        held[c] += take
        if p % 8 == 7 and (filled == full).all():
            break  # every region full in every sample: nobody further down is selected
    pool = contest.seats.sum() - chosen.sum(axis=0)
    short = np.flatnonzero(pool > 0)  # only these samples have seats left for step 2
    for p in range(n if len(short) else 0):  # 2. seats the regions could not fill
        c = country_at[p, short]
        take = ~chosen[p, short] & passes[p, short] & (held[c] < cap) & (pool[short] > 0)
        chosen[p, short] |= take
        held[c] += take
        pool[short] -= take
    if contest.presence_minimum:
        _presence_quota(contest, by_place, chosen, held, passes, country_at)
    selected = np.zeros((samples, n), dtype=bool)
    np.put_along_axis(selected, order, chosen.T, axis=1)
    return selected


def _presence_quota(contest: Contest, by_place: np.ndarray, chosen: np.ndarray, held: np.ndarray,
                    passes: np.ndarray, country_at: np.ndarray) -> None:
    """3. The presence quota's swaps, in place on `chosen` (n, S) and `held` (flat counters)."""
    n, samples = chosen.shape
    region = contest.region[by_place]
    present = contest.presence[by_place]
    have = (chosen & present).sum(axis=0)
    places = np.arange(n)[:, None]
    for p in range(n):
        wanting = np.flatnonzero(have < contest.presence_minimum)
        if not len(wanting):
            break
        c = country_at[p, wanting]
        candidate = ~chosen[p, wanting] & present[p, wanting] & passes[p, wanting] & \
            (held[c] < contest.max_per_country)
        s = wanting[candidate]
        if not len(s):
            continue
        # The lowest-ranked selected centre of the same region from a country without presence.
        victims = chosen[:, s] & (region[:, s] == region[p, s]) & ~present[:, s]
        has_victim = victims.any(axis=0)
        s, victims = s[has_victim], victims[:, has_victim]
        q = np.where(victims, places, -1).max(axis=0)
        chosen[q, s] = False
        held[country_at[q, s]] -= 1
        chosen[p, s] = True
        held[country_at[p, s]] += 1
        have[s] += 1


def passes_minimum(contest: Contest, score: np.ndarray) -> np.ndarray:
    if contest.minimum_score is None:
        return np.ones(score.shape, dtype=bool)
    return score >= contest.minimum_score


def select_for_merit(contest: Contest, merit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For (S, N) raw merit scores: (selected, order, score), each (S, N)."""
    merit, score = scores_from_merit(contest, merit)
    order = rank_order(contest, merit, score)
    return selected_under_caps(contest, order, passes_minimum(contest, score)), order, score


def margins_to_cutoff(contest: Contest, score: np.ndarray, order: np.ndarray) -> np.ndarray:
    """(N,) for one ranking (`score`, `order`: (N,)): how far each applicant's score could fall
    (positive: selected) or must rise (negative: not selected) before its selection changes, the
    others' scores held. NaN where no change of its own score would change it.

    Moving an applicant's score moves it past the others one by one; whether it is selected at
    each place is monotone (higher is never worse under these rules), so the last place p* where
    it is still selected is well defined (`_last_places`). The margin is its score minus the
    score of the applicant it would fall behind (or must overtake) there; 0 means the tie-break
    decided. With a minimum score, the margin is also at most score - minimum."""
    n = contest.size
    position = np.empty(n, dtype=int)
    position[order] = np.arange(n)
    allowed = passes_minimum(contest, score)
    if contest.presence_minimum:
        last = _last_places_searched(contest, order, position, allowed, np.arange(n))
    else:
        last = _last_places(contest, order, position, allowed)
    margin = np.full(n, np.nan)
    inside = np.flatnonzero((last >= 0) & (last < n - 1))
    # The others' p-th is order[p] above the applicant's own place, order[p + 1] from it on.
    rival = order[last[inside] + (last[inside] >= position[inside])]
    margin[inside] = score[inside] - score[rival]
    if contest.minimum_score is not None:
        floor = score - contest.minimum_score
        always = last == n - 1  # selected even last: only the minimum can unseat it
        margin[always] = floor[always]
        margin = np.where(np.isnan(margin), margin, np.minimum(margin, floor))
    return np.round(margin, TIE_DECIMALS) + 0.0  # + 0.0: no "-0.0" in the outputs


def _last_places(contest: Contest, order: np.ndarray, position: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """(N,) the last place among the others (0 = ahead of all, N - 1 = behind all, -1 = nowhere)
    at which each applicant is still selected, without a presence quota, in O(N) per selected
    applicant rather than a search over every place.

    Placed just before the others' p-th, an applicant meets the others' selection as it stands
    after their first p: it is selected in the regional pass while its region has a seat left
    and its country is below the cap, else in the reallocation while seats are left over and its
    country is below the cap. Every one of those counters only fills as p grows, so each
    condition holds up to a threshold (`_thresholds`) and the applicant is selected at p exactly
    while p is below the larger of the two. The others' run is the whole ranking's run when the
    applicant holds no seat in it (a seat never taken changes nothing for anyone else): one trace
    serves all of them; each selected applicant gets a trace of the ranking without it."""
    n = contest.size
    last = np.full(n, -1)
    if n == 0:
        return last
    chosen, *limits = _thresholds(contest, order, allowed)
    idle = np.flatnonzero(~chosen)
    # `limits` count the whole ranking's places, the applicant's own included: past its own
    # place a threshold t stands for the others' place t - 1.
    t = _first_refusal(contest, idle, *limits)
    own = position[idle]
    last[idle] = np.where(t <= 0, -1, np.where(t - 1 <= own, t - 1, np.minimum(t - 2, n - 1)))
    for a in np.flatnonzero(chosen):
        others = np.delete(order, position[a])
        t = _first_refusal(contest, np.array([a]), *_thresholds(contest, others, allowed)[1:])
        last[a] = min(int(t[0]), n) - 1
    return last


def _first_refusal(contest: Contest, who: np.ndarray, full_at, capped_at, pool_out, capped_after) -> np.ndarray:
    """The first of the others' places at which each of `who` would no longer be selected."""
    region, country = contest.region[who], contest.country[who]
    regional = np.minimum(full_at[region], capped_at[country])
    reallocated = np.minimum(pool_out, capped_after[country])
    return np.maximum(regional, reallocated)


def _thresholds(contest: Contest, order: np.ndarray, passes: np.ndarray):
    """One run of the selection rules (no quota) over `order` (applicant positions, best first),
    as `selected_under_caps` runs them, noting when each counter reaches its limit. Returns
    (chosen by applicant position; places after which each region is full, each country at its
    cap in the regional pass, the leftover seats are gone, each country at its cap in the end).
    A place is a count of `order`'s entries; `m + 1` stands for never."""
    m, never = len(order), len(order) + 1
    seats = contest.seats.tolist()
    cap = contest.max_per_country
    held = contest.earlier.tolist() + [0] * (int(contest.country.max(initial=-1)) + 1 - len(contest.earlier))
    full_at = [0 if s <= 0 else never for s in seats]
    capped_at = [0 if h >= cap else never for h in held]
    filled = [0] * len(seats)
    regions, countries, passing = contest.region[order].tolist(), contest.country[order].tolist(), passes[order].tolist()
    taken = [False] * m
    open_regions = sum(s > 0 for s in seats)
    for i in range(m):  # 1. regional pass
        if not open_regions:
            break  # every region full: nobody further down is selected
        r, c = regions[i], countries[i]
        if passing[i] and filled[r] < seats[r] and held[c] < cap:
            taken[i] = True
            filled[r] += 1
            held[c] += 1
            if filled[r] == seats[r]:
                full_at[r] = i + 1
                open_regions -= 1
            if held[c] == cap:
                capped_at[c] = i + 1
    pool = sum(seats) - sum(filled)
    pool_out = 0 if pool <= 0 else never
    capped_after = [0 if h >= cap else never for h in held]
    for i in range(m if pool > 0 else 0):  # 2. seats the regions could not fill
        c = countries[i]
        if not taken[i] and passing[i] and held[c] < cap:
            taken[i] = True
            held[c] += 1
            pool -= 1
            if held[c] == cap:
                capped_after[c] = i + 1
            if pool == 0:
                pool_out = i + 1
                break
    chosen = np.zeros(contest.size, dtype=bool)
    chosen[order] = taken
    return chosen, np.array(full_at), np.array(capped_at), pool_out, np.array(capped_after)


# Rows of the (applicants x applicants) trial rankings searched at once: bounds the memory.
SEARCH_CELLS = 4_000_000


def _last_places_searched(contest: Contest, order: np.ndarray, position: np.ndarray, allowed: np.ndarray,
                          rows: np.ndarray) -> np.ndarray:
    """`_last_places` by binary search over the places, for any rules (the presence quota's swaps
    included): each step ranks every searched applicant at a trial place and runs the selection.
    O(N^2 log N) time: used only where the thresholds above do not describe the rules."""
    n = contest.size
    last = np.full(n, -1)
    chunk = max(1, SEARCH_CELLS // max(1, n))
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        # Places among the others: inserting applicant a at place p puts it just before the
        # others' p-th (others keep their order). Sort keys: others' place, a at p - 0.5.
        others_place = position[None, :] - (position[None, :] > position[part][:, None])
        low, high = np.full(len(part), -1), np.full(len(part), n)   # selected at `low`, not at `high`
        while (open_ := high - low > 1).any():
            at = np.flatnonzero(open_)
            who = part[at]
            middle = (low[at] + high[at]) // 2
            keys = others_place[at].astype(float)
            keys[np.arange(len(who)), who] = middle - 0.5
            trial = np.argsort(keys, axis=1, kind="stable")
            passes = np.broadcast_to(allowed, keys.shape).copy()
            passes[np.arange(len(who)), who] = True  # its own minimum is counted separately
            chosen = selected_under_caps(contest, trial, passes)[np.arange(len(who)), who]
            low[at] = np.where(chosen, middle, low[at])
            high[at] = np.where(chosen, high[at], middle)
        last[part] = low
    return last
