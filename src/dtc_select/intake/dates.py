"""Dates by the column: in which order a column's day/month/year dates are read.

A French spreadsheet saves 5 November 2019 as `05/11/2019`, an American one as `11/05/2019`: the
text alone cannot say which. A column is written by one program, so its dates share one order:
- the call may declare it (`intake.date_order` in the call file): every date of the column is read
  so, and a date that order cannot read (`11/30/2019` read day first) is a problem of its row;
- otherwise the column's other dates may prove it: `15/09/2019` can only be day first, so
  `05/11/2019` in the same column is read day first too, and the run says so (a notice in the
  log, the report and the manifest), since the order was inferred, not declared;
- when nothing settles it (no such proving date, or proofs of both orders in one column), each
  date either order could read is a problem of its row, and the run says in one line how many
  rows went to quarantine for it.
A date only one order can read (`30/11/2019`) is read so whatever the column, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dtc_select.intake import parsing as p
from dtc_select.notices import Notice

DECLARE_HINT = "write dates as YYYY-MM-DD, or declare the call's date order (intake.date_order)"


class IntakeNotice(Notice):
    """What intake read by inference, or could not read, in a whole column."""

    CATALOGUE_PREFIX = "intake_warning_"
    TEMPLATES = {
        "date_order_inferred_day_first":
            "{column}: {rows} date(s) such as {example} could be read day first or month first; they are "
            "read day first (DD/MM/YYYY) because {proofs} other date(s) of the column can only be read so "
            "(such as {proof}); the call does not declare its date order (intake.date_order)",
        "date_order_inferred_month_first":
            "{column}: {rows} date(s) such as {example} could be read day first or month first; they are "
            "read month first (MM/DD/YYYY) because {proofs} other date(s) of the column can only be read so "
            "(such as {proof}); the call does not declare its date order (intake.date_order)",
        "date_order_undecided":
            "{column}: {rows} row(s) quarantined because their date (such as {example}) could be read day "
            "first or month first and no other date of the column settles the order; " + DECLARE_HINT,
        "date_order_conflicting":
            "{column}: {rows} row(s) quarantined because their date (such as {example}) could be read day "
            "first or month first, and the column has dates only day first can read (such as {day_proof}) "
            "and dates only month first can read (such as {month_proof}); " + DECLARE_HINT,
    }


@dataclass(frozen=True)
class ColumnDateOrder:
    """How one date column's day/month/year texts were ordered.

    `how`: "declared" (the call's order), "inferred" (proved by the column), "undecided" or
    "conflicting" (rows quarantined), or "not_needed" (no date either order could read)."""

    column: str
    order: str | None
    how: str
    ambiguous_rows: int
    notice: IntakeNotice | None = None

    @property
    def record(self) -> str | None:
        """What the manifest's `read_as.date_order` says for this column (None: nothing to say)."""
        return f"{self.order} ({self.how})" if self.how in ("declared", "inferred") else None


def _either_order(text: str) -> bool:
    match = p._DAY_MONTH_YEAR.match(text)
    return bool(match) and int(match[1]) <= 12 and int(match[2]) <= 12 and int(match[1]) != int(match[2])


def column_date_order(column: str, texts: pd.Series, declared: str | None) -> ColumnDateOrder:
    """The order `texts` (stripped text or <NA>) are read in, and what to tell the user about it."""
    counts = texts.dropna().value_counts(sort=False)
    either = [text for text in counts.index if _either_order(text)]
    rows = int(counts[either].sum()) if either else 0
    if declared is not None:
        return ColumnDateOrder(column, declared, "declared", rows)
    if not either:
        return ColumnDateOrder(column, None, "not_needed", 0)
    proofs = {p.DAY_FIRST: [], p.MONTH_FIRST: []}
    for text in counts.index:
        order = p.day_month_order(text)
        if order is not None:
            proofs[order].append(text)
    example = p.quote(min(either))
    day, month = sorted(proofs[p.DAY_FIRST]), sorted(proofs[p.MONTH_FIRST])
    if day and month:
        notice = IntakeNotice("date_order_conflicting", column=column, rows=rows, example=example,
                              day_proof=p.quote(day[0]), month_proof=p.quote(month[0]))
        return ColumnDateOrder(column, None, "conflicting", rows, notice)
    if not day and not month:
        notice = IntakeNotice("date_order_undecided", column=column, rows=rows, example=example)
        return ColumnDateOrder(column, None, "undecided", rows, notice)
    order, proved_by = (p.DAY_FIRST, day) if day else (p.MONTH_FIRST, month)
    proofs_rows = int(counts[proved_by].sum())
    notice = IntakeNotice(f"date_order_inferred_{order}", column=column, rows=rows, example=example,
                          proofs=proofs_rows, proof=p.quote(proved_by[0]))
    return ColumnDateOrder(column, order, "inferred", rows, notice)


def undecided_problem(found: ColumnDateOrder) -> str:
    """The row's problem for a date either order could read, in a column nothing orders."""
    if found.how == "conflicting":
        return f"{p.AMBIGUOUS_DATE}: the column has dates written in both orders"
    return f"{p.AMBIGUOUS_DATE}: no other date of the column shows the order, and the call declares none " \
           f"(intake.date_order)"


def parse_date_column(column: str, texts: pd.Series, *, required: bool,
                      declared: str | None = None) -> tuple[pd.Series, pd.Series, ColumnDateOrder]:
    """`parsing.parse_column` for a date column, read in the column's order (see the module)."""
    found = column_date_order(column, texts, declared)
    undecided = undecided_problem(found)

    def parse(text: str):
        return p.parse_date(text, found.order, undecided=undecided)

    typed, problems = p.parse_column(column, texts, parse, required=required, dtype="datetime")
    return typed, problems, found
