"""pandera models of the contract's tables: the guarantee at each boundary.

The applications' schema is built from the call's form (`applications_schema`): each call asks
its own questions. The other tables are the contract's, the same for every call.

Input tables are parsed first (intake.py, parsing.py) and only then validated here, so these
models check typed values: a cell that could not be read never reaches them, and a failure here
means a row that slipped through the parser, which intake then quarantines with the check's name.
Output tables (decisions, quarantine) are checked before anything is written.

All models allow extra columns (strict=False) and never coerce: they check, they do not convert.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from dtc_select.intake.parsing import quote
from dtc_select.call.vocabulary import REGIONS

STATUSES = ("selected", "reserve", "not_selected", "ineligible")

_Text = Series[pd.StringDtype]
_Bool = Series[pd.BooleanDtype]
_Int = Series[pd.Int64Dtype]
_Float = Series[pd.Float64Dtype]


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _per_distinct(series: pd.Series, test) -> pd.Series:
    """`test` of each cell, tried once per distinct value (100,000 decisions repeat their reasons)."""
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    results = np.array([bool(test(value)) for value in uniques] + [bool(test(None))], dtype=bool)
    return pd.Series(results[np.where(codes == -1, len(uniques), codes)], index=series.index)


def _is_text_or_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) \
        or _is_text(value)


def _utc_datetime(series: pd.Series) -> bool:
    dtype = series.dtype
    return isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC"


class _Config:
    strict = False
    coerce = False


_DTYPES = {"text": pd.StringDtype(), "country": pd.StringDtype(), "choice": pd.StringDtype(),
           "boolean": pd.BooleanDtype(), "integer": pd.Int64Dtype(), "number": pd.Float64Dtype()}


def _utc_check() -> pa.Check:
    return pa.Check(_utc_datetime, name="UTC date-time column", element_wise=False)


def _whole(bound: float) -> float | int:
    """A bound as the check's name shows it: 0, not 0.0."""
    return int(bound) if float(bound).is_integer() else bound


def applications_schema(form) -> pa.DataFrameSchema:
    """Taken-in applications, parsed: one row per application, a column per field of the call's
    form (call/form.py) in its order, then the ISO3 code of each country field."""
    columns = {"source_row": pa.Column(int, pa.Check.ge(1), unique=True)}
    iso3 = {}
    for field in form.fields:
        checks, nullable = [], not field.required
        if field.kind in ("text", "country") and field.required:
            checks.append(pa.Check.str_length(min_value=1))
        if field.kind == "choice":
            checks.append(pa.Check.isin([v.value for v in field.values]))
        if field.minimum is not None:
            checks.append(pa.Check.ge(_whole(field.minimum)))
        if field.maximum is not None:
            checks.append(pa.Check.le(_whole(field.maximum)))
        if field.kind == "date":
            # Any unit (pandas 3 picks one from the input), always UTC.
            checks.append(_utc_check())
            columns[field.id] = pa.Column(None, checks, nullable=nullable)
        else:
            columns[field.id] = pa.Column(_DTYPES[field.kind], checks, nullable=nullable,
                                          unique=field.id == "application_id")
        if field.kind == "country":
            iso3[f"{field.id}_iso3"] = pa.Column(pd.StringDtype(), pa.Check.str_matches(r"^[A-Z]{3}$"),
                                                 nullable=nullable)
    return pa.DataFrameSchema({**columns, **iso3}, strict=False, coerce=False, name="ApplicationsSchema")


class ScoresSchema(pa.DataFrameModel):
    """Reviewer scores taken in (contract §2), one row per score."""

    application_id: _Text = pa.Field(str_length={"min_value": 1})
    reviewer_id: _Text = pa.Field(str_length={"min_value": 1})
    criterion: _Text = pa.Field(str_length={"min_value": 1})
    score: Series[float] = pa.Field(nullable=False)
    comment: _Text = pa.Field(nullable=True)
    conflict_of_interest: _Bool = pa.Field(nullable=True)
    source_row: Series[int] = pa.Field(ge=1, unique=True)

    Config = _Config

    @pa.check("score", name="finite number")
    def _score_finite(cls, series: pd.Series) -> pd.Series:
        return pd.Series(np.isfinite(series.to_numpy(dtype=float)), index=series.index)


