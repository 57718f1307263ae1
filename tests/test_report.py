"""The committee report: safe, self-contained, complete and deterministic."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from dtc_select import allocation
from dtc_select import vocabulary as vocab
from dtc_select.call import load_call
from dtc_select.pipeline import InputRecord, Outcome
from dtc_select.report import _template, render_report, slug

ROOT = Path(__file__).resolve().parents[1]
CALL_FILE = ROOT / "criteria" / "dtc-phase1-2019.yaml"
HOSTILE_NAME = "<script>alert(\"name\")</script> & 'Co' javascript:alert(1)"
HOSTILE_ID = 'DTC-006"><img src=x onerror=alert(1)>'
HOSTILE_REASON = "<b onclick=alert(2)>bold</b>"
HOSTILE_PROBLEM = "<script>alert('problem')</script> country 'Atlantis' is unknown"
EMAILS = ("amina.director@example.org", "carlos.rector@example.org", "priya@example.net")
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}


@pytest.fixture(scope="module")
def call():
    return load_call(CALL_FILE)


def _decisions(call) -> pd.DataFrame:
    rows = [
        # id, institution, iso3, country, region, status, score, rank, region_rank, reserve, reasons
        ("DTC-001", "Université de Kinshasa", "COD", "Democratic Republic of the Congo", "AFR", "selected", 0.81234, 1, 1, None, "selected: ranked 1st in Africa, which has 4 seats"),
        ("DTC-002", HOSTILE_NAME, "KEN", "Kenya", "AFR", "selected", 0.8, 2, 2, None, "selected: ranked 2nd in Africa; " + HOSTILE_REASON),
        ("DTC-003", "Instituto Tecnológico de Bolivia", "BOL", "Bolivia", "AMS", "selected", 0.75, 3, 1, None, "selected: ranked 1st in the Americas"),
        ("DTC-004", "Kathmandu ICT Centre", "NPL", "Nepal", "ASP", "selected", 0.7, 4, 1, None, "selected: ranked 1st in Asia-Pacific"),
        ("DTC-005", "Makerere Digital Hub", "UGA", "Uganda", "AFR", "reserve", 0.65, 5, 3, 1, "reserve 1 for Africa: ranked 3rd in Africa"),
        (HOSTILE_ID, "Second Kinshasa centre", "COD", "Democratic Republic of the Congo", "AFR", "not_selected", 0.6, 6, 4, None, "not selected: country cap"),
        ("DTC-007", "Lycée de Lyon", "FRA", "France", "EUR", "ineligible", None, None, None, None, "ineligible: the host country is neither a least developed nor a developing country [Annex §3]"),
        ("DTC-008", "Accra Training Ltd", "GHA", "Ghana", "AFR", "ineligible", None, None, None, None, "ineligible: not a non-profit organisation; training_levels could not be checked"),
    ]
    frame = pd.DataFrame(rows, columns=["application_id", "institution_name", "country_iso3", "country_name", "region",
                                        "status", "score", "rank", "region_rank", "reserve_position", "reasons"])
    eligible = frame["status"] != "ineligible"
    frame["score"] = frame["score"].astype("Float64")
    for column in ("rank", "region_rank", "reserve_position"):
        frame[column] = frame[column].astype("Int64")
    frame["merit_score"] = (frame["score"] - 0.05).where(eligible)
    frame["priority_bonus"] = pd.Series(0.05, index=frame.index).where(eligible)
    frame["reviewer_mean"] = pd.Series([4.5, 4.25, 3.875, None, 3.5, 3.0, None, None], dtype="Float64")
    frame["reviewers"] = pd.Series([3, 2, 2, 0, 2, 1, None, None], dtype="Int64")
    frame["tie_break_note"] = ""
    frame["source_row"] = range(1, len(frame) + 1)
    for number, criterion in enumerate(call.criteria):
        frame[f"criterion_{criterion.id}"] = pd.Series(0.5 + number / 20, index=frame.index).where(eligible)
    for rule in call.rules:
        frame[f"rule_{rule.id}"] = "pass"
    frame.loc[6, "rule_host_country"] = "fail"
    frame.loc[7, "rule_non_profit"] = "fail"
    frame.loc[7, "rule_training_levels"] = "not_stated"
    return frame


def _needs_and_seats() -> tuple[pd.DataFrame, pd.DataFrame]:
    needs = pd.DataFrame(index=pd.Index(vocab.REGIONS, name="region"))
    needs["region_name"] = [vocab.REGION_NAMES[r] for r in vocab.REGIONS]
    needs["internet_use_percent"] = [37.0, 87.0, 70.0, 66.0, 89.0, 91.0]
    needs["indicator_year"] = 2023
    needs["offline_share"] = (100 - needs["internet_use_percent"]) / 100
    needs["member_states"] = [44, 35, 21, 38, 12, 46]
    needs["eligible_states"] = [44, 33, 21, 36, 6, 3]
    needs["eligible_share"] = needs["eligible_states"] / needs["member_states"]
    needs["need"] = (needs["offline_share"] * needs["eligible_share"]).round(6)
    seats = allocation.seats_per_region(needs["need"].to_dict(), 10, "sainte_lague")
    seats["filled"] = [2, 1, 0, 1, 0, 0]
    seats["eligible"] = [4, 1, 0, 1, 0, 0]
    seats["unfilled_to_others"] = 0
    seats["received_from_others"] = 0
    seats["left_empty"] = seats["seats"] - seats["filled"]
    return needs, seats


@pytest.fixture(scope="module")
def outcome(call) -> Outcome:
    decisions = _decisions(call)
    needs, seats = _needs_and_seats()
    applications = decisions[["application_id", "institution_name"]].assign(
        contact_name="Dr Amina Contact", contact_email=[EMAILS[i % 3] for i in range(len(decisions))],
        contact_phone="+243 81 555 0199")
    return Outcome(
        call=call,
        decisions=decisions,
        quarantine=pd.DataFrame({"source_row": [9], "application_id": ["<script>q</script>"], "problems": [HOSTILE_PROBLEM]}),
        score_problems=pd.DataFrame({"source_row": [4, 5, 6, 9], "application_id": ["DTC-999"] * 3 + [pd.NA],
                                     "problems": ["application_id 'DTC-999' is not in the applications file"] * 3
                                     + ["score '7' is outside the scale 1 to 5"]}),
        needs=needs,
        seats=seats,
        applications=applications,
        scores=None,
        inputs=(InputRecord("applications", "data/applications.csv", "a" * 64, 1234),
                InputRecord("scores", "data/scores.csv", "b" * 64, 567)),
        extra_columns=(),
    )


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
    assert str(escape(HOSTILE_ID)) in html
    for raw in ("<script", "<img", "<b "):
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
    assert "2019-12-05T09:30:00+00:00" in stamped
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
    assert {"summary", "selected", "seats", "reserve", "ranked", "ineligible", "quarantine", "rules", "inputs"} <= set(parsed.ids)


def test_application_anchors_are_safe_and_distinct():
    ids = [HOSTILE_ID, "DTC 1", "DTC_1", "DTC-1", "é/1"]
    slugs = [slug(i) for i in ids]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", s) for s in slugs)
    assert len(set(slugs)) == len(slugs)


def test_sections_come_in_the_committee_order(html):
    order = ["summary", "selected", "seats", "reserve", "ranked", "ineligible", "quarantine", "rules", "inputs"]
    positions = [html.index(f'id="{anchor}"') for anchor in order]
    assert positions == sorted(positions)


def test_the_summary_gives_every_count_and_the_score_problems(outcome, html):
    summary = html[:html.index("</header>")]
    counts = outcome.counts
    assert counts["input_rows"] == 9 and counts["quarantined"] == 1
    for label, value in (("Selected", 4), ("Reserve", 1), ("Not selected", 1), ("Rows in the applications file", 9)):
        assert re.search(rf"<th scope=\"row\">{label}[^<]*</th><td class=\"num\">{value}</td>", summary)
    assert "Reviewer score rows that could not be used" in summary


def test_the_ranked_table_shows_every_eligible_applicant_with_criteria_and_three_decimals(call, html):
    section = _section(html, "ranked")
    for application_id in ("DTC-001", "DTC-002", "DTC-003", "DTC-004", "DTC-005"):
        assert f'id="app-{application_id}"' in section
    assert f'id="app-{slug(HOSTILE_ID)}"' in section
    assert "DTC-007" not in section
    for criterion in call.criteria:
        assert f">{criterion.id}</th>" in section
    assert ">0.812<" in section and ">4.250<" in section and "0.81234" not in section


def test_ineligible_applicants_have_anchors_and_failures_are_counted_per_rule(html):
    section = _section(html, "ineligible")
    assert 'id="app-DTC-007"' in section and 'id="app-DTC-008"' in section
    row = re.search(r"<code>non_profit</code></td><td>[^<]*</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", section)
    assert row.groups() == ("1", "0")
    row = re.search(r"<code>training_levels</code></td><td>[^<]*</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", section)
    assert row.groups() == ("0", "1")


def test_seats_section_shows_need_method_and_a_bar_per_region(call, outcome, html):
    section = _section(html, "seats")
    assert str(escape(allocation.describe_seat_method("sainte_lague"))) in section
    assert str(escape(call.allocation.need.description)) in section
    assert section.count("<rect ") == 2 * len(vocab.REGIONS)
    for name in vocab.REGION_NAMES.values():
        assert f">{name}<" in section


def test_reserve_lists_are_given_per_region_in_order(html):
    section = _section(html, "reserve")
    assert "Africa (AFR)" in section and 'href="#app-DTC-005"' in section
    assert "Europe (EUR)" not in section


def test_score_problems_repeated_over_rows_are_shown_once_with_their_rows(html):
    section = _section(html, "quarantine")
    assert section.count("is not in the applications file") == 1
    assert "<td>4–6</td><td>DTC-999</td>" in section and "<td>9</td><td>—</td>" in section


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


@pytest.mark.skipif(not (EXAMPLES / "applications.csv").exists(), reason="example data not there yet")
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
