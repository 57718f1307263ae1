"""Valid applications files mutated at random: nothing crashes and no row is lost.

Each example takes rows of the example call and damages them the ways files get damaged: cells
replaced by junk, columns dropped or added, the form's French headers, another encoding or
separator, a second byte order mark, an XLSX workbook instead of text, and the file cut at a
random byte. The run must either stop with one InputFileError line naming the file, or complete
with every row read in exactly one of decisions.csv and quarantine.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from dtc_select.errors import InputFileError
from dtc_select.runs.outputs import write_run
from dtc_select.pipeline import run
from dtc_select.report.view import render_report
from tests.conftest import EXAMPLES

BASE = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False).head(16)
COLUMNS = list(BASE.columns)
JUNK_WORDS = [
    "", " ", "two", "-1", "1,5", "50,000", "1 200", "03/04/2019", "2019-13-45", "2019-11-30T25:00", "1e309",
    "nan", "inf", "9" * 30, "=cmd|' /C calc'!A0", '"', '""', '"unclosed', ";", ",", "\t", "\n", "a\r\nb", "\r",
    "oui", "NON", "x", "Atlantis", "\u00a0", "\ufeff", "é", "<script>alert(1)</script>", "company", "maybe",
]
JUNK = st.one_of(st.sampled_from(JUNK_WORDS), st.text(max_size=12))

files = st.fixed_dictionaries({
    "rows": st.integers(1, len(BASE)),
    "cells": st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.sampled_from(COLUMNS), JUNK), max_size=8),
    "drop": st.lists(st.sampled_from(COLUMNS), max_size=2, unique=True),
    "extra": st.lists(st.tuples(st.sampled_from(["notes", "Remarques", "status", "score", "Pays", "", "country"]),
                                JUNK), max_size=2),
    "french_headers": st.booleans(),
    "format": st.sampled_from(["csv", "csv", "csv", "xlsx"]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    "separator": st.sampled_from([",", ";", "\t"]),
    "line_end": st.sampled_from(["\n", "\r\n"]),
    "second_bom": st.booleans(),
    "cut": st.one_of(st.none(), st.floats(0, 1)),
})


def mutated_table(spec: dict, call) -> list[list[str]]:
    rows = BASE.head(spec["rows"]).copy()
    for row, column, junk in spec["cells"]:
        rows.iloc[row % len(rows), COLUMNS.index(column)] = junk
    rows = rows.drop(columns=spec["drop"])
    header = [call.intake.column_names[c][0] if spec["french_headers"] else c for c in rows.columns]
    table = [header, *rows.values.tolist()]
    for name, junk in spec["extra"]:
        table[0].append(name)
        for line in table[1:]:
            line.append(junk)
    return table


def file_bytes(table: list[list[str]], spec: dict) -> tuple[bytes, str]:
    if spec["format"] == "xlsx":
        book = openpyxl.Workbook()
        for line in table:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) or None for cell in line])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue(), "applications.xlsx"
    text = io.StringIO()
    csv.writer(text, delimiter=spec["separator"], lineterminator=spec["line_end"]).writerows(table)
    prefix = "\ufeff" if spec["second_bom"] else ""
    return (prefix + text.getvalue()).encode(spec["encoding"], errors="replace"), "applications.csv"


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files)
def test_a_damaged_file_never_crashes_the_run_and_never_loses_a_row(call, tmp_path_factory, spec):
    folder = tmp_path_factory.mktemp("mutated")
    data, name = file_bytes(mutated_table(spec, call), spec)
    if spec["cut"] is not None:
        data = data[: int(len(data) * spec["cut"])]
    path = folder / name
    path.write_bytes(data)
    try:
        outcome = run(call, path)
    except InputFileError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
        return
    rows = sorted(outcome.decisions["source_row"].tolist() + outcome.quarantine["source_row"].tolist())
    assert rows == list(range(1, len(rows) + 1))  # each row read once, in one of the two
    if spec["cut"] is None:
        assert len(rows) == spec["rows"]  # and every row written was read
    else:
        assert len(rows) <= spec["rows"]
    assert outcome.quarantine["problems"].str.len().gt(0).all()
    started = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    write_run(outcome, folder / "out", report_html=render_report(outcome), started_at=started)
