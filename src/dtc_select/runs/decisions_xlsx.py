"""decisions.xlsx: the decisions as a formatted table a committee can sort, filter and annotate.

The same rows and columns as decisions.csv, with the same neutralising of applicant text that a
spreadsheet would run as a formula (`safe_cells.neutralise_formulas`). Header row and application ids
frozen, filters on, columns sized to their content, reasons wrapped, scores shown to three decimals.
Same decisions, same bytes: the workbook's dates and the zip entries' times are fixed.

Why a writer of our own: a large call has about 50 columns per applicant, 5 million cells at
100,000 applicants. openpyxl makes a Python object per cell (21 s for 10,000 applicants, 181 s
and 2.2 GiB for 100,000); XlsxWriter's constant-memory mode still writes cell by cell (2.9 s
for 10,000, about 30 s for 100,000). This writer formats each column of a block of rows at once (one string
pass per column, not a call per cell) and streams the sheet into the zip block by block: 0.5 s
for 10,000 applicants, about 4-5 s and 0.2 GiB for 100,000 on the 2-core benchmark machine
(`xlsx_seconds` in bench/run.py). Measured again against XlsxWriter, which writes every other
workbook we make: 5-6 times slower at 100,000 rows (bench/xlsx_writers.py, bench/RESULTS.md).

What it writes (ECMA-376 Part 1, SpreadsheetML, the minimal package Excel, LibreOffice and openpyxl
read): content types, package and workbook relationships, core and app properties, a workbook of
one sheet with the hidden `_xlnm._FilterDatabase` name Excel keeps for a filter, a stylesheet of
five cell formats (`xlsx_parts`), and the sheet: frozen pane, column widths and styles, rows of
numbers, booleans and inline strings, an autofilter. What it does not do: shared strings (inline
strings are valid and need no second pass), dates as date serials (timestamps are ISO text, as
before), formulas (applicant text is never a formula), more than one sheet, or any formatting
beyond the five styles.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import zipfile
from collections.abc import Iterator
from queue import Queue
from threading import Thread
from typing import BinaryIO

import pandas as pd
from xlsxwriter.utility import xl_col_to_name  # column letters; importing openpyxl for them cost 3x as long

from dtc_select.runs import xlsx_parts as parts
from dtc_select.runs.safe_cells import neutralise_formulas

# Fixed so that the same decisions give the same bytes (zip entries record when they were made).
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
WIDEST = {"reasons": 90, "institution_name": 40}
WRAPPED = {"reasons", "tie_break_note", "institution_name"}
ROWS_PER_BLOCK = 5000  # rows formatted and compressed at a time: bounds the memory, not the speed
# zlib level 1 compresses the 100,000-applicant sheet (210 MB of XML) into 28 MB in 0.7 s; level 3
# gives 24 MB in 1.0 s, the default 6 gives 20 MB in 2.5 s: the seconds matter more than the MB.
COMPRESSION_LEVEL = 1
# Excel holds at most 32,767 characters (UTF-16 units) in a cell; longer text is cut with this
# visible marker instead of making a file Excel calls damaged.
CELL_LIMIT = 32767
CUT_MARKER = " [… cut at Excel's 32,767-character limit: decisions.csv has the whole text]"
# Characters an XML 1.0 document cannot hold (besides NUL, the separator below): tab, line feed and
# carriage return are allowed; lone surrogates cannot even be written as UTF-8.
ILLEGAL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SEPARATOR = "\x00"  # joins a column's texts into one string for the cleaning (NUL cannot stay anyway)
ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"))
# Excel reads "_x0041_" in a cell's text as the character U+0041: such text keeps its underscore
# escaped as "_x005F_" so that it shows as typed.
EXCEL_ESCAPE = re.compile("_(x[0-9A-Fa-f]{4}_)")


def decisions_xlsx(decisions: pd.DataFrame) -> bytes:
    """The decisions table as XLSX bytes, formula-like applicant text neutralised."""
    raw = io.BytesIO()
    write_decisions_xlsx(decisions, raw)
    return raw.getvalue()


def write_decisions_xlsx(decisions: pd.DataFrame, out: BinaryIO, *, neutralised: bool = False) -> None:
    """The decisions table as XLSX into `out`, a binary file open for writing that can seek (a zip
    entry's header is written again once the entry is complete): the workbook is never held whole.
    `neutralised`: the table already went through neutralise_formulas (not done twice)."""
    frame = decisions if neutralised else neutralise_formulas(decisions)
    start = out.tell()
    try:
        _package(frame, out, zip64=False)
    except RuntimeError:  # the sheet's XML passed the 2 GiB a plain zip entry holds: again, in zip64
        out.seek(start)
        out.truncate()
        _package(frame, out, zip64=True)


def _package(frame: pd.DataFrame, out: BinaryIO, *, zip64: bool) -> None:
    """The workbook's zip, the sheet streamed into it block by block. Zip64 records only when
    asked: Excel is strict about them and a file that does not need them should not have them."""
    last_column, last_row = xl_col_to_name(max(len(frame.columns), 1) - 1), len(frame) + 1
    span = f"A1:{last_column}{last_row}"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL) as archive:
        for name, text in parts.fixed_parts(last_column, last_row).items():
            archive.writestr(_entry(name), text.encode("utf-8"))
        with archive.open(_entry(parts.SHEET_PART), "w", force_zip64=zip64) as sheet:
            head = parts.sheet_head(span, _widths_and_styles(frame))
            blocks = itertools.chain([head], _row_blocks(frame), [parts.sheet_tail(span)])
            _write_behind(sheet, (block.encode("utf-8") for block in blocks))


def _write_behind(stream, pieces: Iterator[bytes]) -> None:
    """Write the pieces in order from a second thread: zlib compresses without holding the
    interpreter lock, so one block is compressed while the next is formatted (0.7 s of 4 s at
    100,000 applicants taken off the clock when a second core is free)."""
    queue: Queue = Queue(maxsize=2)  # at most two blocks waiting: bounds the memory
    failures: list[BaseException] = []

    def drain() -> None:
        while (piece := queue.get()) is not None:
            if not failures:
                try:
                    stream.write(piece)
                except BaseException as failure:  # raised again in the caller's thread
                    failures.append(failure)

    writer = Thread(target=drain, name="decisions.xlsx writer")
    writer.start()
    try:
        for piece in pieces:
            if failures:
                break
            queue.put(piece)
    finally:
        queue.put(None)
        writer.join()
    if failures:
        raise failures[0]


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
    entry._compresslevel = COMPRESSION_LEVEL  # an entry's level wins over the archive's (3.13: compress_level)
    return entry


def _widths_and_styles(frame: pd.DataFrame) -> list[tuple[float, int]]:
    """Per column: its width (longest of header and first 500 values, + 2, within 8 and its widest)
    and the style its empty cells take."""
    widths = []
    for index, column in enumerate(frame.columns):
        values = frame.iloc[:, index].dropna().head(500).astype(str)
        longest = max([len(str(column))] + [len(v) for v in values])
        widths.append((min(max(longest + 2, 8), WIDEST.get(column, 30)), _styles(column)[1]))
    return widths


def _styles(column) -> tuple[int, int]:
    """(text style, number style) of a column: wrapped reasons and names; scores to 3 decimals."""
    text = parts.TOP_WRAPPED if column in WRAPPED else parts.TOP
    scored = column in ("score", "merit_score") or str(column).startswith("criterion_")
    return text, parts.TOP_SCORE if scored else text


def _row_blocks(frame: pd.DataFrame):
    """The sheet's rows as XML, the header first, ROWS_PER_BLOCK rows per string."""
    letters = [xl_col_to_name(i) for i in range(len(frame.columns))]
    header = [_text_cells(letter, ["1"], [str(name)], (parts.HEADER, parts.HEADER))[0]
              for letter, name in zip(letters, frame.columns)]
    yield '<row r="1">' + "".join(header) + "</row>"
    styles = [_styles(c) for c in frame.columns]
    for start in range(0, len(frame), ROWS_PER_BLOCK):
        block = frame.iloc[start:start + ROWS_PER_BLOCK]
        rows = [str(r) for r in range(start + 2, start + 2 + len(block))]
        columns = [block.iloc[:, i].to_numpy(dtype=object, na_value=None).tolist() for i in range(len(letters))]
        cells = [_column_cells(letter, rows, values, style) for letter, values, style in zip(letters, columns, styles)]
        opening = [f'<row r="{r}">' for r in rows]
        yield "".join(map("".join, zip(opening, *cells, ["</row>"] * len(rows))))


def _column_cells(letter: str, rows: list[str], values: list, styles: tuple[int, int]) -> list[str]:
    """One column's cells for `rows`, "" where the value is missing (no cell at all).

    A column of one kind (all text, all numbers...) is formatted in one pass; a mixed column is
    split by kind, each part formatted alike, and put back in row order."""
    kinds = set(map(type, values)) - {type(None)}
    if not kinds:
        return [""] * len(values)
    kind = _KIND_OF_TYPE.get(kinds.pop()) if len(kinds) == 1 else None
    if kind and not (kind == "float" and _has_infinity(values)):
        return _FORMAT[kind](letter, rows, values, styles)
    cells = [""] * len(values)
    by_kind: dict[str, list[int]] = {}
    for index, value in enumerate(values):
        by_kind.setdefault(_kind(value), []).append(index)
    for kind, indices in by_kind.items():
        if kind == "missing":
            continue
        picked = [_as_kind(values[i], kind) for i in indices]
        for index, cell in zip(indices, _FORMAT[kind](letter, [rows[i] for i in indices], picked, styles)):
            cells[index] = cell
    return cells


def _has_infinity(values: list) -> bool:
    return math.inf in values or -math.inf in values


def _kind(value) -> str:
    """How a value is written: "missing" (no cell), "int", "float", "bool" or "text"."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "missing"
    if hasattr(value, "item") and not isinstance(value, (str, pd.Timestamp)):  # a numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        if math.isnan(value):
            return "missing"
        return "text" if math.isinf(value) else "float"  # Excel has no infinity: "inf" as text
    return "text"


def _as_kind(value, kind: str):
    """A value as its kind's formatter takes it: Python bool and numbers, text as str."""
    if hasattr(value, "item") and not isinstance(value, (str, pd.Timestamp)):
        value = value.item()
    if kind in ("int", "float"):  # subclasses (enums, numpy's float64) as plain numbers
        return {"int": int, "float": float}[kind](value)
    if kind == "bool" or isinstance(value, str):
        return value
    if isinstance(value, pd.Timestamp) or hasattr(value, "tzinfo"):
        stamp = pd.Timestamp(value)
        return stamp.tz_convert("UTC").isoformat() if stamp.tzinfo else str(value)
    return repr(value) if isinstance(value, float) else str(value)


# Each cell's markup around its row number and value, made once per column (not per cell).
def _text_cells(letter: str, rows: list[str], values: list, styles: tuple[int, int]) -> list[str]:
    start, middle = f'<c r="{letter}', f'" s="{styles[0]}" t="inlineStr"><is><t xml:space="preserve">'
    texts = _xml_texts(["" if v is None else v for v in values])
    return [f"{start}{r}{middle}{t}</t></is></c>" if t else "" for r, t in zip(rows, texts)]


def _number_cells(letter: str, rows: list[str], values: list, styles: tuple[int, int]) -> list[str]:
    start, middle = f'<c r="{letter}', f'" s="{styles[1]}"><v>'
    return [f"{start}{r}{middle}{t}</v></c>" if t is not None else "" for r, t in zip(rows, _number_texts(values))]


def _number_texts(values: list) -> list:
    """Each number's shortest exact text (None stays None): all ints or all floats. A float's text
    costs most of a number cell's time, so a column of few distinct values (a bonus, a reviewer
    count, a probability) formats each distinct value once."""
    distinct = set(values)
    if len(distinct) * 2 > len(values):
        return [None if v is None else repr(v) for v in values]
    texts = {v: repr(v) for v in distinct if v}  # 0.0 and -0.0 are one key: zeros are formatted apart
    return [texts[v] if v else (None if v is None else repr(v)) for v in values]


def _bool_cells(letter: str, rows: list[str], values: list, styles: tuple[int, int]) -> list[str]:
    start, true, false = f'<c r="{letter}', f'" s="{styles[0]}" t="b"><v>1</v></c>', f'" s="{styles[0]}" t="b"><v>0</v></c>'
    return [f"{start}{r}{true if v else false}" if v is not None else "" for r, v in zip(rows, values)]


_FORMAT = {"text": _text_cells, "int": _number_cells, "float": _number_cells, "bool": _bool_cells}
_KIND_OF_TYPE = {str: "text", float: "float", int: "int", bool: "bool"}


def _xml_texts(texts: list[str]) -> list[str]:
    """Texts as an XML text node holds them: line ends as "\\n", characters XML cannot hold as
    U+FFFD, at most CELL_LIMIT long, & < > " escaped, "_xHHHH_" kept literal. The column's texts
    are joined into one string for each step: one pass in C instead of a Python call per cell."""
    if not texts:
        return []
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1:  # a text holds NUL itself
        joined = SEPARATOR.join(t.replace(SEPARATOR, "\ufffd") for t in texts)
    joined = ILLEGAL.sub("\ufffd", joined.replace("\r\n", "\n").replace("\r", "\n"))
    if max(map(len, texts)) > CELL_LIMIT // 2:  # could pass the limit in UTF-16 units
        joined = SEPARATOR.join(map(_within_cell_limit, joined.split(SEPARATOR)))
    for character, entity in ESCAPES:
        joined = joined.replace(character, entity)
    if "_x" in joined:
        joined = EXCEL_ESCAPE.sub(r"_x005F_\1", joined)
    return joined.split(SEPARATOR)


def _within_cell_limit(text: str) -> str:
    """The text, or its start and CUT_MARKER when Excel could not hold it all (counted in UTF-16
    units, as Excel counts: a character beyond U+FFFF takes two)."""
    if len(text.encode("utf-16-le")) // 2 <= CELL_LIMIT:
        return text
    budget, units = CELL_LIMIT - len(CUT_MARKER), 0
    for keep, character in enumerate(text):
        units += 2 if ord(character) > 0xFFFF else 1
        if units > budget:
            return text[:keep] + CUT_MARKER
    return text
