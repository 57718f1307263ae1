"""Reading: a CSV or XLSX file becomes a table of text cells under the contract's column names.

`read_table` returns a `RawTable`: every cell as text (`str` or <NA>), headers normalised and,
where the call file maps a form's own headers (`intake.column_names`), renamed to the contract's
columns. A file that cannot be read at all raises one `InputFileError` naming the file and the
problem. A header written more than once is recorded in `RawTable.repeated_headers`: intake
refuses a repeated contract column together with every missing required column, so the user
learns all that is wrong with the file at once; a repeated other header (a form may ask two
questions with one title) is kept as `<name>_<column number>`.

Decisions, so that they are stated once:
- The format is decided by the content, not the name: a ZIP archive is read as an XLSX workbook,
  anything else as delimited text. Known non-table formats (PDF, images, old .xls, web pages,
  OpenDocument, Word) are named in the error, with what to do instead.
- `source_row` is the 1-based data row: row 1 is the first row after the header, as a user counts
  rows in a spreadsheet below the header. Blank rows at the end are dropped; blank rows in the
  middle are kept (and quarantined as "the row is empty") so the numbering stays true.
- A CSV row with more non-empty cells than the header has columns is a row problem (a value with
  an unquoted separator shifts every later cell), and so is a last row that stops short of the
  header's width when the file does not end with a line break: the file was cut short. Short rows
  elsewhere are read with empty trailing cells (spreadsheets leave trailing empty cells out).
  These problems are in `RawTable.row_problems`, by source_row.
- An XLSX cell beyond the header, or any column with data under an empty header cell, is kept as
  an extra column `column_<n>`.
- A file with a header and no rows is a valid, empty table: a call may receive no application.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dtc_select.intake import delimited, limits, workbook
from dtc_select.intake import parsing as p
from dtc_select.intake.workbook import SAVE_AS
from dtc_select.errors import InputFileError
from dtc_select.limits import DEFAULT_LIMITS, Limits

ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")  # an XLSX workbook is a ZIP archive
# Formats people send instead of a table, by their first bytes: what to tell them.
NOT_TABLES = (
    (b"%PDF", "is a PDF document, not a table: export the applications from their source as CSV or XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "is an old-style Excel (.xls) or password-protected workbook; "
                                          "save it as .xlsx without a password, or as CSV"),
    (b"\x89PNG", "is a PNG image, not a table"),
    (b"\xff\xd8\xff", "is a JPEG image, not a table"),
    (b"GIF8", "is a GIF image, not a table"),
    (b"{\\rtf", f"is a Rich Text (RTF) document, not a table: {SAVE_AS}"),
    (b"\x1f\x8b", "is a compressed (gzip) file: uncompress it first"),
)


@dataclass(frozen=True)
class RawTable:
    """A file as text: `frame` cells are str or <NA> (dtype "string"), index 0..n-1, headers
    normalised and mapped; `info` says how it was read (format, encoding, separator, sheet, rows,
    column_names: {header in the file: contract column} for the headers the call file mapped);
    `row_problems`: {source_row: problem} for rows that cannot be trusted whatever their cells;
    `repeated_headers`: {column: its columns in the file, "3 'Country'"} for headers written more
    than once (the first is `column`, the others `column_<n>`); `headers`: {column: as written};
    `clean`: the cells are already stripped, blank ones <NA> (`parsing.clean_text`), as
    `read_table` makes them: intake need not clean them again; `distinct`: {column: (codes, the
    distinct texts)} as `parsing.distinct` gives them, for the columns a large plain CSV was read
    into (its reader had them): intake need not find them again in millions of cells."""

    path: Path
    frame: pd.DataFrame
    info: dict
    row_problems: Mapping[int, str] = field(default_factory=dict)
    repeated_headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    clean: bool = False
    distinct: Mapping[str, tuple[np.ndarray, list]] = field(default_factory=dict)


def read_table(path: str | Path, sheet: str | None = None, *,
               column_names: Mapping[str, Iterable[str]] | None = None, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """Read a CSV or XLSX file as text cells; `column_names` maps contract columns to the other
    header spellings they may have; `limits`: the bounds of the file (dtc_select/limits.py).
    Unusable file or past a bound -> InputFileError (one line)."""
    path = Path(path)
    data = file_bytes(path, limits)
    lookup = p.header_lookup(column_names or {})
    if data.startswith(ZIP_STARTS):
        with delimited.collector_paused():
            rows, info, formulas = workbook.xlsx_rows(path, data, sheet, limits)
            return _table(path, rows, info, lookup, cell_problems=formulas)
    if sheet is not None:
        raise InputFileError(path, f"is a text (CSV) file, which has no worksheets: --sheet {sheet!r} "
                                   f"applies to XLSX workbooks only")
    with delimited.collector_paused():
        text, info = _csv_text(path, data)
        del data  # the text holds it now: a large file is not kept twice
        complete = text.endswith(("\n", "\r"))
        plain = delimited.plain_columns(text, info["separator"], limits)
        table = _columns_table(path, *plain, info, lookup, complete) if plain else None
        if table is not None:
            return table
        return _table(path, _csv_records(path, text, info["separator"], limits), info, lookup, complete)


def file_bytes(path: Path, bounds: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file that may be a table: InputFileError (one line) for a missing file, a
    folder, a FIFO or device, a file past `bounds.file_mb`, an empty file or a known non-table."""
    if not path.exists():
        raise InputFileError(path, "file not found")
    if path.is_dir():
        raise InputFileError(path, "is a folder, not a file")
    try:
        limits.check_regular_file(path, bounds)  # a FIFO is refused before it is opened (no wait for a writer)
    except limits.TooLarge as problem:
        raise InputFileError(path, str(problem)) from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputFileError(path, "the file is empty")
    for magic, problem in NOT_TABLES:
        if data.startswith(magic):
            raise InputFileError(path, problem)
    start = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        raise InputFileError(path, "is a web page (HTML), not a table: the download may have failed or "
                                   "needed a login; download the CSV or XLSX export again")
    if start.startswith(b"<?xml"):
        raise InputFileError(path, f"is an XML document, not a CSV or XLSX table: {SAVE_AS}")
    return data


