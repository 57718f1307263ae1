"""The example call saved by a French spreadsheet, dates included (`05/11/2019`), decides as the plain file.

A French Excel writes every date day first. Before dates were read by the column, each of them
with a day of 12 or less was quarantined as ambiguous (35 of the 90 example rows, and 5 of the 10
selected centres changed). Now the column's `15/09/2019` proves the order, and the run says so.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dtc_select.intake import parsing
from tests.intake.test_intake_formats import example_rows, run_cli, write_french_csv

AMBIGUOUS_ROW = 12  # the example's '03/04/2019', which the plain file cannot order


def french_date(text: str) -> str:
    """A date cell as a French spreadsheet shows it: day first, the time (if any) in UTC."""
    stamp, _ = parsing.parse_date(text) if text else (None, None)
    if stamp is None or "/" in text:
        return text  # what could not be read, or is already day/month/year, is left as typed
    return stamp.strftime("%d/%m/%Y") if len(text) == 10 else stamp.strftime("%d/%m/%Y %H:%M:%S")


@pytest.fixture(scope="module")
def runs(tmp_path_factory, call):
    folder = tmp_path_factory.mktemp("french-dates")
    rows = example_rows()
    french = folder / "candidatures.csv"
    write_french_csv(rows.assign(submitted_at=rows["submitted_at"].map(french_date)), french, call)
    # What the French file's column proves: its '03/04/2019' is 3 April 2019.
    settled = folder / "settled.csv"
    rows.assign(submitted_at=rows["submitted_at"].replace("03/04/2019", "2019-04-03")).to_csv(settled, index=False)
    return {"french": run_cli(folder, french, "french"), "settled": run_cli(folder, settled, "settled"),
            "file": french}


def test_the_french_file_writes_its_dates_day_first_with_many_a_day_of_12_or_less(runs):
    dates = pd.read_csv(runs["file"], sep=";", encoding="cp1252", dtype=str)["Date de soumission"]
    day_first = dates.str.match(r"^\d\d/\d\d/\d{4}")
    assert day_first.sum() == 89 and dates[~day_first].tolist() == ["2019-13-45"]  # not a date at all
    assert (dates[day_first].str[:2].astype(int) <= 12).sum() == 30  # each of them lost before


def test_the_french_file_decides_as_the_plain_file_with_that_column_order(runs):
    assert (runs["french"] / "decisions.csv").read_bytes() == (runs["settled"] / "decisions.csv").read_bytes()


def test_the_french_file_selects_the_same_ten_centres_as_the_plain_file(runs):
    from tests.conftest import EXAMPLES
    from tests.intake.test_intake_formats import run_cli as run

    plain = pd.read_csv(run(runs["file"].parent, EXAMPLES / "applications.csv", "plain") / "decisions.csv")
    french = pd.read_csv(runs["french"] / "decisions.csv")
    chosen = [sorted(d.loc[d["status"].eq("selected"), "application_id"]) for d in (plain, french)]
    assert chosen[0] == chosen[1] and len(chosen[0]) == 10


def test_only_the_rows_the_plain_file_quarantines_for_other_reasons_are_quarantined(runs):
    french = pd.read_csv(runs["french"] / "quarantine.csv", dtype=str)
    assert len(french) == 9 and AMBIGUOUS_ROW not in french["source_row"].astype(int).tolist()
    assert not french["problems"].str.contains("ambiguous \\(day and month").any()


def test_the_inferred_order_is_a_warning_in_the_manifest_and_recorded_with_the_file(runs):
    manifest = json.loads((runs["french"] / "manifest.json").read_text(encoding="utf-8"))
    [warning] = [w for w in manifest["warnings"] if w.startswith("submitted_at")]
    assert "read day first (DD/MM/YYYY) because" in warning and "'15/09/2019'" in warning
    assert manifest["inputs"][1]["read_as"]["date_order"] == {"submitted_at": "day_first (inferred)"}


def test_the_report_says_the_order_was_inferred(runs):
    report = (runs["french"] / "report.html").read_text(encoding="utf-8")
    assert "are read day first (DD/MM/YYYY) because" in report
