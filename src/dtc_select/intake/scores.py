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

from dtc_select.intake import parsing as p
from dtc_select.intake.applications import (
    EMPTY_ROW, _check_nothing_lost, _column, _quarantine, _start, _validate,
)
from dtc_select.intake.reading import RawTable
from dtc_select.intake.schemas import ScoresSchema

__all__ = ["ScoresIntake", "take_in_scores", "SCORE_COLUMNS", "REQUIRED_SCORE_COLUMNS"]

SCORE_COLUMNS: tuple[str, ...] = (
    "application_id", "reviewer_id", "criterion", "score", "comment", "conflict_of_interest")
REQUIRED_SCORE_COLUMNS: tuple[str, ...] = ("application_id", "reviewer_id", "criterion", "score")
# The columns that say whose score it is: a second row with the same three is a repeat.
SCORE_KEY = ("application_id", "reviewer_id", "criterion")


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
    problems = [row_problems]
    key_codes = []
    for column, (parser, dtype, required) in columns.items():
        codes, uniques = p.distinct(_column(texts, column, index))
        typed[column], problem = p.parse_distinct(column, codes, uniques, parser, required=required,
                                                  dtype=dtype, index=index)
        problems.append(problem)
        if column in SCORE_KEY:
            key_codes.append(_value_codes(codes, uniques, parser))
    typed["score"] = typed["score"].astype("float64")
    typed["source_row"] = source_row
    first = p.first_seen(_combined_key(key_codes, index), source_row)
    repeats = pd.Series(None, index=index, dtype=object)
    for i in index[first.notna().astype(bool)]:
        repeats[i] = (f"reviewer {p.quote(typed.at[i, 'reviewer_id'])} already scored "
                      f"{typed.at[i, 'criterion']} for application {p.quote(typed.at[i, 'application_id'])} "
                      f"in row {first[i]}")
    problems.append(repeats)
    words = p.join_problems(problems, index).where(~empty, EMPTY_ROW)
    del problems, repeats
    words = _validate(typed, words.eq(""), ScoresSchema, words)
    ok = words.eq("").astype(bool)
    problem_frame = _quarantine(source_row[~ok], texts["application_id"][~ok], words[~ok])
    _check_nothing_lost(raw, int(ok.sum()), len(problem_frame))
    return ScoresIntake(typed[ok].reset_index(drop=True), problem_frame)


def _value_codes(codes: np.ndarray, uniques: list, parser: p.Parser | None) -> np.ndarray:
    """Per row, a code of its parsed value (-1 where none): two texts read as the same value
    ('Reputation', 'reputation ') share a code."""
    if parser is None:
        return codes  # the value is the text
    values = [parser(text)[0] for text in uniques] + [None]
    renumbered, _ = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return renumbered[np.where(codes == -1, len(uniques), codes)]


def _combined_key(codes: list[np.ndarray], index: pd.Index) -> pd.Series:
    """One integer per distinct combination of the columns' codes (<NA> where a value is missing),
    renumbered after each column so that it stays small."""
    key = np.zeros(len(index), dtype=np.int64)
    missing = np.zeros(len(index), dtype=bool)
    for column in codes:
        missing |= column < 0
        key = pd.factorize(key * (int(column.max(initial=-1)) + 2) + column + 1)[0]
    return pd.Series(pd.array(key, dtype="Int64"), index=index).mask(missing)


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
