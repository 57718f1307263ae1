"""The report's account of the seats: need worked out, quotients, alternatives, counterfactuals.

`selection_view(outcome, decisions, fmt)` turns `Outcome.explained`
(selection_explained.SelectionExplained) into text and tables for `templates/_selection.html.j2`,
in the report's language: words from the catalogue (`templates/messages_selection_<lang>.yaml`),
numbers through the Formatter, tables through report_tables.table. Everything a committee member
needs to recompute the seats by hand is here: each region's need with its numbers, then every
quotient the divisor method compared, in the order the seats were won.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from dtc_select.call.caps import presence_minimum
from dtc_select.reference.countries import load_country_table
from dtc_select.reference.indicators import EditionChoice, call_edition
from dtc_select.report.i18n import Formatter, missing
from dtc_select.report.tables import table
from dtc_select.seats.per_region import DIVISOR_WORDS, METHOD_NAMES, divisor

if TYPE_CHECKING:
    from dtc_select.pipeline import Outcome

PEOPLE = (("application_id", "col_application", "id"), ("institution_name", "col_institution", "text"),
          ("country", "col_country", "text"), ("region_label", "col_region", "text"),
          ("rank", "col_rank_overall", "int"), ("status", "col_status", "status"))
PREVIOUS = (("id", "sel_col_centre", "id"), ("country", "col_country", "text"), ("region_label", "col_region", "text"),
            ("phase", "sel_col_phase", "text"), ("reference", "col_source", "text"))
TEXT, NUM, INT, PLAIN = "text", "numtext", "int", "plain"


def sentence(text: str) -> str:
    """`text` with a capital first letter, for a catalogue phrase that starts a sentence."""
    return text[:1].upper() + text[1:]


def selection_view(outcome: Outcome, decisions: pd.DataFrame, fmt: Formatter) -> dict | None:
    """Everything the template's selection part shows, formatted; None without an explanation.
    `decisions`: report.py's prepared frame (country and region_label in the report's language)."""
    explained = outcome.explained
    if explained is None:
        return None
    m, call, rules = fmt.m, outcome.call, outcome.call.allocation
    eligible = decisions[decisions["status"] != "ineligible"].sort_values("rank", kind="stable")
    method = rules.seat_method
    left_empty = int(outcome.seats["left_empty"].sum()) if "left_empty" in outcome.seats else 0
    below = int((eligible["score"] < rules.minimum_score).sum()) if rules.minimum_score is not None else 0
    return {
        "formula": _formula(outcome, fmt),
        "method": {"the": m[f"sel_method_the_{method}"], "divisor": DIVISOR_WORDS.get(method)},
        "quotients": _quotients(explained.quotients, method, fmt),
        "cutoff": _cutoff(explained.quotients, fmt),
        "remainders": _remainders(outcome, fmt) if method == "largest_remainder" else None,
        "methods": _methods(explained.methods, method, fmt),
        "method_notes": _method_notes(explained.methods, fmt),
        "formulas": _formulas(explained, rules.need.formula, fmt),
        "past": [m("sel_past_source", label=_past(p, "label", fmt), source=_past(p, "source", fmt),
                   confidence=", ".join(m[f"sel_confidence_{c}"] for c in p["confidence"].split(", ")))
                 for p in explained.past],
        "comparison": _comparison(explained, outcome.seats, rules.need.formula, fmt),
        "reallocated": table(eligible[eligible["seat_source"] == "reallocated"], PEOPLE, fmt),
        "left_empty": None if not left_empty else m("sel_left_empty_one" if left_empty == 1 else "sel_left_empty_many",
                                                   n=fmt.integer(left_empty)),
        "minimum": None if rules.minimum_score is None else m(
            _counted("sel_minimum", below, fmt), score=fmt.decimal(rules.minimum_score), n=fmt.integer(below)),
        "presence": _presence(call, eligible, fmt),
        "shares": _shares(eligible, fmt),
        "previous": table(_previous(explained.previous, fmt), PREVIOUS, fmt, links=False),
    }


def _counted(key: str, n: int, fmt: Formatter) -> str:
    """`key`_one or `key`_many: French counts 0 and 1 as singular, English only 1."""
    return f"{key}_one" if n == 1 or (n == 0 and fmt.lang == "fr") else f"{key}_many"


def _seats(n: int, fmt: Formatter) -> str:
    return fmt.m.seat_one if n == 1 else fmt.m("seat_many", n=fmt.integer(n))


def _past(past: dict, text: str, fmt: Formatter) -> str:
    """A past outcome's label, short label or source (past_outcomes.csv) in the report's language."""
    return past[text if fmt.lang == "en" else f"{text}_{fmt.lang}"]


def _formula(outcome: Outcome, fmt: Formatter) -> dict:
    formula = outcome.call.allocation.need.formula
    needs = outcome.needs.copy()
    needs["region_label"] = [fmt.region(r) for r in needs.index]
    needs["working"] = working(needs, formula, fmt)
    needs["share"] = needs["need"] / needs["need"].sum()
    return {"name": fmt.m[f"sel_formula_name_{formula}"], "words": fmt.m[f"sel_formula_words_{formula}"],
            "edition": indicator_edition_text(call_edition(outcome.call), fmt),
            "table": table(needs, (("region_label", "col_region", TEXT), ("working", "sel_col_worked_out", TEXT),
                                   ("need", "col_need", PLAIN), ("share", "sel_col_share_of_needs", "pct")), fmt)}


def indicator_edition_text(choice: EditionChoice, fmt: Formatter) -> str:
    """Which edition of ITU's Internet-use figures the formulas used, and why (indicators.py)."""
    edition = choice.edition
    return fmt.m(f"sel_indicator_{choice.chosen}", title=edition.title_fr if fmt.lang == "fr" else edition.title,
                 published=fmt.date(edition.published), as_of=fmt.date(choice.as_of))


