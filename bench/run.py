"""Benchmarks: the whole core pipeline per size, one JSON object per line. Run on demand:

    PYTHONPATH=src .venv/bin/python bench/run.py --sizes 1000,10000,100000
    PYTHONPATH=src .venv/bin/python bench/run.py --sizes 300 --cli-import --only-compare
    PYTHONPATH=src .venv/bin/python bench/run.py --sizes 300 --prefect 300,10000 --only-compare
    PYTHONPATH=src .venv/bin/python bench/run.py --sizes 10000,100000 --presence-quota 0.5
    PYTHONPATH=src .venv/bin/python bench/run.py --sizes 100000 --io-floor --only-compare

Per size: `applicants`, `seconds` (pipeline.run's stages + report + writing, imports excluded),
`peak_rss_mb`, `stages` (seconds each), `xlsx_seconds` (decisions.xlsx alone, a part of
`write`), `sensitivity_speedup` (the stability analysis against the same weight samples one at a
time through scikit-criteria, timed on a few samples and scaled), `report_bytes`, `counts`.
`--cli-import`: a whole CLI run against the bare import of its libraries, started in turns,
wall and CPU seconds (`--cli-import 90,300`: the example call's size and the target's); `--prefect`: the flow
against the CLI on the same call; `--io-floor`: a whole CLI run against the I/O floor (pandas reading
the applications and the scores as text and writing the applications back), in seconds and in
peak memory, each a fresh process. Each size runs in its own process so that
`peak_rss_mb` is that size's own peak; a size that fails prints an `error` line and the rest go on.
Figures are seconds on this machine, noisy on shared cores: compare ratios taken in one run (see
RESULTS.md). Nothing in the test suite depends on these timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL = ROOT / "criteria" / "dtc-phase1-2019.yaml"
BARE_IMPORTS = "import pandas, pandera.pandas, skcriteria, jinja2"
IMPORTED_LAZILY = ("skcriteria", "skcriteria.agg.simple", "skcriteria.agg.topsis", "skcriteria.agg.vikor",
                   "skcriteria.preprocessing.scalers", "scipy.stats", "jinja2", "openpyxl")
CACHE = Path(tempfile.gettempdir()) / "dtc-bench-cache"


def peak_rss_mb() -> float:
    """This process's peak resident memory, MiB. Linux's VmHWM belongs to the process's own
    memory; getrusage's ru_maxrss also keeps the parent's size at the fork that started it."""
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(status.split("VmHWM:")[1].split()[0]) / 1024, 1)
    except (OSError, IndexError, ValueError):
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def with_presence_quota(call, share: float):
    """The call with its presence priority applied as a quota (at least `share` of each region's
    seats to countries where ITU or Cisco is present) instead of its bonus: the call file's other
    declared way, whose selection swaps applicants after the ranking."""
    quota = call.presence_priority.model_copy(update={"method": "quota", "bonus": 0.0, "minimum_share": share})
    return call.model_copy(update={"presence_priority": quota})


def measure_size(folder: Path, presence_quota: float | None = None) -> dict:
    """Time each stage of `pipeline.run` (no Prefect), the report and the writing on the call in
    `folder` (a.csv, s.csv: `write_synthetic_call`, made by the parent process so that making
    them does not count in this process's peak memory); then the stability analysis against the
    one-at-a-time loop."""
    sys.path.insert(0, str(ROOT / "bench"))
    from naive import seconds_per_sample

    from dtc_select import pipeline
    from dtc_select.seats import vectorised as selection
    from dtc_select.checks import stability
    from dtc_select.call.model import load_call
    from dtc_select.runs.outputs import write_run
    from dtc_select.report.view import render_report
    from dtc_select.ranking.scoring import criterion_column
    from dtc_select.runs.decisions_xlsx import decisions_xlsx
    from dtc_select.process_memory import collect_cycles_less_often, return_freed_memory

    return_freed_memory()  # as `dtc-select` does at its start: the peak is what the command's would be
    collect_cycles_less_often()  # and its collector's habits
    # Libraries the stages import lazily, imported first: `seconds` is the work, not the imports.
    start = time.perf_counter()
    for module in IMPORTED_LAZILY:
        importlib.import_module(module)
    imports = time.perf_counter() - start

    stages: dict[str, float] = {}
    peaks: dict[str, float] = {}  # the process's peak memory so far, read after each stage

    def timed(name, func, *args, **kwargs):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        stages[name] = round(time.perf_counter() - start, 4)
        peaks[name] = peak_rss_mb()
        return result

    # pipeline.STAGES, the stages pipeline.run goes through, each timed under its key.
    started = time.perf_counter()
    call = timed("load_call", load_call, CALL)
    if presence_quota is not None:
        call = with_presence_quota(call, presence_quota)
    state = pipeline.RunState(call, folder / "a.csv", folder / "s.csv")
    for stage in pipeline.STAGES:
        state = timed(stage.key, stage.step, state)
    outcome, checked, ranked, allocated = state.outcome, state.checked, state.ranked, state.allocated
    html = timed("report", render_report, outcome)
    timed("write", write_run, outcome, folder / "out", report_html=html, started_at=dt.datetime.now(dt.timezone.utc))
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()

    # decisions.xlsx alone (a part of "write"), written again after the peak memory is read.
    start = time.perf_counter()
    decisions_xlsx(outcome.decisions)
    xlsx_seconds = time.perf_counter() - start

    # The stability analysis (all samples at once) against the same samples one at a time, on
    # the same data; outside `seconds`, after the peak memory is read.
    eligible = checked.loc[ranked.index]
    contest = selection.contest_from(eligible, ranked, allocated.seats, call)
    values = ranked[[criterion_column(c.id) for c in call.criteria]].to_numpy(dtype=float)
    chosen = allocated.decisions["status"].eq("selected").to_numpy()
    start = time.perf_counter()
    stability.assess_stability(contest, values, ranked["score"].to_numpy(dtype=float), ranked["rank"].to_numpy(),
                               chosen, call)
    vectorised = time.perf_counter() - start
    per_sample, timed_samples = seconds_per_sample(call, eligible, ranked, allocated.seats)
    loop = per_sample * call.stability.samples
    return {
        "applicants": outcome.counts["input_rows"],
        **({"presence_quota": presence_quota} if presence_quota is not None else {}),
        "seconds": round(seconds, 3),
        "peak_rss_mb": peak,
        "stages": stages,
        "peak_rss_mb_after": peaks,
        "import_seconds": round(imports, 3),
        "xlsx_seconds": round(xlsx_seconds, 3),
        "sensitivity_speedup": round(loop / vectorised, 1),
        "sensitivity": {"samples": call.stability.samples, "vectorised_seconds": round(vectorised, 3),
                        "loop_seconds_estimated": round(loop, 1), "loop_samples_timed": timed_samples},
        "report_bytes": len(html.encode()),
        "counts": outcome.counts,
    }


def child_env(bytecode_cache: bool = True) -> dict[str, str]:
    """The environment of every process the benchmark starts.

    It runs this checkout's code (`src` first on PYTHONPATH), never another installed copy. And,
    like any `pip install`, it keeps a bytecode cache: a machine that sets PYTHONDONTWRITEBYTECODE
    (ours does) otherwise compiles every imported module from source on every start, which
    doubles import times. The cache goes to a folder of the benchmark's own, not site-packages.
    Prefect keeps its local database there too, apart from the user's."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    env.setdefault("PREFECT_HOME", str(CACHE / "prefect"))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    return env


def in_child(n: int, env: dict[str, str], presence_quota: float | None = None) -> dict:
    """One size in a fresh process; a size that fails (memory, a bug) is reported, not fatal."""
    folder = write_synthetic_call(n, f"dtc-bench-{n}-")
    quota = ["--presence-quota", str(presence_quota)] if presence_quota is not None else []
    done = subprocess.run([sys.executable, __file__, "--child", str(folder), *quota], capture_output=True, text=True,
                          env=env)
    shutil.rmtree(folder, ignore_errors=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        return json.loads(lines[-1])
    error = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"applicants": n, "error": f"exit {done.returncode}: {error}"}


def seconds_of(command: list[str], env: dict[str, str], repeat: int = 3) -> float:
    """Median wall time of a command started fresh each time, after one untimed warm-up start
    (it fills the bytecode cache, as the first start after an install does)."""
    subprocess.run(command, check=True, capture_output=True, env=env)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
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


def cli_command(folder: Path, out: str) -> list[str]:
    return [sys.executable, "-m", "dtc_select.cli", "run", "--call", str(CALL), "--applications",
            str(folder / "a.csv"), "--scores", str(folder / "s.csv"), "--out", str(folder / out)]


def wall_and_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the child's) of one fresh start."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cli_versus_imports(n: int, env: dict[str, str], repeat: int = 5) -> dict:
    """A whole CLI run of n applicants against `python -c 'import pandas, pandera, ...'`, started
    in turns (bare, CLI, bare, CLI, ...: a change of load on shared cores hits both alike), medians.
    CPU seconds as well as wall: on busy cores the wall time also counts the waiting."""
    folder = write_synthetic_call(n, "dtc-bench-cli-")
    bare_command, cli = [sys.executable, "-c", BARE_IMPORTS], cli_command(folder, "out")
    for command in (bare_command, cli):  # warm-up starts: the bytecode cache, as after an install
        subprocess.run(command, check=True, capture_output=True, env=env)
    bare_runs, cli_runs = [], []
    for _ in range(repeat):
        bare_runs.append(wall_and_cpu(bare_command, env))
        shutil.rmtree(folder / "out", ignore_errors=True)
        cli_runs.append(wall_and_cpu(cli, env))
    shutil.rmtree(folder, ignore_errors=True)
    median = lambda runs, i: sorted(run[i] for run in runs)[len(runs) // 2]  # noqa: E731
    bare, cli_seconds = round(median(bare_runs, 0), 3), round(median(cli_runs, 0), 3)
    bare_cpu, cli_cpu = round(median(bare_runs, 1), 3), round(median(cli_runs, 1), 3)
    return {"applicants": n, "bare_import_seconds": bare, "cli_seconds": cli_seconds,
            "cli_over_imports": round(cli_seconds / bare, 2), "bare_import_cpu_seconds": bare_cpu,
            "cli_cpu_seconds": cli_cpu, "cli_over_imports_cpu": round(cli_cpu / bare_cpu, 2)}


def flow_versus_cli(n: int, env: dict[str, str]) -> dict:
    """The Prefect flow (local mode) against the CLI on the same call, each a fresh process."""
    folder = write_synthetic_call(n, "dtc-bench-flow-")
    cli = seconds_of(cli_command(folder, "cli"), env)
    flow = seconds_of([*cli_command(folder, "flow")[:1], str(ROOT / "flows" / "select_call.py"),
                       *cli_command(folder, "flow")[4:]], env)
    shutil.rmtree(folder, ignore_errors=True)
    return {"applicants": n, "cli_seconds": round(cli, 3), "flow_seconds": round(flow, 3),
            "flow_overhead_seconds": round(flow - cli, 3)}


IO_FLOOR = """import sys, pandas as pd
a = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
s = pd.read_csv(sys.argv[2], dtype=str, keep_default_na=False)
a.to_csv(sys.argv[3], index=False)
"""
# Runs a command as its only child and prints that child's peak resident memory (KiB, Linux).
PEAK_OF_CHILD = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); " \
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def peak_mb_of(command: list[str], env: dict[str, str]) -> float:
    done = subprocess.run([sys.executable, "-c", PEAK_OF_CHILD, *command], check=True, capture_output=True,
                          text=True, env=env)
    return round(int(done.stdout.strip()) / 1024, 1)


def cli_versus_io_floor(n: int, env: dict[str, str], repeat: int = 3) -> dict:
    """A whole CLI run of n applicants (and their scores) against the I/O floor, time and peak memory."""
    folder = write_synthetic_call(n, "dtc-bench-io-")
    floor = [sys.executable, "-c", IO_FLOOR, str(folder / "a.csv"), str(folder / "s.csv"), str(folder / "a2.csv")]
    cli = cli_command(folder, "out")
    floor_seconds, cli_seconds = seconds_of(floor, env, repeat), seconds_of(cli, env, repeat)
    floor_mb, cli_mb = peak_mb_of(floor, env), peak_mb_of(cli, env)
    shutil.rmtree(folder, ignore_errors=True)
    floor_seconds, cli_seconds = round(floor_seconds, 3), round(cli_seconds, 3)  # the ratio of what is printed
    return {"applicants": n, "floor_seconds": floor_seconds, "cli_seconds": cli_seconds,
            "cli_over_floor": round(cli_seconds / floor_seconds, 2), "floor_peak_mb": floor_mb,
            "cli_peak_mb": cli_mb, "cli_memory_over_floor": round(cli_mb / floor_mb, 2)}


def sizes_of(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated applicant counts")
    parser.add_argument("--cli-import", nargs="?", const="", metavar="SIZES",
                        help="CLI run vs bare library imports (default: at the first size)")
    parser.add_argument("--prefect", nargs="?", const="", metavar="SIZES",
                        help="the flow vs the CLI on the same call (default: at the first size)")
    parser.add_argument("--io-floor", nargs="?", const="", metavar="SIZES",
                        help="CLI run vs the I/O floor, time and peak memory (default: at the first size)")
    parser.add_argument("--repeat", type=int, help="timed starts per command in the comparisons (default: 5 for "
                                                  "--cli-import, 3 for the others)")
    parser.add_argument("--only-compare", action="store_true", help="skip the per-size pipeline runs")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE if set (every import compiles from source)")
    parser.add_argument("--presence-quota", type=float, metavar="SHARE",
                        help="per size: the presence priority as a quota of SHARE of each region's seats")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_size(args.child, args.presence_quota)))
        return
    env = child_env(bytecode_cache=not args.no_bytecode_cache)
    sizes = sizes_of(args.sizes)
    # The comparisons first: a large size that fails or takes long must not hide them.
    for n in (sizes_of(args.cli_import) or sizes[:1]) if args.cli_import is not None else ():
        print(json.dumps({"compare": "cli_vs_imports", **cli_versus_imports(n, env, args.repeat or 5)}), flush=True)
    for n in (sizes_of(args.prefect) or sizes[:1]) if args.prefect is not None else ():
        print(json.dumps({"compare": "flow_vs_cli", **flow_versus_cli(n, env)}), flush=True)
    for n in (sizes_of(args.io_floor) or sizes[:1]) if args.io_floor is not None else ():
        print(json.dumps({"compare": "cli_vs_io_floor", **cli_versus_io_floor(n, env, args.repeat or 3)}), flush=True)
    for n in () if args.only_compare else sizes:
        print(json.dumps(in_child(n, env, args.presence_quota)), flush=True)


if __name__ == "__main__":
    main()
