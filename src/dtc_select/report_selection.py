"""The report's account of the seats: need worked out, quotients, alternatives, counterfactuals.

`selection_view(outcome, table)` turns `Outcome.explained` (selection_explained.SelectionExplained)
into plain text and tables for `templates/_selection.html.j2`; `table` is report.py's table
builder, passed in so both share one cell format. Everything a committee member needs to recompute
the seats by hand is here: each region's need with its numbers, then every quotient the divisor
method compared, in the order the seats were won.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

import pandas as pd

from dtc_select import vocabulary as vocab
from dtc_select.allocation import PRESENCE_QUOTA_RULE, UNFILLED_SEATS_RULE, with_article
from dtc_select.call_caps import presence_minimum
from dtc_select.needs import FORMULA_WORDS
from dtc_select.seats import DIVISOR_WORDS, METHOD_NAMES, divisor

if TYPE_CHECKING:
    from dtc_select.pipeline import Outcome

FORMULA_NAMES = {"offline_share_x_eligible_share": "Offline × eligible share",
                 "ldc_count": "LDC count", "people_offline_in_ldcs": "People offline in LDCs",
                 "explicit": "Explicit (call file)"}
PRESENCE_WORDS = {
    "bonus": "applied as a bonus of {bonus:g} added to the score of applicants from countries where ITU or Cisco is present",
    "tie_break": "applied as a tie-break: between equal scores, an applicant from a country where ITU or Cisco is present "
    "comes first",
    "quota": "applied as a quota: at least {seats} of the {total} seats ({share:g} of them, rounded up) for countries where "
    "ITU or Cisco is present",
    "none": "not applied in this call",
}
PEOPLE = (("application_id", "Application", "id"), ("institution_name", "Institution", "text"),
          ("country", "Country", "text"), ("region_label", "Region", "text"), ("rank", "Overall rank", "int"),
          ("status", "Status", "status"))
TEXT, NUM, INT = "text", "numtext", "int"


def _number(value: float) -> str:
    """Enough digits to recompute by hand; infinity for Huntington-Hill's first divisor."""
    return "∞" if math.isinf(value) else f"{value:.6g}"


def _region(code: str) -> str:
    return vocab.REGION_NAMES.get(code, code)


def selection_view(outcome: Outcome, table: Callable) -> dict | None:
    """Everything the template's selection part shows, formatted; None without an explanation."""
    explained = outcome.explained
    if explained is None:
        return None
    call, rules = outcome.call, outcome.call.allocation
    decisions = outcome.decisions.copy()
    decisions["country"] = [f"{n} ({c})" for n, c in zip(decisions["country_name"], decisions["country_iso3"])]
    decisions["region_label"] = decisions["region"].map(_region)
    eligible = decisions[decisions["status"] != "ineligible"].sort_values("rank", kind="stable")
    return {
        "formula": _formula(outcome, table),
        "method": {"name": METHOD_NAMES[rules.seat_method], "divisor": DIVISOR_WORDS.get(rules.seat_method)},
        "quotients": _quotients(explained.quotients, rules.seat_method, table),
        "cutoff": _cutoff(explained.quotients),
        "remainders": _remainders(outcome, table) if rules.seat_method == "largest_remainder" else None,
        "methods": _methods(explained.methods, rules.seat_method, table),
        "method_notes": _method_notes(explained.methods),
        "formulas": _formulas(explained, rules.need.formula, table),
        "past": [{"label": p["label"], "source": p["source"], "confidence": p["confidence"]} for p in explained.past],
        "comparison": _comparison(explained, outcome.seats, rules.need.formula),
        "unfilled_rule": UNFILLED_SEATS_RULE,
        "reallocated": table(eligible[eligible["seat_source"] == "reallocated"], PEOPLE),
        "left_empty": int(outcome.seats["left_empty"].sum()) if "left_empty" in outcome.seats else 0,
        "minimum_score": None if rules.minimum_score is None else f"{rules.minimum_score:.3f}",
        "below_minimum": int((eligible["score"] < rules.minimum_score).sum()) if rules.minimum_score is not None else 0,
        "presence": _presence(call, eligible, table),
        "shares": _shares(eligible, table),
        "previous": table(explained.previous.assign(region_label=explained.previous["region"].map(_region)),
                          (("id", "Centre", "id"), ("country_name", "Country", TEXT), ("region_label", "Region", TEXT),
                           ("phase", "Phase", TEXT), ("reference", "Source", TEXT))),
    }


