"""Dates by the column: a column's own unambiguous dates (or the call) say in which order it is written."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.intake.dates import column_date_order
from tests.conftest import make_applications
from tests.intake.test_intake import raw_of, resolve, take_in


def taken(dates: list[str], declared: str | None = None):
    return take_in(raw_of(make_applications(len(dates), submitted_at=dates)), resolve, date_order=declared)


def stamps(*isos: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(iso, tz="UTC") for iso in isos]


def test_a_day_first_date_in_the_column_proves_the_order_of_the_ambiguous_ones():
    result = taken(["15/09/2019", "05/11/2019", "03/04/2019"])
    assert result.quarantine.empty
    assert result.applications["submitted_at"].tolist() == stamps("2019-09-15", "2019-11-05", "2019-04-03")


def test_a_month_first_date_in_the_column_proves_the_other_order():
    result = taken(["09/15/2019", "05/11/2019"])
    assert result.quarantine.empty
    assert result.applications["submitted_at"].tolist() == stamps("2019-09-15", "2019-05-11")


def test_an_inferred_order_is_said_in_a_notice_naming_the_column_the_count_and_a_proof():
    result = taken(["15/09/2019", "05/11/2019", "05/11/2019", "2019-10-01"])
    [notice] = result.notices
    assert notice.key == "date_order_inferred_day_first"
    assert str(notice) == ("submitted_at: 2 date(s) such as '05/11/2019' could be read day first or month first; "
                           "they are read day first (DD/MM/YYYY) because 1 other date(s) of the column can only be "
                           "read so (such as '15/09/2019'); the call does not declare its date order "
                           "(intake.date_order)")
    assert [found.record for found in result.date_orders] == ["day_first (inferred)"]


def test_with_no_proof_an_ambiguous_date_is_quarantined_saying_why_and_the_run_counts_the_rows():
    result = taken(["2019-09-15", "03/04/2019", "03/04/2019", "2019/11/30"])
    assert result.applications["source_row"].tolist() == [1, 4]
    assert result.quarantine["problems"].tolist() == [
        "submitted_at '03/04/2019' is ambiguous (day and month could be swapped); use YYYY-MM-DD: no other date "
        "of the column shows the order, and the call declares none (intake.date_order)"] * 2
    [notice] = result.notices
    assert notice.key == "date_order_undecided" and notice.fields["rows"] == 2
    assert str(notice).startswith("submitted_at: 2 row(s) quarantined because their date (such as '03/04/2019')")


def test_a_date_only_day_first_can_read_settles_the_order_of_the_others():
    # 30/11/2019 can only be day first: it settles the order of 03/04/2019 in the same column.
    result = taken(["30/11/2019", "03/04/2019"])
    assert result.quarantine.empty
    assert result.applications["submitted_at"].tolist() == stamps("2019-11-30", "2019-04-03")


def test_proofs_of_both_orders_in_one_column_leave_its_ambiguous_dates_in_quarantine():
    result = taken(["15/09/2019", "09/16/2019", "05/11/2019"])
    assert result.applications["source_row"].tolist() == [1, 2]
    assert result.quarantine["problems"].tolist() == [
        "submitted_at '05/11/2019' is ambiguous (day and month could be swapped); use YYYY-MM-DD: "
        "the column has dates written in both orders"]
    [notice] = result.notices
    assert notice.key == "date_order_conflicting"
    assert notice.fields["day_proof"] == "'15/09/2019'" and notice.fields["month_proof"] == "'09/16/2019'"


def test_a_declared_order_reads_every_date_so_without_a_notice():
    result = taken(["05/11/2019", "03/04/2019"], declared="day_first")
    assert result.quarantine.empty and result.notices == ()
    assert result.applications["submitted_at"].tolist() == stamps("2019-11-05", "2019-04-03")
    assert [found.record for found in result.date_orders] == ["day_first (declared)"]


def test_a_date_the_declared_order_cannot_read_is_a_problem_of_its_row():
    result = taken(["05/11/2019", "11/30/2019"], declared="day_first")
    assert result.applications["source_row"].tolist() == [1]
    assert result.quarantine["problems"].tolist() == [
        "submitted_at '11/30/2019' is not a valid date read day first (DD/MM/YYYY), the order of the column"]


def test_iso_dates_alone_need_no_order_and_say_nothing():
    result = taken(["2019-09-15", "2019-11-05T10:00:00Z"])
    assert result.quarantine.empty and result.notices == ()
    assert result.date_orders[0].how == "not_needed" and result.date_orders[0].record is None


def test_the_same_day_and_month_is_never_ambiguous():
    assert column_date_order("d", pd.Series(["05/05/2019"], dtype="string"), None).how == "not_needed"


@settings(max_examples=60, deadline=None)
@given(days=st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), min_size=1, max_size=8),
       proof=st.dates(dt.date(2000, 1, 13), dt.date(2030, 12, 31)).filter(lambda d: d.day > 12),
       day_first=st.booleans())
def test_dates_written_in_one_order_with_one_proof_read_back_as_written(days, proof, day_first):
    fmt = "%d/%m/%Y" if day_first else "%m/%d/%Y"
    written = [d.strftime(fmt) for d in [proof, *days]]
    result = taken(written)
    assert result.quarantine.empty
    assert result.applications["submitted_at"].dt.date.tolist() == [proof, *days]


def test_a_call_declares_its_date_order_under_intake_and_a_wrong_word_names_the_key(tmp_path):
    import pytest

    from dtc_select.call.model import load_call
    from dtc_select.errors import CallFileError
    from tests.conftest import PHASE1

    text = PHASE1.read_text(encoding="utf-8")
    assert "\nintake:\n" in text
    path = tmp_path / "call.yaml"
    path.write_text(text.replace("\nintake:\n", "\nintake:\n  date_order: day_first\n"), encoding="utf-8")
    assert load_call(path).intake.date_order == "day_first"
    path.write_text(text.replace("\nintake:\n", "\nintake:\n  date_order: french\n"), encoding="utf-8")
    with pytest.raises(CallFileError, match="intake.date_order"):
        load_call(path)