class DecisionsSchema(pa.DataFrameModel):
    """decisions.csv (contract §5): one row per taken-in application."""

    application_id: Series[Any] = pa.Field(unique=True)
    institution_name: Series[Any]
    country_iso3: Series[Any] = pa.Field(str_matches=r"^[A-Z]{3}$")
    region: Series[Any] = pa.Field(isin=REGIONS)
    status: Series[Any] = pa.Field(isin=STATUSES)
    score: Series[Any] = pa.Field(nullable=True)
    rank: _Int = pa.Field(ge=1, nullable=True)
    reasons: Series[Any]

    Config = _Config

    @pa.check("application_id", "institution_name", "reasons", name="non-empty text")
    def _text(cls, series: pd.Series) -> pd.Series:
        return _per_distinct(series, _is_text)

    @pa.check("score", name="float column", element_wise=False)
    def _score_is_float(cls, series: pd.Series) -> bool:
        return pd.api.types.is_float_dtype(series.dtype)

    @pa.check("rank", name="rank unique among ranked rows", element_wise=False)
    def _rank_unique(cls, series: pd.Series) -> pd.Series:
        return ~(series.notna() & series.duplicated(keep=False)).astype(bool)

    @pa.dataframe_check(name="score and rank are empty exactly for ineligible rows")
    def _ineligible_unscored(cls, frame: pd.DataFrame) -> pd.Series:
        # The rules' verdict decides: a committee override (overrides.py) may select an applicant
        # the rules found ineligible, who still has no score or rank.
        status = frame["computed_status"] if "computed_status" in frame else frame["status"]
        ineligible = status.eq("ineligible").astype(bool)
        return (frame["score"].isna().astype(bool) == ineligible) & \
            (frame["rank"].isna().astype(bool) == ineligible)


class QuarantineSchema(pa.DataFrameModel):
    """quarantine.csv (contract §5): one row per input row that could not be taken in."""

    source_row: Series[int] = pa.Field(ge=1, unique=True)
    application_id: Series[Any] = pa.Field(nullable=True)
    problems: Series[Any]

    Config = _Config

    @pa.check("application_id", name="text or empty", element_wise=True)
    def _id_text(cls, value: Any) -> bool:
        return _is_text_or_missing(value)

    @pa.check("problems", name="non-empty text", element_wise=True)
    def _problems_text(cls, value: Any) -> bool:
        return _is_text(value)


def failures_by_row(errors: pa.errors.SchemaErrors) -> tuple[dict[Any, list[str]], list[str]]:
    """Turn a lazy validation's failure cases into plain words.

    Returns ({row label: [problem, ...]}, [problems not tied to a row]). A dataframe-wide check
    yields one failure case per column for the same row: they are merged on (row, check).
    """
    by_row: dict[Any, list[str]] = {}
    whole: list[str] = []
    seen: set[tuple[Any, str]] = set()
    for case in errors.failure_cases.itertuples(index=False):
        index, column, check = case.index, case.column, str(case.check)
        value = case.failure_case
        if index is None or (isinstance(index, float) and math.isnan(index)):
            whole.append(f"{column or 'table'}: fails the check {check} ({value})")
            continue
        key = (index, check if case.schema_context == "DataFrameSchema" else f"{column}:{check}")
        if key in seen:
            continue
        seen.add(key)
        if case.schema_context == "DataFrameSchema":
            by_row.setdefault(index, []).append(f"the row fails the check: {check}")
        elif value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            by_row.setdefault(index, []).append(f"{column} is empty (check: {check})")
        else:
            by_row.setdefault(index, []).append(f"{column} {quote(str(value))} fails the check: {check}")
    return by_row, whole
