"""Allocation: seats per region by need, then selected / reserve / not selected with reasons."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.reasons.render import Renderer
from dtc_select.seats.allocation import (
    REGIONS,
    SEAT_METHODS,
    Allocation,
    allocate,
    describe_seat_method,
    seats_per_region,
)

DIVISOR_METHODS = sorted(SEAT_METHODS - {"largest_remainder"})
COUNTRY_NAMES = {"KEN": "Kenya", "GHA": "Ghana", "SEN": "Senegal", "EGY": "Egypt",
                 "JOR": "Jordan", "BGD": "Bangladesh", "NPL": "Nepal", "PER": "Peru"}
PHASE1_NEEDS = {"AFR": 62.9, "AMS": 12.35, "ARB": 31.1, "ASP": 31.4, "CIS": 8.5, "EUR": 0.41}


def make_ranked(rows, index=None) -> pd.DataFrame:
    """Rows as (application_id, country_iso3, region, score), best first: rank = position + 1."""
    frame = pd.DataFrame(rows, columns=["application_id", "country_iso3", "region", "score"])
    frame["score"] = frame["score"].astype(float)
    frame["country_name"] = [COUNTRY_NAMES.get(c, c) for c in frame["country_iso3"]]
    frame["rank"] = range(1, len(frame) + 1)
    if index is not None:
        frame.index = index
    return frame


def make_seats(**per_region: int) -> pd.DataFrame:
    """A seats frame as seats_per_region returns it, with the given seats (need = seats)."""
    seats = [per_region.get(r, 0) for r in REGIONS]
    total = sum(seats) or 1
    return pd.DataFrame({"need": [float(s) for s in seats],
                         "need_share": [s / total for s in seats],
                         "quota": [float(s) for s in seats],
                         "seats": pd.array(seats, dtype="int64")},
                        index=pd.Index(REGIONS, name="region"))


def seat_counts(frame: pd.DataFrame) -> dict[str, int]:
    return {r: int(n) for r, n in frame["seats"].items()}


def by_id(result: Allocation, ranked: pd.DataFrame) -> pd.DataFrame:
    return result.decisions.set_index(ranked.loc[result.decisions.index, "application_id"])


# --- seats per region ----------------------------------------------------------------------------

def test_sainte_lague_shares_ten_seats_of_the_phase_one_needs_as_worked_by_hand():
    # Quotients need / 1, 3, 5, 7, ... in decreasing order, one seat each:
    #  1 AFR 62.9   2 ASP 31.4   3 ARB 31.1   4 AFR 20.97 (62.9/3)   5 AFR 12.58 (62.9/5)
    #  6 AMS 12.35  7 ASP 10.47 (31.4/3)   8 ARB 10.37 (31.1/3)   9 AFR 8.99 (62.9/7)  10 CIS 8.5
    # The next would be AFR 6.99 (62.9/9), ahead of ASP 6.28 and ARB 6.22; EUR 0.41 is far behind.
    seats = seats_per_region(PHASE1_NEEDS, 10, "sainte_lague")
    assert seat_counts(seats) == {"AFR": 4, "AMS": 1, "ARB": 2, "ASP": 2, "CIS": 1, "EUR": 0}
    assert list(seats.index) == list(REGIONS)
    assert list(seats.columns) == ["need", "need_share", "quota", "seats"]
    assert seats["seats"].dtype == "int64"
    assert seats.loc["AFR", "need_share"] == pytest.approx(62.9 / 146.66)
    assert seats.loc["AFR", "quota"] == pytest.approx(10 * 62.9 / 146.66)


# Textbook example (Wikipedia, "D'Hondt method" and "Sainte-Laguë method"): parties of 100,000,
# 80,000, 30,000 and 20,000 votes share 8 seats.
TEXTBOOK_VOTES = {"AFR": 100_000, "AMS": 80_000, "ARB": 30_000, "ASP": 20_000, "CIS": 0, "EUR": 0}


def test_dhondt_matches_the_textbook_example():
    # Quotients /1, /2, /3, /4: 100k, 80k, 50k, 40k, 33.3k, 30k (ARB), 26.7k (AMS), 25k; ASP 20k.
    assert seat_counts(seats_per_region(TEXTBOOK_VOTES, 8, "dhondt")) == {
        "AFR": 4, "AMS": 3, "ARB": 1, "ASP": 0, "CIS": 0, "EUR": 0}


def test_sainte_lague_matches_the_textbook_example():
    # Quotients /1, /3, /5: 100k, 80k, 33.3k, 30k, 26.7k, 20k (AFR /5), 20k (ASP), 16k (AMS /5).
    # The two 20,000s tie: the larger need (AFR) comes first, both get a seat anyway.
    assert seat_counts(seats_per_region(TEXTBOOK_VOTES, 8, "sainte_lague")) == {
        "AFR": 3, "AMS": 3, "ARB": 1, "ASP": 1, "CIS": 0, "EUR": 0}


def test_huntington_hill_matches_a_hand_computed_example():
    # First seats: AFR, AMS, ARB, ASP. Then need / sqrt(2): AFR 70.7k -> AFR, now /sqrt(6) 40.8k;
    # AMS 56.6k -> AMS, now 32.7k; AFR 40.8k -> AFR, now /sqrt(12) 28.9k; AMS 32.7k -> AMS.
    assert seat_counts(seats_per_region(TEXTBOOK_VOTES, 8, "huntington_hill")) == {
        "AFR": 3, "AMS": 3, "ARB": 1, "ASP": 1, "CIS": 0, "EUR": 0}


def test_largest_remainder_matches_the_textbook_example():
    # Wikipedia, "Largest remainders method": 100,000 votes, 10 seats, quotas 4.7, 1.6, 1.58, 1.2,
    # 0.61, 0.31; floors give 7 seats, the 3 left go to the remainders .7, .61 and .6.
    votes = {"AFR": 47_000, "AMS": 16_000, "ARB": 15_800, "ASP": 12_000, "CIS": 6_100, "EUR": 3_100}
    assert seat_counts(seats_per_region(votes, 10, "largest_remainder")) == {
        "AFR": 5, "AMS": 2, "ARB": 1, "ASP": 1, "CIS": 1, "EUR": 0}


def test_largest_remainder_can_take_a_seat_from_a_region_when_the_total_grows():
    # The Alabama paradox, which is why the divisor methods are offered: quotas 4.29, 4.29, 1.43
    # with 10 seats (ARB has the largest remainder), 4.71, 4.71, 1.57 with 11 (it no longer has).
    needs = {"AFR": 6, "AMS": 6, "ARB": 2, "ASP": 0, "CIS": 0, "EUR": 0}
    assert seat_counts(seats_per_region(needs, 10, "largest_remainder"))["ARB"] == 2
    assert seat_counts(seats_per_region(needs, 11, "largest_remainder"))["ARB"] == 1


def test_huntington_hill_gives_every_region_with_a_need_a_first_seat_before_any_second():
    needs = {"AFR": 1000, "AMS": 0, "ARB": 1, "ASP": 2, "CIS": 0, "EUR": 0}
    assert seat_counts(seats_per_region(needs, 3, "huntington_hill")) == {
        "AFR": 1, "AMS": 0, "ARB": 1, "ASP": 1, "CIS": 0, "EUR": 0}
    # Fewer seats than regions with a need: the first seats go by need.
    assert seat_counts(seats_per_region(needs, 2, "huntington_hill")) == {
        "AFR": 1, "AMS": 0, "ARB": 0, "ASP": 1, "CIS": 0, "EUR": 0}


@pytest.mark.parametrize("method", sorted(SEAT_METHODS))
def test_a_region_with_no_need_gets_no_seat_however_many_seats_there_are(method):
    needs = {"AFR": 3, "AMS": 0, "ARB": 1, "ASP": 0, "CIS": 0, "EUR": 0}
    seats = seat_counts(seats_per_region(needs, 25, method))
    assert seats["AMS"] == seats["ASP"] == seats["CIS"] == seats["EUR"] == 0
    assert seats["AFR"] + seats["ARB"] == 25


@pytest.mark.parametrize("method", sorted(SEAT_METHODS))
def test_equal_needs_go_to_the_region_listed_first(method):
    needs = {"AFR": 0, "AMS": 5, "ARB": 5, "ASP": 0, "CIS": 0, "EUR": 0}
    assert seat_counts(seats_per_region(needs, 1, method))["AMS"] == 1


def test_equal_averages_go_to_the_region_with_the_larger_need():
    # D'Hondt: after AFR's first seat, AFR 2/2 = AMS 1/1; Sainte-Laguë: AFR 3/3 = AMS 1/1.
    assert seat_counts(seats_per_region({**dict.fromkeys(REGIONS, 0), "AFR": 2, "AMS": 1},
                                        2, "dhondt"))["AFR"] == 2
    assert seat_counts(seats_per_region({**dict.fromkeys(REGIONS, 0), "AFR": 3, "AMS": 1},
                                        2, "sainte_lague"))["AFR"] == 2


@pytest.mark.parametrize("needs, seats, method, problem", [
    ({**PHASE1_NEEDS, "AFR": -1.0}, 10, "sainte_lague", "need of AFR"),
    ({**PHASE1_NEEDS, "AFR": math.nan}, 10, "sainte_lague", "need of AFR"),
    ({r: v for r, v in PHASE1_NEEDS.items() if r != "EUR"}, 10, "dhondt", "missing: .'EUR'"),
    ({**PHASE1_NEEDS, "XYZ": 1.0}, 10, "dhondt", "unknown: .'XYZ'"),
    (dict.fromkeys(REGIONS, 0.0), 10, "dhondt", "add up to 0"),
    (PHASE1_NEEDS, -1, "dhondt", "number of seats"),
    (PHASE1_NEEDS, 2.5, "dhondt", "number of seats"),
    (PHASE1_NEEDS, 10, "jefferson", "unknown seat method"),
])
def test_seats_per_region_refuses_bad_input_and_names_the_problem(needs, seats, method, problem):
    with pytest.raises(ValueError, match=problem):
        seats_per_region(needs, seats, method)


def test_every_seat_method_is_described_in_one_sentence():
    for method in SEAT_METHODS:
        sentence = describe_seat_method(method)
        assert sentence.endswith(".") and sentence.count(". ") == 0
    assert "Sainte-Laguë" in describe_seat_method("sainte_lague")
    with pytest.raises(ValueError, match="unknown seat method"):
        describe_seat_method("jefferson")


needs_strategy = st.fixed_dictionaries(
    {r: st.one_of(st.just(0.0), st.floats(0.01, 1000)) for r in REGIONS}
).filter(lambda needs: sum(needs.values()) > 0)


@settings(max_examples=200, deadline=None)
@given(needs=needs_strategy, seats=st.integers(0, 40), method=st.sampled_from(sorted(SEAT_METHODS)))
def test_seats_always_add_up_to_the_total_and_need_zero_means_no_seat(needs, seats, method):
    frame = seats_per_region(needs, seats, method)
    assert int(frame["seats"].sum()) == seats
    assert all(frame.loc[r, "seats"] == 0 for r in REGIONS if needs[r] == 0)
    if method == "largest_remainder":  # Hamilton stays within one seat of the quota
        assert ((frame["seats"] >= (frame["quota"] - 1e-9).apply(math.floor))
                & (frame["seats"] <= (frame["quota"] + 1e-9).apply(math.ceil))).all()


@settings(max_examples=200, deadline=None)
@given(needs=needs_strategy, seats=st.integers(0, 30), method=st.sampled_from(DIVISOR_METHODS))
def test_one_more_seat_never_costs_a_region_a_seat_under_a_divisor_method(needs, seats, method):
    before = seats_per_region(needs, seats, method)["seats"]
    after = seats_per_region(needs, seats + 1, method)["seats"]
    assert (after >= before).all() and int((after - before).sum()) == 1


# --- selection -----------------------------------------------------------------------------------

def test_only_one_centre_per_country_is_selected_and_the_next_says_who_has_the_seat():
    ranked = make_ranked([("A-12", "KEN", "AFR", 0.9), ("A-13", "KEN", "AFR", 0.8),
                          ("A-14", "GHA", "AFR", 0.7)])
    result = allocate(ranked, make_seats(AFR=2))
    assert list(result.decisions["status"]) == ["selected", "not_selected", "selected"]
    assert result.decisions.loc[1, "reasons"] == (
        "not selected: Kenya already has a selected centre ranked higher (A-12)")


def test_without_a_country_cap_a_country_can_hold_several_centres():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "KEN", "AFR", 0.8),
                          ("A-3", "KEN", "AFR", 0.7)])
    assert list(allocate(ranked, make_seats(AFR=2), max_per_country=None).decisions["status"]) == [
        "selected", "selected", "reserve"]
    capped = allocate(ranked, make_seats(AFR=3), max_per_country=2).decisions
    assert list(capped["status"]) == ["selected", "selected", "not_selected"]
    assert capped.loc[2, "reasons"] == ("not selected: Kenya already has 2 selected centres ranked "
                                        "higher (A-1, A-2), the most the call allows per country")


def test_a_region_without_applicants_gives_its_seats_to_the_best_elsewhere():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8),
                          ("P-1", "BGD", "ASP", 0.7), ("A-3", "SEN", "AFR", 0.6),
                          ("P-2", "NPL", "ASP", 0.5)])
    result = allocate(ranked, make_seats(AFR=1, ARB=2, ASP=1))
    assert list(result.decisions["status"]) == [
        "selected", "selected", "selected", "selected", "reserve"]
    assert list(result.decisions["seat_source"].fillna("-")) == [
        "regional", "reallocated", "regional", "reallocated", "-"]
    assert result.decisions.loc[1, "reasons"] == (
        "selected: ranked 1st overall among the remaining applicants; "
        "took a seat that the Arab States could not fill")
    assert result.decisions.loc[3, "reasons"] == (
        "selected: ranked 2nd overall among the remaining applicants; "
        "took a seat that the Arab States could not fill")
    seats = result.seats
    assert seats.loc["ARB", "unfilled_to_others"] == 2 and seats.loc["ARB", "filled"] == 0
    assert seats.loc["AFR", "received_from_others"] == 2 and seats.loc["AFR", "filled"] == 3
    assert seats.loc["ASP", "filled"] == 1 and seats.loc["ASP", "eligible"] == 2
    assert int(seats["left_empty"].sum()) == 0
    assert list(seats.columns) == ["need", "need_share", "quota", "seats", "filled", "eligible",
                                   "unfilled_to_others", "received_from_others", "left_empty"]


def test_reallocated_seats_skip_countries_that_already_have_a_centre():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "KEN", "AFR", 0.8),
                          ("A-3", "GHA", "AFR", 0.7)])
    result = allocate(ranked, make_seats(AFR=1, EUR=1))
    assert list(result.decisions["status"]) == ["selected", "not_selected", "selected"]
    assert list(result.decisions["seat_source"].fillna("-")) == ["regional", "-", "reallocated"]


def test_seats_nobody_can_take_are_left_empty():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "KEN", "AFR", 0.8)])
    result = allocate(ranked, make_seats(AFR=2, ARB=1))
    assert (result.decisions["status"] == "selected").sum() == 1
    assert result.seats.loc["AFR", "left_empty"] == 1 and result.seats.loc["ARB", "left_empty"] == 1
    assert result.seats["unfilled_to_others"].sum() == 0


def test_reserves_are_the_next_in_region_order_from_countries_without_a_centre():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "KEN", "AFR", 0.85),
                          ("P-1", "BGD", "ASP", 0.84), ("A-3", "GHA", "AFR", 0.8),
                          ("A-4", "SEN", "AFR", 0.7), ("A-5", "EGY", "AFR", 0.6),
                          ("P-2", "NPL", "ASP", 0.5)])
    result = allocate(ranked, make_seats(AFR=1, ASP=1), reserve_per_region=2)
    d = by_id(result, ranked)
    assert list(d["status"]) == ["selected", "not_selected", "selected", "reserve", "reserve",
                                 "not_selected", "reserve"]
    assert d.loc["A-3", "reserve_position"] == 1 and d.loc["A-4", "reserve_position"] == 2
    assert d.loc["P-2", "reserve_position"] == 1
    assert d["reserve_position"].isna().sum() == 4
    assert list(d["region_rank"]) == [1, 2, 1, 3, 4, 5, 2]


def test_the_reserve_list_is_as_long_as_the_call_asks():
    ranked = make_ranked([(f"A-{k}", f"C{k}", "AFR", 1 - k / 10) for k in range(6)])
    for length in (0, 1, 3):
        statuses = allocate(ranked, make_seats(AFR=1), reserve_per_region=length).decisions
        assert (statuses["status"] == "reserve").sum() == length


def test_no_reserve_list_for_a_region_without_any_selected_centre():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("E-1", "FRA", "EUR", 0.8)])
    result = allocate(ranked, make_seats(AFR=1))
    assert result.decisions.loc[1, "status"] == "not_selected"
    assert result.decisions.loc[1, "reasons"] == (
        "not selected: ranked 1st in Europe, which has 0 seats")


def test_applicants_below_the_minimum_score_are_neither_selected_nor_reserve():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.41),
                          ("P-1", "BGD", "ASP", 0.45), ("P-2", "NPL", "ASP", 0.3)])
    result = allocate(ranked, make_seats(AFR=2, ASP=1), minimum_score=0.5)
    assert list(result.decisions["status"]) == ["selected"] + ["not_selected"] * 3
    assert result.decisions.loc[1, "reasons"] == (
        "not selected: score 0.41 is below the call's minimum score 0.50")
    assert int(result.seats["left_empty"].sum()) == 2


def test_a_score_just_below_the_minimum_is_shown_with_enough_digits_to_see_it():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.4999)])
    reason = allocate(ranked, make_seats(AFR=1), minimum_score=0.5).decisions.loc[0, "reasons"]
    assert reason == "not selected: score 0.4999 is below the call's minimum score 0.5000"


def test_reasons_read_as_plain_english_for_each_status():
    rows = [(f"A-{k}", f"C{k}", "AFR", 1 - k / 100) for k in range(1, 14)]
    ranked = make_ranked(rows + [("R-1", "EGY", "ARB", 0.1)])
    result = allocate(ranked, make_seats(AFR=4, ARB=1, ASP=0), reserve_per_region=2)
    reasons = dict(zip(ranked["application_id"], result.decisions["reasons"]))
    assert reasons["A-3"] == "selected: ranked 3rd in Africa, which has 4 seats"
    assert reasons["A-5"] == "reserve 1 for Africa: ranked 5th in Africa, which has 4 seats"
    assert reasons["A-6"] == "reserve 2 for Africa: ranked 6th in Africa, which has 4 seats"
    assert reasons["A-11"] == (
        "not selected: ranked 11th in Africa, which has 4 seats; below the reserve list")
    assert reasons["A-13"].startswith("not selected: ranked 13th in Africa")
    assert reasons["R-1"] == "selected: ranked 1st in the Arab States, which has 1 seat"


def test_reasons_say_when_a_region_received_seats_and_that_seats_went_elsewhere():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8),
                          ("A-3", "SEN", "AFR", 0.7), ("A-4", "EGY", "AFR", 0.6)])
    result = allocate(ranked, make_seats(AFR=1, CIS=1), reserve_per_region=1)
    assert list(result.decisions["reasons"]) == [
        "selected: ranked 1st in Africa, which has 1 seat and received 1 more that other regions "
        "could not fill",
        "selected: ranked 1st overall among the remaining applicants; took a seat that the CIS "
        "could not fill",
        "reserve 1 for Africa: ranked 3rd in Africa, which has 1 seat and received 1 more that "
        "other regions could not fill",
        "not selected: ranked 4th in Africa, which has 1 seat and received 1 more that other "
        "regions could not fill; below the reserve list; the seats other regions could not fill "
        "went to applicants ranked higher overall",
    ]


def test_ordinals_follow_english_usage():
    rows = [(f"A-{k}", f"C{k}", "AFR", 1.0) for k in range(1, 24)]
    reasons = allocate(make_ranked(rows), make_seats(AFR=23)).decisions["reasons"]
    for k, suffix in {1: "st", 2: "nd", 3: "rd", 4: "th", 11: "th", 12: "th", 13: "th",
                      21: "st", 22: "nd", 23: "rd"}.items():
        assert reasons.iloc[k - 1].startswith(f"selected: ranked {k}{suffix} in Africa")


def test_the_reasons_are_data_that_any_catalogue_words_in_its_language():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9)])
    [why] = allocate(ranked, make_seats(AFR=1)).decisions["reason_data"]
    assert [r.key for r in why] == ["seat.regional"]
    assert Renderer("fr").row(why) == "sélectionné : classé 1er en Afrique, qui dispose de 1 place"


def test_decisions_keep_the_index_and_the_columns_of_the_contract():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8)],
                         index=pd.Index([17, 4], name="row"))
    decisions = allocate(ranked, make_seats(AFR=1)).decisions
    assert decisions.index.equals(ranked.index)
    assert list(decisions.columns) == [
        "status", "region_rank", "reserve_position", "seat_source", "reasons", "reason_data"]
    assert decisions["region_rank"].dtype == "Int64"
    assert decisions["reserve_position"].dtype == "Int64"


def test_no_applicants_give_no_decisions_and_empty_seats():
    result = allocate(make_ranked([]), make_seats(AFR=2))
    assert result.decisions.empty
    assert result.seats.loc["AFR", "left_empty"] == 2 and result.seats["filled"].sum() == 0


@pytest.mark.parametrize("change, problem", [
    (lambda r: r.drop(columns="country_name"), "lack the columns"),
    (lambda r: r.assign(application_id="A-1"), "application_id is not unique"),
    (lambda r: r.assign(rank=1), "rank must be given and unique"),
    (lambda r: r.assign(region="XYZ"), "unknown regions"),
    (lambda r: r.assign(score=math.nan), "score is missing"),
])
def test_allocate_refuses_ranked_tables_it_cannot_trust(change, problem):
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8)])
    with pytest.raises(ValueError, match=problem):
        allocate(change(ranked), make_seats(AFR=1))


def test_allocate_refuses_meaningless_options():
    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9)])
    with pytest.raises(ValueError, match="max_per_country"):
        allocate(ranked, make_seats(AFR=1), max_per_country=0)
    with pytest.raises(ValueError, match="reserve_per_region"):
        allocate(ranked, make_seats(AFR=1), reserve_per_region=-1)
    with pytest.raises(ValueError, match="one row per region"):
        allocate(ranked, make_seats(AFR=1).drop(index="EUR"))


# --- properties over generated populations -------------------------------------------------------

@st.composite
def populations(draw):
    countries = [f"C{k}" for k in range(draw(st.integers(1, 8)))]
    home = {c: draw(st.sampled_from(REGIONS)) for c in countries}
    mixed = draw(st.booleans())  # sometimes ignore geography: the rules must hold regardless
    rows = []
    for k in range(draw(st.integers(0, 25))):
        country = draw(st.sampled_from(countries))
        region = draw(st.sampled_from(REGIONS)) if mixed else home[country]
        rows.append((f"X-{k}", country, region, draw(st.sampled_from([0.2, 0.45, 0.5, 0.7, 0.9]))))
    rows.sort(key=lambda row: -row[3])  # best first, ties in the order drawn (stable)
    labels = draw(st.permutations([f"row{k}" for k in range(len(rows))]))
    ranked = make_ranked(rows, index=pd.Index(labels))
    seats = seats_per_region(draw(needs_strategy), draw(st.integers(0, 15)),
                             draw(st.sampled_from(sorted(SEAT_METHODS))))
    options = {"max_per_country": draw(st.sampled_from([None, 1, 2])),
               "reserve_per_region": draw(st.integers(0, 3)),
               "minimum_score": draw(st.sampled_from([None, 0.5, 0.7]))}
    return ranked, seats, options


def selectable_bound(ranked, seats, options) -> int:
    """min(total seats, applicants selectable under the caps), computed without the algorithm;
    centres of earlier phases (`options["previous"]`, if any) use up their country's cap."""
    minimum, cap = options["minimum_score"], options["max_per_country"]
    passing = ranked if minimum is None else ranked[ranked["score"] >= minimum]
    previous = options.get("previous")
    held = Counter(previous["country_iso3"]) if previous is not None else Counter()
    selectable = sum(n if cap is None else max(0, min(n, cap - held[c]))
                     for c, n in Counter(passing["country_iso3"]).items())
    return min(int(seats["seats"].sum()), selectable)


