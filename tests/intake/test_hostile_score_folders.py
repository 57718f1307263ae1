"""A folder of returned score sheets (`run --scores FOLDER`) is held to the same bounds as any data
file, each file measured before it is read, and the folder to a number of files: a hostile file
dropped among good sheets ends the run in one line naming that file and the bound, exit status 3,
in bounded memory, with no output folder (issue 17)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dtc_select.cli import main
from tests.conftest import EXAMPLES, PHASE1
from tests.hostile import raw_xlsx, run_capped

HEADER = b'<row r="1"><c r="A1" t="inlineStr"><is><t>application_id</t></is></c></row>'


@pytest.fixture(scope="module")
def good_sheets(tmp_path_factory) -> Path:
    """The score sheets `assign` writes for three reviewers (blank: no score is needed here)."""
    tmp_path = tmp_path_factory.mktemp("sheets")
    reviewers = tmp_path / "reviewers.csv"
    reviewers.write_text("reviewer_id,name,affiliation\nR1,One,ITU\nR2,Two,Cisco\nR3,Three,ITU\n")
    assert main(["assign", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                 "--reviewers", str(reviewers), "--per-application", "2", "--out", str(tmp_path / "sheets")]) == 0
    return tmp_path / "sheets"


@pytest.fixture
def folder(good_sheets, tmp_path) -> Path:
    shutil.copytree(good_sheets, tmp_path / "returned")
    return tmp_path / "returned"


def refused(tmp_path: Path, folder: Path, capsys, *extra: str) -> str:
    """The one line (after the prefix), once exit 3, one line and no output folder are checked."""
    status = main(["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                   "--scores", str(folder), "--out", str(tmp_path / "out"), *extra])
    err = capsys.readouterr().err
    assert status == 3, err
    assert err.count("\n") == 1 and err.startswith("dtc-select: "), err
    assert not (tmp_path / "out").exists()
    return err.removeprefix("dtc-select: ").rstrip("\n")


def test_the_good_sheets_alone_are_read(folder, tmp_path):
    assert main(["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                 "--scores", str(folder), "--out", str(tmp_path / "out")]) == 0


def test_a_sheet_that_unpacks_to_millions_of_rows_among_good_sheets_is_refused_before_it_is_read(folder, tmp_path):
    rows = b"<row><c><v>1</v></c></row>" * 1_100_000
    bomb = raw_xlsx(folder / "score-sheet-R9.xlsx", HEADER + rows, title="scores")
    assert bomb.stat().st_size < 1_000_000
    done = run_capped(tmp_path, extra=("--scores", str(folder)))
    assert done.returncode == 3, done.stderr
    assert done.stderr == (f"dtc-select: {bomb}: a worksheet (xl/worksheets/sheet1.xml) has more than 1,048,576 "
                           f"rows, more than a spreadsheet program can hold: the file was not written by one\n")
    assert not (tmp_path / "out").exists()


def test_a_sheet_jumping_to_row_999999999_is_refused_without_making_the_rows_between(folder, tmp_path, capsys):
    jump = raw_xlsx(folder / "score-sheet-R9.xlsx", HEADER + b'<row r="999999999"><c r="A999999999"><v>1</v></c></row>',
                    title="scores")
    assert refused(tmp_path, folder, capsys) == (
        f"{jump}: its worksheet 'scores' goes past row 1,048,576, more than a spreadsheet program can hold: "
        f"the file was not written by one")


def test_a_sheet_of_more_cells_than_the_bound_is_refused_naming_it_and_how_to_allow_more(folder, tmp_path, capsys):
    wide = raw_xlsx(folder / "score-sheet-R9.xlsx", HEADER + b"<row>" + b"<c><v>1</v></c>" * 20_000 + b"</row>",
                    title="scores")
    assert refused(tmp_path, folder, capsys, "--limit", "xlsx_cells=10000") == (
        f"{wide}: a worksheet (xl/worksheets/sheet1.xml) has more than 10,000 cells: a workbook read here has at "
        f"most 10,000; save the worksheet as CSV (read faster and in less memory), or pass --limit xlsx_cells=20000 "
        f"to allow more")


def test_a_long_csv_of_more_rows_than_the_bound_in_the_folder_is_refused_naming_it(folder, tmp_path, capsys):
    long = folder / "late-scores.csv"
    long.write_text("application_id,reviewer_id,criterion,score\n" + "A-1,R1,reputation,3\n" * 300, encoding="utf-8")
    assert refused(tmp_path, folder, capsys, "--limit", "rows=200") == (
        f"{long}: has more than 200 rows, the most a file read here holds: split it, or check it is the right "
        f"file, or pass --limit rows=300 to allow more")


def test_a_sheet_larger_than_the_file_bound_is_refused_before_it_is_opened(folder, tmp_path, capsys):
    big = folder / "score-sheet-R9.xlsx"
    big.write_bytes(os.urandom(1_200_000))
    assert refused(tmp_path, folder, capsys, "--limit", "file_mb=1") == (
        f"{big}: is 1.1 MB: a file read here is at most 1 MB (split it, or keep only the columns the call reads; "
        f"or pass --limit file_mb=2 to allow more)")


def test_a_fifo_named_like_a_sheet_is_refused_not_skipped_and_not_waited_on(folder, tmp_path, capsys):
    fifo = folder / "score-sheet-R9.xlsx"
    os.mkfifo(fifo)
    assert refused(tmp_path, folder, capsys) == \
        f"{fifo}: is a named pipe (FIFO), not a file: give the path of the CSV or XLSX file itself"


def test_a_folder_of_more_files_than_the_bound_is_refused_before_any_is_read(folder, tmp_path, capsys):
    assert len(list(folder.glob("score-sheet-*.xlsx"))) == 3
    assert refused(tmp_path, folder, capsys, "--limit", "score_files=2") == (
        f"{folder}: holds more than 2 score sheets and scores CSVs, the most a scores folder holds here: is it the "
        f"right folder? (or pass --limit score_files=4 to allow more)")


def test_a_sheet_whose_recorded_size_is_a_thousand_columns_is_read_as_what_it_holds(folder, tmp_path):
    # Its <dimension> claims A1:ALL1048576: read by it, each of its 300,000 one-cell rows would be
    # padded out to a thousand cells, 300 million cells from a file of a few hundred kilobytes.
    rows = b"<row><c><v>1</v></c></row>" * 300_000
    raw_xlsx(folder / "score-sheet-R9.xlsx", HEADER + rows, title="scores", before=b'<dimension ref="A1:ALL1048576"/>')
    done = run_capped(tmp_path, extra=("--scores", str(folder)))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "decisions.csv").is_file()
