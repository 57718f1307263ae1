"""The scores' schema checked on one usable row per distinct text of each column (and source_row
on the whole column) passes exactly when the schema checked on every row passes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.intake.schemas import ScoresSchema
from dtc_select.intake.scores import _sampled_rows_pass

IDS = st.sampled_from(["A-1", "A-2", "A-3", ""])  # "" slipped through a parser: the schema refuses it
SCORES = st.sampled_from([1.0, 2.5, 5.0, float("inf"), float("nan")])
FLAGS = st.sampled_from([True, False, None])


@st.composite
def usable_scores(draw):
    n = draw(st.integers(0, 30))
    frame = pd.DataFrame({
        "application_id": pd.array(draw(st.lists(IDS, min_size=n, max_size=n)), dtype="string"),
        "reviewer_id": pd.array(draw(st.lists(st.sampled_from(["R1", "R2", ""]), min_size=n, max_size=n)),
                                dtype="string"),
        "criterion": pd.array(["reputation"] * n, dtype="string"),
        "score": np.array(draw(st.lists(SCORES, min_size=n, max_size=n)), dtype=float),
        "comment": pd.array(draw(st.lists(st.sampled_from(["ok", None]), min_size=n, max_size=n)), dtype="string"),
        "conflict_of_interest": pd.array(draw(st.lists(FLAGS, min_size=n, max_size=n)), dtype="boolean"),
    })
    rows = np.cumsum(draw(st.lists(st.sampled_from([1, 1, 2, 0]), min_size=n, max_size=n)), dtype=np.int64)
    frame["source_row"] = rows + draw(st.sampled_from([0, 1]))  # 0: a row 0; repeats: not unique
    # The usable rows among all rows (others interleaved), with each column's codes over all rows.
    usable_rows = np.array(draw(st.permutations([True] * n + [False] * draw(st.integers(0, 5)))), dtype=bool)
    everything = pd.DataFrame(index=range(len(usable_rows)), columns=frame.columns)
    everything = frame.reindex(np.cumsum(usable_rows) - 1).reset_index(drop=True) if n else everything
    coded = [pd.factorize(everything[c].astype(object), use_na_sentinel=True)[0]  # -1: empty, as the reader codes it
             for c in frame.columns if c != "source_row"]
    return frame, usable_rows, coded


def passes_whole(frame: pd.DataFrame) -> bool:
    try:
        ScoresSchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(case=usable_scores())
def test_the_sampled_check_passes_exactly_when_the_check_of_every_row_passes(case):
    frame, usable_rows, coded = case
    assert _sampled_rows_pass(frame, usable_rows, coded) == passes_whole(frame)
