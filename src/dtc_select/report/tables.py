"""Tables of the committee report: which columns, their headings (catalogue keys) and formats.

A table is plain data: headings and rows of cells already formatted as text in the report's
language. Reasons are a list of sentences already in the report's language (from the rows'
reason_codes, `dtc_select.reasons`). Missing columns are left out, so a section added by another stage
shows up only when its column exists.
"""

from __future__ import annotations

import re

import pandas as pd

from dtc_select.report.i18n import Formatter, missing

DASH = "—"
# At most this many rows per table: a committee reads the top of a list, and a call of tens of
# thousands of applicants would otherwise make a report too big to open. A table cut short says so
# and names the file that lists every row (report_scope.py decides who gets a dossier).
ROWS_SHOWN = 500
# At most this many application ids in a list within a table cell (who failed a rule).
IDS_SHOWN = 100
NUMERIC = {"int", "score", "pct", "pct100", "mean", "criterion", "share", "margin", "plain", "numtext"}
# Criterion columns: a 0..1 value under a heading set vertically, so eight of them fit on a page.

# (column, heading key in the catalogue or a heading already written, kind); kind picks the format:
# int, score (3 decimals), mean/criterion (2), pct (a 0..1 share), pct100 (a percentage), share (of
# samples: never 0 % or 100 % for what is neither), margin (signed; 0 means the tie-break decided),
# plain (6 significant digits, to recompute by hand), numtext (a number already written), status,
# id (links to the dossier), reasons (parts), english (problems from intake), text.
REASONS = ("reasons", "col_reasons", "reasons")
SELECTED_COLUMNS = (("region_label", "col_region", "text"), ("region_rank", "col_region_rank", "int"),
                    ("rank", "col_rank_overall", "int"), ("application_id", "col_application", "id"),
                    ("institution_name", "col_institution", "text"), ("country", "col_country", "text"),
                    ("score", "col_score", "score"), ("selection_probability", "col_probability", "share"), REASONS)
RESERVE_COLUMNS = (("reserve_position", "col_reserve_position", "int"),) + SELECTED_COLUMNS[1:8]
REGION_FIRST = (("region_rank", "col_region_rank", "int"), ("rank", "col_rank_overall", "int"),
                ("application_id", "col_application", "id"), ("institution_name", "col_institution", "text"),
                ("country", "col_country", "text"), ("status", "col_status", "status"))
# The ranking's figures; each criterion's value, the number of reviewers and the rest are in the
# applicant's dossier and in decisions.xlsx, so that a region's table fits a screen 1280 px wide.
REGION_LAST = (("score", "col_score", "score"), ("reviewer_mean", "col_reviewer_mean", "mean"),
               ("selection_probability", "col_probability", "share"),
               ("reviewer_disagreement", "col_disagreement", "score"), REASONS)
INELIGIBLE_COLUMNS = (("application_id", "col_application", "id"), ("institution_name", "col_institution", "text"),
                      ("country", "col_country", "text"), ("region_label", "col_region", "text"), REASONS)
PROBLEM_COLUMNS = (("source_row", "col_source_row", "int"), ("application_id", "col_application_text", "text"),
                   ("problems", "col_problems", "english"))
GROUPED_PROBLEM_COLUMNS = (("rows", "col_source_rows", "text"),) + PROBLEM_COLUMNS[1:]
FRAGILE_COLUMNS = (("application_id", "col_application", "id"), ("institution_name", "col_institution", "text"),
                   ("region_label", "col_region", "text"), ("status", "col_status", "status"),
                   ("selection_probability", "col_probability", "share"),
                   ("reviewer_disagreement", "col_disagreement", "score"), ("note", "col_note", "text"))
# The seats table; `seat_legend_<column>` in the catalogue says what each column means.
SEAT_COLUMNS = (
    ("region_label", "col_region", "text"), ("internet_use_percent", "col_internet_use", "pct100"),
    ("indicator_year", "col_data_year", "text"), ("offline_share", "col_offline_share", "score"),
    ("eligible_states", "col_eligible_states", "int"), ("member_states", "col_member_states", "int"),
    ("ldc_states", "col_ldc_states", "int"), ("ldc_population_millions", "col_ldc_population", "score"),
    ("population_year", "col_population_year", "text"),
    ("need", "col_need", "score"), ("need_share", "col_need_share", "pct"), ("quota", "col_quota", "score"),
    ("previous", "col_previous", "int"), ("seats", "col_seats", "int"), ("filled", "col_filled", "int"),
    ("unfilled_to_others", "col_given", "int"), ("received_from_others", "col_received", "int"),
    ("left_empty", "col_left_empty", "int"),
)


