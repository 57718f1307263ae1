"""python-calamine reads an applications or scores workbook (issue 18.3) only where it reads every
cell as openpyxl does: these tests hold the two readers to the same table, and show each kind of
workbook calamine would read otherwise going to openpyxl."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from unittest import mock

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dtc_select.errors import InputFileError
from dtc_select.intake import workbook
from dtc_select.intake.reading import read_table
from dtc_select.intake.workbook import calamine_rows

# Number formats a workbook may give its cells: dates in several languages' spellings, times,
# durations, percentages, text, custom ones (a format decides whether a number reads as a date).
FORMATS = ["General", "0", "0.00", "0%", "@", "m/d/yyyy", "dd/mm/yyyy", "[$-40C]dd/mm/yyyy", "[$-40C]d mmmm yyyy",
           "dd/mm/yyyy;@", "yyyy-mm-dd hh:mm", "h:mm", "hh:mm:ss AM/PM", "mmm-yy", "d-mmm", "mm:ss.0",
           "yyyy\\-mm\\-dd", '"Date "0', "0.00E+00", "# ?/?", "[Red]0", "[$€-40C] #,##0.00", "jj/mm/aaaa"]

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
# Numbers as Excel holds them (15 significant digits), dates a spreadsheet program can show
# (1900-03-01 to 9999). Negative numbers and those of 7 digits or more send a workbook to
# openpyxl (tests below): drawn less often here, so that most workbooks are read by both.
numbers = st.one_of(st.integers(0, 999_999), st.floats(0, 999_999), st.integers(-10**15, 10**15),
                    st.sampled_from([0, 0.5, 1, 59, 60, 61, 43800.75, 0.1, 1 / 3, 1e-7]))
dates = st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31))
values = st.one_of(st.none(), texts, numbers, st.booleans(), dates, dates.map(lambda d: d.date()),
                   st.times().map(lambda t: t.replace(microsecond=0)))
cells = st.tuples(values, st.sampled_from(FORMATS))
sheets = st.lists(st.lists(cells, max_size=6), min_size=1, max_size=8)


def by_openpyxl(rows, first_row: int = 2) -> bytes:
    """The rows from `first_row` on (row 1 left empty by default: the empty header row, and rows
    that keep their numbers, are read alike too)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Candidatures"
    for i, row in enumerate(rows, start=first_row):
        for j, (value, number_format) in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(row=i, column=j, value=value)
                cell.number_format = number_format
    book.create_sheet("Other")["B2"] = "a second worksheet"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def by_xlsxwriter(rows, first_row: int = 2) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False, "in_memory": True})
    sheet = book.add_worksheet("Candidatures")
    formats = {}
    for i, row in enumerate(rows, start=first_row - 1):
        for j, (value, number_format) in enumerate(row):
            if value is None:
                continue
            style = formats.setdefault(number_format, book.add_format({"num_format": number_format}))
            if isinstance(value, (dt.datetime, dt.date, dt.time)):
                sheet.write_datetime(i, j, value, style)
            elif isinstance(value, bool):
                sheet.write_boolean(i, j, value, style)
            elif isinstance(value, str):
                sheet.write_string(i, j, value, style)
            else:
                sheet.write_number(i, j, value, style)
    book.add_worksheet("Other").write(1, 1, "a second worksheet")
    book.close()
    return buffer.getvalue()


def read_both(tmp_path: Path, data: bytes, sheet: str | None = None):
    path = tmp_path / "applications.xlsx"
    path.write_bytes(data)
    fast = []  # what calamine_rows returned, each time it was called
    with mock.patch.object(workbook, "calamine_rows", lambda *a: fast.append(calamine_rows(*a)) or fast[-1]):
        try:
            ours = read_table(path, sheet)
        except InputFileError as problem:
            ours = str(problem)
    with mock.patch.object(workbook, "calamine_rows", return_value=None):
        try:
            theirs = read_table(path, sheet)
        except InputFileError as problem:
            theirs = str(problem)
    return ours, theirs, fast


def assert_same_table(ours, theirs) -> None:
    if isinstance(ours, str) or isinstance(theirs, str):
        assert ours == theirs
        return
    assert list(ours.frame.columns) == list(theirs.frame.columns)
    assert ours.frame.equals(theirs.frame)
    assert (ours.info, dict(ours.row_problems), dict(ours.headers)) == \
        (theirs.info, dict(theirs.row_problems), dict(theirs.headers))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=sheets, writer=st.sampled_from([by_openpyxl, by_xlsxwriter]))
