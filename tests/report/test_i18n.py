"""The report in French: the catalogue, the reasons, the rule texts, without changing a decision."""

from __future__ import annotations

import re
import string

import pytest

from dtc_select.rules.eligibility import evaluate_eligibility, rule_reasons
from dtc_select.report.charts import value_bars
from dtc_select.report.i18n import Formatter, catalogue_files, load_catalogue, messages
from dtc_select.reasons.render import Renderer
from dtc_select.report.view import render_report
from tests.factories import parsed
from tests.report_fixture import make_outcome

FIELD = re.compile(r"\{(\w+)")
COUNTRIES = {"Kenya": "Kenya", "Democratic Republic of the Congo": "République démocratique du Congo",
             "Zimbabwe": "Zimbabwe"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name} if "{" in text else set()


def test_both_catalogues_have_the_same_keys_and_the_same_fields():
    english, french = messages("en"), messages("fr")
    assert set(english) == set(french)
    for key in english:
        wanted = set(FIELD.findall(english[key]))
        assert {f.split(".")[0] for f in FIELD.findall(french[key])} == {f.split(".")[0] for f in wanted}, key


def test_each_report_part_brings_its_own_catalogue_file_loaded_with_the_main_one():
    names = [f.name for f in catalogue_files("fr")]
    assert names[0] == "messages_fr.yaml" and "messages_checks_fr.yaml" in names
    assert messages("fr").chk_stability_heading.startswith("4.3 ")


