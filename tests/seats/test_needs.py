"""Regional need: every shipped formula from shipped, sourced data, and how it compares with the real phase 1."""

from __future__ import annotations

import datetime as dt

import pytest

from dtc_select.reference.countries import load_country_table
from dtc_select.reference.indicators import indicator_editions
from dtc_select.seats.needs import FORMULA_WORDS, SHIPPED_FORMULAS, regional_needs
from dtc_select.reference.regional import load_population, past_outcome, past_outcome_ids
from dtc_select.seats.per_region import REGIONS, SEAT_METHODS, seats_per_region
from dtc_select.call.vocabulary import NEED_FORMULAS


@pytest.fixture(scope="module")
def table():
    return load_country_table()


def with_formula(call, formula, explicit=None):
    need = call.allocation.need.model_copy(update={"formula": formula, "explicit": explicit})
    return call.model_copy(update={"allocation": call.allocation.model_copy(update={"need": need})})


def with_edition(call, edition):
    need = call.allocation.need.model_copy(update={"indicator_edition": edition})
    return call.model_copy(update={"allocation": call.allocation.model_copy(update={"need": need})})


COMPLETE_EDITIONS = [e for e, found in indicator_editions().items() if found.complete]


def test_every_formula_the_call_file_may_name_is_described_and_computed(call, table):
    assert set(FORMULA_WORDS) == set(NEED_FORMULAS)
    for formula in SHIPPED_FORMULAS:
        needs = regional_needs(call, table, formula)
        assert list(needs.index) == list(REGIONS)
        assert (needs["need"] >= 0).all() and needs["need"].sum() > 0
        assert needs["working"].str.len().gt(0).all()


def test_the_offline_formula_shows_its_numbers_so_it_can_be_recomputed(call, table):
    needs = regional_needs(call, table)  # phase 1 (2019-11-30): ITU's 2018 estimates, the latest complete edition
    assert needs["indicator_edition"].eq("2018").all() and needs["indicator_year"].eq(2018).all()
    assert needs.loc["AFR", "need"] == pytest.approx((100 - 24.4) / 100 * 44 / 44)
    assert needs.loc["ASP", "working"] == "(100 − 47) / 100 × 35 / 38 = 0.530 × 0.921053 = 0.488158"
    later = regional_needs(with_edition(call, "2023"), table)
    assert later.loc["ASP", "working"] == "(100 − 65.9) / 100 × 35 / 38 = 0.341 × 0.921053 = 0.314079"
    assert later["indicator_edition"].eq("2023").all()


def test_the_ldc_count_is_the_un_list_on_the_calls_date(call, table):
    needs = regional_needs(call, table, "ldc_count")
    assert needs["ldc_states"].to_dict() == {"AFR": 28, "AMS": 1, "ARB": 6, "ASP": 12, "CIS": 0, "EUR": 0}
    assert needs.loc["AFR", "working"] == "28 least developed countries"
    # Vanuatu (2020), Bhutan (2023) and São Tomé and Príncipe (2024) have graduated since.
    later = call.model_copy(update={"country_status": call.country_status.model_copy(
        update={"as_of": dt.date(2025, 1, 1)})})
    assert regional_needs(later, table, "ldc_count")["ldc_states"].to_dict() == {
        "AFR": 27, "AMS": 1, "ARB": 6, "ASP": 10, "CIS": 0, "EUR": 0}


def test_people_offline_in_ldcs_multiplies_their_population_by_the_regions_offline_share(call, table):
    needs = regional_needs(call, table, "people_offline_in_ldcs")
    population = load_population()
    haiti = population.loc["HTI", "population_thousands"] / 1000
    assert needs.loc["AMS", "ldc_population_millions"] == pytest.approx(haiti)
    assert needs.loc["AMS", "need"] == pytest.approx(haiti * (100 - 69.6) / 100, abs=1e-6)
    assert needs.loc["CIS", "need"] == 0 and needs.loc["EUR", "need"] == 0
    assert needs.loc["AFR", "population_year"] == "2019"
    assert "million people in 28 least developed countries" in needs.loc["AFR", "working"]


