"""decisions.xlsx: the decisions a committee can sort and annotate, safe to open.

The workbook is written by our own streaming writer; these tests read it back with openpyxl (an
independent reader) and compare it with decisions.csv, cell by cell.
"""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames

from dtc_select.runs import decisions_xlsx as spreadsheet
from dtc_select.runs.safe_cells import csv_bytes
from dtc_select.runs.decisions_xlsx import CELL_LIMIT, CUT_MARKER, decisions_xlsx, write_decisions_xlsx

RISKY = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
# What an XML 1.0 document cannot hold (the test's own list: tab, line feed, carriage return are allowed).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _decisions(names) -> pd.DataFrame:
    n = len(names)
    return pd.DataFrame({"application_id": [f"A-{i}" for i in range(n)], "institution_name": names,
                         "status": "selected", "score": pd.array([0.5 + i / 100 for i in range(n)], dtype="Float64"),
                         "rank": pd.array(range(1, n + 1), dtype="Int64"),
                         "reasons": ["selected: ranked 1st in Africa, which has 4 seats " * 3] * n,
                         "reserve_position": pd.array([None] * n, dtype="Int64")})


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _read_back(data: bytes) -> list[list]:
    """The workbook's values as openpyxl reads them, header first."""
    return [list(row) for row in _sheet(data).iter_rows(values_only=True)]


def _as_csv_text(value) -> str:
    """A value read back from the workbook, as decisions.csv writes it."""
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _csv_rows(frame: pd.DataFrame) -> list[list[str]]:
    """decisions.csv's cells, as text, with what a workbook cannot hold as the workbook holds it:
    line ends as "\\n", characters XML cannot hold as U+FFFD, "_xHHHH_" as Excel escapes it."""
    written = pd.read_csv(io.BytesIO(csv_bytes(frame)), dtype=str, keep_default_na=False)
    rows = [list(written.columns)] + written.to_numpy().tolist()
    return [[NOT_XML.sub("\ufffd", t.replace("\r\n", "\n").replace("\r", "\n")) for t in row] for row in rows]


def _unescape_excel(text: str) -> str:
    """Excel shows "_x005F_" as "_" (openpyxl leaves it as stored)."""
    return text.replace("_x005F_", "_")


def _assert_same_as_csv(frame: pd.DataFrame, data: bytes) -> None:
    workbook = [[_unescape_excel(_as_csv_text(v)) for v in row] for row in _read_back(data)]
    expected = _csv_rows(frame)
    width = len(frame.columns)
    workbook = [row + [""] * (width - len(row)) for row in workbook]  # openpyxl stops at the last cell written
    workbook += [[""] * width] * (len(expected) - len(workbook))  # and at the last row with a cell
    assert workbook == expected


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


def test_the_header_is_bold_on_a_fill_and_every_cell_is_top_aligned():
    sheet = _sheet(decisions_xlsx(_decisions(["Centre A", "Centre B"])))
    header = sheet["A1"]
    assert header.font.b and header.fill.fgColor.rgb.endswith("E6EDF4") and header.alignment.wrap_text
    assert all(cell.alignment.vertical == "top" for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert not sheet["A2"].alignment.wrap_text and sheet["B2"].alignment.wrap_text  # institution names wrap
    assert sheet["E2"].number_format == "General"  # a rank is not a score


def test_column_widths_follow_the_longest_of_header_and_first_500_values_within_bounds():
    frame = pd.DataFrame({"id": ["x"] * 600, "institution_name": ["n" * 100] * 600,
                          "note": ["y" * 12] * 500 + ["z" * 25] * 100})
    sheet = _sheet(decisions_xlsx(frame))
    assert sheet.column_dimensions["A"].width == 8  # never narrower than 8
    assert sheet.column_dimensions["B"].width == 40  # institution names at most 40
    assert sheet.column_dimensions["C"].width == 14  # the 25-character values come after the first 500


def test_the_same_decisions_give_the_same_bytes():
    frame = _decisions(["Centre A"])
    assert decisions_xlsx(frame) == decisions_xlsx(frame.copy())


def test_control_characters_a_workbook_cannot_hold_are_replaced_not_fatal():
    sheet = _sheet(decisions_xlsx(_decisions(["Centre\x0bA\x00"])))
    assert sheet["B2"].value == "Centre\ufffdA\ufffd"


def test_text_with_xml_specials_and_unicode_reads_back_as_written():
    names = ['A & B <Centre> "Ltd"', "Université d'Abomey-Calavi", "北京 🛰", "  spaced  ", "line\r\nend", "a]]>b"]
    sheet = _sheet(decisions_xlsx(_decisions(names)))
    assert [sheet.cell(row=r, column=2).value for r in range(2, 8)] == names[:4] + ["line\nend", "a]]>b"]


def test_every_value_of_a_generated_frame_reads_back_as_decisions_csv_has_it():
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data_frames([
        column("application_id", elements=st.text(min_size=1, max_size=12)),
        column("institution_name", elements=st.one_of(st.none(), st.text(max_size=30),
                                                       st.sampled_from(["=1+1", "@x", "-3", "_x0041_", "", "&<>\"'"]))),
        column("rank", elements=st.integers(-(2 ** 53), 2 ** 53)),
        column("score", dtype=float, elements=st.floats(allow_nan=True, allow_infinity=True)),
        column("presence", dtype=bool),
        column("mixed", elements=st.one_of(st.none(), st.text(max_size=8), st.integers(-1000, 1000),
                                           st.floats(allow_nan=True, allow_infinity=True), st.booleans())),
    ]))
    def check(frame):
        _assert_same_as_csv(frame, decisions_xlsx(frame))

    check()