def slug(application_id) -> str:
    """A safe, unique HTML id fragment: letters, digits and '-' kept; anything else as _hex_."""
    return re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", str(application_id))


def anchor(application_id) -> str:
    """The id of an applicant's dossier."""
    return "app-" + slug(application_id)


def cell_text(fmt: Formatter, kind: str, value) -> str:
    if missing(value):
        return DASH
    if kind == "int":
        return fmt.integer(value)
    if kind in ("score", "mean", "criterion"):
        return fmt.decimal(value, 3 if kind == "score" else 2)
    if kind == "pct":
        return fmt.pct(value)
    if kind == "pct100":
        return fmt.pct(float(value) / 100)
    if kind == "share":
        return fmt.share(value)
    if kind == "margin":
        return fmt.m.margin_tie if float(value) == 0 else fmt.signed(value)
    if kind == "plain":
        return fmt.plain(value)
    if kind == "status":
        return fmt.status(value)
    return str(value)


def scaled_headings(scale, fmt: Formatter) -> dict[str, str]:
    """Headings that carry their scale, by column: a reviewer mean on the call's marks (1–5), and
    reviewer disagreement, the standard deviation of marks, from 0 (all agree) to half the scale's
    width (half the reviewers at each end)."""
    low, high = fmt.number(scale.min), fmt.number(scale.max)
    return {"reviewer_mean": fmt.m("col_reviewer_mean_on", low=low, high=high),
            "reviewer_disagreement": fmt.m("col_disagreement_on", top=fmt.number((scale.max - scale.min) / 2))}


def table(frame: pd.DataFrame, columns, fmt: Formatter, *, links: bool = True, reasons_below: bool = False,
          complete_in: str = "decisions.csv", headings: dict[str, str] | None = None) -> dict:
    """Headings and rows of formatted cells, the first ROWS_SHOWN rows of `frame` in its order;
    application ids link to their dossiers. `total` is the frame's row count and `more` a sentence
    saying how many rows are shown and that `complete_in` has them all (None if none is left out).
    The `reasons` column holds lists of parts already in the report's language (report._prepared);
    with `reasons_below` they go on a full-width line under their row (wide tables). `headings`:
    headings already written, by column, in place of the catalogue's (scaled_headings)."""
    columns = [(key, (headings or {}).get(key, heading), kind) for key, heading, kind in columns
               if key in frame.columns and not (reasons_below and kind == "reasons")]
    rows = []
    # Only the columns shown become dicts (a table of a few columns of the 50 decisions hold).
    shown = list(dict.fromkeys([key for key, _, _ in columns] + (["reasons"] if reasons_below and "reasons" in frame
                                                                 else [])))
    for record in frame.head(ROWS_SHOWN)[shown].to_dict("records"):
        below = (record.get("reasons") or []) if reasons_below else None
        cells = []
        for key, _, kind in columns:
            value = record[key]
            parts = value if kind == "reasons" else None
            cells.append({"text": "" if parts is not None else cell_text(fmt, kind, value), "parts": parts,
                          "num": kind in NUMERIC, "nowrap": kind in ("id", "status") or key == "application_id", "english": kind == "english",
                          "href": anchor(value) if kind == "id" and links and not missing(value) else None,
                          "status": value if kind == "status" and not missing(value) else None})
        rows.append({"cells": cells, "below": below})
    return {"headings": [{"text": fmt.m[h] if h in fmt.m else h, "num": kind in NUMERIC, "vertical": kind == "criterion"}
                         for _, h, kind in columns],
            "rows": rows, "total": len(frame), "more": more_text(len(rows), len(frame), fmt, complete_in)}


def more_text(shown: int, total: int, fmt: Formatter, complete_in: str = "decisions.csv") -> str | None:
    """"The first 500 of 31,244 are shown; decisions.csv lists them all." (in the report's language),
    or None when all are shown."""
    if shown >= total:
        return None
    return fmt.m("rows_shown", shown=fmt.integer(shown), total=fmt.integer(total), file=complete_in)


def grouped_problems(problems: pd.DataFrame) -> pd.DataFrame:
    """Score rows with the same problem (one per reviewer and criterion) shown once, with their rows."""
    rows: dict[tuple, list[int]] = {}
    for row, app, text in zip(problems["source_row"], problems["application_id"], problems["problems"]):
        rows.setdefault((None if missing(app) else app, text), []).append(int(row))
    return pd.DataFrame([{"rows": spans(r), "application_id": a, "problems": p} for (a, p), r in rows.items()],
                        columns=["rows", "application_id", "problems"])


def spans(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3–5, 9"."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
