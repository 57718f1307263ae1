"""Numbers with their meaning on the report's first page, and French done properly."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pandas as pd
import pytest

from dtc_select.report.view import render_report


@pytest.fixture(scope="module")
def english(example_outcome):
    return render_report(example_outcome)


@pytest.fixture(scope="module")
def french(example_outcome):
    return render_report(example_outcome, generated_at=dt.datetime(2019, 12, 5, 9, 30, tzinfo=dt.timezone.utc),
                         lang="fr")


def first_page(html: str) -> str:
    return html[html.index("<header"):html.index("</header>")]


def test_score_rows_of_quarantined_applications_are_counted_apart_and_said_to_count_once_fixed(english, french):
    page = first_page(english)
    assert re.search(r"Reviewer score rows of quarantined applications \(they count once those rows are fixed\)"
                     r"</th><td class=\"num\">192<", page)
    assert "Reviewer score rows that could not be used" not in page and "Other reviewer score rows" not in page
    assert "192 reviewer score row(s) belong to quarantined applications" in page
    assert "Lignes de notes des candidatures mises à l&#39;écart" in first_page(french)


def test_score_rows_that_are_no_quarantined_applications_fault_are_counted_as_others(example_outcome):
    extra = pd.DataFrame({"source_row": [9001, 9002], "application_id": ["DTC-2019-001", None],
                          "problems": ["reviewer 'R1' already scored reputation", "application_id is empty"]})
    outcome = replace(example_outcome, score_problems=pd.concat([example_outcome.score_problems, extra],
                                                                ignore_index=True))
    page = first_page(render_report(outcome))
    assert re.search(r"quarantined applications \(they count once those rows are fixed\)</th><td class=\"num\">192<",
                     page)
    assert re.search(r"Other reviewer score rows that could not be used</th><td class=\"num\">2<", page)


def test_reviewer_disagreement_and_means_carry_their_scale(english, french):
    page = first_page(english)
    assert "Reviewer disagreement (0–2)" in page and "0 when they all agree, 2 at most" in page
    ranked = english[english.index('id="ranked"'):english.index('id="ineligible"')]
    assert "Reviewer disagreement (0–2)" in ranked and "Reviewer mean (1–5)" in ranked
    assert "Désaccord des évaluateurs (0–2)" in first_page(french)


def test_the_french_edition_writes_cisco_one_citation_style_and_dates_in_words(french):
    assert "CISCO" not in french and "UIT ou Cisco" in french
    assert "[Annexe, §" not in french and "[Annexe §2" in french
    assert "Rapport établi le 5 décembre 2019, 09:30 UTC." in french
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", french)
