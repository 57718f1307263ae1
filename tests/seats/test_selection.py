"""The vectorised selection: the same applicants as allocation.allocate, the same order as the
scoring stage, and margins that are exactly where the selection changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select import pipeline
from dtc_select.checks import margins
from dtc_select.seats import vectorised as selection
from dtc_select.ranking.scoring import ranking_order, score_applications
from tests.contests import allocate_status, contest_case, seats_frame
from tests.factories import parsed
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def example(call):
    state = pipeline.run_stages(pipeline.RunState(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv"),
                                through="allocation")
    return state.checked.loc[state.ranked.index], state.ranked, state.allocated


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
    changed, eligible, seats = case
    ruled = changed(call)
    ranked = score_applications(eligible, None, ruled)
    expected = allocate_status(eligible, ranked, seats, ruled)
    contest = selection.contest_from(eligible, ranked, seats, ruled)
    chosen, order, _ = selection.select_for_merit(contest, ranked["merit_score"].to_numpy()[None, :])
    assert ranked.index[order[0]].tolist() == list(ranking_order(eligible, ranked, ruled))
    assert chosen[0].tolist() == expected.eq("selected").tolist()


@settings(max_examples=40, deadline=None)
@given(case=contest_case(), data=st.data())
def test_moving_a_score_just_past_its_margin_changes_its_selection_and_just_short_of_it_does_not(call, case, data):
    changed, eligible, seats = case
    ruled = changed(call)
    ranked = score_applications(eligible, None, ruled)
    contest = selection.contest_from(eligible, ranked, seats, ruled)
    order = np.argsort(ranked["rank"].to_numpy(), kind="stable")
    margin = margins.margins_to_cutoff(contest, ranked["score"].to_numpy(), order)
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
    margin = pd.Series(margins.margins_to_cutoff(contest, ranked["score"].to_numpy(), order), index=ranked.index)
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


def quota_call(call, share: float, seats: int):
    priority = call.presence_priority.model_copy(update={"method": "quota", "bonus": 0.0, "minimum_share": share})
    return call.model_copy(update={"presence_priority": priority,
                                   "allocation": call.allocation.model_copy(update={"seats": seats})})


def test_the_presence_quota_swaps_the_same_seats_in_every_sample_as_allocate(call):
    # Africa has two seats; the two best are from countries without presence, so the quota (one
    # seat of two) gives the lowest-ranked of them, A-002, to the best presence applicant, A-004.
    apps = parsed(4, region="AFR", country_iso3=["KEN", "GHA", "SEN", "MLI"], workstations=[60, 50, 40, 30],
                  presence=[False, False, False, True])
    ruled = quota_call(call, 0.5, 2)
    ranked = score_applications(apps, None, ruled)
    seats = seats_frame(AFR=2)
    expected = allocate_status(apps, ranked, seats, ruled)
    assert expected.tolist() == ["selected", "reserve", "reserve", "selected"]
    contest = selection.contest_from(apps, ranked, seats, ruled)
    merit = np.repeat(ranked["merit_score"].to_numpy()[None, :], 3, axis=0)
    chosen = selection.select_for_merit(contest, merit)[0]
    assert (chosen == expected.eq("selected").to_numpy()).all()


def test_a_centre_of_an_earlier_phase_counts_against_its_country_in_every_sample(call):
    from dtc_select.call.model import PreviousCentre, PreviousSelections

    earlier = PreviousSelections(centres=(PreviousCentre(id="P-1", country="KEN", region="AFR", reference="test"),),
                                 description="earlier", reference="test")
    ruled = call.model_copy(update={"previous_selections": earlier})
    apps = parsed(3, region="AFR", country_iso3=["KEN", "GHA", "SEN"], workstations=[60, 50, 40])
    ranked = score_applications(apps, None, ruled)
    seats = seats_frame(AFR=1)
    assert allocate_status(apps, ranked, seats, ruled).tolist() == ["not_selected", "selected", "reserve"]
    contest = selection.contest_from(apps, ranked, seats, ruled)
    chosen = selection.select_for_merit(contest, ranked["merit_score"].to_numpy()[None, :])[0][0]
    assert chosen.tolist() == [False, True, False]
