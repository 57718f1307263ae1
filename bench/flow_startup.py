"""What the Prefect flow's fixed start-up is made of, and what Prefect's settings cut from it.

    PYTHONPATH=src .venv/bin/python bench/flow_startup.py [--repeat 3] [--variants default,no-blocks]

Each run is a fresh process running `flows/select_call.py`'s flow on the example call, timed in
phases: importing Prefect and the flow module, starting Prefect's temporary server, the flow run
itself, the same work without Prefect (pipeline.run and publish, warm, in the same process), and
the process's exit (the temporary server stopped, logs and events flushed). A "first" run has a
new PREFECT_HOME (as the README's first command after an install: no database yet); a "later"
run reuses one. One JSON line per variant with the median of each phase; noise on a shared machine
is large, so compare variants run together, never against another day's figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Settings to try, as environment variables Prefect reads (each also settable in prefect.toml).
VARIANTS = {
    "default": {},
    "no-blocks": {"PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false"},
    "no-api-logs": {"PREFECT_LOGGING_TO_API_ENABLED": "false"},
    "no-blocks-no-api-logs": {"PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
                              "PREFECT_LOGGING_TO_API_ENABLED": "false"},
}

CHILD = r"""
import json, sys, time, tempfile, importlib.util
from pathlib import Path
t0 = time.perf_counter()
import prefect
from prefect.server.api import server as prefect_server
t_prefect = time.perf_counter()
spec = importlib.util.spec_from_file_location("select_call_flow", sys.argv[1])
flow_module = importlib.util.module_from_spec(spec); spec.loader.exec_module(flow_module)
t_module = time.perf_counter()
started = {}
real_start = prefect_server.SubprocessASGIServer.start
def timed_start(self, *args, **kwargs):
    begin = time.perf_counter()
    try:
        return real_start(self, *args, **kwargs)
    finally:
        started["seconds"] = started.get("seconds", 0) + time.perf_counter() - begin
prefect_server.SubprocessASGIServer.start = timed_start
out = Path(tempfile.mkdtemp()) / "flow"
begin = time.perf_counter()
flow_module.select_call(out=out)
t_flow = time.perf_counter() - begin
from dtc_select import pipeline
from dtc_select.call.model import load_call
begin = time.perf_counter()
outcome = pipeline.run(load_call(flow_module.EXAMPLE_CALL), flow_module.EXAMPLE_APPLICATIONS, flow_module.EXAMPLE_SCORES)
from dtc_select.report.view import render_report
render_report(outcome)
t_work = time.perf_counter() - begin
print(json.dumps({"import_prefect": t_prefect - t0, "import_flow_module": t_module - t_prefect,
                  "server_start": started.get("seconds", 0.0), "flow_run": t_flow, "work_without_prefect": t_work,
                  "ended_at": time.time()}), flush=True)
"""


def one_run(env: dict[str, str]) -> dict[str, float]:
    wall = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "flows" / "select_call.py")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    total = time.perf_counter() - wall
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    phases = json.loads(done.stdout.strip().splitlines()[-1])
    phases["exit"] = time.time() - phases.pop("ended_at")  # the temporary server stopped, logs flushed
    phases["total"] = total
    phases["flow_overhead_in_run"] = phases["flow_run"] - phases["server_start"] - phases["work_without_prefect"]
    return phases


def median(values: list[float]) -> float:
    values = sorted(values)
    return round(values[len(values) // 2], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    base = dict(os.environ)
    base["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [base.get("PYTHONPATH")])])
    base.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    for name in args.variants.split(","):
        for kind in ("first", "later"):
            home = Path(tempfile.mkdtemp(prefix="dtc-bench-prefect-"))
            runs = []
            for i in range(args.repeat + (1 if kind == "later" else 0)):
                if kind == "first" and i:
                    shutil.rmtree(home, ignore_errors=True)
                    home.mkdir()
                phases = one_run({**base, **VARIANTS[name], "PREFECT_HOME": str(home)})
                if "error" in phases:
                    print(json.dumps({"variant": name, "start": kind, **phases}), flush=True)
                    break
                if kind == "first" or i:  # a later start: the first run only made the database
                    runs.append(phases)
            shutil.rmtree(home, ignore_errors=True)
            if runs:
                print(json.dumps({"variant": name, "start": kind, "runs": len(runs),
                                  **{k: median([r[k] for r in runs]) for k in runs[0]}}), flush=True)


if __name__ == "__main__":
    main()
