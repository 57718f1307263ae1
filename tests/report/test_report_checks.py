"""The report explains the reviewers' marks, the method, the tie-break and the stability."""

from __future__ import annotations

from html import unescape

import datetime as dt
import re

import pandas as pd
import pytest
from markupsafe import escape

from dtc_select.runs.outputs import write_run
from dtc_select.pipeline import run
from dtc_select.report.view import render_report
from dtc_select.ranking.scoring import tie_break_in_words
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def outcome(call):
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")


@pytest.fixture(scope="module")
def html(outcome):
    return render_report(outcome)


def part(html: str, anchor: str) -> str:
    """One part of section 4: from its anchor to the next part or the end of the section, with
    entities read back (the words come from the catalogue, autoescaped: ' is &#39;)."""
    start = html.index(f'<div id="{anchor}">')
    ends = [i for i in (html.find('<div id="', start + 1), html.find("</section>", start)) if i > 0]
    return unescape(html[start:min(ends)])


def rows_of(text: str) -> list[str]:
    """The body rows of the tables in `text`, in order."""
    return [r for r in re.findall(r"<tr[^>]*>.*?</tr>", text, flags=re.S) if "<td" in r]


def test_the_report_explains_the_chosen_method_the_tie_break_and_the_stability_in_words(call, html):
    methods = part(html, "methods")
    assert "The call's method: weighted sum." in methods and "added up" in methods
    assert "Kendall's tau" in methods and "Spearman's rho" in methods
    assert ", then ".join(tie_break_in_words(call)) in methods
    stability = part(html, "stability")
    assert call.stability.description in stability
    assert "10,000 sets of weights" in stability and "random seed 2019" in stability


def test_every_selected_and_reserve_applicant_has_its_probability_and_margin_in_the_report(outcome, html):
    stability = part(html, "stability")
    table = stability[:stability.index("Not selected, but selected in some runs")]
    shown = outcome.decisions[outcome.decisions["status"].isin(["selected", "reserve"])]
    for row in shown.itertuples():
        line = next(r for r in rows_of(table) if f">{row.application_id}<" in r)
        assert re.search(r">(?:[<>]\s)?\d+\.\d\s%<", line), line
        assert re.search(r">[+-]\d\.\d{3,6}<|>0 \(the tie-break decided\)<", line), line


def test_the_fragile_selections_are_named(call, outcome, html):
    decisions = outcome.decisions
    fragile = decisions[(decisions["status"] == "selected")
                        & (decisions["selection_probability"] < call.stability.fragile_below)]
    assert not fragile.empty
    named = part(html, "stability").split("Fragile selections", 1)[1].split("</p>", 1)[0]
    for application_id in fragile["application_id"]:
        assert application_id in named
    summary = html[:html.index("</header>")]
    assert re.search(rf"Fragile selections[^<]*</th><td class=\"num\">{len(fragile)}<", summary)


def test_declared_conflicts_and_every_reviewer_s_calibration_are_shown(html):
    reviewers = part(html, "reviewers")
    assert "<td>R1</td><td class=\"nowrap\">DTC-2019-031</td>" in reviewers
    assert "<td>R3</td><td class=\"nowrap\">DTC-2019-001</td>" in reviewers
    for reviewer in ("R1", "R2", "R3"):
        assert re.search(rf"<td>{reviewer}</td>.*?<td>calibrated</td>", reviewers)
    assert "Reviewer mean (raw)" in reviewers and "Reviewer mean (calibrated)" in reviewers


def test_applicants_whose_reviewers_disagree_are_listed_first(call):
    touchy = call.model_copy(update={"scoring": call.scoring.model_copy(update={
        "disagreement": call.scoring.disagreement.model_copy(update={"flag_above": 0.45})})})
    outcome = run(touchy, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    flagged = outcome.decisions[outcome.decisions["disagreement_flagged"].fillna(False).astype(bool)]
    assert 0 < len(flagged) < (outcome.decisions["status"] != "ineligible").sum()
    table = part(render_report(outcome), "reviewers").split("side by side", 1)[1]
    first = [re.search(r">(DTC-[0-9-]+)<", r).group(1) for r in rows_of(table)[:len(flagged)]]
    assert sorted(first) == sorted(flagged["application_id"])
    assert flagged["reasons"].str.contains("reviewers disagree").all()


def test_bad_score_rows_appear_in_score_problems_csv_and_in_the_report(call, tmp_path):
    scores = pd.read_csv(EXAMPLES / "scores.csv", dtype=str, keep_default_na=False)
    bad = pd.DataFrame([
        {"application_id": "DTC-2019-002", "reviewer_id": "R9", "criterion": "reputation", "score": "7"},
        {"application_id": "DTC-2019-002", "reviewer_id": "R9", "criterion": "charisma", "score": "3"},
        {"application_id": "DTC-2019-999", "reviewer_id": "R9", "criterion": "reputation", "score": "3"},
    ])
    path = tmp_path / "scores.csv"
    pd.concat([scores, bad], ignore_index=True).fillna("").to_csv(path, index=False)
    outcome = run(call, EXAMPLES / "applications.csv", path)
    html = render_report(outcome)
    out = write_run(outcome, tmp_path / "out", report_html=html, started_at=dt.datetime.now(dt.timezone.utc))
    problems = pd.read_csv(out / "score_problems.csv")
    first_bad_row = len(scores) + 1
    listed = problems[problems["source_row"] >= first_bad_row]
    assert listed["source_row"].tolist() == [first_bad_row, first_bad_row + 1, first_bad_row + 2]
    assert "outside the scale 1 to 5" in listed["problems"].iloc[0]
    assert "is not a criterion of the call" in listed["problems"].iloc[1]
    assert "is not in the applications file" in listed["problems"].iloc[2]
    report = (out / "report.html").read_text(encoding="utf-8")
    for row, text in zip(listed["source_row"], listed["problems"]):
        assert f"<td>{row}</td>" in report and str(escape(text)) in report


def test_a_run_without_scores_says_so_instead_of_listing_every_applicant(call):
    html = render_report(run(call, EXAMPLES / "applications.csv"))
    reviewers = part(html, "reviewers")
    assert "No reviewer marks were counted in this run" in reviewers
    assert "judged on the application alone" in reviewers
