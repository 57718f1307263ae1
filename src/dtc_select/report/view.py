"""The committee report: one self-contained HTML file, readable offline and printable on A4.

Two editions: the reviewers' (default) never shows applicants' contact details; the secretariat's
adds them to each dossier. Two languages, English (default) and French (`lang="fr"`): every
heading and label comes from the message catalogue (i18n.py), every rule text from the call file's
French, every reason from its data (decisions' reason_codes, worded by dtc_select.reasons in the
report's language); decisions.csv keeps its English reasons.

Everything the report shows is chosen, ordered and formatted here and in the `report_*` modules,
into plain dicts, lists and strings; the templates (`templates/report.html.j2` and its partials)
only lay them out. Jinja autoescapes every value; no applicant text is ever marked safe. The same
Outcome gives the same bytes, the optional generation time aside.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined

from dtc_select.report import charts
from dtc_select.report import checks as report_checks
from dtc_select.report import dossiers as report_dossiers
from dtc_select.report import tables as report_tables
from dtc_select.call import vocabulary as vocab
from dtc_select.reference.countries import load_country_table
from dtc_select.rules.eligibility import rule_reasons
from dtc_select.report.i18n import EDITIONS, LANGUAGES, Formatter, localized, missing
from dtc_select.reasons.render import Renderer
from dtc_select.reference.provenance import reference_data_hashes, software_versions
from dtc_select.report.rules import call_view
from dtc_select.report.scope import has_dossier, scope_view, without_dead_links
from dtc_select.report.selection import selection_view
from dtc_select.report.tables import (FRAGILE_COLUMNS, GROUPED_PROBLEM_COLUMNS, INELIGIBLE_COLUMNS, PROBLEM_COLUMNS,
                                      REGION_FIRST, REGION_LAST, RESERVE_COLUMNS, SEAT_COLUMNS, SELECTED_COLUMNS,
                                      anchor, grouped_problems, more_text, scaled_headings, slug, table)

if TYPE_CHECKING:
    from dtc_select.pipeline import Outcome

__all__ = ["render_report", "report_view", "slug"]

COUNTS = ("input_rows", "taken_in", "quarantined", "selected", "reserve", "not_selected", "ineligible")
# What the first page calls fragile, when the run measured stability (selection_probability):
# a selected centre chosen in fewer than FRAGILE_BELOW of the samples, or an applicant left out
# that was chosen in at least CONTENDER_FROM of them. A reading aid; it decides nothing.
FRAGILE_BELOW, CONTENDER_FROM = 0.8, 0.2
OVERRIDE_COLUMNS = (("application_id", "col_application", "id"), ("institution_name", "col_institution", "text"),
                    ("computed_status", "col_rules_gave", "status"), ("status", "col_committee_decided", "status"),
                    ("justification", "col_justification", "text"), ("decided_by", "col_decided_by", "text"),
                    ("decided_on", "col_decided_on", "text"))
DUPLICATE_COLUMNS = (("application_id", "col_application", "id"), ("institution_name", "col_institution", "text"),
                     ("country", "col_country", "text"), ("status", "col_status", "status"),
                     ("possible_duplicate_of", "col_duplicate_of", "text"))


class _ViewEnvironment(Environment):
    """Jinja's environment for views made of plain dicts: `d.name` reads the key `name` at once.
    Jinja tries the attribute first and the key after a failed getattr, 100,000 times per report
    of 300 dossiers (half its rendering). A key is what it finds either way: no view's key is
    the name of a dict method the templates call."""

    def getattr(self, obj, attribute):  # noqa: D102 (jinja2's hook for `obj.attribute`)
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, in its own folder for this user in the system's temp
    folder (made private by jinja): compiling the report's 18 templates cost 0.08 s of every
    run, reading them back 0.003 s. An entry is used only for the same template source and
    Python; a cache that cannot be read or written is as if there were none."""

    def load_bytecode(self, bucket):  # noqa: D102 (jinja2's hook)
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 (unreadable, cut short, damaged: unpickling can raise anything)
            bucket.reset()  # compiled from source

    def dump_bytecode(self, bucket):  # noqa: D102 (jinja2's hook)
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_templates() -> FileSystemBytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no private temp folder to be had: compile every run
        return None


@functools.cache
def _template():
    # autoescape=True explicitly: select_autoescape() would not escape *.html.j2 templates.
    return _ViewEnvironment(loader=PackageLoader("dtc_select.report", "templates"), autoescape=True,
                            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                            keep_trailing_newline=True, auto_reload=False,
                            bytecode_cache=_compiled_templates()).get_template("report.html.j2")


