"""Bounds on a data file (applications, scores, overrides), checked before the expensive work.

A file past a bound stops the run with one line naming the file and the bound (exit status 3),
in bounded time and memory, instead of exhausting memory or hanging, and says how to raise the
bound (`--limit`). The values and their reasons are a `Limits` (dtc_select/limits.py) the caller
passes; the one that never moves is here. They are listed in docs/limits.md, and a test holds each.

`check_regular_file` refuses a FIFO, device or socket without opening it (opening a FIFO for
reading waits for a writer: the run would hang). `check_archive` and `scan_workbook` measure a
workbook from its ZIP directory and by counting tags in its worksheets' XML as it is unpacked,
before any cell becomes a Python object: a 4.5 MB workbook can unpack to millions of rows.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dtc_select.limits import DEFAULT_LIMITS, Limits, raise_hint

# The raisable bounds (file size, rows, columns, cell, workbook parts and cells) are a `Limits`
# value (dtc_select/limits.py), passed down by the caller. This one never moves: rows of a
# worksheet, counting the empty rows a gap in row numbers stands for, is Excel's own limit.
MAX_XLSX_ROWS = 1_048_576

SAVE_AS_CSV = "save the worksheet as CSV (read faster and in less memory)"


class TooLarge(ValueError):
    """A file past one of the bounds, in words (the caller names the file)."""


def check_regular_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> int:
    """The file's size; TooLarge when it is not a regular file or is larger than `limits.file_mb`.
    Never opens the file: a FIFO opened for reading would wait for a writer."""
    mode = os.stat(path).st_mode  # follows a symbolic link to what it names
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or \
            stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
        raise TooLarge(f"is {kind}, not a file: give the path of the CSV or XLSX file itself")
    size = os.stat(path).st_size
    if size > limits.file_mb * 2**20:
        raise TooLarge(f"is {size / 2**20:,.1f} MB: a file read here is at most {limits.file_mb:,} MB (split it, "
                       f"or keep only the columns the call reads; or {raise_hint(limits, 'file_mb', -(-size // 2**20))})")
    return size


def check_archive(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> None:
    """TooLarge when the workbook's parts, unpacked, would pass `limits.xlsx_mb` (the ZIP
    directory gives each part's size; zipfile never unpacks more than that)."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.xlsx_mb * 2**20:
        raise TooLarge(f"unpacks to {unpacked / 2**20:,.1f} MB: a workbook read here unpacks to at most "
                       f"{limits.xlsx_mb:,} MB; {SAVE_AS_CSV}, or {raise_hint(limits, 'xlsx_mb', -(-unpacked // 2**20))}")


_CHUNK = 1 << 20

# What python-calamine (the fast reader, intake/workbook.py) reads differently from openpyxl, found
# in the worksheet XML as it is counted; a workbook holding any of them is read by openpyxl.
_ERROR_OR_ISO_DATE = re.compile(rb"<c\b[^>]*?\st=[\"'][ed][\"']")   # #N/A read as empty; t="d" cells
# A number as a date or time where it has none: negative (calamine 00:00:00 or a crash, openpyxl
# 1899-12-29) or past 9999-12-31, serial 2,958,465 (calamine the number, openpyxl #VALUE!). The
# numbers' formats are not looked at: a number of 7 digits or more, or negative, is enough.
_NEGATIVE_OR_LARGE_NUMBER = re.compile(rb"<v>\s*(?:-|\d{7})|<v>[^<]*[eE]\+?\d")
_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\sr=[\"'](\d+)")
_MULTI_LETTER_COLUMN = re.compile(rb"<c\b[^>]*?\sr=[\"']([A-Z]{2,3})\d")
_WITHOUT_REFERENCE = re.compile(rb"<(?:c|row)(?=[\s>/])(?![^>]*\sr=)")  # placed by its order alone


@dataclass
class WorkbookScan:
    """What counting the worksheets' XML found: whether a formula is there, and whether
    python-calamine reads every cell as openpyxl does within a grid of `last_row` x `last_column`
    (calamine makes the whole grid: a cell at XFD1048576 would make 17 billion)."""
    formulas: bool = False
    unusual_cells: bool = False
    last_row: int = 0
    last_column: int = 26  # A-Z: single-letter columns are not looked at one by one

    def grid_cells(self) -> int:
        return self.last_row * self.last_column


def scan_workbook(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> WorkbookScan:
    """Count the rows and cells of every worksheet from its XML, unpacked a megabyte at a time
    (memory stays small whatever a sheet holds); TooLarge past MAX_XLSX_ROWS or `limits.xlsx_cells`.
    Every XML part is counted, before openpyxl opens the workbook: opening it parses each sheet
    that does not record its size, whole. (An XML part's text cannot hold a tag: `<` is escaped
    there, so only worksheets have rows and cells to count.)"""
    scan = WorkbookScan()
    for info in archive.infolist():
        if info.filename.endswith(".xml"):
            _scan_part(archive, info.filename, limits, scan)
    return scan


def _scan_part(archive: zipfile.ZipFile, member: str, limits: Limits, scan: WorkbookScan) -> None:
    rows = cells = 0
    pending = b""
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            text = pending + chunk
            # Up to the last ">" every tag is whole; the rest waits for the next chunk.
            cut = text.rfind(b">") + 1 if chunk else len(text)
            text, pending = text[:cut], text[cut:]
            rows += text.count(b"<row ") + text.count(b"<row>")
            cells += text.count(b"<c ") + text.count(b"<c>")
            if rows > MAX_XLSX_ROWS:
                raise TooLarge(f"a worksheet ({member}) has more than {MAX_XLSX_ROWS:,} rows, more than a "
                               f"spreadsheet program can hold: the file was not written by one")
            if cells > limits.xlsx_cells:
                raise TooLarge(f"a worksheet ({member}) has more than {limits.xlsx_cells:,} cells: a workbook read "
                               f"here has at most {limits.xlsx_cells:,}; {SAVE_AS_CSV}, or "
                               f"{raise_hint(limits, 'xlsx_cells')}")
            _note_cells(text, scan)
            if not chunk:
                return


def _note_cells(text: bytes, scan: WorkbookScan) -> None:
    scan.formulas = scan.formulas or b"<f>" in text or b"<f " in text
    scan.unusual_cells = scan.unusual_cells or bool(_ERROR_OR_ISO_DATE.search(text) or
                                                    _NEGATIVE_OR_LARGE_NUMBER.search(text) or
                                                    _WITHOUT_REFERENCE.search(text))
    numbers = _ROW_NUMBER.findall(text)
    if numbers:
        scan.last_row = max(scan.last_row, max(map(int, numbers)))
    letters = set(_MULTI_LETTER_COLUMN.findall(text))
    if letters:
        scan.last_column = max(scan.last_column, max(map(_column_number, letters)))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
