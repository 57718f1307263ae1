"""The report's layout as a reader's browser shows it (Debian's headless Chromium, Playwright):
nothing cut off on a common screen, in either language."""

from __future__ import annotations

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
