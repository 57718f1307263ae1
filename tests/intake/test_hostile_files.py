"""Data files built to hurt: each ends in one line naming the file and the bound, exit status 3,
in bounded memory, with no output folder (issue 17). The bounds are in
`dtc_select.intake.limits` and docs/limits.md; the files are generated here, in tmp_path.

The files that exhausted memory or hung before are run in a child process capped at
`tests.hostile.MEMORY_CAP`: a regression fails the test instead of swapping.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import openpyxl
import pandas as pd

from dtc_select.cli import main
from tests.conftest import EXAMPLES, PHASE1
from tests.hostile import raw_xlsx, run_capped

HEADER = (EXAMPLES / "applications.csv").read_text(encoding="utf-8").split("\n", 1)[0] + "\n"


def refused_capped(tmp_path: Path, path: Path) -> str:
    """The child's one line, after checking exit 3, one line, no traceback, nothing written."""
    done = run_capped(tmp_path, applications=path)
    assert done.returncode == 3, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"dtc-select: {path}: ")
    assert not (tmp_path / "out").exists()
    return done.stderr.removeprefix(f"dtc-select: {path}: ").rstrip("\n")


def refused(tmp_path: Path, path: Path, capsys, *extra: str) -> str:
    """The same, in this process (for files that were never a danger to memory)."""
    status = main(["run", "--call", str(PHASE1), "--applications", str(path), "--out", str(tmp_path / "out"), *extra])
    err = capsys.readouterr().err
    assert status == 3, err
    assert err.count("\n") == 1 and err.startswith(f"dtc-select: {path}: "), err
    assert not (tmp_path / "out").exists()
    return err.removeprefix(f"dtc-select: {path}: ").rstrip("\n")


# --- memory and time, before the fix ---------------------------------------------------------------

def test_an_xlsx_of_a_few_hundred_kilobytes_that_unpacks_to_millions_of_rows_is_refused_before_reading(tmp_path):
    rows = b"<row><c><v>1</v></c></row>" * 1_100_000
    path = raw_xlsx(tmp_path / "applications.xlsx", b'<row><c t="inlineStr"><is><t>a</t></is></c></row>' + rows)
    assert path.stat().st_size < 1_000_000
    assert refused_capped(tmp_path, path) == (
        "a worksheet (xl/worksheets/sheet1.xml) has more than 1,048,576 rows, more than a spreadsheet program can "
        "hold: the file was not written by one")


