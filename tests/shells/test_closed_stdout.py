"""`dtc-select ... | head -1`: a reader that goes away early ends the command quietly (exit 141,
as a shell reports a program stopped by SIGPIPE), never with "internal error"."""

from __future__ import annotations

import os
import subprocess
import sys

from dtc_select.cli import STDOUT_CLOSED
from tests.conftest import EXAMPLES, PHASE1


def _with_stdout_closed(*args) -> subprocess.CompletedProcess:
    """Run the command with a standard output whose reading end is already closed: its first
    write fails, whatever the timing (as `| head -1` does once head has its line)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "dtc_select.cli", *map(str, args)], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write_end)


def test_help_piped_to_a_closed_reader_exits_quietly():
    # argparse leaves a help it cannot write unsaid and exits 0, as `--help` always does.
    for args in (["--help"], ["run", "--help"]):
        done = _with_stdout_closed(*args)
        assert (done.returncode, done.stderr) == (0, "")


def test_a_run_piped_to_a_closed_reader_writes_its_folder_whole_and_exits_quietly_with_141(tmp_path):
    out = tmp_path / "run"
    done = _with_stdout_closed("run", "--call", PHASE1, "--applications", EXAMPLES / "applications.csv",
                               "--scores", EXAMPLES / "scores.csv", "--out", out)
    assert done.returncode == STDOUT_CLOSED == 141, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr
    assert {"decisions.csv", "quarantine.csv", "report.html", "manifest.json"} <= {p.name for p in out.iterdir()}


def test_help_with_an_open_reader_is_printed_and_exits_0():
    done = subprocess.run([sys.executable, "-m", "dtc_select.cli", "--help"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("usage: dtc-select")
