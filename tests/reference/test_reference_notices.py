"""A call dated after the shipped reference tables is run, but the run says what the tables may
have missed (scheduled LDC graduations now due) on stderr, in the manifest and on the report's
first page, in the report's language."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from dtc_select.cli import main
from dtc_select.reference.countries import REFERENCE_AS_OF, load_country_table
from dtc_select.notices import reference_notices, scheduled_ldc_graduations
from dtc_select.pipeline import run
from dtc_select.report.view import render_report
from tests.conftest import EXAMPLES, PHASE1

LATER = dt.date(2027, 1, 15)


def test_a_call_dated_within_the_tables_gets_no_warning(call):
    assert call.country_status.as_of <= REFERENCE_AS_OF
    notices = run(call, EXAMPLES / "applications.csv").notices
    assert [n for n in notices if n.CATALOGUE_PREFIX == "reference_warning_"] == []
    # The example's '03/04/2019' (intake), and Facts and figures 2019 lacking regions (indicators.py).
    assert [n.key for n in notices] == ["date_order_undecided", "newer_incomplete"]


def test_the_tables_list_the_graduations_they_know_only_as_scheduled():
    scheduled = {iso3: date for iso3, _, date in scheduled_ldc_graduations(load_country_table())}
    assert scheduled["BGD"] == scheduled["NPL"] == scheduled["LAO"] == dt.date(2026, 11, 24)
    assert "BTN" not in scheduled  # Bhutan graduated in 2023: recorded in ldc_graduated, not scheduled


def test_graduations_due_by_the_calls_date_are_named_and_later_ones_are_not():
    scheduled = [("NPL", "Nepal", dt.date(2026, 11, 24)), ("SLB", "Solomon Islands", dt.date(2027, 12, 13)),
                 ("BGD", "Bangladesh", dt.date(2026, 11, 24))]
    notices = reference_notices(LATER, REFERENCE_AS_OF, scheduled)
    assert [n.key for n in notices] == ["tables_older", "graduation_due", "graduation_due"]
    assert [n.fields["iso3"] for n in notices[1:]] == ["BGD", "NPL"]
    assert "Bangladesh (BGD) was scheduled to graduate from the least developed countries on 2026-11-24" in notices[1]
    assert reference_notices(REFERENCE_AS_OF, REFERENCE_AS_OF, scheduled) == ()


@pytest.fixture(scope="module")
def later_call_file(tmp_path_factory):
    data = yaml.safe_load(PHASE1.read_text(encoding="utf-8"))
    data["country_status"]["as_of"] = LATER.isoformat()
    path = tmp_path_factory.mktemp("later") / "later-call.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_later_call_warns_on_stderr_in_the_manifest_and_on_the_first_page(later_call_file, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "--call", str(later_call_file), "--applications", str(EXAMPLES / "applications.csv"),
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: the call's country status date (2027-01-15) is after" in err
    assert "warning: Nepal (NPL) was scheduled to graduate" in err
    warnings = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["warnings"]
    reference = [w for w in warnings if not w.startswith("submitted_at: ")  # the example's own '03/04/2019'
                 and "Internet-use figure" not in w]  # Facts and figures 2024 lacks regions (indicators.py)
    assert len(reference) == 4 and any("Bangladesh (BGD)" in w for w in reference)
    report = (out / "report.html").read_text(encoding="utf-8")
    first_page = report[:report.index("</header>")]
    assert 'id="check-first"' in first_page and "Lao People&#39;s Democratic Republic (LAO)" in first_page


def test_the_french_report_says_it_in_french_with_french_names_and_dates(later_call_file):
    from dtc_select.call.model import load_call

    outcome = run(load_call(later_call_file), EXAMPLES / "applications.csv")
    html = render_report(outcome, lang="fr")
    box = html[html.index('id="check-first"'):html.index("</div>", html.index('id="check-first"'))]
    assert "République démocratique populaire lao (LAO) devait sortir" in box.replace("&#39;", "'")
    assert "24 novembre 2026" in box and "15 janvier 2027" in box
    assert "scheduled" not in box


def test_a_notice_survives_pickling_with_its_key_and_fields_as_prefect_may_store_it():
    import pickle

    from dtc_select.seats.overrides import CapWarning

    for notice in (CapWarning("over_seats", selected=11, seats=10),
                   *reference_notices(LATER, REFERENCE_AS_OF, [("NPL", "Nepal", dt.date(2026, 11, 24))])):
        copy = pickle.loads(pickle.dumps(notice))
        assert (copy, copy.key, copy.fields, type(copy)) == (notice, notice.key, notice.fields, type(notice))
