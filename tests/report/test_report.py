"""The committee report: safe, self-contained, complete and deterministic."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from dtc_select.seats import allocation
from dtc_select.call import vocabulary as vocab
from dtc_select.call.model import load_call
from dtc_select.pipeline import Outcome
from dtc_select.report.view import _template, render_report, slug
from tests.report_fixture import EMAILS, HOSTILE_COMMENT, HOSTILE_ID, make_outcome

ROOT = Path(__file__).resolve().parents[2]
CALL_FILE = ROOT / "criteria" / "dtc-phase1-2019.yaml"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}


@pytest.fixture(scope="module")
def call():
    return load_call(CALL_FILE)


@pytest.fixture(scope="module")
def outcome(call) -> Outcome:
    return make_outcome(call)


@pytest.fixture(scope="module")
def html(outcome) -> str:
    return render_report(outcome)


class _Checker(HTMLParser):
    """Collects tags, attributes and ids, and the tags that do not nest properly."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.attrs, self.ids, self.style = [], [], [], [], [], ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        self.ids.extend(v for k, v in attrs if k == "id")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style += data


def _parse(text: str) -> _Checker:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return checker


def _section(text: str, anchor: str) -> str:
    start = text.index(f'id="{anchor}"')
    return text[start:text.index("</section>", start)]


def test_hostile_text_in_names_reasons_ids_and_problems_appears_escaped_and_never_raw(html):
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt; &amp; &#39;Co&#39;" in html
    assert "&lt;b onclick=alert(2)&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(&#39;problem&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;q&lt;/script&gt;" in html
    assert str(escape(HOSTILE_COMMENT)) in html and "&lt;i onmouseover=alert(4)&gt;x&lt;/i&gt;" in html
    assert str(escape(HOSTILE_ID)) in html
    for raw in ("<script", "<img", "<b ", "<i ", "<svg onload"):
        assert raw not in html
    parsed = _parse(html)
    assert not any(key.startswith("on") for key, _ in parsed.attrs)
    assert {"script", "img", "b"}.isdisjoint(parsed.tags)


def test_the_report_has_no_script_and_references_no_remote_resource(html):
    parsed = _parse(html)
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & set(parsed.tags)
    assert all(key != "src" for key, _ in parsed.attrs)
    hrefs = [value for key, value in parsed.attrs if key == "href"]
    assert hrefs and all(value.startswith("#") for value in hrefs)
    assert not any(value and re.search(r"https?:|javascript:|//", value) for _, value in parsed.attrs)
    assert "@import" not in html and "url(" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)


def test_contact_details_from_the_applications_do_not_appear(html):
    for email in EMAILS:
        assert email not in html
    assert "Amina Contact" not in html and "555 0199" not in html
    assert "contact_" not in html


def test_every_selected_application_appears_in_the_selected_section(outcome, html):
    section = _section(html, "selected")
    selected = outcome.decisions.loc[outcome.decisions["status"] == "selected", "application_id"]
    assert len(selected) == 4
    for application_id in selected:
        assert f'href="#app-{slug(application_id)}"' in section
    assert "DTC-005" not in section and "DTC-007" not in section


def test_selected_centres_are_listed_by_region_then_rank_in_region(html):
    section = _section(html, "selected")
    positions = [section.index(f">{i}<") for i in ("DTC-001", "DTC-002", "DTC-003", "DTC-004")]
    assert positions == sorted(positions)


def test_every_rule_and_criterion_appears_with_its_reference(call, html):
    section = _section(html, "rules")
    for item in (*call.rules, *call.criteria):
        assert f"<code>{item.id}</code>" in section
        assert str(escape(item.reference)) in section
    for text in (call.scoring.description, call.presence_priority.reference, call.allocation.reference,
                 call.allocation.need.reference, call.country_status.classification):
        assert str(escape(text)) in html


def test_the_same_outcome_gives_byte_identical_html(outcome, html):
    assert render_report(outcome) == html
    assert "generated" not in html


def test_the_generation_time_is_the_only_difference_when_given(outcome, html):
    stamped = render_report(outcome, generated_at=dt.datetime(2019, 12, 5, 9, 30, tzinfo=dt.timezone.utc))
    assert "Report generated 5 December 2019, 09:30 UTC." in stamped  # a date in words, not ISO
    assert [line for line in stamped.splitlines() if "generated" not in line] == html.splitlines()


def test_the_document_is_english_utf8_and_self_contained_in_one_file(html):
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert '<meta charset="utf-8">' in html
    assert "<style>" in html and "@page" in html and "A4" in html


def test_the_html_parses_with_balanced_tags(html):
    parsed = _parse(html)
    assert parsed.errors == []
    assert parsed.stack == []


def test_every_in_page_link_has_exactly_one_target(html):
    parsed = _parse(html)
    assert len(parsed.ids) == len(set(parsed.ids))
    targets = {value[1:] for key, value in parsed.attrs if key == "href"}
    assert targets <= set(parsed.ids)
    assert {"summary", "selected", "seats", "reserve", "ranked", "ineligible", "quarantine", "rules", "dossiers",
            "inputs"} <= set(parsed.ids)


def test_application_anchors_are_safe_and_distinct():
    ids = [HOSTILE_ID, "DTC 1", "DTC_1", "DTC-1", "é/1"]
    slugs = [slug(i) for i in ids]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", s) for s in slugs)
    assert len(set(slugs)) == len(slugs)


def test_sections_come_in_the_committee_order(html):
    order = ["summary", "selected", "seats", "reserve", "ranked", "ineligible", "quarantine", "rules", "dossiers", "inputs"]
    positions = [html.index(f'id="{anchor}"') for anchor in order]
    assert positions == sorted(positions)


