"""A run killed half-way through writing leaves no half-written run folder; the next run succeeds."""

from __future__ import annotations

import subprocess
import sys
import time

from dtc_select.cli import main
from tests.conftest import EXAMPLES, PHASE1

# The command line, with a write that stops after its first file (as if the machine hung there):
# it tells the test it is half-way by creating a file, then waits to be killed.
HALF_WAY = """
import os, sys, time
real_fsync = os.fsync
def fsync_then_hang(fd):
    real_fsync(fd)
    open(sys.argv[1], "w").close()
    time.sleep(600)
os.fsync = fsync_then_hang
from dtc_select.cli import main
sys.exit(main(sys.argv[2:]))
"""
WAIT_SECONDS = 180  # an upper bound for a slow machine, not a speed requirement


def test_a_run_killed_while_writing_leaves_no_run_folder_and_the_next_run_succeeds(tmp_path):
    reports = tmp_path / "reports"
    call_dir = reports / "dtc-phase1-2019"
    half_way = tmp_path / "half-way"
    args = ["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
            "--reports-dir", str(reports)]
    process = subprocess.Popen([sys.executable, "-c", HALF_WAY, str(half_way), *args])
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not half_way.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert half_way.exists(), "the run never reached its first written file"
        staging = [p for p in call_dir.iterdir() if ".partial-" in p.name]
        assert len(staging) == 1 and (staging[0] / "decisions.csv").is_file()  # truly half-way
    finally:
        process.kill()
        process.wait()

    assert [p.name for p in call_dir.iterdir() if not p.name.startswith(".")] == []  # no run, no LATEST
    assert main(args) == 0
    entries = {p.name for p in call_dir.iterdir()}  # the new run and LATEST; the dead run's leftovers removed
    run = call_dir / (call_dir / "LATEST").read_text(encoding="utf-8").strip()
    assert entries == {"LATEST", run.name}
    assert {"decisions.csv", "decisions.xlsx", "quarantine.csv", "score_problems.csv", "report.html", "manifest.json"} == {
        p.name for p in run.iterdir()}