def test_calamine_reads_every_workbook_as_openpyxl_does(tmp_path, rows, writer):
    ours, theirs, fast = read_both(tmp_path, writer(rows))
    assert_same_table(ours, theirs)


def test_an_ordinary_workbook_is_read_by_calamine(tmp_path):
    data = by_xlsxwriter([[("id", "General"), ("submitted_at", "General")],
                          [("A-1", "General"), (dt.datetime(2021, 8, 31), "dd/mm/yyyy")]], first_row=1)
    ours, theirs, fast = read_both(tmp_path, data)
    assert len(fast) == 1 and fast[0] is not None  # calamine read it
    assert list(ours.frame["submitted_at"]) == ["2021-08-31"]
    assert_same_table(ours, theirs)


def scan_of(data: bytes) -> workbook.limits.WorkbookScan:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return workbook.measure_workbook(archive)


def test_an_error_value_sends_the_workbook_to_openpyxl_which_reads_its_text(tmp_path):
    book = Workbook()
    book.active.append(["id", "workstations"])
    book.active.append(["A-1", "#N/A"])  # openpyxl writes it as an error cell (t="e")
    buffer = io.BytesIO()
    book.save(buffer)
    assert scan_of(buffer.getvalue()).unusual_cells
    ours, theirs, fast = read_both(tmp_path, buffer.getvalue())
    assert fast == []
    assert list(ours.frame["workstations"]) == ["#N/A"]  # not an empty cell: it was not left blank


@pytest.mark.parametrize("number, number_format, text", [
    (12345678901234, "h:mm", "#VALUE!"),  # calamine: a number; openpyxl: no time, as Excel shows ####
    (3e6, "dd/mm/yyyy", "#VALUE!"),  # past 9999-12-31; calamine: the number
    (-1, "dd/mm/yyyy", "1899-12-29"),  # calamine: 00:00:00
    (-1e15, "h:mm", "#VALUE!"),  # calamine: a crash (a Rust panic)
    (1e20, "[h]:mm:ss", "#VALUE!"),  # calamine: an error
])
def test_a_negative_or_huge_number_sends_the_workbook_to_openpyxl(tmp_path, number, number_format, text):
    data = by_openpyxl([[("id", "General"), ("value", "General")], [("A-1", "General"), (number, number_format)]],
                       first_row=1)
    assert scan_of(data).unusual_cells
    ours, _, fast = read_both(tmp_path, data)
    assert fast == []
    assert list(ours.frame["value"]) == [text]


def test_a_far_away_cell_sends_the_workbook_to_openpyxl_instead_of_a_grid_of_billions(tmp_path):
    # calamine makes the whole grid from A1 to the last cell: XFD1048576 would be 17 billion cells.
    book = Workbook()
    book.active.append(["id", "name"])
    book.active.append(["A-1", "Centre"])
    book.active["XFD100000"] = "far away"
    buffer = io.BytesIO()
    book.save(buffer)
    scan = scan_of(buffer.getvalue())
    assert scan.last_column == 16384 and scan.last_row == 100000
    path = tmp_path / "far.xlsx"
    path.write_bytes(buffer.getvalue())
    with mock.patch.object(workbook, "calamine_rows", wraps=workbook.calamine_rows) as fast:
        with pytest.raises(InputFileError, match="16,384 columns"):
            read_table(path)
    assert fast.call_count == 0


def test_a_workbook_calamine_fails_on_is_read_by_openpyxl(tmp_path):
    # python-calamine's own failures include Rust panics, which are not Exceptions.
    class Panic(BaseException):
        pass

    data = by_openpyxl([[("id", "General"), ("name", "General")], [("A-1", "General"), ("Centre", "General")]],
                       first_row=1)
    with mock.patch("python_calamine.CalamineWorkbook.from_filelike", side_effect=Panic("out of bounds")):
        ours, theirs, fast = read_both(tmp_path, data)
    assert fast == [None]  # tried, and gave way
    assert list(ours.frame["name"]) == ["Centre"]
    assert_same_table(ours, theirs)


@pytest.mark.parametrize("sheet", [None, "Other", "Missing"])
def test_both_readers_choose_the_same_worksheet_and_name_a_missing_one_alike(tmp_path, sheet):
    ours, theirs, _ = read_both(tmp_path, by_openpyxl([[("id", "General")], [("A-1", "General")]], first_row=1),
                                sheet)
    assert_same_table(ours, theirs)
    if sheet == "Missing":
        assert "has no worksheet 'Missing' (its worksheets: Candidatures, Other)" in ours
