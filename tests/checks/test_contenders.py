"""The stability analysis leaves out the applicants no weight sample can select (contenders.py):
its probabilities must be exactly those of running every applicant in every sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.checks import contenders
from dtc_select.ranking import methods
from dtc_select.seats import vectorised as selection
from dtc_select.checks import stability
from dtc_select.ranking.scoring import criterion_column, score_applications
from tests.contests import allocate_status, contest_case


def with_stability(call, **changes):
    return call.model_copy(update={"stability": call.stability.model_copy(update=changes)})


def assessed(contest, ranked, status, call):
    values = ranked[[criterion_column(c.id) for c in call.criteria]].to_numpy(dtype=float)
    return stability.assess_stability(contest, values, ranked["score"].to_numpy(dtype=float),
                                      ranked["rank"].to_numpy(), status.eq("selected").to_numpy(), call)


@settings(max_examples=60, deadline=None)
@given(case=contest_case(), concentration=st.sampled_from([3, 50, 500]))
def test_leaving_out_who_no_sample_can_select_changes_no_probability(call, case, concentration):
    changed, eligible, seats = case
    ruled = with_stability(changed(call), samples=300, concentration=concentration)
    ranked = score_applications(eligible, None, ruled)
    contest = selection.contest_from(eligible, ranked, seats, ruled)
    status = allocate_status(eligible, ranked, seats, ruled)
    fast = assessed(contest, ranked, status, ruled)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(stability, "contenders", lambda *args: None)  # every applicant in every sample
        every = assessed(contest, ranked, status, ruled)
    pd.testing.assert_frame_equal(fast.per_applicant, every.per_applicant)
    assert fast.same_selection == every.same_selection


def test_an_applicant_behind_a_compatriot_on_every_criterion_is_left_out_and_the_best_of_each_country_kept():
    # Country 0: applicant 1 is below applicant 0 on every criterion, far beyond what any weights
    # could make up; country 1: two applicants, each better on one criterion, both kept.
    values = np.array([[0.9, 0.9], [0.2, 0.3], [0.9, 0.1], [0.1, 0.9]])
    n = len(values)
    contest = selection.Contest(pd.RangeIndex(n), np.arange(n).astype(object), np.zeros(n, dtype=int),
                                np.array([0, 0, 1, 1]), np.array([1]), 1, None, np.zeros(n),
                                np.zeros(2, dtype=np.int32), np.zeros(n, dtype=bool), 0, (np.arange(n, dtype=float),))
    samples = np.array([[0.3, 0.7], [0.6, 0.4]])
    assert contenders.contenders(contest, values, samples, "weighted_sum").tolist() == [0, 2, 3]
    assert contenders.contenders(contest, values, samples, "topsis") is None  # the proof needs a weighted sum


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 120), concentration=st.sampled_from([2.0, 20.0, 200.0]))
def test_no_sample_selects_an_applicant_left_out_and_the_others_are_selected_as_among_all(seed, n, concentration):
    rng = np.random.default_rng(seed)
    countries, criteria = int(rng.integers(1, 8)), int(rng.integers(1, 6))
    country = rng.integers(0, countries, n)
    region = rng.integers(0, 3, countries)[country]
    values = np.round(rng.random((n, criteria)), int(rng.integers(1, 4)))
    contest = selection.Contest(pd.RangeIndex(n), np.arange(n).astype(object), region, country,
                                rng.integers(0, 4, 3), int(rng.integers(1, 3)), None,
                                np.where(rng.random(n) < 0.3, 0.05, 0.0),
                                rng.integers(0, 2, int(country.max()) + 1).astype(np.int32),
                                (rng.random(countries) < 0.5)[country], int(rng.choice([0, 0, 1, 2])),
                                (rng.permutation(n).astype(float),))  # presence is a country's; a quota or none
    samples = rng.dirichlet(concentration * rng.dirichlet(np.ones(criteria)), size=50)
    keep = contenders.contenders(contest, values, samples, "weighted_sum")
    every = selection.selected_for_merit(contest, methods.merit_scores_for_weights(values, samples, "weighted_sum"))
    among = selection.selected_for_merit(contenders.restricted(contest, keep),
                                         methods.merit_scores_for_weights(values[keep], samples, "weighted_sum"))
    left_out = np.setdiff1d(np.arange(n), keep)
    assert not every[:, left_out].any()
    assert every[:, keep].tolist() == among.tolist()
