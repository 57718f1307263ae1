"""Many rows at once (`encode_rows`, `Renderer.rows`, `Renderer.codes_parts`), each distinct reason
written and worded once, give exactly what each row alone gives (`encode`, `row`, `parts(decode)`),
whatever the fields hold: quotes, `},{"key":`, nested objects keyed "key", texts not as we write them."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtc_select.reasons.model import decode, encode, encode_rows, reason, split_items
from dtc_select.reasons.render import Renderer
from tests.reasons.samples import SAMPLES

HOSTILE = st.text(alphabet=st.sampled_from('ab "\\{}[],:key\u00e9\u2028\n'), max_size=30) | st.sampled_from(
    ['},{"key":"seat.pooled"}', '"}]', '{"key":', "\\"])


@st.composite
def committee(draw):
    """A committee decision whose said fields hold hostile text and objects keyed "key"."""
    return reason("committee.changed", status="selected", computed="reserve", decided_by=draw(HOSTILE),
                  decided_on="2020-01-15", justification=draw(HOSTILE),
                  note=draw(st.sampled_from([None, {"key": "seat.pooled"}, [{"key": "x"}, {"key": "y", "z": "},{"}]])))


def reasons():
    """A sample (the same object, as the stages share them), an equal copy, or a hostile one."""
    sample = st.sampled_from(list(SAMPLES.values()))
    return sample | sample.map(lambda r: reason(r.key, **r.fields)) | committee()


ROWS = st.lists(st.lists(reasons(), max_size=4), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=ROWS, lang=st.sampled_from(["en", "fr"]))
def test_rows_at_once_are_each_row_alone(call, rows, lang):
    words = Renderer(lang, call)
    assert encode_rows(rows) == [encode(row) for row in rows]
    assert words.rows(rows) == [words.row(row) for row in rows]
    assert words.rows_parts(rows) == [words.parts(row) for row in rows]
    codes = [encode(row) for row in rows]
    assert words.codes_parts(codes) == [words.parts(decode(text)) for text in codes]


ODD_TEXTS = ["", "[]", math.nan, None, '[ {"key":"seat.pooled"} ]', '[{"key":"seat.pooled"}, {"key":"seat.pooled"}]',
             '[{"key":"seat.pooled","x":[{"key":"seat.below_reserve"},{"key":"seat.pooled"}]}]',
             '[{"key":"seat.pooled"},{"key":"seat.below_reserve","x":{"key":"y"}}]']


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_reasons_not_written_as_encode_writes_them_are_read_whole(call, text):
    words = Renderer("en", call)
    assert words.codes_parts([text, text]) == [words.parts(decode(text))] * 2


def test_a_text_split_inside_an_item_is_found_and_read_whole():
    text = '[{"key":"seat.pooled","x":[{"a":1},{"key":"seat.below_reserve"}]}]'
    assert split_items(text) == ['{"key":"seat.pooled","x":[{"a":1}', '{"key":"seat.below_reserve"}]}']
    assert Renderer("en").codes_parts([text]) == [Renderer("en").parts(decode(text))]


def test_text_that_is_not_json_fails_as_decode_fails(call):
    with pytest.raises(ValueError):
        Renderer("en", call).codes_parts(['[{"key":"seat.pooled"},{"key":}]'])
