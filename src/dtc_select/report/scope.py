"""How much of a large call the report details: who gets a dossier, and no link left dangling.

Up to DOSSIERS_FOR_ALL_UP_TO applicants taken in, every applicant has a dossier. Beyond that,
only the applicants the committee decides on: the selected, the reserve, those whose status a
committee decision changed, and every applicant chosen in at least one of the stability analysis's
weight samples (the contenders). Every table shows at most report_tables.ROWS_SHOWN rows. The
report says so on its first page; decisions.csv and decisions.xlsx list every applicant with every
figure and reason.

Why: a dossier costs about 2 ms to build and 5 KB of HTML; at 100,000 applicants a dossier and a
ranked row each made a report of hundreds of megabytes that took minutes to write and that no
browser opens comfortably (bench/RESULTS.md). A committee reads the top of each list.
"""

from __future__ import annotations

import pandas as pd

from dtc_select.report import tables as report_tables
from dtc_select.report.i18n import Formatter

DOSSIERS_FOR_ALL_UP_TO = 1000
DECIDED_ON = ("selected", "reserve")
# Who gets a dossier: "auto" as above; "all": every applicant, whatever the call's size (the
# report's `dossiers` option, `--dossiers all` on the command line).
DOSSIER_CHOICES = ("auto", "all")


def has_dossier(decisions: pd.DataFrame, dossiers: str = "auto") -> pd.Series:
    """Per row of `decisions`, whether the report gives it a dossier (see the module's text)."""
    if dossiers not in DOSSIER_CHOICES:
        raise ValueError(f"unknown dossiers choice {dossiers!r}")
    if dossiers == "all" or len(decisions) <= DOSSIERS_FOR_ALL_UP_TO:
        return pd.Series(True, index=decisions.index)
    status = decisions["status"]
    chosen = status.isin(DECIDED_ON)
    if "selection_probability" in decisions:
        chosen |= decisions["selection_probability"].astype("Float64").gt(0).fillna(False).astype(bool)
    if "computed_status" in decisions:
        computed = decisions["computed_status"]
        chosen |= (computed.notna() & computed.ne(status)).fillna(False).astype(bool)
    return chosen


def scope_view(taken_in: int, with_dossier: int, fmt: Formatter) -> dict:
    """What the first page and the dossiers' section say about what is left out, if anything."""
    limited = with_dossier < taken_in
    return {"limited": limited,
            "text": fmt.m("detail_limited", total=fmt.integer(taken_in), shown=fmt.integer(with_dossier),
                          rows=fmt.integer(report_tables.ROWS_SHOWN)) if limited else None}


def without_dead_links(view, anchors: set[str]):
    """`view` with every link to a dossier the report does not have removed (its text stays), so
    that a table row of an applicant without a dossier is plain text, not a link to nowhere.
    Changes the dicts in place and returns `view`."""
    stack = [view]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            href = item.get("href")
            if isinstance(href, str) and href.startswith("app-") and href not in anchors:
                item["href"] = None
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))
    return view
