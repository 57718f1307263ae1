"""Publishing a run: render its report, then write every file, in one call for every caller.

The command line (`dtc-select run`, and `verify`'s rerun), the Prefect flow and the benchmark all
publish through `publish`, so the report is rendered with the same options the manifest records.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dtc_select.pipeline import Outcome
from dtc_select.process_memory import give_back_freed_memory
from dtc_select.runs.folders import write_new_run
from dtc_select.runs.outputs import write_run


def publish(outcome: Outcome, *, started_at: dt.datetime, out: str | Path | None = None,
            reports_dir: str | Path | None = None, lang: str = "en", edition: str = "reviewer",
            dossiers: str = "auto") -> Path:
    """Render report.html (stamped `started_at`) and write the run to `out` (new, empty, or a previous
    run of ours: runs/out_folder.py), or else to a new reports_dir/<call-id>/<run-id>/ named in LATEST."""
    from dtc_select.report.view import render_report  # jinja2 and the templates: only when publishing

    if (out is None) == (reports_dir is None):
        raise ValueError("publish needs exactly one of out and reports_dir")
    options = {"started_at": started_at, "lang": lang, "edition": edition, "dossiers": dossiers}
    report_html = render_report(outcome, generated_at=started_at, lang=lang, edition=edition, dossiers=dossiers)
    give_back_freed_memory()  # the report's working (its tables and pages), before the files are made
    if out is not None:
        return Path(write_run(outcome, out, report_html=report_html, **options))
    return write_new_run(outcome, reports_dir, report_html=report_html, **options)