@settings(max_examples=300, deadline=None)
@given(populations())
def test_the_rules_hold_for_any_population(population):
    ranked, seats, options = population
    result = allocate(ranked, seats, **options)
    d = result.decisions
    selected = d["status"] == "selected"
    assert d.index.equals(ranked.index)  # nobody added, nobody lost
    assert set(d["status"]) <= {"selected", "reserve", "not_selected"}
    assert all(isinstance(r, str) and r.strip() for r in d["reasons"])
    assert all(r.startswith(("selected:", "reserve ", "not selected:")) for r in d["reasons"])
    assert int(selected.sum()) == selectable_bound(ranked, seats, options)
    if options["max_per_country"] is not None:
        assert max(Counter(ranked.loc[selected, "country_iso3"]).values(), default=0) <= (
            options["max_per_country"])
    if options["minimum_score"] is not None:
        kept = d["status"] != "not_selected"
        assert (ranked.loc[kept, "score"] >= options["minimum_score"]).all()
    assert (d["seat_source"].notna() == selected).all()
    assert (d["reserve_position"].notna() == (d["status"] == "reserve")).all()
    reserves = d[d["status"] == "reserve"].groupby(ranked["region"])["reserve_position"]
    for _, positions in reserves:
        assert sorted(positions) == list(range(1, len(positions) + 1))
        assert len(positions) <= options["reserve_per_region"]
    table = result.seats
    assert int(table["filled"].sum()) == int(selected.sum())
    assert (table["filled"] == table["seats"] - table["unfilled_to_others"]
            - table["left_empty"] + table["received_from_others"]).all()
    assert int(table["unfilled_to_others"].sum()) == int(table["received_from_others"].sum())


