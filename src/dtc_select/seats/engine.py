"""The selection engine: the seat and cap rules, once, over S rankings at once.

Every selection of the package runs here: the decision itself (one ranking, the call's weights:
`allocation.allocate`), the stability samples (thousands of weightings), the margins to the
cutoff (the ranking with one applicant moved or left out) and the counterfactuals (no regional
shares; no presence priority). The rules, for each ranking (`order`: applicant positions, best
first; `passes`: the score is not below the call's minimum):
1. regional pass, in rank order: selected when the region has a seat left and every cap of the
   contest (`Contest.caps`: the country cap, centres of earlier phases counted, and any
   EXTRA_CAPS) has room for the applicant's group;
2. reallocation: the seats the regions could not fill are pooled, giving regions in region-code
   order, and go one by one, in rank order, to the remaining applicants that pass and fit the caps;
3. presence quota (only with `presence_minimum` > 0): while fewer than the quota's seats are held
   in countries where ITU or Cisco is present, the best-ranked unselected presence applicant that
   passes and fits the caps takes the seat of the lowest-ranked selected centre of its own region
   from a country without presence (a region's number of centres never changes);
4. reserve (traced runs only): in each region holding a selected centre, the next
   `reserve_per_region` unselected applicants that pass and fit the caps.
One step per rank position advances every ranking together (numpy over the samples).

With `trace=True` the engine also records how each seat was taken and whom it displaced
(`Seats`): the reasons of `allocate` and the margins' thresholds are read off that trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dtc_select.seats.contest import Contest

REGIONAL, REALLOCATED, PRESENCE_QUOTA = 1, 2, 3
SEAT_SOURCES = {REGIONAL: "regional", REALLOCATED: "reallocated", PRESENCE_QUOTA: "presence_quota"}


@dataclass(frozen=True)
class Seats:
    """The rules' outcome for S rankings, by place: row p is each ranking's p-th applicant
    (`order[:, p]`). `chosen` (n, S): selected. The trace (None unless asked for):
    `seat` (n, S) how the seat was taken (REGIONAL, REALLOCATED, PRESENCE_QUOTA; 0: none);
    `first_seat` the same before the quota's swaps (a displaced centre keeps the seat it lost);
    `taken_from` the place of the centre whose seat it took under the quota (-1: none);
    `giver` the region code whose unfilled seat it holds (-1: none); `reserve` its place on its
    region's reserve list (0: none); `unfilled` (S, R) the seats each region left after step 1."""

    chosen: np.ndarray
    seat: np.ndarray | None = None
    first_seat: np.ndarray | None = None
    taken_from: np.ndarray | None = None
    giver: np.ndarray | None = None
    reserve: np.ndarray | None = None
    unfilled: np.ndarray | None = None

    @property
    def displaced_by(self) -> np.ndarray:
        """(n, S) the place of the applicant that took each displaced centre's seat (-1: none)."""
        out = np.full(self.taken_from.shape, -1, dtype=np.int64)
        p, s = np.nonzero(self.taken_from >= 0)
        out[self.taken_from[p, s], s] = p
        return out


class _Counters:
    """One cap's counters for S samples, flat (sample * groups + group), and each place's cell."""

    def __init__(self, cap, by_place: np.ndarray, samples: int):
        groups = max(int(cap.group.max(initial=-1)) + 1, len(cap.earlier))
        earlier = np.zeros(groups, dtype=np.int64)
        earlier[:len(cap.earlier)] = cap.earlier
        self.cap, self.groups = cap, groups
        self.held = np.tile(earlier, samples)
        self.at = cap.group[by_place] + (np.arange(samples) * groups)[None, :]
        self.limit = cap.limit

    def room(self, cells) -> np.ndarray:
        return self.held[cells] < self.limit


