"""Report tables from the stages added beside the bilingual report (ranking checks, the seats'
selection view, the committee's decisions, possible duplicates): headings in English, cells
formatted here. Laid out by the `table` macro of templates/partials/_english_table.html.j2; in a
French report these tables are marked lang="en" until their words join the catalogues.
"""

from __future__ import annotations

import pandas as pd

from dtc_select.i18n import missing
from dtc_select.report_tables import DASH, anchor as app_anchor

NUMERIC = {"int", "score", "pct", "pct100", "numtext", "probability", "margin"}


def _formats() -> dict:
    from dtc_select.ranking_checks import share_in_words

    return {
        "text": str, "id": str, "status": lambda v: str(v).replace("_", " "), "int": lambda v: str(int(v)),
        "score": lambda v: f"{float(v):.3f}", "pct": lambda v: f"{float(v) * 100:.1f} %",
        "pct100": lambda v: f"{float(v):.1f} %", "numtext": str,  # numtext: a number already formatted
        "probability": share_in_words,
    }


def english_table(frame: pd.DataFrame, columns, *, anchor: bool = False) -> dict:
    """Headings and rows of formatted cells; application ids link to the applicant's dossier."""
    formats = _formats()
    columns = [c for c in columns if c[0] in frame.columns]
    rows = []
    for record in frame.to_dict("records"):
        row = {"anchor": None, "cells": []}
        for key, _, kind in columns:
            text = DASH if missing(record[key]) else formats[kind](record[key])
            link = kind == "id" and text != DASH
            row["cells"].append({"text": text, "num": kind in NUMERIC, "nowrap": kind == "id",
                                 "href": "#" + app_anchor(record[key]) if link else None})
        rows.append(row)
    return {"headings": [{"text": h, "num": kind in NUMERIC} for _, h, kind in columns], "rows": rows}


def english_labels(decisions: pd.DataFrame) -> pd.DataFrame:
    """Decisions with `country` ("Name (ISO)") and `region_label` in English, for these tables."""
    from dtc_select import vocabulary as vocab

    frame = decisions.copy()
    iso3 = frame["country_iso3"] if "country_iso3" in frame else pd.Series(pd.NA, index=frame.index)
    name = frame["country_name"] if "country_name" in frame else iso3
    frame["country"] = [None if missing(n) else f"{n} ({c})" if not missing(c) and n != c else str(n)
                        for n, c in zip(name.where(name.notna(), iso3), iso3)]
    frame["region_label"] = [r if missing(r) else vocab.REGION_NAMES.get(r, r) for r in frame["region"]]
    return frame