def render_report(outcome: Outcome, generated_at: dt.datetime | None = None, *, lang: str = "en",
                  edition: str = "reviewer", dossiers: str = "auto") -> str:
    """The committee report as one HTML document (a str). `generated_at`, if given, is printed in
    the header; it is the only thing that differs between two renderings of the same Outcome.
    `dossiers`: "auto" (everyone up to 1,000 applicants, else those the committee decides on) or
    "all" (report_scope.py)."""
    return _template().render(**report_view(outcome, generated_at, lang=lang, edition=edition, dossiers=dossiers))


def report_view(outcome: Outcome, generated_at: dt.datetime | None = None, *, lang: str = "en",
                edition: str = "reviewer", dossiers: str = "auto") -> dict:
    """Everything the templates show, as plain data (already formatted text)."""
    if lang not in LANGUAGES or edition not in EDITIONS:
        raise ValueError(f"unknown language {lang!r} or edition {edition!r}")
    fmt = Formatter(lang, outcome.call)
    call, counts = outcome.call, outcome.counts
    detailed = has_dossier(outcome.decisions, dossiers)
    explained = _rule_results(outcome, detailed, fmt)
    decisions, words = _prepared(outcome, fmt)
    status = decisions["status"]
    selected = decisions[status == "selected"].sort_values(["_region", "region_rank", "application_id"], kind="stable")
    eligible = decisions[status != "ineligible"]
    ineligible = decisions[status == "ineligible"].sort_values("application_id", kind="stable")
    seats = _seats_frame(outcome, fmt)
    # Built once; the selected centres' criterion profiles are their dossiers' charts.
    in_order = pd.concat([eligible, ineligible])
    with_dossier = in_order[detailed[in_order.index].to_numpy()]
    every_dossier = report_dossiers.dossiers(outcome, with_dossier, fmt, explained, contacts=edition == "secretariat")
    by_id = {d["id"]: d for d in every_dossier}
    scope = scope_view(len(decisions), len(every_dossier), fmt)
    headings = scaled_headings(call.scoring.scale, fmt)
    view = {
        "lang": lang, "edition": edition, "t": fmt.m, "call": call_view(call, fmt),
        "generated_at": fmt.moment(generated_at) if generated_at else None,
        "counts": [{"label": fmt.m[f"count_{key}"], "value": counts.get(key, 0), "key": key} for key in COUNTS],
        "scope": scope,
        "score_problem_count": counts.get("score_problems", 0),
        "score_problem_counts": _score_problem_counts(outcome, fmt),
        "disagreement_top": fmt.number((call.scoring.scale.max - call.scoring.scale.min) / 2),
        "first_page": _first_page(decisions, selected, seats, fmt, headings),
        "notices": [notice_text(n, fmt) for n in outcome.notices],
        "selected": table(selected, SELECTED_COLUMNS, fmt),
        "overrides": _overrides_view(outcome, fmt),
        "selection": selection_view(outcome, decisions, fmt),
        "checks": report_checks.checks_view(outcome, decisions, fmt),
        "possible_duplicates": table(_possible_duplicates(decisions), DUPLICATE_COLUMNS, fmt),
        "profiles": [by_id[a] for a in selected["application_id"] if by_id[a]["criteria"]],
        "seats": _seats_view(seats, fmt),
        "reserves": _reserves(decisions, fmt),
        "regions": _regions(eligible, fmt, headings),
        "distribution": charts.distribution_chart(decisions, fmt),
        "ineligible": table(ineligible, INELIGIBLE_COLUMNS, fmt),
        "rule_failures": _rule_failures(decisions, call, fmt),
        "dossiers": every_dossier,
        "quarantine": table(outcome.quarantine, PROBLEM_COLUMNS, fmt, links=False, complete_in="quarantine.csv"),
        "score_problems": table(grouped_problems(outcome.score_problems), GROUPED_PROBLEM_COLUMNS, fmt, links=False,
                                complete_in="score_problems.csv"),
        "inputs": [{"role": fmt.m.input_call, "path": call.path, "sha256": call.sha256}]
        + [{"role": fmt.m[f"input_{r.role}"] if f"input_{r.role}" in fmt.m else r.role, "path": r.path,
            "sha256": r.sha256} for r in outcome.inputs],
        "reference_data": [{"name": k, "sha256": v} for k, v in reference_data_hashes().items()],
        "software": [{"name": k, "version": v} for k, v in software_versions().items()],
    }
    # Past DOSSIERS_FOR_ALL_UP_TO applicants, tables name applicants that have no dossier.
    view = without_dead_links(view, {d["anchor"] for d in every_dossier}) if scope["limited"] else view
    return _worded(view, words)


