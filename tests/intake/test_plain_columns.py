"""A large plain CSV text (no quotes) is read column by column by pandas' C reader
(`delimited.plain_columns`) instead of record by record: the table read must be exactly the one
the records give, or the same error, whatever the text (short rows, blank lines, trailing blank
rows, spaces, a last line cut short, Windows line endings)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.errors import InputFileError
from dtc_select.intake import delimited
from dtc_select.intake.reading import read_table

CELL = st.text(alphabet=st.sampled_from(list("ab é ,;\n\r")), max_size=5)


def _read(path: Path):
    try:
        table = read_table(path)
    except InputFileError as error:
        return str(error)
    for column, (codes, uniques) in table.distinct.items():  # the reader's codes say the same cells
        assert len(set(uniques)) == len(uniques)
        assert [uniques[c] if c >= 0 else None for c in codes] == \
            [None if pd.isna(v) else v for v in table.frame[column]]
    return table.frame, table.info, dict(table.row_problems), dict(table.repeated_headers), dict(table.headers)


def _assert_same(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(text.encode("utf-8"))
        by_columns = _read(path)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(delimited, "plain_columns", lambda *_: None)
            by_records = _read(path)
    if isinstance(by_records, str) or isinstance(by_columns, str):
        assert by_columns == by_records
        return
    pd.testing.assert_frame_equal(by_columns[0], by_records[0])
    assert by_columns[1:] == by_records[1:]


@settings(max_examples=300, deadline=None)
@given(header=st.lists(st.sampled_from(["id", "score", " note ", "", "id"]), min_size=1, max_size=4),
       body=st.lists(CELL, max_size=14).map("".join))
def test_a_plain_text_read_by_columns_is_the_table_its_records_give(header, body):
    _assert_same(",".join(header) + "\n" + body)


@pytest.mark.parametrize("text", [
    "id,score\r\nA-1,4\r\n\r\nA-2\r\nA-3,",          # Windows endings, a blank and a short row
    "id,score\nA-1,4\nA-2",                          # the last row cut short
    "id,score\nA-1,4\nA-2\n  ,\n\n",                 # blank rows at the end are not rows
    "id,score\nA-1,4\nA-2\n\n",                      # a short last row with a line break is whole
    "id,score\nA-1,4,5\n",                           # a row wider than the header
    " , \nA-1,4\n",                                  # no header
    "id,score\n",                                    # a header and no rows
    "id,id\n;\n,",                                   # a short row, then a blank last line with no break
])
def test_the_edges_of_a_plain_text_read_by_columns_are_those_of_its_records(text):
    _assert_same(text)


def test_a_regular_plain_text_is_read_by_columns_and_a_quoted_one_by_records():
    text = "id,score\n" + "".join(f"A-{i}, {i % 5}\n" for i in range(1000))
    assert set(read_table_of(text).distinct) == {"id", "score"}
    columns, last_cells = delimited.plain_columns(text, ",")
    assert [len(c) for c in columns] == [1001, 1001] and last_cells == 1
    assert list(columns[1][:3]) == ["score", " 0", " 1"]  # the text as written: nothing read as a number
    assert delimited.plain_columns('id,score\n"A-1",4\n', ",") is None
    assert delimited.plain_columns("id,score\rA-1,4\r", ",") is None


def read_table_of(text: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text(text, encoding="utf-8")
        return read_table(path)
