"""XLSX workbooks: one worksheet's rows as text cells, within the bounds of `limits.py`.

`xlsx_rows` measures the workbook before reading it (the parts' unpacked sizes from the ZIP
directory, then the worksheet's rows and cells counted in its XML as it is unpacked), reads the
rows, and stops at the first row past a bound. python-calamine reads them when the count found
nothing it reads otherwise than openpyxl (an error value, which it reads as empty; a grid past
the bounds, which it would make whole); openpyxl (read-only: one row at a time) reads the rest,
and the returned score sheets (score_sheets.py: small, several worksheets).

It also finds formula cells without a saved value: a workbook written by a program (not saved by
a spreadsheet program) holds the formula but not its result, which both readers read as an
empty cell. Such a cell is a problem of its row, in those words, not "empty".
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name as column_letter  # 0 -> A; openpyxl's costs its import

from dtc_select.errors import InputFileError
from dtc_select.intake import delimited
from dtc_select.intake import limits
from dtc_select.limits import DEFAULT_LIMITS, Limits, raise_hint

SAVE_AS = "save it as .xlsx or CSV"
FORMULA_WITHOUT_VALUE = ("{cells} a formula with no saved value (the workbook was written by a program, "
                         "not saved by a spreadsheet program): open the file in a spreadsheet program and "
                         "save it, so the formula's result is saved")


def zip_problem(data: bytes) -> str:
    """Why a ZIP-like file is not a readable XLSX workbook, in words."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ("is a damaged or incomplete XLSX workbook (it may have been cut short when copied or "
                "downloaded): open it in Excel and save it again, or save it as CSV")
    if "xl/workbook.xml" in names:
        return "is a damaged XLSX workbook: open it in Excel and save it again, or save it as CSV"
    if "mimetype" in names or "content.xml" in names:
        return f"is an OpenDocument file (.ods), not an XLSX workbook: {SAVE_AS}"
    if "word/document.xml" in names:
        return "is a Word document, not a table: put the applications in a spreadsheet saved as .xlsx or CSV"
    return "is a ZIP archive, not an XLSX workbook: extract the workbook or CSV from it"


def xlsx_rows(path: Path, data: bytes, sheet: str | None,
              bounds: Limits = DEFAULT_LIMITS) -> tuple[list[list[str | None]], dict, dict[int, str]]:
    """(rows of text cells, how they were read, {data row: problem} for formula cells without a
    saved value). InputFileError for a workbook that cannot be used or is past a bound."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            scan = measure_workbook(archive, bounds)
    except limits.TooLarge as problem:
        raise InputFileError(path, str(problem)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        raise InputFileError(path, zip_problem(data)) from None
    fast = not scan.unusual_cells and scan.last_column <= bounds.columns and scan.grid_cells() <= bounds.xlsx_cells
    try:
        read = calamine_rows(path, data, sheet, bounds) if fast else None
        title, titles, rows = read or openpyxl_rows(path, data, sheet, bounds)
    except limits.TooLarge as problem:
        raise InputFileError(path, str(problem)) from None
    if all(all(cell is None or not cell.strip() for cell in row) for row in rows):
        others = f" (its worksheets: {', '.join(titles)}; choose one with --sheet)" if len(titles) > 1 else ""
        which = "worksheet" if sheet is not None else "first worksheet"
        raise InputFileError(path, f"its {which} {title!r} is empty{others}")
    problems = _formulas_without_values(data, title, rows) if scan.formulas else {}
    return rows, {"format": "xlsx", "encoding": None, "separator": None, "sheet": title}, problems


def measure_workbook(archive: zipfile.ZipFile, bounds: Limits = DEFAULT_LIMITS) -> limits.WorkbookScan:
    """limits.TooLarge for a workbook past a bound, from its ZIP directory, then its XML counted
    as it is unpacked: before openpyxl opens it (opening parses each sheet that does not record
    its size, whole). For any workbook read whole, as returned score sheets are."""
    limits.check_archive(archive, bounds)
    return limits.scan_workbook(archive, bounds)


def calamine_rows(path: Path, data: bytes, sheet: str | None,
                  bounds: Limits = DEFAULT_LIMITS) -> tuple[str, list[str], list[list[str | None]]] | None:
    """(worksheet title, worksheet titles, rows of text cells) read by python-calamine, a reader in
    Rust 2-5 times faster than openpyxl (bench/RESULTS.md, issue 18.3), or None where it cannot
    read the workbook or a cell (a date past the year 9999): openpyxl reads it then, and words
    what is wrong. Only for a workbook whose scan found no cell calamine reads otherwise than
    openpyxl (an error value such as #N/A, which it reads as empty; a negative or huge number,
    limits.WorkbookScan) and whose grid, which it makes whole, is within the bounds."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        titles = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
        title = _chosen_title(path, titles, sheet)
        # skip_empty_area=False: the rows and columns before the first filled cell stay, so
        # every cell keeps its place; an empty cell is "".
        values = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
    except InputFileError:
        raise
    except BaseException as failure:  # noqa: BLE001 - a Rust panic is not an Exception
        if isinstance(failure, (KeyboardInterrupt, SystemExit)):
            raise
        return None  # whatever it is, openpyxl reads the workbook, and words what is wrong

    def emptied(rows: list[list]):
        for number, row in enumerate(rows):
            rows[number] = None  # the values go as their texts come: not both whole in memory
            yield [None if value == "" else value for value in row]

    return title, titles, text_rows(title, emptied(values), bounds)


