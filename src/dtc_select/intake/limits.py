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
import stat
import zipfile
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
_OVERLAP = 8  # longer than any tag counted, so a tag cut between two chunks is counted once


def scan_workbook(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Count the rows and cells of every worksheet from its XML, unpacked a megabyte at a time
    (memory stays small whatever a sheet holds); TooLarge past MAX_XLSX_ROWS or `limits.xlsx_cells`.
    Every XML part is counted, before openpyxl opens the workbook: opening it parses each sheet
    that does not record its size, whole. (An XML part's text cannot hold a tag: `<` is escaped
    there, so only worksheets have rows and cells to count.) Returns whether a formula is there."""
    formulas = False
    for info in archive.infolist():
        if info.filename.endswith(".xml"):
            formulas |= _scan_part(archive, info.filename, limits)
    return formulas


def _scan_part(archive: zipfile.ZipFile, member: str, limits: Limits) -> bool:
    rows = cells = formulas = 0
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            # A tag wholly inside the overlap was counted with the previous chunk.
            rows += _count(text, (b"<row ", b"<row>"), len(tail))
            cells += _count(text, (b"<c ", b"<c>"), len(tail))
            formulas += _count(text, (b"<f>", b"<f "), len(tail))
            tail = text[-_OVERLAP:]
            if rows > MAX_XLSX_ROWS:
                raise TooLarge(f"a worksheet ({member}) has more than {MAX_XLSX_ROWS:,} rows, more than a "
                               f"spreadsheet program can hold: the file was not written by one")
            if cells > limits.xlsx_cells:
                raise TooLarge(f"a worksheet ({member}) has more than {limits.xlsx_cells:,} cells: a workbook read "
                               f"here has at most {limits.xlsx_cells:,}; {SAVE_AS_CSV}, or "
                               f"{raise_hint(limits, 'xlsx_cells')}")
    return formulas > 0


def _count(text: bytes, tags: tuple[bytes, ...], skip: int) -> int:
    """Occurrences of the tags that end after the first `skip` bytes."""
    total = 0
    for tag in tags:
        total += text.count(tag)
        if skip:
            total -= text[:skip].count(tag)  # wholly inside the overlap: already counted
    return total
