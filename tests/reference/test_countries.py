"""countries.py: names and codes -> ISO3, and facts per country as of a date."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.reference import countries as c
from dtc_select.reference.countries import (
    CountryTable,
    build_country_table,
    compact_country_text,
    load_country_table,
    load_itu_offices,
    normalise_country_text,
)
from dtc_select.errors import ReferenceDataError

DEADLINE_2019 = dt.date(2019, 11, 30)
NEW_YEAR_2025 = dt.date(2025, 1, 1)
CURRENT_LDCS = {
    "AFG", "AGO", "BGD", "BEN", "BFA", "BDI", "KHM", "CAF", "TCD", "COM", "COD", "DJI", "ERI",
    "ETH", "GMB", "GIN", "GNB", "HTI", "KIR", "LAO", "LSO", "LBR", "MDG", "MWI", "MLI", "MRT",
    "MOZ", "MMR", "NPL", "NER", "RWA", "SEN", "SLE", "SLB", "SOM", "SSD", "SDN", "TLS", "TGO",
    "TUV", "UGA", "TZA", "YEM", "ZMB",
}


@pytest.fixture(scope="module")
def table() -> CountryTable:
    return load_country_table()


def resolve(table: CountryTable, *values):
    return table.resolve(pd.Series(list(values), dtype="object")).tolist()


def ldcs_on(table: CountryTable, day: dt.date) -> set[str]:
    facts = table.facts(pd.Series(table.frame.index, index=table.frame.index), day)
    return set(facts.index[facts["is_ldc"].fillna(False).to_numpy(dtype=bool)])


# -- resolving names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, iso3",
    [
        ("Senegal", "SEN"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
        ("United Republic of Tanzania", "TZA"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Nauru", "NRU"),
        ("Türkiye", "TUR"),
    ],
)
def test_an_english_name_resolves(table, text, iso3):
    assert resolve(table, text) == [iso3]


@pytest.mark.parametrize(
    "text, iso3",
    [
        ("Sénégal", "SEN"),
        ("Tchad", "TCD"),
        ("Côte d'Ivoire", "CIV"),
        ("République démocratique du Congo", "COD"),
        ("République-Unie de Tanzanie", "TZA"),
        ("Bolivie (État plurinational de)", "BOL"),
        ("Égypte", "EGY"),
    ],
)
def test_a_french_name_with_accents_resolves(table, text, iso3):
    assert resolve(table, text) == [iso3]


@pytest.mark.parametrize(
    "text, iso3",
    [
        ("senegal", "SEN"),
        ("Republique democratique du Congo", "COD"),
        ("Republique-Unie de Tanzanie", "TZA"),
        ("Egypte", "EGY"),
        ("Etats-Unis", "USA"),
        ("Coree du Sud", "KOR"),
    ],
)
def test_a_french_name_without_accents_resolves(table, text, iso3):
    assert resolve(table, text) == [iso3]


def test_a_typographic_apostrophe_is_read_as_a_plain_one(table):
    assert resolve(table, "Côte d’Ivoire", "Côte d‘Ivoire", "Cote dʼIvoire", "Côte d´Ivoire") == ["CIV"] * 4


def test_case_stray_spaces_and_missing_punctuation_do_not_matter(table):
    assert resolve(table, "COTE D'IVOIRE", "  cote divoire ", "cote d ivoire", "Côte\u00a0d'Ivoire") == ["CIV"] * 4
    assert resolve(table, "guinea bissau", "Guinea–Bissau", "TIMOR LESTE", "u.s.a.") == ["GNB", "GNB", "TLS", "USA"]


def test_a_leading_article_is_ignored(table):
    assert resolve(table, "The Gambia", "le Sénégal", "l'Inde", "La Tunisie") == ["GMB", "SEN", "IND", "TUN"]


@pytest.mark.parametrize(
    "code, iso3",
    [("SN", "SEN"), ("sn", "SEN"), ("sen", "SEN"), (" Civ ", "CIV"), ("cd", "COD"), ("cod", "COD"), ("xk", "XKX")],
)
def test_iso_codes_resolve_in_any_case(table, code, iso3):
    assert resolve(table, code) == [iso3]


@pytest.mark.parametrize(
    "alias, iso3",
    [
        ("Tanzania", "TZA"), ("Bolivia", "BOL"), ("Vietnam", "VNM"), ("Viet Nam", "VNM"),
        ("Laos", "LAO"), ("Ivory Coast", "CIV"), ("DR Congo", "COD"), ("DRC", "COD"),
        ("Congo-Kinshasa", "COD"), ("Congo (RDC)", "COD"), ("RDC", "COD"),
        ("Congo-Brazzaville", "COG"), ("Russia", "RUS"), ("Iran", "IRN"), ("Syria", "SYR"),
        ("Moldova", "MDA"), ("South Korea", "KOR"), ("North Korea", "PRK"), ("Turkey", "TUR"),
        ("Turquie", "TUR"), ("Swaziland", "SWZ"), ("Cape Verde", "CPV"), ("Cap-Vert", "CPV"),
        ("Czech Republic", "CZE"), ("Macedonia", "MKD"), ("Micronesia", "FSM"), ("Burma", "MMR"),
        ("East Timor", "TLS"), ("UK", "GBR"), ("Royaume-Uni", "GBR"), ("USA", "USA"),
        ("United States", "USA"), ("The Gambia", "GMB"), ("Sao Tome", "STP"),
        ("São Tomé and Príncipe", "STP"), ("Vatican", "VAT"), ("Palestine", "PSE"),
        ("Naoero", "NRU"), ("Tanzanie", "TZA"), ("Bolivie", "BOL"),
    ],
)
def test_common_aliases_resolve(table, alias, iso3):
    assert resolve(table, alias) == [iso3]


def test_unknown_names_resolve_to_na(table):
    assert resolve(table, "Atlantis", "Korea", "XX", "QQQ", "N/A", "Senegalia") == [pd.NA] * 6


def test_empty_and_missing_values_resolve_to_na(table):
    assert resolve(table, "", "   ", None, pd.NA, float("nan")) == [pd.NA] * 5


def test_resolve_keeps_the_index_and_returns_strings(table):
    values = pd.Series(["Senegal", None, "Chad"], index=[10, 20, 30], dtype="string")
    out = table.resolve(values)
    assert out.dtype == "string"
    assert out.index.tolist() == [10, 20, 30]
    assert out.tolist() == ["SEN", pd.NA, "TCD"]


def test_resolve_accepts_a_repeated_index_and_categories(table):
    values = pd.Series(["Chad", None, "Mali"], index=[1, 1, 2], dtype="category")
    out = table.resolve(values)
    assert out.index.tolist() == [1, 1, 2]
    assert out.tolist() == ["TCD", pd.NA, "MLI"]


def test_an_article_is_only_dropped_as_a_separate_word(table):
    assert resolve(table, "Lamali", "Letchad", "Lesotho", "le Mali") == [pd.NA, pd.NA, "LSO", "MLI"]


def test_resolve_handles_a_hundred_thousand_rows(table):
    values = pd.Series(["Sénégal", "kenya", None, "nowhere", "BF"] * 20_000)
    out = table.resolve(values)
    assert len(out) == 100_000
    assert out.value_counts().to_dict() == {"SEN": 20_000, "KEN": 20_000, "BFA": 20_000}


def test_normalising_strips_accents_case_apostrophes_dashes_and_spaces():
    assert normalise_country_text("  Côte  d’Ivoire ") == "cote d'ivoire"
    assert normalise_country_text("Guinea\u2013Bissau") == "guinea-bissau"
    assert normalise_country_text(None) == ""
    assert compact_country_text("Côte d’Ivoire") == compact_country_text("cote divoire") == "cotedivoire"


def test_no_two_countries_share_a_spelling(table):
    owners: dict[str, set[str]] = {}
    for iso3, row in table.frame.iterrows():
        names = [row["name_en"], row["name_fr"], *[a for a in row["aliases"].split(";") if a]]
        for key in [normalise_country_text(iso3), normalise_country_text(row["iso2"])] + [
            normalise_country_text(n) for n in names
        ]:
            owners.setdefault(key, set()).add(iso3)
        for n in names:
            owners.setdefault("compact:" + compact_country_text(n), set()).add(iso3)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert shared == {}


def test_every_name_and_code_resolves_to_its_own_row(table):
    frame = table.frame
    for column in ("name_en", "name_fr", "iso2"):
        assert table.resolve(frame[column]).tolist() == frame.index.tolist(), column
    assert table.resolve(pd.Series(frame.index)).tolist() == frame.index.tolist()


_ROWS = load_country_table().frame.reset_index()[["iso3", "iso2", "name_en", "name_fr"]].to_dict("records")


@st.composite
def _typed_spelling(draw):
    row = draw(st.sampled_from(_ROWS))
    column = draw(st.sampled_from(["iso3", "iso2", "name_en", "name_fr"]))
    text = row[column]
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    text = "".join(ch.swapcase() if flip else ch for ch, flip in zip(text, flips))
    gaps = st.text(alphabet=" \t\u00a0", min_size=1, max_size=3)
    text = draw(gaps).join(text.split(" "))
    return row["iso3"], draw(st.text(alphabet=" \t", max_size=3)) + text + draw(st.text(alphabet=" \t", max_size=3))


@settings(max_examples=300, deadline=None)
@given(_typed_spelling())
def test_any_name_or_code_typed_in_any_case_with_extra_spaces_resolves_to_its_row(case):
    iso3, typed = case
    assert load_country_table().resolve(pd.Series([typed])).tolist() == [iso3]


# -- the table ----------------------------------------------------------------------------------


def test_there_are_193_itu_member_states_in_six_regions(table):
    members = table.frame[table.frame["itu_member"] == "Y"]
    assert len(members) == 193
    assert members["region"].value_counts().to_dict() == {
        "EUR": 46, "AFR": 44, "ASP": 38, "AMS": 35, "ARB": 21, "CIS": 9,
    }


def test_palestine_palau_and_kosovo_are_listed_but_not_members(table):
    assert set(table.frame.loc[["PSE", "PLW", "XKX"], "itu_member"]) == {"N"}
    assert len(table.frame) == 196


def test_comoros_djibouti_mauritania_somalia_and_sudan_are_arab_states(table):
    assert set(table.frame.loc[["COM", "DJI", "MRT", "SOM", "SDN"], "region"]) == {"ARB"}


def test_nauru_is_called_nauru(table):
    assert table.name("NRU") == "Nauru"
    assert table.name_fr("nru") == "Nauru"


def test_names_come_in_english_and_french(table):
    assert table.name("CIV") == "Côte d'Ivoire"
    assert table.name_fr("TCD") == "Tchad"
    assert table.name_fr("COD") == "République démocratique du Congo"
    assert table.name_fr("TZA") == "République-Unie de Tanzanie"
    assert table.name_fr("BOL") == "Bolivie (État plurinational de)"
    with pytest.raises(KeyError):
        table.name("XXX")


# -- facts as of a date --------------------------------------------------------------------------


def test_on_the_2019_deadline_vanuatu_bhutan_and_sao_tome_were_ldcs_equatorial_guinea_was_not(table):
    ldcs = ldcs_on(table, DEADLINE_2019)
    assert ldcs == CURRENT_LDCS | {"VUT", "BTN", "STP"}
    assert len(ldcs) == 47
    assert not ldcs & {"GNQ", "WSM", "MDV", "CPV", "BWA"}


def test_on_new_year_2025_bhutan_and_sao_tome_were_no_longer_ldcs(table):
    ldcs = ldcs_on(table, NEW_YEAR_2025)
    assert ldcs == CURRENT_LDCS
    assert not ldcs & {"BTN", "STP", "VUT"}


def test_an_ldc_stops_being_one_on_its_graduation_day(table):
    vut = pd.Series(["VUT"])
    assert table.facts(vut, dt.date(2020, 12, 3))["is_ldc"].tolist() == [True]
    assert table.facts(vut, dt.date(2020, 12, 4))["is_ldc"].tolist() == [False]
    assert table.facts(pd.Series(["SSD"]), dt.date(2011, 7, 9))["is_ldc"].tolist() == [False]


def test_facts_keep_the_index_and_have_the_contract_dtypes(table):
    iso3 = pd.Series(["SEN", "FRA"], index=["a", "b"], dtype="string")
    facts = table.facts(iso3, DEADLINE_2019)
    assert facts.index.tolist() == ["a", "b"]
    assert facts.dtypes.astype(str).to_dict() == {
        "country_name": "string", "region": "string", "is_ldc": "boolean",
        "development": "string", "itu_office": "boolean",
    }
    assert facts.loc["a"].tolist() == ["Senegal", "AFR", True, "developing", True]


def test_europe_is_developed_and_the_rest_of_the_world_mostly_developing(table):
    facts = table.facts(pd.Series(["FRA", "UKR", "MDA", "RUS", "BLR", "ALB", "SRB", "USA", "JPN", "AUS"]), DEADLINE_2019)
    assert set(facts["development"]) == {"developed"}
    facts = table.facts(pd.Series(["TUR", "GEO", "KOR", "SGP", "BRA", "ZAF", "CHN", "SEN"]), DEADLINE_2019)
    assert set(facts["development"]) == {"developing"}


def test_an_unsettled_development_status_is_na(table):
    facts = table.facts(pd.Series(["ISR", "CYP", "XKX"]), DEADLINE_2019)
    assert facts["development"].isna().all()


def test_unknown_or_missing_iso3_gives_na_everywhere(table):
    facts = table.facts(pd.Series(["ZZZ", None, ""], dtype="string"), DEADLINE_2019)
    assert facts.isna().all().all()


def test_an_itu_office_counts_from_the_day_it_opened(table):
    countries = pd.Series(["ETH", "SEN", "FRA", "IND"])
    assert table.facts(countries, DEADLINE_2019)["itu_office"].tolist() == [True, True, False, False]
    assert table.facts(countries, dt.date(2024, 1, 1))["itu_office"].tolist() == [True, True, False, True]


def test_a_deadline_with_a_time_of_day_is_read_as_its_utc_date(table):
    deadline = dt.datetime(2020, 12, 4, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=11)))  # 2020-12-03 UTC
    assert table.facts(pd.Series(["VUT"]), deadline)["is_ldc"].tolist() == [True]


# -- other tables --------------------------------------------------------------------------------


def test_the_itu_offices_are_in_known_countries_with_a_source_confidence():
    offices = load_itu_offices()
    assert len(offices) >= 6
    assert set(offices.loc[offices["office_type"] == "regional", "iso3"]) == {"ETH", "BRA", "EGY", "THA", "RUS", "CHE"}
    assert set(offices["confidence"]) <= {"verified", "reported", "inferred", "uncertain"}


# -- checks on load ------------------------------------------------------------------------------

_HEADER = ",".join(c.COUNTRY_COLUMNS)
_OFFICES = ",".join(c.OFFICE_COLUMNS) + "\n"
_SEN = "SEN,SN,686,Senegal,Sénégal,,AFR,Y,developing,2000-01-01,,status verified,inferred,"
_TCD = "TCD,TD,148,Chad,Tchad,{aliases},AFR,Y,developing,1971-01-01,,status verified,inferred,"


def _build(*rows: str, offices: str = _OFFICES) -> CountryTable:
    text = "\n".join([_HEADER, *rows]) + "\n"
    return build_country_table(io.StringIO(text), io.StringIO(offices), "countries.csv", "itu_offices.csv")


def test_a_spelling_shared_by_two_countries_is_rejected_naming_the_file_and_line():
    with pytest.raises(ReferenceDataError, match=r"countries\.csv line 3 \(TCD\): spelling 'Sénégal' also names SEN"):
        _build(_SEN, _TCD.format(aliases="Sénégal"))


def test_a_spelling_equal_once_punctuation_is_removed_is_rejected():
    with pytest.raises(ReferenceDataError, match=r"line 3 \(TCD\).*also names SEN"):
        _build(_SEN, _TCD.format(aliases="Sene-gal"))


def test_a_duplicate_code_is_rejected():
    with pytest.raises(ReferenceDataError, match=r"countries\.csv line 3 \(SEN\): code SEN is already used on line 2"):
        _build(_SEN, _SEN)


def test_a_bad_region_or_date_is_rejected():
    with pytest.raises(ReferenceDataError, match="region 'XYZ'"):
        _build(_SEN.replace(",AFR,", ",XYZ,"))
    with pytest.raises(ReferenceDataError, match="ldc_included '2000-13-01'"):
        _build(_SEN.replace("2000-01-01", "2000-13-01"))


def test_an_office_in_an_unknown_country_is_rejected():
    office = "Office,area,Nowhere,Nowhere,ZZZ,AFR,,inferred,,\n"
    with pytest.raises(ReferenceDataError, match=r"itu_offices\.csv line 2 \(ZZZ\)"):
        _build(_SEN, offices=_OFFICES + office)


def test_the_module_does_not_need_pycountry_at_run_time():
    code = (
        "import sys; sys.modules['pycountry'] = None\n"
        "from dtc_select.reference.countries import load_country_table\n"
        "import pandas as pd\n"
        "print(load_country_table().resolve(pd.Series(['Sénégal'])).iloc[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "SEN"
