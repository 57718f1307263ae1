"""The report as a reader's browser shows it: Debian's headless Chromium, driven by Playwright.

Each edition is opened from a file, offline: no console error, no network request, and a corpus of
hostile applicant text (in names, descriptions, reviewer comments, problems and ids) shown as text
and never run. The French edition has no English left in its headings and reasons. Screenshots and
PDFs of each edition are saved in tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dtc_select.report.i18n import messages
from dtc_select.pipeline import run
from dtc_select.report.view import render_report
from tests.conftest import ROOT, make_applications
from tests.browser import assert_no_live_markup, open_page

ARTIFACTS = ROOT / "tests" / "artifacts"

# Each payload, if it ever ran, would set window.__pwned (or fetch from a local port: a request).
HOSTILE = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=2\">",
    "<svg onload=\"window.__pwned=3\"><circle r=9></circle></svg>",
    "<svg><script>window.__pwned=4</script></svg>",
    "javascript:window.__pwned=5",
    "\"><script>window.__pwned=6</script>",
    "' onmouseover='window.__pwned=7' x='",
    "</td></tr></table><script>window.__pwned=8</script>",
    "<iframe src=\"javascript:window.top.__pwned=9\"></iframe>",
    "<a href=\"javascript:window.__pwned=10\">click me</a>",
    "<body onload=window.__pwned=11>",
    "<style>body{display:none}</style>",
    "<!-- an unclosed comment",
    "<![CDATA[<script>window.__pwned=14</script>]]>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=15>",
    "<details open ontoggle=window.__pwned=16>",
    "<object data=\"javascript:window.__pwned=17\"></object>",
    "<link rel=stylesheet href=\"http://127.0.0.1:9/x.css\">",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "&lt;script&gt;window.__pwned=20&lt;/script&gt;",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__pwned=21\">",
    "<base href=\"http://127.0.0.1:9/\">",
    "<textarea><script>window.__pwned=23</script>",
    "<input autofocus onfocus=window.__pwned=24>",
    "\u202egnp.exe <b>bold</b>",
    "<img src=\"http://127.0.0.1:9/pixel.png\">",
]
# A few go into application ids too: they end up in links and anchors.
HOSTILE_IDS = ['X"><img src=x onerror=window.__pwned=30>', "Y' onclick='window.__pwned=31", "Z</a><script>window.__pwned=32</script>"]


def _hostile_run(call, tmp_path: Path):
    n = len(HOSTILE)
    ids = [f"H-{i:02d}" for i in range(n - len(HOSTILE_IDS))] + HOSTILE_IDS
    countries = ["Senegal", "Kenya", "Nepal", "Bolivia", "Egypt", "Uzbekistan"]
    apps = make_applications(n, application_id=ids, institution_name=HOSTILE,
                             description=HOSTILE[::-1], country=[countries[i % 6] for i in range(n)])
    bad = make_applications(3, application_id=["Q-1", "Q-2", "Q-3"], country=HOSTILE[:3])  # quarantined
    applications = tmp_path / "applications.csv"
    pd.concat([apps, bad]).to_csv(applications, index=False)
    scores = pd.DataFrame({"application_id": ids, "reviewer_id": "R1", "criterion": "reputation", "score": 4,
                           "comment": HOSTILE[3:] + HOSTILE[:3]})
    scores_file = tmp_path / "scores.csv"
    scores.to_csv(scores_file, index=False)
    return run(call, applications, scores_file)


_open = open_page  # the name tests/monitoring imports it by


@pytest.fixture(scope="module")
def hostile_outcome(call, tmp_path_factory):
    return _hostile_run(call, tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("lang, edition", [("en", "reviewer"), ("fr", "secretariat")])
def test_hostile_applicant_text_is_shown_as_text_and_never_run(browser, hostile_outcome, tmp_path, lang, edition):
    assert len(HOSTILE) >= 20
    html = render_report(hostile_outcome, lang=lang, edition=edition)
    page, seen = _open(browser, html, tmp_path / "report.html")
    page.mouse.move(300, 300)
    page.keyboard.press("Tab")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("typeof window.top.__pwned") == "undefined"
    text = page.evaluate("document.body.textContent")
    for payload in HOSTILE + HOSTILE_IDS:
        assert payload in text, payload
    assert_no_live_markup(page)
    hrefs = page.evaluate("() => [...document.querySelectorAll('[href]')].map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("#") for h in hrefs)
    broken = page.evaluate("() => [...document.querySelectorAll('a[href]')].filter("
                           "a => !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))).length")
    assert broken == 0
    assert seen["errors"] == [] and seen["console"] == []
    assert seen["requests"] == [(tmp_path / "report.html").as_uri()]
    page.close()


@pytest.mark.parametrize("lang, edition", [("en", "reviewer"), ("fr", "secretariat")])
def test_each_edition_opens_offline_without_errors_and_prints_on_a4(browser, example_outcome, lang, edition):
    ARTIFACTS.mkdir(exist_ok=True)
    name = f"report-{lang}-{edition}"
    page, seen = _open(browser, render_report(example_outcome, lang=lang, edition=edition), ARTIFACTS / f"{name}.html")
    assert seen["errors"] == [] and seen["console"] == []
    assert seen["requests"] == [(ARTIFACTS / f"{name}.html").as_uri()]
    assert page.evaluate("document.documentElement.lang") == lang
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.locator("#app-DTC-2019-059").screenshot(path=str(ARTIFACTS / f"{name}-dossier.png"))
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), prefer_css_page_size=True, print_background=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    sizes = {(round(float(w)), round(float(h))) for w, h in boxes}
    assert len(boxes) > 5 and sizes <= {(595, 842), (842, 595)}  # A4 portrait, and landscape for wide tables
    page.close()


ENGLISH_WORDS = {"the", "and", "which", "has", "seat", "seats", "ranked", "selected", "reserve", "not", "below",
                 "could", "with", "priority", "includes", "needs", "stated", "ineligible", "applicant", "region",
                 "score", "rank", "overall", "remaining", "took", "fill", "tied", "order", "decided", "by", "of", "for"}


def test_the_french_edition_has_no_english_left_in_headings_and_reasons(browser, example_outcome, tmp_path):
    page, _ = _open(browser, render_report(example_outcome, lang="fr"), tmp_path / "report.html")
    # Headings, labels and reasons, without identifiers (code) and applicants' own words (.who).
    texts = page.evaluate("""() => [...document.querySelectorAll(
            'h1, h2, h3, h4, th, caption, figcaption, dt, nav a, .why, td.reason, .meta, svg text:not(.who)')]
        .map(e => { const c = e.cloneNode(true); c.querySelectorAll('code, .who').forEach(x => x.remove());
                    return c.textContent; })""")
    assert page.evaluate("document.querySelectorAll('.why [lang=en], td.reason [lang=en]').length") == 0
    english = messages("en")
    catalogue = {v for k, v in english.items() if v != messages("fr")[k] and len(v) > 3 and "{" not in v
                 and v not in set(messages("fr").values())}
    for text in texts:
        words = set(re.findall(r"[^\W\d_]+", text.lower())) - {"score"}  # whole words, accents included ("notées" is not "not")
        assert not words & ENGLISH_WORDS - {"score"}, text
        assert not any(value in text for value in catalogue), text
    page.close()


def test_a_large_call_report_says_on_its_first_screen_what_it_leaves_out_and_no_link_is_broken(
        browser, example_outcome, monkeypatch):
    from dtc_select.report import scope as report_scope
    from dtc_select.report import tables as report_tables
    monkeypatch.setattr(report_scope, "DOSSIERS_FOR_ALL_UP_TO", 20)  # the example as a call of thousands
    monkeypatch.setattr(report_tables, "ROWS_SHOWN", 5)
    ARTIFACTS.mkdir(exist_ok=True)
    page, seen = _open(browser, render_report(example_outcome), ARTIFACTS / "report-large-call.html")
    assert seen["errors"] == [] and seen["console"] == []
    box = page.locator("#detail-limited")
    assert box.is_visible() and box.bounding_box()["y"] < 1800  # within the first screen
    assert "decisions.csv and decisions.xlsx give every applicant" in box.inner_text()
    broken = page.evaluate("() => [...document.querySelectorAll('a[href]')].filter("
                           "a => !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))).length")
    assert broken == 0
    assert page.locator("p.more").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "report-large-call.png"))
    page.close()