def _csv_text(path: Path, data: bytes) -> tuple[str, dict]:
    """(the text, how it is read: encoding and separator)."""
    try:
        text, encoding = delimited.decode_text(data)
    except delimited.TableProblem as problem:
        raise InputFileError(path, str(problem)) from None
    if not text.strip():
        raise InputFileError(path, "the file is empty")
    separator = delimited.detect_separator(text)
    return text, {"format": "csv", "encoding": encoding, "separator": separator, "sheet": None}


def _csv_records(path: Path, text: str, separator: str, bounds: Limits) -> list[list[str | None]]:
    try:
        return delimited.csv_records(text, separator, bounds)
    except delimited.TableProblem as problem:
        raise InputFileError(path, str(problem)) from None


def _blank(row: list) -> bool:
    return all(cell is None or not cell.strip() for cell in row)


def _filled(row: list) -> int:
    """The number of cells up to the last non-empty one."""
    return max((i + 1 for i, c in enumerate(row) if c is not None and c.strip()), default=0)


def _row_problems(data: list[list[str | None]], width: int, complete: bool) -> dict[int, str]:
    problems = {}
    for number, row in enumerate(data, start=1):
        if len(row) > width and not _blank(row[width:]):
            problems[number] = (f"the row has {_filled(row)} cells but the header has {width} columns "
                                f"(a value may contain an unquoted separator)")
    if data and not complete and len(data[-1]) < width:
        problems[len(data)] = _cut_short(len(data[-1]), width)
    return problems


def _cut_short(cells: int, width: int) -> str:
    return (f"the file ends in the middle of this row ({cells} of the header's {width} columns): the file "
            f"may have been cut short; check the file is complete")


