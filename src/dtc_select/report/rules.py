"""The call's rules in words, for the report: minimum qualifications, criteria and weights, the
scoring method, the tie-break, presence priority, the need formula and the seat method, each with
its Annex reference, in the report's language (the call file's `*_fr` texts in French)."""

from __future__ import annotations

from dtc_select.seats import allocation
from dtc_select.ranking import scoring
from dtc_select.report.i18n import Formatter, localized
from dtc_select.report.selection import presence_in_words


def call_view(call, fmt: Formatter) -> dict:
    lang, m = fmt.lang, fmt.m
    deadline = call.deadline.value
    total = sum(c.weight for c in call.criteria)
    scoring, alloc, presence, status = call.scoring, call.allocation, call.presence_priority, call.country_status
    text = lambda item, attribute="description": localized(item, attribute, lang)  # noqa: E731
    return {
        "id": call.id, "title": text(call, "title"), "reference": text(call, "reference"),
        "deadline": f"{fmt.date(deadline)}, {deadline:%H:%M:%S} UTC",
        "deadline_description": text(call.deadline), "deadline_reference": text(call.deadline, "reference"),
        "rules": [{"id": r.id, "description": text(r), "reference": text(r, "reference")} for r in call.rules],
        "criteria": [{"id": c.id, "label": text(c, "label") or c.id, "description": text(c),
                      "reference": text(c, "reference"), "weight": fmt.pct(c.weight / total),
                      "reviewer_scored": c.reviewer_scored, "measures": [measure(x, fmt) for x in c.measures]}
                     for c in call.criteria],
        "scoring": {"description": text(scoring), "reference": text(scoring, "reference"),
                    "method": m[f"method_{scoring.method}"] if f"method_{scoring.method}" in m else scoring.method,
                    "reviewer_share": fmt.pct(scoring.reviewer_share, 0),
                    "application_share": fmt.pct(1 - scoring.reviewer_share, 0),
                    "scale": m("scale_range", low=fmt.number(scoring.scale.min), high=fmt.number(scoring.scale.max)),
                    "tie_break": tie_break_words(call, fmt)},
        "presence": {"description": text(presence), "reference": text(presence, "reference"),
                     "applied_as": presence_in_words(call, fmt), "itu_offices": fmt.yes_no(presence.itu_offices),
                     "countries": ", ".join(presence.countries) or m.none_listed,
                     "source": (text(presence, "countries_source") if presence.countries_source else "")},
        "allocation": {"seats": alloc.seats, "reserve_per_region": alloc.reserve_per_region,
                       "description": text(alloc), "reference": text(alloc, "reference"),
                       "max_per_country": m.no_limit if alloc.max_per_country is None else alloc.max_per_country,
                       "minimum_score": m.none_set if alloc.minimum_score is None else fmt.decimal(alloc.minimum_score),
                       "seat_method": _seat_method(alloc.seat_method, fmt),
                       "need_description": text(alloc.need), "need_reference": text(alloc.need, "reference")},
        "country_status": {"description": text(status), "reference": text(status, "reference"),
                           "classification": text(status, "classification"), "as_of": fmt.date(status.as_of)},
        "path": call.path,
    }


# In English, the stages' own words (so the report never drifts from them); else the catalogue's.
def _seat_method(method: str, fmt: Formatter) -> str:
    return allocation.describe_seat_method(method) if fmt.lang == "en" else fmt.m[f"seat_method_{method}"]


def tie_break_words(call, fmt: Formatter) -> list[str]:
    """The tie-break chain in the report's language, presence of ITU or Cisco first when the call
    applies the priority as a tie-break."""
    if fmt.lang == "en":
        return scoring.tie_break_in_words(call)
    return [fmt.m[f"tie_{key}_{order}"] for key, order in scoring.tie_break_chain(call)]


def measure(item, fmt: Formatter) -> dict:
    """How an application column feeds a criterion, in words (the column's name kept apart: code)."""
    m = fmt.m
    key = f"field_{item.column}"
    label = m[key] if key in m else item.column
    if item.transform == "saturate":
        rule = m("measure_saturate", at=fmt.number(item.at))
    elif item.transform == "boolean":
        rule = f"{m.yes} = 1, {m.no} = 0"
    else:
        rule = ", ".join(f"{fmt.choice(item.column, k)} = {fmt.number(v)}" for k, v in item.values.items())
    return {"label": label, "column": item.column, "rule": rule}