def _formula(outcome: Outcome, table: Callable) -> dict:
    needs = outcome.needs.copy()
    needs["need_text"] = needs["need"].map(_number)
    needs["share"] = needs["need"] / needs["need"].sum()
    return {"name": FORMULA_NAMES[outcome.call.allocation.need.formula],
            "words": FORMULA_WORDS[outcome.call.allocation.need.formula],
            "table": table(needs, (("region_name", "Region", TEXT), ("working", "Worked out", TEXT),
                                   ("need_text", "Need", NUM), ("share", "Share of all needs", "pct")))}


def _quotients(quotients: pd.DataFrame | None, method: str, table: Callable) -> dict | None:
    """Regions as rows, one column per n (seats held): 'quotient → seat k' or 'quotient (next)'."""
    if quotients is None or quotients.empty:
        return None
    held = range(int(quotients["held"].min()), int(quotients["held"].max()) + 1)
    frame = pd.DataFrame(index=pd.Index(dict.fromkeys(quotients["region"]), name="region"))
    frame["region_label"] = frame.index.map(_region)
    columns = [("region_label", "Region", TEXT)]
    for n in held:
        d = divisor(method, n)
        heading = f"n = {n}: ÷ {_number(d)}" if method != "huntington_hill" or n == 0 else f"n = {n}: ÷ √{n * (n + 1)}"
        frame[f"n{n}"] = "—"
        columns.append((f"n{n}", heading, NUM))
    for region, start in quotients.groupby("region")["held"].min().items():
        for n in range(held.start, int(start)):
            frame.loc[region, f"n{n}"] = "earlier centre"
    for row in quotients.itertuples(index=False):
        won = "(next, no seat)" if pd.isna(row.won) else f"→ seat {row.won}"
        frame.loc[row.region, f"n{row.held}"] = f"{_number(row.quotient)} {won}"
    return table(frame, columns)


def _cutoff(quotients: pd.DataFrame | None) -> str | None:
    if quotients is None or quotients.empty:
        return None
    won, lost = quotients[quotients["won"].notna()], quotients[quotients["won"].isna()]
    parts = []
    if not won.empty:
        last = won.loc[won["won"].idxmax()]
        parts.append(f"The last seat (seat {last['won']}) went to {with_article(_region(last['region']))} at a quotient of "
                     f"{_number(last['quotient'])}")
    if not lost.empty:
        best = lost.loc[lost["quotient"].idxmax()]
        parts.append(f"the largest quotient left without a seat was {_region(best['region'])}'s "
                     f"{_number(best['quotient'])}")
    return "; ".join(parts) + "." if parts else None


def _remainders(outcome: Outcome, table: Callable) -> dict:
    seats = outcome.seats.copy()
    seats["region_label"] = seats.index.map(_region)
    seats["quota_text"] = seats["quota"].map(_number)
    seats["whole"] = seats["quota"].map(lambda q: math.floor(q + 1e-12))
    seats["remainder"] = (seats["quota"] - seats["whole"]).map(_number)
    return table(seats, (("region_label", "Region", TEXT), ("quota_text", "Exact quota", NUM),
                         ("whole", "Whole part", INT), ("remainder", "Remainder", NUM), ("seats", "Seats", INT)))


def _methods(methods: pd.DataFrame, used: str, table: Callable) -> dict:
    frame = methods.copy()
    frame["region_label"] = frame.index.map(_region)
    columns = [("region_label", "Region", TEXT)]
    for method, name in METHOD_NAMES.items():
        columns.append((method, name + (" (this call)" if method == used else ""), INT))
    columns.append(("qualified", "Qualified applicants", INT))
    return table(frame, columns)


