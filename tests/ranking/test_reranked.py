"""The selection without the presence priority re-ranks the call's scores rather than scoring
again: it must give exactly what scoring again with the priority off gives."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings

from dtc_select.call.caps import without_presence_priority
from dtc_select.ranking.scoring import reranked, score_applications
from tests.contests import contest_case


@settings(max_examples=60, deadline=None)
@given(case=contest_case())
def test_re_ranking_without_the_presence_priority_equals_scoring_again_without_it(call, case):
    changed, eligible, _ = case
    ruled = changed(call)
    plain = without_presence_priority(ruled)
    scored = score_applications(eligible, None, ruled)
    pd.testing.assert_frame_equal(reranked(eligible, scored, plain), score_applications(eligible, None, plain))