@settings(max_examples=200, deadline=None)
@given(populations(), st.randoms(use_true_random=False))
def test_the_row_order_of_ranked_does_not_change_any_decision(population, random):
    pd.testing.assert_frame_equal(*decided_in_two_orders(*population, random))


def decided_in_two_orders(ranked, seats, options, random) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Decisions by application id for `ranked`, and for its rows (and any earlier centres in
    `options["previous"]`) in another order."""
    positions = list(range(len(ranked)))
    random.shuffle(positions)
    shuffled = ranked.iloc[positions]
    reordered = dict(options)
    if options.get("previous") is not None:
        reordered["previous"] = options["previous"].iloc[::-1]
    first = by_id(allocate(ranked, seats, **options), ranked).sort_index()
    return first, by_id(allocate(shuffled, seats, **reordered), shuffled).sort_index()


@settings(max_examples=300, deadline=None)
@given(populations(), st.data())
def test_moving_an_applicant_ahead_never_costs_it_its_seat(population, data):
    assert_moving_ahead_keeps_the_seat(population, data)


def assert_moving_ahead_keeps_the_seat(population, data) -> None:
    """Move one applicant to a better place: if it was selected, it still is."""
    ranked, seats, options = population
    if ranked.empty:
        return
    ordered = ranked.sort_values("rank", kind="stable")
    old = data.draw(st.integers(0, len(ordered) - 1))
    new = data.draw(st.integers(0, old))
    labels = list(ordered.index)
    label = labels.pop(old)
    labels.insert(new, label)
    moved = ordered.loc[labels].assign(rank=range(1, len(labels) + 1))
    before = allocate(ranked, seats, **options).decisions.loc[label, "status"]
    after = allocate(moved, seats, **options).decisions.loc[label, "status"]
    if before == "selected":
        assert after == "selected"


def test_an_allocation_left_unworded_decides_and_explains_as_data_the_same():
    rows = [(f"A-{k}", "KEN" if k % 3 else f"C{k}", "AFR" if k % 2 else "EUR", 1.0 - k / 100) for k in range(1, 30)]
    worded = allocate(make_ranked(rows), make_seats(AFR=3, EUR=2)).decisions
    unworded = allocate(make_ranked(rows), make_seats(AFR=3, EUR=2), worded=False).decisions
    assert "reasons" not in unworded
    pd.testing.assert_frame_equal(unworded, worded.drop(columns="reasons"))
    assert list(worded["reasons"]) == Renderer("en").rows(unworded["reason_data"])