def openpyxl_rows(path: Path, data: bytes, sheet: str | None,
                  bounds: Limits) -> tuple[str, list[str], list[list[str | None]]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a broken file: say which in words
            raise InputFileError(path, zip_problem(data)) from None
        try:
            titles = [w.title for w in book.worksheets]
            title = _chosen_title(path, titles, sheet)
            return title, titles, worksheet_rows(path, data, book[title], bounds)
        finally:
            book.close()


def _chosen_title(path: Path, titles: list[str], sheet: str | None) -> str:
    if not titles:
        raise InputFileError(path, "the workbook has no worksheet")
    if sheet is not None and sheet not in titles:
        raise InputFileError(path, f"has no worksheet {sheet!r} (its worksheets: {', '.join(titles)})")
    return sheet if sheet is not None else titles[0]


def worksheet_rows(path: Path, data: bytes, ws, bounds: Limits = DEFAULT_LIMITS) -> list[list[str | None]]:
    """Every row of an openpyxl worksheet as text cells, stopping at the first past a bound."""
    # The size a worksheet records is not trusted: read by it, each row is padded out to its
    # width (A1:ALL1048576 makes a thousand cells of every one-cell row); rows are as they come.
    ws.reset_dimensions()
    try:
        # Row numbers may jump (a row 1,000,000 after row 2): openpyxl yields an empty row for
        # each one missing, so rows are counted as they come (text_rows), not only from the XML.
        return text_rows(ws.title, ws.iter_rows(values_only=True), bounds)
    except (InputFileError, limits.TooLarge):
        raise
    except Exception as exc:  # a damaged part inside a readable archive
        raise InputFileError(path, f"{zip_problem(data)} ({_one_line(exc)[:80]})") from None


def text_rows(title: str, values: Iterable[Sequence], bounds: Limits = DEFAULT_LIMITS) -> list[list[str | None]]:
    """The rows of cell values as text cells; limits.TooLarge at the first row past a bound."""
    rows: list[list[str | None]] = []
    for number, row in enumerate(values, start=1):
        if number > limits.MAX_XLSX_ROWS:
            raise limits.TooLarge(f"its worksheet {title!r} goes past row {limits.MAX_XLSX_ROWS:,}, more "
                                  f"than a spreadsheet program can hold: the file was not written by one")
        if len(row) > bounds.columns:
            raise limits.TooLarge(f"row {number} of worksheet {title!r} has {len(row):,} columns: a table "
                                  f"read here has at most {bounds.columns:,}; "
                                  f"{raise_hint(bounds, 'columns', len(row))}")
        texts = [delimited.cell_text(v) for v in row]
        if max(map(len, filter(None, texts)), default=0) > bounds.cell_chars:
            j, text = next((j, t) for j, t in enumerate(texts) if t and len(t) > bounds.cell_chars)
            raise limits.TooLarge(f"cell {column_letter(j)}{number} of worksheet {title!r} holds "
                                  f"{len(text):,} characters: a cell holds at most {bounds.cell_chars:,} here; "
                                  f"{raise_hint(bounds, 'cell_chars', len(text))}")
        rows.append(texts)
    return rows


def _formulas_without_values(data: bytes, title: str, rows: list[list[str | None]]) -> dict[int, str]:
    """{data row (1 = the row below the header): problem} for each row with a formula cell that
    has no saved value: empty when read for values, a formula when read for formulas. The
    worksheet is read a second time, only when its XML holds a formula."""
    import openpyxl

    problems: dict[int, list[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            ws = book[title]
            ws.reset_dimensions()
            for number, (row, values) in enumerate(zip(ws.iter_rows(values_only=True), rows), start=1):
                for j, formula in enumerate(row):
                    if formula is not None and (j >= len(values) or values[j] is None) and _is_formula(formula):
                        problems.setdefault(number - 1, []).append(f"{column_letter(j)}{number}")
        finally:
            book.close()
    problems.pop(0, None)  # the header row: a formula there leaves a header empty, read as such
    return {row: FORMULA_WITHOUT_VALUE.format(cells=f"cell {cells[0]} holds" if len(cells) == 1 else
                                              f"cells {', '.join(cells)} hold")
            for row, cells in problems.items()}


def _is_formula(value: object) -> bool:
    # openpyxl gives a formula as its text ("=A1+1"), or as an object for array and table formulas.
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in {"ArrayFormula",
                                                                                        "DataTableFormula"}


def _one_line(text: object) -> str:
    return " ".join(str(text).split())
