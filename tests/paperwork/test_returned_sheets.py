"""Returned score sheets read back (paperwork.md §3): the same scores as sheets or as one long CSV
give the same decisions, and a sheet edited out of shape gives score problems naming the sheet and
the cell, never a crash or a silently dropped score."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from dtc_select.cli import main
from tests.conftest import EXAMPLES, PHASE1

CRITERIA = ("training_levels", "infrastructure", "reputation", "research_capacity", "distance_learning",
            "mission_alignment", "innovation", "commitment_scale")


def _run(tmp_path, scores, out):
    assert main(["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                 "--scores", str(scores), "--out", str(tmp_path / out)]) == 0
    return tmp_path / out


def _fill(sheet_path, long: pd.DataFrame) -> int:
    """Type the long scores of this sheet's reviewer into it, as a reviewer would; returns the count."""
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["scores"]
    header = [c.value for c in sheet[1]]
    reviewer = sheet_path.stem.removeprefix("score-sheet-")
    mine = long[long["reviewer_id"] == reviewer].set_index(["application_id", "criterion"])
    typed = 0
    for row in sheet.iter_rows(min_row=2):
        application = row[0].value
        for cell, column in zip(row, header):
            if (application, column) in mine.index:
                cell.value = float(mine.loc[(application, column), "score"])
                typed += 1
        conflicts = mine.loc[application, "conflict_of_interest"] if application in mine.index.get_level_values(0) else []
        if any(str(c).lower() == "yes" for c in conflicts):
            row[header.index("conflict_of_interest")].value = "yes"
    book.save(sheet_path)
    return typed


@pytest.fixture(scope="module")
def returned(tmp_path_factory):
    """Sheets for R1-R3 on every eligible example application, filled with the example's scores."""
    tmp_path = tmp_path_factory.mktemp("returned")
    reviewers = tmp_path / "reviewers.csv"
    reviewers.write_text("reviewer_id,name,affiliation\nR1,One,ITU\nR2,Two,Cisco\nR3,Three,ITU\n")
    assert main(["assign", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                 "--reviewers", str(reviewers), "--per-application", "3", "--out", str(tmp_path / "sheets")]) == 0
    assigned = pd.read_csv(tmp_path / "sheets" / "assignments.csv", dtype=str)
    long = pd.read_csv(EXAMPLES / "scores.csv", dtype=str, keep_default_na=False)
    long = long.merge(assigned[["application_id", "reviewer_id"]], on=["application_id", "reviewer_id"])
    long_csv = tmp_path / "long.csv"
    long.assign(comment="").to_csv(long_csv, index=False)
    typed = sum(_fill(path, long) for path in sorted((tmp_path / "sheets").glob("score-sheet-*.xlsx")))
    assert typed == len(long) > 1000
    return tmp_path, long_csv


def test_the_same_scores_as_returned_sheets_or_as_one_long_csv_give_the_same_decisions(returned):
    tmp_path, long_csv = returned
    from_csv = _run(tmp_path, long_csv, "from-csv")
    from_sheets = _run(tmp_path, tmp_path / "sheets", "from-sheets")
    assert (from_sheets / "decisions.csv").read_bytes() == (from_csv / "decisions.csv").read_bytes()
    assert pd.read_csv(from_sheets / "score_problems.csv").empty


def test_a_folder_mixing_sheets_and_a_long_csv_reads_both(returned, tmp_path):
    source, long_csv = returned
    folder = tmp_path / "mixed"
    shutil.copytree(source / "sheets", folder)
    (folder / "score-sheet-R3.xlsx").unlink()
    long = pd.read_csv(long_csv, dtype=str, keep_default_na=False)
    long[long["reviewer_id"] == "R3"].to_csv(folder / "r3-scores.csv", index=False)
    mixed = _run(tmp_path, folder, "mixed-run")
    from_csv = _run(tmp_path, long_csv, "from-csv")
    assert (mixed / "decisions.csv").read_bytes() == (from_csv / "decisions.csv").read_bytes()


def test_a_sheet_edited_out_of_shape_gives_problems_naming_the_sheet_and_cell_and_drops_nothing(returned, tmp_path):
    source, _ = returned
    folder = tmp_path / "edited"
    shutil.copytree(source / "sheets", folder)
    path = folder / "score-sheet-R2.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["scores"]
    sheet["D2"] = 7                          # out of the 1-5 scale
    sheet["E1"] = "Infrastructure (labs)"    # a renamed criterion column
    last = sheet.max_row + 1
    sheet.cell(last, 1, "DTC-2019-999")      # a row for an application never assigned to R2
    sheet.cell(last, 4, 3)
    sheet.cell(last, 5, 4)
    sheet.cell(2, 20, "stray")               # a value under no header
    book.save(path)
    renamed = sum(1 for row in sheet.iter_rows(min_row=2, max_row=last - 1) if row[4].value is not None)
    out = _run(tmp_path, folder, "edited-run")
    problems = pd.read_csv(out / "score_problems.csv", dtype=str)
    text = "\n".join(problems["problems"])
    assert "score-sheet-R2.xlsx, sheet scores, cell D2: score '7' is outside the scale 1 to 5" in text
    renamed_problems = [t for t in problems["problems"] if "Infrastructure (labs)" in t]
    assert len(renamed_problems) == renamed
    assert all(t.startswith("score-sheet-R2.xlsx, sheet scores, cell E") for t in renamed_problems)
    assert f"score-sheet-R2.xlsx, sheet scores, row {last}: application 'DTC-2019-999' was not assigned" in text
    assert f"(D{last}, E{last})" in text
    assert "cell T2: 'stray' is under a column without a header" in text
    manifest = (out / "manifest.json").read_text()
    assert '"role": "scores"' in manifest and '"format": "folder"' in manifest


def test_a_run_on_a_folder_of_sheets_is_reproduced_by_verify(returned, capsys):
    tmp_path, _ = returned
    out = _run(tmp_path, tmp_path / "sheets", "to-verify")
    capsys.readouterr()
    assert main(["verify", str(out)]) == 0, capsys.readouterr()


def test_a_folder_without_any_scores_file_is_one_line_and_exit_3(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                 "--scores", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds no score sheet" in err
    assert not (tmp_path / "out").exists()