def _rule_results(outcome: Outcome, detailed: pd.Series, fmt: Formatter) -> pd.DataFrame:
    """Each rule's (result, reason in the report's language) per application id, for the
    applicants with a dossier (`detailed`, by row of the decisions)."""
    decisions, applications = outcome.decisions, outcome.applications
    if not detailed.all():
        applications = applications[applications["application_id"].isin(decisions.loc[detailed, "application_id"])]
    words = Renderer(fmt.lang, outcome.call)
    explained = rule_reasons(applications, outcome.call).map(
        lambda cell: (cell[0], "" if cell[1] is None else words.render(cell[1])))
    explained.index = applications["application_id"].to_numpy()
    return explained


class _Unworded:
    """A row's reasons (its reason_codes), worded in the report's language by `_worded` only if
    the report shows the row: at 100,000 applicants it shows a few thousand."""

    __slots__ = ("codes",)

    def __init__(self, codes):
        self.codes = codes if isinstance(codes, str) else ""

    def __bool__(self) -> bool:  # as the parts would be: none for an empty cell
        return self.codes != ""


def _worded(view, words: Renderer):
    """`view` with each row's reasons (`_Unworded`) as parts in the report's language, each
    distinct one worded once. Changes the dicts and lists in place and returns `view`."""
    found, stack, seen = [], [view], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:  # a dossier is in two lists: walked once
            continue
        seen.add(id(item))
        for key, value in (item.items() if isinstance(item, dict) else enumerate(item)):
            if isinstance(value, _Unworded):
                found.append((item, key, value))
            elif isinstance(value, (dict, list)):
                stack.append(value)
    texts = list(dict.fromkeys(value.codes for _, _, value in found))
    parts = dict(zip(texts, words.codes_parts(texts)))
    for item, key, value in found:
        item[key] = parts[value.codes]
    return view


def _prepared(outcome: Outcome, fmt: Formatter) -> tuple[pd.DataFrame, Renderer]:
    """Decisions with display columns: country and region in the report's language, reasons
    (`_Unworded` until shown) and a region order; and the reasons' words in that language."""
    frame = outcome.decisions.copy(deep=False)  # copy-on-write: the columns set below are the copy's only
    # Plain object arrays: reading a pandas string column item by item costs a microsecond each.
    iso3 = frame["country_iso3"] if "country_iso3" in frame else pd.Series(pd.NA, index=frame.index)
    english = frame["country_name"] if "country_name" in frame else iso3
    named = english.where(english.notna(), iso3).to_numpy(dtype=object)
    english, iso3 = english.to_numpy(dtype=object), iso3.to_numpy(dtype=object)
    # Each English name with the code of its last row, as a row-by-row dictionary would keep it.
    names = {n: _country_name(c, n, fmt.lang) for n, c in dict(zip(english, iso3)).items() if not missing(n)}
    frame["country"] = [None if missing(n) else f"{names[n]} ({c})" if not missing(c) and names[n] != c else names[n]
                        for n, c in zip(named, iso3)]
    frame["region_label"] = [r if missing(r) else fmt.region(r) for r in frame["region"].to_numpy(dtype=object)]
    frame["_region"] = frame["region"].map({r: i for i, r in enumerate(vocab.REGIONS)})
    words = Renderer(fmt.lang, outcome.call, country_name=lambda iso3, name: names.get(name, name))
    codes = frame["reason_codes"] if "reason_codes" in frame else pd.Series("", index=frame.index)
    frame["reasons"] = np.array([_Unworded(c) for c in codes.to_numpy(dtype=object)], dtype=object)
    return frame, words


def _country_name(iso3, english, lang: str) -> str:
    if lang == "fr" and not missing(iso3):
        try:
            return load_country_table().name_fr(iso3)
        except KeyError:
            pass
    return str(english)


def _seats_frame(outcome: Outcome, fmt: Formatter) -> pd.DataFrame:
    seats = outcome.seats.drop(columns=[c for c in outcome.seats if c in outcome.needs])
    frame = outcome.needs.join(seats, how="outer")
    frame = frame.reindex([r for r in vocab.REGIONS if r in frame.index])
    frame["region_label"] = [fmt.region(r) for r in frame.index]
    return frame


