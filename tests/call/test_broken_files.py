"""A corpus of broken applications files, one per kind: each stops the run the same way.

Non-zero exit status, one line on stderr naming the file and every problem, no traceback, no
output folder (not even a hidden half-written one). Files a run can still use (a file cut short
in its last row, a header without rows) complete, and say what they could not use.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import openpyxl
import pandas as pd
import pytest

from dtc_select.cli import main
from tests.conftest import EXAMPLES, PHASE1, make_applications

EXAMPLE = (EXAMPLES / "applications.csv").read_bytes()


def xlsx_bytes(*sheets: tuple[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def example_xlsx() -> bytes:
    rows = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False)
    return xlsx_bytes(("Applications", [list(rows.columns), *rows.head(5).values.tolist()]))


def csv_text(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


# name -> (file name, content, extra arguments, words the one line must contain)
CORPUS = {
    "empty": ("applications.csv", b"", [], ["the file is empty"]),
    "blank lines only": ("applications.csv", b"\r\n  \n\n", [], ["the file is empty"]),
    "binary with zero bytes": ("applications.csv", bytes(range(256)) * 4, [], ["contains binary data"]),
    "binary without zero bytes": ("applications.csv", bytes(range(1, 256)) * 4, [], ["contains binary data"]),
    "PDF renamed .csv": ("applications.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
                         [], ["is a PDF document, not a table"]),
    "old Excel .xls": ("applications.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), [],
                       ["old-style Excel (.xls)", "save it as .xlsx"]),
    "web page saved as CSV": ("applications.csv", b"<!DOCTYPE html>\n<html><body>Please sign in</body></html>\n", [],
                              ["is a web page (HTML)", "download"]),
    "image": ("applications.csv", b"\x89PNG\r\n\x1a\n" + bytes(64), [], ["is a PNG image"]),
    "OpenDocument spreadsheet": ("applications.xlsx", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                                                                "content.xml": "<x/>"}), [], ["OpenDocument", ".ods"]),
    "Word document": ("applications.xlsx", zip_bytes({"word/document.xml": "<w/>"}), [], ["is a Word document"]),
    "truncated XLSX": ("applications.xlsx", example_xlsx()[:1500], [], ["damaged or incomplete XLSX", "cut short"]),
    "XLSX with an empty first sheet": ("applications.xlsx", xlsx_bytes(("Sheet1", []), ("Applications", [["a"], ["b"]])),
                                       [], ["its first worksheet 'Sheet1' is empty",
                                            "its worksheets: Sheet1, Applications; choose one with --sheet"]),
    "XLSX whose only sheet is empty": ("applications.xlsx", xlsx_bytes(("Sheet1", [[None, "  "]])), [],
                                       ["its first worksheet 'Sheet1' is empty"]),
    "--sheet naming a missing sheet": ("applications.xlsx", example_xlsx(), ["--sheet", "Feuil1"],
                                       ["has no worksheet 'Feuil1' (its worksheets: Applications)"]),
    "--sheet on a CSV": ("applications.csv", EXAMPLE, ["--sheet", "Applications"],
                         ["is a text (CSV) file, which has no worksheets"]),
    "a quote never closed": ("applications.csv", EXAMPLE + b'DTC-2019-091,"Centre\n', [],
                             ["a quoted value starting in line 93 is never closed"]),
    "a closing quote missing": ("applications.csv", EXAMPLE.replace(b'monsoon break."', b'monsoon break.', 1), [],
                                ["a quoted value starting in line 4 runs on to line 6, taking the rows between into "
                                 "one cell: a quote is missing or extra in line 4"]),
    "no header row": ("applications.csv", b"\n\n" + EXAMPLE, [], ["has no header row"]),
    "required columns missing": ("applications.csv", csv_text(make_applications(2).drop(
        columns=["country", "non_profit", "submitted_at", "city"])), [],
        ["missing required columns: country, non_profit, submitted_at"]),
    "a header twice and columns missing": ("applications.csv", csv_text(make_applications(2).drop(
        columns=["workstations"]).rename(columns={"trainers": "Country"})), [],
        ["several columns mean 'country' (columns 3 'country', 21 'Country'): keep one",
         "missing required columns: workstations"]),
    "a form's headers not mapped": ("applications.csv", "Nom;Lieu\nCentre;Dakar\n".encode("cp1252"), [],
                                    ["missing required columns: application_id, institution_name,",
                                     "headers not recognised: 'Nom', 'Lieu'", "intake.column_names"]),
}


def run_cli(tmp_path, path, *extra: str) -> tuple[int, str]:
    out = tmp_path / "out"
    status = main(["run", "--call", str(PHASE1), "--applications", str(path), "--out", str(out), *extra])
    return status, str(out)


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_a_broken_file_stops_the_run_with_one_line_naming_the_file_and_every_problem(kind, tmp_path, capsys):
    name, content, extra, words = CORPUS[kind]
    path = tmp_path / name
    path.write_bytes(content)
    status, out = run_cli(tmp_path, path, *extra)
    captured = capsys.readouterr()
    assert status == 3
    assert captured.err.startswith(f"dtc-select: {path}: ") and captured.err.count("\n") == 1, captured.err
    for word in words:
        assert word in captured.err, (word, captured.err)
    assert "Traceback" not in captured.err and captured.out == ""
    assert sorted(os.listdir(tmp_path)) == [name]  # no output folder, not even a hidden partial one


def test_a_missing_file_and_a_folder_are_named(tmp_path, capsys):
    assert run_cli(tmp_path, tmp_path / "nowhere.csv")[0] == 3
    assert run_cli(tmp_path, tmp_path)[0] == 3
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"dtc-select: {tmp_path / 'nowhere.csv'}: file not found",
                     f"dtc-select: {tmp_path}: is a folder, not a file"]


def test_the_command_itself_prints_no_traceback_for_a_broken_file(tmp_path):
    path = tmp_path / "applications.csv"
    path.write_bytes(CORPUS["PDF renamed .csv"][1])
    done = subprocess.run([sys.executable, "-m", "dtc_select.cli", "run", "--call", str(PHASE1), "--applications",
                           str(path), "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


# --- files a run can still use ---------------------------------------------------------------------

def test_a_csv_cut_short_in_its_last_row_quarantines_that_row_and_keeps_the_others(tmp_path):
    path = tmp_path / "applications.csv"
    cut = EXAMPLE[: EXAMPLE.index(b"\nDTC-2019-008,") + 40]  # stops inside row 8's fields
    path.write_bytes(cut)
    status, out = run_cli(tmp_path, path)
    assert status == 0
    quarantine = pd.read_csv(f"{out}/quarantine.csv", dtype=str)
    decisions = pd.read_csv(f"{out}/decisions.csv", dtype=str)
    assert quarantine["source_row"].tolist() == ["8"]
    assert quarantine["problems"].iloc[0].startswith("the file ends in the middle of this row (")
    assert "the file may have been cut short" in quarantine["problems"].iloc[0]
    assert len(decisions) == 7


def test_a_utf8_file_cut_inside_an_accented_letter_is_still_read_as_utf8(tmp_path):
    from dtc_select.intake.applications import read_table

    path = tmp_path / "applications.csv"
    path.write_bytes("application_id,country\nA-1,Sénégal\nA-2,Côte".encode("utf-8")[:-4] + "ô".encode("utf-8")[:1])
    raw = read_table(path)
    assert raw.info["encoding"] == "utf-8"
    assert raw.frame["country"].tolist() == ["Sénégal", "C"]
    assert raw.row_problems == {}  # both columns are there: nothing says the row is short


def test_a_header_without_rows_is_an_empty_call_that_completes_with_empty_outputs(tmp_path, capsys):
    path = tmp_path / "applications.csv"
    path.write_bytes(EXAMPLE.split(b"\n", 1)[0] + b"\n")
    status, out = run_cli(tmp_path, path)
    assert status == 0
    assert "0 selected, 0 reserve, 0 not selected, 0 ineligible, 0 quarantined" in capsys.readouterr().out
    assert pd.read_csv(f"{out}/decisions.csv").empty and pd.read_csv(f"{out}/quarantine.csv").empty
    assert "No applicant was selected." in open(f"{out}/report.html", encoding="utf-8").read()


def test_a_stray_quote_inside_one_row_is_read_as_a_spreadsheet_reads_it_and_no_row_moves(tmp_path):
    from dtc_select.intake.applications import read_table

    path = tmp_path / "applications.csv"
    path.write_bytes(EXAMPLE.replace(b"Lakeside ICT Training Centre", b'"Lakeside" ICT Centre, "Kisumu"', 1))
    raw = read_table(path)
    assert raw.info["rows"] == 90
    assert raw.frame.loc[1, "institution_name"] == "Lakeside ICT Centre"
    assert raw.row_problems == {2: "the row has 28 cells but the header has 27 columns (a value may contain "
                                   "an unquoted separator)"}
    assert raw.frame.loc[3, "application_id"] == "DTC-2019-004"


def test_a_lone_carriage_return_inside_a_value_does_not_start_a_new_row(tmp_path):
    from dtc_select.intake.applications import read_table

    path = tmp_path / "applications.csv"
    path.write_bytes(EXAMPLE.replace(b"Lakeside ICT Training Centre", b"Lakeside ICT\rTraining Centre", 1))
    raw = read_table(path)
    assert raw.info["rows"] == 90 and raw.row_problems == {}
    assert raw.frame.loc[1, "institution_name"] == "Lakeside ICT\rTraining Centre"
