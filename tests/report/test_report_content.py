"""What the report tells its readers: the first page, the dossiers, the two editions, and the parts
that appear only when a run has stability or disagreement figures."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from markupsafe import escape

from dtc_select.report.view import render_report, report_view, slug
from tests.report_fixture import EMAILS, HOSTILE_ID, make_outcome

PROBABILITIES = [1.0, 0.55, 0.97, 0.9, 0.35, 0.05, 0.0, 0.0]
DISAGREEMENT = [0.2, 0.1, 1.4, 0.3, 0.2, 0.1, None, None]
FLAGGED = [False, False, True, False, False, False, False, False]


@pytest.fixture(scope="module")
def plain(call):
    return make_outcome(call)


@pytest.fixture(scope="module")
def measured(call):
    return make_outcome(call, selection_probability=PROBABILITIES,
                        reviewer_disagreement=pd.array(DISAGREEMENT, dtype="Float64"),
                        disagreement_flagged=pd.array(FLAGGED, dtype="boolean"))


def _first_page(html: str) -> str:
    return html[:html.index("</header>")]


def _dossier(html: str, application_id: str) -> str:
    start = html.index(f'<article class="dossier" id="app-{slug(application_id)}">')
    return html[start:html.index("</article>", start)]


def test_the_first_page_gives_the_counts_the_seats_the_selected_chart_and_what_to_discuss(plain):
    page = _first_page(render_report(plain))
    assert "In short" in page and "Seats per region, and why" in page
    assert 'aria-label="Score of each selected centre' in page
    for name in ("Université de Kinshasa (COD)", "Instituto Tecnológico de Bol… (BOL)", "Kathmandu ICT Centre (NPL)"):
        assert name in page  # long names are cut short on the chart, the country code kept
    assert "Makerere Digital Hub" in page and "place decided by the tie-break" in page  # the tied reserve


def test_without_stability_columns_the_report_shows_no_stability_figures(plain):
    html = render_report(plain)
    assert "Selected in samples" not in html and "Reviewer disagreement" not in html
    assert "weights were perturbed" not in html and "reviewers disagree" not in html


def test_with_stability_columns_fragile_selections_and_close_contenders_are_named(measured):
    html = render_report(measured)
    page = _first_page(html)
    fragile = page[page.index('id="fragile"'):]
    assert "weights were perturbed" in fragile
    assert re.search(r"DTC-002</a>.*?selected in only 55\xa0% of the samples", fragile, re.S)
    assert re.search(r"DTC-005</a>.*?selected in 35\xa0% of the samples", fragile, re.S)
    assert "DTC-001</a>" not in fragile  # selected in every sample: not fragile
    assert f"#app-{slug(HOSTILE_ID)}" not in fragile  # 5 %: not a contender
    assert 'aria-label="Share of samples' in page
    assert ">55.0\xa0%<" in html  # the probability column of the selected table, and its chart


def test_applicants_the_reviewers_disagree_on_are_flagged_on_the_first_page_and_in_their_dossier(measured):
    html = render_report(measured)
    fragile = _first_page(html)[_first_page(html).index('id="fragile"'):]
    assert re.search(r"DTC-003</a>.*?reviewers disagree", fragile, re.S)
    assert '<span class="flag">reviewers disagree</span>' in _dossier(html, "DTC-003")
    assert '<span class="flag">' not in _dossier(html, "DTC-001").split("<h4>")[0]


def test_a_dossier_has_the_answers_rule_results_criteria_and_every_reviewers_marks(call, plain):
    dossier = _dossier(render_report(plain), "DTC-001")
    assert "Why:" in dossier and "selected: ranked 1st in Africa" in dossier
    for label in ("Institution", "organisation type", "workstations for trainees", "submission date", "Description"):
        assert f"<dt>{label}</dt>" in dossier
    assert "<dd>NGO</dd>" in dossier and "<dd>1 November 2019, 00:00 UTC</dd>" in dossier
    assert dossier.count('class="nowrap res-pass">met<') == len(call.rules)
    for criterion in call.criteria:
        assert f">{escape(criterion.label)}<" in dossier
    reviewers = dossier[dossier.index("Reviewers&#39; marks"):]
    assert re.search(r"<td><span class=\"nowrap\">R1</span></td>(<td class=\"num\">[^<]*</td>){2}<td class=\"num\">5</td>", reviewers)
    assert "R3</span> <span class=\"flag\">(declared a conflict of interest: not counted)</span>" in reviewers
    assert "&lt;svg onload=alert(3)&gt;great centre&lt;/svg&gt;" in reviewers and "solid" in reviewers


def test_a_dossier_says_which_rule_failed_and_which_was_not_stated(plain):
    dossier = _dossier(render_report(plain), "DTC-008")
    assert 'res-fail">not met<' in dossier and 'res-not_stated">not stated<' in dossier
    assert "not a non-profit organisation: a for-profit company and not declared non-profit" in dossier
    assert "intermediate ICT training offered not stated" in dossier
    assert "<dt>declared non-profit status</dt><dd>no</dd>" in dossier
    assert "<dt>intermediate ICT training offered</dt><dd>not stated</dd>" in dossier


def test_calibrated_marks_appear_beside_the_raw_ones_when_the_run_has_them(call):
    outcome = make_outcome(call)
    scores = outcome.scores.assign(calibrated_score=[4.5, 3.9, 4.4, 2.0])
    html = render_report(outcome.__class__(**{**outcome.__dict__, "scores": scores}))
    assert "calibrated mark in brackets" in html and ">5 (4.50)<" in _dossier(html, "DTC-001")
    assert "calibrated mark in brackets" not in render_report(outcome)


def test_the_reviewer_edition_has_no_contact_details_and_the_secretariat_edition_has_them_all(plain):
    reviewer, secretariat = render_report(plain), render_report(plain, edition="secretariat")
    for email in EMAILS:
        assert email not in reviewer and email in secretariat
    assert "Amina Contact" not in reviewer and "555 0199" not in reviewer
    assert "Reviewers&#39; edition" in reviewer and "Secretariat edition" in secretariat
    dossier = _dossier(secretariat, "DTC-002")
    assert "<dt>E-mail</dt><dd>carlos.rector@example.org</dd>" in dossier and "Contact person" in dossier


def test_an_unknown_language_or_edition_is_refused(plain):
    with pytest.raises(ValueError, match="de"):
        report_view(plain, lang="de")
    with pytest.raises(ValueError, match="public"):
        report_view(plain, edition="public")


def test_the_selected_centres_each_get_a_criterion_profile(plain):
    section = render_report(plain).split('id="selected"')[1].split("</section>")[0]
    assert section.count('aria-label="Criterion values, each from 0 to 1"') == 4


def test_a_real_runs_dossier_shows_each_mark_raw_and_calibrated_and_the_margin_to_the_cutoff(call):
    from dtc_select.pipeline import run
    from tests.conftest import EXAMPLES

    outcome = run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    marks = outcome.checks.reviewed.marks
    mark = marks[(marks["application_id"] == "DTC-2019-059") & (marks["reviewer_id"] == "R2")].iloc[0]
    html = render_report(outcome)
    dossier = _dossier(html, "DTC-2019-059")
    assert "calibrated mark in brackets" in html
    assert f">{mark['score']:g} ({mark['calibrated']:.2f})<" in dossier
    margin = outcome.decisions.set_index("application_id").at["DTC-2019-059", "margin_to_cutoff"]
    assert "Margin to the cutoff" in dossier and f"{margin:+.3f}" in dossier
