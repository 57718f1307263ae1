"""The vectorised selection mirrors allocation.allocate under every presence method and with centres
of earlier phases, so stability and margins describe the call's own rules."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.call import PreviousSelections
from dtc_select.scoring import ranking_order, score_applications
from tests.contests import REGION_COUNTRIES, contest_case, with_rules
from tests.test_selection import allocate_status, assert_mirrors_allocate

PRIORITIES = ({"method": "bonus", "bonus": 0.05, "minimum_share": None},
              {"method": "tie_break", "bonus": 0.0, "minimum_share": None},
              {"method": "quota", "bonus": 0.0, "minimum_share": 0.5},
              {"method": "quota", "bonus": 0.0, "minimum_share": 1.0},
              {"method": "none", "bonus": 0.0, "minimum_share": None})


@st.composite
def contest_with_caps(draw, call):
    eligible, rules, seats, chain = draw(contest_case())
    ruled = with_rules(call, rules, chain)
    priority = call.presence_priority.model_copy(update=draw(st.sampled_from(PRIORITIES)))
    homes = [(c, r) for r, countries in REGION_COUNTRIES.items() for c in countries]
    centres = [{"id": f"P-{k}", "country": c, "region": r, "reference": "test"}
               for k, (c, r) in enumerate(draw(st.lists(st.sampled_from(homes), max_size=3)))]
    previous = PreviousSelections.model_validate(
        {"centres": centres, "description": "earlier centres", "reference": "test"})
    ruled = ruled.model_copy(update={"presence_priority": priority, "previous_selections": previous})
    return eligible, seats, ruled


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_the_vectorised_selection_selects_as_allocate_with_any_presence_method_and_earlier_centres(call, data):
    assert_mirrors_allocate(*data.draw(contest_with_caps(call)))


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_moving_ahead_never_costs_a_seat_with_a_quota_or_earlier_centres(call, data):
    # The margins (selection.margins_to_cutoff) rely on this: a better place is never worse.
    eligible, seats, ruled = data.draw(contest_with_caps(call))
    ranked = score_applications(eligible, None, ruled)
    order = list(ranking_order(eligible, ranked, ruled))
    old = data.draw(st.integers(0, len(order) - 1))
    label = order.pop(old)
    order.insert(data.draw(st.integers(0, old)), label)
    moved = ranked.copy()
    moved["rank"] = pd.Series(range(1, len(order) + 1), index=order)
    if allocate_status(eligible, ranked, seats, ruled).loc[label] == "selected":
        assert allocate_status(eligible, moved, seats, ruled).loc[label] == "selected"
