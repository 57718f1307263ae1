"""Intake: rows of a read table become taken-in applications or quarantined rows; nothing is lost.

`read_table` (reading.py, re-exported here) turns a file into text cells under the contract's
column names. `take_in` parses the applications (parsing.py), collects every problem of every
row, validates the parsed rows with `schemas.applications_schema(form)` (the call's form), and splits the rows into
taken-in applications and quarantined rows: len(applications) + len(quarantine) == rows read.
`scores.take_in_scores` does the same for reviewer scores (contract §2), with the helpers here.

Decisions, so that they are stated once:
- Cells are read as text with surrounding spaces removed; empty or blank cells are <NA>.
- Duplicate application_id (compared after trimming spaces, case kept): the first row is taken in
  if it is otherwise valid; every later row with the same id is quarantined, even when the first
  row is itself quarantined. A later row is never promoted in its place: which row is right is
  for the applicant to say.
- The same institution in the same country under two ids (names compared without case, accents,
  punctuation or spacing) is not a reading problem: both are taken in, and each names the others
  in `possible_duplicate_of`, for the committee to check.
- An input column named like a column intake adds (`source_row`, `country_iso3`) is kept as an
  extra column prefixed with `input_`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa

from dtc_select.intake import parsing as p
from dtc_select.intake.dates import ColumnDateOrder, IntakeNotice, parse_date_column
from dtc_select.errors import InputFileError
from dtc_select.intake.reading import RawTable, read_table
from dtc_select.intake.schemas import applications_schema, failures_by_row

__all__ = ["RawTable", "read_table", "Intake", "take_in"]

_KINDS: dict[str, tuple[p.Parser | None, str]] = {  # kind -> (parser, dtype); choices: _field_parser
    "text": (None, "string"),
    "country": (None, "string"),
    "boolean": (p.parse_boolean, "boolean"),
    "integer": (p.parse_integer, "Int64"),
    "number": (p.parse_number, "Float64"),
}

# Columns intake and the later stages add to each application. An extra input column with one of
# these names (a spreadsheet's own "status" or "score" column, say) is kept as `input_<name>`,
# so it can never be mistaken for, or collide with, what dtc-select computed.
ADDED_COLUMNS = frozenset({
    "source_row", "country_iso3", "country_name", "region", "host_is_ldc", "host_development",
    "host_region", "itu_office", "presence", "eligible", "eligibility_reasons", "reason_data", "tie_reasons", "scoring_reasons",
    "counterfactual_reasons", "stability_reasons", "reviewer_mean",
    "reviewers", "merit_score", "priority_bonus", "score", "rank", "tie_break_note", "status",
    "region_rank", "reserve_position", "seat_source", "reasons", "possible_duplicate_of", "reviewer_mean_raw",
    "reviewer_disagreement", "disagreement_flagged", "missing_reviewer_criteria",
    "selection_probability", "margin_to_cutoff", "reason_codes",
})
ADDED_PREFIXES = ("rule_", "criterion_", "input_")


def _kept_name(column: str) -> str:
    return f"input_{column}" if column in ADDED_COLUMNS or column.startswith(ADDED_PREFIXES) else column


EMPTY_ROW = "the row is empty"
DUPLICATES_LISTED = 10
MAPPING_HINT = ("a form's own headers can be mapped to the form's fields in the call file, under the field's "
                "headers or intake.column_names")


@dataclass(frozen=True)
class Intake:
    applications: pd.DataFrame
    quarantine: pd.DataFrame
    extra_columns: tuple[str, ...]
    # How each date column was ordered (dates.py), and what the run should say about it.
    date_orders: tuple[ColumnDateOrder, ...] = ()

    @property
    def notices(self) -> tuple[IntakeNotice, ...]:
        return tuple(found.notice for found in self.date_orders if found.notice is not None)


# --- taking in -----------------------------------------------------------------------------------

def _texts(raw: RawTable, column: str) -> pd.Series:
    """A column as stripped text with <NA> for empty cells."""
    if raw.clean:
        return raw.frame[column].rename(None)  # as clean_text gives it: unnamed
    return p.clean_text(raw.frame[column].to_numpy(dtype=object, na_value=None)).set_axis(raw.frame.index)


def _check_columns(raw: RawTable, required: Collection[str], known: Collection[str]) -> None:
    """Every problem of the header row at once: a contract column given by several columns, and
    all the missing required columns with the headers that were not recognised."""
    problems = [f"several columns mean {name!r} (columns {', '.join(where)}): keep one"
                for name, where in raw.repeated_headers.items() if name in known]
    missing = [c for c in required if c not in raw.frame.columns]
    if missing:
        unknown = [raw.headers.get(c, c) for c in raw.frame.columns if c not in known]
        shown = ", ".join(p.quote(h, 40) for h in unknown[:6]) + (", …" if len(unknown) > 6 else "")
        hint = f" (headers not recognised: {shown}; {MAPPING_HINT})" if unknown else ""
        problems.append(f"missing required columns: {', '.join(missing)}{hint}")
    if problems:
        raise InputFileError(raw.path, "; ".join(problems))


def _start(raw: RawTable, required: Collection[str], known: Collection[str]):
    """Check the columns; then every column as clean text, source_row, and whole-row problems."""
    _check_columns(raw, required, known)
    texts = {column: _texts(raw, column) for column in raw.frame.columns}
    source_row = pd.Series(np.arange(1, len(raw.frame) + 1, dtype="int64"), index=raw.frame.index)
    return texts, source_row, *_row_problems(raw, texts)


def _column(texts: dict[str, pd.Series], column: str, index: pd.Index) -> pd.Series:
    return texts[column] if column in texts else pd.Series(pd.NA, index=index, dtype="string")


def _row_problems(raw: RawTable, texts: dict[str, pd.Series]) -> tuple[pd.Series, pd.Series]:
    """(empty rows, problems of the row as a whole: empty, too many cells, cut short)."""
    index = raw.frame.index
    empty = pd.Series(True, index=index)
    for column in texts.values():
        empty &= column.isna().astype(bool)
    problems = pd.Series(None, index=index, dtype=object)
    problems[empty] = EMPTY_ROW
    for number, problem in raw.row_problems.items():
        problems.iloc[int(number) - 1] = problem
    return empty, problems


def _field_parser(field) -> tuple[p.Parser | None, str]:
    """How one field of the call's form is read: its kind's parser, its listed values (each also
    under its labels in either language), its bounds."""
    if field.kind == "choice":
        return p.choice_parser([v.value for v in field.values],
                               {p.header_key(spelling): v.value for v in field.values
                                for spelling in (v.label, v.label_fr, *v.also)}), "string"
    parser, dtype = _KINDS[field.kind]
    if parser is None or (field.minimum is None and field.maximum is None):
        return parser, dtype

    def bounded(text: str):
        value, problem = parser(text)
        if value is not None and field.minimum is not None and value < field.minimum:
            return None, f"is below the minimum {field.minimum:g}"
        if value is not None and field.maximum is not None and value > field.maximum:
            return None, f"is above the maximum {field.maximum:g}"
        return value, problem

    return bounded, dtype


def _parse(texts: pd.Series, field, distinct: tuple[np.ndarray, list] | None = None) -> tuple[pd.Series, pd.Series]:
    """`distinct`: the reader's (codes, distinct texts) of `texts`, when it kept them (not hashed again)."""
    parser, dtype = _field_parser(field)
    if distinct is not None:
        return p.parse_distinct(field.id, *distinct, parser, required=field.required, dtype=dtype, index=texts.index)
    return p.parse_column(field.id, texts, parser, required=field.required, dtype=dtype)


