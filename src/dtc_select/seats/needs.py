"""Each ITU-D region's need, from which its share of the seats follows (Annex §3).

The formula is named in the call file (`allocation.need.formula`); every formula takes its inputs
from the shipped reference tables (sources in `reference/SOURCES.md`) and gives, per region, its
inputs, `need` and `working`. Internet use comes from one edition of ITU's figures, the one the
call uses (`reference/indicators.py`: named by `allocation.need.indicator_edition`, or the latest
complete one published on or before `country_status.as_of`), named in `indicator_edition`.
`working` is the formula written out with the region's numbers, so a committee member can
recompute it by hand.

- `offline_share_x_eligible_share` (phase 1 default):
      need = (100 − % of individuals using the Internet) / 100
             × ITU Member States that may host a DTC on the call's date / ITU Member States
  The first factor is how much of the region is still offline (ITU's regional figures); the second
  keeps a region whose countries mostly cannot host a DTC (Europe) from claiming seats.
- `ldc_count`: need = the region's least developed countries on the call's date (UN list).
- `people_offline_in_ldcs`: need = people living in the region's least developed countries
  (millions, UN WPP) × the region's offline share — an estimate of the people offline there,
  since Internet use is known per region, not per country.
- `explicit`: the committee's own number per region, as written in the call file.

Not shipped: people offline in *all* the region's developing countries. Asia-Pacific's developing
countries hold more than three times Africa's population, so that formula would rank Asia-Pacific's
need above Africa's, against what the phase-1 committee did (see docs/method.md, "Seats per region").
"""

from __future__ import annotations

import pandas as pd

from dtc_select.call import vocabulary as vocab
from dtc_select.call.model import Call
from dtc_select.errors import ReferenceDataError
from dtc_select.reference.countries import CountryTable
from dtc_select.reference.indicators import call_edition, load_regional_indicators
from dtc_select.reference.regional import load_population

NEED_DECIMALS = 6  # needs are rounded once, here, so the report's numbers are the ones used

FORMULA_WORDS = {
    "offline_share_x_eligible_share": "need = (100 − Internet use %) / 100 × Member States that may "
    "host a DTC / Member States",
    "ldc_count": "need = number of least developed countries in the region",
    "people_offline_in_ldcs": "need = people in the region's least developed countries (millions) × "
    "(100 − Internet use %) / 100",
    "explicit": "need = the number the call file gives for the region",
}
# Formulas computed from shipped data (every formula but `explicit`), compared in the report.
SHIPPED_FORMULAS = ("offline_share_x_eligible_share", "ldc_count", "people_offline_in_ldcs")


def regional_needs(call: Call, table: CountryTable, formula: str | None = None) -> pd.DataFrame:
    """One row per region (REGIONS order): region_name, the formula's inputs, `need` and
    `working`. `formula` defaults to the call's; any of SHIPPED_FORMULAS can be asked for."""
    need = call.allocation.need
    formula = formula or need.formula
    frame = pd.DataFrame(index=pd.Index(vocab.REGIONS, name="region"))
    frame["region_name"] = [vocab.REGION_NAMES[r] for r in vocab.REGIONS]
    if formula == "explicit":
        given = need.explicit or {}
        frame["need"] = [float(given.get(r, 0.0)) for r in vocab.REGIONS]
        frame["working"] = [f"given in the call file: {v:g}" for v in frame["need"]]
        return frame
    if formula not in SHIPPED_FORMULAS:
        raise ValueError(f"unknown need formula {formula!r}; known: {', '.join(FORMULA_WORDS)}")
    facts = _member_facts(call, table)
    if formula == "ldc_count":
        frame["ldc_states"] = _count(facts["is_ldc"], facts["region"], frame.index)
        frame["need"] = frame["ldc_states"].astype(float)
        frame["working"] = _working(frame, "{ldc_states} least developed countries")
        return frame
    _offline(frame, call)
    if formula == "offline_share_x_eligible_share":
        may_host = facts["is_ldc"] | (facts["development"] == "developing").fillna(False)
        frame["member_states"] = facts.groupby("region").size().reindex(frame.index, fill_value=0)
        frame["eligible_states"] = _count(may_host, facts["region"], frame.index)
        frame["eligible_share"] = frame["eligible_states"] / frame["member_states"]
        frame["need"] = (frame["offline_share"] * frame["eligible_share"]).round(NEED_DECIMALS)
        frame["working"] = _working(frame, "(100 − {internet_use_percent:g}) / 100 × {eligible_states} / "
                                    "{member_states} = {offline_share:.3f} × {eligible_share:.6f} = {need:.6f}")
        return frame
    # people_offline_in_ldcs
    population = load_population()
    ldcs = facts.index[facts["is_ldc"]]
    missing = sorted(set(ldcs) - set(population.index))
    if missing:
        # A call dated before an LDC graduated (Equatorial Guinea, 2017-06-04) needs its population:
        # the shipped table, not the call, is short, so a reference-data error (exit 4), not a crash.
        raise ReferenceDataError(f"dtc_select/reference/population.csv has no population for {', '.join(missing)}, "
                                 f"least developed on the call's country status date ({call.country_status.as_of}); "
                                 "add them (UN World Population Prospects) to compute the need")
    people = population.loc[ldcs, "population_thousands"] / 1000.0
    frame["ldc_states"] = _count(facts["is_ldc"], facts["region"], frame.index)
    frame["ldc_population_millions"] = people.groupby(facts.loc[ldcs, "region"]).sum().reindex(
        frame.index, fill_value=0.0).round(3)
    years = sorted(set(population.loc[ldcs, "year"]))
    frame["population_year"] = ", ".join(str(y) for y in years)
    frame["need"] = (frame["ldc_population_millions"] * frame["offline_share"]).round(NEED_DECIMALS)
    frame["working"] = _working(frame, "{ldc_population_millions:.3f} million people in {ldc_states} least "
                                "developed countries × (100 − {internet_use_percent:g}) / 100 = "
                                "{ldc_population_millions:.3f} × {offline_share:.3f} = {need:.6f}")
    return frame


def _working(frame: pd.DataFrame, template: str) -> list[str]:
    """The formula written out with each region's numbers (`template` names the columns)."""
    return [template.format(**row) for row in frame.to_dict("records")]


def _member_facts(call: Call, table: CountryTable) -> pd.DataFrame:
    """Region, LDC status (bool) and development of every ITU Member State on the call's date."""
    members = table.frame[table.frame["itu_member"] == "Y"]
    facts = table.facts(pd.Series(members.index, index=members.index), call.country_status.as_of)
    facts["is_ldc"] = facts["is_ldc"].fillna(False).astype(bool)
    return facts


def _count(flags: pd.Series, regions: pd.Series, index: pd.Index) -> pd.Series:
    return flags.astype(bool).groupby(regions).sum().reindex(index, fill_value=0).astype("int64")


def _offline(frame: pd.DataFrame, call: Call) -> None:
    """Internet use and offline share per region, from the edition the call uses (a complete one:
    indicators.choose_edition never picks an edition missing a region)."""
    edition = call_edition(call).edition.edition
    indicators = load_regional_indicators(edition).set_index("region")
    frame["internet_use_percent"] = indicators["internet_use_percent"].reindex(frame.index).astype(float)
    frame["indicator_year"] = indicators["year"].reindex(frame.index)
    frame["indicator_edition"] = edition
    frame["offline_share"] = (100.0 - frame["internet_use_percent"]) / 100.0
