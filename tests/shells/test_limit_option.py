"""`--limit NAME=VALUE`: the bounds a real call could need to pass are raised for one run, named
from a fixed list; the run records what it raised in manifest.json and `verify` reruns with it.
The stability analysis is bounded too: samples x applicants before the work, and the scores it
holds at once whatever the number of samples (issue 17)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dtc_select.call.model import load_call
from dtc_select.checks import stability
from dtc_select.cli import main
from dtc_select.errors import CallFileError
from dtc_select.limits import DEFAULT_LIMITS, NAMES, Limits, parse_limit, raise_hint
from dtc_select.pipeline import run
from tests.conftest import EXAMPLES, PHASE1, command_in_this_process


dtc_select = command_in_this_process  # main(), as the console script calls it


# --- the option ------------------------------------------------------------------------------------

def test_a_limit_is_written_name_equals_a_whole_number_with_or_without_separators():
    assert parse_limit("rows=10000000") == parse_limit("rows=10_000_000") == parse_limit("rows=10,000,000") \
        == ("rows", 10_000_000)
    assert parse_limit("cell-chars=5") == ("cell_chars", 5)


@pytest.mark.parametrize("text", ["rows", "rowz=5", "rows=5x", "rows=0", "rows=-3", "rows=1.5", "=5",
                                  "cell_chars=100000000000000000000"])
def test_an_unknown_name_or_a_value_that_is_not_a_whole_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_limit(text)


def test_an_unknown_limit_on_the_command_line_is_a_usage_mistake_in_one_line_naming_the_limits(tmp_path):
    done = dtc_select("run", "--call", PHASE1, "--applications", EXAMPLES / "applications.csv",
                      "--out", tmp_path / "out", "--limit", "rowz=5")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "no limit named 'rowz'; the limits are " + ", ".join(NAMES) in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_limit_that_is_not_a_number_is_a_usage_mistake_in_one_line(tmp_path):
    done = dtc_select("assign", "--call", PHASE1, "--applications", EXAMPLES / "applications.csv",
                      "--reviewers", EXAMPLES / "applications.csv", "--per-application", "2",
                      "--out", tmp_path / "out", "--limit", "rows=many")
    assert done.returncode == 2
    assert done.stderr == "dtc-select assign: argument --limit: 'rows=many': 'many' is not a whole number " \
                          "(see dtc-select assign --help)\n"


def test_the_help_lists_every_limit_with_its_default():
    text = dtc_select("run", "--help").stdout
    for name in NAMES:
        assert f"{name}={getattr(DEFAULT_LIMITS, name):_}".replace("\n", "") in " ".join(text.split())


def test_only_the_raised_limits_are_recorded_and_the_hint_rounds_up_what_the_file_needs():
    assert Limits().raised() == {}
    assert DEFAULT_LIMITS.with_values({"rows": 7, "columns": 1_000}).raised() == {"rows": 7}
    assert raise_hint(DEFAULT_LIMITS, "columns", 1_500) == "pass --limit columns=2000 to allow more"
    assert raise_hint(DEFAULT_LIMITS, "rows") == "pass --limit rows=10000000 to allow more"


# --- a file past a default bound, read with the bound raised ---------------------------------------

def test_a_form_export_wider_than_the_default_is_read_with_columns_raised_recorded_and_verified(tmp_path):
    lines = (EXAMPLES / "applications.csv").read_text(encoding="utf-8").splitlines()
    extra = 1_100
    wide = [lines[0] + "".join(f",question_{i}" for i in range(extra))] + [line + "," * extra for line in lines[1:]]
    applications = tmp_path / "applications.csv"
    applications.write_text("\n".join(wide) + "\n", encoding="utf-8")
    refused = dtc_select("run", "--call", PHASE1, "--applications", applications, "--out", tmp_path / "refused")
    assert refused.returncode == 3
    assert refused.stderr.rstrip("\n").endswith(
        "line 1 has 1,127 cells: a table read here has at most 1,000 columns; pass --limit columns=2000 to allow more")
    out = tmp_path / "run"
    done = dtc_select("run", "--call", PHASE1, "--applications", applications, "--scores", EXAMPLES / "scores.csv",
                      "--out", out, "--limit", "columns=2000")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["limits"] == {"columns": 2000}
    checked = dtc_select("verify", out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "is reproduced" in checked.stdout


def test_a_run_with_the_default_limits_records_none(tmp_path):
    outcome = run(load_call(PHASE1), EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert outcome.limits == DEFAULT_LIMITS
    assert main(["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                 "--out", str(tmp_path / "out")]) == 0
    assert "limits" not in json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["options"]


# --- the stability analysis ------------------------------------------------------------------------

def _with_samples(samples: int, criteria_times: int = 1):
    call = load_call(PHASE1)
    scoring = call.scoring.model_copy(update={"criteria": tuple(call.criteria) * criteria_times})
    return call.model_copy(update={"stability": call.stability.model_copy(update={"samples": samples}),
                                   "scoring": scoring})


def test_a_million_samples_on_a_hundred_thousand_applicants_is_refused_naming_the_call_files_key():
    call = _with_samples(1_000_000)
    with pytest.raises(CallFileError) as refused:
        stability.check_samples_fit(call, 100_000)
    assert refused.value.key == "stability.samples"
    assert refused.value.problem == (
        "1,000,000 weight samples run on 100,000 applicants are 100,000,000,000 selections to score, more than the "
        "10,000,000,000 a run scores (the bound that keeps the stability analysis to minutes): lower "
        "stability.samples, or pass --limit stability_cells=100000000000 to allow more")
    stability.check_samples_fit(call, 100_000, DEFAULT_LIMITS.with_values({"stability_cells": 10**11}))


def test_samples_of_more_weights_than_a_run_holds_are_refused_before_any_is_drawn():
    call = _with_samples(1_000_000, criteria_times=3)  # 24 criteria
    with pytest.raises(CallFileError) as refused:
        stability.check_samples_fit(call, None)
    assert refused.value.key == "stability.samples"
    assert "24,000,000 numbers to hold, more than the 20,000,000 a run holds" in refused.value.problem


def test_the_command_refuses_a_stability_analysis_past_the_bound_before_writing_anything(tmp_path):
    done = dtc_select("run", "--call", PHASE1, "--applications", EXAMPLES / "applications.csv", "--scores",
                      EXAMPLES / "scores.csv", "--out", tmp_path / "out", "--limit", "stability_cells=1000")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"dtc-select: {PHASE1}: stability.samples: 10,000 weight samples run on ")
    assert done.stderr.rstrip("\n").endswith("to allow more")
    assert not (tmp_path / "out").exists()


def test_the_samples_are_scored_a_bounded_block_at_a_time_whatever_their_number(monkeypatch):
    blocks = []
    score = stability.methods.merit_scores_for_weights

    def recorded(matrix, weights, method):
        result = score(matrix, weights, method)
        blocks.append(result.shape)
        return result

    monkeypatch.setattr(stability.methods, "merit_scores_for_weights", recorded)
    monkeypatch.setattr(stability, "CELLS_PER_CHUNK", 50_000)  # small blocks, so that there are many
    outcome = run(_with_samples(40_000), EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert len(blocks) > 10
    assert sum(samples for samples, _ in blocks) == 40_000
    assert max(samples * applicants for samples, applicants in blocks) <= 50_000
    assert np.isclose(outcome.decisions["selection_probability"].sum(), 10.0)


# --- monitor: the centres' report files are held to the same bounds --------------------------------

def _monitor(out, *extra: str) -> list[str]:
    from tests.conftest import ROOT

    return ["monitor", "--programme", str(ROOT / "criteria" / "monitoring-phase1.yaml"), "--reports",
            str(ROOT / "data" / "examples" / "monitoring"), "--as-of", "2021-11-15", "--out", str(out), *extra]


def test_monitor_holds_report_files_to_the_limits_and_records_and_reruns_the_raised_ones(tmp_path, capsys):
    assert main(_monitor(tmp_path / "refused", "--limit", "rows=10")) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "has more than 10 rows" in err and err.rstrip().endswith("to allow more")
    assert not (tmp_path / "refused").exists()
    assert main(_monitor(tmp_path / "run", "--limit", "columns=500")) == 0
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["limits"] == {"columns": 500}
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "run")]) == 0, capsys.readouterr()


def test_assign_holds_the_applications_and_reviewers_files_to_the_limits_it_is_given(tmp_path, capsys):
    reviewers = tmp_path / "reviewers.csv"
    reviewers.write_text("reviewer_id,name,affiliation\nR1,One,ITU\nR2,Two,Cisco\n", encoding="utf-8")
    command = ["assign", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
               "--reviewers", str(reviewers), "--per-application", "2"]
    assert main([*command, "--out", str(tmp_path / "refused"), "--limit", "rows=1"]) == 3
    assert capsys.readouterr().err == (f"dtc-select: {reviewers}: has more than 1 rows, the most a file read here "
                                       f"holds: split it, or check it is the right file, or pass --limit rows=2 "
                                       f"to allow more\n")
    assert not (tmp_path / "refused").exists()
    assert main([*command, "--out", str(tmp_path / "sheets"), "--limit", "rows=100"]) == 0