def _method_notes(methods: pd.DataFrame) -> list[str]:
    notes = []
    for method, name in METHOD_NAMES.items():
        if methods[method].isna().all():
            notes.append(f"{name} cannot count the centres of earlier phases: not computed.")
            continue
        empty = [r for r in methods.index if methods.at[r, method] > 0 and methods.at[r, "qualified"] == 0]
        for r in empty:
            n = int(methods.at[r, method])
            notes.append(f"{name} would give {with_article(_region(r))} {n} seat{'s' if n != 1 else ''} although it has no "
                         f"qualified applicant: those seats would go elsewhere by the rule below.")
    return notes


def _formulas(explained, used: str, table: Callable) -> dict:
    frame = pd.DataFrame(index=explained.formulas.index)
    frame["region_label"] = frame.index.map(_region)
    columns = [("region_label", "Region", TEXT)]
    for past in explained.past:
        frame[past["outcome"]] = pd.Series(past["centres"])
        columns.append((past["outcome"], past["short_label"], INT))
    for formula in explained.formulas["seats"].columns:
        frame[formula] = explained.formulas[("seats", formula)]
        columns.append((formula, FORMULA_NAMES[formula] + (" (this call)" if formula == used else ""), INT))
    return table(frame, columns)


def _africa_first(seats: pd.Series) -> bool:
    return bool(seats["AFR"] >= seats.drop("AFR").max())


def _comparison(explained, seats: pd.DataFrame, used: str) -> list[dict]:
    """Sentences: does each formula give Africa the most seats, and how does this call's seats
    differ from each past outcome."""
    lines = []
    for formula in explained.formulas["seats"].columns:
        given = explained.formulas[("seats", formula)]
        ahead = [_region(r) for r in given.index if r != "AFR" and given[r] > given["AFR"]]
        text = (f"{FORMULA_NAMES[formula]}: Africa {int(given['AFR'])} seats, "
                + ("as many as or more than any other region, as the phase-1 committee placed them."
                   if not ahead else f"fewer than {', '.join(ahead)}: this contradicts what the phase-1 committee did."))
        lines.append({"text": text, "warning": bool(ahead), "this_call": formula == used})
    for past in explained.past:
        differences = [f"{_region(r)} {int(seats.at[r, 'seats'])} here, {n} then"
                       for r, n in past["centres"].items() if int(seats.at[r, "seats"]) != n]
        text = (f"Compared with {past['label']}: "
                + ("the same seats in every region." if not differences else "; ".join(differences) + "."))
        lines.append({"text": text, "warning": False, "this_call": True})
    return lines


def presence_in_words(call) -> str:
    """How the call applies the presence priority, completing "The priority is ..."."""
    priority = call.presence_priority
    return PRESENCE_WORDS[priority.method].format(bonus=priority.bonus, seats=presence_minimum(call),
                                                  total=call.allocation.seats, share=priority.minimum_share or 0)


def _presence(call, eligible: pd.DataFrame, table: Callable) -> dict:
    priority = call.presence_priority
    words = presence_in_words(call)
    without = eligible["selected_without_presence_priority"]
    selected = eligible["status"] == "selected"
    known = without.notna()
    return {"method": priority.method, "words": words, "quota_rule": PRESENCE_QUOTA_RULE if priority.method == "quota" else None,
            "applied": priority.method != "none",
            "gained": table(eligible[known & selected & ~without.fillna(False).astype(bool)], PEOPLE),
            "lost": table(eligible[known & ~selected & without.fillna(False).astype(bool)], PEOPLE)}


def _shares(eligible: pd.DataFrame, table: Callable) -> dict:
    by_rank = eligible["selected_without_regional_shares"].fillna(False).astype(bool)
    selected = eligible["status"] == "selected"
    return {"gained": table(eligible[selected & ~by_rank], PEOPLE),
            "displaced": table(eligible[~selected & by_rank], PEOPLE),
            "by_rank": table(eligible[by_rank], PEOPLE)}

