"""`dtc-select verify DIR`: a past run rerun from its manifest matches, or we are told what differs."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from dtc_select.cli import main
from dtc_select.runs.verify import compare_runs
from tests.conftest import PHASE1, ROOT, make_applications


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("verify-inputs")
    applications = folder / "applications.csv"
    frame = make_applications(6, country=["Senegal", "Kenya", "Nepal", "Haiti", "France", "Senegal"])
    frame.loc[3, "training_labs"] = "two"  # one row quarantined
    frame.to_csv(applications, index=False)
    overrides = folder / "overrides.csv"
    overrides.write_text("application_id,new_status,justification,decided_by,decided_on\n"
                         "A-006,reserve,Second site in Saint-Louis,Committee,2019-12-10\n", encoding="utf-8")
    return applications, overrides


@pytest.fixture(scope="module")
def past_run(tmp_path_factory, inputs):
    applications, overrides = inputs
    out = tmp_path_factory.mktemp("verify-run") / "run"
    assert main(["run", "--call", str(PHASE1), "--applications", str(applications), "--overrides", str(overrides),
                 "--out", str(out)]) == 0
    return out


def copy_of(run, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    return copy


def test_a_past_run_on_unchanged_inputs_is_reproduced(past_run, capsys):
    assert main(["verify", str(past_run)]) == 0
    out = capsys.readouterr().out
    assert f"{past_run} is reproduced" in out and "identical byte for byte" in out


def test_a_french_secretariat_run_is_reproduced_in_french_with_its_contact_details(inputs, tmp_path, capsys):
    applications, overrides = inputs
    out = tmp_path / "run-fr"
    assert main(["run", "--call", str(PHASE1), "--applications", str(applications), "--overrides", str(overrides),
                 "--out", str(out), "--lang", "fr", "--edition", "secretariat"]) == 0
    options = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["options"]
    assert options["lang"] == "fr" and options["edition"] == "secretariat"
    assert '<html lang="fr">' in (out / "report.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(out)]) == 0
    assert f"{out} is reproduced" in capsys.readouterr().out


def test_an_edited_decision_is_named_with_its_file_row_and_column(past_run, tmp_path, capsys):
    copy = copy_of(past_run, tmp_path)
    decisions = pd.read_csv(copy / "decisions.csv", dtype=str, keep_default_na=False)
    decisions.loc[decisions["application_id"] == "A-002", "status"] = "reserve"
    decisions.to_csv(copy / "decisions.csv", index=False, lineterminator="\n")
    assert main(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "is NOT reproduced" in out
    assert "decisions.csv: application_id A-002: status reserve -> selected" in out
    assert "quarantine.csv" not in out


def test_a_changed_input_stops_verify_with_exit_3_naming_it(past_run, inputs, tmp_path, capsys):
    copy = copy_of(past_run, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    edited = tmp_path / "applications.csv"
    edited.write_bytes(inputs[0].read_bytes().replace(b"Dakar", b"Thies"))
    for entry in manifest["inputs"]:
        if entry["role"] == "applications":
            entry["path"] = entry["resolved_path"] = str(edited)
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["verify", str(copy)]) == 3
    err = capsys.readouterr().err
    assert f"applications {edited}: changed since the run" in err and err.count("\n") == 1


def test_a_missing_input_stops_verify_with_exit_3_naming_it(past_run, tmp_path, capsys):
    copy = copy_of(past_run, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["inputs"]:
        if entry["role"] == "overrides":
            entry["path"] = entry["resolved_path"] = str(tmp_path / "gone.csv")
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["verify", str(copy)]) == 3
    assert f"overrides {tmp_path / 'gone.csv'}: missing" in capsys.readouterr().err


def test_verify_finds_inputs_recorded_by_relative_path_from_another_folder(inputs, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "run"
    assert main(["run", "--call", "criteria/dtc-phase1-2019.yaml", "--applications", str(inputs[0]),
                 "--out", str(out)]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["verify", str(out)]) == 0
    assert "is reproduced" in capsys.readouterr().out


def test_other_software_versions_are_noted_but_do_not_count_as_a_difference(past_run, tmp_path):
    copy = copy_of(past_run, tmp_path)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["software"]["pandas"] = "0.0.1"
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    comparison = compare_runs(copy, past_run)
    assert comparison.identical
    assert comparison.notes == [f"the rerun used other software: software.pandas: 0.0.1 -> {pd.__version__}"]


def test_a_different_report_or_quarantine_row_is_named(past_run, tmp_path):
    copy = copy_of(past_run, tmp_path)
    report = (copy / "report.html").read_text(encoding="utf-8").replace("Selected centres", "Chosen centres", 1)
    (copy / "report.html").write_text(report, encoding="utf-8")
    quarantine = (copy / "quarantine.csv").read_text(encoding="utf-8").replace("'two'", "'three'")
    (copy / "quarantine.csv").write_text(quarantine, encoding="utf-8")
    differences = compare_runs(copy, past_run).differences
    assert any(d.startswith("report.html: differs from line") for d in differences)
    assert any(d.startswith("quarantine.csv: source_row 4: problems") for d in differences)
    assert not any(d.startswith("manifest.json") for d in differences)  # the manifest was not touched


def test_a_large_call_run_with_every_dossier_records_the_choice_and_is_reproduced(inputs, tmp_path, capsys,
                                                                                 monkeypatch):
    from dtc_select.report import scope as report_scope

    monkeypatch.setattr(report_scope, "DOSSIERS_FOR_ALL_UP_TO", 2)  # these inputs as a large call
    applications, _ = inputs
    runs = {}
    for choice in ("auto", "all"):
        runs[choice] = tmp_path / f"run-{choice}"
        extra = ["--dossiers", "all"] if choice == "all" else []
        assert main(["run", "--call", str(PHASE1), "--applications", str(applications), "--out",
                     str(runs[choice]), *extra]) == 0
        options = json.loads((runs[choice] / "manifest.json").read_text(encoding="utf-8"))["options"]
        assert options["dossiers"] == choice
    assert 'id="detail-limited"' in (runs["auto"] / "report.html").read_text(encoding="utf-8")
    assert 'id="detail-limited"' not in (runs["all"] / "report.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(runs["all"])]) == 0
    assert f"{runs['all']} is reproduced" in capsys.readouterr().out
