"""Bounds on a data file (applications, scores, overrides), checked before the expensive work.

A file past a bound stops the run with one line naming the file and the bound (exit status 3),
in bounded time and memory, instead of exhausting memory or hanging. Each bound is far beyond a
real call (the benchmarks read 100,000 applications and 2.4 million score rows); the reason is
beside it. They are listed in docs/limits.md, and a test holds each one.

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

# The file on disk: the benchmarks' largest (2.4 million score rows) is about 100 MB.
MAX_FILE_BYTES = 256 * 2**20
# Data rows of a CSV file: twice the benchmarks' 2.4 million score rows.
MAX_ROWS = 5_000_000
# Columns: the applications contract has 27, a form export a few hundred; a row of more cells
# would make a column of every cell.
MAX_COLUMNS = 1_000
# Characters in one cell: three times what a spreadsheet cell holds (Excel: 32,767).
MAX_CELL_CHARS = 100_000
# A workbook's parts once unpacked (worksheet XML and shared strings are read whole or parsed).
MAX_XLSX_UNPACKED_BYTES = 512 * 2**20
# Cells in the worksheet read: each becomes a Python string (about 70 bytes with its list);
# 100,000 applications of 27 columns are 2.7 million. Larger tables: save them as CSV.
MAX_XLSX_CELLS = 5_000_000
# Rows of a worksheet, counting the empty rows a gap in row numbers stands for: Excel's own limit.
MAX_XLSX_ROWS = 1_048_576

SAVE_AS_CSV = "save the worksheet as CSV (read faster and in less memory)"


class TooLarge(ValueError):
    """A file past one of the bounds, in words (the caller names the file)."""


def check_regular_file(path: Path) -> int:
    """The file's size; TooLarge when it is not a regular file or is larger than MAX_FILE_BYTES.
    Never opens the file: a FIFO opened for reading would wait for a writer."""
    mode = os.stat(path).st_mode  # follows a symbolic link to what it names
    if not stat.S_ISREG(mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or \
            stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
        raise TooLarge(f"is {kind}, not a file: give the path of the CSV or XLSX file itself")
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        raise TooLarge(f"is {size / 2**20:,.1f} MB: a file read here is at most {MAX_FILE_BYTES // 2**20} MB "
                       f"(split it, or keep only the columns the call reads)")
    return size


def check_archive(archive: zipfile.ZipFile) -> None:
    """TooLarge when the workbook's parts, unpacked, would pass MAX_XLSX_UNPACKED_BYTES (the ZIP
    directory gives each part's size; zipfile never unpacks more than that)."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TooLarge(f"unpacks to {unpacked / 2**20:,.1f} MB: a workbook read here unpacks to at most "
                       f"{MAX_XLSX_UNPACKED_BYTES // 2**20} MB; {SAVE_AS_CSV}")


_CHUNK = 1 << 20
_OVERLAP = 8  # longer than any tag counted, so a tag cut between two chunks is counted once


def scan_workbook(archive: zipfile.ZipFile) -> bool:
    """Count the rows and cells of every worksheet from its XML, unpacked a megabyte at a time
    (memory stays small whatever a sheet holds); TooLarge past MAX_XLSX_ROWS or MAX_XLSX_CELLS.
    Every XML part is counted, before openpyxl opens the workbook: opening it parses each sheet
    that does not record its size, whole. (An XML part's text cannot hold a tag: `<` is escaped
    there, so only worksheets have rows and cells to count.) Returns whether a formula is there."""
    formulas = False
    for info in archive.infolist():
        if info.filename.endswith(".xml"):
            formulas |= _scan_part(archive, info.filename)
    return formulas


def _scan_part(archive: zipfile.ZipFile, member: str) -> bool:
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
            if cells > MAX_XLSX_CELLS:
                raise TooLarge(f"a worksheet ({member}) has more than {MAX_XLSX_CELLS:,} cells: a workbook read "
                               f"here has at most {MAX_XLSX_CELLS:,}; {SAVE_AS_CSV}")
    return formulas > 0


def _count(text: bytes, tags: tuple[bytes, ...], skip: int) -> int:
    """Occurrences of the tags that end after the first `skip` bytes."""
    total = 0
    for tag in tags:
        total += text.count(tag)
        if skip:
            total -= text[:skip].count(tag)  # wholly inside the overlap: already counted
    return total
