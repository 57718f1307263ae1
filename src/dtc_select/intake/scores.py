"""Intake of reviewer scores (contract §2): rows of a read table become usable scores or score
problems; nothing is lost (len(scores) + len(problems) == rows read).

A scores file is long: at 100,000 applicants, 2.4 million rows of a few thousand distinct texts
(ids, reviewers, criteria, marks). So each column is turned into codes of its distinct texts
once, every distinct text is parsed once (parsing.parse_distinct), and the rest (a second score
for the same application, reviewer and criterion) is worked out on those integer codes: no
Python step per row, except for the rows that have a problem to word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection

import numpy as np
import pandas as pd
import pandera.pandas as pa

from dtc_select.intake import parsing as p
from dtc_select.intake.applications import EMPTY_ROW, _check_nothing_lost, _column, _quarantine, _start
from dtc_select.intake.reading import RawTable
from dtc_select.intake.schemas import ScoresSchema, failures_by_row

__all__ = ["ScoresIntake", "take_in_scores", "SCORE_COLUMNS", "REQUIRED_SCORE_COLUMNS"]

SCORE_COLUMNS: tuple[str, ...] = (
    "application_id", "reviewer_id", "criterion", "score", "comment", "conflict_of_interest")
REQUIRED_SCORE_COLUMNS: tuple[str, ...] = ("application_id", "reviewer_id", "criterion", "score")
# The columns that say whose score it is: a second row with the same three is a repeat.
SCORE_KEY = ("application_id", "reviewer_id", "criterion")
CHECKED_ROWS = 250_000  # rows the schema checks at a time (_checked)


@dataclass(frozen=True)
class ScoresIntake:
    scores: pd.DataFrame
    problems: pd.DataFrame


def take_in_scores(raw: RawTable, criterion_ids: Collection[str],
                   scale: tuple[float, float]) -> ScoresIntake:
    """Reviewer scores (contract §2): usable rows in `scores`, the others in `problems`.

    Whether each application_id is a taken-in application is checked later, by the pipeline.
    A second score by the same reviewer for the same application and criterion is a problem.
    """
    texts, source_row, empty, row_problems = _start(raw, REQUIRED_SCORE_COLUMNS, SCORE_COLUMNS)
    index = raw.frame.index
    columns = {  # column: (parser, dtype, required)
        "application_id": (None, "string", True),
        "reviewer_id": (None, "string", True),
        "criterion": (_criterion_parser(tuple(criterion_ids)), "string", True),
        "score": (_score_parser(*scale), "Float64", True),
        "comment": (None, "string", False),
        "conflict_of_interest": (p.parse_boolean, "boolean", False),
    }
    typed = pd.DataFrame(index=index)
    # Per column, each row's position in its distinct problems (the last: an empty cell); the
    # rows with a problem are worded at the end, only they.
    worded: list[tuple[np.ndarray, np.ndarray]] = []
    has_problem = row_problems.notna().to_numpy(dtype=bool, copy=True)
    key_codes, coded = [], []  # coded: each column's per-row codes of its distinct texts (_checked)
    for column, (parser, dtype, required) in columns.items():
        column_texts = _column(texts, column, index)
        codes, uniques = raw.distinct[column] if column in raw.distinct else p.distinct(column_texts)
        values, problems = p.parse_texts(column, uniques, parser, required=required)
        positions = np.where(codes == -1, len(uniques), codes).astype(np.int32 if len(codes) < 2**31 else np.int64)
        del codes
        # A text column is its clean texts as they are: not made again from the distinct ones.
        typed[column] = column_texts if parser is None and dtype == "string" else \
            p.typed_values(values, positions, dtype, index)
        problems = np.array(problems, dtype=object)
        if pd.notna(problems).any():  # a column without a problem needs no positions kept
            has_problem |= pd.notna(problems)[positions]
            worded.append((problems, positions))
        if column in SCORE_KEY:
            key_codes.append(_value_codes(positions, values))
        # The reader's codes when it kept them (no copy held), else these (-1 or the last: empty).
        coded.append(raw.distinct[column][0] if column in raw.distinct else positions)
    typed["score"] = typed["score"].astype("float64")
    typed["source_row"] = source_row
    later, first = p.repeated_codes(_combined_key(key_codes, len(index)), source_row.to_numpy(dtype="int64"))
    del key_codes
    repeats = {}  # by position: a few rows, not a column of 2.4 million
    for row, first_row in zip(later.tolist(), first.tolist()):
        i = index[row]
        repeats[row] = (f"reviewer {p.quote(typed.at[i, 'reviewer_id'])} already scored "
                        f"{typed.at[i, 'criterion']} for application {p.quote(typed.at[i, 'application_id'])} "
                        f"in row {first_row}")
    has_problem[later] = True
    words = _words(has_problem, row_problems.to_numpy(dtype=object), worded, repeats)
    words[empty.to_numpy(dtype=bool)] = EMPTY_ROW
    usable = typed[words == ""]
    del typed, worded
    checked = _checked(usable, words, coded)
    del coded
    if checked is not words:  # a row slipped through the parsers: it leaves the usable rows
        words = checked
        usable = usable[words[usable.index] == ""]
    ok = pd.Series(words == "", index=index)
    problem_frame = _quarantine(source_row[~ok], texts["application_id"][~ok],
                                pd.Series(words, index=index)[~ok])
    _check_nothing_lost(raw, len(usable), len(problem_frame))
    return ScoresIntake(usable.reset_index(drop=True), problem_frame)


def _words(has_problem: np.ndarray, row_problems: np.ndarray, worded: list[tuple[np.ndarray, np.ndarray]],
           repeats: dict[int, str]) -> np.ndarray:
    """Per row, its problems joined with '; ' ('' for none): the row's own, each column's, a repeat."""
    words = np.full(len(has_problem), "", dtype=object)
    for row in np.flatnonzero(has_problem):
        found = [row_problems[row], *(problems[positions[row]] for problems, positions in worded), repeats.get(row)]
        words[row] = "; ".join(x for x in found if isinstance(x, str))
    return words


def _checked(usable: pd.DataFrame, words: np.ndarray, coded: list[np.ndarray]) -> np.ndarray:
    """`words` with the usable rows' schema failures (a row the parsers let through: a bug) added.

    First the schema checks one usable row per distinct text of each column (`_sampled`): each of
    its checks is on a cell's value alone, and a column's rows with the same text hold the same
    value, so a row that fails fails there too; the one check across rows (source_row unique,
    and at least 1) is made on the whole column. Only if something fails are all the rows checked,
    to word each failing row: CHECKED_ROWS rows at a time (pandera's checks copy what they check,
    which for 2.4 million rows at once was the scores stage's peak memory), source_row increasing
    down the rows so that two chunks never share one."""
    if _sampled_rows_pass(usable, words == "", coded):
        return words
    by_row: dict = {}
    for start in range(0, max(len(usable), 1), CHECKED_ROWS):  # an empty table is checked too (its types)
        try:
            ScoresSchema.validate(usable.iloc[start:start + CHECKED_ROWS], lazy=True)
        except pa.errors.SchemaErrors as errors:
            found, whole = failures_by_row(errors)
            if whole:  # a column-wide failure means the parser produced a wrong type: a bug
                raise RuntimeError(f"ScoresSchema: {'; '.join(whole)}") from None
            by_row.update(found)
    if not by_row:
        return words
    words = words.copy()
    for label, found in by_row.items():
        words[label] = "; ".join(found)
    return words


def _sampled_rows_pass(usable: pd.DataFrame, usable_rows: np.ndarray, coded: list[np.ndarray]) -> bool:
    """Whether one usable row per distinct text of each column passes the schema, and source_row
    is whole numbers increasing from at least 1 (so unique) down the usable rows."""
    rows = usable["source_row"]
    if rows.dtype != np.int64 or (len(rows) and (rows.iat[0] < 1 or not (np.diff(rows.to_numpy()) > 0).all())):
        return False
    kept = np.flatnonzero(usable_rows)  # the usable rows' positions among all rows
    picked = []
    for positions in coded:
        some_row = np.full(int(positions.max(initial=0)) + 2, -1, dtype=np.int64)  # code -1: the last
        some_row[positions[kept]] = np.arange(len(kept))  # any usable row of each text will do
        picked.append(some_row[some_row >= 0])
    sample = usable.iloc[np.unique(np.concatenate(picked)) if picked else []]
    try:
        ScoresSchema.validate(sample, lazy=True)
    except pa.errors.SchemaErrors:
        return False
    return True


def _value_codes(positions: np.ndarray, values: list) -> np.ndarray:
    """Per row, a code of its parsed value (-1 where none): two texts read as the same value
    ('Reputation', 'reputation ') share a code."""
    renumbered, _ = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return renumbered.astype(np.int32)[positions]  # a code per distinct value: never 2**31 of them


def _combined_key(codes: list[np.ndarray], rows: int) -> np.ndarray:
    """One code per distinct combination of the columns' codes (-1 where a value is missing),
    renumbered after each column so that it stays small."""
    key = np.zeros(rows, dtype=np.int64)
    missing = np.zeros(rows, dtype=bool)
    size = 1  # how many keys `key` can hold before it is renumbered
    for column in codes:
        missing |= column < 0
        width = int(column.max(initial=-1)) + 2
        if size * width >= 2**62:
            key, size = pd.factorize(key)[0], int(key.max(initial=0)) + 1  # renumbered: stays small
        key = key * width + column + 1
        size *= width
    combined = pd.factorize(key)[0]
    del key
    combined[missing] = -1
    return combined


def _criterion_parser(criteria: tuple[str, ...]) -> p.Parser:
    known = {p.normalise_name(c): c for c in criteria}
    problem = f"is not a criterion of the call (its criteria: {', '.join(criteria)})"

    def parse(text: str):
        name = p.normalise_name(text)
        return (known[name], None) if name in known else (None, problem)

    return parse


def _score_parser(low: float, high: float) -> p.Parser:
    def parse(text: str):
        value, problem = p.parse_number(text, allow_negative=True)
        if value is not None and not low <= value <= high:
            return None, f"is outside the scale {low:g} to {high:g}"
        return value, problem

    return parse
