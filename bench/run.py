"""Benchmarks: the whole core pipeline per size, one JSON object per line. Run on demand:

    .venv/bin/python bench/run.py --sizes 1000,10000,100000
    .venv/bin/python bench/run.py --sizes 300 --cli-import      # CLI run vs bare library imports
    .venv/bin/python bench/run.py --sizes 300 --prefect         # the flow vs the CLI, same call

Each size runs in its own process so that `peak_rss_mb` is that size's own peak. Figures are
seconds on this machine, noisy on shared cores: compare ratios taken in one run (see RESULTS.md).
Nothing in the test suite depends on these timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL = ROOT / "criteria" / "dtc-phase1-2019.yaml"
BARE_IMPORTS = "import pandas, pandera.pandas, skcriteria, jinja2"


def measure_size(n: int) -> dict:
    """Generate a call of n applicants and time each stage of the core pipeline (no Prefect)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import synthetic_applications, synthetic_scores

    from dtc_select import pipeline
    from dtc_select.call import load_call
    from dtc_select.outputs import write_run
    from dtc_select.report import render_report

    folder = Path(tempfile.mkdtemp(prefix=f"dtc-bench-{n}-"))
    applications = synthetic_applications(n)
    synthetic_scores(applications).to_csv(folder / "scores.csv", index=False)
    applications.to_csv(folder / "applications.csv", index=False)

    stages: dict[str, float] = {}

    def timed(name, func, *args, **kwargs):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        stages[name] = round(time.perf_counter() - start, 4)
        return result

    started = time.perf_counter()
    call = timed("load_call", load_call, CALL)
    taken = timed("intake", pipeline.take_in_applications, folder / "applications.csv", call)
    checked = timed("eligibility", pipeline.check_eligibility, taken, call)
    scores = timed("scores_intake", pipeline.take_in_scores, folder / "scores.csv", call, taken)
    ranked = timed("scoring", pipeline.rank_eligible, checked, scores, call)
    needs, allocated = timed("allocation", pipeline.select, checked, ranked, call)
    outcome = timed("assemble", pipeline.make_outcome, call, taken, scores, checked, ranked, needs, allocated)
    html = timed("report", render_report, outcome)
    timed("write", write_run, outcome, folder / "out", report_html=html, started_at=dt.datetime.now(dt.timezone.utc))
    seconds = time.perf_counter() - started
    return {
        "applicants": n,
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stages": stages,
        "counts": outcome.counts,
    }


def in_child(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def seconds_of(command: list[str], repeat: int = 3) -> float:
    """Median wall time of a command (it is started fresh each time)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def write_synthetic_call(n: int, prefix: str) -> Path:
    """A folder holding a.csv (n applications) and s.csv (their reviewer scores)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import synthetic_applications, synthetic_scores

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    applications = synthetic_applications(n)
    applications.to_csv(folder / "a.csv", index=False)
    synthetic_scores(applications).to_csv(folder / "s.csv", index=False)
    return folder


def cli_versus_imports(n: int) -> dict:
    """A whole CLI run of n applicants against `python -c 'import pandas, pandera, ...'`."""
    folder = write_synthetic_call(n, "dtc-bench-cli-")
    bare = seconds_of([sys.executable, "-c", BARE_IMPORTS])
    cli = seconds_of([sys.executable, "-m", "dtc_select.cli", "run", "--call", str(CALL), "--applications",
                      str(folder / "a.csv"), "--scores", str(folder / "s.csv"), "--out", str(folder / "out")])
    return {"applicants": n, "bare_import_seconds": round(bare, 3), "cli_seconds": round(cli, 3),
            "cli_over_imports": round(cli / bare, 2)}


def flow_versus_cli(n: int) -> dict:
    """The Prefect flow (local mode) against the CLI on the same call, each a fresh process."""
    folder = write_synthetic_call(n, "dtc-bench-flow-")
    files = ["--call", str(CALL), "--applications", str(folder / "a.csv"), "--scores", str(folder / "s.csv")]
    cli = seconds_of([sys.executable, "-m", "dtc_select.cli", "run", *files, "--out", str(folder / "cli")], 1)
    flow = seconds_of([sys.executable, str(ROOT / "flows" / "select_call.py"), *files, "--out", str(folder / "flow")], 1)
    return {"applicants": n, "cli_seconds": round(cli, 3), "flow_seconds": round(flow, 3),
            "flow_overhead_seconds": round(flow - cli, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated applicant counts")
    parser.add_argument("--cli-import", action="store_true", help="CLI run vs bare library imports")
    parser.add_argument("--prefect", action="store_true", help="the flow vs the CLI at the first size")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_size(args.child)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in sizes:
        print(json.dumps(in_child(["--child", str(n)])), flush=True)
    if args.cli_import:
        print(json.dumps(cli_versus_imports(sizes[0])), flush=True)
    if args.prefect:
        print(json.dumps(flow_versus_cli(sizes[0])), flush=True)


if __name__ == "__main__":
    main()