def test_the_summary_gives_every_count_and_the_score_problems(outcome, html):
    summary = html[:html.index("</header>")]
    counts = outcome.counts
    assert counts["input_rows"] == 9 and counts["quarantined"] == 1
    for label, value in (("Selected", 4), ("Reserve", 1), ("Not selected", 1), ("Rows in the applications file", 9)):
        assert re.search(rf"<th scope=\"row\">{label}[^<]*</th><td class=\"num\">{value}</td>", summary)
    assert "Reviewer score rows that could not be used" in summary


def test_each_region_ranks_its_eligible_applicants_with_their_figures_and_links_to_their_dossiers(call, html):
    section = _section(html, "ranked")
    africa = section[section.index('id="region-AFR"'):section.index('id="region-AMS"')]
    for application_id in ("DTC-001", "DTC-002", "DTC-005", HOSTILE_ID):
        assert f'href="#app-{slug(application_id)}"' in africa
    assert "DTC-003" not in africa and "DTC-007" not in section
    positions = [africa.index(f"#app-{slug(i)}") for i in ("DTC-001", "DTC-002", "DTC-005", HOSTILE_ID)]
    assert positions == sorted(positions)
    # Each criterion's value is in the dossier (and decisions.xlsx), so that the table fits the screen.
    for criterion in call.criteria:
        assert f"<span>{escape(criterion.label)}</span></th>" not in section
        assert f">{escape(criterion.label)}<" in _section(html, "dossiers")
    assert ">0.812<" in section and ">4.25<" in section and "0.81234" not in section


def test_every_applicant_taken_in_has_one_dossier_with_its_status_and_reasons(outcome, html):
    section = _section(html, "dossiers")
    for application_id in outcome.decisions["application_id"]:
        assert section.count(f'<article class="dossier" id="app-{slug(application_id)}">') == 1
    dossier = section[section.index('id="app-DTC-008"'):]
    dossier = dossier[:dossier.index("</article>")]
    assert "ineligible" in dossier and "not a non-profit organisation" in dossier


def test_ineligible_applicants_link_to_dossiers_and_each_rule_says_how_many_failed_and_who(html):
    section = _section(html, "ineligible")
    assert 'href="#app-DTC-007"' in section and 'href="#app-DTC-008"' in section
    by_rule = section[section.index('id="by-rule"'):]
    row = re.search(r"<code>non_profit</code></td><td>.*?</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>\n<td>(.*?)</td>",
                    by_rule)
    assert row.groups()[:2] == ("1", "0") and 'href="#app-DTC-008"' in row.group(3)
    row = re.search(r"<code>training_levels</code></td><td>.*?</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>\n<td>(.*?)</td>",
                    by_rule)
    assert row.groups()[:2] == ("0", "1") and "Not stated:" in row.group(3)
    row = re.search(r"<code>deadline</code></td><td>.*?</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>\n<td>(.*?)</td>",
                    by_rule)
    assert row.groups() == ("0", "0", "")


def test_seats_section_shows_need_and_method_and_the_first_page_a_bar_per_region(call, outcome, html):
    section = _section(html, "seats")
    assert str(escape(allocation.describe_seat_method("sainte_lague"))) in section
    assert str(escape(call.allocation.need.description)) in section
    summary = html[:html.index("</header>")]
    chart = summary[summary.index('aria-label="Seats per region'):]
    chart = chart[:chart.index("</svg>")]
    assert chart.count("<rect ") == 2 * len(vocab.REGIONS)
    for name in vocab.REGION_NAMES.values():
        assert f">{name}<" in chart


def test_reserve_lists_are_given_per_region_in_order(html):
    section = _section(html, "reserve")
    assert "Africa (AFR)" in section and 'href="#app-DTC-005"' in section
    assert "Europe (EUR)" not in section


def test_score_problems_repeated_over_rows_are_shown_once_with_their_rows(html):
    section = _section(html, "quarantine")
    assert section.count("is not in the applications file") == 1
    assert "<td>4–6</td><td class=\"nowrap\">DTC-999</td>" in section and "<td>9</td><td class=\"nowrap\">—</td>" in section


def test_the_footer_lists_every_input_with_its_sha256(call, html):
    footer = html[html.index('id="inputs"'):]
    for digest in (call.sha256, "a" * 64, "b" * 64):
        assert digest in footer
    assert "jinja2" in footer and "pandas" in footer


def test_an_outcome_with_no_applications_still_renders(outcome):
    empty = Outcome(**{**outcome.__dict__, "decisions": outcome.decisions.iloc[0:0],
                       "quarantine": outcome.quarantine.iloc[0:0], "score_problems": outcome.score_problems.iloc[0:0]})
    text = render_report(empty)
    assert "No applicant was selected." in text and _parse(text).errors == []


def test_the_template_is_loaded_once():
    assert _template() is _template()


EXAMPLES = ROOT / "data" / "examples"


def test_the_report_of_the_example_run_is_safe_and_well_formed(call):
    from dtc_select.pipeline import run

    scores = EXAMPLES / "scores.csv"
    real = run(call, EXAMPLES / "applications.csv", scores if scores.exists() else None)
    text = render_report(real)
    parsed = _parse(text)
    assert parsed.errors == [] and all(v.startswith("#") for k, v in parsed.attrs if k == "href")
    for column in ("contact_email", "contact_phone"):
        for value in real.applications.get(column, pd.Series(dtype=object)).dropna():
            assert str(escape(value)) not in text
    assert render_report(real) == text
