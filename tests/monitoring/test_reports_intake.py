"""Taking in periodic reports: every row counted once, or quarantined with its file, row and problems."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtc_select.errors import InputFileError
from dtc_select.monitoring.reports import take_in_reports
from tests.monitoring.conftest import AS_OF, INDICATORS, REPORTS, report_row, write_reports

FIRST = str(REPORTS / "reports-2020.csv")
SECOND = str(REPORTS / "rapports-2021.csv")


def test_every_planted_bad_row_of_the_example_is_quarantined_with_its_problem_in_words(example):
    quarantine = example.quarantine
    found = {(f, r): problems for f, r, problems in zip(quarantine["source_file"], quarantine["source_row"],
                                                        quarantine["problems"])}
    assert found == {
        (FIRST, 13): "dtc_id 'KEN' is not a centre of this programme (its centres: CIV, GHA, RWA, ZMB, BRA, DOM, PRY, "
                     "PHL, IDN, PNG)",
        (FIRST, 14): "period '2020-Q5' is not a period (write e.g. 2020-Q1)",
        (FIRST, 28): "trained_basic '-40' is negative",
        (FIRST, 29): f"a second report for GHA 2020-Q3: the first, {FIRST} row 24, is counted; keep one of the two",
        (SECOND, 9): "trained_women 75 is more than trained 60 (trained_basic + trained_intermediate)",
        (SECOND, 10): "reported_on 2021-12-01 is after the as-of date 2021-11-15: a report sent later is not counted "
                      "as of that date",
    }


def test_every_row_of_the_example_is_either_counted_once_or_quarantined(example):
    counted = set(zip(example.taken.rows["source_file"], example.taken.rows["source_row"]))
    quarantined = set(zip(example.quarantine["source_file"], example.quarantine["source_row"]))
    assert not counted & quarantined
    assert len(counted) + len(quarantined) == example.taken.rows_read == 44 + 30
    assert not example.taken.rows.duplicated(["dtc_id", "period"]).any()


def test_french_headers_are_read_as_the_indicator_ids(example):
    french = example.taken.files[0]
    assert french.path == SECOND and french.read_as["column_names"]["Femmes formées"] == "trained_women"
    row = example.taken.rows.query("dtc_id == 'GHA' and period == '2021-Q1'").iloc[0]
    assert (row["trained_basic"], row["trained_intermediate"], row["trained_women"]) == (3300, 700, 2720)


def test_an_xlsx_report_is_read_as_a_csv_one(tmp_path, programme):
    rows = [report_row(), report_row("CIV", trained_basic=7)]
    pd.DataFrame(rows).to_excel(tmp_path / "q1.xlsx", index=False)
    write_reports(tmp_path / "q1.csv", rows)
    from_xlsx = take_in_reports([tmp_path / "q1.xlsx"], programme, AS_OF).rows
    from_csv = take_in_reports([tmp_path / "q1.csv"], programme, AS_OF).rows
    pd.testing.assert_frame_equal(from_xlsx.drop(columns="source_file"), from_csv.drop(columns="source_file"))


def test_an_empty_indicator_cell_is_not_reported_not_zero_and_a_row_with_none_filled_is_refused(tmp_path, programme):
    blank = {i: None for i in INDICATORS}
    path = write_reports(tmp_path / "r.csv", [report_row(policy_workshops=None), report_row("CIV", **blank)])
    taken = take_in_reports([path], programme, AS_OF)
    assert pd.isna(taken.rows.loc[0, "policy_workshops"]) and taken.rows.loc[0, "trained_basic"] == 100
    assert list(taken.quarantine["problems"]) == ["no indicator is filled in (write 0 where there was none)"]


@pytest.mark.parametrize("row, problem", [
    (report_row(period="2019-Q4", reported_on="2020-01-10"), "period 2019-Q4 is outside the programme (2020-Q1 to 2021-Q3)"),
    (report_row(period="2020-03"), "period '2020-03' is a month, but this programme reports by quarter (write e.g. 2020-Q1)"),
    (report_row(reported_on=None), "reported_on is empty; it is required"),
    (report_row(reported_on="2020-03-15"), "reported_on 2020-03-15 is not after the end of period 2020-Q1 (2020-03-31)"),
    (report_row(trainers_women=11), "trainers_women 11 is more than trainers_trained 10"),
    (report_row(trained_basic="1,500"), "trained_basic '1,500' is not a whole number"),
    (report_row(dtc_id=None), "dtc_id is empty; it is required"),
])
def test_a_row_that_cannot_be_counted_says_why(tmp_path, programme, row, problem):
    taken = take_in_reports([write_reports(tmp_path / "r.csv", [row])], programme, AS_OF)
    assert taken.rows.empty
    assert taken.quarantine.loc[0, "problems"].startswith(problem)


def test_a_period_not_over_by_the_as_of_date_is_not_counted(tmp_path, programme):
    path = write_reports(tmp_path / "r.csv", [report_row(period="2020-Q2", reported_on="2020-06-10")])
    taken = take_in_reports([path], programme, dt.date(2020, 6, 15))
    assert taken.quarantine.loc[0, "problems"].startswith(
        "period 2020-Q2 is not over by the as-of date 2020-06-15 (it ends on 2020-06-30)")


def test_a_centre_id_in_lower_case_is_the_centre(tmp_path, programme):
    taken = take_in_reports([write_reports(tmp_path / "r.csv", [report_row(dtc_id="gha")])], programme, AS_OF)
    assert list(taken.rows["dtc_id"]) == ["GHA"]


def test_a_report_file_without_the_key_columns_stops_the_run_naming_them(tmp_path, programme):
    path = tmp_path / "r.csv"
    pd.DataFrame([report_row()]).drop(columns=["period", "reported_on"]).to_csv(path, index=False)
    with pytest.raises(InputFileError, match="r.csv: has no column period, reported_on"):
        take_in_reports([path], programme, AS_OF)
    (tmp_path / "nothing").mkdir()
    with pytest.raises(InputFileError, match="nothing: the folder holds no report"):
        take_in_reports([tmp_path / "nothing"], programme, AS_OF)


CENTRES = ("CIV", "GHA", "RWA", "KEN")
PERIODS = ("2020-Q1", "2020-Q2", "2020-Q9")
rows_strategy = st.lists(
    st.fixed_dictionaries({
        "dtc_id": st.sampled_from(CENTRES), "period": st.sampled_from(PERIODS),
        "trained_basic": st.integers(-5, 300), "trained_intermediate": st.integers(0, 50),
        "trained_women": st.integers(0, 400), "file": st.integers(0, 1),
    }), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drawn=rows_strategy)
def test_nothing_is_lost_and_nothing_is_counted_twice(tmp_path_factory, programme, drawn):
    """Any mix of good and bad rows over two files: each row is counted or quarantined, never both; a
    centre and period is counted at most once; counted figures are the rows' own; the network's
    total is the sum of the counted rows."""
    from dtc_select.monitoring.pipeline import add_up

    folder = tmp_path_factory.mktemp("reports")
    rows = [report_row(r["dtc_id"], r["period"], reported_on="2020-12-01", trained_basic=r["trained_basic"],
                       trained_intermediate=r["trained_intermediate"], trained_women=r["trained_women"]) for r in drawn]
    files = [[row for row, r in zip(rows, drawn) if r["file"] == n] for n in (0, 1)]
    paths = [write_reports(folder / f"{n}.csv", part) for n, part in enumerate(files) if part]
    taken = take_in_reports(paths, programme, AS_OF)
    counted = set(zip(taken.rows["source_file"], taken.rows["source_row"]))
    quarantined = set(zip(taken.quarantine["source_file"], taken.quarantine["source_row"]))
    everything = {(str(p), n) for p, part in zip(paths, [f for f in files if f]) for n in range(1, len(part) + 1)}
    assert counted | quarantined == everything and not counted & quarantined
    assert not taken.rows.duplicated(["dtc_id", "period"]).any()
    by_place = {(str(p), n): row for p, part in zip(paths, [f for f in files if f]) for n, row in enumerate(part, 1)}
    for r in taken.rows.itertuples(index=False):
        source = by_place[r.source_file, r.source_row]
        assert (r.dtc_id, r.period, r.trained_basic, r.trained_women) == (
            source["dtc_id"], source["period"], source["trained_basic"], source["trained_women"])
        assert source["trained_basic"] >= 0 and source["trained_women"] <= source["trained_basic"] + source["trained_intermediate"]
    result = add_up(programme, taken, AS_OF)
    network = result.progress.query("dtc_id == 'NETWORK' and indicator == 'trained_basic'").iloc[0]
    assert network["achieved"] == (str(int(taken.rows["trained_basic"].sum())) if len(taken.rows) else "")
