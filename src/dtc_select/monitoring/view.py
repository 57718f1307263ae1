"""The monitoring report: one self-contained HTML page, in English or French, readable offline.

Late and missing reports first, then the network at a glance, the rule that says what "on track"
means, each centre's cumulative progress against its target as a chart, women's share, every
indicator, what was quarantined, and where each target and indicator comes from. Everything is
chosen and formatted here into plain data; `templates/monitoring.html.j2` only lays it out, with
the selection report's styles and macros. Jinja autoescapes every value (autoescape=True); text
from the reports (comments, problems, ids) is never marked safe.

Words come from `templates/messages_<lang>.yaml` (keys `mon_*`, the same keys in both languages),
numbers and dates from the selection report's `Formatter`. Quarantine problems are the English
words of quarantine.csv: the French edition marks them `lang="en"`.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib.resources import files

import pandas as pd
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from dtc_select.monitoring.charts import progress_chart, share_bars
from dtc_select.monitoring.pipeline import Monitoring
from dtc_select.monitoring.programme import NETWORK, Programme
from dtc_select.monitoring.progress import elapsed_share
from dtc_select.reference.provenance import software_versions
from dtc_select.report.i18n import LANGUAGES, Formatter, Messages, load_catalogue, localized

STATUS_ORDER = {"behind": 0, "no_reports": 1, "on_track": 2, "ahead": 3, "no_target": 4}


@functools.cache
def monitoring_messages(lang: str) -> Messages:
    """The report's words: the selection report's catalogue and this one's `mon_*` keys."""
    folder = files("dtc_select.monitoring") / "templates"
    mine = {code: load_catalogue(code, folder) for code in LANGUAGES}
    if set(mine["en"]) != set(mine[lang]):
        raise ValueError(f"monitoring/templates/messages_{lang}.yaml: keys differ from messages_en.yaml: "
                         f"{sorted(set(mine['en']) ^ set(mine[lang]))}")
    return Messages({**Formatter(lang).m, **mine[lang]})


@functools.cache
def _template():
    loader = ChoiceLoader([PackageLoader("dtc_select.monitoring", "templates"),
                           PackageLoader("dtc_select.report", "templates")])
    return Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False).get_template("monitoring.html.j2")


def render_monitoring_report(result: Monitoring, generated_at: dt.datetime | None = None, *, lang: str = "en") -> str:
    """The report as one HTML document; `generated_at` is the only thing two renderings may differ by."""
    return _template().render(**monitoring_view(result, generated_at, lang=lang))


def _formatter(lang: str) -> Formatter:
    fmt = Formatter(lang)
    fmt.m = monitoring_messages(lang)
    return fmt


def monitoring_view(result: Monitoring, generated_at: dt.datetime | None = None, *, lang: str = "en") -> dict:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    programme, fmt = result.programme, _formatter(lang)
    m = fmt.m
    headline = _headline(programme)
    return {
        "lang": lang, "t": m,
        "title": localized(programme, "title", lang),
        "programme_id": programme.id,
        "as_of": fmt.date(result.as_of),
        "generated_at": fmt.moment(generated_at) if generated_at else None,
        "reference": localized(programme, "reference", lang),
        "attention": _attention(result, fmt),
        "glance": _glance(result, fmt, headline),
        "on_track": {"rule": m("mon_on_track_rule", tolerance=fmt.pct(programme.on_track.tolerance, 0)),
                     "reference": localized(programme.on_track, "reference", lang)},
        "centres": _centres(result, fmt, headline),
        "women": _women(result, fmt),
        "indicators_table": _indicators_table(result, fmt),
        "quarantine": [{"file": r.source_file, "row": str(r.source_row), "dtc_id": r.dtc_id, "period": r.period,
                        "problems": r.problems} for r in result.quarantine.itertuples(index=False)],
        "definitions": _definitions(programme, fmt),
        "inputs": [{"role": m.mon_input_programme, "path": programme.path, "sha256": programme.sha256}]
                  + [{"role": m.mon_input_report, "path": f.path, "sha256": f.sha256} for f in result.taken.files],
        "software": [{"name": k, "version": v} for k, v in software_versions().items()],
    }


