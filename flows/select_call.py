"""The Prefect flow: the selection for one call, one task per stage.

Thin wiring only: one task per stage of `pipeline.STAGES`, the very list `pipeline.run` follows,
and `publish` as the command line writes, so the flow decides exactly as `dtc-select run` does. Tasks
that touch files retry on transient I/O errors; errors in the inputs themselves are not retried.

Deployed with `prefect.yaml` (a schedule per call, a `process` work pool): see docs/operations.md,
"Scheduled reruns". Run it on the bundled example call, in Prefect's local mode (the script starts and stops a temporary server):
    .venv/bin/python flows/select_call.py
or on other files:
    .venv/bin/python flows/select_call.py --call criteria/X.yaml --applications FILE [--scores FILE] [--out DIR]
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent


def repository_prefect_settings(path: Path = ROOT / "prefect.toml") -> dict[str, str]:
    """prefect.toml's settings as the environment variables Prefect reads (`[server.ephemeral]
    startup_timeout_seconds` -> PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS). Prefect reads
    the file itself only when started from the repository folder."""
    import tomllib

    def flatten(table: dict, prefix: str) -> dict[str, str]:
        found = {}
        for key, value in table.items():
            name = f"{prefix}_{key}".upper()
            if isinstance(value, dict):
                found.update(flatten(value, name))
            else:
                found[name] = str(value).lower() if isinstance(value, bool) else str(value)
        return found

    return flatten(tomllib.loads(path.read_text(encoding="utf-8")), "PREFECT")


# Before Prefect is imported: the repository's settings (the temporary server's start-up allowance,
# no analytics traceback) apply from any folder; a setting already in the environment wins.
for _name, _value in repository_prefect_settings().items():
    os.environ.setdefault(_name, _value)

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from dtc_select import pipeline  # noqa: E402
from dtc_select.call.model import Call, load_call  # noqa: E402
from dtc_select.cli import add_limit_option, add_report_options  # noqa: E402
from dtc_select.limits import limits_parameter  # noqa: E402
from dtc_select.errors import DtcSelectError, OutFolderInTheWay, OutputError, without_traceback  # noqa: E402
from dtc_select.runs.folders import run_id  # noqa: E402
from dtc_select.runs.publish import publish  # noqa: E402
from dtc_select.runs.out_folder import check_out_folder  # noqa: E402

EXAMPLE_CALL = ROOT / "criteria" / "dtc-phase1-2019.yaml"
EXAMPLE_APPLICATIONS = ROOT / "data" / "examples" / "applications.csv"
EXAMPLE_SCORES = ROOT / "data" / "examples" / "scores.csv"
REPORTS = ROOT / "reports"


# Prefect's own words (prefect/server/api/server.py) when its temporary server misses its start-up
# allowance; the script then says so in one line and exits 75 (EX_TEMPFAIL: try again later).
SERVER_DID_NOT_START = "Timed out while attempting to connect to ephemeral Prefect API server"
SERVER_DID_NOT_START_EXIT = 75

# Prefect's engine logs a failed task or flow run with its traceback: for a mistake in the inputs
# (a missing file, a broken call file) the log keeps the one line and drops the traceback.
for _logger in ("prefect.flow_runs", "prefect.task_runs"):
    logging.getLogger(_logger).addFilter(without_traceback)


def _transient(task, task_run, state) -> bool:
    """Retry I/O hiccups (a share that blinks), not mistakes in the inputs: those fail the same."""
    error = state.data if isinstance(state.data, BaseException) else None
    if isinstance(error, OutFolderInTheWay):  # a folder holding what we did not write stays so
        return False
    return isinstance(error, OutputError) or not isinstance(error, DtcSelectError)


IO_RETRIES = dict(retries=2, retry_delay_seconds=2, retry_condition_fn=_transient)
# No task is cached (results are not persisted, and a rerun must read the files again), but
# Prefect's default cache policy still hashes every task's inputs to make a key: 0.1-0.4 s per
# table at 100,000 applicants, a cost per applicant the flow must not add (bench/RESULTS.md).
STAGE = dict(cache_policy=NO_CACHE)


@task(name="load call file", **IO_RETRIES, **STAGE)
def load_call_task(path: Path) -> Call:
    return load_call(path)


# One task per stage of `pipeline.STAGES`, the list `pipeline.run` follows: named as the stage is,
# retried on I/O hiccups when the stage reads files.
STAGE_TASKS = {
    stage.key: task(name=stage.title, **(IO_RETRIES if stage.reads_files else {}), **STAGE)(stage.step)
    for stage in pipeline.STAGES
}


@task(name="write outputs", **IO_RETRIES, **STAGE)
def write_task(outcome: pipeline.Outcome, out: Path | None, reports_dir: Path, started_at: dt.datetime,
               lang: str = "en", edition: str = "reviewer", dossiers: str = "auto") -> Path:
    """To `out` if given; else a new reports/<call-id>/<run-id>/ named in reports/<call-id>/LATEST."""
    return publish(outcome, started_at=started_at, out=out, reports_dir=None if out is not None else reports_dir,
                   lang=lang, edition=edition, dossiers=dossiers)


def default_out(call_id: str, started_at: dt.datetime) -> Path:
    """reports/<call-id>/<run-id>/, the run id being the start time in UTC."""
    return REPORTS / call_id / run_id(started_at)


def run_name() -> str:
    """Flow runs are named after the call: select-<call file name without .yaml>."""
    from prefect.runtime import flow_run

    return f"select-{Path(str(flow_run.parameters.get('call', EXAMPLE_CALL))).stem}"


@flow(name="select_call", flow_run_name=run_name, log_prints=True)
def select_call(
    call: str | Path = EXAMPLE_CALL,
    applications: str | Path = EXAMPLE_APPLICATIONS,
    scores: str | Path | None = EXAMPLE_SCORES,
    out: str | Path | None = None,
    sheet: str | None = None,
    overrides: str | Path | None = None,
    reports_dir: str | Path | None = None,
    lang: Literal["en", "fr"] = "en",
    edition: Literal["reviewer", "secretariat"] = "reviewer",
    dossiers: Literal["auto", "all"] = "auto",
    limits: dict[str, int] | None = None,
) -> str:
    """Run the selection for one call and write its outputs; returns the output folder.

    Without `out`, each run gets its own reports_dir/<call-id>/<run-id>/ (reports_dir defaults to
    the repository's `reports/`), and reports_dir/<call-id>/LATEST names the latest. `lang` is the
    report's language, `edition` whether it carries contact details (secretariat), `dossiers`
    whether every applicant gets a dossier past 1,000 applicants ("all") or not ("auto"). `limits`
    raises bounds as `dtc-select run --limit NAME=VALUE` does ({"rows": 10000000}; docs/limits.md)."""
    started_at = dt.datetime.now(dt.timezone.utc)
    bounds = limits_parameter(limits)  # an unknown name: one line, exit 2, before any work
    if out:  # refused before any work if it holds what we did not write (runs/out_folder.py)
        check_out_folder(out, (call, applications, scores, overrides))
    state = pipeline.RunState(load_call_task(Path(call)), Path(applications), Path(scores) if scores else None,
                              sheet, Path(overrides) if overrides else None, bounds)
    for stage in pipeline.STAGES:
        state = STAGE_TASKS[stage.key](state)
    outcome = state.outcome
    folder = write_task(outcome, Path(out) if out else None, Path(reports_dir) if reports_dir else REPORTS, started_at,
                        lang, edition, dossiers)
    for warning in outcome.notices:
        get_run_logger().warning("check before relying on this run: %s", warning)
    for warning in outcome.overrides.warnings if outcome.overrides else ():
        get_run_logger().warning("committee decisions: %s", warning)
    counts = outcome.counts
    get_run_logger().info(
        "selected %s, reserve %s, not selected %s, ineligible %s, quarantined %s",
        counts["selected"], counts["reserve"], counts["not_selected"], counts["ineligible"], counts["quarantined"],
    )
    return str(folder)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Run the select_call flow in Prefect's local mode.")
    parser.add_argument("--call", default=EXAMPLE_CALL)
    parser.add_argument("--applications", default=EXAMPLE_APPLICATIONS)
    parser.add_argument("--scores", default=None, help="reviewer scores (the example's by default)")
    parser.add_argument("--out", default=None, help="default: reports/<call-id>/<run-id>/")
    parser.add_argument("--sheet", default=None)
    parser.add_argument("--overrides", default=None, help="the committee's decisions (see docs/running.md)")
    add_report_options(parser)
    add_limit_option(parser)
    args = parser.parse_args(argv)
    using_example = args.call == EXAMPLE_CALL and args.applications == EXAMPLE_APPLICATIONS
    scores = args.scores or (EXAMPLE_SCORES if using_example else None)
    try:
        folder = select_call(args.call, args.applications, scores, args.out, args.sheet, args.overrides,
                             lang=args.lang, edition=args.edition, dossiers=args.dossiers, limits=dict(args.limit))
    except DtcSelectError as exc:
        print("\n".join(f"select_call: {line}" for line in str(exc).splitlines()), file=sys.stderr)  # a line per problem
        return exc.exit_code
    except RuntimeError as exc:
        if not str(exc).startswith(SERVER_DID_NOT_START):
            raise
        allowance = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "20")
        print(f"select_call: Prefect's temporary server did not answer within {allowance} s (a very busy machine?); "
              f"nothing was written: run again, raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, "
              f"or run the same selection without Prefect: .venv/bin/dtc-select run ...", file=sys.stderr)
        return SERVER_DID_NOT_START_EXIT
    print(f"Outputs written to {folder}/ (decisions.csv and .xlsx, quarantine.csv, score_problems.csv, report.html, manifest.json)")
    print(f"Open the report: {folder}/report.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
