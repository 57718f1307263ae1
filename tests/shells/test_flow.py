"""The Prefect flow decides exactly as the command line does (one flow run, in a test harness)."""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, PHASE1, ROOT


def load_flow_module():
    spec = importlib.util.spec_from_file_location("select_call_flow", ROOT / "flows" / "select_call.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_flow_writes_the_same_decisions_as_the_command_line_in_any_report_language(prefect_harness, tmp_path):
    flow_module = load_flow_module()
    flow_out = tmp_path / "flow"
    folder = flow_module.select_call(PHASE1, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv", flow_out,
                                     lang="fr", edition="secretariat")
    assert folder == str(flow_out)
    assert '<html lang="fr">' in (flow_out / "report.html").read_text(encoding="utf-8")
    cli_out = tmp_path / "cli"
    subprocess.run(
        [sys.executable, "-m", "dtc_select.cli", "run", "--call", str(PHASE1), "--applications",
         str(EXAMPLES / "applications.csv"), "--scores", str(EXAMPLES / "scores.csv"), "--out", str(cli_out)],
        check=True, capture_output=True,
    )
    for name in ("decisions.csv", "decisions.xlsx", "quarantine.csv", "score_problems.csv"):
        assert (flow_out / name).read_bytes() == (cli_out / name).read_bytes(), name


def test_the_flow_refuses_a_folder_holding_the_users_files_before_any_stage_and_keeps_them(prefect_harness,
                                                                                            tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_bytes(b"mine\n")
    flow_module = load_flow_module()
    status = flow_module.main(["--out", str(out)])
    assert status == 5
    assert capsys.readouterr().err.strip().endswith("holds what dtc-select did not write (notes.txt); a run never "
                                                    "removes it: give a new folder, or move those away")
    assert [p.name for p in out.iterdir()] == ["notes.txt"] and (out / "notes.txt").read_bytes() == b"mine\n"


def test_the_flow_takes_the_same_limits_as_the_command_line(prefect_harness, tmp_path):
    from dtc_select.errors import InputFileError

    flow_module = load_flow_module()
    with pytest.raises(InputFileError) as refused:
        flow_module.select_call(PHASE1, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv", tmp_path / "out",
                                limits={"rows": 5})
    assert refused.value.problem == ("has more than 5 rows, the most a file read here holds: split it, or check it "
                                     "is the right file, or pass --limit rows=10 to allow more")
    assert not (tmp_path / "out").exists()


def test_a_limit_the_flow_does_not_know_is_a_usage_mistake_before_any_work(prefect_harness, tmp_path):
    from dtc_select.errors import UsageError

    with pytest.raises(UsageError) as refused:
        load_flow_module().select_call(PHASE1, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv",
                                       tmp_path / "out", limits={"rowz": 5})
    assert refused.value.exit_code == 2 and str(refused.value).startswith("limits: no limit named 'rowz'; ")
    assert "\n" not in str(refused.value) and not (tmp_path / "out").exists()


def test_the_flow_names_runs_after_the_call_and_defaults_to_reports_call_run(prefect_harness):
    import datetime as dt

    flow_module = load_flow_module()
    started = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert flow_module.default_out("dtc-phase1-2019", started) == ROOT / "reports" / "dtc-phase1-2019" / "20260102T030405Z"
    assert flow_module.select_call.flow_run_name is flow_module.run_name


def test_the_core_never_imports_prefect():
    for path in (ROOT / "src" / "dtc_select").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import prefect" not in text and "from prefect" not in text, path


def test_no_stage_of_the_flow_hashes_its_inputs_for_a_cache_it_never_uses():
    from prefect import Task
    from prefect.cache_policies import NO_CACHE

    module = load_flow_module()
    stages = [v for v in vars(module).values() if isinstance(v, Task)] + list(module.STAGE_TASKS.values())
    assert len(stages) >= 10
    assert [s.name for s in stages if s.cache_policy is not NO_CACHE] == []


def test_the_repository_prefect_settings_are_settings_prefect_knows_and_give_the_server_time_to_start():
    import prefect.settings

    settings = load_flow_module().repository_prefect_settings()
    assert [name for name in settings if not hasattr(prefect.settings, name)] == []
    assert int(settings["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) >= 300  # Prefect's default: 20


def _flow_script(tmp_path, env_extra, cwd):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), **env_extra}
    env.pop("PREFECT_API_URL", None)  # local mode: the script starts its own temporary server
    if "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS" not in env_extra:  # from prefect.toml, via the script
        env.pop("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", None)
    return subprocess.run([sys.executable, str(ROOT / "flows" / "select_call.py"), "--out", str(tmp_path / "out")],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)


def test_a_temporary_server_that_never_answers_is_one_line_and_exit_75_with_nothing_written(tmp_path):
    done = _flow_script(tmp_path, {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "0"}, tmp_path)
    assert done.returncode == 75, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("select_call:")] == [
        "select_call: Prefect's temporary server did not answer within 0 s (a very busy machine?); nothing was "
        "written: run again, raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or run the same selection "
        "without Prefect: .venv/bin/dtc-select run ..."]
    assert not (tmp_path / "out").exists()


def test_the_readme_first_command_completes_with_every_core_busy_and_nothing_compiled_yet(tmp_path):
    """As on a fresh install of a shared two-core machine: every module compiled from source (an
    empty bytecode cache that is never written), a new Prefect home (no database yet), a busy loop
    on each core, and started from another folder (the repository's prefect.toml still applies).
    Prefect's default 20 s for its temporary server to start was missed so; the run must complete."""
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        done = _flow_script(tmp_path, {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": str(tmp_path / "empty")},
                            tmp_path)
    finally:
        for process in busy:
            process.kill()
            process.wait()
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "out" / "decisions.csv").is_file()
    assert done.stdout.startswith(f"Outputs written to {tmp_path / 'out'}/")


def test_the_flow_wraps_the_pipeline_s_own_list_of_stages_one_task_each_in_its_order(monkeypatch):
    from dtc_select import pipeline

    module = load_flow_module()
    assert list(module.STAGE_TASKS) == [stage.key for stage in pipeline.STAGES]
    assert [t.name for t in module.STAGE_TASKS.values()] == [stage.title for stage in pipeline.STAGES]
    assert [t.retries for t in module.STAGE_TASKS.values()] == [2 if s.reads_files else 0 for s in pipeline.STAGES]
    # A stage added to the list is a task of the flow, with nothing else to change.
    toy = pipeline.Stage("toy", "a toy stage", lambda state: state)
    monkeypatch.setattr(pipeline, "STAGES", pipeline.STAGES + (toy,))
    assert list(load_flow_module().STAGE_TASKS)[-1] == "toy"


def test_a_missing_input_is_one_line_and_its_exit_status_with_no_traceback_in_prefect_s_log(prefect_harness,
                                                                                            tmp_path):
    # The session's server, not a temporary one of its own: the local mode's start is proved by the
    # README test and the one that never answers, above; this one is about the failure's words.
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": prefect_harness}
    missing = tmp_path / "applications.csv"
    done = subprocess.run([sys.executable, str(ROOT / "flows" / "select_call.py"), "--applications", str(missing),
                           "--out", str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=1800)
    said = done.stdout + done.stderr
    assert done.returncode == 3, said[-3000:]
    assert "Traceback" not in said
    assert "Encountered exception during execution: InputFileError" in said  # Prefect's log: one line
    assert [line for line in done.stderr.splitlines() if line.startswith("select_call:")] == [
        f"select_call: {missing}: file not found"]
    assert not (tmp_path / "out").exists()


def test_the_flow_s_warnings_say_to_check_them_before_relying_on_the_run(prefect_harness, tmp_path):
    flow_module = load_flow_module()
    warnings = []

    def keep(record):  # a filter, not a handler: Prefect's logging set-up replaces its loggers' handlers
        if record.levelno == logging.WARNING:
            warnings.append(record.getMessage())
        return True

    logging.getLogger("prefect.flow_runs").addFilter(keep)
    try:
        flow_module.select_call(PHASE1, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv", tmp_path / "out")
    finally:
        logging.getLogger("prefect.flow_runs").removeFilter(keep)
    # The example's one ambiguous date is a problem of the applications file, not of the reference data;
    # Facts and figures 2019 lacks regions in the shipped table, so the 2018 estimates are used (indicators.py).
    assert [m.split(": ")[:2] for m in warnings] == [["check before relying on this run", "submitted_at"],
                                                    ["check before relying on this run",
                                                     "ITU Measuring digital development"]]