def run_rules(contest: Contest, order: np.ndarray, passes: np.ndarray, *, trace: bool = False) -> Seats:
    """The rules (module docstring) on S rankings. `order` (S, n): applicant positions by place,
    which may leave out applicants that cannot be selected; `passes` (S, n) by place."""
    samples, n = order.shape
    regions = len(contest.seats)
    by_place = order.T  # rank position first: each step reads contiguous rows
    region_at = contest.region[by_place] + (np.arange(samples) * regions)[None, :]
    seats_at = contest.seats[contest.region[by_place]]
    passes = passes.T.astype(bool, copy=False)
    caps = [_Counters(cap, by_place, samples) for cap in contest.caps]
    filled = np.zeros(samples * regions, dtype=np.int64)
    full = np.tile(contest.seats, samples)  # seats per (sample, region), laid out like `filled`
    chosen = np.zeros((n, samples), dtype=bool)
    for p in range(n):  # 1. regional pass
        r = region_at[p]
        take = passes[p] & (filled[r] < seats_at[p])
        for c in caps:
            take &= c.room(c.at[p])
        chosen[p] = take
        filled[r] += take
        for c in caps:
            c.held[c.at[p]] += take
        if p % 8 == 7 and (filled == full).all():
            break  # every region full in every sample: nobody further down is selected
    regional = chosen.copy() if trace else None
    unfilled = (full - filled).reshape(samples, regions)
    pool = unfilled.sum(axis=1)
    short = np.flatnonzero(pool > 0)  # only these samples have seats left for step 2
    for p in range(n if len(short) else 0):  # 2. seats the regions could not fill
        take = ~chosen[p, short] & passes[p, short] & (pool[short] > 0)
        for c in caps:
            take &= c.room(c.at[p, short])
        chosen[p, short] |= take
        for c in caps:
            c.held[c.at[p, short]] += take
        pool[short] -= take
        if p % 8 == 7 and not pool[short].any():
            break
    if not trace:
        if contest.presence_minimum:
            _presence_quota(contest, by_place, chosen, caps, passes, None)
        return Seats(chosen)
    first = np.where(regional, REGIONAL, np.where(chosen, REALLOCATED, 0)).astype(np.int8)
    traced = {"seat": first.copy(), "taken_from": np.full((n, samples), -1, dtype=np.int64),
              "giver": _givers(first == REALLOCATED, unfilled)}
    if contest.presence_minimum:
        _presence_quota(contest, by_place, chosen, caps, passes, traced)
    reserve = _reserve(contest, by_place, chosen, caps, passes)
    return Seats(chosen, traced["seat"], first, traced["taken_from"], traced["giver"], reserve, unfilled)


def _givers(reallocated: np.ndarray, unfilled: np.ndarray) -> np.ndarray:
    """(n, S) the region code whose unfilled seat each reallocated seat is: the k-th reallocated
    seat of a sample takes the k-th seat of the pool (regions in code order, each repeated as
    many times as its unfilled seats)."""
    k = np.cumsum(reallocated, axis=0) - 1
    ends = np.cumsum(unfilled, axis=1)  # (S, R)
    region = (k[:, :, None] >= ends[None, :, :]).sum(axis=2)
    return np.where(reallocated, region, -1)


def _presence_quota(contest: Contest, by_place: np.ndarray, chosen: np.ndarray, caps: list[_Counters],
                    passes: np.ndarray, traced: dict | None) -> None:
    """3. The presence quota's swaps, in place on `chosen` (n, S), the caps' counters and `traced`."""
    n, samples = chosen.shape
    region = contest.region[by_place]
    present = contest.presence[by_place]
    have = (chosen & present).sum(axis=0)
    places = np.arange(n)[:, None]
    for p in range(n):
        wanting = np.flatnonzero(have < contest.presence_minimum)
        if not len(wanting):
            break
        candidate = ~chosen[p, wanting] & present[p, wanting] & passes[p, wanting]
        for c in caps:
            candidate &= c.room(c.at[p, wanting])
        s = wanting[candidate]
        if not len(s):
            continue
        # The lowest-ranked selected centre of the same region from a country without presence.
        victims = chosen[:, s] & (region[:, s] == region[p, s]) & ~present[:, s]
        has_victim = victims.any(axis=0)
        s, victims = s[has_victim], victims[:, has_victim]
        q = np.where(victims, places, -1).max(axis=0)
        chosen[q, s] = False
        chosen[p, s] = True
        for c in caps:
            c.held[c.at[q, s]] -= 1
            c.held[c.at[p, s]] += 1
        have[s] += 1
        if traced is not None:
            seat, giver = traced["seat"], traced["giver"]
            seat[p, s], seat[q, s] = PRESENCE_QUOTA, 0
            traced["taken_from"][p, s] = q
            giver[p, s], giver[q, s] = giver[q, s], -1


def _reserve(contest: Contest, by_place: np.ndarray, chosen: np.ndarray, caps: list[_Counters],
             passes: np.ndarray) -> np.ndarray:
    """4. (n, S) reserve positions (0: none): in each region holding a selected centre, the next
    `reserve_per_region` unselected applicants, in rank order, that pass and fit every cap (so
    they could take the seat of a centre of their region that withdrew)."""
    region = contest.region[by_place]
    could = ~chosen & passes
    for c in caps:
        could &= c.room(c.at)
    reserve = np.zeros(chosen.shape, dtype=np.int64)
    for r in range(len(contest.seats)):
        holds = (chosen & (region == r)).any(axis=0)
        listed = could & (region == r) & holds[None, :]
        position = np.cumsum(listed, axis=0)
        keep = listed & (position <= contest.reserve_per_region)
        reserve[keep] = position[keep]
    return reserve


