"""allocate on the engine: its statuses, seat sources and reserve positions are the slow
reference's (tests/selection_oracle.py) on random contests, and its trace says, as data, how each
seat was taken and whom it displaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings

from dtc_select.call.caps import presence_minimum
from dtc_select.ranking.scoring import score_applications
from dtc_select.seats import allocation
from dtc_select.seats.trace import TRACE_COLUMNS
from tests import selection_oracle as oracle
from tests.contests import contest_case
from tests.seats.test_allocation import by_id, make_ranked, make_seats

SOURCES = {0: None, 1: "regional", 2: "reallocated", 3: "presence_quota"}


def allocated(eligible, ranked, seats, call):
    frame = eligible[["application_id", "country_iso3", "country_name", "region", "presence"]].join(
        ranked[["score", "rank"]])
    previous = pd.DataFrame([{"id": c.id, "country_iso3": c.country, "region": c.region}
                             for c in call.previous_centres], columns=["id", "country_iso3", "region"])
    rules = call.allocation
    return allocation.allocate(frame, seats, max_per_country=rules.max_per_country,
                               reserve_per_region=rules.reserve_per_region, minimum_score=rules.minimum_score,
                               previous=None if previous.empty else previous,
                               presence_minimum=presence_minimum(call))


@settings(max_examples=150, deadline=None)
@given(case=contest_case())
def test_allocate_decides_every_applicant_as_the_slow_reference_does(call, case):
    changed, eligible, seats = case
    ruled = changed(call)
    ranked = score_applications(eligible, None, ruled)
    result = allocated(eligible, ranked, seats, ruled)
    contest = result.trace.contest
    order = np.argsort(ranked["rank"].to_numpy(), kind="stable").tolist()
    minimum = ruled.allocation.minimum_score
    passes = [minimum is None or s >= minimum for s in ranked["score"]]
    expected = oracle.decide(contest, order, [passes[i] for i in order])
    status, source, reserve = [None] * len(order), [None] * len(order), [None] * len(order)
    for p, i in enumerate(order):
        source[i] = SOURCES[expected.seat[p]]
        reserve[i] = expected.reserve[p] or None
        status[i] = "selected" if expected.seat[p] else "reserve" if expected.reserve[p] else "not_selected"
    decisions = result.decisions
    assert decisions["status"].tolist() == status
    assert [None if pd.isna(x) else x for x in decisions["seat_source"]] == source
    assert [None if pd.isna(r) else int(r) for r in decisions["reserve_position"]] == reserve
    # The seats table is the trace's: what each region gave and received.
    given_up = [0] * len(contest.seats)
    for g in expected.giver:
        if g >= 0:
            given_up[g] += 1
    assert result.seats["unfilled_to_others"].tolist() == given_up
    assert (result.seats["unfilled_to_others"] + result.seats["left_empty"]).tolist() == expected.unfilled


def test_the_trace_says_how_each_seat_was_taken_and_whom_the_presence_quota_displaced():
    # Africa's two seats go to; Europe's seat, unfilled, to A-4, the best remaining;
    # then the quota (one seat) gives A-2's seat to A-3, the best from a country with presence.
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8),
                          ("A-4", "NPL", "ASP", 0.75), ("A-3", "SEN", "AFR", 0.7)])
    ranked = ranked.assign(presence=ranked["country_iso3"].isin({"SEN"}))
    result = allocation.allocate(ranked, make_seats(AFR=2, EUR=1), presence_minimum=1)
    trace = result.trace.per_applicant.set_axis(ranked["application_id"].tolist()).sort_index()
    assert list(trace.columns) == list(TRACE_COLUMNS)
    assert trace["seat_source"].tolist() == ["regional", None, "presence_quota", "reallocated"]
    assert trace["regional_pass"].tolist() == [True, True, False, False]
    assert trace.at["A-3", "took_seat_of"] == "A-2" and trace.at["A-2", "lost_seat_to"] == "A-3"
    assert trace["seat_from_region"].tolist() == [None, None, None, "EUR"]
    assert trace["reserve_position"].tolist() == [pd.NA, 1, pd.NA, pd.NA]
    assert result.trace.unfilled == {"AFR": 0, "AMS": 0, "ARB": 0, "ASP": 0, "CIS": 0, "EUR": 1}
    decided = by_id(result, ranked).sort_index()
    assert decided["seat_source"].fillna("none").tolist() == trace["seat_source"].fillna("none").tolist()
    assert "took the seat of A-2" in decided.at["A-3", "reasons"]
