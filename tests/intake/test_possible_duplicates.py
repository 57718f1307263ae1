"""The same institution and country under two ids: both kept, each flagged, the committee told."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.reference.countries import load_country_table
from dtc_select.intake import parsing as p
from dtc_select.intake.applications import take_in
from dtc_select.runs.safe_cells import csv_bytes
from dtc_select.pipeline import run
from dtc_select.report.view import render_report
from tests.intake.test_intake import raw_of
from tests.conftest import phase1_form, make_applications

NAMES = ["Centre Numérique de Thiès", "CENTRE NUMERIQUE DE THIES", "Centre numérique  de Thiès.",
         "Centre Numérique de Kaolack", "Centre-Numérique de Thiès"]


def flagged(frame: pd.DataFrame) -> dict[str, str | None]:
    taken = take_in(raw_of(frame), load_country_table().resolve, phase1_form())
    apps = taken.applications
    return {a: (None if pd.isna(d) else d) for a, d in zip(apps["application_id"], apps["possible_duplicate_of"])}


def test_the_same_institution_in_the_same_country_is_taken_in_twice_and_each_names_the_others():
    frame = make_applications(5, institution_name=NAMES, country=["Senegal", "SN", "Sénégal", "Senegal", "Mali"])
    assert flagged(frame) == {
        "A-001": "A-002; A-003", "A-002": "A-001; A-003", "A-003": "A-001; A-002",
        "A-004": None,  # another town
        "A-005": None,  # the same name, in another country
    }


def test_a_repeated_id_is_quarantined_not_flagged_as_a_possible_duplicate():
    frame = make_applications(3, application_id=["A-1", "A-1", "A-2"], institution_name="Same Centre")
    taken = take_in(raw_of(frame), load_country_table().resolve, phase1_form())
    assert taken.quarantine["source_row"].tolist() == [2]
    assert taken.applications["possible_duplicate_of"].tolist() == ["A-2", "A-1"]


def write(frame: pd.DataFrame, path):
    frame.to_csv(path, index=False)
    return path


def test_decisions_and_report_flag_possible_duplicates_whatever_the_row_order(call, tmp_path):
    frame = make_applications(4, institution_name=["Lakeside ICT Centre", "Hill Academy", "LAKESIDE I.C.T. CENTRE",
                                                   "Lakeside ICT Centre"],
                              country=["Kenya", "Kenya", "KE", "Uganda"])
    outcome = run(call, write(frame, tmp_path / "a.csv"))
    decisions = outcome.decisions.set_index("application_id")
    assert decisions.loc["A-001", "possible_duplicate_of"] == "A-003"
    assert decisions.loc["A-003", "possible_duplicate_of"] == "A-001"
    assert decisions[["possible_duplicate_of"]].drop(["A-001", "A-003"]).isna().all().all()
    assert decisions.loc["A-001", "reasons"].endswith(
        "; possible duplicate of A-003: the same institution in the same country applied under another "
        "application id, check with the applicant which application stands")
    assert "possible duplicate" not in decisions.loc["A-004", "reasons"]
    columns = list(outcome.decisions.columns)
    assert columns[:8] == ["application_id", "institution_name", "country_iso3", "region", "status", "score",
                           "rank", "reasons"]  # the contract's first, then the details
    assert columns.index("possible_duplicate_of") < columns.index("country_name")

    html = render_report(outcome)
    section = html.split("<h3>Possible duplicates</h3>", 1)[1].split("</table>", 1)[0]
    assert section.count("<tr>") == 3 and "A-001" in section and "A-003" in section and "A-004" not in section
    assert "Possible duplicate applications, to check" in html

    again = run(call, write(frame.iloc[::-1], tmp_path / "b.csv"))
    columns = [c for c in outcome.decisions.columns if c != "source_row"]
    assert csv_bytes(again.decisions[columns]) == csv_bytes(outcome.decisions[columns])


def test_a_report_without_possible_duplicates_has_no_such_section(call, tmp_path):
    outcome = run(call, write(make_applications(2, institution_name=["One", "Two"]), tmp_path / "a.csv"))
    assert outcome.decisions["possible_duplicate_of"].isna().all()
    assert "Possible duplicates" not in render_report(outcome)


def test_many_copies_of_one_institution_list_ten_ids_and_how_many_more():
    frame = make_applications(30, institution_name="Same Centre")
    flags = flagged(frame)
    assert flags["A-001"] == "; ".join(f"A-{i:03d}" for i in range(2, 12)) + "; and 19 more"
    assert flags["A-005"].startswith("A-001; A-002; A-003; A-004; A-006;") and flags["A-005"].endswith("; and 19 more")


@settings(max_examples=300, deadline=None)
@given(name=st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_a_plain_ascii_name_is_compared_as_its_folded_words_are(name):
    # institution_key's shortcut for ASCII names against the general way (accents off, casefold)
    assert p.institution_key(name) == "".join(p.folded_words(name))
