"""decisions.xlsx: the decisions as a formatted table a committee can sort, filter and annotate.

The same rows and columns as decisions.csv, with the same neutralising of applicant text that a
spreadsheet would run as a formula (`outputs.neutralise_formulas`). Header frozen, filters on,
columns sized to their content, reasons wrapped. Same decisions, same bytes: the workbook's dates
and the zip entries' times are fixed, so a rerun's manifest hashes match.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dtc_select.outputs import neutralise_formulas

# Fixed so that the same decisions give the same bytes (a workbook records when it was made).
FIXED_TIME = dt.datetime(2000, 1, 1)
STAMP = b"2000-01-01T00:00:00Z"
WIDEST = {"reasons": 90, "institution_name": 40}
WRAPPED = {"reasons", "tie_break_note", "institution_name"}
SCORE_FORMAT = "0.000"


def decisions_xlsx(decisions: pd.DataFrame) -> bytes:
    """The decisions table as XLSX bytes, formula-like applicant text neutralised."""
    frame = neutralise_formulas(decisions)
    book = Workbook()
    sheet = book.active
    sheet.title = "decisions"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    _format(sheet, frame)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "dtc-select"
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip_times(raw.getvalue())


def _cell(value):
    """A value as openpyxl takes it: missing -> empty, numpy -> Python, no control characters."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, str):  # XML keeps no carriage return: line ends become "\n"
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return pd.Timestamp(value).tz_convert("UTC").isoformat() if pd.Timestamp(value).tzinfo else str(value)
    return value


def _format(sheet, frame: pd.DataFrame) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="E6EDF4")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"  # the header row and the application ids stay in view
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        longest = max([len(str(column))] + [len(str(v)) for v in frame[column].dropna().astype(str).head(500)])
        sheet.column_dimensions[letter].width = min(max(longest + 2, 8), WIDEST.get(column, 30))
        # One style object per column, shared by its cells (one per cell cost seconds per thousand rows).
        alignment = Alignment(wrap_text=column in WRAPPED, vertical="top")
        number = SCORE_FORMAT if column in ("score", "merit_score") or column.startswith("criterion_") else None
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = alignment
            if number and isinstance(cell.value, float):
                cell.number_format = number


def _fixed_zip_times(data: bytes) -> bytes:
    """The same archive with every entry dated FIXED_TIME, in the same order."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, content)
            target.writestr(fixed, content)
    return out.getvalue()
