"""The selection engine against the slow reference (tests/selection_oracle.py): on random
contests (regions, seats, country caps, earlier centres, a second cap, presence and a quota, a
minimum score, reserve lists) and several rankings at once, every seat, how it was taken, whom it
displaced, whose unfilled seat it holds and every reserve position are the reference's."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.seats import engine
from dtc_select.seats.contest import Contest
from tests import selection_oracle as oracle
from tests.contests import random_contest


@st.composite
def contest_and_rankings(draw):
    contest = draw(random_contest())
    n, samples = contest.size, draw(st.integers(1, 4))
    order = np.array([draw(st.permutations(range(n))) for _ in range(samples)], dtype=np.int64).reshape(samples, n)
    passes = np.array(draw(st.lists(st.booleans(), min_size=samples * n, max_size=samples * n)), dtype=bool).reshape(samples, n)
    if draw(st.booleans()):
        passes[:] = True
    return contest, order, passes


@settings(max_examples=500, deadline=None)
@given(case=contest_and_rankings())
def test_every_seat_and_its_trace_are_the_slow_reference_s_in_every_ranking(case):
    contest, order, passes = case
    run = engine.run_rules(contest, order, passes, trace=True)
    for s in range(len(order)):
        expected = oracle.decide(contest, order[s].tolist(), passes[s].tolist())
        assert run.seat[:, s].tolist() == expected.seat
        assert run.chosen[:, s].tolist() == [x > 0 for x in expected.seat]
        assert run.first_seat[:, s].tolist() == expected.first_seat
        assert run.giver[:, s].tolist() == expected.giver
        assert run.taken_from[:, s].tolist() == expected.taken_from
        assert run.reserve[:, s].tolist() == expected.reserve
        assert run.unfilled[s].tolist() == expected.unfilled
    # Untraced, as the stability samples run it: the same seats.
    assert engine.run_rules(contest, order, passes).chosen.tolist() == run.chosen.tolist()


@settings(max_examples=300, deadline=None)
@given(case=contest_and_rankings())
def test_the_limits_of_a_run_are_where_the_slow_reference_fills_each_region_cap_and_pool(case):
    contest, order, passes = case
    contest = Contest(**{**contest.__dict__, "presence_minimum": 0})  # limits describe runs without swaps
    run = engine.run_rules(contest, order, passes, trace=True)
    limits = engine.limits_reached(contest, order, run)
    n = contest.size
    for s in range(len(order)):
        seat = oracle.decide(contest, order[s].tolist(), passes[s].tolist()).first_seat

        region = contest.region[order[s]]
        for r, count in enumerate(contest.seats):
            assert limits.full_at[s, r] == reached(seat, oracle.REGIONAL, region == r, count)
        pool = int(contest.seats.sum()) - seat.count(oracle.REGIONAL)
        assert limits.pool_out[s] == reached(seat, oracle.REALLOCATED, np.ones(n, dtype=bool), pool)
        for k, cap in enumerate(contest.caps):
            for g in range(len(limits.capped_at[k][s])):
                mine = cap.group[order[s]] == g
                room = cap.limit - (int(cap.earlier[g]) if g < len(cap.earlier) else 0)
                assert limits.capped_at[k][s, g] == reached(seat, oracle.REGIONAL, mine, room)
                left = room - sum(1 for p in range(n) if seat[p] == oracle.REGIONAL and mine[p])
                assert limits.capped_after[k][s, g] == reached(seat, oracle.REALLOCATED, mine, left)


def reached(seat, step, belongs, need):
    """The count of places after which the `need`-th seat taken in `step` by one of `belongs`
    comes (0: none needed; len + 1: never)."""
    if need <= 0:
        return 0
    hits = [p + 1 for p in range(len(seat)) if seat[p] == step and belongs[p]]
    return hits[need - 1] if len(hits) >= need else len(seat) + 1
