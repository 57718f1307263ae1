"""Allocation under later-phase caps and the presence quota: earlier centres, swaps inside a region."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.seats.allocation import REGIONS, allocate
from tests.seats.test_allocation import (
    assert_moving_ahead_keeps_the_seat,
    by_id,
    decided_in_two_orders,
    make_ranked,
    make_seats,
    populations,
    selectable_bound,
)


def earlier(*rows) -> pd.DataFrame:
    """Centres of earlier phases as (id, country_iso3, region)."""
    return pd.DataFrame(rows, columns=["id", "country_iso3", "region"])


def with_presence(ranked: pd.DataFrame, present: set[str]) -> pd.DataFrame:
    return ranked.assign(presence=ranked["country_iso3"].isin(present))


# --- earlier phases -------------------------------------------------------------------------------

def test_a_country_with_a_centre_from_an_earlier_phase_gets_no_other_and_the_reason_names_it():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8), ("A-3", "SEN", "AFR", 0.7)])
    result = by_id(allocate(ranked, make_seats(AFR=2), previous=earlier(("DTC-P1-KEN", "KEN", "AFR"))), ranked)
    assert result["status"].to_dict() == {"A-1": "not_selected", "A-2": "selected", "A-3": "selected"}
    assert result.at["A-1", "reasons"] == (
        "not selected: Kenya already has a centre from an earlier phase (DTC-P1-KEN)")


def test_earlier_centres_and_this_calls_selections_are_both_named_when_the_cap_is_two():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "KEN", "AFR", 0.8), ("A-3", "GHA", "AFR", 0.7)])
    result = by_id(allocate(ranked, make_seats(AFR=3), max_per_country=2,
                            previous=earlier(("P-1", "KEN", "AFR"))), ranked)
    assert result["status"].to_dict() == {"A-1": "selected", "A-2": "not_selected", "A-3": "selected"}
    assert result.at["A-2", "reasons"] == (
        "not selected: Kenya already has a selected centre ranked higher (A-1) and a centre from an "
        "earlier phase (P-1), the most the call allows per country")


def test_an_applicant_whose_country_has_an_earlier_centre_is_not_kept_in_reserve():
    ranked = make_ranked([("A-1", "GHA", "AFR", 0.9), ("A-2", "KEN", "AFR", 0.8), ("A-3", "SEN", "AFR", 0.7)])
    result = by_id(allocate(ranked, make_seats(AFR=1), previous=earlier(("P-1", "KEN", "AFR"))), ranked)
    assert result["status"].to_dict() == {"A-1": "selected", "A-2": "not_selected", "A-3": "reserve"}


def test_the_order_of_the_earlier_centres_does_not_matter():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8)])
    one = allocate(ranked, make_seats(AFR=1), max_per_country=3,
                   previous=earlier(("P-2", "KEN", "AFR"), ("P-1", "KEN", "AFR"), ("P-3", "KEN", "AFR")))
    two = allocate(ranked, make_seats(AFR=1), max_per_country=3,
                   previous=earlier(("P-3", "KEN", "AFR"), ("P-1", "KEN", "AFR"), ("P-2", "KEN", "AFR")))
    pd.testing.assert_frame_equal(one.decisions, two.decisions)
    assert "3 centres from earlier phases (P-1, P-2, P-3)" in one.decisions["reasons"].iat[0]


def test_allocate_refuses_earlier_centres_without_ids_or_countries():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9)])
    with pytest.raises(ValueError, match="previous selections lack the columns"):
        allocate(ranked, make_seats(AFR=1), previous=pd.DataFrame({"id": ["P-1"]}))
    with pytest.raises(ValueError, match="unique id"):
        allocate(ranked, make_seats(AFR=1), previous=earlier(("P-1", "KEN", "AFR"), ("P-1", "GHA", "AFR")))


# --- presence quota -------------------------------------------------------------------------------

def test_the_quota_gives_the_seat_of_the_lowest_ranked_centre_without_presence_to_the_best_with_presence():
    ranked = with_presence(make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8),
                                        ("A-3", "SEN", "AFR", 0.7), ("A-4", "EGY", "AFR", 0.6)]), {"SEN", "EGY"})
    result = allocate(ranked, make_seats(AFR=2), presence_minimum=1)
    d = by_id(result, ranked)
    assert d["status"].to_dict() == {"A-1": "selected", "A-2": "reserve", "A-3": "selected", "A-4": "reserve"}
    assert d.at["A-3", "seat_source"] == "presence_quota"
    assert d.at["A-3", "reasons"] == (
        "selected under the presence quota: ranked 3rd in Africa, which has 2 seats; the call keeps at least "
        "1 seat for countries where ITU or Cisco is present, so it took the seat of A-2, the lowest-ranked "
        "selected centre there from a country without presence")
    assert d.at["A-2", "reasons"] == (
        "reserve 1 for Africa: ranked 2nd in Africa, which has 2 seats; its seat went to A-3 under the "
        "presence quota (the call keeps at least 1 seat for countries where ITU or Cisco is present)")
    assert result.seats.loc["AFR", "filled"] == 2


def test_the_quota_never_moves_a_seat_to_another_region():
    ranked = with_presence(make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "BGD", "ASP", 0.8)]), {"BGD"})
    result = allocate(ranked, make_seats(AFR=1), presence_minimum=1)
    assert list(result.decisions["status"]) == ["selected", "not_selected"]
    assert "presence quota" not in " ".join(result.decisions["reasons"])


def test_a_quota_already_met_changes_nothing():
    ranked = with_presence(make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8),
                                        ("A-3", "SEN", "AFR", 0.7)]), {"KEN", "SEN"})
    pd.testing.assert_frame_equal(allocate(ranked, make_seats(AFR=2), presence_minimum=1).decisions,
                                  allocate(ranked, make_seats(AFR=2)).decisions)


def test_the_quota_respects_the_country_cap_and_the_minimum_score():
    ranked = with_presence(make_ranked([("A-1", "SEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8),
                                        ("A-3", "SEN", "AFR", 0.7), ("A-4", "EGY", "AFR", 0.4)]), {"SEN", "EGY"})
    result = by_id(allocate(ranked, make_seats(AFR=2), presence_minimum=2, minimum_score=0.5), ranked)
    # A-3 is from Senegal, which already has A-1; A-4 is below the minimum: A-2 keeps its seat.
    assert result["status"].to_dict() == {"A-1": "selected", "A-2": "selected", "A-3": "not_selected",
                                          "A-4": "not_selected"}


def test_allocate_refuses_a_quota_without_a_presence_column():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9)])
    with pytest.raises(ValueError, match="presence quota needs a 'presence' column"):
        allocate(ranked, make_seats(AFR=1), presence_minimum=1)
    with pytest.raises(ValueError, match="presence_minimum"):
        allocate(ranked.assign(presence=True), make_seats(AFR=1), presence_minimum=-1)


# --- properties -------------------------------------------------------------------------------------

@st.composite
def populations_with_caps(draw):
    ranked, seats, options = draw(populations())
    countries = sorted(set(ranked["country_iso3"])) or ["C0"]
    present = set(draw(st.lists(st.sampled_from(countries), unique=True)))
    ranked = with_presence(ranked, present)
    rows = [(f"P-{k}", draw(st.sampled_from(countries)), draw(st.sampled_from(REGIONS)))
            for k in range(draw(st.integers(0, 3)))]
    options = {**options, "previous": earlier(*rows) if rows else None,
               "presence_minimum": draw(st.integers(0, 4))}
    return ranked, seats, options


@settings(max_examples=150, deadline=None)
@given(populations_with_caps())
def test_caps_hold_and_every_seat_that_can_be_filled_is_with_earlier_centres_and_a_quota(population):
    ranked, seats, options = population
    result = allocate(ranked, seats, **options)
    selected = result.decisions["status"] == "selected"
    assert int(selected.sum()) == selectable_bound(ranked, seats, options)
    new = Counter(ranked.loc[selected, "country_iso3"])
    earlier_held = Counter(options["previous"]["country_iso3"]) if options["previous"] is not None else Counter()
    if options["max_per_country"] is not None:  # earlier centres alone may exceed the cap: then no new one
        assert all(n + earlier_held[c] <= options["max_per_country"] for c, n in new.items())
    if options["minimum_score"] is not None:
        assert (ranked.loc[selected, "score"] >= options["minimum_score"]).all()
    # The quota never changes how many centres a region has.
    plain = allocate(ranked, seats, **{**options, "presence_minimum": 0})
    assert result.seats["filled"].tolist() == plain.seats["filled"].tolist()
    presence = ranked["presence"].astype(bool)
    assert int((selected & presence).sum()) >= int(((plain.decisions["status"] == "selected") & presence).sum())


@settings(max_examples=150, deadline=None)
@given(populations_with_caps())
def test_the_quota_stops_only_when_met_or_when_no_swap_inside_a_region_is_left(population):
    ranked, seats, options = population
    d = allocate(ranked, seats, **options).decisions
    selected = d["status"] == "selected"
    presence = ranked["presence"].astype(bool)
    if int((selected & presence).sum()) >= options["presence_minimum"]:
        return
    held = Counter(ranked.loc[selected, "country_iso3"])
    if options["previous"] is not None:
        held.update(options["previous"]["country_iso3"])
    cap, minimum = options["max_per_country"], options["minimum_score"]
    for i in ranked.index[presence & ~selected]:
        passes = (minimum is None or ranked.at[i, "score"] >= minimum) and (
            cap is None or held[ranked.at[i, "country_iso3"]] < cap)
        region_has_victim = (selected & ~presence & (ranked["region"] == ranked.at[i, "region"])).any()
        assert not (passes and region_has_victim)


@settings(max_examples=100, deadline=None)
@given(populations_with_caps(), st.randoms(use_true_random=False))
def test_row_order_changes_nothing_with_earlier_centres_and_a_quota(population, random):
    pd.testing.assert_frame_equal(*decided_in_two_orders(*population, random))


@settings(max_examples=150, deadline=None)
@given(populations_with_caps(), st.data())
def test_moving_ahead_never_costs_a_seat_with_earlier_centres_and_a_quota(population, data):
    # The stability margins (margins.margins_to_cutoff) rely on it: a better place is never worse.
    assert_moving_ahead_keeps_the_seat(population, data)
