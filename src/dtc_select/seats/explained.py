"""What decided the seats, and what the caps and the priority changed: the report's working.

Nothing here changes a decision; it explains the one `allocation.allocate` made:
- how the seats were shared (the divisor method's quotients, what the other usual methods and
  the other shipped need formulas would have given, past outcomes beside them);
- the counterfactuals: who a pure global ranking would select (no regional shares; the country
  cap, the minimum score and earlier centres still apply), and who the presence priority moved in
  or out (the same call rerun with the priority off, `call_caps.without_presence_priority`).
  Both run the same selection engine as the decision (`engine.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dtc_select.seats import needs as need_formulas
from dtc_select.seats import engine
from dtc_select.seats.allocation import Allocation
from dtc_select.seats.contest import Cap
from dtc_select.seats.trace import allocation_contest
from dtc_select.call.model import Call
from dtc_select.reasons.model import Reason, reason
from dtc_select.reference.countries import CountryTable
from dtc_select.reference.regional import past_outcome
from dtc_select.seats.per_region import DIVISOR_METHODS, REGIONS, compare_methods, seat_quotients, seats_per_region

PER_APPLICATION = ("selected_without_regional_shares", "selected_without_presence_priority",
                   "counterfactual_reasons")


@dataclass(frozen=True)
class SelectionExplained:
    """`quotients`: seats.seat_quotients of the call's method (None for largest remainder).
    `methods`: seats per region under each method, with `qualified` applicants per region.
    `formulas`: seats per region (call's method) under each shipped need formula, and its need.
    `past`: past outcomes the call compares with (regional_reference.past_outcome dicts).
    `previous`: centres of earlier phases (call_caps.PREVIOUS_COLUMNS).
    `per_application`: indexed like the ranked applicants, PER_APPLICATION columns."""

    quotients: pd.DataFrame | None
    methods: pd.DataFrame
    formulas: pd.DataFrame
    past: tuple[dict, ...]
    previous: pd.DataFrame
    presence_minimum: int
    per_application: pd.DataFrame


def selected_by_rank_alone(candidates: pd.DataFrame, seats: int, *, max_per_country: int | None,
                           minimum_score: float | None, previous: pd.DataFrame | None = None,
                           caps: tuple[Cap, ...] = ()) -> pd.Series:
    """True for the applicants a pure global ranking would select: best rank first, up to `seats`,
    under the country cap (earlier centres counted), any other cap (`caps`) and the minimum score;
    no regional shares. The selection engine run with every applicant in one region holding
    all the seats, and no presence quota."""
    contest = allocation_contest(candidates.assign(region=REGIONS[0]), _all_in_the_first_region(seats), max_per_country=max_per_country,
                                 reserve_per_region=0, minimum_score=minimum_score, previous=previous,
                                 presence_minimum=0, caps=caps)
    order = np.argsort(candidates["rank"].to_numpy(), kind="stable")
    score = candidates["score"].to_numpy(dtype=float)
    passes = np.ones(len(order), dtype=bool) if minimum_score is None else score >= minimum_score
    chosen = engine.selected_under_caps(contest, order[None, :], passes[None, :])[0]
    return pd.Series(chosen, index=candidates.index)


def _all_in_the_first_region(seats: int) -> pd.DataFrame:
    """A seats table giving all `seats` to the first region and none to the others."""
    return pd.DataFrame({"seats": [seats] + [0] * (len(REGIONS) - 1)}, index=pd.Index(REGIONS, name="region"))


def qualified_per_region(candidates: pd.DataFrame, *, max_per_country: int | None,
                         minimum_score: float | None, previous: pd.DataFrame | None = None) -> pd.Series:
    """Eligible applicants per region that could take a seat: at or above the minimum score, from a
    country whose earlier centres leave room under the cap."""
    ok = pd.Series(True, index=candidates.index)
    if minimum_score is not None:
        ok &= candidates["score"] >= minimum_score
    if max_per_country is not None and previous is not None and not previous.empty:
        held = previous["country_iso3"].value_counts()
        ok &= candidates["country_iso3"].map(held).fillna(0) < max_per_country
    return candidates.loc[ok, "region"].value_counts().reindex(REGIONS, fill_value=0).astype("int64")


def explain_selection(call: Call, candidates: pd.DataFrame, allocated: Allocation, needs: pd.DataFrame,
                      table: CountryTable, previous: pd.DataFrame, presence_minimum: int,
                      selected_without_priority: pd.Series | None) -> SelectionExplained:
    """The working and the counterfactuals of one selection (see module docstring)."""
    rules = call.allocation
    earlier = None if previous.empty else previous
    already = None if earlier is None else {str(r): int(n) for r, n in previous["region"].value_counts().items()}
    need = needs["need"].to_dict()
    quotients = (seat_quotients(need, rules.seats, rules.seat_method, already=already)
                 if rules.seat_method in DIVISOR_METHODS else None)
    methods = compare_methods(need, rules.seats, already=already)
    methods["qualified"] = qualified_per_region(candidates, max_per_country=rules.max_per_country,
                                                minimum_score=rules.minimum_score, previous=earlier)
    formulas = _formula_seats(call, table, already)
    past = tuple(past_outcome(o) for o in (rules.compare_with.outcomes if rules.compare_with else ()))

    status = allocated.decisions["status"]
    by_rank = selected_by_rank_alone(candidates, rules.seats, max_per_country=rules.max_per_country,
                                     minimum_score=rules.minimum_score, previous=earlier,
                                     caps=allocated.trace.contest.extra_caps if allocated.trace else ())
    per_application = pd.DataFrame(index=candidates.index)
    per_application["selected_without_regional_shares"] = by_rank.astype("boolean")
    without = (pd.Series(pd.NA, index=candidates.index, dtype="boolean") if selected_without_priority is None
               else selected_without_priority.reindex(candidates.index).astype("boolean"))
    per_application["selected_without_presence_priority"] = without
    per_application["counterfactual_reasons"] = [
        _counterfactuals(s == "selected", bool(r), w) for s, r, w in zip(status.reindex(candidates.index), by_rank, without)]
    return SelectionExplained(quotients, methods, formulas, past, previous, presence_minimum, per_application)


def _formula_seats(call: Call, table: CountryTable, already: dict | None) -> pd.DataFrame:
    """Need and seats (by the call's method) per region under each shipped need formula, plus
    the call's own formula when it is `explicit`."""
    rules = call.allocation
    formulas = list(need_formulas.SHIPPED_FORMULAS)
    if rules.need.formula not in formulas:
        formulas.append(rules.need.formula)
    columns = {}
    for formula in formulas:
        need = need_formulas.regional_needs(call, table, formula)["need"]
        columns[("need", formula)] = need
        columns[("seats", formula)] = seats_per_region(need.to_dict(), rules.seats, rules.seat_method,
                                                       already=already)["seats"]
    return pd.DataFrame(columns)


def _counterfactuals(selected: bool, by_rank: bool, without_priority) -> list[Reason]:
    """What the regional shares and the presence priority changed for this applicant."""
    reasons = []
    if selected and not by_rank:
        reasons.append(reason("counterfactual.global_not"))
    elif not selected and by_rank:
        reasons.append(reason("counterfactual.displaced"))
    if without_priority is not pd.NA and without_priority is not None:
        if selected and not without_priority:
            reasons.append(reason("counterfactual.priority_gained"))
        elif not selected and without_priority:
            reasons.append(reason("counterfactual.priority_lost"))
    return reasons
