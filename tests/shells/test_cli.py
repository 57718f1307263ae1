"""The command line as contract §4 fixes it: files, exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pandas as pd

from tests.conftest import EXAMPLES, PHASE1, command_in_this_process, make_applications

OUTPUTS = {"decisions.csv", "decisions.xlsx", "quarantine.csv", "report.html", "manifest.json"}


def dtc_select(*args: str) -> subprocess.CompletedProcess:
    """The command as a process: what its exit status and its streams are (the tests of its
    contract); the others call main() in this process, as the console script does."""
    command = [sys.executable, "-m", "dtc_select.cli", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_a_run_writes_the_four_outputs_and_says_where(tmp_path):
    out = tmp_path / "run"
    done = dtc_select("run", "--call", PHASE1, "--applications", EXAMPLES / "applications.csv",
                      "--scores", EXAMPLES / "scores.csv", "--out", out)
    assert done.returncode == 0, done.stderr
    assert OUTPUTS <= {p.name for p in out.iterdir()}
    assert str(out) in done.stdout
    assert "selected" in done.stdout and done.stdout.count("\n") == 1
    # The line names every file the run wrote (score_problems.csv was left out of it).
    named = done.stdout.replace("decisions.csv and .xlsx", "decisions.csv, decisions.xlsx")
    assert [p.name for p in sorted(out.iterdir()) if p.name not in named] == []


def test_a_broken_call_file_exits_2_with_one_line_naming_file_and_key(tmp_path):
    call = tmp_path / "call.yaml"
    call.write_text(PHASE1.read_text(encoding="utf-8").replace("  seats: 10\n", "  seats: many\n"), encoding="utf-8")
    out = tmp_path / "run"
    done = dtc_select("run", "--call", call, "--applications", EXAMPLES / "applications.csv", "--out", out)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert f"{call}: allocation.seats:" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_usage_mistake_exits_2_with_one_line():
    done = dtc_select("run", "--call", PHASE1)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "--applications" in done.stderr
    assert done.stderr.endswith("(see dtc-select run --help)\n")  # where run's options are listed


def test_a_missing_applications_file_exits_non_zero_naming_it(tmp_path):
    out = tmp_path / "run"
    done = dtc_select("run", "--call", PHASE1, "--applications", tmp_path / "nope.csv", "--out", out)
    assert done.returncode not in (0, 2)
    assert "nope.csv" in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_missing_required_columns_are_all_named_at_once(tmp_path, write_applications):
    path = write_applications(make_applications(2).drop(columns=["non_profit", "workstations"]))
    out = tmp_path / "run"
    done = command_in_this_process("run", "--call", PHASE1, "--applications", path, "--out", out)
    assert done.returncode not in (0, 2)
    assert "non_profit" in done.stderr and "workstations" in done.stderr
    assert done.stderr.count("\n") == 1
    assert not out.exists()


def test_a_run_without_scores_still_ranks_every_eligible_applicant(tmp_path, write_applications):
    path = write_applications(make_applications(3, country=["Senegal", "Kenya", "France"]))
    out = tmp_path / "run"
    done = command_in_this_process("run", "--call", PHASE1, "--applications", path, "--out", out)
    assert done.returncode == 0, done.stderr
    decisions = pd.read_csv(out / "decisions.csv")
    assert set(decisions["status"]) == {"selected", "ineligible"}
    assert decisions.loc[decisions["status"] != "ineligible", "rank"].tolist() == [1, 2]


def test_the_report_language_and_edition_change_the_report_and_no_decision(tmp_path):
    outs = {}
    for lang, edition in (("en", "reviewer"), ("fr", "secretariat")):
        outs[lang] = tmp_path / lang
        done = command_in_this_process("run", "--call", PHASE1, "--applications", EXAMPLES / "applications.csv",
                                       "--scores", EXAMPLES / "scores.csv", "--out", outs[lang], "--lang", lang,
                                       "--edition", edition)
        assert done.returncode == 0, done.stderr
    english, french = (outs[k] / "report.html" for k in ("en", "fr"))
    assert '<html lang="en">' in english.read_text(encoding="utf-8")
    french_text = french.read_text(encoding="utf-8")
    assert '<html lang="fr">' in french_text and "@example.org" in french_text
    assert "@example.org" not in english.read_text(encoding="utf-8")
    for name in ("decisions.csv", "decisions.xlsx", "quarantine.csv"):
        assert (outs["en"] / name).read_bytes() == (outs["fr"] / name).read_bytes(), name
    manifest = json.loads((outs["fr"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["decisions.xlsx"] == hashlib.sha256((outs["fr"] / "decisions.xlsx").read_bytes()).hexdigest()


def test_an_unknown_language_is_a_usage_mistake(tmp_path):
    done = command_in_this_process("run", "--call", PHASE1, "--applications", EXAMPLES / "applications.csv",
                                   "--out", tmp_path / "o", "--lang", "de")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--lang" in done.stderr
