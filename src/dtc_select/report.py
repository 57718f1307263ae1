"""The committee report: one self-contained HTML file, readable offline and printable on A4.

The reviewers' edition: applicants' contact details never appear in it. Everything the report
shows is chosen, ordered and formatted here, into plain dicts, lists and strings; the template
(`templates/report.html.j2`) only lays them out. Jinja autoescapes every value; no applicant text
is ever marked safe. The same Outcome gives the same bytes, the optional generation time aside.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from dtc_select import allocation, report_checks, scoring
from dtc_select import vocabulary as vocab
from dtc_select.outputs import software_versions
from dtc_select.report_selection import presence_in_words, selection_view

if TYPE_CHECKING:
    from dtc_select.pipeline import Outcome

DASH = "—"
MONTHS = "January February March April May June July August September October November December".split()
METHOD_WORDS = {"weighted_sum": "weighted sum: each criterion value times its weight, added up",
                "topsis": "TOPSIS: closeness to the best possible applicant and distance from the worst",
                "vikor": "VIKOR: the smallest shortfall from the best values, in total and on the worst criterion"}
COUNTS = (("input_rows", "Rows in the applications file"), ("taken_in", "Taken in (read as applications)"),
          ("quarantined", "Quarantined (could not be read, see section 6)"), ("selected", "Selected"),
          ("reserve", "Reserve"), ("not_selected", "Not selected"),
          ("ineligible", "Ineligible (failed a minimum qualification)"))
# Columns of the tables: (column, heading, kind); kind picks the format. Missing columns are left out.
REASONS = ("reasons", "Reasons", "text")
SELECTED_COLUMNS = (("region_label", "Region", "text"), ("region_rank", "Rank in region", "int"),
                    ("rank", "Overall rank", "int"), ("application_id", "Application", "id"),
                    ("institution_name", "Institution", "text"), ("country", "Country", "text"),
                    ("score", "Score", "score"), REASONS)
RESERVE_COLUMNS = (("reserve_position", "Reserve position", "int"),) + SELECTED_COLUMNS[1:7]
RANKED_FIRST = (("rank", "Rank", "int"), ("application_id", "Application", "id"),
                ("institution_name", "Institution", "text"), ("country", "Country", "text"),
                ("region_label", "Region", "text"), ("region_rank", "Rank in region", "int"),
                ("status", "Status", "status"), ("merit_score", "Merit score", "score"),
                ("priority_bonus", "Priority bonus", "score"), ("score", "Score", "score"))
RANKED_LAST = (("reviewer_mean", "Reviewer mean", "score"), ("reviewers", "Reviewers", "int"), REASONS)
INELIGIBLE_COLUMNS = (("application_id", "Application", "id"), ("institution_name", "Institution", "text"),
                      ("country", "Country", "text"), ("region_label", "Region", "text"), REASONS)
PROBLEM_COLUMNS = (("source_row", "Row in file", "int"), ("application_id", "Application", "text"),
                   ("problems", "Problems", "text"))
OVERRIDE_COLUMNS = (("application_id", "Application", "id"), ("institution_name", "Institution", "text"),
                    ("computed_status", "The rules gave", "status"), ("status", "The committee decided", "status"),
                    ("justification", "Justification", "text"), ("decided_by", "Decided by", "text"),
                    ("decided_on", "On", "text"))
GROUPED_PROBLEM_COLUMNS = (("rows", "Rows in file", "text"),) + PROBLEM_COLUMNS[1:]
DUPLICATE_COLUMNS = (("application_id", "Application", "id"), ("institution_name", "Institution", "text"),
                     ("country", "Country", "text"), ("status", "Status", "status"),
                     ("possible_duplicate_of", "Same institution and country as", "text"))
# The seats table, with what each column means (printed as a legend under the table).
SEAT_COLUMNS = (
    ("region_name", "Region", "text", "ITU-D region."),
    ("internet_use_percent", "Internet use", "pct100", "Share of people using the Internet."),
    ("indicator_year", "Data year", "text", "Year of the Internet-use figure (ITU Facts and Figures)."),
    ("offline_share", "Offline share", "score", "Share of people offline: (100 − Internet use) / 100."),
    ("eligible_states", "Eligible member states", "int", "Member States that may host a DTC on the call's date."),
    ("member_states", "Member states", "int", "All ITU Member States in the region."),
    ("ldc_states", "Least developed countries", "int", "Least developed countries in the region on the call's date (UN list)."),
    ("ldc_population_millions", "People in LDCs (millions)", "score", "Population of those countries (UN World Population Prospects)."),
    ("population_year", "Population year", "text", "Year of the population figures."),
    ("need", "Need", "score", "The region's need, by the formula above."),
    ("need_share", "Need share", "pct", "The region's need as a share of all the regions' needs."),
    ("quota", "Exact quota", "score", "Seats × need share: what the region would get if seats could be split."),
    ("previous", "Earlier centres", "int", "Centres selected in earlier phases: they count as seats the region already holds."),
    ("seats", "Seats", "int", "Seats given to the region by the seat method above."),
    ("filled", "Filled", "int", "Centres selected in the region."),
    ("unfilled_to_others", "Given to others", "int", "Seats the region could not fill, passed to other regions."),
    ("received_from_others", "Received", "int", "Seats other regions could not fill, taken by this region."),
    ("left_empty", "Left empty", "int", "Seats nobody could take under the call's caps."),
)
NUMERIC = {"int", "score", "pct", "pct100", "numtext", "probability", "margin"}
FORMATS = {
    "text": str, "id": str, "status": lambda v: str(v).replace("_", " "), "int": lambda v: str(int(v)),
    "score": lambda v: f"{float(v):.3f}", "pct": lambda v: f"{float(v) * 100:.1f} %",
    "pct100": lambda v: f"{float(v):.1f} %", "numtext": str,  # numtext: a number already formatted
    "probability": report_checks.share_in_words, "margin": report_checks.margin_in_words,
}


@functools.cache
def _template():
    # autoescape=True explicitly: select_autoescape() would not escape *.html.j2 templates.
    return Environment(loader=PackageLoader("dtc_select", "templates"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       auto_reload=False).get_template("report.html.j2")


def render_report(outcome: Outcome, generated_at: dt.datetime | None = None) -> str:
    """The committee report as one HTML document (a str). `generated_at`, if given, is printed in
    the header; it is the only thing that differs between two renderings of the same Outcome."""
    return _template().render(**report_view(outcome, generated_at))


def report_view(outcome: Outcome, generated_at: dt.datetime | None = None) -> dict:
    """Everything the template shows, as plain data (already formatted text)."""
    call, decisions, counts = outcome.call, _prepared(outcome.decisions), outcome.counts
    status = decisions["status"]
    region_order = decisions["region"].map({r: i for i, r in enumerate(vocab.REGIONS)})
    selected = decisions[status == "selected"].assign(_region=region_order)
    selected = selected.sort_values(["_region", "region_rank", "application_id"], kind="stable")
    ranked = decisions[status != "ineligible"].sort_values(["rank", "application_id"], kind="stable")
    ineligible = decisions[status == "ineligible"].sort_values("application_id", kind="stable")
    criteria = tuple((f"criterion_{c.id}", c.id, "score") for c in call.criteria)
    return {
        "call": _call_view(call),
        "generated_at": generated_at.isoformat(timespec="seconds") if generated_at else None,
        "counts": [{"label": label, "value": counts.get(key, 0)} for key, label in COUNTS],
        "score_problem_count": counts.get("score_problems", 0),
        "selected": _table(selected, SELECTED_COLUMNS),
        "overrides": _overrides_view(outcome),
        "seats": _seats_view(outcome, call),
        "selection": selection_view(outcome, _table),
        "reserves": _reserves(decisions),
        "ranked": _table(ranked, RANKED_FIRST + criteria + RANKED_LAST, anchor=True),
        "ineligible": _table(ineligible, INELIGIBLE_COLUMNS, anchor=True),
        "rule_failures": _rule_failures(decisions, call),
        "quarantine": _table(outcome.quarantine, PROBLEM_COLUMNS),
        "possible_duplicates": _table(_possible_duplicates(decisions), DUPLICATE_COLUMNS),
        "score_problems": _table(_grouped_problems(outcome.score_problems), GROUPED_PROBLEM_COLUMNS),
        "inputs": [{"role": "call", "path": call.path, "sha256": call.sha256}]
        + [{"role": r.role, "path": r.path, "sha256": r.sha256} for r in outcome.inputs],
        "software": [{"name": k, "version": v} for k, v in software_versions().items()],
        "checks": report_checks.checks_view(outcome),
    }


def slug(application_id) -> str:
    """A safe, unique HTML id fragment: letters, digits and '-' kept; anything else as _hex_."""
    return re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", str(application_id))


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _prepared(decisions: pd.DataFrame) -> pd.DataFrame:
    frame = decisions.copy()
    iso3 = frame["country_iso3"] if "country_iso3" in frame else pd.Series(pd.NA, index=frame.index)
    name = frame["country_name"] if "country_name" in frame else iso3
    frame["country"] = [None if _missing(n) else f"{n} ({c})" if not _missing(c) and n != c else str(n)
                        for n, c in zip(name.where(name.notna(), iso3), iso3)]
    frame["region_label"] = [r if _missing(r) else vocab.REGION_NAMES.get(r, r) for r in frame["region"]]
    return frame


def _table(frame: pd.DataFrame, columns, *, anchor: bool = False) -> dict:
    """Headings and rows of formatted cells; application ids link to (or are) the row anchors."""
    columns = [c for c in columns if c[0] in frame.columns]
    rows = []
    for record in frame.to_dict("records"):
        row = {"anchor": "app-" + slug(record["application_id"]) if anchor else None, "cells": []}
        for key, _, kind in columns:
            text = DASH if _missing(record[key]) else FORMATS[kind](record[key])
            link = kind == "id" and not anchor and text != DASH
            row["cells"].append({"text": text, "num": kind in NUMERIC, "nowrap": kind == "id",
                                 "href": "#app-" + slug(record[key]) if link else None})
        rows.append(row)
    return {"headings": [{"text": h, "num": kind in NUMERIC} for _, h, kind in columns], "rows": rows}


def _possible_duplicates(decisions: pd.DataFrame) -> pd.DataFrame:
    if "possible_duplicate_of" not in decisions:
        return decisions.iloc[0:0]
    flagged = decisions[decisions["possible_duplicate_of"].notna().astype(bool)]
    return flagged.sort_values(["country", "application_id"], kind="stable")


def _grouped_problems(problems: pd.DataFrame) -> pd.DataFrame:
    """Score rows with the same problem (one per reviewer and criterion) shown once, with their rows."""
    rows: dict[tuple, list[int]] = {}
    for row, app, text in zip(problems["source_row"], problems["application_id"], problems["problems"]):
        rows.setdefault((None if _missing(app) else app, text), []).append(int(row))
    return pd.DataFrame([{"rows": _spans(r), "application_id": a, "problems": p} for (a, p), r in rows.items()],
                        columns=["rows", "application_id", "problems"])


def _spans(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3–5, 9"."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _seats_view(outcome: Outcome, call) -> dict:
    seats = outcome.seats.drop(columns=[c for c in outcome.seats if c in outcome.needs])
    frame = outcome.needs.join(seats, how="outer")
    frame = frame.reindex([r for r in vocab.REGIONS if r in frame.index])
    columns = [(k, h, kind) for k, h, kind, _ in SEAT_COLUMNS]
    legend = [{"heading": h, "meaning": m} for k, h, _, m in SEAT_COLUMNS if k in frame.columns]
    need = call.allocation.need
    return {"table": _table(frame, columns), "legend": legend, "chart": _chart(frame),
            "need_description": need.description, "need_reference": need.reference,
            "method": allocation.describe_seat_method(call.allocation.seat_method)}


def _chart(frame: pd.DataFrame) -> dict:
    """Geometry of a horizontal bar chart: one bar per region for its seats, filled part darker."""
    seats, filled = ([0 if _missing(v) else int(v) for v in frame.get(column, [0] * len(frame))]
                     for column in ("seats", "filled"))
    unit = 300 / max(max(seats, default=0), max(filled, default=0), 1)
    bars = [{"label": name, "y": 8 + i * 26, "width": round(s * unit, 1), "filled": round(f * unit, 1),
             "text": f"{s} seat{'s' if s != 1 else ''}, {f} filled", "text_x": round(128 + max(s, f) * unit, 1)}
            for i, (name, s, f) in enumerate(zip(frame["region_name"], seats, filled))]
    return {"bars": bars, "height": 16 + len(bars) * 26}


def _reserves(decisions: pd.DataFrame) -> list[dict]:
    reserve = decisions[decisions["status"] == "reserve"].sort_values(["reserve_position", "rank"], kind="stable")
    return [{"region": vocab.REGION_NAMES[r], "code": r,
             "table": _table(reserve[reserve["region"] == r], RESERVE_COLUMNS)}
            for r in vocab.REGIONS if (reserve["region"] == r).any()]


def _rule_failures(decisions: pd.DataFrame, call) -> list[dict]:
    results = {rule.id: decisions.get(f"rule_{rule.id}", pd.Series(dtype=object)) for rule in call.rules}
    return [{"id": rule.id, "description": rule.description, "fail": int((results[rule.id] == "fail").sum()),
             "not_stated": int((results[rule.id] == "not_stated").sum())} for rule in call.rules]


def _overrides_view(outcome: Outcome) -> dict | None:
    """The committee's decisions (overrides.py) and the caps they break; None without an overrides file."""
    if outcome.overrides is None:
        return None
    return {"table": _table(outcome.overrides.applied, OVERRIDE_COLUMNS), "warnings": list(outcome.overrides.warnings)}


