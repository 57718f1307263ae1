"""The monitoring report as a reader's browser shows it: Debian's headless Chromium, driven by
Playwright, offline. Hostile text in the reports (ids, periods, comments) is shown as text and
never run; the French report is French; late and missing reports come first; each centre has its
chart. Screenshots go to tests/artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

import re

import pytest

from dtc_select.monitoring.pipeline import add_up
from dtc_select.monitoring.reports import take_in_reports
from dtc_select.monitoring.view import monitoring_messages, render_monitoring_report
from tests.conftest import ROOT
from tests.monitoring.conftest import AS_OF, report_row, write_reports
from tests.browser import assert_no_live_markup
from tests.browser import open_page as _open
from tests.report.test_report_browser import HOSTILE

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_example_report_opens_offline_late_and_missing_first_with_a_chart_per_centre(browser, example, lang):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"monitoring-{lang}.html"
    page, seen = _open(browser, render_monitoring_report(example, lang=lang), path)
    assert seen["errors"] == [] and seen["console"] == [] and seen["requests"] == [path.as_uri()]
    assert page.evaluate("document.documentElement.lang") == lang
    sections = page.evaluate("() => [...document.querySelectorAll('main > section')].map(s => s.id)")
    assert sections[0] == "attention"
    first = page.locator("#attention tbody tr").all_inner_texts()
    assert [re.split(r"\t", row)[:2] for row in first] == [
        ["Paraguay (PRY)", "2021-Q2"], ["Papouasie-Nouvelle-Guinée (PNG)" if lang == "fr" else "Papua New Guinea (PNG)",
                                         "2021-Q3"], ["Zambie (ZMB)" if lang == "fr" else "Zambia (ZMB)", "2020-Q2"],
        ["Brésil (BRA)" if lang == "fr" else "Brazil (BRA)", "2021-Q1"]]
    assert page.locator("#centres article svg").count() == 11  # ten centres and the network
    # The network's targets are examples: marked so at a glance too, as in the centres' table.
    mark = monitoring_messages(lang)["mon_example_mark"]
    glance = {r.split("\t")[0]: r.split("\t")[2] for r in page.locator("#glance table").first.locator("tbody tr")
              .all_inner_texts()}
    assert [label for label, target in glance.items() if target and not target.endswith(mark)] == []
    assert sum(1 for target in glance.values() if target) == 2  # people trained, trainers trained
    assert page.locator("#women svg").count() == 2
    rule = page.locator("#on-track").inner_text()
    assert ("10" in rule) and (("on track" in rule) if lang == "en" else ("dans les temps" in rule))
    assert rule.count("A centre is" if lang == "en" else "Un centre est") == 1  # the rule stated once
    broken = page.evaluate("() => [...document.querySelectorAll('a[href]')].filter("
                           "a => !document.getElementById(a.getAttribute('href').slice(1))).length")
    assert broken == 0
    page.screenshot(path=str(ARTIFACTS / f"monitoring-{lang}.png"), full_page=True)
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(ARTIFACTS / f"monitoring-{lang}.pdf"), prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/MediaBox", pdf)) >= 3
    page.close()


ENGLISH_WORDS = {"the", "and", "reports", "report", "late", "missing", "behind", "ahead", "track", "target",
                 "trained", "women", "network", "achieved", "expected", "share", "period", "due", "rows"}


def test_the_french_report_has_no_english_left_in_its_headings_labels_and_charts(browser, example, tmp_path):  # noqa: F811
    page, _ = _open(browser, render_monitoring_report(example, lang="fr"), tmp_path / "report.html")
    texts = page.evaluate("""() => [...document.querySelectorAll(
            'h1, h2, h3, th, caption, figcaption, nav a, .badge, .box, svg text, #centres p, #glance p, #definitions td, #definitions p')]
        .map(e => { const c = e.cloneNode(true); c.querySelectorAll('code, [lang=en]').forEach(x => x.remove());
                    return c.textContent; })""")
    english, french = monitoring_messages("en"), monitoring_messages("fr")
    catalogue = {v for k, v in english.items() if k.startswith("mon_") and v != french[k] and len(v) > 4 and "{" not in v}
    for text in texts:
        words = set(re.findall(r"[^\W\d_]+", text.lower()))
        assert not words & ENGLISH_WORDS, text
        assert not any(value in text for value in catalogue), text
    page.close()


def test_hostile_text_in_the_reports_is_shown_as_text_and_never_run(browser, programme, tmp_path):  # noqa: F811
    rows = [report_row(dtc_id=text, comment=text) for text in HOSTILE]
    rows += [report_row(period=text, comment=text) for text in HOSTILE[:5]]
    rows.append(report_row(comment=HOSTILE[0]))  # a counted row carrying hostile text
    path = write_reports(tmp_path / "hostile.csv", rows)
    result = add_up(programme, take_in_reports([path], programme, AS_OF), AS_OF)
    assert len(result.quarantine) == len(HOSTILE) + 5
    for lang in ("en", "fr"):
        page, seen = _open(browser, render_monitoring_report(result, lang=lang), tmp_path / f"report-{lang}.html")
        page.mouse.move(300, 300)
        page.keyboard.press("Tab")
        assert page.evaluate("typeof window.__pwned") == "undefined"
        text = page.evaluate("document.body.textContent")
        for payload in HOSTILE:
            assert " ".join(payload.split()) in " ".join(text.split()) or payload[:40] in text, payload
        assert_no_live_markup(page)
        assert seen["errors"] == [] and seen["console"] == [] and seen["requests"] == [(tmp_path / f"report-{lang}.html").as_uri()]
        page.close()
