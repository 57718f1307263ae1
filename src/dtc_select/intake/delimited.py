"""Files as delimited text: their encoding, their separator, their records; spreadsheet cells as text.

Each function works on bytes or text only (the caller names the file in the error it raises):
`decode_text` finds the encoding, `detect_separator` the separator, `csv_records` splits the
records (`plain_columns` splits a plain text straight into columns, the fast way for large files);
`cell_text` writes an XLSX cell's value as the text a user would type.
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

import pandas as pd

from dtc_select.limits import DEFAULT_LIMITS, Limits, raise_hint


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
    end = len(text)
    for line_break in "\r\n":
        found = text.find(line_break, 0, end)
        end = found if found >= 0 else end
    first = text[:end]
    if '"' not in first:  # the usual header: counted at C speed, whatever its length
        counts = {char: first.count(char) for char in counts}
        best = max(counts, key=lambda c: (counts[c], c == ","))
        return best if counts[best] else ","
    quoted = False
    # A quoted header is walked a character at a time: only its first megabyte (a header is a
    # few thousand characters; the bounds on the records then apply in full).
    for char in text[: 1 << 20]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


_LONE_CR = re.compile(r"\r(?!\n)")


def csv_records(text: str, separator: str, limits: Limits = DEFAULT_LIMITS) -> list[list[str]]:
    """The records of a CSV text (a quoted line break stays inside its cell).

    A stray quote within one line (`"Centre" Espoir`) is read as spreadsheet programs read it.
    A quoted value whose closing quote is missing runs on over line breaks and swallows the rows
    after it: rows would be merged and every later row number shifted, so that is a problem of
    the file, naming the line where the value starts.
    """
    plain = _plain_records(text, separator, limits)
    return plain if plain is not None else csv_module_records(text, separator, limits)


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


def csv_module_records(text: str, separator: str, limits: Limits = DEFAULT_LIMITS) -> list[list[str]]:
    """`csv_records` through the csv module, for any text (quotes, lone carriage returns)."""
    # The module's own check on a value's length (a longer value is an error, below); its limit
    # is global, so it is put back for other readers.
    previous = csv.field_size_limit(limits.cell_chars)
    try:
        return _csv_module_records(text, separator, limits)
    finally:
        csv.field_size_limit(previous)


def _csv_module_records(text: str, separator: str, limits: Limits) -> list[list[str]]:
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
            record = next(reader)
            if len(record) > limits.columns:
                raise TableProblem(_too_wide(start, len(record), limits))
            rows.append(list(map(sys.intern, record)))  # see _plain_records
            if len(rows) > limits.rows + 1:  # the header and `limits.rows` rows
                raise TableProblem(_too_long(limits))
        except StopIteration:
            break
        except csv.Error as exc:  # the strict reader resumes at the next line
            if "field larger than field limit" in str(exc):
                raise TableProblem(f"a value starting in line {start} is longer than {limits.cell_chars:,} characters, "
                                   f"the most a cell holds here; {raise_hint(limits, 'cell_chars')}") from None
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
        wide = next((n for n, row in enumerate(rows, start=1) if len(row) > limits.columns), None)
        if wide is not None:
            raise TableProblem(_too_wide(wide, len(rows[wide - 1]), limits))
    if lone_cr:
        rows = [[cell.replace("\x00", "\r") for cell in row] for row in rows]
    return rows


def _plain_records(text: str, separator: str, limits: Limits) -> list[list[str]] | None:
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
    _check_lines(lines, separator, limits)
    # Interned: the same value on many rows (an id, a reviewer, a mark) is held once, which
    # halves the memory of a large scores file.
    return [list(map(sys.intern, line.split(separator))) if line else [] for line in lines]


def plain_columns(text: str, separator: str,
                  limits: Limits = DEFAULT_LIMITS) -> tuple[list[pd.Categorical], int] | None:
    """The columns of a plain text (what `_plain_records` reads) whose every line has at most as
    many cells as its first, by pandas' C reader: one categorical column per header cell, the
    header as row 0, and the number of cells of the text's last line. None for any other text
    (quotes, lone carriage returns, a line wider than the first, a bound of `limits` broken):
    `csv_records` then reads it record by record and says what is wrong. At 2.4 million rows this
    is a twentieth of the time and memory of a list of cells per record.

    The same cells as `csv_records` gives, a short record padded with empty cells: a line break
    ends a record, the separator splits cells, nothing else is special (no quotes, comments,
    escapes or number reading; every cell stays the text it was)."""
    if '"' in text or "\x00" in text or ("\r" in text and text.count("\r") != text.count("\r\n")):
        return None
    first_break = text.find("\n")
    if text[: first_break if first_break >= 0 else len(text)].count(separator) + 1 > limits.columns:
        return None  # before pandas makes a column of each of its cells
    try:
        # As UTF-8 bytes: a StringIO of the text would hold it again at four bytes a character.
        frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=separator, header=None, dtype="category",
                            na_filter=False, skip_blank_lines=False, quoting=csv.QUOTE_NONE, engine="c",
                            encoding="utf-8")
    except (ValueError, pd.errors.ParserError):  # a line wider than the header, mostly
        return None
    columns = [frame[column].array for column in frame.columns]
    if len(frame) > limits.rows + 1 or any(max(map(len, column.categories), default=0) > limits.cell_chars
                                           for column in columns):
        return None
    return columns, text[text.rfind("\n") + 1:].count(separator) + 1


def _check_lines(lines: list[str], separator: str, limits: Limits) -> None:
    """TableProblem for too many rows, a line of more than `limits.columns` cells or a value
    longer than `limits.cell_chars`, before any line is split (a line of 20 million separators
    would become 20 million cells). Only lines longer than the smaller bound can break either,
    and one pass of `len` at C speed finds whether there are any."""
    if len(lines) > limits.rows + 1:
        raise TableProblem(_too_long(limits, len(lines) - 1))
    shortest = min(limits.columns, limits.cell_chars)
    if max(map(len, lines), default=0) <= shortest:
        return
    for number, line in enumerate(lines, start=1):
        if len(line) <= shortest:
            continue
        cells = line.count(separator) + 1
        if cells > limits.columns:
            raise TableProblem(_too_wide(number, cells, limits))
        if len(line) > limits.cell_chars and (longest := max(map(len, line.split(separator)))) > limits.cell_chars:
            raise TableProblem(f"line {number} holds a value longer than {limits.cell_chars:,} characters, the most "
                               f"a cell holds here; {raise_hint(limits, 'cell_chars', longest)}")


def _too_wide(line: int, cells: int, limits: Limits) -> str:
    return (f"line {line} has {cells:,} cells: a table read here has at most {limits.columns:,} columns; "
            f"{raise_hint(limits, 'columns', cells)}")


def _too_long(limits: Limits, rows: int | None = None) -> str:
    """`rows`: the file's data rows (the header aside), when counted."""
    return (f"has more than {limits.rows:,} rows, the most a file read here holds: split it, or check it "
            f"is the right file, or {raise_hint(limits, 'rows', rows)}")


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
