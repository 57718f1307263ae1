"""Stability under other weights: seeded, centred on the call's weights, the full selection each time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dtc_select import pipeline
from dtc_select.ranking import methods
from dtc_select.seats import vectorised as selection
from dtc_select.pipeline import run
from dtc_select.ranking.scoring import call_weights, criterion_column, score_applications
from dtc_select.checks.stability import weight_samples
from tests.conftest import EXAMPLES
from tests.contests import seats_frame
from tests.factories import parsed


@pytest.fixture(scope="module")
def outcome(call):
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")


def with_stability(call, **changes):
    return call.model_copy(update={"stability": call.stability.model_copy(update=changes)})


def test_two_runs_give_identical_probabilities(call, outcome):
    again = run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert again.decisions["selection_probability"].tolist() == outcome.decisions["selection_probability"].tolist()
    assert again.decisions["margin_to_cutoff"].equals(outcome.decisions["margin_to_cutoff"])


def test_the_probabilities_add_up_to_the_seats_filled_and_the_ineligible_have_none(outcome):
    decisions = outcome.decisions
    filled = int(outcome.seats["filled"].sum())
    assert decisions["selection_probability"].sum() == pytest.approx(filled)
    assert (decisions.loc[decisions["status"] == "ineligible", "selection_probability"] == 0).all()
    assert decisions["selection_probability"].between(0, 1).all()


def test_selected_applicants_are_selected_most_often(outcome):
    decisions = outcome.decisions
    selected = decisions.loc[decisions["status"] == "selected", "selection_probability"]
    others = decisions.loc[decisions["status"] != "selected", "selection_probability"]
    assert selected.mean() > 0.5 > others.mean()


def test_the_weights_are_drawn_around_the_call_s_weights_and_sum_to_one(call):
    samples = weight_samples(call)
    assert samples.shape == (call.stability.samples, len(call.criteria))
    assert samples.sum(axis=1) == pytest.approx(np.ones(len(samples)))
    assert samples.mean(axis=0) == pytest.approx(call_weights(call), abs=0.002)
    w, a = call_weights(call)[0], call.stability.concentration
    assert samples[:, 0].std() == pytest.approx(np.sqrt(w * (1 - w) / (a + 1)), rel=0.05)


def test_the_seed_decides_the_samples(call):
    assert np.array_equal(weight_samples(call), weight_samples(call))
    assert not np.array_equal(weight_samples(call), weight_samples(with_stability(call, seed=2020)))


def test_a_higher_concentration_keeps_the_weights_closer_to_the_call_s(call):
    loose, tight = weight_samples(with_stability(call, concentration=5)), weight_samples(with_stability(call, concentration=500))
    assert tight.std(axis=0).max() < loose.std(axis=0).min()


def test_when_every_applicant_gets_a_seat_every_probability_is_one(call):
    apps = parsed(4, region="AFR", country_iso3=["KEN", "GHA", "SEN", "MLI"], workstations=[10, 20, 30, 40])
    checks, _ = checks_for(apps, call, seats_frame(AFR=4))
    assert checks.per_applicant["selection_probability"].tolist() == [1.0] * 4


def test_a_country_cap_holds_in_every_sample(call):
    # Two seats, three applicants from Kenya: at most one Kenyan centre in any weighting.
    apps = parsed(4, region="AFR", country_iso3=["KEN", "KEN", "KEN", "GHA"],
                  workstations=[60, 50, 40, 10], trainers=[5, 10, 30, 5])
    checks, _ = checks_for(apps, call, seats_frame(AFR=2))
    probability = checks.per_applicant["selection_probability"]
    assert probability[[0, 1, 2]].sum() == pytest.approx(1.0)
    assert probability[3] == 1.0


def checks_for(apps, call, seats):
    from dtc_select.seats import allocation
    from dtc_select.checks import ranking_checks

    ranked = score_applications(apps, None, call)
    frame = apps[["application_id", "country_iso3", "country_name", "region"]].join(ranked[["score", "rank"]])
    status = allocation.allocate(frame, seats, max_per_country=1, reserve_per_region=0).decisions["status"]
    return ranking_checks.check_ranking(apps, ranked, seats, status, None, call), ranked


def test_excluded_criteria_are_reweighted_in_every_sample_as_in_the_call_s_ranking(call):
    # No reviewer marked A-001 on reputation: under exclude_criterion that cell stays empty and each
    # weighting shares the criterion's weight among the others, exactly as the scoring stage does.
    policy = call.scoring.model_copy(update={"missing_reviewer_scores": "exclude_criterion"})
    excluding = call.model_copy(update={"scoring": policy})
    apps = parsed(3, workstations=[20, 40, 60])
    marks = pd.DataFrame([(a, "R1", c.id, 4.0) for a in ("A-001", "A-002", "A-003") for c in call.criteria
                          if (a, c.id) != ("A-001", "reputation")],
                         columns=["application_id", "reviewer_id", "criterion", "score"])
    ranked = score_applications(apps, marks, excluding)
    values = ranked[[criterion_column(c.id) for c in call.criteria]].to_numpy()
    assert np.isnan(values).sum() == 1 and np.isnan(values[0, 2])
    vectorised = methods.merit_scores_for_weights(values, call_weights(call)[None, :], "weighted_sum")[0]
    assert np.round(vectorised, 9).tolist() == ranked["merit_score"].tolist()
    contest = selection.contest_from(apps, ranked, seats_frame(AFR=1), excluding)
    chosen = selection.select_for_merit(contest, vectorised[None, :])[0][0]
    assert chosen.tolist() == (ranked["rank"] == 1).tolist()


def test_a_fragile_selection_is_named_in_its_reasons(call, outcome):
    decisions = outcome.decisions
    fragile = decisions[(decisions["status"] == "selected")
                        & (decisions["selection_probability"] < call.stability.fragile_below)]
    assert not fragile.empty
    assert fragile["reasons"].str.contains("fragile: chosen under only").all()
    sure = decisions[(decisions["status"] == "selected") & ~decisions.index.isin(fragile.index)]
    assert not sure["reasons"].str.contains("fragile").any()


def test_the_stability_stage_uses_the_pipeline_s_own_stages(call, outcome):
    state = pipeline.run_stages(pipeline.RunState(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv"),
                                through="ranking_checks")
    checked, ranked, checks = state.checked, state.ranked, state.checks
    assert checks.stability.samples == call.stability.samples
    by_id = outcome.decisions.set_index("application_id")["selection_probability"]
    ids = checked.loc[ranked.index, "application_id"]
    assert checks.per_applicant["selection_probability"].tolist() == by_id[ids].tolist()


@pytest.mark.parametrize("method", ["weighted_sum", "topsis", "vikor"])
def test_a_call_with_no_eligible_applicant_still_runs_its_checks(call, method, tmp_path):
    from tests.conftest import make_applications

    chosen = call.model_copy(update={"scoring": call.scoring.model_copy(update={"method": method})})
    path = tmp_path / "applications.csv"
    make_applications(2, non_profit="no", organisation_type="for_profit").to_csv(path, index=False)
    outcome = run(chosen, path)
    assert set(outcome.decisions["status"]) == {"ineligible"}
    assert (outcome.decisions["selection_probability"] == 0).all()
    from dtc_select.report.view import render_report

    assert "No applicant is selected or in reserve." in render_report(outcome)



def test_a_call_with_a_presence_tie_break_gets_stability_figures_that_add_up_to_the_seats(call):
    from dtc_select.pipeline import run
    from tests.conftest import EXAMPLES

    tie_break = call.presence_priority.model_copy(update={"method": "tie_break", "bonus": 0.0})
    variant = call.model_copy(update={"presence_priority": tie_break})
    outcome = run(variant, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert outcome.checks.stability.samples == call.stability.samples
    selected = (outcome.decisions["status"] == "selected").sum()
    assert outcome.decisions["selection_probability"].sum() == pytest.approx(selected)
