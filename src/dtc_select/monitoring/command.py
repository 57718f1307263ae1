"""`dtc-select monitor`: its options and what it runs (cli.py adds the subcommand and maps errors).

    dtc-select monitor --programme FILE --reports FILE_OR_DIR... --as-of DATE [--lang en|fr] --out DIR
    dtc-select monitor --programme FILE --template FILE.xlsx [--period 2020-Q1] [--centre GHA ...]

Bad options exit 2 with one line (as every `dtc-select` usage error); a programme file's problems
exit 2, one line each; an unreadable report exits 3; outputs that cannot be written exit 5.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def as_of_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (write YYYY-MM-DD)") from None


def add_monitor_command(commands) -> argparse.ArgumentParser:
    """The `monitor` subparser, added to `dtc-select`'s subcommands."""
    monitor = commands.add_parser(
        "monitor", help="add up the centres' periodic reports against their targets (Annex §5), or write "
                        "the report template a centre fills in")
    monitor.add_argument("--programme", required=True, type=Path, help="the programme file, criteria/monitoring-<id>.yaml")
    monitor.add_argument("--reports", nargs="+", type=Path, metavar="FILE_OR_DIR",
                         help="periodic reports, CSV or XLSX; a folder stands for its .csv and .xlsx files")
    monitor.add_argument("--as-of", type=as_of_date, metavar="DATE",
                         help="count what was reported by this date (YYYY-MM-DD); reports due after it are not yet due")
    monitor.add_argument("--lang", choices=("en", "fr"), default="en", help="the report's language (default: en)")
    monitor.add_argument("--out", type=Path, metavar="DIR", help="the folder to write the outputs to")
    monitor.add_argument("--template", type=Path, metavar="FILE.xlsx",
                         help="instead of a run: write the report workbook centres fill in")
    monitor.add_argument("--period", help="with --template: the period the workbook is for (default: the first)")
    monitor.add_argument("--centre", action="append", metavar="DTC_ID",
                         help="with --template: a centre the workbook is for (repeat; default: every centre)")
    monitor.set_defaults(monitor_parser=monitor)  # cli.py adds --limit  # monitor_command's usage errors: this parser's one line
    return monitor


def monitor_command(args: argparse.Namespace) -> str:
    """Run, or write the template; returns the summary line. Usage mistakes -> one line, exit 2."""
    parser = args.monitor_parser
    if args.template is not None:
        if args.reports or args.out:
            parser.error("--template writes a workbook; --reports and --out belong to a run")
        return _write_template(args)
    missing = [name for name, value in (("--reports", args.reports), ("--as-of", args.as_of), ("--out", args.out))
               if value is None]
    if missing:
        parser.error(f"{', '.join(missing)} required (or --template FILE.xlsx)")
    if args.period or args.centre:
        parser.error("--period and --centre go with --template")
    from dtc_select.monitoring.outputs import write_monitoring
    from dtc_select.monitoring.pipeline import monitor
    from dtc_select.monitoring.view import render_monitoring_report

    started_at = dt.datetime.now(dt.timezone.utc)
    from dtc_select.limits import DEFAULT_LIMITS

    limits = DEFAULT_LIMITS.with_values(dict(getattr(args, "limit", None) or []))  # --limit, checked by argparse
    result = monitor(args.programme, args.reports, args.as_of, limits)
    html = render_monitoring_report(result, generated_at=started_at, lang=args.lang)
    out = write_monitoring(result, args.out, report_html=html, started_at=started_at, lang=args.lang,
                           reports=args.reports)
    return summary_line(result.counts, out)


def summary_line(counts: dict[str, int], out: Path) -> str:
    return (f"dtc-select: wrote {out}/ (progress.csv, reports_status.csv, quarantine.csv, report.html, "
            f"manifest.json): {counts['rows_read']} rows read, {counts['counted']} counted, "
            f"{counts['quarantined']} quarantined; reports {counts['reports_received']} received, "
            f"{counts['reports_late']} late, {counts['reports_missing']} missing")


def _write_template(args: argparse.Namespace) -> str:
    from dtc_select.monitoring.programme import load_programme
    from dtc_select.monitoring.template import write_template

    programme = load_programme(args.programme)
    try:
        written = write_template(programme, args.template, period=args.period, centres=args.centre)
    except ValueError as exc:
        args.monitor_parser.error(str(exc))  # argparse's line already starts "dtc-select monitor: "
    centres = ", ".join(c.upper() for c in args.centre) if args.centre else "every centre"
    return f"dtc-select: wrote {written} (one row per centre for {args.period or programme.reporting.first_period}: {centres})"
