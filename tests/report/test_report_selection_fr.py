"""Section 2's seat working in French: the need, the quotients, the other methods and formulas, the
counterfactuals and the presence priority, with no English left and the same seats as in English."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dtc_select.seats.allocation import PRESENCE_QUOTA_RULE, UNFILLED_SEATS_RULE
from dtc_select.call.model import load_call
from dtc_select.reference.countries import load_country_table
from dtc_select.report.i18n import Formatter, messages
from dtc_select.seats.needs import FORMULA_WORDS, SHIPPED_FORMULAS, regional_needs
from dtc_select.pipeline import run
from dtc_select.reference.regional import past_outcome, past_outcome_ids
from dtc_select.report.view import render_report, report_view
from dtc_select.report.selection import working
from dtc_select.seats.per_region import METHOD_NAMES
from tests.conftest import make_applications
from tests.seats.test_needs import with_formula
from tests.report.test_report_browser import ENGLISH_WORDS
from tests.seats.test_selection_rules import NO_PREVIOUS, PRESENCE_BONUS, example_run, variant

# Words of the seat working that would betray English left in a French report.
SEAT_WORDS = ENGLISH_WORDS | {"next", "need", "share", "shares", "this", "call", "would", "given", "whole", "remainder",
                              "worked", "earlier", "nobody", "none", "here", "then", "compared", "fewer", "than",
                              "displaced", "qualified", "applicants", "largest", "went", "last", "left", "without",
                              "every", "each", "people", "offline", "confidence", "verified", "applied", "rounded",
                              "least", "developed", "countries", "stayed", "empty", "changed", "is", "were"}


class _Text(HTMLParser):
    """The visible text of a piece of HTML, without <code> (file names) and the given applicant
    texts; and every lang attribute met."""

    def __init__(self):
        super().__init__()
        self.parts, self.langs, self._code = [], [], 0

    def handle_starttag(self, tag, attrs):
        self._code += tag == "code"
        self.langs += [value for name, value in attrs if name == "lang"]

    def handle_endtag(self, tag):
        self._code -= tag == "code"

    def handle_data(self, data):
        if not self._code:
            self.parts.append(data)


def seat_working(html: str) -> str:
    """The report's seat working: from #need-working to the end of section 2 (#previous-centres
    included when there is one)."""
    return html.split('id="need-working"')[1].split("</section>")[0]


def visible(part: str, outcome) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(part)
    text = " ".join(parser.parts)
    for name in outcome.decisions["institution_name"].dropna():  # applicants' own words
        text = text.replace(name, " ")
    return text, parser.langs


def english_left(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) & (SEAT_WORDS - {"score"})


def english_sentences_left(text: str) -> list[str]:
    """Texts of the selection catalogue that French should have replaced."""
    english, french = messages("en"), messages("fr")
    return [v for k, v in english.items() if k.startswith("sel_") and "{" not in v and len(v) > 6 and v in text
            and not any(v in f for f in french.values())]  # not "D'Hondt", French too


@pytest.fixture(scope="module")
def example(call):
    return example_run(call)


@pytest.fixture(scope="module")
def remainder_quota(tmp_path_factory):
    """The example with largest remainder, a presence quota, a minimum score and a centre from phase 1."""
    path = variant(tmp_path_factory.mktemp("lrq"), ("  seat_method: sainte_lague\n", "  seat_method: largest_remainder\n"),
                   (PRESENCE_BONUS, "  method: quota\n  minimum_share: 0.6\n"),
                   ("  minimum_score: null\n", "  minimum_score: 0.5\n"))
    return example_run(load_call(path))


@pytest.fixture(scope="module")
def earlier_centre(tmp_path_factory):
    path = variant(tmp_path_factory.mktemp("earlier"), (NO_PREVIOUS, "  centres:\n    - {id: DTC-P1-HND, country: HND, "
                                                                      "region: AMS, phase: 'phase 1', reference: 'list'}\n"))
    return example_run(load_call(path))


def test_the_french_seat_working_of_the_example_has_no_english_words_and_no_english_part(example):
    part = seat_working(render_report(example, lang="fr"))
    text, langs = visible(part, example)
    assert "Comment le besoin de chaque région a été calculé" in text and "Sans parts régionales" in text
    assert english_left(text) == set(), text
    assert english_sentences_left(text) == []
    assert langs == [] and 'lang="en"' not in part


def test_the_french_working_of_largest_remainder_and_of_the_presence_quota_is_french(remainder_quota):
    part = seat_working(render_report(remainder_quota, lang="fr"))
    text, langs = visible(part, remainder_quota)
    for french in ("Selon la méthode des plus forts restes (Hamilton)", "Partie entière", "Reste", "Quota exact",
                   "appliquée sous forme de quota : au moins 6 des 10 places (une part de 0,6, arrondie",
                   "Tant que les centres sélectionnés dans des pays où l'UIT ou Cisco est présent",
                   "Aucun candidat dont le score est inférieur à 0,500 n'est sélectionné",
                   "Sélectionnés grâce à la priorité (non sélectionnés sans elle)"):
        assert french in text, french
    assert english_left(text) == set(), text
    assert english_sentences_left(text) == []
    assert langs == []
    english = seat_working(render_report(remainder_quota))
    for words in ("Largest remainder (Hamilton): each region first gets the whole part", "Whole part", "Remainder",
                  PRESENCE_QUOTA_RULE, "applied as a quota: at least 6 of the 10 seats (0.6 of them, rounded up)"):
        assert words in english.replace("&#39;", "'"), words


def test_the_french_working_names_earlier_centres_in_french(earlier_centre):
    part = seat_working(render_report(earlier_centre, lang="fr"))
    text, langs = visible(part, earlier_centre)
    assert "centre antérieur" in text and "Centres des phases antérieures" in text
    assert re.search(r"DTC-P1-HND\s+Honduras\s+Amériques", text)
    assert english_left(text) == set(), text
    assert langs == []


def test_french_quotients_are_the_english_ones_with_a_decimal_comma(example):
    cells = {lang: [c["text"] for row in report_view(example, lang=lang)["selection"]["quotients"]["rows"]
                    for c in row["cells"][1:]] for lang in ("en", "fr")}
    numbers = {lang: [re.findall(r"\d+(?:[.,]\d+)?", c) for c in cells[lang]] for lang in cells}
    assert numbers["fr"] == [[n.replace(".", ",") for n in c] for c in numbers["en"]]
    assert any("," in n for c in numbers["fr"] for n in c)
    assert not any("." in n for c in numbers["fr"] for n in c)
    # Phase 1 reads ITU's 2018 estimates (reference/indicators.py).
    assert "0,286629 → place 4" in cells["fr"] and "0,084 (suivant, sans place)" in cells["fr"]
    cutoff = report_view(example, lang="fr")["selection"]["cutoff"]
    assert cutoff == ("La dernière place (place 10) est allée à l'Afrique avec un quotient de 0,108 ; "
                      "le plus grand quotient resté sans place était celui de l'Asie-Pacifique (0,0976316).")


def test_both_languages_show_the_same_seats_in_every_table_of_the_working(remainder_quota, example):
    for outcome in (example, remainder_quota):
        views = {lang: report_view(outcome, lang=lang)["selection"] for lang in ("en", "fr")}
        for name in ("methods", "formulas", "remainders"):
            tables = {lang: views[lang][name] for lang in views}
            if tables["en"] is None:
                continue
            shown = {lang: [[c["text"].replace(",", ".") for c in row["cells"][1:]] for row in tables[lang]["rows"]]
                     for lang in tables}
            assert shown["fr"] == shown["en"], name
            assert len(tables["fr"]["headings"]) == len(tables["en"]["headings"])


def test_the_french_notes_say_which_method_would_give_seats_to_a_region_without_qualified_applicants(
        call, write_applications):
    outcome = run(call, write_applications(make_applications(3, country=["Senegal", "Kenya", "Uganda"])))
    part = seat_working(render_report(outcome, lang="fr"))
    text, _ = visible(part, outcome)
    text = re.sub(r"\s+", " ", text)
    assert ("La méthode de Sainte-Laguë donnerait 1 place aux Amériques alors que cette région n'a aucun candidat "
            "qualifié") in text
    assert "La méthode de Huntington-Hill donnerait 1 place à l'Europe" in text
    assert "7 places sont restées vides" in text
    assert english_left(text) == set(), text


def test_the_presence_sentence_of_the_rules_section_is_in_the_reports_language(example):
    rules = render_report(example, lang="fr").split('<section id="rules"')[1].split("</section>")[0]
    assert ("<li>appliquée sous forme d&#39;un bonus de 0,05 ajouté au score des candidats des pays où l&#39;UIT "
            "ou Cisco est présent</li>") in rules
    assert 'lang="en"' not in rules
    english = render_report(example).split('<section id="rules"')[1].split("</section>")[0]
    assert "<li>applied as a bonus of 0.05 added to the score of applicants from countries where ITU or Cisco" in english


def test_the_english_catalogue_says_what_the_stages_say():
    english = messages("en")
    assert {f: english[f"sel_formula_words_{f}"] for f in FORMULA_WORDS} == FORMULA_WORDS
    assert {m: english[f"sel_method_name_{m}"] for m in METHOD_NAMES} == METHOD_NAMES
    assert english.sel_unfilled_rule == UNFILLED_SEATS_RULE
    assert english.sel_quota_rule == PRESENCE_QUOTA_RULE


@pytest.mark.parametrize("formula", [*SHIPPED_FORMULAS, "explicit"])
def test_the_english_working_of_each_need_is_the_one_the_need_stage_writes(call, formula):
    explicit = {"AFR": 4, "AMS": 2.5, "ASP": 3} if formula == "explicit" else None
    needs = regional_needs(with_formula(call, formula, explicit), load_country_table())
    assert working(needs, formula, Formatter("en")) == needs["working"].tolist()
    french = working(needs, formula, Formatter("fr"))
    assert all("." not in w.split("=")[-1] for w in french)  # every result with a decimal comma


def test_every_past_outcome_has_its_label_and_source_in_french():
    for outcome in past_outcome_ids():
        past = past_outcome(outcome)
        for text in ("label", "short_label", "source"):
            assert past[f"{text}_fr"] and past[f"{text}_fr"] != past[text], (outcome, text)
        assert "academy.itu.int" in past["source_fr"]
