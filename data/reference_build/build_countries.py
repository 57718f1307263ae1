"""Rebuild the shipped country reference tables in src/dtc_select/reference/.

Build-time only: needs pycountry (French names and extra spellings), which the package itself
never imports. Run from the repository root:

    .venv/bin/uv pip install --python .venv/bin/python pycountry
    .venv/bin/python data/reference_build/build_countries.py [--shared /work/shared/reference]

Inputs: the compiled tables in the shared reference folder (itu_d_regions.csv, ldc_status.csv,
itu_field_offices.csv; compiled 2026-11-23, see their *.source.md)
plus the curated corrections below (UN French short names, aliases, LDC inclusion years, region
decisions). Everything a human decided is in this file, next to the reason, so that a rerun gives
the same CSVs and a reviewer can see every choice. SOURCES.md (written by hand) explains the tables.
The Internet-use editions (indicator_editions.csv, regional_indicators.csv) are written by hand,
row by row with their sources: most editions come from searches beyond the shared compilation.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import io
import sys
from pathlib import Path

import pycountry

AS_OF = "2026-11-23"
REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "src" / "dtc_select" / "reference"

# --------------------------------------------------------------------------------------------
# English short names: the shared table's (UN short names), with corrections.
NAME_EN_FIX = {
    "NRU": "Nauru",  # shared table had the native "Naoero"; UN/ITU English short name is Nauru
}

# French short names as the UN (UNTERM) and ITU write them. pycountry's iso-codes French
# translation is the starting point; these replace it where UN usage differs.
NAME_FR_UN = {
    "BOL": "Bolivie (État plurinational de)",
    "COG": "Congo",
    "CPV": "Cabo Verde",
    "FSM": "Micronésie (États fédérés de)",
    "GBR": "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
    "GNQ": "Guinée équatoriale",
    "IRN": "Iran (République islamique d')",
    "IRQ": "Iraq",
    "KNA": "Saint-Kitts-et-Nevis",
    "KOR": "République de Corée",
    "LAO": "République démocratique populaire lao",
    "MDA": "République de Moldova",
    "MMR": "Myanmar",
    "NGA": "Nigéria",
    "NLD": "Pays-Bas (Royaume des)",
    "PRK": "République populaire démocratique de Corée",
    "PSE": "État de Palestine",
    "RUS": "Fédération de Russie",
    "SLB": "Îles Salomon",
    "SLV": "El Salvador",
    "SUR": "Suriname",
    "SYR": "République arabe syrienne",
    "TLS": "Timor-Leste",
    "TUR": "Türkiye",
    "TZA": "République-Unie de Tanzanie",
    "USA": "États-Unis d'Amérique",
    "VAT": "Saint-Siège",
    "VEN": "Venezuela (République bolivarienne du)",
    "VNM": "Viet Nam",
    "XKX": "Kosovo",
}

# Spellings users type, beyond name_en / name_fr (accents, case and punctuation are handled by the
# resolver, so "Cote d'Ivoire", "COTE DIVOIRE" need no entry here). "Congo" alone is the Republic
# of the Congo (UN usage) and is deliberately NOT an alias of the Democratic Republic of the Congo;
# "Korea" and "Guinea"-like bare words are left out where they would be ambiguous.
ALIASES = {
    "ARE": ["UAE", "U.A.E.", "Emirates", "EAU"],
    "ATG": ["Antigua"],
    "BHS": ["The Bahamas", "Bahamas, The"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina", "BiH", "Bosnie"],
    "BLR": ["Belorussia", "Byelorussia", "Biélorussie"],
    "BOL": ["Bolivia", "Bolivie", "Plurinational State of Bolivia"],
    "BRA": ["Brasil"],
    "BRN": ["Brunei", "Brunéi"],
    "CAF": ["CAR", "Central African Rep.", "Centrafrique"],
    "CHE": ["Schweiz", "Swiss Confederation"],
    "CHN": ["PRC", "People's Republic of China", "China, People's Republic of"],
    "CIV": ["Ivory Coast", "Côte-d'Ivoire", "Republic of Côte d'Ivoire"],
    "COD": [
        "DR Congo", "D.R. Congo", "DRC", "D.R.C.", "DR of Congo", "Democratic Republic of Congo",
        "Congo, Democratic Republic of the", "Congo, Dem. Rep.", "Dem. Rep. Congo",
        "Congo-Kinshasa", "Congo (Kinshasa)", "Congo (DRC)", "Congo (RDC)", "RDC", "RD Congo",
        "R.D. Congo", "Zaire", "Zaïre",
    ],
    "COG": [
        "Republic of the Congo", "Republic of Congo", "Congo, Republic of the", "Congo, Rep.",
        "Congo Republic", "Congo-Brazzaville", "Congo (Brazzaville)", "République du Congo",
    ],
    "COM": ["Union of the Comoros"],
    "CPV": ["Cape Verde", "Cap-Vert"],
    "CZE": ["Czech Republic", "République tchèque"],
    "DEU": ["Deutschland"],
    "DMA": ["Commonwealth of Dominica"],
    "DOM": ["Dominican Rep."],
    "ESP": ["España"],
    "FSM": ["Micronesia", "Federated States of Micronesia", "Micronésie"],
    "GBR": ["United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "Royaume-Uni", "Grande-Bretagne"],
    "GIN": ["Guinea-Conakry", "Guinée-Conakry", "Republic of Guinea"],
    "GMB": ["The Gambia", "Gambia, The", "Republic of the Gambia"],
    "GRC": ["Hellenic Republic"],
    "IRN": ["Iran", "Persia", "Islamic Republic of Iran", "République islamique d'Iran"],
    "IRQ": ["Irak"],
    "KGZ": ["Kyrgyz Republic", "Kirghizstan"],
    "KNA": ["St Kitts and Nevis", "St. Kitts and Nevis", "Saint Kitts"],
    "KOR": ["South Korea", "Korea, Rep.", "Korea (Republic of)", "Corée du Sud", "Corée, République de"],
    "LAO": ["Laos", "Lao PDR", "Lao", "Lao People's Dem. Rep.", "RDP lao"],
    "LBY": ["Libyan Arab Jamahiriya"],
    "LCA": ["St Lucia", "St. Lucia"],
    "MDA": ["Moldova", "Moldavia", "Moldavie"],
    "MHL": ["Republic of the Marshall Islands"],
    "MKD": [
        "Macedonia", "The former Yugoslav Republic of Macedonia", "FYROM", "FYR Macedonia",
        "Macédoine", "Republic of North Macedonia",
    ],
    "MMR": ["Burma", "Birmanie"],
    "MUS": ["Île Maurice"],
    "MEX": ["México"],
    "NLD": ["Netherlands", "The Netherlands", "Holland", "Kingdom of the Netherlands", "Pays-Bas"],
    "NRU": ["Naoero"],
    "PHL": ["The Philippines"],
    "PRK": ["North Korea", "DPRK", "DPR Korea", "Korea, Dem. People's Rep.", "Corée du Nord"],
    "PSE": ["Palestine", "Palestinian Territories", "Occupied Palestinian Territory"],
    "ROU": ["Rumania"],
    "RUS": ["Russia", "Russie"],
    "SAU": ["KSA"],
    "SLB": ["Solomon Is.", "Salomon"],
    "SSD": ["Republic of South Sudan"],
    "STP": [
        "São Tomé and Príncipe", "Sao Tome", "São Tomé", "Sao Tome & Principe",
        "São Tomé-et-Príncipe",
    ],
    "SUR": ["Surinam"],
    "SVK": ["Slovak Republic"],
    "SWZ": ["Swaziland", "Kingdom of Eswatini"],
    "SYR": ["Syria", "Syrie"],
    "TCD": ["Republic of Chad"],
    "TLS": ["East Timor", "Timor oriental", "Timor-Oriental"],
    "TTO": ["Trinidad"],
    "TUR": ["Turkey", "Turquie"],
    "TZA": ["Tanzania", "Tanzanie", "United Rep. of Tanzania"],
    "USA": ["USA", "U.S.A.", "U.S.", "United States", "Etats-Unis", "États-Unis"],
    "VAT": ["Vatican", "Vatican City", "Vatican City State", "Cité du Vatican"],
    "VCT": ["St Vincent and the Grenadines", "St. Vincent and the Grenadines", "Saint Vincent"],
    "VEN": ["Venezuela", "Vénézuela"],
    "VNM": ["Vietnam", "Viêt Nam"],
    "WSM": ["Western Samoa"],
    "XKX": ["Kosova", "Republic of Kosovo"],
    "ZAF": ["RSA"],
}

# --------------------------------------------------------------------------------------------
# UN LDC list: year of inclusion (UN CDP/DESA "List of LDCs", column "date of inclusion").
# From the compiler's knowledge of that list, not read this session -> "inferred", year only
# (stored as YYYY-01-01). Vanuatu's 1985 was read in two secondary sources -> "reported".
# None of these years is later than 2012, so the status on any date from 2013 on does not depend
# on them; the membership itself (44 current + 8 graduated) is from ldc_status.csv.
LDC_INCLUDED = {
    "AFG": 1971, "AGO": 1994, "BGD": 1975, "BEN": 1971, "BFA": 1971, "BDI": 1971, "KHM": 1991,
    "CAF": 1975, "TCD": 1971, "COM": 1977, "COD": 1991, "DJI": 1982, "ERI": 1994, "ETH": 1971,
    "GMB": 1975, "GIN": 1971, "GNB": 1981, "HTI": 1971, "KIR": 1986, "LAO": 1971, "LSO": 1971,
    "LBR": 1990, "MDG": 1991, "MWI": 1971, "MLI": 1971, "MRT": 1986, "MOZ": 1988, "MMR": 1987,
    "NPL": 1971, "NER": 1971, "RWA": 1971, "SEN": 2000, "SLE": 1982, "SLB": 1991, "SOM": 1971,
    "SSD": 2012, "SDN": 1971, "TLS": 2003, "TGO": 1982, "TUV": 1986, "UGA": 1971, "TZA": 1971,
    "YEM": 1971, "ZMB": 1991,
    # graduated
    "BWA": 1971, "CPV": 1977, "MDV": 1971, "WSM": 1971, "GNQ": 1982, "VUT": 1985, "BTN": 1971,
    "STP": 1982,
}
LDC_INCLUDED_REPORTED = {
    "VUT": "https://www.islandlifemag.com/latest-news-pacific/vanuatu-poised-to-graduate-from-least-developed-country-status/ ; https://borgenproject.org/vanuatus-graduation",
}

# Graduations that had taken effect by AS_OF: (date, confidence, how the date is known).
LDC_GRADUATED = {
    "BWA": ("1994-12-01", "inferred", "year reported (WTO iLibrary), month from the shared table, day unknown: set to the 1st"),
    "CPV": ("2007-12-20", "inferred", "year reported (WTO iLibrary); day from memory of the UN DESA list"),
    "MDV": ("2011-01-01", "inferred", "year reported (WTO iLibrary); day from memory of the UN DESA list"),
    "WSM": ("2014-01-01", "inferred", "year reported (WTO iLibrary); day from memory of the UN DESA list"),
    "GNQ": ("2017-06-04", "inferred", "year reported (WTO iLibrary); day from memory of the UN DESA list"),
    "VUT": ("2020-12-04", "reported", "UN-OHRLLS release 'New York 4 December 2020' (mirror) and islandlifemag.com"),
    "BTN": ("2023-12-13", "verified", "UN DESA news 2023"),
    "STP": ("2024-12-13", "verified", "UN DESA CDP news 2024"),
}

# ITU-D region: decisions on the rows the shared table left uncertain (see SOURCES.md).
_EUR_2020 = (
    "a 2020 ITU/BDT broadband-mapping project for Europe (with the Broadband Foundation) counted "
    "Moldova, Georgia and Ukraine among its beneficiaries with the Western Balkans "
    "(http://www.broadbandfoundation.eu/)"
)
REGION_NOTES = {
    "GEO": f"EUR chosen: {_EUR_2020}; but CIS in ITU's 2009 CIS statistical profile. Conflicting evidence, not read in an ITU-D region list",
    "MDA": f"EUR chosen: {_EUR_2020}; but CIS in ITU's 2009 CIS statistical profile and at a 2018 meeting of the ITU Regional Office for the CIS with the RCC (en.rcc.org.ru). Conflicting evidence, not read in an ITU-D region list",
    "UKR": f"EUR chosen: {_EUR_2020}; but CIS in ITU's 2009 CIS statistical profile and at a 2018 meeting of the ITU Regional Office for the CIS with the RCC (en.rcc.org.ru). Conflicting evidence, not read in an ITU-D region list",
}
# Region rows checked against the compiler's knowledge of the ITU-D lists (Africa 44, Americas 35,
# Arab States 21 incl. Comoros, Djibouti, Mauritania, Somalia, Sudan; Asia-Pacific 38; CIS 9;
# Europe 46 incl. Cyprus, Israel, Türkiye): consistent, so they stay "inferred" (not read in an
# ITU list this session). IRN/ASP is also consistent with the New Delhi area office covering Iran.

CONFIDENCE_LEVELS = ("verified", "reported", "inferred", "uncertain")


def _level(text: str) -> str:
    text = (text or "").strip()
    for level in CONFIDENCE_LEVELS:
        if text.startswith(level):
            return level
    raise SystemExit(f"unknown confidence {text!r}")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _dedupe(items: list[str], exclude: set[str]) -> list[str]:
    seen, out = {x.casefold() for x in exclude}, []
    for item in items:
        item = " ".join(item.split())
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


def build_countries(shared: Path) -> list[dict[str, str]]:
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    regions = _read(shared / "itu_d_regions.csv")
    ldc = {row["iso3"]: row for row in _read(shared / "ldc_status.csv")}
    rows = []
    for r in regions:
        iso3 = r["iso3"]
        pc = pycountry.countries.get(alpha_3=iso3)
        name_en = NAME_EN_FIX.get(iso3, r["name_en"])
        name_fr = NAME_FR_UN.get(iso3) or (fr.gettext(pc.name) if pc else name_en)
        extra = list(ALIASES.get(iso3, []))
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                if getattr(pc, attr, None):
                    extra.append(getattr(pc, attr))
            extra.append(fr.gettext(pc.name))  # iso-codes French, e.g. "Tanzanie, République unie de"
        aliases = _dedupe(extra, {name_en, name_fr, iso3, r["iso2"]})

        region_conf = _level(r["confidence"])
        note = r["note"]
        if iso3 in REGION_NOTES:
            note = REGION_NOTES[iso3]
            region_conf = "uncertain"

        included = graduated = ""
        ldc_conf = "status verified (never on the list)"
        ldc_notes = []
        if iso3 in ldc:
            lrow = ldc[iso3]
            year = LDC_INCLUDED[iso3]
            included = f"{year}-01-01"
            inc_conf = "reported" if iso3 in LDC_INCLUDED_REPORTED else "inferred"
            ldc_conf = f"status verified; included {inc_conf} (year only)"
            if lrow["status"] == "graduated":
                date, conf, how = LDC_GRADUATED[iso3]
                graduated = date
                ldc_conf += f"; graduated {conf}"
                ldc_notes.append(f"graduated {date}: {how}")
            elif lrow["graduation_date"]:
                # Scheduled, not yet effective on AS_OF: kept out of ldc_graduated on purpose.
                ldc_notes.append(
                    f"scheduled graduation {lrow['graduation_date']} ({lrow['graduation_date_confidence']}): {lrow['note']}"
                )
            elif lrow["note"]:
                ldc_notes.append(lrow["note"])
        if ldc_notes:
            note = "; ".join([n for n in [note] + ldc_notes if n])

        rows.append(
            {
                "iso3": iso3,
                "iso2": r["iso2"],
                "m49": r["m49"],
                "name_en": name_en,
                "name_fr": name_fr,
                "aliases": ";".join(aliases),
                "region": r["itu_d_region"],
                "itu_member": r["itu_member"],
                "development": r["m49_development_common_practice"] or "ambiguous",
                "ldc_included": included,
                "ldc_graduated": graduated,
                "ldc_confidence": ldc_conf,
                "region_confidence": region_conf,
                "note": note,
            }
        )
    rows.sort(key=lambda row: row["iso3"])
    assert all(";" not in a for row in rows for a in [row["name_en"], row["name_fr"]])
    return rows


OFFICE_OPENED = {"IND": "2023-03-22"}
OFFICE_NOTES = {
    "ETH": "",
    "CHE": "Geneva address on the back cover of a 2014 ITU report; 'Regional Unit for Europe in Geneva' in a 1997 ITU Council resolution",
    "IND": "opened 2023-03-22: not an ITU office on earlier dates",
    "BRB": "area office listed in a 1997 ITU Council resolution on regional presence (ITU Resolutions and Decisions 2010-11, p. 137); present existence not read",
    "CHL": "area office listed in a 1997 ITU Council resolution on regional presence (ITU Resolutions and Decisions 2010-11, p. 137); present existence not read",
    "HND": "area office listed in a 1997 ITU Council resolution on regional presence (ITU Resolutions and Decisions 2010-11, p. 137); present existence not read",
    "SEN": "researcher's and compiler's knowledge; not read in an ITU source",
    "ZWE": "researcher's and compiler's knowledge; not read in an ITU source",
    "CMR": "researcher's and compiler's knowledge; not read in an ITU source",
    "IDN": "researcher's and compiler's knowledge; not read in an ITU source",
}
COUNCIL_1997 = "https://www.itu.int/wftp3/Public/epub_shared/GS/ResDes2010-11/E/web/WebSearch/page0149.html"


def build_offices(shared: Path) -> list[dict[str, str]]:
    out = []
    for r in _read(shared / "itu_field_offices.csv"):
        conf, source = _level(r["confidence"]), r["source"]
        if r["iso3"] in ("BRB", "CHL", "HND"):
            conf, source = "reported", COUNCIL_1997
        elif r["iso3"] == "CHE":
            source = f"{source} ; {COUNCIL_1997}"
        out.append(
            {
                "office": r["office"],
                "office_type": r["office_type"],
                "city": r["city"],
                "country": r["country"],
                "iso3": r["iso3"],
                "region_served": r["itu_d_region_served"],
                "opened": OFFICE_OPENED.get(r["iso3"], ""),
                "confidence": conf,
                "source": source,
                "note": OFFICE_NOTES.get(r["iso3"], ""),
            }
        )
    return out


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(rows)} rows)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("/work/shared/reference"))
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    _write(OUT / "countries.csv", build_countries(args.shared))
    _write(OUT / "itu_offices.csv", build_offices(args.shared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
