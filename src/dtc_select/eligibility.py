"""Minimum qualifications: one result per rule and applicant, and the reasons in plain words.

Each rule of the call file is a condition tree evaluated over whole columns with three-valued
(Kleene) logic: pass, fail, or not stated. pandas' nullable booleans implement exactly that logic
with `&` and `|`, so a missing answer never silently becomes "false": an applicant who did not
state something is ineligible for that reason, and its reasons say "not stated", not "no".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dtc_select import vocabulary as vocab
from dtc_select.call import Call, Condition, Rule

PASS, FAIL, NOT_STATED = "pass", "fail", "not_stated"


def rule_column(rule_id: str) -> str:
    """The decisions column that holds one rule's result."""
    return f"rule_{rule_id}"


def evaluate_eligibility(applications: pd.DataFrame, call: Call) -> pd.DataFrame:
    """Per-rule results (`rule_<id>`: pass/fail/not_stated), `eligible` and the reasons.

    `applications` holds the contract's columns plus the host facts (`host_is_ldc`, ...).
    The result has the same index as `applications`.
    """
    result = pd.DataFrame(index=applications.index)
    reasons = pd.Series([[] for _ in range(len(applications))], index=applications.index, dtype=object)
    for rule in call.rules:
        outcome, details = _evaluate(rule.condition, applications, call)
        result[rule_column(rule.id)] = _outcome_labels(outcome)
        for index in outcome.index[outcome.isna() | ~outcome.fillna(True)]:
            reasons[index].append(_reason(rule, outcome[index], details[index]))
    result["eligible"] = (result[[rule_column(r.id) for r in call.rules]] == PASS).all(axis=1)
    result["ineligibility_reasons"] = reasons.map("; ".join)
    return result


def _outcome_labels(outcome: pd.Series) -> pd.Series:
    labels = pd.Series(NOT_STATED, index=outcome.index, dtype="string")
    labels[outcome.fillna(False).astype(bool)] = PASS
    labels[~outcome.fillna(True).astype(bool)] = FAIL
    return labels


def _reason(rule: Rule, outcome, detail: str) -> str:
    if outcome is pd.NA:
        return f"{rule.id} could not be checked: {detail} [{rule.reference}]"
    return f"{rule.fails_as}: {detail} [{rule.reference}]"


def _evaluate(cond: Condition, frame: pd.DataFrame, call: Call) -> tuple[pd.Series, pd.Series]:
    """(outcome as nullable boolean, what failed or was missing, in words) for every row."""
    if cond.field is not None:
        return _evaluate_leaf(cond, frame, call)
    children = [_evaluate(child, frame, call) for child in (cond.all or cond.any)]
    outcome = children[0][0]
    for child_outcome, _ in children[1:]:
        outcome = (outcome & child_outcome) if cond.all else (outcome | child_outcome)
    # Explain with the children that gave the result: for a failed `all`, its failed children;
    # for a failed `any`, all of them (none passed); for "not stated", the unstated ones.
    details = pd.Series("", index=frame.index, dtype=object)
    for index in outcome.index[outcome.isna() | ~outcome.fillna(True)]:
        wanted = outcome[index]
        parts = [
            child_details[index]
            for child_outcome, child_details in children
            if _same(child_outcome[index], wanted)
        ]
        details[index] = " and ".join(dict.fromkeys(p for p in parts if p))
    return outcome, details


def _same(a, b) -> bool:
    return (a is pd.NA and b is pd.NA) or (a is not pd.NA and b is not pd.NA and bool(a) == bool(b))


def _evaluate_leaf(cond: Condition, frame: pd.DataFrame, call: Call) -> tuple[pd.Series, pd.Series]:
    spec = vocab.FIELDS[cond.field]
    operator = vocab.OPERATORS[cond.op]
    value = call.call_value(cond.value_from) if cond.value_from else cond.value
    column = frame[cond.field]
    outcome = operator.test(column, value)
    wants = operator.wants.format(value=_show(value))
    details = pd.Series("", index=frame.index, dtype=object)
    for index in outcome.index[outcome.isna()]:
        details[index] = f"{spec.label} not stated"
    for index in outcome.index[~outcome.fillna(True).astype(bool)]:
        details[index] = f"{spec.label}: {_show(column[index])} (needs {wants})"
    return outcome, details


def _show(value) -> str:
    """A value as a reason shows it: yes/no, whole numbers without '.0', dates in UTC."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_show(v) for v in value)
    if hasattr(value, "strftime"):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