def _duplicate_ids(ids: pd.Series, source_row: pd.Series) -> pd.Series:
    first = p.first_seen(ids, source_row)
    problems = pd.Series(None, index=ids.index, dtype=object)
    for index in ids.index[first.notna().astype(bool)]:
        problems[index] = (f"duplicate application_id {p.quote(ids[index])} "
                           f"(first seen in row {first[index]})")
    return problems


def _check_nothing_lost(raw: RawTable, taken: int, set_aside: int) -> None:
    if taken + set_aside != len(raw.frame):  # pragma: no cover - a bug, never a user error
        raise RuntimeError(f"{raw.path}: {len(raw.frame)} rows read but {taken} taken in and "
                           f"{set_aside} set aside")


def _validate(typed: pd.DataFrame, ok: pd.Series, schema, problems: pd.Series) -> pd.Series:
    """Validate the rows that parsed; rows failing a check get its words as their problem."""
    try:
        schema.validate(typed[ok], lazy=True)
    except pa.errors.SchemaErrors as errors:
        by_row, whole = failures_by_row(errors)
        if whole:  # a column-wide failure means the parser produced a wrong type: a bug
            name = getattr(schema, "__name__", None) or schema.name
            raise RuntimeError(f"{name}: {'; '.join(whole)}") from None
        problems = problems.copy()
        for index, words in by_row.items():
            problems[index] = "; ".join(words)
    return problems


