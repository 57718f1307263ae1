"""Margins to the cutoff: the thresholds read off one run of the rules give exactly the last place
at which each applicant is still selected that trying the places one search step at a time gives."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.checks import margins
from dtc_select.seats import vectorised as selection
from dtc_select.ranking.scoring import score_applications
from tests import selection_oracle as oracle
from tests.contests import contest_case, random_contest


@st.composite
def raw_contest(draw):
    """A contest straight as arrays: up to 40 applicants, up to 4 regions and 8 countries, seats
    (some regions none), a country cap or none, centres of earlier phases, a minimum score or none."""
    n = draw(st.integers(0, 40))
    regions, countries = draw(st.integers(1, 4)), draw(st.integers(1, 8))
    region = np.array(draw(st.lists(st.integers(0, regions - 1), min_size=n, max_size=n)), dtype=int)
    country = np.array(draw(st.lists(st.integers(0, countries - 1), min_size=n, max_size=n)), dtype=int)
    used = int(country.max(initial=-1)) + 1
    earlier = np.array(draw(st.lists(st.integers(0, 1), min_size=used, max_size=used)), dtype=np.int32)
    seats = np.array(draw(st.lists(st.integers(0, 4), min_size=regions, max_size=regions)), dtype=int)
    cap = draw(st.sampled_from([1, 2, n + 3]))
    minimum = draw(st.sampled_from([None, 0.5]))
    score = np.array(draw(st.lists(st.sampled_from([0.2, 0.4, 0.5, 0.6, 0.9]), min_size=n, max_size=n)))
    contest = selection.Contest(pd.RangeIndex(n), np.arange(n).astype(object), region, country, seats, cap, minimum,
                                np.zeros(n), earlier, np.zeros(n, dtype=bool), 0, (np.arange(n, dtype=float),))
    return contest, score, np.lexsort([np.arange(n), -score])


@st.composite
def raw_contest_with_quota(draw):
    """`raw_contest` with presence (a country's: compatriots alike) and a presence quota, each
    country in one region as in a real call."""
    contest, score, order = draw(raw_contest())
    n, countries = contest.size, int(contest.country.max(initial=-1)) + 1
    region_of = np.array(draw(st.lists(st.integers(0, len(contest.seats) - 1), min_size=countries,
                                       max_size=countries)), dtype=int)
    present = np.array(draw(st.lists(st.booleans(), min_size=countries, max_size=countries)), dtype=bool)
    contest = replace(contest, region=region_of[contest.country] if n else contest.region,
                      presence=present[contest.country] if n else contest.presence,
                      presence_minimum=draw(st.sampled_from([1, 2, 3])))
    return contest, score, order


def search(contest, score, order):
    """Each applicant's position in `order`, who passes the minimum, and the search's last places."""
    position = np.empty(contest.size, dtype=int)
    position[order] = np.arange(contest.size)
    allowed = selection.passes_minimum(contest, score)
    return position, allowed, margins._last_places_searched(contest, order, position, allowed,
                                                            np.arange(contest.size))


def last_places_trying_the_whole_ranking(contest, order, position, allowed):
    """The search as it was before it ran each trial on the candidates only: every applicant at
    every trial place, the rules run on the whole trial ranking (O(N^2 log N))."""
    n = contest.size
    others_place = position[None, :] - (position[None, :] > position[:, None])
    low, high = np.full(n, -1), np.full(n, n)
    while (open_ := high - low > 1).any():
        at = np.flatnonzero(open_)
        middle = (low[at] + high[at]) // 2
        keys = others_place[at].astype(float)
        keys[np.arange(len(at)), at] = middle - 0.5
        trial = np.argsort(keys, axis=1, kind="stable")
        passes = np.broadcast_to(allowed, keys.shape).copy()
        passes[np.arange(len(at)), at] = True
        chosen = selection.selected_under_caps(contest, trial, passes)[np.arange(len(at)), at]
        low[at] = np.where(chosen, middle, low[at])
        high[at] = np.where(chosen, high[at], middle)
    return low


@settings(max_examples=400, deadline=None)
@given(case=raw_contest_with_quota())
def test_with_a_presence_quota_searching_among_the_candidates_finds_the_places_the_whole_ranking_gives(case):
    contest, score, order = case
    position, allowed, searched = search(contest, score, order)
    assert searched.tolist() == last_places_trying_the_whole_ranking(contest, order, position, allowed).tolist()


@settings(max_examples=200, deadline=None)
@given(case=raw_contest_with_quota(), data=st.data())
def test_with_a_presence_quota_and_compatriots_that_differ_in_presence_the_search_still_finds_every_place(case, data):
    # Presence is a host country's in every real call; the margins must not rely on it: the
    # quota can then select a compatriot ranked below one left out (found by the hypothesis
    # test of tests/seats/test_selection.py, seed 318181019214066032110764341616096378120).
    contest, score, order = case
    n = contest.size
    contest = replace(contest, presence=np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)),
                                                 dtype=bool))
    position, allowed, searched = search(contest, score, order)
    assert searched.tolist() == last_places_trying_the_whole_ranking(contest, order, position, allowed).tolist()


def test_a_quota_over_compatriots_with_different_presence_gives_the_margin_to_the_compatriot_it_selected():
    # One region, one seat, one centre per country, a quota of one. The best applicant (country
    # B, no presence) takes the seat in the regional pass; the quota gives it to the best presence
    # applicant, ranked third (country A), over its compatriot ranked second (no presence). The one
    # ranked fourth (country A, presence) takes it by overtaking the third. The second takes it by
    # overtaking the first: then country A's one centre is its own, and the quota has no one to
    # swap in. The first never keeps it, whatever its score (before the fix: the third, selected,
    # was given no margin, "nothing changes it").
    n = 4
    contest = selection.Contest(pd.RangeIndex(n), np.arange(n).astype(object), np.zeros(n, dtype=int),
                                np.array([1, 0, 0, 0]), np.array([1]), 1, None, np.zeros(n),
                                np.zeros(2, dtype=np.int32), np.array([False, False, True, True]), 1,
                                (np.arange(n, dtype=float),))
    score = np.array([0.9, 0.8, 0.7, 0.6])
    margin = margins.margins_to_cutoff(contest, score, np.arange(n))
    assert np.isnan(margin[0])
    assert margin[1:].tolist() == [pytest.approx(-0.1), pytest.approx(0.1), pytest.approx(-0.1)]
    assert oracle.selected(contest, list(range(n)), [True] * n) == [False, False, True, False]


def last_places_both_ways(contest, score, order):
    position, allowed, searched = search(contest, score, order)
    return margins._last_places(contest, order, position, allowed), searched


@settings(max_examples=300, deadline=None)
@given(case=raw_contest())
def test_the_last_place_still_selected_is_the_same_from_thresholds_as_from_trying_each_place(case):
    fast, searched = last_places_both_ways(*case)
    assert fast.tolist() == searched.tolist()


@settings(max_examples=60, deadline=None)
@given(case=contest_case())
def test_on_contests_scored_from_applications_the_thresholds_and_the_search_agree_without_a_quota(call, case):
    changed, eligible, seats = case
    ruled = changed(call)
    ranked = score_applications(eligible, None, ruled)
    contest = replace(selection.contest_from(eligible, ranked, seats, ruled), presence_minimum=0)
    score = ranked["score"].to_numpy()
    order = np.argsort(ranked["rank"].to_numpy(), kind="stable")
    fast, searched = last_places_both_ways(contest, score, order)
    assert fast.tolist() == searched.tolist()


def test_among_a_thousand_applicants_the_selected_have_a_lead_and_a_region_without_seats_has_no_margin():
    # The search ranked every applicant at every trial place at once: N x N integers. The
    # thresholds need one run of the rules per selected applicant; the margins stay exact.
    rng = np.random.default_rng(7)
    n = 1000
    region, country = rng.integers(0, 3, n), rng.integers(0, 40, n)
    contest = selection.Contest(pd.RangeIndex(n), np.arange(n).astype(object), region, country, np.array([3, 4, 0]),
                                1, None, np.zeros(n), np.zeros(40, dtype=np.int32), np.zeros(n, dtype=bool), 0,
                                (np.arange(n, dtype=float),))
    score = np.round(rng.random(n), 3)
    order = np.lexsort([np.arange(n), -score])
    margin = margins.margins_to_cutoff(contest, score, order)
    chosen = selection.selected_under_caps(contest, order[None, :], np.ones((1, n), dtype=bool))[0]
    assert chosen.sum() == 7
    assert (margin[chosen] >= 0).all() and (margin[~chosen & (region < 2)] <= 0).all()
    assert np.isnan(margin[region == 2]).all()  # a region without seats: no score would do


@st.composite
def small_contest(draw):
    """A contest the slow reference can try every place of: up to 9 applicants, sometimes a second
    cap or a presence quota (each country in one region, as in a real call)."""
    contest = draw(random_contest(most=9, one_region_per_country=True))
    score = np.array(draw(st.lists(st.sampled_from([0.2, 0.4, 0.5, 0.6, 0.9]), min_size=contest.size,
                                   max_size=contest.size)))
    contest = replace(contest, minimum_score=draw(st.sampled_from([None, 0.5])))
    return contest, score, np.lexsort([np.arange(contest.size), -score])


@settings(max_examples=200, deadline=None)
@given(case=small_contest())
def test_the_last_place_still_selected_is_the_one_the_slow_reference_finds_trying_every_place(case):
    contest, score, order = case
    position, allowed, searched = search(contest, score, order)
    expected = oracle.last_places(contest, order.tolist(), allowed.tolist())
    assert searched.tolist() == expected
    if not contest.presence_minimum:
        assert margins._last_places(contest, order, position, allowed).tolist() == expected
