"""The committee's own decisions: applied after the computed selection, justified, on record."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dtc_select.cli import main
from dtc_select.errors import InputFileError
from dtc_select.seats.overrides import read_overrides
from tests.conftest import PHASE1, make_applications

# 13 applicants: in Senegal (A-013 not selected: one centre per country), A-010
# and A-012 in reserve, the other ten selected (see the phase-1 call's 10 seats).
COUNTRIES = ["Senegal", "Kenya", "Nepal", "Haiti", "Bolivia", "Egypt", "Yemen", "Armenia", "Fiji", "Viet Nam",
             "Ghana", "Peru", "Senegal"]
HEADER = "application_id,new_status,justification,decided_by,decided_on,allow_ineligible\n"


@pytest.fixture
def applications(tmp_path):
    frame = make_applications(len(COUNTRIES), country=COUNTRIES,
                              institution_name=[f"Centre {i}" for i in range(1, 13)] + ["<b>Centre 13</b>"],
                              non_profit=["yes"] * 11 + ["no", "yes"])  # A-012 is ineligible (for the rules)
    path = tmp_path / "applications.csv"
    frame.to_csv(path, index=False)
    return path


def write_overrides(tmp_path, rows: str, name: str = "overrides.csv"):
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def select(tmp_path, applications, *extra: str):
    out = tmp_path / "run"
    status = main(["run", "--call", str(PHASE1), "--applications", str(applications), "--out", str(out), *extra])
    return status, out


def decisions(out) -> pd.DataFrame:
    return pd.read_csv(out / "decisions.csv", dtype=str, keep_default_na=False).set_index("application_id")


def test_an_override_changes_the_status_and_keeps_what_the_rules_gave_and_why(tmp_path, applications):
    overrides = write_overrides(tmp_path, "A-010,selected,Strongest partnership offer,Committee,2019-12-10,\n"
                                          "A-002,reserve,Building not ready before 2020,Committee,13/12/2019,\n")
    status, out = select(tmp_path, applications, "--overrides", str(overrides))
    assert status == 0
    rows = decisions(out)
    assert rows.loc["A-010", ["status", "computed_status"]].tolist() == ["selected", "reserve"]
    assert rows.loc["A-010", "override_justification"] == "Strongest partnership offer"
    assert rows.loc["A-002", ["status", "computed_status", "override_decided_on"]].tolist() == \
        ["reserve", "selected", "2019-12-13"]
    assert rows.loc["A-010", "reasons"].startswith("selected by decision of the committee, the rules having given in reserve")
    assert "as computed: reserve 1 for Asia-Pacific" in rows.loc["A-010", "reasons"]
    untouched = rows.drop(index=["A-010", "A-002"])
    assert (untouched["status"] == untouched["computed_status"]).all()
    assert (untouched["override_justification"] == "").all()


def test_without_an_overrides_file_the_override_columns_are_there_and_empty(tmp_path, applications):
    status, out = select(tmp_path, applications)
    rows = decisions(out)
    assert status == 0
    assert list(rows.columns[rows.columns.get_loc("reasons") + 1:][:4]) == [
        "computed_status", "override_justification", "override_decided_by", "override_decided_on"]
    assert (rows["status"] == rows["computed_status"]).all()
    assert json.loads((out / "manifest.json").read_text())["overrides"] is None


@pytest.mark.parametrize("row, problem", [
    ("A-010,selected,,Committee,2019-12-10,", "row 1 (A-010): justification is empty"),
    ("A-010,selected,Good,,2019-12-10,", "row 1 (A-010): decided_by is empty"),
    ("A-010,selected,Good,Committee,,", "row 1 (A-010): decided_on is empty"),
    ("A-010,selected,Good,Committee,next week,", "row 1 (A-010): decided_on 'next week' is not a date"),
    ("A-010,chosen,Good,Committee,2019-12-10,", "row 1 (A-010): new_status 'chosen' is not one of"),
    ("A-010,ineligible,Lied,Committee,2019-12-10,", "row 1 (A-010): new_status 'ineligible' is not an override"),
    ("A-999,selected,Good,Committee,2019-12-10,", "row 1 (A-999): no such application"),
    ("A-012,selected,Good,Committee,2019-12-10,", "set allow_ineligible to yes on this row"),
    ("A-012,selected,Good,Committee,2019-12-10,maybe", "allow_ineligible 'maybe' is not a yes/no answer"),
])
def test_an_override_that_cannot_be_applied_stops_the_run_with_one_line_naming_file_and_row(
        tmp_path, applications, capsys, row, problem):
    overrides = write_overrides(tmp_path, row + "\n")
    status, out = select(tmp_path, applications, "--overrides", str(overrides))
    err = capsys.readouterr().err
    assert status == 3
    assert err.startswith(f"dtc-select: {overrides}: ") and problem in err
    assert err.count("\n") == 1
    assert not out.exists()


def test_two_decisions_for_one_application_are_refused(tmp_path):
    path = write_overrides(tmp_path, "A-001,selected,a,C,2019-12-10,\nA-002,reserve,b,C,2019-12-10,\n"
                                     "A-001,reserve,c,C,2019-12-10,\n")
    with pytest.raises(InputFileError, match=r"rows 1, 3 \(A-001\): one application, several decisions"):
        read_overrides(path)


def test_an_overrides_file_without_the_required_columns_names_them(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("application_id,new_status\nA-001,selected\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="missing required columns: justification, decided_by, decided_on"):
        read_overrides(path)


def test_selecting_an_ineligible_applicant_works_with_the_explicit_flag(tmp_path, applications):
    overrides = write_overrides(tmp_path, "A-012,selected,Statutes amended on 1 Dec,Committee,2019-12-10,yes\n")
    status, out = select(tmp_path, applications, "--overrides", str(overrides))
    rows = decisions(out)
    assert status == 0
    assert rows.loc["A-012", ["status", "computed_status", "score", "rank"]].tolist() == ["selected", "ineligible", "", ""]


def test_overrides_that_break_the_caps_are_warned_about_in_the_report_and_on_stderr(tmp_path, applications, capsys):
    overrides = write_overrides(tmp_path, "A-010,selected,Partnership,Committee,2019-12-10,\n"
                                          "A-013,selected,Second site,Committee,2019-12-10,\n")
    status, out = select(tmp_path, applications, "--overrides", str(overrides))
    err = capsys.readouterr().err
    assert status == 0
    assert "12 centres are selected after the committee's decisions, more than the call's 10 seats" in err
    assert "SEN has 2 selected centres (A-001, A-013)" in err and "at most 1 per country" in err
    report = (out / "report.html").read_text(encoding="utf-8")
    assert report.count('class="box warning"><strong>Warning:</strong>') == 2
    assert "more than the call&#39;s 10 seats" in report
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["overrides"]["warnings"]) == 2


def test_an_override_is_shown_in_the_report_and_recorded_in_the_manifest(tmp_path, applications):
    overrides = write_overrides(tmp_path, "A-013,reserve,<script>alert(1)</script> kept for a second site,"
                                          "Committee,2019-12-10,\n")
    status, out = select(tmp_path, applications, "--overrides", str(overrides))
    assert status == 0
    report = (out / "report.html").read_text(encoding="utf-8")
    section = report[report.index('id="overrides"'):report.index("</section>", report.index('id="overrides"'))]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; kept for a second site" in section
    assert "&lt;b&gt;Centre 13&lt;/b&gt;" in section and "<script>" not in report
    assert "not selected" in section and "reserve" in section
    manifest = json.loads((out / "manifest.json").read_text())
    recorded = manifest["overrides"]
    assert recorded["sha256"] == next(i["sha256"] for i in manifest["inputs"] if i["role"] == "overrides")
    assert [(d["application_id"], d["computed_status"], d["status"], d["decided_by"]) for d in recorded["decisions"]] == [
        ("A-013", "not_selected", "reserve", "Committee")]


def test_withdrawing_a_selected_centre_says_a_seat_is_left_for_the_reserve(tmp_path, applications, capsys):
    overrides = write_overrides(tmp_path, "A-001,not_selected,Withdrew,Committee,2019-12-10,\n")
    status, _ = select(tmp_path, applications, "--overrides", str(overrides))
    assert status == 0
    assert "leave 1 seat(s) empty (9 selected for 10 seats): the reserve lists are next in line" in capsys.readouterr().err


def refused(tmp_path, applications, capsys, rows: str):
    """Run with an overrides file of `rows` that must be refused: exit 3, one line, nothing written."""
    overrides = write_overrides(tmp_path, rows)
    status, out = select(tmp_path, applications, "--overrides", str(overrides))
    err = capsys.readouterr().err
    assert status == 3 and err.count("\n") == 1 and not out.exists()
    return overrides, err


def test_a_row_naming_an_unknown_application_is_reported_as_unknown_along_with_its_other_faults(
        tmp_path, applications, capsys):
    overrides, err = refused(tmp_path, applications, capsys, "A-010,selected,Good,Committee,2019-12-10,\n"
                                                             "A-999,selected,,Committee,2019-12-10,\n")
    assert err == (f"dtc-select: {overrides}: row 2 (A-999): no such application in this run's decisions.csv "
                   f"(misspelt id, or the row is in quarantine.csv); row 2 (A-999): justification is empty: every "
                   f"override needs the committee's reason\n")


def test_moving_an_ineligible_applicant_without_permission_is_named_with_the_other_rows_faults(
        tmp_path, applications, capsys):
    overrides, err = refused(tmp_path, applications, capsys, "A-012,selected,Statutes amended,Committee,2019-12-10,\n"
                                                             "A-999,selected,Good,Committee,2019-12-10,\n")
    # Both rows in one line: the committee fixes them in one pass, not one after the other.
    assert f"dtc-select: {overrides}: row 1 (A-012): the rules found it ineligible (ineligible: " in err
    assert "to make it selected anyway, set allow_ineligible to yes on this row; row 2 (A-999): no such application" in err


def test_a_row_naming_a_quarantined_application_says_its_row_is_in_quarantine(tmp_path, capsys):
    frame = make_applications(3, country=["Senegal", "Kenya", "Nepal"])
    frame.loc[2, "country"] = "Atlantis"  # A-003 cannot be taken in: quarantined
    applications = tmp_path / "applications.csv"
    frame.to_csv(applications, index=False)
    overrides = write_overrides(tmp_path, "A-003,selected,Good,Committee,2019-12-10,\n")
    status, _ = select(tmp_path, applications, "--overrides", str(overrides))
    assert status == 3
    assert "row 1 (A-003): no such application in this run's decisions.csv: its row is in quarantine.csv" in \
        capsys.readouterr().err


def test_selecting_a_host_the_annex_excludes_names_the_annex_clause_in_the_report_and_the_manifest(tmp_path, capsys):
    frame = make_applications(3, country=["Senegal", "Kenya", "France"])  # France: a developed country
    applications = tmp_path / "applications.csv"
    frame.to_csv(applications, index=False)
    overrides = write_overrides(tmp_path, "A-003,selected,Cisco lab offered,Committee,2019-12-10,yes\n")
    status, out = select(tmp_path, applications, "--overrides", str(overrides))
    assert status == 0
    clause = "Annex §3: only least developed and developing countries"
    err = capsys.readouterr().err
    assert ("dtc-select: warning: A-003 is selected by the committee's decision although the rules found it "
            "ineligible (the host country is neither a least developed nor a developing country): the decision "
            f"departs from {clause}\n") in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [decision] = manifest["overrides"]["decisions"]
    assert [d["rule"] for d in decision["departs_from"]] == ["host_country"]
    assert decision["departs_from"][0]["reference"].startswith(clause)
    assert any(clause in w for w in manifest["overrides"]["warnings"])
    report = (out / "report.html").read_text(encoding="utf-8")
    section = report[report.index('id="overrides"'):report.index("</section>", report.index('id="overrides"'))]
    assert "departs from" in section and clause in section
    french = select_fr(tmp_path, applications, overrides)
    assert ("A-003 est sélectionné par décision du comité alors que les règles le jugent inéligible (le pays hôte "
            "n&#39;est ni un pays moins avancé ni un pays en développement) : la décision déroge à la règle : "
            "Annexe §3 : seuls les pays les moins avancés et les pays en développement") in french


def select_fr(tmp_path, applications, overrides) -> str:
    out = tmp_path / "run-fr"
    assert main(["run", "--call", str(PHASE1), "--applications", str(applications), "--out", str(out),
                 "--overrides", str(overrides), "--lang", "fr"]) == 0
    return (out / "report.html").read_text(encoding="utf-8")
