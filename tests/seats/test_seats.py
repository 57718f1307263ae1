"""Seats per region: the quotients behind a divisor method, earlier phases, the methods compared."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.seats.per_region import (
    DIVISOR_METHODS,
    REGIONS,
    SEAT_METHODS,
    compare_methods,
    seat_quotients,
    seats_per_region,
)

PHASE1_NEEDS = {"AFR": 0.629, "AMS": 0.123514, "ARB": 0.311, "ASP": 0.314079, "CIS": 0.084778, "EUR": 0.00413}
needs_strategy = st.fixed_dictionaries(
    {r: st.one_of(st.just(0.0), st.floats(0.01, 1000)) for r in REGIONS}
).filter(lambda needs: sum(needs.values()) > 0)
earlier_strategy = st.fixed_dictionaries({r: st.integers(0, 3) for r in REGIONS})


def test_the_quotient_table_of_the_phase_one_call_reads_as_worked_by_hand():
    # Sainte-Laguë, divisors 1, 3, 5, 7, 9: seats 1 AFR 0.629, 2 ASP 0.314, 3 ARB 0.311,
    # 4 AFR 0.2097, 5 AFR 0.1258, 6 AMS 0.1235, 7 ASP 0.1047, 8 ARB 0.1037, 9 AFR 0.0899,
    # 10 CIS 0.0848; the next would be AFR 0.0699 (0.629 / 9).
    q = seat_quotients(PHASE1_NEEDS, 10, "sainte_lague")
    africa = q[q["region"] == "AFR"]
    assert list(africa["divisor"]) == [1, 3, 5, 7, 9]
    assert list(africa["won"].astype("object").fillna(0)) == [1, 4, 5, 9, 0]
    assert africa["quotient"].iloc[-1] == pytest.approx(0.629 / 9)
    assert q.loc[q["won"] == 10, "region"].item() == "CIS"
    europe = q[q["region"] == "EUR"]
    assert len(europe) == 1 and europe["won"].isna().all()


@pytest.mark.parametrize("method", DIVISOR_METHODS)
def test_the_quotients_give_exactly_the_seats_of_the_method(method):
    q = seat_quotients(PHASE1_NEEDS, 10, method)
    seats = seats_per_region(PHASE1_NEEDS, 10, method)["seats"]
    won = q[q["won"].notna()].groupby("region").size().reindex(REGIONS, fill_value=0)
    assert won.tolist() == seats.tolist()
    assert sorted(q["won"].dropna()) == list(range(1, 11))


def test_huntington_hills_first_quotient_is_infinite():
    q = seat_quotients(PHASE1_NEEDS, 10, "huntington_hill")
    first = q[q["held"] == 0]
    assert (first["divisor"] == 0).all() and first["quotient"].map(math.isinf).all()
    assert q.loc[(q["region"] == "AFR") & (q["held"] == 2), "divisor"].item() == pytest.approx(math.sqrt(6))


def test_largest_remainder_has_no_quotients():
    with pytest.raises(ValueError, match="not a divisor method"):
        seat_quotients(PHASE1_NEEDS, 10, "largest_remainder")


def test_earlier_centres_count_as_seats_a_region_already_holds():
    # Africa already holds 4 centres: Sainte-Laguë goes on from divisor 9 for it (0.629 / 9 =
    # 0.0699), so the 4 new seats go to ASP 0.314, ARB 0.311, AMS 0.1235 and ASP again 0.1047.
    seats = seats_per_region(PHASE1_NEEDS, 4, "sainte_lague", already={"AFR": 4})
    assert seats["seats"].to_dict() == {"AFR": 0, "AMS": 1, "ARB": 1, "ASP": 2, "CIS": 0, "EUR": 0}
    assert seats["previous"].to_dict() == {"AFR": 4, "AMS": 0, "ARB": 0, "ASP": 0, "CIS": 0, "EUR": 0}
    assert seats["quota"].sum() == pytest.approx(8)  # the whole network: 4 earlier + 4 new
    q = seat_quotients(PHASE1_NEEDS, 4, "sainte_lague", already={"AFR": 4})
    assert q.loc[q["region"] == "AFR", "held"].tolist() == [4]


def test_largest_remainder_refuses_earlier_centres():
    with pytest.raises(ValueError, match="largest remainder cannot count centres of earlier phases"):
        seats_per_region(PHASE1_NEEDS, 4, "largest_remainder", already={"AFR": 1})


def test_the_comparison_of_methods_matches_each_method_and_leaves_largest_remainder_out_with_earlier_centres():
    table = compare_methods(PHASE1_NEEDS, 10)
    for method in SEAT_METHODS:
        assert table[method].tolist() == seats_per_region(PHASE1_NEEDS, 10, method)["seats"].tolist()
    later = compare_methods(PHASE1_NEEDS, 4, already={"AFR": 4})
    assert later["largest_remainder"].isna().all()
    assert int(later["sainte_lague"].sum()) == 4


@settings(max_examples=150, deadline=None)
@given(needs=needs_strategy, seats=st.integers(0, 25), method=st.sampled_from(DIVISOR_METHODS),
       earlier=earlier_strategy)
def test_every_winning_quotient_is_at_least_every_losing_one(needs, seats, method, earlier):
    q = seat_quotients(needs, seats, method, already=earlier)
    won, lost = q[q["won"].notna()], q[q["won"].isna()]
    if not won.empty and not lost.empty:
        assert won["quotient"].min() >= lost["quotient"].max() * (1 - 1e-12)
    new = seats_per_region(needs, seats, method, already=earlier)["seats"]
    assert int(new.sum()) == seats
    assert won.groupby("region").size().reindex(REGIONS, fill_value=0).tolist() == new.tolist()


@settings(max_examples=150, deadline=None)
@given(needs=needs_strategy, seats=st.integers(0, 20), method=st.sampled_from(DIVISOR_METHODS),
       earlier=earlier_strategy)
def test_with_earlier_centres_one_more_seat_still_never_costs_a_region_a_seat(needs, seats, method, earlier):
    before = seats_per_region(needs, seats, method, already=earlier)["seats"]
    after = seats_per_region(needs, seats + 1, method, already=earlier)["seats"]
    assert (after >= before).all() and int((after - before).sum()) == 1
