"""How far each applicant's score is from changing its selection: the margin to the cutoff.

For one ranking (the call's own weights), per applicant: how far its score could fall (positive:
selected) or must rise (negative: not selected) before its selection changes, the others' scores
held. Both ways run the selection engine (`seats/engine.py`): without a presence quota the
margin is read off when each limit was reached in one traced run per selected applicant
(`_last_places`, `engine.limits_reached`); with a quota, whose swaps those limits do not describe,
it is found by a binary search over the applicant's places (`_last_places_searched`), each trial
run on the few applicants that could be selected: O(N x countries x log N). Tests pin the two to
each other, and both to a slow reference that tries every place (tests/selection_oracle.py).
"""

from __future__ import annotations

import numpy as np

from dtc_select.ranking.scoring import TIE_DECIMALS
from dtc_select.seats import engine
from dtc_select.seats.contest import Contest
from dtc_select.seats.engine import chosen_in_order, passes_minimum


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
    at which each applicant is still selected, without a presence quota, from one traced run of
    the engine per selected applicant rather than a search over every place.

    Placed just before the others' p-th, an applicant meets the others' selection as it stands
    after their first p: it is selected in the regional pass while its region has a seat left
    and every cap has room for it, else in the reallocation while seats are left over and every
    cap has room. Every one of those counters only fills as p grows, so each condition holds up
    to a threshold (`engine.limits_reached`) and the applicant is selected at p exactly while p
    is below the larger of the two. The others' run is the whole ranking's run when the
    applicant holds no seat in it (a seat never taken changes nothing for anyone else): one run
    serves all of them; each selected applicant gets the run of the ranking without it. All of
    these are samples of one engine call, each on the applicants that could hold a seat."""
    n = contest.size
    last = np.full(n, -1)
    if n == 0:
        return last
    pool = _candidates_of_any_trial(contest, order, allowed)  # passers only
    everyone = np.ones((1, len(pool)), dtype=bool)
    holders = pool[engine.run_rules(contest, pool[None, :], everyone).chosen[:, 0]]
    # Sample 0: the whole ranking; sample 1 + j: the ranking without the j-th selected applicant.
    passes = np.vstack([everyone, pool[None, :] != holders[:, None]])
    orders = np.repeat(pool[None, :], len(passes), axis=0)
    limits = engine.limits_reached(contest, orders, engine.run_rules(contest, orders, passes, trace=True))
    # Counts of the pool's places -> counts of the whole ranking's places (n + 1: never).
    counts = np.concatenate([[0], position[pool] + 1, [n + 1]])
    full_at, pool_out = counts[limits.full_at], counts[limits.pool_out]
    capped_at = [counts[c] for c in limits.capped_at]
    capped_after = [counts[c] for c in limits.capped_after]

    def sample(s: int, without: int | None = None):
        """Sample s's thresholds; counted among the others' places when `without` is left out."""
        def places(t):
            return t if without is None else t - ((t > 0) & (t - 1 > position[without]))
        return (places(full_at[s]), [places(c[s]) for c in capped_at], places(pool_out[s]),
                [places(c[s]) for c in capped_after])

    idle = np.setdiff1d(np.arange(n), holders)
    # The thresholds count the whole ranking's places, the applicant's own included: past its
    # own place a threshold t stands for the others' place t - 1.
    t = _first_refusal(contest, idle, *sample(0))
    own = position[idle]
    last[idle] = np.where(t <= 0, -1, np.where(t - 1 <= own, t - 1, np.minimum(t - 2, n - 1)))
    for j, a in enumerate(holders):
        t = _first_refusal(contest, np.array([a]), *sample(1 + j, without=a))
        last[a] = min(int(t[0]), n) - 1
    return last


def _first_refusal(contest: Contest, who: np.ndarray, full_at, capped_at, pool_out, capped_after) -> np.ndarray:
    """The first of the others' places at which each of `who` would no longer be selected."""
    regional = full_at[contest.region[who]]
    reallocated = np.broadcast_to(pool_out, regional.shape)
    for cap, at, after in zip(contest.caps, capped_at, capped_after):
        group = cap.group[who]
        regional, reallocated = np.minimum(regional, at[group]), np.minimum(reallocated, after[group])
    return np.maximum(regional, reallocated)


