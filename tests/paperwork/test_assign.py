"""`dtc-select assign` on the example call: who reviews what, and the score sheets each reviewer gets."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dtc_select.cli import main
from tests.conftest import EXAMPLES, PHASE1, make_applications

REVIEWERS = EXAMPLES / "reviewers.csv"


def assign(tmp_path, *extra, applications=EXAMPLES / "applications.csv", reviewers=REVIEWERS, k="3", out="out"):
    return main(["assign", "--call", str(PHASE1), "--applications", str(applications), "--reviewers",
                 str(reviewers), "--per-application", k, "--out", str(tmp_path / out), *extra])


@pytest.fixture(scope="module")
def assigned(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("assign")
    assert assign(tmp_path) == 0
    return tmp_path / "out"


def test_every_eligible_example_application_gets_three_reviewers_none_in_conflict(assigned):
    pairs = pd.read_csv(assigned / "assignments.csv", dtype=str)
    decisions_like = pd.read_csv(EXAMPLES / "applications.csv", dtype=str)
    assert list(pairs.columns[:2]) == ["application_id", "reviewer_id"]
    per_app = pairs.groupby("application_id")["reviewer_id"].nunique()
    assert (per_app == 3).all()
    assert set(per_app.index) < set(decisions_like["application_id"])
    reviewers = pd.read_csv(REVIEWERS, dtype=str).set_index("reviewer_id")
    r4 = set(pairs.loc[pairs["reviewer_id"] == "R4", "application_id"])
    assert not r4 & {"DTC-2019-002", "DTC-2019-031"}
    assert reviewers.loc["R4", "affiliation"] == "Cisco"
    parties = pairs.groupby("application_id")["affiliation"].nunique()
    assert (parties == 2).all()
    loads = pairs["reviewer_id"].value_counts()
    assert loads.max() - loads.min() <= 1


def test_reviewer_r1_declared_senegal_and_never_sees_a_senegalese_applicant(assigned):
    sheet = pd.read_excel(assigned / "score-sheet-R1.xlsx", sheet_name="scores", dtype=str, engine="openpyxl")
    assert "Senegal" not in set(sheet["country"])
    assert len(sheet) > 0


def test_a_score_sheet_has_the_contract_columns_drop_downs_and_the_criteria_in_both_languages(assigned, call):
    book = openpyxl.load_workbook(assigned / "score-sheet-R2.xlsx")
    assert book.sheetnames[:2] == ["scores", "criteria"]
    scores = book["scores"]
    header = [c.value for c in scores[1]]
    criteria = [c.id for c in call.criteria if c.reviewer_scored]
    assert header == ["application_id", "institution_name", "country", *criteria, "conflict_of_interest", "comment"]
    rules = {str(v.sqref): v for v in scores.data_validations.dataValidation}
    score_rule = next(v for v in rules.values() if v.formula1 == '"1,2,3,4,5"')
    assert str(score_rule.sqref).startswith("D2:K")
    assert any(v.formula1 == '"yes,no"' and str(v.sqref).startswith("L2") for v in rules.values())
    assert "Niveaux de formation" in scores["D1"].comment.text
    explained = list(book["criteria"].iter_rows(values_only=True))
    assert explained[0][:5] == ("criterion", "name", "nom", "what to judge", "ce qu'il faut juger")
    assert [row[0] for row in explained[1:len(criteria) + 1]] == criteria
    assert all(row[3] and row[4] for row in explained[1:len(criteria) + 1])


def test_the_same_inputs_give_the_same_files_byte_for_byte(assigned, tmp_path):
    assert assign(tmp_path, out="again") == 0
    for path in sorted(assigned.iterdir()):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_an_application_with_too_few_reviewers_free_of_conflict_is_named_and_the_rest_assigned(tmp_path, capsys):
    reviewers = tmp_path / "reviewers.csv"
    reviewers.write_text("reviewer_id,name,affiliation,conflict_countries,conflict_applications\n"
                         "A,Ann,ITU,,APP-2\nB,Bob,Cisco,,APP-2\nC,Cy,Cisco,SEN,\n")
    applications = tmp_path / "apps.csv"
    make_applications(2, application_id=["APP-1", "APP-2"]).to_csv(applications, index=False)
    assert assign(tmp_path, applications=applications, reviewers=reviewers, k="2") == 0
    problems = pd.read_csv(tmp_path / "out" / "assignment_problems.csv", dtype=str)
    assert list(problems["application_id"]) == ["APP-2"]
    assert "only 0 of the 3 reviewers are free of conflict" in problems.loc[0, "problem"]
    assert "APP-2" in capsys.readouterr().err
    pairs = pd.read_csv(tmp_path / "out" / "assignments.csv", dtype=str)
    assert sorted(pairs["reviewer_id"]) == ["A", "B"]  # C declared Senegal, where APP-1 is


def test_applicant_text_that_looks_like_a_formula_stays_text_in_the_score_sheet(tmp_path):
    applications = tmp_path / "apps.csv"
    make_applications(1, application_id="APP-1", institution_name="=HYPERLINK(\"http://x\")").to_csv(
        applications, index=False)
    assert assign(tmp_path, applications=applications, k="2") == 0
    first = pd.read_csv(tmp_path / "out" / "assignments.csv", dtype=str)["reviewer_id"][0]
    sheet = openpyxl.load_workbook(tmp_path / "out" / f"score-sheet-{first}.xlsx")["scores"]
    assert sheet["B2"].value == "'=HYPERLINK(\"http://x\")"
    assert sheet["B2"].data_type == "s"


@pytest.mark.parametrize("content, expected", [
    ("reviewer_id,name\nR1,Ann\n", "no column affiliation"),
    ("reviewer_id,name,affiliation\nR1,Ann,UNESCO\n", "row 1: affiliation 'UNESCO' is neither ITU nor Cisco"),
    ("reviewer_id,name,affiliation\nR1,Ann,ITU\nR1,Bob,Cisco\n", "row 2: reviewer_id 'R1' is given twice"),
    ("reviewer_id,name,affiliation,conflict_countries\nR1,Ann,ITU,Atlantis\n", "'Atlantis' is not a recognised"),
    ("reviewer_id,name,affiliation\nR/1,Ann,ITU\n", "may hold only letters"),
])
def test_a_wrong_reviewers_file_stops_with_one_line_exit_3_and_no_folder(tmp_path, capsys, content, expected):
    reviewers = tmp_path / "reviewers.csv"
    reviewers.write_text(content)
    assert assign(tmp_path, reviewers=reviewers) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and str(reviewers) in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("k", ["0", "two", "-1"])
def test_a_number_of_reviewers_that_is_not_a_positive_whole_number_is_a_usage_error(tmp_path, capsys, k):
    with pytest.raises(SystemExit) as stop:
        assign(tmp_path, k=k)
    assert stop.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_assign_has_help(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["assign", "--help"])
    assert stop.value.code == 0
    assert "--per-application" in capsys.readouterr().out


def test_score_sheets_open_as_valid_workbooks_from_bytes(assigned):
    for path in assigned.glob("score-sheet-*.xlsx"):
        openpyxl.load_workbook(io.BytesIO(path.read_bytes())).close()