def _headline(programme: Programme) -> str:
    """The indicator the charts follow: the one with the most targets (people trained)."""
    counts = {i.id: sum(t.indicator == i.id for t in programme.targets) for i in programme.indicators}
    return max(programme.indicators, key=lambda i: counts[i.id]).id


def _name(programme: Programme, dtc_id: str, fmt: Formatter) -> str:
    if dtc_id == NETWORK:
        return fmt.m.mon_network
    centre = programme.centre_by_id[dtc_id]
    return f"{localized(centre, 'country', fmt.lang)} ({dtc_id})"


def _attention(result: Monitoring, fmt: Formatter) -> list[dict]:
    """Late and missing reports, missing first, then by centre and period."""
    late = result.status[result.status["status"].isin(["missing", "late"])]
    order = late.assign(_o=late["status"].map({"missing": 0, "late": 1})).sort_values(["_o"], kind="stable")
    return [{"centre": _name(result.programme, r.dtc_id, fmt), "period": r.period, "status": r.status,
             "status_text": fmt.m[f"mon_report_{r.status}"], "due_on": fmt.date(dt.date.fromisoformat(r.due_on)),
             "reported_on": fmt.date(dt.date.fromisoformat(r.reported_on)) if r.reported_on else "—"}
            for r in order.itertuples(index=False)]


def _row(result: Monitoring, dtc_id: str, indicator: str) -> pd.Series:
    table = result.progress
    return table[(table["dtc_id"] == dtc_id) & (table["indicator"] == indicator)].iloc[0]


def _figure(text: str, fmt: Formatter) -> str:
    return fmt.number(float(text)) if text else "—"


def _status_cell(row: pd.Series, fmt: Formatter) -> dict:
    return {"status": row["status"], "text": fmt.m[f"mon_status_{row['status']}"]}


def _glance(result: Monitoring, fmt: Formatter, headline: str) -> dict:
    programme, m = result.programme, fmt.m
    figures = []
    for indicator in programme.indicators:
        row = _row(result, NETWORK, indicator.id)
        share = f" ({fmt.pct(float(row['share_of_whole']))})" if row["share_of_whole"] else ""
        figures.append({"label": localized(indicator, "label", fmt.lang),
                        "value": _figure(row["achieved"], fmt) + share,
                        "target": _figure(row["target"], fmt) if row["target"] else "",
                        "example": bool(row["target"]) and row["target_example"] == "yes",  # marked as in section 3
                        "status": _status_cell(row, fmt) if row["target"] else None})
    counts = result.counts
    return {"figures": figures,
            "counts": [{"label": m[f"mon_count_{k}"], "value": fmt.integer(v)} for k, v in counts.items()],
            "headline": localized(programme.indicator_by_id[headline], "label", fmt.lang)}