def _seats_view(frame: pd.DataFrame, fmt: Formatter) -> dict:
    legend = [{"heading": fmt.m[h], "meaning": fmt.m[f"seat_legend_{k}"]} for k, h, _ in SEAT_COLUMNS
              if k in frame.columns]
    return {"table": table(frame, SEAT_COLUMNS, fmt), "legend": legend}


def _ints(frame: pd.DataFrame, column: str) -> list[int]:
    return [0 if missing(v) else int(v) for v in frame.get(column, pd.Series(0, index=frame.index))]


def _first_page(decisions: pd.DataFrame, selected: pd.DataFrame, seats: pd.DataFrame, fmt: Formatter,
                headings: dict[str, str]) -> dict:
    """What a chair reads first: seats per region and why, the selected on a chart, what is fragile."""
    m = fmt.m
    seat_rows = [{"region": label, "seats": s, "filled": f, "share": fmt.pct(share) if not missing(share) else "—"}
                 for label, s, f, share in zip(seats["region_label"], _ints(seats, "seats"), _ints(seats, "filled"),
                                               seats.get("need_share", pd.Series(pd.NA, index=seats.index)))]
    bars, region = [], None
    for r in selected.itertuples():
        if r.region != region:  # a heading row per region
            bars.append((r.region_label, None, "group"))
            region = r.region
        bars.append((f"{charts.short(r.institution_name, 29)} ({r.country_iso3})", r.score, "c-selected"))
    eligible = decisions[decisions["status"] != "ineligible"]
    return {
        "seat_rows": seat_rows,
        "seats_chart": charts.seats_chart(list(seats["region_label"]), _ints(seats, "seats"), _ints(seats, "filled"), fmt),
        "selected_chart": charts.value_bars(bars, fmt, m.chart_selected_label) if bars else None,
        "fragile": _fragile(decisions, fmt, headings),
        "stability_chart": _stability_chart(decisions, fmt),
        "left_empty": sum(_ints(seats, "left_empty")),
        "reallocated": sum(_ints(seats, "unfilled_to_others")),
        "application_only": int((eligible["reviewers"].fillna(0) == 0).sum()) if "reviewers" in eligible else 0,
        "has_stability": "selection_probability" in decisions,
        "fragile_below": fmt.pct(FRAGILE_BELOW, 0), "contender_from": fmt.pct(CONTENDER_FROM, 0),
        "has_disagreement": "disagreement_flagged" in decisions,
    }


def _fragile(decisions: pd.DataFrame, fmt: Formatter, headings: dict[str, str]) -> dict:
    """Selections that could easily have gone the other way, and applicants reviewers disagree on."""
    m = fmt.m
    notes: dict = defaultdict(list)  # only the noted rows: a list per applicant cost 0.1 s at 100,000
    status = decisions["status"]
    if "selection_probability" in decisions:
        chance = decisions["selection_probability"].astype("Float64")
        for i in decisions.index[(status == "selected") & (chance < FRAGILE_BELOW).fillna(False)]:
            notes[i].append(m("note_fragile", share=fmt.pct(chance[i], 0)))
        for i in decisions.index[status.isin(["reserve", "not_selected"]) & (chance >= CONTENDER_FROM).fillna(False)]:
            notes[i].append(m("note_contender", share=fmt.pct(chance[i], 0)))
    if "disagreement_flagged" in decisions:
        flagged = decisions["disagreement_flagged"].astype("boolean").fillna(False).astype(bool)
        for i in decisions.index[flagged & (status != "ineligible")]:
            notes[i].append(m.note_disputed)
    if "tie_break_note" in decisions:
        tied = decisions["tie_break_note"].astype("string").fillna("") != ""
        for i in decisions.index[tied & status.isin(["selected", "reserve"])]:
            notes[i].append(m.note_tie)
    listed = decisions[decisions.index.isin(list(notes))].copy()  # in the decisions' order
    listed["note"] = [m.parts_joiner.join(notes[i]) for i in listed.index]
    return table(listed, FRAGILE_COLUMNS, fmt, headings=headings)


