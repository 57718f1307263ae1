"""A CSV text without quotes is split directly rather than through the csv module: the records
must be exactly those the csv module reading gives, line endings, empty lines, empty cells and
carriage returns inside values included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.intake import delimited

CELL = st.text(alphabet=st.sampled_from(list("ab é;,\t\n\r")), max_size=6)


@settings(max_examples=400, deadline=None)
@given(text=st.lists(CELL, max_size=12).map("".join), separator=st.sampled_from([",", ";", "\t"]))
def test_a_text_without_quotes_gives_the_records_the_csv_module_gives(text, separator):
    assert delimited.csv_records(text, separator) == delimited.csv_module_records(text, separator)


def test_windows_line_endings_and_a_missing_last_line_break_read_as_the_csv_module_reads_them():
    text = "application_id;score\r\nA-1;4\r\n\r\nA-2;;\r\nA-3"
    records = delimited.csv_records(text, ";")
    assert records == delimited.csv_module_records(text, ";")
    assert records == [["application_id", "score"], ["A-1", "4"], [], ["A-2", "", ""], ["A-3"]]
