"""A large call's report: dossiers for the applicants the committee decides on, tables cut short
with a sentence saying so, and no link to a dossier the report does not have.

The example call has 80 applicants taken in; the limits are lowered here (20 applicants, 5 rows)
so that it behaves as a call of tens of thousands would with the shipped limits."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dtc_select.report import scope as report_scope
from dtc_select.report import tables as report_tables
from dtc_select.pipeline import run
from dtc_select.report.view import render_report, report_view
from dtc_select.report.tables import anchor
from tests.report.test_report import _parse

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
DOSSIER = re.compile(r'<article class="dossier" id="([^"]+)">.*?</article>', re.S)


@pytest.fixture(scope="module")
def outcome(call):
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")


@pytest.fixture(scope="module")
def full(outcome) -> dict[str, str]:
    return {lang: render_report(outcome, lang=lang) for lang in ("en", "fr")}


@pytest.fixture
def limited(monkeypatch):
    """Render as a large call: a dossier for all only up to 20 applicants, 5 rows per table."""
    monkeypatch.setattr(report_scope, "DOSSIERS_FOR_ALL_UP_TO", 20)
    monkeypatch.setattr(report_tables, "ROWS_SHOWN", 5)
    monkeypatch.setattr(report_tables, "IDS_SHOWN", 3)
    return render_report


def _dossiers(html: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in DOSSIER.finditer(html)}


def _decided_on(decisions: pd.DataFrame) -> set[str]:
    chosen = decisions["status"].isin(["selected", "reserve"]) | decisions["selection_probability"].gt(0).fillna(False)
    return {anchor(a) for a in decisions.loc[chosen, "application_id"]}


def test_a_call_within_the_limit_gives_every_applicant_a_dossier_and_every_row(outcome, full):
    assert set(_dossiers(full["en"])) == {anchor(a) for a in outcome.decisions["application_id"]}
    assert 'id="detail-limited"' not in full["en"] and "lists them all" not in full["en"]


def test_past_the_limit_only_the_selected_the_reserve_and_the_contenders_have_a_dossier(outcome, limited):
    html = limited(outcome)
    decided_on = _decided_on(outcome.decisions)
    assert set(_dossiers(html)) == decided_on
    assert 20 < len(decided_on) < len(outcome.decisions)  # the example has some of each kind


def test_each_dossier_of_a_large_call_is_the_one_a_full_report_gives(outcome, full, limited):
    for lang in ("en", "fr"):
        shown, every = _dossiers(limited(outcome, lang=lang)), _dossiers(full[lang])
        assert shown and all(every[key] == text for key, text in shown.items())


def test_an_applicant_whose_status_a_committee_decision_changed_keeps_its_dossier(monkeypatch):
    monkeypatch.setattr(report_scope, "DOSSIERS_FOR_ALL_UP_TO", 20)
    decisions = pd.DataFrame({"application_id": [f"A{i}" for i in range(30)], "status": "not_selected",
                              "computed_status": "not_selected", "selection_probability": 0.0})
    decisions.loc[3, ["status", "computed_status"]] = ["selected", "selected"]
    decisions.loc[7, "status"] = "reserve"  # the committee's decision; the rules gave not_selected
    decisions.loc[8, "status"] = "ineligible"  # the committee found a fault the rules could not see
    decisions.loc[9, "selection_probability"] = float("nan")  # not measured: not a contender
    decisions.loc[11, "selection_probability"] = 0.001  # chosen in at least one sample
    kept = report_scope.has_dossier(decisions)
    assert list(decisions.loc[kept, "application_id"]) == ["A3", "A7", "A8", "A11"]


def test_no_link_of_a_large_call_report_points_to_a_missing_dossier(outcome, limited):
    for lang in ("en", "fr"):
        parsed = _parse(limited(outcome, lang=lang, edition="secretariat"))
        targets = {value[1:] for key, value in parsed.attrs if key == "href"}
        assert parsed.errors == [] and targets <= set(parsed.ids)


def test_an_applicant_without_a_dossier_is_named_in_its_table_without_a_link(outcome, limited):
    html = limited(outcome)
    decisions = outcome.decisions
    ineligible = sorted(decisions.loc[decisions["status"] == "ineligible", "application_id"])
    section = html[html.index('<section id="ineligible"'):html.index('<section id="rules"')]
    first = ineligible[0]
    assert f">{first}<" in section and f'href="#{anchor(first)}"' not in section


def test_a_table_cut_short_says_how_many_rows_it_shows_and_which_file_lists_them_all(outcome, limited):
    decisions = outcome.decisions
    ineligible = int((decisions["status"] == "ineligible").sum())
    view = report_view(outcome)  # the limits are lowered by `limited`
    assert len(view["ineligible"]["rows"]) == 5 and view["ineligible"]["total"] == ineligible
    assert view["ineligible"]["more"] == f"The first 5 of {ineligible} are shown; decisions.csv lists them all."
    assert all(len(region["table"]["rows"]) <= 5 for region in view["regions"])
    html = limited(outcome)
    assert html.count("lists them all.") >= 2
    french = report_view(outcome, lang="fr")["ineligible"]["more"]
    assert french == f"Les 5 premières lignes sur {ineligible} figurent ici ; decisions.csv les donne toutes."


def test_who_failed_a_rule_is_cut_short_too_and_its_counts_stay_whole(outcome, limited):
    view = report_view(outcome)
    decisions = outcome.decisions
    for rule in view["rule_failures"]:
        failed = int((decisions[f"rule_{rule['id']}"] == "fail").sum())
        assert rule["fail"] == failed and len(rule["who"]["fail"]) == min(failed, 3)
        assert (rule["more"]["fail"] is not None) == (failed > 3)


def test_the_first_page_says_what_a_large_call_report_leaves_out_in_each_language(outcome, limited):
    taken_in, dossiers = len(outcome.decisions), len(_decided_on(outcome.decisions))
    english = limited(outcome)
    box = english[english.index('id="detail-limited"'):]
    assert box.index(f"This call has {taken_in} applicants taken in") < box.index("</p>")
    assert f"Dossiers are given to the {dossiers} applicants the committee decides on" in box
    assert "at most its first 5 rows" in box
    french = limited(outcome, lang="fr")
    assert f"Cet appel compte {taken_in} candidatures reçues" in french
    assert "Dossiers : les candidats sur lesquels le comité se prononce" in french


def test_asking_for_every_dossier_gives_a_large_call_one_per_applicant_and_no_notice(outcome, full, limited):
    html = limited(outcome, dossiers="all")
    assert set(_dossiers(html)) == {anchor(a) for a in outcome.decisions["application_id"]}
    assert 'id="detail-limited"' not in html
    assert _dossiers(html) == _dossiers(full["en"])
    with pytest.raises(ValueError):
        limited(outcome, dossiers="some")
