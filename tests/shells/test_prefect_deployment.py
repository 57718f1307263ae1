"""INTEGRATION: the README's shared set-up, for real, on loopback.

Starts `prefect server start` on a free port of 127.0.0.1 (PREFECT_HOME in a temporary folder),
creates the `process` work pool, deploys with the repository's prefect.yaml (`prefect deploy --all`),
starts a worker, runs the deployment with `prefect deployment run`, waits for the flow run to
complete, checks its outputs, then stops the worker and the server by their process ids and
checks they are gone. Marked `integration`; it runs in CI like every other test (about 30-60 s).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, PHASE1, ROOT

pytestmark = pytest.mark.integration

PREFECT = [sys.executable, "-m", "prefect"]
POOL = "dtc-select"
DEPLOYMENT = "select_call/dtc-selection"
WAIT_SECONDS = 240  # an upper bound for a stuck server or worker, not a speed requirement
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def api_get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
        return json.loads(response.read().decode("utf-8"))


def wait_until(check, what: str, logs: list[Path]):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"gave up waiting for {what}; logs:\n" + "\n".join(p.read_text(errors="replace")[-3000:] for p in logs))


class Background:
    """A background process in its own process group, ended by its id (and its children with it)."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self.pid = self.process.pid

    def group_alive(self) -> bool:
        try:
            os.killpg(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        """SIGTERM to the group, then SIGKILL if anything outlives it (an idle `prefect worker` does)."""
        for sig, grace in ((signal.SIGTERM, 8), (signal.SIGKILL, 10)):
            if self.process.poll() is not None and not self.group_alive():
                break
            try:
                os.killpg(self.pid, sig)
            except ProcessLookupError:
                break  # gone between the check and the signal
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and (self.process.poll() is None or self.group_alive()):
                time.sleep(0.2)
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def prefect_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_CLI_PROMPT": "false",
    }
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    return env, port, home


def prefect(env: dict, *args: str) -> str:
    done = subprocess.run([*PREFECT, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_a_deployment_runs_through_a_worker_and_writes_the_same_decisions(prefect_env, tmp_path):
    env, port, home = prefect_env
    api = env["PREFECT_API_URL"]
    reports = tmp_path / "reports"
    server = Background([*PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env,
                        tmp_path / "server.log")
    worker = None
    try:
        def healthy():
            assert server.process.poll() is None, server.log.read_text(errors="replace")
            try:
                return api_get(f"{api}/health") is True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False

        wait_until(healthy, "the Prefect server", [server.log])
        prefect(env, "work-pool", "create", POOL, "--type", "process")
        worker = Background([*PREFECT, "worker", "start", "--pool", POOL, "--type", "process"], env,
                            tmp_path / "worker.log")
        deployed = prefect(env, "--no-prompt", "deploy", "--all")
        assert "dtc-selection" in deployed
        started = prefect(env, "deployment", "run", DEPLOYMENT,
                          "--param", f"call={PHASE1}", "--param", f"applications={EXAMPLES / 'applications.csv'}",
                          "--param", f"scores={EXAMPLES / 'scores.csv'}", "--param", f"reports_dir={reports}")
        run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", started)[1]

        def finished():
            assert worker.process.poll() is None, worker.log.read_text(errors="replace")
            run = api_get(f"{api}/flow_runs/{run_id}")
            return run if run["state_type"] in TERMINAL else None

        run = wait_until(finished, "the flow run", [server.log, worker.log])
        assert run["state_type"] == "COMPLETED", worker.log.read_text(errors="replace")[-5000:]
        assert run["name"] == "select-dtc-phase1-2019"
        deployment = api_get(f"{api}/deployments/name/{DEPLOYMENT}")
        assert [s["slug"] for s in deployment["schedules"]] == ["dtc-phase1-2019-after-deadline"]
    finally:
        for process in (worker, server):
            if process is not None:
                process.stop()
    for process in (worker, server):
        assert process.process.returncode is not None and not process.group_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()

    call_dir = reports / "dtc-phase1-2019"
    folder = call_dir / (call_dir / "LATEST").read_text(encoding="utf-8").strip()
    assert {"decisions.csv", "quarantine.csv", "score_problems.csv", "report.html", "manifest.json"} <= {
        p.name for p in folder.iterdir()}
    from dtc_select.call.model import load_call
    from dtc_select.runs.safe_cells import csv_bytes
    from dtc_select.pipeline import run as run_selection

    outcome = run_selection(load_call(PHASE1), EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert (folder / "decisions.csv").read_bytes() == csv_bytes(outcome.decisions)
    assert (folder / "quarantine.csv").read_bytes() == csv_bytes(outcome.quarantine)