def _stability_chart(decisions: pd.DataFrame, fmt: Formatter) -> dict | None:
    if "selection_probability" not in decisions:
        return None
    shown = decisions[decisions["status"].isin(["selected", "reserve"])].sort_values(
        ["status", "rank"], key=lambda c: c.map({"selected": 0, "reserve": 1}) if c.name == "status" else c,
        kind="stable")
    rows = [(charts.short(f"{r.application_id} {r.institution_name}"), r.selection_probability, f"c-{r.status}")
            for r in shown.itertuples()]
    return charts.value_bars(rows, fmt, fmt.m.chart_stability_label, percent=True) if rows else None


def _reserves(decisions: pd.DataFrame, fmt: Formatter) -> list[dict]:
    reserve = decisions[decisions["status"] == "reserve"].sort_values(["reserve_position", "rank"], kind="stable")
    return [{"region": fmt.region(r), "code": r, "table": table(reserve[reserve["region"] == r], RESERVE_COLUMNS, fmt)}
            for r in vocab.REGIONS if (reserve["region"] == r).any()]


def _regions(eligible: pd.DataFrame, fmt: Formatter, headings: dict[str, str]) -> list[dict]:
    columns = REGION_FIRST + REGION_LAST
    ordered = eligible.sort_values(["rank", "application_id"], kind="stable")
    return [{"code": r, "name": fmt.region(r), "anchor": f"region-{r}",
             "table": table(ordered[ordered["region"] == r], columns, fmt, reasons_below=True, headings=headings)}
            for r in vocab.REGIONS if (ordered["region"] == r).any()]


def _score_problem_counts(outcome: Outcome, fmt: Formatter) -> list[dict]:
    """The reviewer score rows that could not be used, those of quarantined applications apart:
    they are no fault of the reviewers and count once the application's row is fixed."""
    problems = outcome.score_problems
    quarantined = set(outcome.quarantine["application_id"].dropna()) if len(outcome.quarantine) else set()
    of_quarantined = int(problems["application_id"].isin(quarantined).sum()) if len(problems) else 0
    others = len(problems) - of_quarantined
    rows = [("count_score_problems_quarantined", "score_problems_note_quarantined", of_quarantined),
            ("count_score_problems_other" if of_quarantined else "count_score_problems", "score_problems_note", others)]
    return [{"label": fmt.m[label], "note": fmt.m(note, n=fmt.integer(n)), "value": fmt.integer(n)}
            for label, note, n in rows if n]


def _rule_failures(decisions: pd.DataFrame, call, fmt: Formatter) -> list[dict]:
    """For each minimum qualification: how many failed it or did not state it, and who."""
    rows = []
    for rule in call.rules:
        results = decisions.get(f"rule_{rule.id}", pd.Series(dtype=object, index=decisions.index))
        ids = {state: sorted(decisions.loc[results == state, "application_id"]) for state in ("fail", "not_stated")}
        who = {state: [{"id": a, "href": anchor(a)} for a in ids[state][:report_tables.IDS_SHOWN]]
               for state in ids}
        rows.append({"id": rule.id, "description": localized(rule, "description", fmt.lang),
                     "reference": localized(rule, "reference", fmt.lang),
                     "fail": len(ids["fail"]), "not_stated": len(ids["not_stated"]), "who": who,
                     "more": {state: more_text(len(who[state]), len(ids[state]), fmt) for state in ids}})
    return rows


def _possible_duplicates(decisions: pd.DataFrame) -> pd.DataFrame:
    if "possible_duplicate_of" not in decisions:
        return decisions.iloc[0:0]
    flagged = decisions[decisions["possible_duplicate_of"].notna().astype(bool)]
    return flagged.sort_values(["country", "application_id"], kind="stable")


def _overrides_view(outcome: Outcome, fmt: Formatter) -> dict | None:
    """The committee's decisions (overrides.py) and the caps they break; None without an overrides file."""
    if outcome.overrides is None:
        return None
    return {"table": table(outcome.overrides.applied, OVERRIDE_COLUMNS, fmt),
            "warnings": [notice_text(w, fmt) for w in outcome.overrides.warnings]}


def notice_text(notice, fmt: Formatter) -> str:
    """A run's warning (notices.Notice) in the report's language: dates and countries its way."""
    fields = {k: fmt.date(v) if isinstance(v, dt.date) else v for k, v in notice.fields.items()}
    # A field a notice also gives in this language (`status_fr` for `status`) is said in it.
    fields = {k: fields.get(f"{k}_{fmt.lang}", v) for k, v in fields.items()}
    if fmt.lang != "en" and "iso3" in fields:
        fields["country"] = _country_name(fields["iso3"], fields.get("country"), fmt.lang)
    return fmt.m(notice.catalogue_key, **fields)
