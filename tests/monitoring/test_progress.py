"""Progress as of a date: sums checked against hand-computed totals, the on-track rule, reports status."""

from __future__ import annotations

import datetime as dt

import pytest

from dtc_select.monitoring.pipeline import add_up, monitor
from dtc_select.monitoring.progress import PROGRESS_COLUMNS, STATUS_COLUMNS
from dtc_select.monitoring.reports import take_in_reports
from tests.monitoring.conftest import AS_OF, PROGRAMME, REPORTS, report_row, write_reports


def _row(result, dtc_id, indicator):
    return result.progress.query(f"dtc_id == '{dtc_id}' and indicator == '{indicator}'").iloc[0]


def test_progress_and_reports_status_have_the_contract_columns(example):
    assert list(example.progress.columns[:8]) == ["dtc_id", "indicator", "target", "achieved", "share_of_target",
                                                  "status", "periods_reported", "periods_missing"]
    assert list(example.progress.columns) == PROGRESS_COLUMNS
    assert list(example.status.columns[:4]) == ["dtc_id", "period", "status", "reported_on"]
    assert list(example.status.columns) == STATUS_COLUMNS
    assert len(example.progress) == 11 * 8  # ten centres and the network, eight indicators


def test_ghana_reached_22192_of_its_14200_with_68_percent_women_as_itu_published(example):
    # By hand: 1000 + 1800 + 2500 + 3300 + 4000 + 4400 + 5192 = 22,192 trained; women
    # 690 + 1230 + 1700 + 2240 + 2720 + 2990 + 3521 = 15,091; 15,091 / 22,192 = 0.6800.
    ghana = _row(example, "GHA", "trained")
    assert (ghana["target"], ghana["achieved"], ghana["share_of_target"], ghana["status"]) == \
        ("14200", "22192", "1.5628", "ahead")
    assert ghana["target_example"] == "no"
    women = _row(example, "GHA", "trained_women")
    assert (women["achieved"], women["whole"], women["share_of_whole"]) == ("15091", "trained", "0.6800")


def test_the_network_adds_up_to_the_106388_trained_itu_published_for_phase1(example):
    network = _row(example, "NETWORK", "trained")
    assert (network["achieved"], network["target"], network["status"]) == ("106388", "100000", "on_track")
    # 68 counted reports, 70 due (ten centres x seven quarters), two missing.
    assert (network["periods_reported"], network["periods_missing"]) == (68, 2)
    assert _row(example, "NETWORK", "trained_women")["achieved"] == "69801"


def test_missing_and_late_reports_are_named(example):
    status = example.status
    not_received = status[status["status"] != "received"]
    assert sorted(zip(not_received["dtc_id"], not_received["period"], not_received["status"])) == [
        ("BRA", "2021-Q1", "late"), ("PNG", "2021-Q3", "missing"), ("PRY", "2021-Q2", "missing"),
        ("ZMB", "2020-Q2", "late")]
    assert len(status) == 70
    late = status.query("dtc_id == 'ZMB' and period == '2020-Q2'").iloc[0]
    assert (late["reported_on"], late["due_on"]) == ("2020-08-20", "2020-07-30")
    assert _row(example, "PNG", "trained")["periods_missing"] == 1


def test_mid_programme_the_target_is_prorated_by_the_periods_due(tmp_path):
    # As of 15 November 2020: 2020-Q1 to Q3 are due (Q3 on 30 October), 3 of the target's 7 periods.
    # Ghana expected 14,200 x 3/7 = 6,085.71; achieved 1,000 + 1,800 + 2,500 = 5,300, under
    # 6,085.71 x 0.9 = 5,477.14: behind. Rows of later quarters are not counted as of that date.
    result = monitor(PROGRAMME, [REPORTS], dt.date(2020, 11, 15))
    ghana = _row(result, "GHA", "trained")
    assert (ghana["achieved"], ghana["expected"], ghana["status"]) == ("5300", "6085.71", "behind")
    assert (ghana["periods_reported"], ghana["periods_missing"]) == (3, 0)
    assert len(result.status) == 30 and set(result.status["status"]) == {"received", "late"}


@pytest.mark.parametrize("basic, status", [(542, "behind"), (543, "on_track"), (885, "on_track"), (886, "ahead")])
def test_on_track_is_within_the_programme_tolerance_of_the_prorated_target(tmp_path, programme, basic, status):
    # CIV's example target: 12,000 over 7 quarters; as of 2020-05-15 one quarter is due: 1,714.29
    # expected; on track from 1,714.29 x 0.9 = 1,542.86, ahead above 1,714.29 x 1.1 = 1,885.71
    # (trained = basic + the 1,000 intermediate).
    path = write_reports(tmp_path / "r.csv", [report_row("CIV", trained_basic=basic, trained_intermediate=1000,
                                                         trained_women=0)])
    result = add_up(programme, take_in_reports([path], programme, dt.date(2020, 5, 15)), dt.date(2020, 5, 15))
    assert _row(result, "CIV", "trained")["status"] == status


def test_a_centre_without_reports_says_so_and_one_without_a_target_says_that(tmp_path, programme):
    path = write_reports(tmp_path / "r.csv", [report_row("GHA")])
    result = add_up(programme, take_in_reports([path], programme, AS_OF), AS_OF)
    rwa = _row(result, "RWA", "trained")
    assert (rwa["achieved"], rwa["status"], rwa["periods_reported"], rwa["periods_missing"]) == ("", "no_reports", 0, 7)
    assert _row(result, "GHA", "policy_workshops")["status"] == "no_target"