def test_a_key_given_in_two_catalogue_files_fails_at_load_naming_the_file(tmp_path):
    (tmp_path / "messages_en.yaml").write_text('title: "Report"\n', encoding="utf-8")
    (tmp_path / "messages_extra_en.yaml").write_text('title: "Again"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"messages_extra_en.yaml: keys already in another catalogue file: \['title'\]"):
        load_catalogue("en", tmp_path)


def test_a_bare_yes_key_is_refused_because_yaml_reads_it_as_true(tmp_path):
    (tmp_path / "messages_en.yaml").write_text('yes: "yes"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="keys must be text"):
        load_catalogue("en", tmp_path)


def test_french_numbers_dates_and_answers_are_written_the_french_way():
    fr, en = Formatter("fr"), Formatter("en")
    assert fr.decimal(0.81234) == "0,812" and en.decimal(0.81234) == "0.812"
    assert fr.integer(14576) == "14\xa0576" and en.integer(14576) == "14,576"
    assert fr.pct(0.429) == "42,9\xa0%"
    assert fr.answer("non_profit", True) == "oui" and fr.answer("non_profit", None) == "non renseigné"
    assert fr.answer("organisation_type", "for_profit") == "entreprise à but lucratif"
    import datetime as dt
    assert fr.date(dt.date(2019, 11, 30)) == "30 novembre 2019"


def test_shares_of_samples_never_read_as_none_or_all_and_margins_keep_their_sign_in_both_languages():
    fr, en = Formatter("fr"), Formatter("en")
    assert fr.share(0.0004) == "<\xa00,1\xa0%" and en.share(0.9996) == ">\xa099.9\xa0%"
    assert fr.share(1.0) == "100,0\xa0%" and en.share(0.0) == "0.0\xa0%"
    assert fr.signed(0.0481) == "+0,048" and en.signed(-0.0481) == "-0.048"
    assert en.signed(0.0000123) == "+0.000012"  # a hair's breadth is not shown as 0
    assert fr.plain(0.0698889) == "0,0698889" and en.plain(float("inf")) == "∞"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_chart_writes_a_share_as_the_tables_do_never_100_percent_for_what_is_not_all(lang):
    # The report's stability chart said "100 %" where the applicant was not selected in every sample;
    # the tables' probability columns are shares of samples too (kind "share").
    fmt = Formatter(lang)
    chart = value_bars([("A-001", 0.9995, "c-selected"), ("A-002", 1.0, "c-selected"),
                        ("A-003", 0.0004, "c-reserve")], fmt, "label", percent=True)
    shown = [t["text"] for t in chart["texts"] if t["cls"] == ""]
    assert shown == [fmt.share(0.9995), fmt.share(1.0), fmt.share(0.0004)]
    assert shown[0].startswith(">") and shown[2].startswith("<") and "100" not in shown[0]
    from dtc_select.report import tables
    kinds = {kind for columns in (tables.SELECTED_COLUMNS, tables.REGION_LAST, tables.FRAGILE_COLUMNS)
             for column, _, kind in columns if column == "selection_probability"}
    assert kinds == {"share"}


def test_french_eligibility_reasons_name_the_same_failed_rules_as_the_english_ones(call):
    apps = parsed(3, organisation_type=["for_profit", "ngo", "ngo"], non_profit=[False, True, None],
                  workstations=[40, 0, 40], submitted_at=["2019-11-01", "2019-11-01", "2019-12-02"])
    english = evaluate_eligibility(apps, call)
    words = Renderer("fr", call)
    french = rule_reasons(apps, call).map(lambda cell: (cell[0], cell[1] and words.render(cell[1])))
    for index in apps.index:
        failed_en = [r.id for r in call.rules if english.loc[index, f"rule_{r.id}"] != "pass"]
        failed_fr = [r.id for r in call.rules if french.loc[index, r.id][0] != "pass"]
        assert failed_en == failed_fr
    assert french.loc[0, "non_profit"][1] == ("n'est pas une organisation à but non lucratif : une entreprise à but "
                                              "lucratif et aucun statut à but non lucratif déclaré [Annexe §2, critère 1]")
    assert "(l'appel demande le 30 novembre 2019, 23:59 UTC au plus tard)" in french.loc[2, "deadline"][1]
    assert "[Annexe §3" in french.loc[2, "deadline"][1]


def test_an_english_eligibility_reason_says_what_the_applicant_is_in_plain_words_each_fact_once(call):
    apps = parsed(1, organisation_type="for_profit", non_profit=False)
    assert Renderer("en", call).row(evaluate_eligibility(apps, call).loc[0, "eligibility_reasons"]) == "ineligible: " + (
        "not a non-profit organisation: a for-profit company and not declared non-profit [Annex §2, criterion 1]")


@pytest.fixture(scope="module")
def french_html(call):
    return render_report(make_outcome(call), lang="fr")


def test_the_french_edition_is_declared_french_and_uses_the_call_files_french(call, french_html):
    assert '<html lang="fr">' in french_html
    assert call.title_fr in french_html and "Centres sélectionnés" in french_html
    for rule in call.rules:
        assert rule.description_fr.replace("'", "&#39;") in french_html
    assert "Annexe §2, critère 1" in french_html and "Annex §2" not in french_html


def test_the_french_edition_writes_ineligible_reasons_from_their_data(french_html):
    assert ("inéligible : n&#39;est pas une organisation à but non lucratif : une entreprise à but lucratif "
            "[Annexe §2, critère 1]") in french_html
    assert ("invérifiable (formation TIC intermédiaire proposée non renseigné) : le candidat dispense des formations "
            "TIC de niveau élémentaire et intermédiaire [Annexe §2, critère 2]") in french_html


def test_the_french_edition_marks_the_english_problem_texts_as_english(french_html):
    assert '<span lang="en">application_id &#39;DTC-999&#39; is not in the applications file</span>' in french_html
    assert "Les problèmes sont décrits en anglais" in french_html


def test_the_french_edition_has_no_english_catalogue_text_left(french_html):
    english, french = messages("en"), messages("fr")
    # Identifiers (rule and criterion ids, file names) are code, not English; the intake's problems
    # are English on purpose, marked lang="en": both left out.
    body = french_html[french_html.index("<body>"):]
    text = re.sub(r"<[^>]+>", "\n", re.sub(r'<code[^>]*>.*?</code>|<span lang="en">.*?</span>', "", body))
    words_of_both = set(french.values())  # "Europe", "Innovation": the same word in both languages
    for key, value in english.items():
        if value not in words_of_both and len(value) > 3 and not key.startswith(("r_", "rp_")) and "{" not in value:
            found = re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text)
            assert not found, (key, text[found.start() - 120:found.end() + 40] if found else "")


def test_the_phase1_call_file_gives_french_for_every_text_the_report_shows(call):
    documented = (call, call.deadline, call.country_status, call.scoring, call.presence_priority, call.allocation,
                  call.allocation.need, call.stability, *call.rules, *call.criteria)
    for item in documented:
        assert getattr(item, "reference_fr", None), item
        if hasattr(item, "description"):
            assert item.description_fr, item
    assert all(rule.fails_as_fr for rule in call.rules)
    assert all(c.label and c.label_fr for c in call.criteria)
    assert call.title_fr and call.country_status.classification_fr and call.presence_priority.countries_source_fr
