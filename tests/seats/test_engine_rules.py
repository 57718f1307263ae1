"""A new rule is one place: a test-only cap added to `contest.EXTRA_CAPS` ("at most 3 selected
centres of one organisation type") reaches the decision, its reasons, the stability samples, the
margins to the cutoff and the counterfactual without regional shares, with nothing else changed."""

from __future__ import annotations

import pytest

from dtc_select.pipeline import run
from dtc_select.seats import contest
from tests.conftest import EXAMPLES

MOST_PER_TYPE = 3


def at_most_three_per_organisation_type(applicants, call):
    return contest.cap_per_column(applicants, "organisation_type", MOST_PER_TYPE, "organisation type")


@pytest.fixture(scope="module")
def without_rule(call):
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv").decisions


@pytest.fixture(scope="module")
def with_rule(call):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(contest, "EXTRA_CAPS", [at_most_three_per_organisation_type])
        return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv").decisions


def test_without_the_rule_the_example_selects_four_centres_of_one_type(without_rule):
    selected = without_rule[without_rule["status"] == "selected"]
    assert selected["organisation_type"].value_counts().max() == 4


def test_the_decision_keeps_every_organisation_type_to_three_centres_and_says_why(with_rule, without_rule):
    selected = with_rule[with_rule["status"] == "selected"]
    assert selected["organisation_type"].value_counts().max() == MOST_PER_TYPE
    assert len(selected) == (without_rule["status"] == "selected").sum()  # the seats still all go
    lost = with_rule[(with_rule["status"] != "selected")
                     & with_rule["application_id"].isin(without_rule.loc[without_rule["status"] == "selected",
                                                                         "application_id"])]
    assert len(lost) >= 1
    assert lost["reasons"].str.contains("the most the call allows per organisation type").all()


def test_every_stability_sample_keeps_the_rule(with_rule, without_rule):
    # Each sample selects at most 3 of a type, so a type's probabilities add up to 3 at most.
    def expected_per_type(decisions):
        return decisions.groupby("organisation_type")["selection_probability"].sum()

    assert expected_per_type(with_rule).max() <= MOST_PER_TYPE + 1e-9
    assert expected_per_type(without_rule).max() > MOST_PER_TYPE + 0.5


def test_the_margins_describe_the_decision_under_the_rule(with_rule, without_rule):
    margin = with_rule["margin_to_cutoff"]
    status = with_rule["status"]
    assert (margin[status == "selected"] >= 0).all()
    assert (margin[(status != "selected") & (status != "ineligible")].dropna() <= 0).all()
    assert not margin.equals(without_rule["margin_to_cutoff"])


def test_the_counterfactual_without_regional_shares_keeps_the_rule(with_rule):
    by_rank = with_rule[with_rule["selected_without_regional_shares"].fillna(False).astype(bool)]
    assert by_rank["organisation_type"].value_counts().max() <= MOST_PER_TYPE
