"""decisions.xlsx: the decisions a committee can sort and annotate, safe to open."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from dtc_select.spreadsheet import decisions_xlsx

RISKY = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def _decisions(names) -> pd.DataFrame:
    n = len(names)
    return pd.DataFrame({"application_id": [f"A-{i}" for i in range(n)], "institution_name": names,
                         "status": "selected", "score": pd.array([0.5 + i / 100 for i in range(n)], dtype="Float64"),
                         "rank": pd.array(range(1, n + 1), dtype="Int64"),
                         "reasons": ["selected: ranked 1st in Africa, which has 4 seats " * 3] * n,
                         "reserve_position": pd.array([None] * n, dtype="Int64")})


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("text", RISKY)
def test_applicant_text_a_spreadsheet_would_run_is_neutralised_in_the_workbook(text):
    sheet = _sheet(decisions_xlsx(_decisions([text])))
    cell = sheet["B2"]
    assert cell.value == ("'" + text).replace("\r", "\n") and cell.data_type == "s"


def test_the_workbook_has_a_frozen_header_filters_widths_and_wrapped_reasons():
    frame = _decisions(["Centre A", "Centre B"])
    sheet = _sheet(decisions_xlsx(frame))
    assert [c.value for c in sheet[1]] == list(frame.columns)
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:G3"
    reasons = sheet.column_dimensions["F"]
    assert reasons.width == 90 and sheet["F2"].alignment.wrap_text
    assert sheet.column_dimensions["A"].width < 20
    assert sheet["D2"].value == 0.5 and sheet["D2"].number_format == "0.000" and sheet["E3"].value == 2
    assert sheet["G2"].value is None  # missing stays empty


def test_the_same_decisions_give_the_same_bytes():
    frame = _decisions(["Centre A"])
    assert decisions_xlsx(frame) == decisions_xlsx(frame.copy())


def test_control_characters_a_workbook_cannot_hold_are_replaced_not_fatal():
    sheet = _sheet(decisions_xlsx(_decisions(["Centre\x0bA\x00"])))
    assert sheet["B2"].value == "Centre\ufffdA\ufffd"