def _centres(result: Monitoring, fmt: Formatter, headline: str) -> list[dict]:
    """Each centre (then the network) against its target on the headline indicator, behind first."""
    programme, m = result.programme, fmt.m
    periods = [str(p) for p in programme.periods]
    shown = []
    for dtc_id in [*programme.centre_by_id, NETWORK]:
        row = _row(result, dtc_id, headline)
        mine = result.values if dtc_id == NETWORK else result.values[result.values["dtc_id"] == dtc_id]
        per_period = mine.groupby("period")[headline].sum(min_count=1)
        running, cumulative = 0.0, []
        for period in periods:
            value = per_period.get(period)
            if value is None or pd.isna(value):
                cumulative.append(None)  # not reported: no point, the line goes on to the next report
                continue
            running += float(value)
            cumulative.append(running)
        target = programme.target_for(dtc_id, headline)
        span = None
        if target:
            names = [str(p) for p in programme.target_span(target)]
            span = (periods.index(names[0]), periods.index(names[-1]))
        name = _name(programme, dtc_id, fmt)
        label = m("mon_chart_label", centre=name, indicator=localized(programme.indicator_by_id[headline], "label", fmt.lang))
        shown.append({
            "id": f"centre-{dtc_id}", "name": name, "network": dtc_id == NETWORK,
            "institution": "" if dtc_id == NETWORK else programme.centre_by_id[dtc_id].institution or m.mon_institution_unknown,
            "target": _figure(row["target"], fmt) if row["target"] else m.mon_no_target,
            "example": row["target_example"] == "yes",
            "achieved": _figure(row["achieved"], fmt),
            "share": fmt.pct(float(row["share_of_target"])) if row["share_of_target"] else "—",
            "expected": _figure(row["expected"], fmt) if row["expected"] else "—",
            "elapsed": fmt.pct(elapsed_share(programme, programme.target_span(target), result.as_of), 0) if target else "—",
            "status": _status_cell(row, fmt),
            "missing": fmt.integer(int(row["periods_missing"])),
            "chart": progress_chart(periods, cumulative, target.value if target else None, span, fmt, label),
            "_order": (dtc_id == NETWORK, STATUS_ORDER[row["status"]]),
        })
    shown.sort(key=lambda c: c.pop("_order"))
    return shown


def _women(result: Monitoring, fmt: Formatter) -> list[dict]:
    """Women's share of each part-of indicator (women trained, women trainers), per centre."""
    programme, m = result.programme, fmt.m
    parts = []
    for part in (i for i in programme.indicators if i.share_of):
        rows = []
        for dtc_id in [*programme.centre_by_id, NETWORK]:
            share = _row(result, dtc_id, part.id)["share_of_whole"]
            rows.append((_name(programme, dtc_id, fmt), float(share) if share else None))
        label = localized(part, "label", fmt.lang)
        parts.append({"label": label, "chart": share_bars(rows, fmt, m("mon_share_label", part=label))})
    return parts


def _indicators_table(result: Monitoring, fmt: Formatter) -> dict:
    programme = result.programme
    headings = [localized(i, "label", fmt.lang) for i in programme.indicators]
    rows = []
    for dtc_id in [*programme.centre_by_id, NETWORK]:
        cells = [_figure(_row(result, dtc_id, i.id)["achieved"], fmt) for i in programme.indicators]
        rows.append({"name": _name(programme, dtc_id, fmt), "cells": cells})
    return {"headings": headings, "rows": rows}


def _definitions(programme: Programme, fmt: Formatter) -> dict:
    lang, m = fmt.lang, fmt.m

    def label(indicator_id: str) -> str:
        return localized(programme.indicator_by_id[indicator_id], "label", lang)

    indicators = [{"id": i.id, "label": localized(i, "label", lang), "unit": localized(i, "unit", lang),
                   "adds_up": m[f"mon_adds_up_{i.adds_up}"],
                   "how": (m("mon_sum_of", parts=" + ".join(label(p) for p in i.sum_of)) if i.sum_of else
                           m("mon_part_of", whole=label(i.share_of)) if i.share_of else m.mon_reported),
                   "description": localized(i, "description", lang), "reference": localized(i, "reference", lang)}
                  for i in programme.indicators]
    targets = [{"centre": _name(programme, t.dtc_id, fmt), "indicator": t.indicator, "value": fmt.number(t.value),
                "span": f"{programme.target_span(t)[0]} – {programme.target_span(t)[-1]}",
                "kind": m.mon_target_example if t.example else m("mon_target_published", source=localized(t, "source", lang)),
                "example": t.example, "reference": localized(t, "reference", lang)}
               for t in programme.targets]
    reporting = programme.reporting
    return {"indicators": indicators, "targets": targets,
            "reporting": m("mon_reporting_rule", period=m[f"mon_period_{reporting.period}"], days=reporting.due_days,
                           first=reporting.first_period, last=reporting.last_period),
            "reporting_text": localized(reporting, "description", lang),
            "reporting_reference": localized(reporting, "reference", lang)}
