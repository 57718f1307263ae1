"""Every workbook we write goes through XlsxWriter, set up once here.

Same inputs, same bytes: XlsxWriter stamps its zip entries with a fixed 1980 date, and the
document's created date is fixed here. Text is always written as text: a cell starting with "="
is never turned into a formula, nor "http://..." into a link, nor "007" into a number; text from
applicants or reviewers is first neutralised by `safe_cells` (an apostrophe before a formula-like
start), as in every table we write.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from dtc_select.runs.safe_cells import FORMULA_STARTS

FIXED_CREATED = dt.datetime(2000, 1, 1)  # the document's created date: same inputs, same bytes
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
# Excel holds at most this many characters in a cell.
CELL_LIMIT = 32767


def new_workbook(target: Any | None = None, *, constant_memory: bool = False) -> tuple[xlsxwriter.Workbook, Any]:
    """A workbook writing to `target` (a path) or to memory; returns (workbook, target)."""
    options = dict(OPTIONS)
    if target is None:
        target = io.BytesIO()
        options["in_memory"] = True
    elif constant_memory:
        options["constant_memory"] = True
    book = xlsxwriter.Workbook(target, options)
    book.set_properties({"created": FIXED_CREATED, "author": "dtc-select", "comments": ""})
    return book, target


def finished(book: xlsxwriter.Workbook, buffer: io.BytesIO) -> bytes:
    book.close()
    return buffer.getvalue()


def safe_text(value: Any) -> str:
    """One cell of text as it is safe to write: formula-like starts neutralised, cut at Excel's limit."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text[:CELL_LIMIT]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (XlsxWriter's own, as decisions.xlsx and intake name columns)."""
    return xl_col_to_name(index)
