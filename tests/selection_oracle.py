"""A slow, obviously-correct reference for the selection rules, one ranking at a time.

It reads the rules as the Annex and the call describe them, applicant by applicant, in plain
Python, with nothing vectorised and no shortcut (no candidates, no early stop), so that the
engine (`seats/engine.py`) and everything built on it (allocate, the stability samples, the
margins, the counterfactuals) can be checked against it on random contests.
"""

from __future__ import annotations

from dataclasses import dataclass

REGIONAL, REALLOCATED, PRESENCE_QUOTA = 1, 2, 3


@dataclass
class Decided:
    """By place in the ranking: seat (how taken, 0 none), first_seat (before the quota's swaps),
    giver (region code whose unfilled seat it holds, -1), taken_from (place whose seat it took
    under the quota, -1), reserve (position, 0 none); unfilled seats per region after step 1."""

    seat: list
    first_seat: list
    giver: list
    taken_from: list
    reserve: list
    unfilled: list


def decide(contest, order, passes) -> Decided:
    """The rules on one ranking: `order` the applicant positions best first, `passes` by place."""
    n = len(order)
    regions = len(contest.seats)
    seats = [int(s) for s in contest.seats]
    region = [int(contest.region[i]) for i in order]
    present = [bool(contest.presence[i]) for i in order]
    caps = list(contest.caps)
    group = [[int(cap.group[i]) for i in order] for cap in caps]
    held = [{g: int(e) for g, e in enumerate(cap.earlier)} for cap in caps]

    def fits(p):
        return all(held[k].get(group[k][p], 0) < cap.limit for k, cap in enumerate(caps))

    seat = [0] * n
    filled = [0] * regions

    def take(p, how):
        seat[p] = how
        filled[region[p]] += 1
        for k in range(len(caps)):
            held[k][group[k][p]] = held[k].get(group[k][p], 0) + 1

    def release(p):
        seat[p] = 0
        filled[region[p]] -= 1
        for k in range(len(caps)):
            held[k][group[k][p]] -= 1

    # 1. Regional seats, in rank order.
    for p in range(n):
        if passes[p] and filled[region[p]] < seats[region[p]] and fits(p):
            take(p, REGIONAL)
    # 2. The seats a region could not fill, pooled in region order, to the best remaining.
    unfilled = [seats[r] - filled[r] for r in range(regions)]
    pool = [r for r in range(regions) for _ in range(unfilled[r])]
    giver = [-1] * n
    for p in range(n):
        if pool and not seat[p] and passes[p] and fits(p):
            giver[p] = pool.pop(0)
            take(p, REALLOCATED)
    first_seat = list(seat)
    # 3. The presence quota: swaps inside a region.
    taken_from = [-1] * n
    have = sum(1 for p in range(n) if seat[p] and present[p])
    for p in range(n):
        if have >= contest.presence_minimum:
            break
        if seat[p] or not present[p] or not passes[p] or not fits(p):
            continue
        victims = [q for q in range(n) if seat[q] and region[q] == region[p] and not present[q]]
        if victims:
            q = max(victims)
            release(q)
            take(p, PRESENCE_QUOTA)
            giver[p], giver[q] = giver[q], -1
            taken_from[p] = q
            have += 1
    # 4. Reserve lists where a selected centre could withdraw.
    reserve = [0] * n
    listed = [0] * regions
    for p in range(n):
        r = region[p]
        if (not seat[p] and passes[p] and fits(p) and filled[r] > 0
                and listed[r] < contest.reserve_per_region):
            listed[r] += 1
            reserve[p] = listed[r]
    return Decided(seat, first_seat, giver, taken_from, reserve, unfilled)


def selected(contest, order, passes) -> list[bool]:
    """Selected, by applicant position (order: positions best first; passes by position)."""
    decided = decide(contest, list(order), [bool(passes[i]) for i in order])
    out = [False] * contest.size
    for p, i in enumerate(order):
        out[i] = decided.seat[p] > 0
    return out


def last_places(contest, order, passes) -> list[int]:
    """Per applicant, the last place among the others (0 = ahead of all) at which it is still
    selected when moved there (itself passing), trying every place; -1: at none."""
    n = len(order)
    last = []
    for a in range(n):
        others = [i for i in order if i != a]
        at = -1
        for place in range(n):
            trial = others[:place] + [a] + others[place:]
            allowed = [bool(passes[i]) or i == a for i in range(contest.size)]
            if selected(contest, trial, allowed)[a]:
                at = place
        last.append(at)
    return last
