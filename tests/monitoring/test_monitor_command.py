"""`dtc-select monitor`: the files it writes, reruns byte for byte, `verify`, and one line per mistake."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dtc_select.cli import main
from tests.conftest import ROOT
from tests.monitoring.conftest import PROGRAMME, report_row, write_reports

RUN = ["monitor", "--programme", "criteria/monitoring-phase1.yaml", "--reports", "data/examples/monitoring",
       "--as-of", "2021-11-15"]


@pytest.fixture(autouse=True)
def in_the_repository(monkeypatch):
    """The commands as the guide writes them, from the repository's folder."""
    monkeypatch.chdir(ROOT)


FILES = {"progress.csv", "reports_status.csv", "quarantine.csv", "report.html", "manifest.json"}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dtc_select.cli", *args], capture_output=True, text=True, timeout=300)


def test_the_command_writes_the_five_files_and_says_what_it_counted(tmp_path, capsys):
    assert main([*RUN, "--out", str(tmp_path / "out")]) == 0
    assert {p.name for p in (tmp_path / "out").iterdir()} == FILES
    assert capsys.readouterr().out.strip().endswith(
        "74 rows read, 68 counted, 6 quarantined; reports 66 received, 2 late, 2 missing")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool"] == "dtc-select monitor" and manifest["as_of"] == "2021-11-15"
    assert [i["role"] for i in manifest["inputs"]] == ["programme", "report", "report"]
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert manifest["counts"] == {"rows_read": 74, "counted": 68, "quarantined": 6, "reports_received": 66,
                                  "reports_late": 2, "reports_missing": 2}


def test_a_rerun_is_byte_identical_and_verify_reproduces_it(tmp_path, capsys):
    for name in ("a", "b"):
        assert main([*RUN, "--lang", "fr", "--out", str(tmp_path / name)]) == 0
    for name in ("progress.csv", "reports_status.csv", "quarantine.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    reports = [(tmp_path / n / "report.html").read_text(encoding="utf-8").splitlines() for n in ("a", "b")]
    assert len(reports[0]) == len(reports[1])
    assert all("Rapport établi le" in x for x, y in zip(*reports) if x != y)  # only the time it was made
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "a")]) == 0
    assert "is reproduced" in capsys.readouterr().out


def test_verify_says_what_differs_when_a_monitoring_run_was_edited(tmp_path, capsys):
    assert main([*RUN, "--out", str(tmp_path / "run")]) == 0
    progress = tmp_path / "run" / "progress.csv"
    progress.write_text(progress.read_text(encoding="utf-8").replace("22192", "22193"), encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "run")]) == 1
    assert "progress.csv: differs from line" in capsys.readouterr().out


def test_verify_refuses_to_rerun_on_a_report_changed_since(tmp_path, capsys):
    path = write_reports(tmp_path / "r.csv", [report_row()])
    assert main(["monitor", "--programme", str(PROGRAMME), "--reports", str(path), "--as-of", "2021-11-15",
                 "--out", str(tmp_path / "run")]) == 0
    write_reports(path, [report_row(trained_basic=101)])
    assert main(["verify", str(tmp_path / "run")]) == 3
    assert "r.csv: changed since the run" in capsys.readouterr().err


@pytest.mark.parametrize("args, line", [
    (["--as-of", "15/11/2021"], "argument --as-of: '15/11/2021' is not a date (write YYYY-MM-DD)"),
    (["--template", "t.xlsx"], "dtc-select monitor: --template writes a workbook; --reports and --out belong to a run"),
])
def test_a_usage_mistake_is_one_line_and_exit_2(tmp_path, args, line):
    done = _cli(*RUN, "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and line in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_run_without_reports_or_date_is_told_what_it_needs(tmp_path):
    done = _cli("monitor", "--programme", str(PROGRAMME), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.startswith("dtc-select monitor: --reports, --as-of required (or --template FILE.xlsx)")


def test_an_unreadable_report_exits_3_naming_it_and_writes_nothing(tmp_path):
    bad = tmp_path / "q1.csv"
    bad.write_bytes(b"%PDF-1.4 not a table")
    done = _cli("monitor", "--programme", str(PROGRAMME), "--reports", str(bad), "--as-of", "2021-11-15",
                "--out", str(tmp_path / "out"))
    assert done.returncode == 3 and done.stderr.startswith(f"dtc-select: {bad}: is a PDF document")
    assert not (tmp_path / "out").exists()


def test_text_from_reports_cannot_run_as_a_formula_in_the_outputs(tmp_path):
    path = write_reports(tmp_path / "r.csv", [report_row(dtc_id="=HYPERLINK(\"http://x\")")])
    assert main(["monitor", "--programme", str(PROGRAMME), "--reports", str(path), "--as-of", "2021-11-15",
                 "--out", str(tmp_path / "out")]) == 0
    quarantine = (tmp_path / "out" / "quarantine.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in quarantine and ",=HYPERLINK" not in quarantine


def test_the_guide_shows_the_command_and_what_it_prints_on_the_example(tmp_path, capsys):
    guide = (ROOT / "docs" / "monitoring.md").read_text(encoding="utf-8")
    start = guide.index("dtc-select monitor --programme")
    command = guide[start:guide.index("```", start)]
    args = command.replace("\\\n", " ").split()[1:]
    assert args[:args.index("--out")] == RUN
    assert main([*RUN, "--out", str(tmp_path / "out")]) == 0
    printed = guide[guide.index("prints `") + 8:guide.index("` and writes")]
    assert capsys.readouterr().out.strip().endswith(printed)
    assert "](docs/monitoring.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_diff_of_two_monitoring_runs_names_what_changed_a_year_on(tmp_path, capsys):
    base = ["monitor", "--programme", "criteria/monitoring-phase1.yaml", "--reports", "data/examples/monitoring"]
    assert main([*base, "--as-of", "2020-11-15", "--out", str(tmp_path / "2020")]) == 0
    assert main([*base, "--as-of", "2021-11-15", "--out", str(tmp_path / "2021")]) == 0
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "2020"), str(tmp_path / "2021")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  GHA trained: 5300 -> 22192 (behind -> ahead)" in lines
    assert "  PNG report 2021-Q3: - -> - (- -> missing)" in lines
    assert main(["diff", "--csv", str(tmp_path / "2021"), str(tmp_path / "2021")]) == 0
    assert capsys.readouterr().out.strip() == "dtc_id,what,old,new,old_status,new_status"
