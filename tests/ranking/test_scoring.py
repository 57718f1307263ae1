"""Scoring: declared missing-data policy, scikit-criteria ranking, our own tie-break."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.reasons.render import Renderer
from dtc_select.ranking.scoring import criterion_values, reviewer_means, score_applications
from tests.factories import parsed


def scores_for(ids, value, reviewers=("R1",), criteria=None, call=None, conflict=False):
    criteria = criteria or [c.id for c in call.criteria]
    rows = [
        {"application_id": a, "reviewer_id": r, "criterion": c, "score": float(value),
         "conflict_of_interest": conflict}
        for a in ids for r in reviewers for c in criteria
    ]
    frame = pd.DataFrame(rows)
    frame["conflict_of_interest"] = frame["conflict_of_interest"].astype("boolean")
    return frame


def test_without_reviewer_scores_a_criterion_is_the_mean_of_its_application_measures(call):
    apps = parsed(1, training_labs=2, workstations=30, internet_mbps=100)
    matrix = criterion_values(apps, reviewer_means(None, call), call)
    # labs 2/4 = 0.5, workstations 30/60 = 0.5, internet capped at 1 -> mean 2/3
    assert matrix.loc[0, "infrastructure"] == pytest.approx(2 / 3)


def test_a_criterion_blends_reviewers_and_application_by_the_declared_share(call):
    apps = parsed(1, government_endorsement=False)
    means = reviewer_means(scores_for(["A-001"], 5, call=call), call)
    matrix = criterion_values(apps, means, call)
    # reviewers 5 on a 1-5 scale -> 1.0; the application states no endorsement -> 0.0
    assert matrix.loc[0, "reputation"] == pytest.approx(0.6 * 1.0 + 0.4 * 0.0)


def test_a_measure_not_stated_earns_nothing_but_never_breaks_the_ranking(call):
    apps = parsed(2, committed_budget_usd=[None, 100000.0], research_capacity=[None, True])
    ranked = score_applications(apps, None, call)
    assert ranked["merit_score"].notna().all()
    assert list(ranked.sort_values("rank")["rank"].index) == [1, 0]


def test_the_weighted_sum_is_the_mean_of_equal_weight_criteria(call):
    apps = parsed(1)
    ranked = score_applications(apps, None, call)
    matrix = criterion_values(apps, reviewer_means(None, call), call)
    assert ranked.loc[0, "merit_score"] == pytest.approx(matrix.loc[0].mean())


def test_scores_of_a_conflicted_reviewer_are_not_counted(call):
    apps = parsed(1)
    fair = scores_for(["A-001"], 2, reviewers=("R1",), call=call)
    conflicted = scores_for(["A-001"], 5, reviewers=("R2",), call=call, conflict=True)
    with_conflict = score_applications(apps, pd.concat([fair, conflicted], ignore_index=True), call)
    without = score_applications(apps, fair, call)
    assert with_conflict.loc[0, "merit_score"] == without.loc[0, "merit_score"]
    assert with_conflict.loc[0, "reviewers"] == 1


def test_presence_adds_the_declared_bonus_to_the_score_but_not_to_merit(call):
    ranked = score_applications(parsed(2, presence=[True, False]), None, call)
    assert ranked.loc[0, "merit_score"] == ranked.loc[1, "merit_score"]
    assert ranked.loc[0, "score"] == pytest.approx(ranked.loc[1, "score"] + call.presence_priority.bonus)
    assert ranked.loc[0, "rank"] == 1


def test_equal_scores_go_first_to_the_least_developed_host_then_the_earlier_application(call):
    apps = parsed(
        3,
        host_is_ldc=[False, True, True],
        submitted_at=["2019-10-01", "2019-11-02", "2019-11-01"],
    )
    ranked = score_applications(apps, None, call)
    assert list(ranked.sort_values("rank").index) == [2, 1, 0]
    assert "tied on score with A-001, A-002" in ranked.loc[2, "tie_break_note"]
    assert "least developed host country first, then earlier submission" in ranked.loc[2, "tie_break_note"]


def test_ranks_are_one_to_n_without_ties(call):
    ranked = score_applications(parsed(5), None, call)
    assert sorted(ranked["rank"]) == [1, 2, 3, 4, 5]


def test_topsis_ranks_the_better_applicant_first_even_with_constant_criteria(call):
    topsis = call.model_copy(update={"scoring": call.scoring.model_copy(update={"method": "topsis"})})
    ranked = score_applications(parsed(2, workstations=[10, 60]), None, topsis)
    assert ranked.loc[1, "rank"] == 1
    assert ranked["merit_score"].between(0, 1).all()


def test_no_eligible_applicants_gives_an_empty_ranking(call):
    ranked = score_applications(parsed(1).iloc[0:0], None, call)
    assert ranked.empty


@settings(max_examples=40, deadline=None)
@given(
    labs=st.lists(st.integers(0, 6), min_size=2, max_size=12),
    seed=st.integers(0, 2**16),
)
def test_row_order_never_changes_who_ranks_where(call, labs, seed):
    apps = parsed(len(labs), training_labs=labs, workstations=[5 * x for x in labs])
    ranked = score_applications(apps, None, call)
    by_id = dict(zip(apps["application_id"], ranked["rank"]))
    shuffled = apps.sample(frac=1, random_state=seed)
    reranked = score_applications(shuffled, None, call)
    assert dict(zip(shuffled["application_id"], reranked["rank"])) == by_id


def test_an_applicant_better_on_every_criterion_ranks_higher(call):
    apps = parsed(2, training_labs=[1, 4], workstations=[10, 60], trainees_last_year=[100, 5000],
                  government_endorsement=[False, True], committed_staff=[1, 20])
    ranked = score_applications(apps, None, call)
    assert ranked.loc[1, "rank"] < ranked.loc[0, "rank"]
    assert np.all(ranked.filter(like="criterion_").loc[1] >= ranked.filter(like="criterion_").loc[0])


def with_policy(call, default=None, **per_criterion):
    """The call with another default missing-marks policy and/or per-criterion policies."""
    criteria = tuple(c.model_copy(update={"missing_reviewer_scores": per_criterion.get(c.id)}) for c in call.criteria)
    scoring = call.scoring.model_copy(update={"criteria": criteria,
                                              "missing_reviewer_scores": default or call.scoring.missing_reviewer_scores})
    return call.model_copy(update={"scoring": scoring})


def test_application_only_judges_an_unmarked_criterion_on_the_application_alone(call):
    apps = parsed(2, government_endorsement=True)
    scores = scores_for(["A-001"], 1, call=call)
    matrix = criterion_values(apps, reviewer_means(scores, call), call)
    assert matrix.loc[1, "reputation"] == 1.0  # no marks, endorsed
    # R1 marked one application, fewer than the minimum: the raw mark 1 counts (0 on 0..1).
    assert matrix.loc[0, "reputation"] == pytest.approx(0.6 * 0.0 + 0.4 * 1.0)


def test_lowest_mark_counts_an_unmarked_criterion_as_the_bottom_of_the_scale(call):
    lowest = with_policy(call, reputation="lowest_mark")
    apps = parsed(1, government_endorsement=True)
    matrix = criterion_values(apps, reviewer_means(None, lowest), lowest)
    assert matrix.loc[0, "reputation"] == pytest.approx(0.6 * 0.0 + 0.4 * 1.0)
    assert matrix.loc[0, "innovation"] == 1.0  # its own policy is still application_only


def test_exclude_criterion_leaves_the_criterion_out_and_shares_its_weight(call):
    excluding = with_policy(call, "exclude_criterion")
    apps = parsed(1)
    ranked = score_applications(apps, None, excluding)
    assert ranked.filter(like="criterion_").isna().all(axis=None)
    assert ranked.loc[0, "merit_score"] == 0.0  # nothing left to judge on
    marked = scores_for(["A-001"], 5, call=call, criteria=["reputation", "innovation"])
    ranked = score_applications(apps, marked, excluding)
    values = ranked[["criterion_reputation", "criterion_innovation"]].iloc[0]
    assert ranked.loc[0, "merit_score"] == pytest.approx(values.mean())


def test_the_applicants_missing_marks_are_listed_with_the_policy_in_their_reasons(call):
    lowest = with_policy(call, reputation="lowest_mark")
    scores = scores_for(["A-001"], 4, reviewers=("R1", "R2"), call=call,
                        criteria=[c.id for c in call.criteria if c.id not in ("reputation", "innovation")])
    ranked = score_applications(parsed(2), scores, lowest)
    assert ranked.loc[0, "missing_reviewer_criteria"] == "reputation, innovation"
    assert ranked.loc[1, "missing_reviewer_criteria"] == ", ".join(c.id for c in call.criteria)
    note = Renderer("en", lowest).row(ranked.loc[0, "scoring_reasons"])
    assert "no reviewer marks for Reputation: counted as the lowest mark of the scale" in note
    assert "no reviewer marks for Innovation: judged on the application alone" in note


def test_a_fully_marked_applicant_has_nothing_missing(call):
    ranked = score_applications(parsed(1), scores_for(["A-001"], 3, call=call), call)
    assert ranked.loc[0, "missing_reviewer_criteria"] == "" and ranked.loc[0, "scoring_reasons"] == []
