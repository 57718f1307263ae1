"""Minimum qualifications: one result per rule and applicant, and why, as reasons (`dtc_select.reasons`).

Each rule of the call file is a condition tree evaluated over whole columns with three-valued
(Kleene) logic: pass, fail, or not stated. pandas' nullable booleans implement exactly that logic
with `&` and `|`, so a missing answer never silently becomes "false": an applicant who did not
state something is ineligible for that reason, and its reasons say "not stated", not "no".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dtc_select.call import vocabulary as vocab
from dtc_select.call.model import Call, Condition, Rule
from dtc_select.reasons.model import Reason, plain, reason

PASS, FAIL, NOT_STATED = "pass", "fail", "not_stated"


def rule_column(rule_id: str) -> str:
    """The decisions column that holds one rule's result."""
    return f"rule_{rule_id}"


def evaluate_eligibility(applications: pd.DataFrame, call: Call) -> pd.DataFrame:
    """Per-rule results (`rule_<id>`: pass/fail/not_stated), `eligible` and the reasons.

    `applications` holds the contract's columns plus the host facts (`host_is_ldc`, ...).
    `eligibility_reasons` holds, per application, the list of `Reason`s of the rules it failed or
    could not be checked against (empty when eligible). The result has the same index as
    `applications`. Applicants that fail a rule alike share one Reason object (`_rule_cells`).
    """
    result = pd.DataFrame(index=applications.index)
    failed = np.zeros(len(applications), dtype=bool)
    why: list[list[Reason]] = [[] for _ in range(len(applications))]
    for rule in call.rules:
        labels, cells, not_passed = _rule_cells(rule, applications, call)
        result[rule_column(rule.id)] = labels
        failed |= not_passed
        for i in np.flatnonzero(not_passed):
            why[i].append(cells[i][1])
    result["eligible"] = ~failed
    result["eligibility_reasons"] = why
    return result


def rule_reasons(applications: pd.DataFrame, call: Call) -> pd.DataFrame:
    """One column per rule id holding (result, Reason or None on a pass) per application.

    A failed rule is `rule.failed` with the facts that failed it (field, operator, the rule's
    value, the applicant's answer); a rule that could not be checked is `rule.not_stated` with
    the fields the applicant did not state."""
    result = pd.DataFrame(index=applications.index)
    for rule in call.rules:
        result[rule.id] = _rule_cells(rule, applications, call)[1]
    return result


_PASSED = (PASS, None)


def _rule_cells(rule: Rule, applications: pd.DataFrame, call: Call) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One rule over every application, by position: its labels, its (result, Reason or None)
    cells and where it did not pass. A large call's applicants fail a rule in a handful of ways:
    one cell and one Reason per distinct way (worded once downstream, `Renderer.rows`), not one
    per applicant."""
    outcome, details = _evaluate(rule.condition, applications, call)
    known, passed = _known_and_value(outcome)
    labels = np.full(len(outcome), PASS, dtype=object)
    cells = np.empty(len(outcome), dtype=object)
    cells.fill(_PASSED)
    not_passed = ~(known & passed)
    shared: dict[tuple, tuple] = {}
    for i in np.flatnonzero(not_passed):
        unstated = not known[i]
        cell = shared.get((unstated, details[i]))
        if cell is None:
            cell = shared[(unstated, details[i])] = (NOT_STATED if unstated else FAIL,
                                                     _reason(rule, unstated, details[i]))
        labels[i], cells[i] = cell[0], cell
    return labels, cells, not_passed


def _reason(rule: Rule, unstated: bool, facts: tuple) -> Reason:
    listed = [{"field": f[0]} if len(f) == 1 else {"field": f[0], "op": f[1], "value": _listed(f[2]), "answer": _listed(f[3])}
              for f in facts]
    if unstated:
        return reason("rule.not_stated", rule=rule.id, facts=listed)
    return reason("rule.failed", rule=rule.id, facts=listed)


# Outcomes are nullable booleans over whole columns; the details (the facts that failed or were
# missing) are an object array by position, filled only where a rule did not pass: a pandas item
# assignment per row cost seconds per hundred thousand applicants. A fact is a tuple, so that
# the same fact met twice in a tree is named once: (field,) when not stated, else
# (field, operator, the rule's value, the answer).
def _evaluate(cond: Condition, frame: pd.DataFrame, call: Call) -> tuple[pd.Series, np.ndarray]:
    """(outcome as nullable boolean, the facts that failed or were missing, by position)."""
    if cond.field is not None:
        return _evaluate_leaf(cond, frame, call)
    children = [_evaluate(child, frame, call) for child in (cond.all or cond.any)]
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
    details = _no_facts(len(frame))
    merged: dict[tuple, tuple] = {}  # the children's facts -> their facts once each, per distinct case
    for i in np.flatnonzero(~known | ~value):
        given = tuple(child_details[i] for same, child_details in alike if same[i])
        facts = merged.get(given)
        if facts is None:
            facts = merged[given] = tuple(dict.fromkeys(f for child in given for f in child))
        details[i] = facts
    return outcome, details


def _known_and_value(outcome: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    return outcome.notna().to_numpy(), outcome.fillna(False).to_numpy(dtype=bool)


def _evaluate_leaf(cond: Condition, frame: pd.DataFrame, call: Call) -> tuple[pd.Series, np.ndarray]:
    operator = vocab.OPERATORS[cond.op]
    value = call.call_value(cond.value_from) if cond.value_from else cond.value
    column = frame[cond.field]
    outcome = operator.test(column, value)
    wanted = _hashable(plain(value))
    known, passed = _known_and_value(outcome)
    details = _no_facts(len(frame))
    unstated = ((cond.field,),)
    for i in np.flatnonzero(~known):
        details[i] = unstated
    failed = np.flatnonzero(known & ~passed)
    answers = column.take(failed).to_numpy(dtype=object)  # plain() makes numpy and Python scalars alike
    facts: dict[tuple, tuple] = {}  # one fact per distinct answer (by type: True == 1 == 1.0)
    for i, answer in zip(failed, answers):
        try:
            fact = facts.get((type(answer), answer))
        except TypeError:  # an unhashable answer: its own fact
            fact = None
        if fact is None:
            fact = ((cond.field, cond.op, wanted, _hashable(plain(answer))),)
            try:
                facts[(type(answer), answer)] = fact
            except TypeError:
                pass
        details[i] = fact
    return outcome, details


def _no_facts(n: int) -> np.ndarray:
    details = np.empty(n, dtype=object)
    details.fill(())
    return details


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _listed(value):
    return list(value) if isinstance(value, tuple) else value
