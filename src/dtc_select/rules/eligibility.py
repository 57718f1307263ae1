"""Minimum qualifications: one result per rule and applicant, and the reasons in plain words.

Each rule of the call file is a condition tree evaluated over whole columns with three-valued
(Kleene) logic: pass, fail, or not stated. pandas' nullable booleans implement exactly that logic
with `&` and `|`, so a missing answer never silently becomes "false": an applicant who did not
state something is ineligible for that reason, and its reasons say "not stated", not "no".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from dtc_select.call import vocabulary as vocab
from dtc_select.call.model import Call, Condition, Rule

PASS, FAIL, NOT_STATED = "pass", "fail", "not_stated"


@dataclass(frozen=True)
class Words:
    """How reasons are worded. decisions.csv always uses ENGLISH; the report passes French words
    (i18n.py) to say the same thing in French from the same evaluation, so no decision changes."""

    label: Callable[[str], str]  # field -> how a reason names it
    wants: Callable[[str], str]  # operator -> what it needs, with {value}
    show: Callable[[object], str]  # an answer or a rule's value, as text
    not_stated: str = "{label} not stated"
    failed: str = "{label}: {value} (needs {wants})"
    joined: str = " and "
    fails: str = "{fails_as}: {detail} [{reference}]"
    cannot_check: str = "{rule} could not be checked: {detail} [{reference}]"
    fails_as: Callable[[Rule], str] = lambda rule: rule.fails_as
    reference: Callable[[Rule], str] = lambda rule: rule.reference


def rule_column(rule_id: str) -> str:
    """The decisions column that holds one rule's result."""
    return f"rule_{rule_id}"


def evaluate_eligibility(applications: pd.DataFrame, call: Call) -> pd.DataFrame:
    """Per-rule results (`rule_<id>`: pass/fail/not_stated), `eligible` and the reasons.

    `applications` holds the contract's columns plus the host facts (`host_is_ldc`, ...).
    The result has the same index as `applications`.
    """
    result = pd.DataFrame(index=applications.index)
    explained = rule_reasons(applications, call)
    for rule in call.rules:
        result[rule_column(rule.id)] = explained[rule.id].map(lambda r: r[0])
    result["eligible"] = (result[[rule_column(r.id) for r in call.rules]] == PASS).all(axis=1)
    result["ineligibility_reasons"] = [
        "; ".join(text for _, text in row if text) for row in explained.itertuples(index=False)
    ]
    return result


def rule_reasons(applications: pd.DataFrame, call: Call, words: Words | None = None) -> pd.DataFrame:
    """One column per rule id holding (result, reason) per application; the reason is "" on a pass."""
    words = words or ENGLISH
    result = pd.DataFrame(index=applications.index)
    for rule in call.rules:
        outcome, details = _evaluate(rule.condition, applications, call, words)
        unstated = outcome.isna().to_numpy()
        result[rule.id] = [
            (label, "" if label == PASS else _reason(rule, unstated[i], details[i], words))
            for i, label in enumerate(_outcome_labels(outcome))
        ]
    return result


def _outcome_labels(outcome: pd.Series) -> pd.Series:
    labels = pd.Series(NOT_STATED, index=outcome.index, dtype="string")
    labels[outcome.fillna(False).astype(bool)] = PASS
    labels[~outcome.fillna(True).astype(bool)] = FAIL
    return labels


def _reason(rule: Rule, unstated: bool, detail: str, words: Words) -> str:
    template = words.cannot_check if unstated else words.fails
    return template.format(rule=rule.id, fails_as=words.fails_as(rule), detail=detail, reference=words.reference(rule))


# Outcomes are nullable booleans over whole columns; the details (what failed or was missing, in
# words) are an object array by position, filled only where a rule did not pass: a pandas item
# assignment per row cost seconds per hundred thousand applicants.
def _evaluate(cond: Condition, frame: pd.DataFrame, call: Call, words: Words) -> tuple[pd.Series, np.ndarray]:
    """(outcome as nullable boolean, what failed or was missing, in words, by position)."""
    if cond.field is not None:
        return _evaluate_leaf(cond, frame, call, words)
    children = [_evaluate(child, frame, call, words) for child in (cond.all or cond.any)]
    outcome = children[0][0]
    for child_outcome, _ in children[1:]:
        outcome = (outcome & child_outcome) if cond.all else (outcome | child_outcome)
    # Explain with the children that gave the result: for a failed `all`, its failed children;
    # for a failed `any`, all of them (none passed); for "not stated", the unstated ones.
    known, value = _known_and_value(outcome)
    alike = []
    for child_outcome, child_details in children:
        child_known, child_value = _known_and_value(child_outcome)
        alike.append(((~known & ~child_known) | (known & child_known & (value == child_value)), child_details))
    details = np.full(len(frame), "", dtype=object)
    for i in np.flatnonzero(~known | ~value):
        parts = [child_details[i] for same, child_details in alike if same[i]]
        details[i] = words.joined.join(dict.fromkeys(p for p in parts if p))
    return outcome, details


def _known_and_value(outcome: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    return outcome.notna().to_numpy(), outcome.fillna(False).to_numpy(dtype=bool)


def _evaluate_leaf(cond: Condition, frame: pd.DataFrame, call: Call, words: Words) -> tuple[pd.Series, np.ndarray]:
    operator = vocab.OPERATORS[cond.op]
    value = call.call_value(cond.value_from) if cond.value_from else cond.value
    column = frame[cond.field]
    outcome = operator.test(column, value)
    label = words.label(cond.field)
    wants = words.wants(cond.op).format(value=words.show(value))
    known, passed = _known_and_value(outcome)
    details = np.full(len(frame), "", dtype=object)
    details[~known] = words.not_stated.format(label=label)
    answers = column.array  # its items are what column[label] gives
    for i in np.flatnonzero(known & ~passed):
        details[i] = words.failed.format(label=label, value=words.show(answers[i]), wants=wants)
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


ENGLISH = Words(label=lambda field: vocab.FIELDS[field].label, wants=lambda op: vocab.OPERATORS[op].wants, show=_show)
