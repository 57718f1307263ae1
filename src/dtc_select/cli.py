"""The `dtc-select` command line (contract §4).

Only this module turns errors into one-line messages and exit codes:
  0  the run completed (whatever it decided)
  2  usage or call-file error
  3  an input file cannot be read at all
  4  the shipped reference data is broken (a packaging bug)
  5  the outputs could not be written (nothing half-written is left), or --out names a folder
     holding what dtc-select did not write, the current folder, or a folder holding an input
     (refused before any work: nothing written, nothing removed; runs/out_folder.py)
  70 an internal error (a bug): one line; DTC_SELECT_DEBUG=1 shows the traceback
  130 interrupted (Ctrl-C): no output folder was written
  141 standard output was closed before everything was printed (`| head -1`): nothing more is
     said; the work itself was done (what is printed comes after it)
`verify` exits 0 when a run is reproduced, 1 when the rerun differs, 3 when an input is missing
or changed; `diff` exits 0 (differences are its answer, not an error). `assign` and `pack` (docs/paperwork.md)
exit 0 when their folder is written, even when some application could not get every reviewer
(they are named); 2, 3, 5 as above.
Prefect is never imported here: the command stays fast when the flow is not used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from dtc_select import __version__
from dtc_select.process_memory import collect_cycles_less_often, return_freed_memory
from dtc_select.errors import DtcSelectError

PROG = "dtc-select"
STDOUT_CLOSED = 141  # 128 + SIGPIPE (13): standard output was closed before everything was printed


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus the error; the contract wants one line on stderr, exit 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")  # a command's own options: its --help


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """--lang, --edition, --dossiers: the report's options, alike for `dtc-select run` and the flow's
    script (flows/select_call.py)."""
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="the report's language (default: en)")
    parser.add_argument("--edition", choices=("reviewer", "secretariat"), default="reviewer",
                        help="reviewer (default): no contact details; secretariat: with applicants' contact details")
    parser.add_argument("--dossiers", choices=("auto", "all"), default="auto",
                        help="auto (default): a dossier per applicant up to 1,000 applicants, beyond that for those "
                             "the committee decides on; all: a dossier per applicant whatever the call's size")


def add_limit_option(parser: argparse.ArgumentParser) -> None:
    """--limit NAME=VALUE (repeatable): raise one of the bounds on the files read (docs/limits.md)."""
    from dtc_select.limits import DEFAULT_LIMITS, NAMES

    defaults = ", ".join(f"{name}={getattr(DEFAULT_LIMITS, name):_}" for name in NAMES)
    parser.add_argument("--limit", action="append", type=_limit, default=[], metavar="NAME=VALUE",
                        help=f"raise (or lower) a bound for this run, repeatable; the bounds and their defaults: "
                             f"{defaults} (docs/limits.md)")


def _limit(text: str) -> tuple[str, int]:
    from dtc_select.limits import parse_limit

    try:
        return parse_limit(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def limits_of(args: argparse.Namespace):
    """The `Limits` the options ask for: the defaults, with each --limit given (the last one wins)."""
    from dtc_select.limits import DEFAULT_LIMITS

    return DEFAULT_LIMITS.with_values(dict(getattr(args, "limit", None) or []))


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog=PROG, description="Select Digital Transformation Centres for a call.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)
    run = commands.add_parser("run", help="run the selection for one call and write its outputs")
    run.add_argument("--call", required=True, type=Path, help="the call file, criteria/<call-id>.yaml")
    run.add_argument("--applications", required=True, type=Path, help="applications, CSV or XLSX")
    run.add_argument("--scores", type=Path, help="reviewer scores, CSV or XLSX, or a folder of returned score sheets "
                                                 "(score-sheet-*.xlsx) and scores CSVs (optional)")
    run.add_argument("--sheet", help="the XLSX sheet holding the applications (default: the first)")
    where = run.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="the folder to write the outputs to")
    where.add_argument("--reports-dir", type=Path, metavar="DIR",
                       help="instead of --out: write to DIR/<call-id>/<run-id>/ and name it in DIR/<call-id>/LATEST")
    run.add_argument("--overrides", type=Path, metavar="FILE",
                     help="the committee's decisions (CSV/XLSX: application_id, new_status, justification, "
                          "decided_by, decided_on[, allow_ineligible]), applied after the computed selection")
    add_report_options(run)
    add_limit_option(run)
    verify = commands.add_parser("verify", help="rerun a past run from its manifest.json and check the outputs match")
    verify.add_argument("dir", type=Path, metavar="DIR", help="a run folder, or a call's folder (its LATEST run)")
    diff = commands.add_parser("diff", help="list the applicants whose status, rank or override changed between two runs")
    diff.add_argument("old", type=Path, metavar="OLD", help="the earlier run folder (or a call's folder: its LATEST)")
    diff.add_argument("new", type=Path, metavar="NEW", help="the later run folder (or a call's folder: its LATEST)")
    diff.add_argument("--csv", action="store_true", help="print the changes as CSV instead of a table")
    diff.add_argument("--ranks", action="store_true",
                      help="also list the rank shifts that only follow others' changes (one line otherwise)")
    assign = commands.add_parser("assign", help="give each eligible application K reviewers and write their score sheets")
    assign.add_argument("--call", required=True, type=Path, help="the call file, criteria/<call-id>.yaml")
    assign.add_argument("--applications", required=True, type=Path, help="applications, CSV or XLSX")
    assign.add_argument("--reviewers", required=True, type=Path, metavar="FILE",
                        help="reviewers, CSV or XLSX: reviewer_id, name, affiliation (ITU or Cisco)[, email, "
                             "conflict_countries, conflict_applications]")
    assign.add_argument("--per-application", required=True, type=_positive, metavar="K",
                        help="reviewers per application")
    assign.add_argument("--out", required=True, type=Path, help="the folder to write assignments.csv and the score sheets to")
    add_limit_option(assign)
    pack = commands.add_parser("pack", help="write the public call (English, French) and its application forms")
    pack.add_argument("--call", required=True, type=Path, help="the call file, criteria/<call-id>.yaml")
    pack.add_argument("--out", required=True, type=Path,
                      help="the folder to write call-en.html, call-fr.html, application-form.xlsx and "
                           "application-xlsform.xlsx to")
    from dtc_select.monitoring.command import add_monitor_command
    add_limit_option(add_monitor_command(commands))  # the report files: bounds as a run's files
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of reviewers, 1 or more")
    return int(text)


def paperwork_command(args: argparse.Namespace) -> str:
    """`assign` or `pack`: build the files, write the folder whole, print the warnings."""
    from dtc_select.call.model import load_call
    from dtc_select.paperwork import commands as paperwork
    from dtc_select.runs.outputs import write_folder_atomically

    call = load_call(args.call)
    if args.command == "assign":
        written = paperwork.assign_files(call, args.applications, args.reviewers, args.per_application,
                                         limits=limits_of(args))
    else:
        written = paperwork.pack_files(call)
    write_folder_atomically(args.out, written.files)
    for warning in written.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    return f"{PROG}: wrote {args.out}/ ({', '.join(sorted(written.files)[:4])}{', ...' if len(written.files) > 4 else ''}): " \
           f"{written.summary}"


def run_command(args: argparse.Namespace) -> str:
    """Run the selection and write the outputs; returns the summary line."""
    from dtc_select.call.model import load_call
    from dtc_select.pipeline import run
    from dtc_select.runs.out_folder import check_out_folder
    from dtc_select.runs.publish import publish

    started_at = dt.datetime.now(dt.timezone.utc)
    if args.out is not None:  # refused before any work if it holds what we did not write
        check_out_folder(args.out, (args.call, args.applications, args.scores, args.overrides))
    call = load_call(args.call)
    outcome = run(call, args.applications, args.scores, sheet=args.sheet, overrides_path=args.overrides,
                  limits=limits_of(args))
    out = publish(outcome, started_at=started_at, out=args.out, reports_dir=args.reports_dir, lang=args.lang,
                  edition=args.edition, dossiers=args.dossiers)
    for warning in outcome.notices + (outcome.overrides.warnings if outcome.overrides else ()):
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    return summary_line(outcome.counts, out)


def verify_command(args: argparse.Namespace) -> tuple[str, int]:
    """Rerun a past run into a temporary folder and compare; (what to print, exit status)."""
    import tempfile

    from dtc_select.call.model import load_call
    from dtc_select.runs.diff import ARROW
    from dtc_select.pipeline import run
    from dtc_select.runs.folders import run_folder
    from dtc_select.runs.publish import publish
    from dtc_select.runs.verify import as_recorded, compare_runs, locate_inputs, read_manifest

    from dtc_select.monitoring.verify import monitoring_manifest, verify_monitoring
    if (monitoring := monitoring_manifest(args.dir)) is not None:
        return verify_monitoring(args.dir, monitoring)
    folder = run_folder(args.dir)
    manifest = read_manifest(folder)
    inputs = locate_inputs(manifest, folder / "manifest.json")
    files = inputs.files
    outcome = run(load_call(files["call"]), files["applications"], files.get("scores"), sheet=inputs.sheet,
                  overrides_path=files.get("overrides"), limits=inputs.limits)
    outcome = as_recorded(outcome, inputs)
    with tempfile.TemporaryDirectory(prefix="dtc-select-verify-") as scratch:
        rerun = Path(scratch) / "rerun"
        # The run's own start time: the report and manifest then differ only if the outputs do.
        publish(outcome, started_at=inputs.started_at, out=rerun, lang=inputs.lang, edition=inputs.edition,
                dossiers=inputs.dossiers)
        comparison = compare_runs(folder, rerun)
    lines = [f"note: {note}" for note in comparison.notes]
    if comparison.identical:
        lines.insert(0, f"{PROG}: {folder} is reproduced: decisions.csv, quarantine.csv and score_problems.csv are "
                        f"identical byte for byte; report.html and manifest.json match apart from the finishing time")
        return "\n".join(lines), 0
    lines.insert(0, f"{PROG}: {folder} is NOT reproduced by a rerun on the same inputs; what differs (run {ARROW} rerun):")
    lines += [f"  {line}" for line in comparison.differences]
    return "\n".join(lines), 1


def diff_command(args: argparse.Namespace) -> str:
    from dtc_select.runs.diff import decision_changes, format_changes, load_run, without_shifts
    from dtc_select.runs.safe_cells import csv_bytes
    from dtc_select.runs.folders import run_folder

    from dtc_select.monitoring.diff import format_monitoring_changes, monitoring_changes
    from dtc_select.monitoring.verify import monitoring_manifest
    if monitoring_manifest(args.old) is not None and monitoring_manifest(args.new) is not None:
        changes = monitoring_changes(args.old, args.new)
        return csv_bytes(changes).decode("utf-8").rstrip("\n") if args.csv else \
            format_monitoring_changes(args.old, args.new, changes)
    old, new = load_run(run_folder(args.old)), load_run(run_folder(args.new))
    changes = decision_changes(old, new)
    if args.csv:
        return csv_bytes(changes if args.ranks else without_shifts(changes)).decode("utf-8").rstrip("\n")
    return format_changes(old, new, changes, ranks=args.ranks).rstrip("\n")


def summary_line(counts: dict[str, int], out: Path) -> str:
    return (
        f"{PROG}: wrote {out}/ (decisions.csv and .xlsx, quarantine.csv, score_problems.csv, report.html, manifest.json): "
        f"{counts['selected']} selected, {counts['reserve']} reserve, {counts['not_selected']} not selected, "
        f"{counts['ineligible']} ineligible, {counts['quarantined']} quarantined"
    )


def main(argv: list[str] | None = None) -> int:
    """The command's exit status. Standard output closed early (`dtc-select ... | head -1`) ends
    it quietly with 141, the status a shell gives a program stopped by SIGPIPE; what the command
    wrote to disk is complete, since everything is printed after the work."""
    return_freed_memory()  # a large run's peak memory is its live arrays, not freed ones (process_memory.py)
    collect_cycles_less_often()  # a run makes millions of objects and next to no cycles (process_memory.py)
    try:
        try:
            return _command(argv)
        finally:  # here, not at exit (nor after --help's exit): a closed pipe is noticed while we can answer
            sys.stdout.flush()
    except BrokenPipeError:
        # Python would report it again when it flushes stdout at exit: point stdout at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return STDOUT_CLOSED


def _command(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)  # --help prints here: it may meet a closed pipe too
    try:
        if args.command == "monitor":
            from dtc_select.monitoring.command import monitor_command
            print(monitor_command(args))
            return 0
        if args.command == "verify":
            text, status = verify_command(args)
            print(text)
            return status
        if args.command in ("assign", "pack"):
            print(paperwork_command(args))
            return 0
        print(diff_command(args) if args.command == "diff" else run_command(args))
        return 0
    except DtcSelectError as exc:
        for line in str(exc).splitlines():  # a call or programme file's problems: one line each
            print(f"{PROG}: {line}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        raise  # not a bug: the reader of our output went away (main)
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
