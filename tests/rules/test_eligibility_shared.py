"""Eligibility with one Reason per distinct way of failing a rule gives what one Reason per
applicant gave: the same results, labels and reasons, row by row (the way before is kept here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtc_select.call import vocabulary as vocab
from dtc_select.reasons.model import plain
from dtc_select.rules import eligibility
from dtc_select.rules.eligibility import PASS, evaluate_eligibility, rule_reasons
from tests.factories import BOOLEAN, NUMBER, parsed


# The way before (main at 7e299c4): every applicant's facts and Reason built for it alone.
def _leaf_per_applicant(cond, frame, call):
    operator = vocab.OPERATORS[cond.op]
    value = call.call_value(cond.value_from) if cond.value_from else cond.value
    column = frame[cond.field]
    outcome = operator.test(column, value)
    wanted = eligibility._hashable(plain(value))
    known, passed = eligibility._known_and_value(outcome)
    details = eligibility._no_facts(len(frame))
    for i in np.flatnonzero(~known):
        details[i] = ((cond.field,),)
    answers = column.array
    for i in np.flatnonzero(known & ~passed):
        details[i] = ((cond.field, cond.op, wanted, eligibility._hashable(plain(answers[i]))),)
    return outcome, details


def _evaluate_per_applicant(cond, frame, call):
    if cond.field is not None:
        return _leaf_per_applicant(cond, frame, call)
    children = [_evaluate_per_applicant(child, frame, call) for child in (cond.all or cond.any)]
    outcome = children[0][0]
    for child_outcome, _ in children[1:]:
        outcome = (outcome & child_outcome) if cond.all else (outcome | child_outcome)
    known, value = eligibility._known_and_value(outcome)
    alike = []
    for child_outcome, child_details in children:
        child_known, child_value = eligibility._known_and_value(child_outcome)
        alike.append(((~known & ~child_known) | (known & child_known & (value == child_value)), child_details))
    details = eligibility._no_facts(len(frame))
    for i in np.flatnonzero(~known | ~value):
        details[i] = tuple(dict.fromkeys(f for same, child_details in alike if same[i] for f in child_details[i]))
    return outcome, details


def rule_reasons_per_applicant(applications, call) -> pd.DataFrame:
    result = pd.DataFrame(index=applications.index)
    for rule in call.rules:
        outcome, details = _evaluate_per_applicant(rule.condition, applications, call)
        labels = pd.Series(eligibility.NOT_STATED, index=outcome.index, dtype="string")
        labels[outcome.fillna(False).astype(bool)] = PASS
        labels[~outcome.fillna(True).astype(bool)] = eligibility.FAIL
        unstated = outcome.isna().to_numpy()
        result[rule.id] = [(label, None if label == PASS else eligibility._reason(rule, unstated[i], details[i]))
                           for i, label in enumerate(labels)]
    return result


def evaluate_per_applicant(applications, call) -> pd.DataFrame:
    result = pd.DataFrame(index=applications.index)
    explained = rule_reasons_per_applicant(applications, call)
    for rule in call.rules:
        result[eligibility.rule_column(rule.id)] = explained[rule.id].map(lambda r: r[0])
    result["eligible"] = (result[[eligibility.rule_column(r.id) for r in call.rules]] == PASS).all(axis=1)
    result["eligibility_reasons"] = [[why for _, why in row if why is not None]
                                     for row in explained.itertuples(index=False)]
    return result


def _column(draw, n, values):
    return draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))


@st.composite
def applications(draw):
    """Applications that pass, fail and leave unstated every rule, in many combinations."""
    n = draw(st.integers(1, 40))
    overrides = {column: _column(draw, n, [True, False, None]) for column in BOOLEAN}
    overrides.update({column: _column(draw, n, [0.0, 1.0, 2.0, 5.0, 50.0, 5000.0, None]) for column in NUMBER})
    overrides["organisation_type"] = _column(draw, n, ["ngo", "for_profit", "university", "public_institution", None])
    overrides["host_development"] = _column(draw, n, ["developing", "developed", "transition", None])
    overrides["distance_learning"] = _column(draw, n, ["delivering", "willing", "no", None])
    overrides["submitted_at"] = _column(draw, n, ["2019-11-01 00:00:00", "2019-12-31 23:59:00", "2020-01-02 00:00:00", None])
    return parsed(n, **overrides).set_axis(draw(st.permutations(range(100, 100 + n))))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(frame=applications())
def test_shared_reasons_give_every_applicant_the_results_and_reasons_of_its_own(call, frame):
    new, old = evaluate_eligibility(frame, call), evaluate_per_applicant(frame, call)
    pd.testing.assert_frame_equal(new.drop(columns="eligibility_reasons"), old.drop(columns="eligibility_reasons"))
    assert list(new["eligibility_reasons"]) == list(old["eligibility_reasons"])
    assert rule_reasons(frame, call).to_dict() == rule_reasons_per_applicant(frame, call).to_dict()


def test_applicants_that_fail_a_rule_alike_share_one_reason(call):
    frame = parsed(3, training_labs=[0, 0, 1])
    reasons = evaluate_eligibility(frame, call)["eligibility_reasons"]
    assert reasons[0] == reasons[1] != reasons[2]
    assert reasons[0][0] is reasons[1][0]