def working(needs: pd.DataFrame, formula: str, fmt: Formatter) -> list[str]:
    """Each region's need written out with its numbers (needs.regional_needs' `working`, in the
    report's language), so a committee member can recompute it by hand."""
    template = fmt.m[f"sel_working_{formula}"]
    rows = []
    for row in needs.to_dict("records"):
        fields = {"need": fmt.plain(row["need"]) if formula == "explicit" else fmt.decimal(row["need"], 6)}
        if "ldc_states" in row:
            fields["ldc_states"] = fmt.integer(row["ldc_states"])
        if "offline_share" in row:
            fields.update(internet_use=fmt.plain(row["internet_use_percent"]),
                          offline_share=fmt.decimal(row["offline_share"], 3))
        if "eligible_share" in row:
            fields.update(eligible_states=fmt.integer(row["eligible_states"]),
                          member_states=fmt.integer(row["member_states"]),
                          eligible_share=fmt.decimal(row["eligible_share"], 6))
        if "ldc_population_millions" in row:
            fields["population"] = fmt.decimal(row["ldc_population_millions"], 3)
        rows.append(template.format(**fields))
    return rows


def _quotients(quotients: pd.DataFrame | None, method: str, fmt: Formatter) -> dict | None:
    """Regions as rows, one column per n (seats held): 'quotient → seat k' or 'quotient (next)'."""
    if quotients is None or quotients.empty:
        return None
    m = fmt.m
    held = range(int(quotients["held"].min()), int(quotients["held"].max()) + 1)
    frame = pd.DataFrame(index=pd.Index(dict.fromkeys(quotients["region"]), name="region"))
    frame["region_label"] = [fmt.region(r) for r in frame.index]
    columns = [("region_label", "col_region", TEXT)]
    for n in held:
        shown = fmt.plain(divisor(method, n)) if method != "huntington_hill" or n == 0 else f"√{n * (n + 1)}"
        frame[f"n{n}"] = "—"
        columns.append((f"n{n}", m("sel_quotient_heading", n=n, divisor=shown), NUM))
    for region, start in quotients.groupby("region")["held"].min().items():
        for n in range(held.start, int(start)):
            frame.loc[region, f"n{n}"] = m.sel_earlier_centre
    for row in quotients.itertuples(index=False):
        quotient = fmt.plain(row.quotient)
        frame.loc[row.region, f"n{row.held}"] = (m("sel_quotient_next", quotient=quotient) if pd.isna(row.won) else
                                                 m("sel_quotient_won", quotient=quotient, seat=fmt.integer(row.won)))
    return table(frame, columns, fmt)


def _cutoff(quotients: pd.DataFrame | None, fmt: Formatter) -> str | None:
    if quotients is None or quotients.empty:
        return None
    won, lost = quotients[quotients["won"].notna()], quotients[quotients["won"].isna()]
    parts = []
    if not won.empty:
        last = won.loc[won["won"].idxmax()]
        parts.append(fmt.m("sel_cutoff_won", seat=fmt.integer(last["won"]), region=fmt.region(last["region"], "to"),
                           quotient=fmt.plain(last["quotient"])))
    if not lost.empty:
        best = lost.loc[lost["quotient"].idxmax()]
        parts.append(fmt.m("sel_cutoff_lost", region=fmt.region(best["region"], "poss"),
                           quotient=fmt.plain(best["quotient"])))
    return sentence(fmt.m.parts_joiner.join(parts)) + "." if parts else None


def _remainders(outcome: Outcome, fmt: Formatter) -> dict:
    seats = outcome.seats.copy()
    seats["region_label"] = [fmt.region(r) for r in seats.index]
    seats["whole"] = seats["quota"].map(lambda q: math.floor(q + 1e-12))
    seats["remainder"] = seats["quota"] - seats["whole"]
    return table(seats, (("region_label", "col_region", TEXT), ("quota", "col_quota", PLAIN),
                         ("whole", "sel_col_whole_part", INT), ("remainder", "sel_col_remainder", PLAIN),
                         ("seats", "col_seats", INT)), fmt)


def _this_call(name: str, this_call: bool, fmt: Formatter) -> str:
    return fmt.m("sel_this_call", name=name) if this_call else name


