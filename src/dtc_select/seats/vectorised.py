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
from functools import cached_property

import numpy as np
import pandas as pd

from dtc_select.call.model import Call
from dtc_select.call.caps import presence_minimum
from dtc_select.ranking.scoring import TIE_DECIMALS, tie_break_chain


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

    @cached_property
    def by_country(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(applicant positions grouped by country, where each group starts, its country code)."""
        grouped = np.argsort(self.country, kind="stable")
        codes = self.country[grouped]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, dtype=int)
        return grouped, starts, codes[starts]

    @cached_property
    def at_tie_code(self) -> np.ndarray | None:
        """The applicant position of each tie-break code 0..N-1 when the chain is one static key
        that orders every applicant (a unique code each); else None."""
        if len(self.tie_keys) != 1 or isinstance(self.tie_keys[0], tuple):
            return None
        code = self.tie_keys[0].astype(np.int64)
        if not np.array_equal(np.sort(code), np.arange(self.size)):
            return None
        at = np.empty(self.size, dtype=np.int64)
        at[code] = np.arange(self.size)
        return at


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
    key = _rank_key(contest, score)
    if key is not None:
        return np.argsort(key, axis=-1)
    keys = []
    for key in contest.tie_keys:
        if isinstance(key, tuple):
            keys.append(merit if key[1] else -merit)
        else:
            keys.append(np.broadcast_to(key, score.shape))
    # np.lexsort sorts by the last key first.
    return np.lexsort([*reversed(keys), -score], axis=-1)


def _rank_key(contest: Contest, score: np.ndarray) -> np.ndarray | None:
    """(S, N) int64 keys sorting as the ranking does, or None when the chain does not allow one.

    One static key (the usual chain): scores are whole numbers of 1e-9 (TIE_DECIMALS), so score
    and tie-break code fit one integer key, unique per applicant (the code is its place in the
    tie-break order, 0..N-1)."""
    if len(contest.tie_keys) != 1 or isinstance(contest.tie_keys[0], tuple):
        return None
    n = score.shape[-1]
    units = np.rint(score * 10 ** TIE_DECIMALS)
    if np.abs(units).max(initial=0) * n >= 2 ** 62:
        return None
    return -units.astype(np.int64) * n + contest.tie_keys[0].astype(np.int64)


def selected_under_caps(contest: Contest, order: np.ndarray, passes_minimum: np.ndarray) -> np.ndarray:
    """(S, N) booleans by applicant position: selected in each sample's ranking `order`.
    `passes_minimum` (S, N) by applicant position: the score is not below the call's minimum."""
    chosen = chosen_in_order(contest, order, np.take_along_axis(passes_minimum, order, axis=1))
    selected = np.zeros(order.shape, dtype=bool)
    np.put_along_axis(selected, order, chosen.T, axis=1)
    return selected


def chosen_in_order(contest: Contest, order: np.ndarray, passes: np.ndarray) -> np.ndarray:
    """(n, S): selected, by place in each sample's `order` (S, n) of applicant positions, which
    may leave out applicants that cannot be selected; `passes` (S, n) by place."""
    samples, n = order.shape
    regions, countries = len(contest.seats), int(contest.country.max(initial=-1)) + 1
    # Rank position first (rows contiguous per step); counters flat, indexed sample * width + code.
    by_place = order.T
    region_at = contest.region[by_place] + (np.arange(samples) * regions)[None, :]
    country_at = contest.country[by_place] + (np.arange(samples) * countries)[None, :]
    seats_at = contest.seats[contest.region[by_place]]
    passes = passes.T
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
    return chosen


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


# Beyond this many candidates per country, sorting every sample whole is as cheap.
MOST_CANDIDATES_PER_COUNTRY = 3
_NONE = np.iinfo(np.int64).max


def selected_for_merit(contest: Contest, merit: np.ndarray, *, by_country: bool = False) -> np.ndarray:
    """(S, N) selected, for (S, N) raw merit scores: `select_for_merit`'s first result, without
    sorting every sample's whole ranking when a few candidates per country decide it.
    `by_country`: the columns of `merit` are in `contest.by_country` order (the caller scored the
    applicants in that order), which saves reordering the block; the result is by position.

    A selected applicant has every passing compatriot ranked above it selected too (a country lies
    in one region, so one left out there would have been taken first, in the regional pass or in
    the reallocation), so only the first `max_per_country` (less the country's earlier centres)
    passing applicants of each country can be selected. The others never change a counter, so
    running the rules on the candidates alone, in rank order, selects exactly the same.

    The presence quota keeps this true: presence is a country's, so compatriots are alike to it;
    its swaps go down the ranking, the quota only ever closer to met, the country's count only up
    and the centres it may replace (selected, same region, no presence) only fewer, so a swap that
    takes an applicant would have taken a compatriot left out above it first. The candidates'
    test checks it against the whole ranking, quota included."""
    n = contest.size
    by_place, starts, countries = contest.by_country
    room = np.maximum(contest.max_per_country - contest.earlier, 0)
    at_code = contest.at_tie_code
    bonus = contest.bonus[by_place] if by_country else contest.bonus
    units = _score_units(bonus, merit) if at_code is not None else None
    if units is None or room.max(initial=0) > MOST_CANDIDATES_PER_COUNTRY:
        if by_country:
            merit = np.take(merit, np.argsort(by_place), axis=1)
        merit, score = scores_from_merit(contest, merit)
        return selected_under_caps(contest, rank_order(contest, merit, score), passes_minimum(contest, score))
    code = contest.tie_keys[0].astype(np.int64)
    key = units.astype(np.int64)
    key *= -n
    key += code[by_place] if by_country else code  # `_rank_key`'s key, in fewer passes over the block
    if contest.minimum_score is not None:  # below the minimum: never selected, never a candidate
        key[units / 10 ** TIE_DECIMALS < contest.minimum_score] = _NONE
    grouped = key if by_country else np.take(key, by_place, axis=1)
    best = []
    rounds = int(room[countries].max(initial=0))
    for j in range(rounds):  # the j-th best passer of each country
        first = np.minimum.reduceat(grouped, starts, axis=1)
        best.append(np.where(room[countries] > j, first, _NONE))
        if j + 1 < rounds:
            grouped[grouped == np.repeat(first, np.diff(np.r_[starts, n]), axis=1)] = _NONE
    if not best:
        return np.zeros(merit.shape, dtype=bool)
    candidates = np.sort(np.concatenate(best, axis=1), axis=1)
    real = candidates != _NONE
    who = np.where(real, at_code[candidates % n], 0)
    chosen = chosen_in_order(contest, who, real)
    selected = np.zeros((len(merit), n + 1), dtype=bool)
    np.put_along_axis(selected, np.where(real, who, n), chosen.T, axis=1)
    return selected[:, :n]


def _score_units(bonus: np.ndarray, merit: np.ndarray) -> np.ndarray | None:
    """(S, N) scores in units of 1e-9 (whole numbers, as floats) straight from raw merit scores,
    equal to rint(score * 1e9) for `scores_from_merit`'s score; None where that equality is not
    certain (a bonus that is not a whole number of units, huge or missing scores).

    np.round(x, 9) is rint(x * 1e9) / 1e9, so the rounded merit is k / 1e9 with k = rint(merit * 1e9);
    adding a bonus of B units and rounding again gives (k + B) / 1e9, the float error of the sum
    (under 1e-6 units for scores below 1,000) being far from the half unit that would change it."""
    bonus = bonus.astype(float) * 10 ** TIE_DECIMALS
    whole = np.rint(bonus)
    if np.abs(bonus - whole).max(initial=0) > 1e-3:
        return None
    units = merit * 10 ** TIE_DECIMALS  # in place from here: the block is large
    np.rint(units, out=units)
    units += whole
    largest = max(-units.min(initial=0), units.max(initial=0))
    if not np.isfinite(largest) or largest >= 2 ** 40 or largest * max(merit.shape[-1], 1) >= 2 ** 62:
        return None
    return units


def passes_minimum(contest: Contest, score: np.ndarray) -> np.ndarray:
    if contest.minimum_score is None:
        return np.ones(score.shape, dtype=bool)
    return score >= contest.minimum_score


def select_for_merit(contest: Contest, merit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For (S, N) raw merit scores: (selected, order, score), each (S, N)."""
    merit, score = scores_from_merit(contest, merit)
    order = rank_order(contest, merit, score)
    return selected_under_caps(contest, order, passes_minimum(contest, score)), order, score
