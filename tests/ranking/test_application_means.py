"""Per-applicant means grouped on integer codes give the pivot table on texts to the last bit
(the way before is kept here): criterion means, raw and calibrated means, reviewers, disagreement."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.ranking.reviewers import MARK_COLUMNS, MEAN_COLUMNS, ReviewedMarks, application_means


def means_by_pivot(reviewed: ReviewedMarks, call) -> pd.DataFrame:
    """`application_means` as it was (main at 7e299c4): a pivot table and groupings on the texts."""
    ids = [c.id for c in call.criteria]
    marks = reviewed.marks
    if marks.empty:
        return pd.DataFrame(columns=ids + MEAN_COLUMNS, dtype=float)
    by_app = marks.groupby("application_id", sort=True)
    wide = marks.pivot_table(index="application_id", columns="criterion", values="calibrated", aggfunc="mean")
    wide = wide.reindex(columns=ids)
    wide["reviewer_mean"] = by_app["calibrated"].mean()
    wide["reviewer_mean_raw"] = by_app["score"].mean()
    wide["reviewers"] = by_app["reviewer_id"].nunique()
    by_pair = marks.groupby(["application_id", "criterion"], sort=True)["calibrated"]
    spread = pd.DataFrame({"sd": by_pair.std(ddof=0), "n": by_pair.size()})
    wide["reviewer_disagreement"] = spread.loc[spread["n"] >= 2, "sd"].groupby(level=0).mean()
    return wide


MARK = st.floats(1, 5) | st.integers(1, 5).map(float) | st.sampled_from([np.nan, 1 / 3, 2 / 3, 4.1 + 1e-12])


@st.composite
def reviewed_marks(draw, criteria):
    n = draw(st.integers(0, 60))
    rows = [(f"A-{draw(st.integers(1, 9)):03d}", f"R{draw(st.integers(1, 4))}",
             draw(st.sampled_from(criteria + ["not_a_criterion"])), draw(MARK), draw(MARK)) for _ in range(n)]
    marks = pd.DataFrame(rows, columns=["application_id", "reviewer_id", "criterion", "score", "calibrated"],
                         dtype=object)
    for column in ("application_id", "reviewer_id", "criterion"):
        marks[column] = marks[column].astype(str)
    for column in ("score", "calibrated"):
        marks[column] = marks[column].astype(float)
    return ReviewedMarks(marks[MARK_COLUMNS], pd.DataFrame(), pd.DataFrame(), 3.0, None)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_means_on_codes_are_the_pivot_table_s_to_the_last_bit(data):
    from dtc_select.call.model import load_call
    from tests.conftest import PHASE1

    call = _call(load_call, PHASE1)
    reviewed = data.draw(reviewed_marks([c.id for c in call.criteria]))
    new, old = application_means(reviewed, call), means_by_pivot(reviewed, call)
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert new.index.name == old.index.name and new.columns.name == old.columns.name


_CALLS: dict = {}


def _call(load_call, path):
    if path not in _CALLS:
        _CALLS[path] = load_call(path)
    return _CALLS[path]
