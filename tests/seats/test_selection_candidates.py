"""The stability analysis runs the selection rules on each sample's few candidates per country
(`selection.selected_for_merit`); it must select exactly whom the rules select on the whole ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.seats import vectorised as selection
from dtc_select.ranking.scoring import score_applications
from tests.contests import contest_case


@st.composite
def contest_and_merit(draw):
    """Up to 40 applicants in up to 8 countries, each country in one of up to 4 regions; seats,
    a country cap (or none), earlier centres, a minimum score (or none), a presence bonus, a
    presence quota (or none), and five weight samples' merit scores with many ties."""
    n = draw(st.integers(0, 40))
    countries, regions = draw(st.integers(1, 8)), draw(st.integers(1, 4))
    country = np.array(draw(st.lists(st.integers(0, countries - 1), min_size=n, max_size=n)), dtype=int)
    region_of = np.array(draw(st.lists(st.integers(0, regions - 1), min_size=countries, max_size=countries)))
    used = int(country.max(initial=-1)) + 1
    earlier = np.array(draw(st.lists(st.integers(0, 2), min_size=used, max_size=used)), dtype=np.int32)
    seats = np.array(draw(st.lists(st.integers(0, 4), min_size=regions, max_size=regions)), dtype=int)
    cap = draw(st.sampled_from([1, 2, 3, n + 3]))
    bonus = np.array(draw(st.lists(st.sampled_from([0.0, 0.05]), min_size=n, max_size=n)))
    code = np.array(draw(st.permutations(range(n))), dtype=float)
    # Presence is a country's (ITU or Cisco there): compatriots share it. A quota of 0 is none.
    present_in = np.array(draw(st.lists(st.booleans(), min_size=countries, max_size=countries)), dtype=bool)
    contest = selection.Contest(pd.RangeIndex(n), np.arange(n).astype(object), region_of[country], country, seats,
                                cap, draw(st.sampled_from([None, 0.5])), bonus, earlier, present_in[country],
                                draw(st.sampled_from([0, 0, 1, 2, 3])), (code,))
    merit = np.array(draw(st.lists(st.lists(st.sampled_from([0.1, 0.45, 0.5, 0.55, 0.9]), min_size=n, max_size=n),
                                   min_size=5, max_size=5))).reshape(5, n)
    return contest, merit


@settings(max_examples=300, deadline=None)
@given(case=contest_and_merit())
def test_the_candidates_of_each_country_select_exactly_whom_the_whole_ranking_selects(case):
    contest, merit = case
    whole = selection.select_for_merit(contest, merit)[0]
    assert selection.selected_for_merit(contest, merit).tolist() == whole.tolist()
    # Scored country by country (as the stability analysis scores a weighted sum): the same.
    grouped = merit[:, contest.by_country[0]]
    assert selection.selected_for_merit(contest, grouped, by_country=True).tolist() == whole.tolist()


@settings(max_examples=60, deadline=None)
@given(case=contest_case(), data=st.data())
def test_on_contests_scored_from_applications_every_sample_selects_as_the_whole_ranking(call, case, data):
    changed, eligible, seats = case
    ruled = changed(call)
    ranked = score_applications(eligible, None, ruled)
    contest = selection.contest_from(eligible, ranked, seats, ruled)
    noise = np.array(data.draw(st.lists(st.sampled_from([-0.05, 0.0, 0.05]), min_size=4 * contest.size,
                                        max_size=4 * contest.size))).reshape(4, contest.size)
    merit = ranked["merit_score"].to_numpy()[None, :] + noise
    whole = selection.select_for_merit(contest, merit)[0]
    assert selection.selected_for_merit(contest, merit).tolist() == whole.tolist()


@settings(max_examples=200, deadline=None)
@given(merit=st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=30),
       bonus=st.sampled_from([0.0, 0.05, 0.1, 0.03, 0.125]), data=st.data())
def test_scores_in_units_of_the_tie_precision_are_the_rounded_scores_the_ranking_uses(merit, bonus, data):
    n = len(merit)
    present = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    contest = selection.Contest(pd.RangeIndex(n), np.arange(n).astype(object), np.zeros(n, dtype=int),
                                np.zeros(n, dtype=int), np.array([1]), 1, None, np.where(present, bonus, 0.0),
                                np.zeros(1, dtype=np.int32), present, 0, (np.arange(n, dtype=float),))
    merit = np.array(merit)[None, :]
    _, score = selection.scores_from_merit(contest, merit)
    units = selection._score_units(contest.bonus, merit.copy())
    assert units is not None
    assert (units.astype(np.int64) * -n + np.arange(n)).tolist() == selection._rank_key(contest, score).tolist()
    assert (units / 1e9).tolist() == score.tolist()