def _table(path: Path, rows: list[list[str | None]], info: dict, lookup: Mapping[str, str],
           complete: bool = True, cell_problems: Mapping[int, str] | None = None) -> RawTable:
    """`complete`: False when a text file does not end with a line break (it may be cut short);
    `cell_problems`: {source_row: problem} found while reading (an XLSX formula with no value)."""
    while rows and _blank(rows[-1]):
        rows.pop()  # blank rows at the end are not rows
        complete = True  # and the line the file ends in is one of them: no row of data was cut short
    if not rows:
        raise InputFileError(path, "the file is empty")
    header, data = rows[0], rows[1:]
    if _blank(header):
        raise InputFileError(path, "has no header row: the first row is empty (column names "
                                   "must be in the first row)")
    width = len(header) if info["format"] == "csv" else max(len(r) for r in rows)
    # Rows as wide as the header, the usual case, have no problem of shape: no check row by row.
    uniform = bool(data) and set(map(len, data)) == {width}
    row_problems = {} if uniform else _row_problems(data, width, complete)
    for number, problem in (cell_problems or {}).items():
        row_problems[number] = f"{row_problems[number]}; {problem}" if number in row_problems else problem
    # Columns of cells; a CSV's cells beyond its header are left out (reported as row problems).
    transposed = np.array(data, dtype=object).T if uniform else \
        list(itertools.zip_longest(*data, fillvalue=None))
    cleaned = (p.clean_text(transposed[j] if j < len(transposed) else [None] * len(data)) for j in range(width))
    return _named_table(path, header, cleaned, len(data), info, lookup, row_problems)


def _columns_table(path: Path, columns: list[pd.Categorical], last_cells: int, info: dict,
                   lookup: Mapping[str, str], complete: bool) -> RawTable | None:
    """The table of `delimited.plain_columns` (row 0 the header), as `_table` makes it from the
    same cells as records; None when `_table` must say what is wrong (no header, no rows) or
    see the records (a last row cut short after blank lines)."""
    blank = np.ones(len(columns[0]), dtype=bool)
    for column in columns:
        blank &= np.array([not c.strip() for c in column.categories.tolist()] + [True])[column.codes]
    kept = len(blank) - int(np.argmax(~blank[::-1])) if not blank.all() else 0
    if kept == 0 or blank[0]:
        return None
    width, rows = len(columns), kept - 1
    row_problems = {}
    if rows and not complete and last_cells < width:
        if kept < len(blank):
            return None  # the cut-short row is not the last line: `_table` counts its cells
        row_problems[rows] = _cut_short(last_cells, width)
    header = [str(column[0]) for column in columns]
    distinct: list[tuple[np.ndarray, list]] = []  # column j's, filled as its texts are made

    def cleaned():
        for column in columns:
            texts, codes, uniques = p.clean_distinct(column[1:kept])
            distinct.append((codes, uniques))
            yield texts

    return _named_table(path, header, cleaned(), rows, info, lookup, row_problems, distinct)


def _named_table(path: Path, header: list[str | None], cleaned: Iterable[pd.Series], rows: int, info: dict,
                 lookup: Mapping[str, str], row_problems: dict[int, str],
                 distinct: list[tuple[np.ndarray, list]] | None = None) -> RawTable:
    """The cleaned columns under their names: mapped, normalised, made unique, empty ones without a
    header left out; `distinct`: column j's (codes, distinct texts), when known."""
    columns: dict[str, pd.Series] = {}
    named_distinct: dict[str, tuple[np.ndarray, list]] = {}
    headers: dict[str, str] = {}
    sources: dict[str, list[str]] = {}
    mapped: dict[str, str] = {}
    for j, values in enumerate(cleaned):
        text = (header[j] or "").strip() if j < len(header) else ""
        name = lookup.get(p.header_key(text)) or p.normalise_name(text)
        if name != p.normalise_name(text):
            mapped[text] = name
        if not name:
            if values.isna().all():
                continue  # an empty column without a header: spreadsheet leftovers
            name = f"column_{j + 1}"
        sources.setdefault(name, []).append(f"{j + 1} {p.quote(text)}" if text else str(j + 1))
        while name in columns:
            name = f"{name}_{j + 1}"
        columns[name], headers[name] = values, text or name
        if distinct is not None:
            named_distinct[name] = distinct[j]
    repeated = {n: tuple(s) for n, s in sources.items() if len(s) > 1}
    frame = pd.DataFrame(columns, index=pd.RangeIndex(rows), copy=False)  # the columns are ours alone
    info = {**info, "rows": rows, "column_names": mapped}
    return RawTable(path, frame, info, row_problems, repeated, headers, clean=True, distinct=named_distinct)

