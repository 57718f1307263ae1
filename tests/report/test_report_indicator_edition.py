"""The report and the manifest name the edition of ITU's Internet-use figures the need formula used,
and warn when the call is dated before every edition (issue 14, item 6)."""

from __future__ import annotations

import json

import pytest
import yaml

from dtc_select.call.model import load_call
from dtc_select.cli import main
from dtc_select.pipeline import run
from dtc_select.report.view import render_report
from tests.conftest import EXAMPLES, PHASE1


def need_section(html: str) -> str:
    start = html.index('id="need-working"')
    return html[start:html.index('id="seat-working"', start)]


def test_the_edition_used_is_named_in_the_need_working_in_english_and_french(example_outcome):
    english = need_section(render_report(example_outcome, lang="en"))
    assert ("Internet use per region: ITU global and regional ICT estimates 2018 (published 7 December 2018), the "
            "latest complete edition published on or before the call&#39;s country status date (30 November 2019)."
            in english)
    french = need_section(render_report(example_outcome, lang="fr"))
    assert ("Utilisation de l&#39;Internet par région : Estimations mondiales et régionales des TIC 2018 de l&#39;UIT "
            "(publiée le 7 décembre 2018), la dernière édition complète publiée au plus tard à la date de statut des "
            "pays de l&#39;appel (30 novembre 2019)." in french)
    assert "(100 − 24.4) / 100" in english and "(100 − 24,4) / 100" in french  # the 2018 figures are the ones used


def test_the_phase_one_run_says_facts_and_figures_2019_could_not_be_used(example_outcome):
    (notice,) = [n for n in example_outcome.notices if n.CATALOGUE_PREFIX == "indicator_warning_"]
    assert notice.key == "newer_incomplete" and notice.fields["missing"] == "AMS, ARB, ASP, CIS"


@pytest.fixture(scope="module")
def early_call_file(tmp_path_factory):
    data = yaml.safe_load(PHASE1.read_text(encoding="utf-8"))
    # Before the 2018 estimates were published; after 2017-06-04 (Equatorial Guinea, an LDC until then,
    # has no row in population.csv, which covers the LDCs of 2019).
    data["country_status"]["as_of"] = "2018-06-30"
    path = tmp_path_factory.mktemp("early") / "early-call.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_call_dated_before_every_edition_warns_on_stderr_in_the_manifest_and_on_the_first_page(
        early_call_file, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--call", str(early_call_file), "--applications", str(EXAMPLES / "applications.csv"),
                 "--out", str(out)]) == 0
    assert "warning: the call's country status date (2018-06-30) is before every complete edition" in \
        capsys.readouterr().err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["indicator_edition"] == {"edition": "2018", "title": "ITU global and regional ICT estimates 2018",
                                             "published": "2018-12-07", "chosen": "earliest_before_all",
                                             "call_date": "2018-06-30"}
    assert any(w.startswith("the call's country status date (2018-06-30) is before every complete edition")
               for w in manifest["warnings"])
    report = (out / "report.html").read_text(encoding="utf-8")
    first_page = report[:report.index("</header>")]
    assert "is before every complete edition of the Internet-use figures shipped" in first_page
    assert "the earliest complete edition shipped: the call&#39;s country status date (30 June 2018)" in \
        need_section(report)


def test_the_french_report_gives_the_warning_in_french_with_french_dates_and_title(early_call_file):
    outcome = run(load_call(early_call_file), EXAMPLES / "applications.csv")
    html = render_report(outcome, lang="fr")
    box = html[html.index('id="check-first"'):html.index("</div>", html.index('id="check-first"'))]
    assert "précède toute édition complète" in box and "30 juin 2018" in box and "7 décembre 2018" in box
    assert "Estimations mondiales et régionales des TIC 2018" in box and "published" not in box


def test_the_manifest_of_the_example_run_names_the_edition_chosen_by_date(tmp_path):
    out = tmp_path / "run"
    assert main(["run", "--call", str(PHASE1), "--applications", str(EXAMPLES / "applications.csv"),
                 "--scores", str(EXAMPLES / "scores.csv"), "--out", str(out)]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["indicator_edition"]["edition"] == "2018"
    assert manifest["indicator_edition"]["chosen"] == "latest_on_or_before"
