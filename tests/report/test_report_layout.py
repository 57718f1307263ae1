"""The report's layout as a reader's browser shows it (Debian's headless Chromium, Playwright), in
either language: nothing cut off on a common screen; printed, the committee report in one sitting
(the dossiers left out, a dossier opened from its link printed alone)."""

from __future__ import annotations

import re

import pytest

from dtc_select.report.view import render_report

# Every element whose right edge passes its container's, or the window's (a table wider than its
# box would be cut, or hidden behind a scrollbar at the foot of a long table).
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('table, figure, svg, dl, p, ul, pre, h1, h2, h3, h4')].filter(e => {
        const box = e.getBoundingClientRect(), parent = e.parentElement.getBoundingClientRect();
        return box.right > width + 0.5 || box.width > parent.width + 0.5;
    }).map(e => `${e.tagName} in #${e.closest('[id]')?.id}: ${Math.round(e.getBoundingClientRect().width)} px`);
}"""


@pytest.fixture(scope="module", params=["en", "fr"])
def report_file(request, example_outcome, tmp_path_factory):
    path = tmp_path_factory.mktemp(f"layout-{request.param}") / "report.html"
    path.write_text(render_report(example_outcome, lang=request.param, edition="secretariat"), encoding="utf-8")
    return path


@pytest.mark.parametrize("width", [1280, 1920])
def test_no_table_or_text_of_the_example_report_is_wider_than_its_box_on_a_common_screen(browser, report_file,
                                                                                        width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(report_file.as_uri())
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling at all
    page.close()


def _printed_pages(page) -> int:
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_the_example_report_prints_for_the_committee_on_at_most_30_a4_pages_without_the_dossiers(browser,
                                                                                                  report_file):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report_file.as_uri())
    assert page.locator("#dossiers article.dossier").count() == 80  # on screen, one per applicant taken in
    assert not page.locator("#not-printed").is_visible()
    pages = _printed_pages(page)
    assert 5 < pages <= 30
    assert not page.locator("#dossiers").is_visible() and page.locator("#not-printed").is_visible()
    assert "80" in page.locator("#not-printed").inner_text()
    page.close()


def test_a_dossier_opened_from_its_link_prints_alone(browser, report_file):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report_file.as_uri())
    page.locator("#region-AMS + table a[href=\"#app-DTC-2019-059\"]").click()
    assert page.locator("#app-DTC-2019-059").is_visible()
    assert _printed_pages(page) <= 3
    assert page.locator("#app-DTC-2019-059").is_visible()
    assert not page.locator("#summary").is_visible() and not page.locator("#app-DTC-2019-001").is_visible()
    page.locator("#app-DTC-2019-059 .back a").evaluate("a => a.click()")  # and back to the report
    page.emulate_media(media="screen")
    assert page.evaluate("location.hash") == "#summary" and page.locator("#summary").is_visible()
    page.close()


def test_application_ids_and_rule_codes_are_never_broken_across_lines(browser, report_file):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(report_file.as_uri())
    # The text of each on more than one line: its range's boxes have more than one top.
    broken = page.evaluate("""() => [...document.querySelectorAll('a[href^="#app-"], code:not(.path), td.nowrap')]
        .filter(e => { const range = document.createRange(); range.selectNodeContents(e);
                       return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1; })
        .map(e => e.textContent)""")
    assert broken == []
    page.close()