def test_the_population_table_covers_every_ldc_and_says_how_sure_it_is(call, table):
    population = load_population()
    members = table.frame[table.frame["itu_member"] == "Y"]
    facts = table.facts(members.index.to_series(index=members.index), call.country_status.as_of)
    assert set(facts.index[facts["is_ldc"].fillna(False).astype(bool)]) <= set(population.index)
    assert set(population["confidence"]) <= {"verified", "reported", "inferred", "uncertain"}
    assert population["source"].str.contains("World Population Prospects").all()


def test_explicit_needs_are_the_committees_numbers(call, table):
    explicit = with_formula(call, "explicit", {"AFR": 4, "AMS": 3, "ASP": 3})
    needs = regional_needs(explicit, table)
    assert needs["need"].to_dict() == {"AFR": 4.0, "AMS": 3.0, "ARB": 0.0, "ASP": 3.0, "CIS": 0.0, "EUR": 0.0}
    assert seats_per_region(needs["need"].to_dict(), 10, "sainte_lague")["seats"].tolist() == [4, 3, 0, 3, 0, 0]


def test_both_real_phase_one_outcomes_are_shipped_with_their_sources():
    assert past_outcome_ids() == ("phase1_selected", "phase1_ran", "phase2_selected")
    selected, ran = past_outcome("phase1_selected"), past_outcome("phase1_ran")
    phase2 = past_outcome("phase2_selected")  # the 2021 call's: COD, ETH, UGA, MAR, PAK
    assert phase2["centres"] == {"AFR": 3, "AMS": 0, "ARB": 1, "ASP": 1, "CIS": 0, "EUR": 0}
    assert phase2["confidence"] == "reported"
    assert selected["centres"] == {"AFR": 4, "AMS": 3, "ARB": 0, "ASP": 3, "CIS": 0, "EUR": 0}
    assert ran["centres"] == {"AFR": 4, "AMS": 2, "ARB": 0, "ASP": 3, "CIS": 0, "EUR": 0}
    for outcome in (selected, ran):
        assert "academy.itu.int" in outcome["source"] and outcome["confidence"] == "verified"
    with pytest.raises(ValueError, match="unknown past outcome"):
        past_outcome("phase9")


@pytest.mark.parametrize("edition", COMPLETE_EDITIONS)
@pytest.mark.parametrize("formula", SHIPPED_FORMULAS)
def test_no_shipped_formula_puts_another_region_ahead_of_africa_with_any_shipped_edition(call, table, formula,
                                                                                         edition):
    # The phase-1 committee gave Africa the most centres (4; Americas 3 and Asia-Pacific 3).
    need = regional_needs(with_edition(call, edition), table, formula)["need"]
    assert need.idxmax() == "AFR" and (need.drop("AFR") < need["AFR"]).all()
    for method in sorted(SEAT_METHODS):
        seats = seats_per_region(need.to_dict(), call.allocation.seats, method)["seats"]
        assert (seats.drop("AFR") <= seats["AFR"]).all(), (formula, method, seats.to_dict())


def test_an_unknown_formula_is_refused(call, table):
    with pytest.raises(ValueError, match="unknown need formula"):
        regional_needs(call, table, "gdp_per_capita")


def test_a_call_dated_when_an_ldc_without_a_population_row_was_one_is_a_reference_data_error(call, table):
    from dtc_select.errors import ReferenceDataError

    # Equatorial Guinea was least developed until 2017-06-04; population.csv covers the LDCs of 2019.
    early = call.model_copy(update={"country_status": call.country_status.model_copy(
        update={"as_of": dt.date(2017, 6, 1)})})
    with pytest.raises(ReferenceDataError, match=r"population.csv has no population for GNQ, least developed on "
                                                 r"the call's country status date \(2017-06-01\)"):
        regional_needs(early, table, "people_offline_in_ldcs")
