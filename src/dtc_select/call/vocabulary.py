"""The vocabulary call files may use: kinds of field, operators, tie-break keys, methods.

Declared in code so that a call file naming something unknown fails when it loads (business-rules'
flaw was to fail late). Operators work on whole columns and return a nullable boolean: <NA> means
"not stated", which a rule reports as such rather than as a failure of the applicant.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from dtc_select.call.limits import check_date

REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")
REGION_NAMES = {
    "AFR": "Africa",
    "AMS": "Americas",
    "ARB": "Arab States",
    "ASP": "Asia-Pacific",
    "CIS": "CIS",
    "EUR": "Europe",
}


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # boolean | number | choice | date | text | country (text and country: no operator)
    label: str  # how a reason names it, in plain words
    from_application: bool = True
    choices: tuple[str, ...] = ()


def _derived(kind: str, label: str, choices: tuple[str, ...] = ()) -> FieldSpec:
    return FieldSpec(kind, label, False, choices)


# Facts every call may name besides its form's fields: derived from the host country and the
# shipped reference tables, as of the call's date. The form's own fields are the call's (form.py).
DERIVED_FIELDS: dict[str, FieldSpec] = {
    "host_is_ldc": _derived("boolean", "host country is a least developed country"),
    "host_development": _derived("choice", "host country's development status", ("developing", "developed")),
    "host_region": _derived("choice", "ITU-D region", REGIONS),
    "presence": _derived("boolean", "ITU or Cisco presence in the host country"),
}


@dataclass(frozen=True)
class Operator:
    kinds: frozenset[str]
    takes_value: bool
    test: Callable[[pd.Series, Any], pd.Series]  # -> nullable boolean; <NA> where not stated
    wants: str  # how a reason says what was needed, e.g. "at least {value}"


def _na_aware(func: Callable[[pd.Series, Any], pd.Series]) -> Callable[[pd.Series, Any], pd.Series]:
    def test(column: pd.Series, value: Any) -> pd.Series:
        result = pd.Series(func(column, value), index=column.index, dtype="boolean")
        return result.mask(column.isna())

    return test


def _as_utc(value: Any) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


OPERATORS: dict[str, Operator] = {
    "is_true": Operator(frozenset({"boolean"}), False, _na_aware(lambda c, v: c.fillna(False).astype(bool)), "yes"),
    "is_false": Operator(frozenset({"boolean"}), False, _na_aware(lambda c, v: ~c.fillna(True).astype(bool)), "no"),
    "equals": Operator(frozenset({"choice"}), True, _na_aware(lambda c, v: c == v), "{value}"),
    "not_equals": Operator(frozenset({"choice"}), True, _na_aware(lambda c, v: c != v), "not {value}"),
    "in": Operator(frozenset({"choice"}), True, _na_aware(lambda c, v: c.isin(list(v))), "one of {value}"),
    "not_in": Operator(frozenset({"choice"}), True, _na_aware(lambda c, v: ~c.isin(list(v))), "none of {value}"),
    "at_least": Operator(frozenset({"number"}), True, _na_aware(lambda c, v: c.astype("Float64") >= v), "at least {value}"),
    "at_most": Operator(frozenset({"number"}), True, _na_aware(lambda c, v: c.astype("Float64") <= v), "at most {value}"),
    "on_or_before": Operator(frozenset({"date"}), True, _na_aware(lambda c, v: c <= _as_utc(v)), "on or before {value}"),
}

CALL_VALUES = ("deadline",)

# Keys the scoring stage can order ties by; the chain must end with application_id.
TIE_BREAK_KEYS = ("merit_score", "reviewer_mean", "host_is_ldc", "submitted_at", "application_id")

RANKING_METHODS = ("weighted_sum", "topsis", "vikor")

# How a region's need is computed (dtc_select.seats.needs) and how the presence priority is applied.
NEED_FORMULAS = ("offline_share_x_eligible_share", "ldc_count", "people_offline_in_ldcs", "explicit")
PRESENCE_METHODS = ("bonus", "tie_break", "quota", "none")


def check_value(field: str, spec: FieldSpec, op: str, value: Any) -> None:
    """Raise ValueError when a rule's value does not fit its field (checked at load time)."""
    if op in {"in", "not_in"}:
        if not isinstance(value, list) or not value:
            raise ValueError(f"op {op!r} needs a non-empty list")
        values = value
    else:
        values = [value]
    for item in values:
        if spec.kind == "choice" and item not in spec.choices:
            raise ValueError(f"{item!r} is not a value of {field!r}; known: {', '.join(spec.choices)}")
        if spec.kind == "number" and (isinstance(item, bool) or not isinstance(item, (int, float))):
            raise ValueError(f"{field!r} is compared with a number, not {item!r}")
        if spec.kind == "number" and isinstance(item, float) and not math.isfinite(item):
            raise ValueError(f"{field!r} is compared with a finite number, not {item!r}")
        if spec.kind == "date" and not isinstance(item, (dt.date, dt.datetime)):
            raise ValueError(f"{field!r} is compared with a date (YYYY-MM-DD), not {item!r}")
        if spec.kind == "date":
            check_date(item)  # pandas holds dates from 1677 to 2262 only; a far year is a typo