def chosen_in_order(contest: Contest, order: np.ndarray, passes: np.ndarray) -> np.ndarray:
    """(n, S): selected, by place in each sample's `order` (S, n) of applicant positions, which
    may leave out applicants that cannot be selected; `passes` (S, n) by place."""
    return run_rules(contest, order, passes).chosen


def selected_under_caps(contest: Contest, order: np.ndarray, passes_minimum: np.ndarray) -> np.ndarray:
    """(S, N) booleans by applicant position: selected in each sample's ranking `order`.
    `passes_minimum` (S, N) by applicant position: the score is not below the call's minimum."""
    chosen = chosen_in_order(contest, order, np.take_along_axis(passes_minimum, order, axis=1))
    selected = np.zeros(order.shape, dtype=bool)
    np.put_along_axis(selected, order, chosen.T, axis=1)
    return selected


def passes_minimum(contest: Contest, score: np.ndarray) -> np.ndarray:
    """Not below the call's minimum score (every applicant when the call sets none)."""
    if contest.minimum_score is None:
        return np.ones(score.shape, dtype=bool)
    return score >= contest.minimum_score


@dataclass(frozen=True)
class Limits:
    """When each limit of a traced run is reached, per sample, as a count of places (the limit is
    reached once that many of the ranking's applicants have gone; 0: before anyone; n + 1: never):
    `full_at` (S, R) each region's seats in step 1; `capped_at` per cap (S, G) the cap in step
    1; `pool_out` (S,) the pooled seats in step 2; `capped_after` per cap (S, G) the cap by the
    end of step 2. The margins to the cutoff are read off these (checks/margins.py)."""

    full_at: np.ndarray
    capped_at: tuple
    pool_out: np.ndarray
    capped_after: tuple


def limits_reached(contest: Contest, order: np.ndarray, seats: Seats) -> Limits:
    """The Limits of a traced run without a presence quota (`order` (S, n) as run)."""
    samples, n = order.shape
    by_place = order.T
    regional, reallocated = seats.first_seat == REGIONAL, seats.first_seat == REALLOCATED
    full_at = _reached(regional, contest.region[by_place], contest.seats[None, :].repeat(samples, 0))
    capped_at, capped_after = [], []
    for cap in contest.caps:
        group = cap.group[by_place]
        groups = max(int(cap.group.max(initial=-1)) + 1, len(cap.earlier))
        room = np.zeros(groups, dtype=np.int64)
        room[:len(cap.earlier)] = cap.room
        room[len(cap.earlier):] = cap.limit
        room = room[None, :].repeat(samples, 0)
        capped_at.append(_reached(regional, group, room))
        left = room - _counts(regional, group, groups)
        capped_after.append(np.where(left <= 0, 0, _reached(reallocated, group, left)))
    pool = contest.seats.sum() - regional.sum(axis=0)
    pool_out = _reached(reallocated, np.zeros(by_place.shape, dtype=np.int64), pool[:, None])[:, 0]
    return Limits(full_at, tuple(capped_at), pool_out, tuple(capped_after))


def _counts(taken: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """(S, G) how many places of each group were taken, per sample."""
    samples = taken.shape[1]
    cells = (group + np.arange(samples)[None, :] * groups)[taken]
    return np.bincount(cells, minlength=samples * groups).reshape(samples, groups)


def _reached(taken: np.ndarray, group: np.ndarray, need: np.ndarray) -> np.ndarray:
    """(S, G) the count of places after which the `need`-th (S, G) taken place of each group
    comes: 0 where nothing is needed, n + 1 where too few are taken."""
    samples, groups = need.shape
    out = np.where(need <= 0, 0, taken.shape[0] + 1)
    p, s = np.nonzero(taken)  # by place, then sample
    if not len(p):
        return out
    cell = s * groups + group[p, s]
    order = np.lexsort((p, cell))
    cell, p = cell[order], p[order]
    nth = np.arange(len(cell)) - np.searchsorted(cell, cell, side="left") + 1
    hit = nth == need.reshape(-1)[cell]
    flat = out.reshape(-1)
    flat[cell[hit]] = p[hit] + 1
    return flat.reshape(samples, groups)
