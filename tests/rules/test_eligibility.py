"""Minimum qualifications: one result per rule, every failed rule named, "not stated" kept apart."""

from __future__ import annotations

import pandas as pd

from dtc_select.reasons.render import Renderer
from dtc_select.rules.eligibility import evaluate_eligibility
from tests.factories import parsed


def results(call, **overrides) -> pd.Series:
    """The first application's results, with its reasons in English ("; " between rules)."""
    row = evaluate_eligibility(parsed(1, **overrides), call).iloc[0].copy()
    english = Renderer("en", call)
    row["ineligibility_reasons"] = "; ".join(english.render(r) for r in row["eligibility_reasons"])
    return row


def test_a_complete_ngo_in_a_least_developed_country_passes_every_rule(call):
    row = results(call)
    assert row["eligible"]
    assert row["ineligibility_reasons"] == ""
    assert all(row[f"rule_{r.id}"] == "pass" for r in call.rules)


def test_a_for_profit_company_is_not_non_profit_even_if_it_says_so(call):
    row = results(call, organisation_type="for_profit", non_profit=True)
    assert row["rule_non_profit"] == "fail"
    assert "not a non-profit organisation: a for-profit company" in row["ineligibility_reasons"]
    assert "[Annex §2, criterion 1]" in row["ineligibility_reasons"]


def test_a_public_institution_counts_as_non_profit_without_declaring_it(call):
    assert results(call, organisation_type="public_institution", non_profit=False)["rule_non_profit"] == "pass"
    assert results(call, organisation_type="university", non_profit=False)["rule_non_profit"] == "pass"


def test_an_ngo_that_declares_no_non_profit_status_fails_and_both_reasons_are_given(call):
    row = results(call, organisation_type="ngo", non_profit=False)
    assert row["rule_non_profit"] == "fail"
    reasons = row["ineligibility_reasons"]
    assert "not a non-profit organisation: not declared non-profit and an NGO [Annex §2, criterion 1]" == reasons


def test_a_developed_host_country_is_not_eligible(call):
    row = results(call, country_iso3="FRA", host_is_ldc=False, host_development="developed")
    assert row["rule_host_country"] == "fail"
    assert "neither a least developed nor a developing country" in row["ineligibility_reasons"]


def test_a_developing_country_that_is_not_least_developed_is_eligible(call):
    assert results(call, host_is_ldc=False, host_development="developing")["eligible"]


def test_an_unsettled_development_status_is_not_stated_rather_than_false(call):
    row = results(call, host_is_ldc=False, host_development=None)
    assert row["rule_host_country"] == "not_stated"
    assert not row["eligible"]
    assert "cannot be checked (host country's development status not stated): the host country is a least developed or a developing country" in row["ineligibility_reasons"]


def test_missing_intermediate_training_fails_training_levels(call):
    row = results(call, offers_intermediate_training=False)
    assert row["rule_training_levels"] == "fail"
    assert "does not offer both basic and intermediate ICT training: no intermediate ICT training [" in row["ineligibility_reasons"]


def test_a_centre_without_a_lab_fails_infrastructure_and_says_how_many(call):
    row = results(call, training_labs=0)
    assert row["rule_infrastructure"] == "fail"
    assert "computer labs: 0 (the call needs at least 1)" in row["ineligibility_reasons"]


def test_no_distance_learning_at_all_fails(call):
    assert results(call, distance_learning="no")["rule_distance_learning"] == "fail"
    assert results(call, distance_learning="willing")["rule_distance_learning"] == "pass"


def test_the_deadline_is_the_end_of_the_day_in_utc(call):
    assert results(call, submitted_at="2019-11-30")["rule_deadline"] == "pass"
    assert results(call, submitted_at="2019-11-30T23:59:59Z")["rule_deadline"] == "pass"
    late = results(call, submitted_at="2019-12-01T00:00:00Z")
    assert late["rule_deadline"] == "fail"
    assert "submitted after the deadline: submission date: 1 December 2019, 00:00 UTC (the call needs 30 November 2019, 23:59 UTC or earlier)" in late["ineligibility_reasons"]


def test_an_applicant_failing_three_rules_has_all_three_reasons(call):
    row = results(call, organisation_type="for_profit", workstations=0, distance_learning="no")
    reasons = row["ineligibility_reasons"].split("; ")
    assert len(reasons) == 3
    assert [r.split(":")[0] for r in reasons] == [
        "not a non-profit organisation",
        "lacks the labs and hardware to deliver the training",
        "neither delivers nor is willing to deliver distance learning",
    ]


def test_results_keep_the_input_index_and_order(call):
    frame = parsed(3, training_labs=[1, 0, 2]).set_axis([10, 5, 7])
    result = evaluate_eligibility(frame, call)
    assert list(result.index) == [10, 5, 7]
    assert list(result["eligible"]) == [True, False, True]