def test_nullable_columns_leave_missing_values_as_no_cell_and_booleans_as_booleans():
    frame = pd.DataFrame({"application_id": ["A", "B"], "presence": pd.array([True, None], dtype="boolean"),
                          "region_rank": pd.array([None, 3], dtype="Int64"),
                          "city": pd.array(["Dakar", None], dtype="string"),
                          "note": ["", np.nan], "flag": [False, None]})
    data = decisions_xlsx(frame)
    assert _read_back(data)[1:] == [["A", True, None, "Dakar", None, False], ["B", None, 3, None, None, None]]
    sheet = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))
    cells = [c.get("r") for c in sheet.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}c")]
    assert cells == ["A1", "B1", "C1", "D1", "E1", "F1", "A2", "B2", "D2", "F2", "A3", "C3"]


def test_infinite_numbers_are_written_as_text_since_a_workbook_has_no_infinity():
    frame = pd.DataFrame({"application_id": ["A", "B", "C"], "margin_to_cutoff": [math.inf, -math.inf, 0.25]})
    sheet = _sheet(decisions_xlsx(frame))
    assert [sheet[f"B{r}"].value for r in (2, 3, 4)] == ["inf", "-inf", 0.25]
    assert sheet["B2"].data_type == "s" and sheet["B4"].data_type == "n"


def test_timestamps_are_iso_text_and_aware_ones_in_utc():
    frame = pd.DataFrame({"application_id": ["A", "B"],
                          "decided_at": [pd.Timestamp("2019-11-01 10:30"), pd.NaT],
                          "aware": [pd.Timestamp("2019-11-01 10:30", tz="Africa/Dakar"),
                                    pd.Timestamp("2019-11-01 12:00", tz="Europe/Paris")]})
    rows = _read_back(decisions_xlsx(frame))
    assert rows[1:] == [["A", "2019-11-01 10:30:00", "2019-11-01T10:30:00+00:00"],
                        ["B", None, "2019-11-01T11:00:00+00:00"]]


