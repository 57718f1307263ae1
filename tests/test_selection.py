"""The vectorised selection: the same applicants as allocation.allocate, the same order as the
scoring stage, and margins that are exactly where the selection changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select import allocation, pipeline, selection
from dtc_select.call_caps import presence_minimum
from dtc_select.scoring import ranking_order, score_applications
from tests.contests import contest_case, with_rules
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def example(call):
    applications = pipeline.take_in_applications(EXAMPLES / "applications.csv", call)
    checked = pipeline.check_eligibility(applications, call)
    scores = pipeline.take_in_scores(EXAMPLES / "scores.csv", call, applications)
    ranked = pipeline.rank_eligible(checked, scores, call)
    _, allocated = pipeline.select(checked, ranked, call)
    return checked.loc[ranked.index], ranked, allocated


def test_for_the_call_s_weights_it_selects_exactly_the_applicants_allocation_allocate_selects(call, example):
    eligible, ranked, allocated = example
    contest = selection.contest_from(eligible, ranked, allocated.seats, call)
    chosen, order, score = selection.select_for_merit(contest, ranked["merit_score"].to_numpy()[None, :])
    expected = allocated.decisions["status"].eq("selected").to_numpy()
    assert chosen[0].tolist() == expected.tolist()
    assert expected.sum() == call.allocation.seats
    assert score[0].tolist() == ranked["score"].tolist()
    assert ranked.index[order[0]].tolist() == ranked.sort_values("rank").index.tolist()


@settings(max_examples=60, deadline=None)
@given(case=contest_case())
def test_on_any_contest_it_selects_as_allocation_allocate_and_orders_as_the_scoring_stage(call, case):
    eligible, rules, seats, chain = case
    assert_mirrors_allocate(eligible, seats, with_rules(call, rules, chain))


def assert_mirrors_allocate(eligible, seats, call) -> None:
    """The vectorised selection orders as the scoring stage and selects as allocate, for `call`."""
    ranked = score_applications(eligible, None, call)
    expected = allocate_status(eligible, ranked, seats, call)
    contest = selection.contest_from(eligible, ranked, seats, call)
    chosen, order, _ = selection.select_for_merit(contest, ranked["merit_score"].to_numpy()[None, :])
    assert ranked.index[order[0]].tolist() == list(ranking_order(eligible, ranked, call))
    assert chosen[0].tolist() == expected.eq("selected").tolist()


def allocate_status(eligible, ranked, seats, call) -> pd.Series:
    """allocate's statuses under the call's rules, earlier centres and presence quota included."""
    frame = eligible[["application_id", "country_iso3", "country_name", "region", "presence"]].join(
        ranked[["score", "rank"]])
    previous = pd.DataFrame([{"id": c.id, "country_iso3": c.country, "region": c.region}
                             for c in call.previous_centres], columns=["id", "country_iso3", "region"])
    rules = call.allocation
    return allocation.allocate(frame, seats, max_per_country=rules.max_per_country,
                               reserve_per_region=rules.reserve_per_region, minimum_score=rules.minimum_score,
                               previous=None if previous.empty else previous,
                               presence_minimum=presence_minimum(call)).decisions["status"]


@settings(max_examples=40, deadline=None)
@given(case=contest_case(), data=st.data())
def test_moving_a_score_just_past_its_margin_changes_its_selection_and_just_short_of_it_does_not(call, case, data):
    eligible, rules, seats, chain = case
    ruled = with_rules(call, rules, chain)
    ranked = score_applications(eligible, None, ruled)
    contest = selection.contest_from(eligible, ranked, seats, ruled)
    order = np.argsort(ranked["rank"].to_numpy(), kind="stable")
    margin = selection.margins_to_cutoff(contest, ranked["score"].to_numpy(), order)
    status = allocate_status(eligible, ranked, seats, ruled)
    who = data.draw(st.sampled_from(list(range(len(ranked)))))
    label, was_selected = ranked.index[who], status.iloc[who] == "selected"

    def selected_with(score: float) -> bool:
        moved = ranked.copy()
        moved.loc[label, "score"] = round(score, 9)
        order = ranking_order(eligible, moved, ruled)
        moved["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order)
        return allocate_status(eligible, moved, seats, ruled).loc[label] == "selected"

    score, step = ranked["score"].iloc[who], 1e-6
    if np.isnan(margin[who]):
        # No change of its own score changes it: try the extremes.
        assert selected_with(score + 10) == was_selected and selected_with(score - 10) == was_selected
        return
    assert margin[who] >= 0 if was_selected else margin[who] <= 0
    # At exactly the margin the tie-break decides; a hair either side, the margin does.
    assert selected_with(score - margin[who] + step)
    assert not selected_with(score - margin[who] - step)


def test_a_selected_applicant_s_margin_is_its_lead_over_the_applicant_who_would_take_its_seat(call, example):
    eligible, ranked, allocated = example
    contest = selection.contest_from(eligible, ranked, allocated.seats, call)
    order = np.argsort(ranked["rank"].to_numpy(), kind="stable")
    margin = pd.Series(selection.margins_to_cutoff(contest, ranked["score"].to_numpy(), order), index=ranked.index)
    status = allocated.decisions["status"]
    assert (margin[status == "selected"] >= 0).all() and (margin[status != "selected"].dropna() <= 0).all()
    # Europe has no seat and every seat is filled: no score of theirs would change anything.
    europe = eligible["region"] == "EUR"
    assert allocated.seats.loc["EUR", "seats"] == 0 and margin[europe].isna().all()
    assert margin[~europe].notna().all()
    # Africa's last selected and first reserve are separated by the same margin, seen from both sides.
    africa = ranked.join(status)[eligible["region"] == "AFR"].sort_values("rank")
    last = africa[africa["status"] == "selected"].index[-1]
    first_reserve = africa[africa["status"] == "reserve"].index[0]
    gap = round(ranked.loc[last, "score"] - ranked.loc[first_reserve, "score"], 9)
    assert margin[last] == pytest.approx(gap) and margin[first_reserve] == pytest.approx(-gap)