# Cells of the (applicants x candidates) trial rankings searched at once: bounds the memory.
SEARCH_CELLS = 4_000_000


def _last_places_searched(contest: Contest, order: np.ndarray, position: np.ndarray, allowed: np.ndarray,
                          rows: np.ndarray) -> np.ndarray:
    """`_last_places` by binary search over the places, for any rules (the presence quota's swaps
    included): each step ranks every searched applicant at a trial place and runs the selection.

    Each trial runs the rules on the applicant and the others' few candidates only: only the first
    `max_per_country` passing applicants of a country (less its earlier centres) can be selected,
    quota or not (`selection.selected_for_merit`), and moving one applicant changes its own
    country's list by one at most, so each country's first room + 1 passers of the whole ranking
    hold every trial's candidates. O(N x countries x log N) time instead of O(N^2 log N)."""
    n = contest.size
    last = np.full(n, -1)
    pool = _candidates_of_any_trial(contest, order, allowed)
    k = len(pool)
    chunk = max(1, SEARCH_CELLS // (k + 1))
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        # Column j < k is the pool's j-th applicant, at its place among the others (the searched
        # applicant's own pool column, if any, stays out: it never passes); column k is the
        # searched applicant, at place p - 0.5 (just before the others' p-th).
        others_place = position[pool][None, :] - (position[pool][None, :] > position[part][:, None])
        itself = pool[None, :] == part[:, None]
        who = np.concatenate([np.broadcast_to(pool, (len(part), k)), part[:, None]], axis=1)
        passes = np.concatenate([np.broadcast_to(allowed[pool], (len(part), k)) & ~itself,
                                 np.ones((len(part), 1), dtype=bool)], axis=1)
        low, high = np.full(len(part), -1), np.full(len(part), n)   # selected at `low`, not at `high`
        while (open_ := high - low > 1).any():
            at = np.flatnonzero(open_)
            middle = (low[at] + high[at]) // 2
            keys = np.concatenate([others_place[at], middle[:, None] - 0.5], axis=1)
            trial = np.argsort(keys, axis=1, kind="stable")
            rows_at = np.arange(len(at))[:, None]
            chosen = chosen_in_order(contest, who[at][rows_at, trial], passes[at][rows_at, trial])
            place = np.argmax(trial == k, axis=1)  # where the searched applicant stands
            selected = chosen[place, np.arange(len(at))]
            low[at] = np.where(selected, middle, low[at])
            high[at] = np.where(selected, high[at], middle)
        last[part] = low
    return last


def _candidates_of_any_trial(contest: Contest, order: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Positions, best first, of each country's first room + 1 passing applicants in `order`
    (room: `max_per_country` less the country's earlier centres); every passing applicant when a
    country lies in several regions (never in a real call: the argument needs one region each)."""
    room = np.maximum(contest.max_per_country - contest.earlier, 0) + 1
    ranked = order[allowed[order]]
    country = contest.country[ranked]
    if not contest.compatriots_taken_in_rank_order:
        return ranked  # another cap, or a quota over compatriots unlike in presence, can hold one back
    if len(np.unique(country * len(contest.seats) + contest.region[ranked])) != len(np.unique(country)):
        return ranked
    # The how-many-th passer of its country each one is: its place within its country's run.
    grouped = np.argsort(country, kind="stable")
    nth = np.empty(len(ranked), dtype=np.int64)
    nth[grouped] = np.arange(len(ranked)) - np.searchsorted(country[grouped], country[grouped], side="left")
    return ranked[nth < room[country]]
