"""The Prefect flow: the monitoring run (Annex §5), one task per stage of `dtc_select.monitoring.pipeline`.

Thin wiring only: the tasks call the same functions `dtc-select monitor` does, in the same order as
`monitoring.pipeline.monitor`, so the flow writes what the command writes. Tasks that read or write
files retry on transient I/O errors; mistakes in the inputs are not retried.

Deployed with `prefect.yaml` (deployment `dtc-monitoring`: a run the day after each quarterly report
is due). Run it on the shipped example, in Prefect's local mode (no server to start):
    .venv/bin/python flows/monitor.py
or on other files:
    .venv/bin/python flows/monitor.py --programme criteria/X.yaml --reports DIR [--as-of DATE] [--out DIR] [--lang fr]
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Literal

# Before Prefect is imported: without this every local start prints an analytics traceback.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from dtc_select.errors import DtcSelectError, OutputError, without_traceback  # noqa: E402
from dtc_select.limits import Limits, limits_parameter  # noqa: E402
from dtc_select.cli import add_limit_option  # noqa: E402
from dtc_select.monitoring.outputs import write_monitoring  # noqa: E402
from dtc_select.monitoring.pipeline import Monitoring, add_up  # noqa: E402
from dtc_select.monitoring.programme import Programme, load_programme  # noqa: E402
from dtc_select.monitoring.reports import TakenReports, take_in_reports  # noqa: E402
from dtc_select.monitoring.view import render_monitoring_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PROGRAMME = ROOT / "criteria" / "monitoring-phase1.yaml"
EXAMPLE_REPORTS = ROOT / "data" / "examples" / "monitoring"
EXAMPLE_AS_OF = "2021-11-15"  # every phase-1 report due
REPORTS = ROOT / "reports"

# Prefect's engine logs a failed task or flow run with its traceback: for a mistake in the inputs
# the log keeps the one line and drops the traceback, as flows/select_call.py does.
for _logger in ("prefect.flow_runs", "prefect.task_runs"):
    logging.getLogger(_logger).addFilter(without_traceback)


def _transient(task, task_run, state) -> bool:
    """Retry I/O hiccups (a share that blinks), not mistakes in the inputs: those fail the same."""
    error = state.data if isinstance(state.data, BaseException) else None
    return isinstance(error, OutputError) or not isinstance(error, DtcSelectError)


IO = dict(retries=2, retry_delay_seconds=2, retry_condition_fn=_transient, cache_policy=NO_CACHE)


@task(name="load programme file", **IO)
def load_programme_task(path: Path) -> Programme:
    return load_programme(path)


@task(name="take in periodic reports", **IO)
def take_in_reports_task(paths: list[Path], programme: Programme, as_of: dt.date, limits: Limits) -> TakenReports:
    return take_in_reports(paths, programme, as_of, limits)


@task(name="add up against the targets", cache_policy=NO_CACHE)
def add_up_task(programme: Programme, taken: TakenReports, as_of: dt.date) -> Monitoring:
    return add_up(programme, taken, as_of)


@task(name="write outputs", **IO)
def write_task(result: Monitoring, out: Path, started_at: dt.datetime, lang: str, reports: list[Path]) -> Path:
    html = render_monitoring_report(result, generated_at=started_at, lang=lang)
    return write_monitoring(result, out, report_html=html, started_at=started_at, lang=lang, reports=reports)


def default_out(programme_id: str, as_of: dt.date) -> Path:
    """reports/<programme-id>/<as-of date>/: one folder per as-of date, rewritten by a rerun."""
    return REPORTS / programme_id / as_of.isoformat()


def as_of_or_today(as_of: str | dt.date | None) -> dt.date:
    """The as-of date given, or today (UTC) for a scheduled run."""
    if as_of is None or as_of == "":
        return dt.datetime.now(dt.timezone.utc).date()
    return as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))


@flow(name="monitor_centres", log_prints=True)
def monitor_centres(
    programme: str | Path = EXAMPLE_PROGRAMME,
    reports: list[str] | str = str(EXAMPLE_REPORTS),
    as_of: str | None = EXAMPLE_AS_OF,
    out: str | Path | None = None,
    lang: Literal["en", "fr"] = "en",
    limits: dict[str, int] | None = None,
) -> str:
    """Add up the centres' reports against their targets as of `as_of` (today when empty) and write
    progress.csv, reports_status.csv, quarantine.csv, report.html and manifest.json into `out`
    (default reports/<programme-id>/<as-of>/); returns the folder. `limits` raises the bounds on the
    report files as `dtc-select monitor --limit NAME=VALUE` does ({"rows": 10000000}; docs/limits.md)."""
    started_at = dt.datetime.now(dt.timezone.utc)
    bounds = limits_parameter(limits)  # an unknown name: one line, exit 2, before any work
    day = as_of_or_today(as_of)
    paths = [Path(p) for p in ([reports] if isinstance(reports, str) else reports)]
    loaded = load_programme_task(Path(programme))
    taken = take_in_reports_task(paths, loaded, day, bounds)
    result = replace(add_up_task(loaded, taken, day), limits=bounds)  # the manifest records raised ones
    folder = write_task(result, Path(out) if out else default_out(loaded.id, day), started_at, lang, paths)
    counts = result.counts
    get_run_logger().info("%s rows read, %s counted, %s quarantined; reports %s received, %s late, %s missing",
                          counts["rows_read"], counts["counted"], counts["quarantined"], counts["reports_received"],
                          counts["reports_late"], counts["reports_missing"])
    return str(folder)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Run the monitor_centres flow in Prefect's local mode.")
    parser.add_argument("--programme", default=EXAMPLE_PROGRAMME)
    parser.add_argument("--reports", nargs="+", default=[str(EXAMPLE_REPORTS)])
    parser.add_argument("--as-of", default=EXAMPLE_AS_OF, help="YYYY-MM-DD (default: the example's 2021-11-15)")
    parser.add_argument("--out", default=None, help="default: reports/<programme-id>/<as-of>/")
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    add_limit_option(parser)
    args = parser.parse_args(argv)
    try:
        folder = monitor_centres(args.programme, args.reports, args.as_of, args.out, args.lang, dict(args.limit))
    except DtcSelectError as exc:
        print(f"monitor_centres: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"Outputs written to {folder}/ (progress.csv, reports_status.csv, quarantine.csv, report.html, manifest.json)")
    print(f"Open the report: {folder}/report.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
