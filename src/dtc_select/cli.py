"""The `dtc-select` command line (contract §4).

Only this module turns errors into one-line messages and exit codes:
  0  the run completed (whatever it decided)
  2  usage or call-file error
  3  an input file cannot be read at all
  4  the shipped reference data is broken (a packaging bug)
  5  the outputs could not be written (nothing half-written is left)
  70 an internal error (a bug): one line; DTC_SELECT_DEBUG=1 shows the traceback
Prefect is never imported here: the command stays fast when the flow is not used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from dtc_select import __version__
from dtc_select.errors import DtcSelectError

PROG = "dtc-select"


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus the error; the contract wants one line on stderr, exit 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {PROG} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog=PROG, description="Select Digital Transformation Centres for a call.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    run = commands.add_parser("run", help="run the selection for one call and write its outputs")
    run.add_argument("--call", required=True, type=Path, help="the call file, criteria/<call-id>.yaml")
    run.add_argument("--applications", required=True, type=Path, help="applications, CSV or XLSX")
    run.add_argument("--scores", type=Path, help="reviewer scores, CSV or XLSX (optional)")
    run.add_argument("--sheet", help="the XLSX sheet holding the applications (default: the first)")
    run.add_argument("--out", required=True, type=Path, help="the folder to write the outputs to")
    run.add_argument("--lang", choices=("en", "fr"), default="en", help="the report's language (default: en)")
    run.add_argument("--edition", choices=("reviewer", "secretariat"), default="reviewer",
                     help="reviewer (default): no contact details; secretariat: with applicants' contact details")
    return parser


def run_command(args: argparse.Namespace) -> str:
    """Run the selection and write the outputs; returns the summary line."""
    from dtc_select.call import load_call
    from dtc_select.outputs import write_run
    from dtc_select.pipeline import run
    from dtc_select.report import render_report

    started_at = dt.datetime.now(dt.timezone.utc)
    call = load_call(args.call)
    outcome = run(call, args.applications, args.scores, sheet=args.sheet)
    report = render_report(outcome, generated_at=started_at, lang=args.lang, edition=args.edition)
    write_run(outcome, args.out, report_html=report, started_at=started_at)
    return summary_line(outcome.counts, args.out)


def summary_line(counts: dict[str, int], out: Path) -> str:
    return (
        f"{PROG}: wrote {out}/ (decisions.csv and .xlsx, quarantine.csv, report.html, manifest.json): "
        f"{counts['selected']} selected, {counts['reserve']} reserve, {counts['not_selected']} not selected, "
        f"{counts['ineligible']} ineligible, {counts['quarantined']} quarantined"
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        print(run_command(args))
        return 0
    except DtcSelectError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; no output folder was written", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, unless the user asks for the traceback
        if os.environ.get("DTC_SELECT_DEBUG"):
            raise
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc} (set DTC_SELECT_DEBUG=1 for details)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
