"""The benchmark runs end to end on a tiny call and prints what RESULTS.md is built from. Only the
shape of its output is checked here: no test depends on how long anything takes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STAGES = {"load_call", "intake", "eligibility", "scores_intake", "scoring", "allocation", "ranking_checks",
          "assemble", "committee", "report", "write"}


def bench(tmp_path, *args: str) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "50", *args],
                          capture_output=True, text=True, env=env, timeout=300, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture(scope="module")
def with_comparisons(tmp_path_factory) -> list[dict]:
    """One benchmark run for three tests: the comparisons with the bare imports and with the I/O
    floor, then the size's line (one process, not three)."""
    return bench(tmp_path_factory.mktemp("bench"), "--cli-import", "--io-floor", "--repeat", "1")


def compared(lines: list[dict], name: str) -> dict:
    (figures,) = [line for line in lines if line.get("compare") == name]
    assert lines.index(figures) < len(lines) - 1  # the comparisons come before the size's line
    return figures


@pytest.mark.parametrize("quota", [[], ["--presence-quota", "0.5"]], ids=["bonus", "presence-quota"])
def test_the_benchmark_prints_one_json_line_per_size_with_the_figures_results_md_needs(tmp_path, quota,
                                                                                       with_comparisons):
    lines = bench(tmp_path, *quota) if quota else [line for line in with_comparisons if "compare" not in line]
    assert len(lines) == 1
    figures = lines[0]
    assert "error" not in figures
    assert figures["applicants"] == 50
    assert {"seconds", "peak_rss_mb", "stages", "xlsx_seconds", "sensitivity_speedup", "sensitivity"} <= set(figures)
    assert set(figures["stages"]) == STAGES  # every stage of pipeline.run, the report and the writing
    assert all(isinstance(v, (int, float)) for v in figures["stages"].values())
    assert figures["sensitivity"]["samples"] == 10_000
    assert figures["counts"]["input_rows"] == figures["counts"]["taken_in"] + figures["counts"]["quarantined"]
    assert figures.get("presence_quota") == (0.5 if quota else None)


def test_the_xlsx_writers_benchmark_prints_one_json_line_per_writer_with_both_files_read_back(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "xlsx_writers.py"), "--rows", "300", "--repeats", "1"],
                          capture_output=True, text=True, env=env, timeout=300, check=True)
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["writer"] for line in lines] == ["ours", "xlsxwriter"]
    assert all(line["rows"] == 300 and line["columns"] >= 8 and line["bytes"] > 0 for line in lines)
    assert all({"seconds", "peak_rss_mb", "peak_before_writing_mb"} <= set(line) for line in lines)


def test_the_benchmark_compares_a_cli_run_with_the_io_floor_in_time_and_memory(with_comparisons):
    figures = compared(with_comparisons, "cli_vs_io_floor")
    assert figures["applicants"] == 50
    assert figures["cli_over_floor"] == round(figures["cli_seconds"] / figures["floor_seconds"], 2)
    assert figures["cli_memory_over_floor"] == round(figures["cli_peak_mb"] / figures["floor_peak_mb"], 2)
    assert figures["floor_peak_mb"] > 10 and figures["cli_peak_mb"] > 10  # real processes' peaks, MiB


def test_the_benchmark_compares_a_cli_run_with_the_bare_imports_in_wall_and_cpu_seconds(with_comparisons):
    figures = compared(with_comparisons, "cli_vs_imports")
    assert figures["applicants"] == 50
    assert figures["cli_over_imports"] == round(figures["cli_seconds"] / figures["bare_import_seconds"], 2)
    assert figures["cli_over_imports_cpu"] == round(figures["cli_cpu_seconds"] / figures["bare_import_cpu_seconds"], 2)
    assert figures["bare_import_cpu_seconds"] > 0 and figures["cli_cpu_seconds"] > 0  # real processes' CPU
