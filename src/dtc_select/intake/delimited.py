"""Files as delimited text: their encoding, their separator, their records; spreadsheet cells as text.

Each function works on bytes or text only (the caller names the file in the error it raises):
`decode_text` finds the encoding, `detect_separator` the separator, `csv_records` splits the
records; `cell_text` writes an XLSX cell's value as the text a user would type.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import gc
import io
import re
import sys
from typing import Any


class TableProblem(ValueError):
    """Why a text file cannot be read as a table, in words (the caller names the file)."""


BINARY = "is not a table: it contains binary data (save it as CSV or XLSX)"
# Characters no text table holds (tab, line feed and carriage return aside). A handful may be
# stray; many mean a binary file that happened to decode as Windows-1252/Latin-1.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252/Latin-1.

    A UTF-8 file cut short in the middle of a character (a copy or download that stopped) is
    still UTF-8: the broken character at the very end is dropped instead of reading the whole
    file as Windows-1252, which would garble every accent.
    """
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif b"\x00" in data:
        raise TableProblem(BINARY)
    else:
        encodings = ["utf-8", "cp1252", "latin-1"]  # latin-1 decodes any byte: the last resort
    for encoding in encodings:
        try:
            text = _decode(data, encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
            raise TableProblem(BINARY)
        return text, encoding
    raise TableProblem(f"is not a table: it cannot be read as {encodings[0]} text")


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        cut_short = error.reason in {"unexpected end of data", "truncated data"} and error.end == len(data)
        if encoding.startswith("utf") and cut_short:
            return data[: error.start].decode(encoding)
        raise


def detect_separator(text: str) -> str:
    """Comma, semicolon or tab: whichever occurs most in the first line (outside quotes)."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


_LONE_CR = re.compile(r"\r(?!\n)")


def csv_records(text: str, separator: str) -> list[list[str]]:
    """The records of a CSV text (a quoted line break stays inside its cell).

    A stray quote within one line (`"Centre" Espoir`) is read as spreadsheet programs read it.
    A quoted value whose closing quote is missing runs on over line breaks and swallows the rows
    after it: rows would be merged and every later row number shifted, so that is a problem of
    the file, naming the line where the value starts.
    """
    plain = _plain_records(text, separator)
    return plain if plain is not None else csv_module_records(text, separator)


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while millions of row lists are built: each of
    its passes walks every list built so far, four fifths of the time of reading a file of 2.4
    million rows. Rows hold only strings: no reference cycle forms while they are built, and
    anything else waits for the collector's next pass."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def csv_module_records(text: str, separator: str) -> list[list[str]]:
    """`csv_records` through the csv module, for any text (quotes, lone carriage returns)."""
    csv.field_size_limit(max(csv.field_size_limit(), 2**24))
    # In a file whose lines end with LF or CRLF, a lone CR is part of a value (some programs write
    # it unquoted): it must not start a new row. It is held as NUL (absent from the text) while
    # the records are split, then put back.
    lone_cr = "\n" in text and "\x00" not in text and bool(_LONE_CR.search(text))
    if lone_cr:
        text = _LONE_CR.sub("\x00", text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[list[str]] = []
    start, stray = 1, False
    while True:
        try:
            rows.append(list(map(sys.intern, next(reader))))  # see _plain_records
        except StopIteration:
            break
        except csv.Error as exc:  # the strict reader resumes at the next line
            if "unexpected end of data" in str(exc):
                raise TableProblem(f'a quoted value starting in line {start} is never closed '
                                   f'(a closing " is missing)') from None
            if reader.line_num > start:
                raise TableProblem(f"a quoted value starting in line {start} runs on to line {reader.line_num}, "
                                   f"taking the rows between into one cell: a quote is missing or extra in line "
                                   f'{start} (a quote inside a value is written twice: "")') from None
            stray = True
        start = reader.line_num + 1
    if stray:  # only one-line records were affected: the lenient reading keeps the same records
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    if lone_cr:
        rows = [[cell.replace("\x00", "\r") for cell in row] for row in rows]
    return rows


def _plain_records(text: str, separator: str) -> list[list[str]] | None:
    """The records of a text without quotes, carriage returns alone or NUL characters, split as
    the csv module splits them (an empty line is an empty record), at a fraction of its cost;
    None for any other text."""
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the line break ending the last record
    # Interned: the same value on many rows (an id, a reviewer, a mark) is held once, which
    # halves the memory of a large scores file.
    return [list(map(sys.intern, line.split(separator))) if line else [] for line in lines]


def cell_text(value: Any) -> str | None:
    """An XLSX cell value as the text a user would type; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    return text if text.strip() else None