def test_a_csv_line_of_twenty_million_separators_is_refused_before_it_is_split(tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text(HEADER + "," * 20_000_000 + "\n", encoding="utf-8")
    assert refused_capped(tmp_path, path) == "line 2 has 20,000,001 cells: a table read here has at most 1,000 " \
        "columns; pass --limit columns=30000000 to allow more"


def test_a_cell_of_64_megabytes_is_refused_in_one_line(tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text(HEADER + "x" * 64_000_000 + ",y\n", encoding="utf-8")
    assert refused_capped(tmp_path, path) == \
        "line 2 holds a value longer than 100,000 characters, the most a cell holds here; " \
        "pass --limit cell_chars=70000000 to allow more"


def test_a_quoted_cell_longer_than_the_bound_is_refused_naming_its_line(tmp_path, capsys):
    path = tmp_path / "applications.csv"
    path.write_text(HEADER + '"' + "x" * 200_000 + '",y\n', encoding="utf-8")
    assert refused(tmp_path, path, capsys) == \
        "a value starting in line 2 is longer than 100,000 characters, the most a cell holds here; " \
        "pass --limit cell_chars=200000 to allow more"


def test_a_header_of_100000_columns_is_refused_in_one_line(tmp_path, capsys):
    path = tmp_path / "applications.csv"
    path.write_text(",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" * 100_000) + "\n",
                    encoding="utf-8")
    assert refused(tmp_path, path, capsys) == "line 1 has 100,000 cells: a table read here has at most 1,000 columns; " \
        "pass --limit columns=100000 to allow more"


def test_a_quoted_row_of_too_many_cells_is_refused_by_the_csv_module_path_too(tmp_path, capsys):
    path = tmp_path / "applications.csv"
    path.write_text(HEADER + '"a"' + ",x" * 2_000 + "\n", encoding="utf-8")
    assert refused(tmp_path, path, capsys) == "line 2 has 2,001 cells: a table read here has at most 1,000 columns; " \
        "pass --limit columns=3000 to allow more"


def test_a_fifo_given_as_the_applications_file_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    path = tmp_path / "applications.csv"
    os.mkfifo(path)
    # Were the FIFO opened for reading, the run would wait for a writer; this one would let it go.
    rescue = threading.Timer(60, lambda: open(path, "wb").close())
    rescue.start()
    try:
        assert refused(tmp_path, path, capsys) == \
            "is a named pipe (FIFO), not a file: give the path of the CSV or XLSX file itself"
    finally:
        rescue.cancel()


def test_a_device_given_as_the_scores_file_is_refused(tmp_path, capsys):
    status = main(["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                   "--scores", "/dev/zero", "--out", str(tmp_path / "out")])
    assert status == 3
    assert capsys.readouterr().err == \
        "dtc-select: /dev/zero: is a device, not a file: give the path of the CSV or XLSX file itself\n"


# --- each bound, lowered so that a small file reaches it -------------------------------------------

def test_a_file_larger_than_the_bound_is_refused_before_it_is_read(tmp_path, capsys):
    path = tmp_path / "applications.csv"
    path.write_bytes(HEADER.encode() + b"x\n" * 600_000)
    assert refused(tmp_path, path, capsys, "--limit", "file_mb=1") == \
        "is 1.1 MB: a file read here is at most 1 MB (split it, or keep only the columns the call reads; " \
        "or pass --limit file_mb=2 to allow more)"


def test_a_csv_of_more_rows_than_the_bound_is_refused(tmp_path, capsys):
    path = tmp_path / "applications.csv"
    path.write_text(HEADER + "x\n" * 11, encoding="utf-8")
    assert refused(tmp_path, path, capsys, "--limit", "rows=10") == \
        "has more than 10 rows, the most a file read here holds: split it, or check it is the right file, " \
        "or pass --limit rows=20 to allow more"


def test_a_workbook_whose_parts_unpack_past_the_bound_is_refused_from_its_zip_directory(tmp_path, capsys):
    path = raw_xlsx(tmp_path / "applications.xlsx", b"<row><c><v>1</v></c></row>" * 50_000)
    assert refused(tmp_path, path, capsys, "--limit", "xlsx_mb=1") == \
        "unpacks to 1.2 MB: a workbook read here unpacks to at most 1 MB; save the worksheet as CSV " \
        "(read faster and in less memory), or pass --limit xlsx_mb=2 to allow more"


def test_a_worksheet_of_more_cells_than_the_bound_is_refused_before_openpyxl_reads_it(tmp_path, capsys):
    path = raw_xlsx(tmp_path / "applications.xlsx", b"<row>" + b"<c><v>1</v></c>" * 101 + b"</row>")
    assert refused(tmp_path, path, capsys, "--limit", "xlsx_cells=100") == \
        "a worksheet (xl/worksheets/sheet1.xml) has more than 100 cells: a workbook read here has at most 100; " \
        "save the worksheet as CSV (read faster and in less memory), or pass --limit xlsx_cells=200 to allow more"


def test_a_jump_to_row_999999999_is_refused_without_making_the_empty_rows_between(tmp_path, capsys):
    path = raw_xlsx(tmp_path / "applications.xlsx", b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
                    b'<row r="999999999"><c r="A999999999"><v>1</v></c></row>')
    assert refused(tmp_path, path, capsys) == \
        "its worksheet 'Applications' goes past row 1,048,576, more than a spreadsheet program can hold: " \
        "the file was not written by one"


def test_a_worksheet_row_wider_than_the_bound_is_refused_naming_the_row(tmp_path, capsys):
    path = raw_xlsx(tmp_path / "applications.xlsx", b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
                    b'<row r="2"><c r="ALM2"><v>1</v></c></row>')  # column ALM is the 1,001st
    assert refused(tmp_path, path, capsys) == \
        "row 2 of worksheet 'Applications' has 1,001 columns: a table read here has at most 1,000; " \
        "pass --limit columns=2000 to allow more"


def test_a_worksheet_cell_longer_than_the_bound_is_refused_naming_the_cell(tmp_path, capsys):
    long = b"x" * 100_001
    path = raw_xlsx(tmp_path / "applications.xlsx", b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
                    b'<row r="2"><c r="B2" t="inlineStr"><is><t>' + long + b"</t></is></c></row>")
    assert refused(tmp_path, path, capsys) == \
        "cell B2 of worksheet 'Applications' holds 100,001 characters: a cell holds at most 100,000 here; " \
        "pass --limit cell_chars=200000 to allow more"


# --- a formula with no saved value -----------------------------------------------------------------

def test_a_formula_with_no_saved_value_is_quarantined_as_what_it_is_not_as_empty(tmp_path):
    rows = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Applications"
    sheet.append(list(rows.columns))
    for row in rows.head(4).values.tolist():
        sheet.append(row)
    sheet["B3"] = '=UPPER("Lakeside ICT Training Centre")'  # openpyxl saves the formula, not its result
    sheet["B5"], sheet["C5"] = '=CONCATENATE("a", "b")', '="Kenya"'
    path = tmp_path / "applications.xlsx"
    book.save(path)
    status = main(["run", "--call", str(PHASE1), "--applications", str(path), "--out", str(tmp_path / "out")])
    assert status == 0
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv", dtype=str)
    assert quarantine["source_row"].tolist() == ["2", "4"]
    first, second = quarantine["problems"].tolist()
    assert first.startswith("cell B3 holds a formula with no saved value (the workbook was written by a program, "
                            "not saved by a spreadsheet program): open the file in a spreadsheet program and save it")
    assert second.startswith("cells B5, C5 hold a formula with no saved value")


def test_a_formula_with_its_saved_value_is_read_as_that_value(tmp_path):
    from dtc_select.intake.reading import read_table

    path = raw_xlsx(tmp_path / "applications.xlsx",
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>application_id</t></is></c></row>'
                    b'<row r="2"><c r="A2" t="str"><f>UPPER("a-1")</f><v>A-1</v></c></row>')
    raw = read_table(path)
    assert raw.frame["application_id"].tolist() == ["A-1"] and raw.row_problems == {}