def test_a_text_longer_than_a_cell_can_hold_is_cut_with_a_visible_marker():
    long = "é" * 40000
    astral = "🛰" * 20000  # two UTF-16 units each, as Excel counts
    frame = pd.DataFrame({"application_id": ["A", "B", "C"], "reasons": [long, astral, "short"]})
    sheet = _sheet(decisions_xlsx(frame))
    cut, cut_astral = sheet["B2"].value, sheet["B3"].value
    assert cut.endswith(CUT_MARKER) and len(cut) == CELL_LIMIT and cut.startswith("é" * 30000)
    assert cut_astral.endswith(CUT_MARKER) and len(cut_astral.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert sheet["B4"].value == "short"


def test_sixty_columns_are_lettered_past_z_and_filtered_to_the_last():
    frame = pd.DataFrame({f"criterion_{i}": [i + 0.5, i + 1.25] for i in range(60)})
    frame.insert(0, "application_id", ["A", "B"])
    sheet = _sheet(decisions_xlsx(frame))
    assert sheet.auto_filter.ref == "A1:BI3" and sheet["BI1"].value == "criterion_59"
    assert sheet["BI3"].value == 60.25 and sheet["AA2"].value == 25.5 and sheet["AA2"].number_format == "0.000"


def test_every_part_of_the_package_is_well_formed_and_the_zip_is_sound():
    data = decisions_xlsx(_decisions(["A & B", "<C>"]))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[0] == "[Content_Types].xml" and "xl/worksheets/sheet1.xml" in names
    for name in names:
        ET.fromstring(archive.read(name))
    assert all(info.date_time == (2000, 1, 1, 0, 0, 0) for info in archive.infolist())
    workbook = archive.read("xl/workbook.xml").decode()
    assert 'name="_xlnm._FilterDatabase"' in workbook and "decisions!$A$1:$G$3" in workbook


def test_the_workbook_is_written_in_blocks_alike_whatever_the_block_size(monkeypatch):
    frame = _decisions([f"Centre {i}" for i in range(23)])
    whole = decisions_xlsx(frame)
    monkeypatch.setattr(spreadsheet, "ROWS_PER_BLOCK", 5)
    assert decisions_xlsx(frame) == whole


def test_a_sheet_past_the_plain_zip_limit_is_written_with_zip64_records(monkeypatch):
    frame = _decisions([f"Centre {i}" for i in range(300)])
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 20_000)  # the 2 GiB limit, made small
    data = decisions_xlsx(frame)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    _assert_same_as_csv(frame, data)


def test_an_empty_decisions_table_is_a_header_with_its_filter():
    sheet = _sheet(decisions_xlsx(_decisions([])))
    assert [c.value for c in sheet[1]] == list(_decisions([]).columns) and sheet.auto_filter.ref == "A1:G1"


def _openpyxl_workbook(frame: pd.DataFrame) -> bytes:
    """How decisions.xlsx was written before our own writer: openpyxl, a cell object per cell."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from dtc_select.runs.safe_cells import neutralise_formulas

    def cell(value):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        value = value.item() if hasattr(value, "item") and not isinstance(value, str) else value
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
        return value

    book = Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for row in neutralise_formulas(frame).itertuples(index=False):
        sheet.append([cell(v) for v in row])
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def test_the_example_call_reads_back_as_with_openpyxl_and_as_decisions_csv(call):
    from dtc_select.pipeline import run
    from tests.conftest import EXAMPLES

    decisions = run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv").decisions
    data = decisions_xlsx(decisions)
    ours, openpyxl_s = _read_back(data), _read_back(_openpyxl_workbook(decisions))
    assert len(ours) == len(openpyxl_s) == len(decisions) + 1
    for row, old_row in zip(ours, openpyxl_s):
        assert len(row) == len(old_row)
        for value, old in zip(row, old_row):
            # openpyxl wrote floats to 16 significant digits; ours keeps every digit (as decisions.csv does)
            assert math.isclose(value, old, rel_tol=1e-15) if isinstance(value, float) else value == old
    _assert_same_as_csv(decisions, data)


def test_text_that_looks_like_an_excel_escape_is_stored_so_that_excel_shows_it_as_typed():
    sheet = _sheet(decisions_xlsx(_decisions(["Lab_x0041_B", "plain_x"])))
    assert sheet["B2"].value == "Lab_x005F_x0041_B"  # Excel shows "_x005F_" as "_": "Lab_x0041_B"
    assert sheet["B3"].value == "plain_x"


def test_a_workbook_streamed_into_a_file_is_the_same_bytes_even_when_it_starts_again_in_zip64(tmp_path, monkeypatch):
    frame = _decisions([f"Centre {i}" for i in range(300)])
    for limit in (zipfile.ZIP64_LIMIT, 20_000):  # 20,000: the 2 GiB limit made small, passed midway
        monkeypatch.setattr(zipfile, "ZIP64_LIMIT", limit)
        path = tmp_path / f"decisions-{limit}.xlsx"
        with open(path, "wb") as out:
            write_decisions_xlsx(frame, out)
        assert path.read_bytes() == decisions_xlsx(frame)
        assert zipfile.ZipFile(path).testzip() is None
