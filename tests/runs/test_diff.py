"""`dtc-select diff OLD NEW`: who changed status or rank between two runs, old -> new, and why."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from dtc_select.cli import main
from dtc_select.runs.diff import RunTables, decision_changes, load_run, without_shifts
from tests.conftest import EXAMPLES, PHASE1, make_applications

COUNTRIES = ["Senegal", "Kenya", "Nepal", "Haiti", "Bolivia"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Old: A-001..A-005. New: A-002 no longer non-profit, A-004's row unreadable, A-005 withdrawn,
    A-006 new, and the committee keeps A-003 in reserve."""
    folder = tmp_path_factory.mktemp("diff")
    old = make_applications(5, country=COUNTRIES)
    new = make_applications(6, country=COUNTRIES + ["Nepal"], committed_staff=["10"] * 5 + ["99"],
                            non_profit=["yes", "no", "yes", "yes", "yes", "yes"],
                            training_labs=["2", "2", "2", "two", "2", "2"]).drop(index=4)
    overrides = folder / "overrides.csv"
    overrides.write_text("application_id,new_status,justification,decided_by,decided_on\n"
                         "A-003,reserve,Site visit pending,Committee,2019-12-10\n", encoding="utf-8")
    outs = []
    for name, frame, extra in (("old", old, []), ("new", new, ["--overrides", str(overrides)])):
        frame.to_csv(folder / f"{name}.csv", index=False)
        out = folder / name
        assert main(["run", "--call", str(PHASE1), "--applications", str(folder / f"{name}.csv"),
                     "--out", str(out), *extra]) == 0
        outs.append(out)
    return outs


@pytest.fixture(scope="module")
def changes(runs):
    return decision_changes(load_run(runs[0]), load_run(runs[1])).set_index("application_id")


def test_a_status_change_is_listed_old_to_new_with_the_new_reasons(changes):
    row = changes.loc["A-002"]
    assert (row["old_status"], row["new_status"], row["new_rank"]) == ("selected", "ineligible", "")
    assert row["why"].startswith("ineligible:") and "non-profit" in row["why"]


def test_an_override_in_the_new_run_is_listed_as_a_status_and_override_change(changes):
    row = changes.loc["A-003"]
    assert row["change"] == "status, rank, override"  # ranks move up: A-002 is no longer ranked
    assert (row["old_status"], row["new_status"], row["old_override"]) == ("selected", "reserve", "")
    assert row["new_override"] == "reserve by Committee on 2019-12-10: Site visit pending"


def test_applicants_added_or_removed_say_whether_their_row_was_quarantined(changes):
    assert changes.loc["A-004", "change"] == "removed"
    assert changes.loc["A-004", "why"].startswith("quarantined in the new run: training_labs 'two'")
    assert changes.loc["A-005", "why"] == "not in the new run's applications"
    assert changes.loc["A-006", "change"] == "added"
    assert changes.loc["A-006", "why"].startswith("not in the old run's applications; ")


def test_an_applicant_whose_status_and_rank_stayed_is_not_listed(changes):
    assert "A-001" not in changes.index


def test_the_diff_command_prints_a_readable_table_with_the_inputs_that_changed(runs, capsys):
    assert main(["diff", str(runs[0]), str(runs[1])]) == 0
    out = capsys.readouterr().out
    assert "applications: changed" in out and "call: same file" in out and "overrides: added" in out
    line = next(line for line in out.splitlines() if line.startswith("A-002"))
    assert "selected -> ineligible" in line and "ineligible:" in line
    assert "committee decision: none -> reserve by Committee on 2019-12-10: Site visit pending" in out


def test_the_diff_command_writes_csv_on_request(runs, capsys):
    assert main(["diff", "--csv", str(runs[0]), str(runs[1])]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert list(frame.columns[:7]) == ["application_id", "institution_name", "change", "old_status", "new_status",
                                       "old_rank", "new_rank"]
    assert set(frame["application_id"]) >= {"A-002", "A-003", "A-004", "A-005", "A-006"}


def test_identical_runs_have_no_changes(runs, capsys):
    assert main(["diff", str(runs[0]), str(runs[0])]) == 0
    assert "No applicant changed status, rank or committee decision." in capsys.readouterr().out


def test_a_folder_that_is_not_a_run_exits_3_naming_it(tmp_path, capsys):
    assert main(["diff", str(tmp_path), str(tmp_path)]) == 3
    assert str(tmp_path) in capsys.readouterr().err


def _ranked(ranks: dict[str, int]) -> RunTables:
    decisions = pd.DataFrame({"application_id": list(ranks), "status": "not_selected",
                              "rank": [str(r) for r in ranks.values()]})
    return RunTables(Path("run"), decisions, pd.DataFrame(columns=["application_id", "problems"]), {})


def test_one_applicant_jumping_ahead_is_one_move_and_those_it_passed_only_shift():
    old = _ranked({"A": 1, "B": 2, "C": 3, "D": 4, "E": 5})
    new = _ranked({"A": 1, "E": 2, "B": 3, "C": 4, "D": 5})
    changes = decision_changes(old, new).set_index("application_id")
    assert changes["change"].to_dict() == {"E": "rank", "B": "rank shift", "C": "rank shift", "D": "rank shift"}
    assert list(changes.index) == ["E", "B", "C", "D"]  # the move first, then the shifts
    assert set(without_shifts(changes.reset_index())["application_id"]) == {"E"}


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """The example call, then the same with quarantined row 28 corrected ('two' labs -> 2)."""
    folder = tmp_path_factory.mktemp("corrected")
    lines = (EXAMPLES / "applications.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    fixed = [line.replace(",two,", ",2,") if line.startswith("DTC-2019-028,") else line for line in lines]
    (folder / "fixed.csv").write_text("".join(fixed), encoding="utf-8")
    outs = []
    for name, applications in (("old", EXAMPLES / "applications.csv"), ("new", folder / "fixed.csv")):
        assert main(["run", "--call", str(PHASE1), "--applications", str(applications),
                     "--scores", str(EXAMPLES / "scores.csv"), "--out", str(folder / name)]) == 0
        outs.append(folder / name)
    return outs


def test_after_one_corrected_row_diff_lists_that_row_and_sums_up_the_ranks_below_in_one_line(corrected, capsys):
    assert main(["diff", str(corrected[0]), str(corrected[1])]) == 0
    out = capsys.readouterr().out
    assert "1 applicant(s) changed:" in out
    assert next(line for line in out.splitlines() if line.startswith("DTC-2019-")).startswith("DTC-2019-028")
    assert re.search(r"\n28 other applicant\(s\) changed rank only because applicants above them were added, "
                     r"removed or moved \(their order among the others is unchanged\): old ranks 31-58, by \+1; "
                     r"--ranks lists them\.\n", out)
    assert main(["diff", "--csv", str(corrected[0]), str(corrected[1])]) == 0
    assert pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)["application_id"].tolist() == ["DTC-2019-028"]


def test_with_ranks_diff_lists_the_rank_shifts_after_the_changes(corrected, capsys):
    assert main(["diff", "--ranks", str(corrected[0]), str(corrected[1])]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("DTC-2019-")]
    assert len(listed) == 29 and listed[0] == "DTC-2019-028"
    assert main(["diff", "--csv", "--ranks", str(corrected[0]), str(corrected[1])]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert frame["change"].tolist() == ["added"] + ["rank shift"] * 28
