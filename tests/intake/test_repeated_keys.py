"""A repeated key (an application id, a reviewer's score of a criterion) names its first row."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dtc_select.intake.parsing import first_seen


def _by_hand(keys: list, rows: list[int]) -> list:
    """Row by row: a key seen before gets the smallest source_row of its key; else <NA>."""
    seen, smallest = set(), {}
    for key, row in zip(keys, rows):
        if key is not None:
            smallest[key] = min(smallest.get(key, row), row)
    found = []
    for key in keys:
        found.append(smallest[key] if key is not None and key in seen else None)
        if key is not None:
            seen.add(key)
    return found


@given(st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(["A1", "A2", "a1", "B"])),
                          st.integers(min_value=2, max_value=50)), max_size=30))
def test_every_later_row_of_a_key_names_the_smallest_source_row_of_that_key(cells):
    keys = [k for k, _ in cells]
    rows = [r for _, r in cells]
    found = first_seen(pd.Series(keys, dtype="string", index=range(10, 10 + len(cells))), pd.Series(rows))
    assert str(found.dtype) == "Int64" and list(found.index) == list(range(10, 10 + len(cells)))
    assert [None if pd.isna(v) else int(v) for v in found] == _by_hand(keys, rows)
