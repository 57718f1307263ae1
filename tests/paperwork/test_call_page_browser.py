"""The public call as an applicant's browser shows it: Debian's headless Chromium via Playwright.

Each page opens from a file, offline: no console error, no request but the page itself; the
sections an applicant needs are visible; the page prints (PDF saved in tests/artifacts/ for a
person to look at) without the language link; call-file text is shown as text, never run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dtc_select.call.model import load_call
from dtc_select.paperwork.call_page import render_call_page
from tests.browser import open_page
from tests.conftest import PHASE1, ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
HEADINGS = {"en": ["Who may apply", "Minimum qualifications", "Information to provide",
                   "How applications are assessed", "Deadline", "Where to send the application"],
            "fr": ["Qui peut candidater", "Conditions minimales", "Informations à fournir",
                   "Évaluation des candidatures", "Date limite", "Où envoyer la candidature"]}


def _open(browser, html: str, path: Path):
    return open_page(browser, html, path, width=1000, height=1400)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_call_page_opens_offline_with_every_section_and_prints_without_the_language_link(
        browser, call, tmp_path, lang):
    path = tmp_path / f"call-{lang}.html"
    page, seen = _open(browser, render_call_page(call, lang), path)
    assert seen == {"console": [], "errors": [], "requests": [path.as_uri()]}
    assert page.locator("h2").all_inner_texts() == HEADINGS[lang]
    assert page.locator("html").get_attribute("lang") == lang
    required = page.locator("tr.is-required")
    assert required.count() == 9 and required.first.locator(".required").inner_text() == "*"
    assert page.locator("#send a[href='mailto:dtc@itu.int']").is_visible()
    assert "UTC" in page.locator("#deadline .deadline").inner_text()
    assert page.locator("nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / f"call-{lang}.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()


def test_call_file_text_that_looks_like_markup_is_shown_as_text_and_never_run(browser, tmp_path):
    data = yaml.safe_load(PHASE1.read_text(encoding="utf-8"))
    data["title"] = "<script>window.__pwned=1</script>"
    data["eligibility"][0]["description"] = "<img src=x onerror=\"window.__pwned=2\">"
    data["submission"]["address"] = "</li><script>window.__pwned=3</script>"
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = tmp_path / "call-en.html"
    page, seen = _open(browser, render_call_page(load_call(hostile), "en"), path)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("h1").inner_text() == "<script>window.__pwned=1</script>"
    assert "</li><script>window.__pwned=3</script>" in page.locator("#send").inner_text()
    assert seen["errors"] == [] and seen["requests"] == [path.as_uri()]
    page.close()