def _quarantine(source_row: pd.Series, ids: pd.Series, problems: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({
        "source_row": source_row.astype("int64"),
        "application_id": ids.astype("string"),
        "problems": problems.astype("string"),
    }).reset_index(drop=True)


def take_in(raw: RawTable, resolve_country: Callable[[pd.Series], pd.Series], form, *,
            date_order: str | None = None) -> Intake:
    """Parse and validate the applications against the call's `form` (call/form.py); split rows
    into taken in and quarantined.

    `date_order` (parsing.DAY_FIRST or MONTH_FIRST) is the call's declared order of day/month/year
    dates; without it each date column is read in the order its own dates prove (dates.py)."""
    fields = {f.id: f for f in form.fields}
    texts, source_row, empty, row_problems = _start(raw, [f.id for f in form.fields if f.required], fields)
    frame = raw.frame
    index = frame.index
    typed = pd.DataFrame({"source_row": source_row}, index=index)
    problems = [row_problems]
    date_orders, iso3 = [], {}
    for column, field in fields.items():
        if field.kind == "date":
            typed[column], problem, found = parse_date_column(column, _column(texts, column, index),
                                                              required=field.required, declared=date_order)
            date_orders.append(found)
        else:
            typed[column], problem = _parse(_column(texts, column, index), field, raw.distinct.get(column))
        problems.append(problem)
        if column == "application_id":
            problems.append(_duplicate_ids(typed[column], source_row))
        if field.kind == "country":
            iso3[f"{column}_iso3"], problem = _resolve(typed[column], resolve_country, column)
            problems.append(problem)
    for column, codes in iso3.items():
        typed[column] = codes
    extras = [c for c in frame.columns if c not in fields]
    for column in extras:
        typed[_kept_name(column)] = texts[column]
    extra_columns = tuple(_kept_name(c) for c in extras)
    words = p.join_problems(problems, index).where(~empty, EMPTY_ROW)
    words = _validate(typed, words.eq(""), applications_schema(form), words)
    ok = words.eq("").astype(bool)
    applications = typed[ok].reset_index(drop=True)
    applications.insert(applications.columns.get_loc("country_iso3") + 1, "possible_duplicate_of",
                        possible_duplicates(applications))
    quarantine = _quarantine(source_row[~ok], typed.loc[~ok, "application_id"], words[~ok])
    _check_nothing_lost(raw, len(applications), len(quarantine))
    return Intake(applications, quarantine, extra_columns, tuple(date_orders))


def possible_duplicates(applications: pd.DataFrame) -> pd.Series:
    """Per application: the ids of the others with the same institution in the same country
    (names compared without case, accents, punctuation or spacing), sorted and joined with "; ";
    <NA> when there is none. Sorted by id, so the input's row order changes nothing. At most
    `DUPLICATES_LISTED` ids are listed, then how many more: a file of many copies stays readable."""
    names = applications["institution_name"]
    folded = {name: p.institution_key(name) for name in names.unique()}
    keys = names.map(folded) + "|" + applications["country_iso3"]
    others = np.full(len(applications), None, dtype=object)
    shared = keys.duplicated(keep=False).to_numpy(dtype=bool)  # only these have others to list
    ids = applications["application_id"][shared]
    groups = {key: sorted(group) for key, group in ids.groupby(keys[shared], sort=False)}
    for row, key, app_id in zip(np.flatnonzero(shared), keys[shared].tolist(), ids.tolist()):
        group = groups[key]
        listed = [i for i in group[: DUPLICATES_LISTED + 1] if i != app_id][:DUPLICATES_LISTED]
        more = len(group) - 1 - len(listed)
        others[row] = "; ".join(listed) + (f"; and {more} more" if more else "") if listed else None
    return pd.Series(pd.array(others, dtype="string"), index=applications.index)


def _resolve(country: pd.Series, resolve_country, column: str = "country") -> tuple[pd.Series, pd.Series]:
    """ISO3 codes for the stated countries; a problem where a stated country is not recognised."""
    stated = country.dropna()
    iso3 = pd.Series(pd.NA, index=country.index, dtype="string")
    if len(stated):
        found = pd.Series(resolve_country(stated))
        if len(found) != len(stated):
            raise RuntimeError("resolve_country must return one value per country given")
        iso3[stated.index] = pd.array(found.to_numpy(dtype=object), dtype="string")
    problem = pd.Series(None, index=country.index, dtype=object)
    unresolved = country.notna() & iso3.isna()
    for index in country.index[unresolved.astype(bool)]:
        problem[index] = f"{column} {p.quote(country[index])} is not a recognised country name or ISO code"
    return iso3, problem