def _methods(methods: pd.DataFrame, used: str, fmt: Formatter) -> dict:
    frame = methods.copy()
    frame["region_label"] = [fmt.region(r) for r in frame.index]
    columns = [("region_label", "col_region", TEXT)]
    for method in METHOD_NAMES:
        columns.append((method, _this_call(fmt.m[f"sel_method_name_{method}"], method == used, fmt), INT))
    columns.append(("qualified", "sel_col_qualified", INT))
    return table(frame, columns, fmt)


def _method_notes(methods: pd.DataFrame, fmt: Formatter) -> list[str]:
    notes = []
    for method in METHOD_NAMES:
        name = sentence(fmt.m[f"sel_method_the_{method}"])
        if methods[method].isna().all():
            notes.append(fmt.m("sel_note_not_computed", method=name))
            continue
        for r in methods.index:
            if methods.at[r, method] > 0 and methods.at[r, "qualified"] == 0:
                notes.append(fmt.m("sel_note_no_qualified", method=name, region=fmt.region(r, "to"),
                                   seats=_seats(int(methods.at[r, method]), fmt)))
    return notes


def _formulas(explained, used: str, fmt: Formatter) -> dict:
    frame = pd.DataFrame(index=explained.formulas.index)
    frame["region_label"] = [fmt.region(r) for r in frame.index]
    columns = [("region_label", "col_region", TEXT)]
    for past in explained.past:
        frame[past["outcome"]] = pd.Series(past["centres"])
        columns.append((past["outcome"], _past(past, "short_label", fmt), INT))
    for formula in explained.formulas["seats"].columns:
        frame[formula] = explained.formulas[("seats", formula)]
        columns.append((formula, _this_call(fmt.m[f"sel_formula_name_{formula}"], formula == used, fmt), INT))
    return table(frame, columns, fmt)


def _comparison(explained, seats: pd.DataFrame, used: str, fmt: Formatter) -> list[dict]:
    """Sentences: does each formula give Africa the most seats, and how does this call's seats
    differ from each past outcome."""
    m, lines = fmt.m, []
    for formula in explained.formulas["seats"].columns:
        given = explained.formulas[("seats", formula)]
        ahead = [fmt.region(r, "the") for r in given.index if r != "AFR" and given[r] > given["AFR"]]
        fields = {"formula": m[f"sel_formula_name_{formula}"], "africa": fmt.region("AFR"),
                  "seats": _seats(int(given["AFR"]), fmt)}
        text = m("sel_africa_behind", regions=", ".join(ahead), **fields) if ahead else m("sel_africa_first", **fields)
        lines.append({"text": text, "warning": bool(ahead), "this_call": formula == used})
    for past in explained.past:
        label = _past(past, "label", fmt)
        differences = [m("sel_difference", region=fmt.region(r), here=fmt.integer(seats.at[r, "seats"]),
                         then=fmt.integer(n))
                       for r, n in past["centres"].items() if int(seats.at[r, "seats"]) != n]
        text = (m("sel_compared", label=label, differences=m.parts_joiner.join(differences)) if differences
                else m("sel_compared_same", label=label))
        lines.append({"text": text, "warning": False, "this_call": True})
    return lines


def presence_in_words(call, fmt: Formatter) -> str:
    """How the call applies the presence priority, completing "The priority is ..."."""
    priority = call.presence_priority
    fields = {"bonus": {"bonus": fmt.plain(priority.bonus)},
              "quota": {"seats": fmt.integer(presence_minimum(call)), "total": fmt.integer(call.allocation.seats),
                        "share": fmt.plain(priority.minimum_share or 0)}}.get(priority.method, {})
    return fmt.m(f"sel_presence_{priority.method}", **fields)


def _presence(call, eligible: pd.DataFrame, fmt: Formatter) -> dict:
    method = call.presence_priority.method
    without = eligible["selected_without_presence_priority"]
    selected = eligible["status"] == "selected"
    known = without.notna()
    return {"words": presence_in_words(call, fmt), "quota": method == "quota", "applied": method != "none",
            "gained": table(eligible[known & selected & ~without.fillna(False).astype(bool)], PEOPLE, fmt),
            "lost": table(eligible[known & ~selected & without.fillna(False).astype(bool)], PEOPLE, fmt)}


def _shares(eligible: pd.DataFrame, fmt: Formatter) -> dict:
    by_rank = eligible["selected_without_regional_shares"].fillna(False).astype(bool)
    selected = eligible["status"] == "selected"
    return {"gained": table(eligible[selected & ~by_rank], PEOPLE, fmt),
            "displaced": table(eligible[~selected & by_rank], PEOPLE, fmt)}


def _previous(previous: pd.DataFrame, fmt: Formatter) -> pd.DataFrame:
    """Earlier centres with their country and region named in the report's language."""
    frame = previous.copy()
    countries = load_country_table()
    frame["country"] = [_country(countries, iso3, name, fmt.lang)
                        for iso3, name in zip(frame["country_iso3"], frame["country_name"])]
    frame["region_label"] = [fmt.region(r) for r in frame["region"]]
    return frame


def _country(countries, iso3: str, english, lang: str) -> str:
    if lang == "fr" and not missing(iso3):
        try:
            return countries.name_fr(iso3)
        except KeyError:
            pass
    return str(english)