def _measure(m) -> str:
    label = f"{vocab.FIELDS[m.column].label} ({m.column})" if m.column in vocab.FIELDS else m.column
    if m.transform == "saturate":
        return f"{label}: full marks at {m.at:g} or more, in proportion below"
    values = {"yes": 1, "no": 0} if m.transform == "boolean" else (m.values or {})
    return f"{label}: " + ", ".join(f"{k} = {v:g}" for k, v in values.items())


def _call_view(call) -> dict:
    deadline = call.deadline.value
    total = sum(c.weight for c in call.criteria)
    scoring_rules, alloc, presence = call.scoring, call.allocation, call.presence_priority
    return {
        "id": call.id, "title": call.title, "reference": call.reference,
        "deadline": f"{deadline.day} {MONTHS[deadline.month - 1]} {deadline.year}, {deadline:%H:%M:%S} UTC",
        "deadline_description": call.deadline.description, "deadline_reference": call.deadline.reference,
        "rules": [r.model_dump(include={"id", "description", "reference"}) for r in call.rules],
        "criteria": [{"id": c.id, "description": c.description, "reference": c.reference,
                      "weight": f"{c.weight / total * 100:.1f} %", "reviewer_scored": c.reviewer_scored,
                      "measures": [_measure(m) for m in c.measures]} for c in call.criteria],
        "scoring": {"description": scoring_rules.description, "reference": scoring_rules.reference,
                    "method": METHOD_WORDS.get(scoring_rules.method, scoring_rules.method),
                    "reviewer_share": f"{scoring_rules.reviewer_share * 100:g} %",
                    "application_share": f"{(1 - scoring_rules.reviewer_share) * 100:g} %",
                    "scale": f"{scoring_rules.scale.min:g} to {scoring_rules.scale.max:g}",
                    "tie_break": scoring.tie_break_in_words(call)},
        "presence": {**presence.model_dump(include={"description", "reference", "itu_offices"}),
                     "applied_as": presence_in_words(call), "countries": ", ".join(presence.countries) or "none listed",
                     "source": presence.countries_source or ""},
        "allocation": {**alloc.model_dump(include={"seats", "reserve_per_region", "description", "reference"}),
                       "max_per_country": "no limit" if alloc.max_per_country is None else alloc.max_per_country,
                       "minimum_score": "none" if alloc.minimum_score is None else f"{alloc.minimum_score:.3f}"},
        "country_status": call.country_status.model_dump(
            mode="json", include={"classification", "as_of", "description", "reference"}),
        "path": call.path,
    }
