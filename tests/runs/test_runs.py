"""Runs side by side under reports/<call-id>/<run-id>/, a LATEST pointer, and what killed runs leave."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from dtc_select.cli import main
from dtc_select.errors import InputFileError
from dtc_select.runs.out_folder import STAGING_MARK
from dtc_select.runs.outputs import remove_stale_staging, write_folder_atomically
from dtc_select.runs.folders import mark_latest, new_run_folder, read_latest, run_folder
from tests.conftest import PHASE1, make_applications

START = dt.datetime(2019, 12, 1, 6, 0, 0, tzinfo=dt.timezone.utc)


def dead_pid() -> int:
    """The id of a process that has ended (ours, reaped: no other process can hold it yet)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_two_runs_of_a_call_live_side_by_side_and_latest_names_the_second(tmp_path, write_applications):
    applications = write_applications(make_applications(3, country=["Senegal", "Kenya", "Nepal"]))
    reports = tmp_path / "reports"
    for _ in range(2):
        assert main(["run", "--call", str(PHASE1), "--applications", str(applications),
                     "--reports-dir", str(reports)]) == 0
    call_dir = reports / "dtc-phase1-2019"
    runs = sorted(p.name for p in call_dir.iterdir() if p.is_dir())
    assert len(runs) == 2 and all((call_dir / r / "decisions.csv").is_file() for r in runs)
    assert (call_dir / "LATEST").read_text(encoding="utf-8") == runs[-1] + "\n"
    assert run_folder(call_dir) == call_dir / runs[-1]


def test_a_run_started_in_the_same_second_gets_its_own_folder(tmp_path):
    first = new_run_folder(tmp_path, "call", START)
    assert first == tmp_path / "call" / "20191201T060000Z"
    first.mkdir(parents=True)
    assert new_run_folder(tmp_path, "call", START).name == "20191201T060000Z-2"


def test_latest_never_moves_back_to_an_earlier_run(tmp_path):
    later, earlier = tmp_path / "20191202T000000Z", tmp_path / "20191201T000000Z"
    assert mark_latest(later)
    assert not mark_latest(earlier)
    assert read_latest(tmp_path) == later
    assert mark_latest(tmp_path / "20191202T000000Z-2")
    assert read_latest(tmp_path).name == "20191202T000000Z-2"


def test_a_folder_that_is_no_run_is_named_in_the_error(tmp_path):
    with pytest.raises(InputFileError, match="is not a run folder"):
        run_folder(tmp_path)


def _left_by_a_run(folder):
    """A hidden folder as a run leaves it: with the mark a run writes first."""
    folder.mkdir(parents=True)
    (folder / STAGING_MARK).write_bytes(b"")
    return folder


def test_the_next_write_removes_what_a_dead_run_left_and_keeps_what_a_live_one_is_writing(tmp_path):
    dead, alive = dead_pid(), os.getppid()
    _left_by_a_run(tmp_path / f".run-a.partial-{dead}-abc123")
    _left_by_a_run(tmp_path / f".run-b.partial-{alive}-abc123")
    write_folder_atomically(tmp_path / "run-c", {"decisions.csv": b"x\n"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".run-b.partial-{alive}-abc123", "run-c"]


def test_a_folder_merely_named_like_a_dead_runs_leftover_is_not_ours_and_stays(tmp_path):
    lookalike = tmp_path / f".notes.partial-{dead_pid()}-abc123"
    (lookalike / "sub").mkdir(parents=True)
    (lookalike / "sub" / "f").write_bytes(b"mine\n")
    write_folder_atomically(tmp_path / "run", {"decisions.csv": b"x\n"})
    assert (lookalike / "sub" / "f").read_bytes() == b"mine\n"
    assert remove_stale_staging(tmp_path) == []


def test_a_previous_run_moved_aside_by_a_dead_run_is_put_back(tmp_path):
    retired = _left_by_a_run(tmp_path / f".run.old-{dead_pid()}-xyz")
    (retired / "run").mkdir(parents=True)
    (retired / "run" / "decisions.csv").write_bytes(b"previous\n")
    assert remove_stale_staging(tmp_path) == [retired]
    assert (tmp_path / "run" / "decisions.csv").read_bytes() == b"previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
