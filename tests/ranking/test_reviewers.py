"""Reviewer marks: conflicts, calibration, disagreement; the example call's scores file end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.reasons.render import Renderer
from dtc_select.runs.safe_cells import csv_bytes
from dtc_select.pipeline import run
from dtc_select.ranking.reviewers import application_means, review_marks
from dtc_select.ranking.scoring import score_applications
from tests.conftest import EXAMPLES
from tests.factories import parsed

CRITERIA = ("training_levels", "infrastructure", "reputation", "research_capacity", "distance_learning",
            "mission_alignment", "innovation", "commitment_scale")


def marks(rows) -> pd.DataFrame:
    """Scores frame from (application_id, reviewer_id, criterion, score[, conflict]) tuples."""
    frame = pd.DataFrame([(*r, False)[:5] for r in rows],
                         columns=["application_id", "reviewer_id", "criterion", "score", "conflict_of_interest"])
    frame["conflict_of_interest"] = frame["conflict_of_interest"].astype("boolean")
    frame["score"] = frame["score"].astype(float)
    return frame


def every_criterion(application_id, reviewer_id, score, conflict=False):
    return [(application_id, reviewer_id, c, score, conflict) for c in CRITERIA]


def with_calibration(call, **changes):
    calibration = call.scoring.calibration.model_copy(update=changes)
    return call.model_copy(update={"scoring": call.scoring.model_copy(update={"calibration": calibration})})


def test_a_reviewer_with_a_conflict_has_none_of_their_scores_counted(call):
    # R2 flags a conflict on one row only: all eight of R2's marks for A-001 are left out.
    rows = every_criterion("A-001", "R1", 3) + every_criterion("A-001", "R2", 5)
    rows[8] = (*rows[8][:4], True)
    reviewed = review_marks(marks(rows), call)
    assert set(reviewed.marks["reviewer_id"]) == {"R1"}
    assert reviewed.conflicts.to_dict("records") == [
        {"reviewer_id": "R2", "application_id": "A-001", "rows_flagged": 1, "rows_left_out": 8}]


def test_a_conflict_on_one_application_leaves_the_reviewer_s_other_marks_counted(call):
    rows = every_criterion("A-001", "R1", 2, conflict=True) + every_criterion("A-002", "R1", 4)
    reviewed = review_marks(marks(rows), call)
    assert set(reviewed.marks["application_id"]) == {"A-002"}


@settings(max_examples=30, deadline=None)
@given(grid=st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=4, max_size=12),
       flags=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 2), st.integers(0, 7)), max_size=4))
def test_removing_conflicted_rows_changes_nothing_whichever_rows_carry_the_flag(call, grid, flags):
    apps = parsed(len(grid))
    rows = [(f"A-{a + 1:03d}", f"R{r}", c, (mark + i) % 5 + 1, False)
            for a, reviewers in enumerate(grid) for r, mark in enumerate(reviewers) for i, c in enumerate(CRITERIA)]
    flagged = marks(rows)
    pairs = set()
    for a, r, c in flags:
        if a < len(grid):
            position = (a * 3 + r) * len(CRITERIA) + c
            flagged.loc[position, "conflict_of_interest"] = True
            pairs.add((f"A-{a + 1:03d}", f"R{r}"))
    removed = flagged[[(a, r) not in pairs for a, r in zip(flagged["application_id"], flagged["reviewer_id"])]]
    removed = removed.assign(conflict_of_interest=pd.array([False] * len(removed), dtype="boolean"))
    assert score_applications(apps, flagged, call).equals(score_applications(apps, removed, call))


def test_removing_conflicted_rows_from_the_example_scores_file_changes_nothing(call, tmp_path):
    scores = pd.read_csv(EXAMPLES / "scores.csv", dtype=str, keep_default_na=False)
    pair = scores["reviewer_id"] + "|" + scores["application_id"]
    conflicted = set(pair[scores["conflict_of_interest"].str.lower().eq("yes")])
    assert conflicted == {"R1|DTC-2019-031", "R3|DTC-2019-001"}
    without = tmp_path / "without_conflicts.csv"
    scores[~pair.isin(conflicted)].to_csv(without, index=False)
    # The flag on one row of each pair is enough to leave out all the pair's rows.
    one_flag = scores.copy()
    one_flag.loc[pair.isin(conflicted), "conflict_of_interest"] = ""
    for p in sorted(conflicted):
        one_flag.loc[pair[pair == p].index[3], "conflict_of_interest"] = "yes"
    one_flag_path = tmp_path / "one_flag.csv"
    one_flag.to_csv(one_flag_path, index=False)
    original = run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    for path in (without, one_flag_path):
        again = run(call, EXAMPLES / "applications.csv", path)
        assert csv_bytes(again.decisions) == csv_bytes(original.decisions)


def test_calibration_puts_each_reviewer_on_the_scale_around_its_middle_by_the_documented_formula(call):
    # R1 marks 1, 3, 5 (mean 3, sd sqrt(8/3)); R2 marks 2, 3, 4 (mean 3, sd sqrt(2/3)).
    rows = [(f"A-00{i + 1}", "R1", "reputation", m) for i, m in enumerate((1, 3, 5))]
    rows += [(f"A-00{i + 1}", "R2", "reputation", m) for i, m in enumerate((2, 3, 4))]
    reviewed = review_marks(marks(rows), with_calibration(call, minimum_applications=3))
    spread = np.sqrt((8 / 3 + 2 / 3) / 2)
    assert reviewed.centre == 3 and reviewed.spread == pytest.approx(spread)
    calibrated = reviewed.marks.set_index(["reviewer_id", "application_id"])["calibrated"]
    assert calibrated["R1", "A-003"] == pytest.approx(3 + spread * 2 / np.sqrt(8 / 3))
    assert calibrated["R2", "A-003"] == pytest.approx(3 + spread * 1 / np.sqrt(2 / 3))
    # Both reviewers put A-003 one of their own spreads above their habit: the same calibrated mark.
    assert calibrated["R1", "A-003"] == pytest.approx(calibrated["R2", "A-003"])


def test_calibrated_marks_never_leave_the_call_s_scale(call):
    rows = [(f"A-{i:03d}", "R1", "reputation", 1) for i in range(1, 20)] + [("A-020", "R1", "reputation", 5)]
    rows += [(f"A-{i:03d}", "R2", "reputation", 1 + i % 5) for i in range(1, 21)]
    calibrated = review_marks(marks(rows), call).marks["calibrated"]
    assert calibrated.between(call.scoring.scale.min, call.scoring.scale.max).all()
    assert calibrated.max() == call.scoring.scale.max


def test_a_reviewer_with_fewer_applications_than_the_minimum_keeps_raw_marks(call):
    minimum = call.scoring.calibration.minimum_applications
    rows = [(f"A-{i:03d}", "R1", "reputation", 1 + i % 5) for i in range(1, minimum + 1)]
    rows += [(f"A-{i:03d}", "R2", "reputation", 5) for i in range(1, minimum)]  # one application short
    reviewed = review_marks(marks(rows), call)
    people = reviewed.reviewers.set_index("reviewer_id")
    assert bool(people.loc["R1", "calibrated"]) and not bool(people.loc["R2", "calibrated"])
    r2 = reviewed.marks[reviewed.marks["reviewer_id"] == "R2"]
    assert (r2["calibrated"] == r2["score"]).all()


def test_calibration_off_keeps_every_raw_mark(call):
    rows = [(f"A-{i:03d}", "R1", "reputation", 1 + i % 5) for i in range(1, 30)]
    reviewed = review_marks(marks(rows), with_calibration(call, method="none"))
    assert (reviewed.marks["calibrated"] == reviewed.marks["score"]).all()
    assert reviewed.spread is None


def test_a_reviewer_who_gives_one_mark_throughout_puts_everyone_at_the_middle(call):
    rows = [(f"A-{i:03d}", "R1", "reputation", 4) for i in range(1, 15)]
    assert (review_marks(marks(rows), call).marks["calibrated"] == 3).all()


@settings(max_examples=25, deadline=None)
@given(grid=st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=10, max_size=14),
       who=st.integers(0, 2), shift=st.sampled_from([-3.0, -1.0, 0.5, 1.0, 2.0]),
       method=st.sampled_from(["weighted_sum", "topsis", "vikor"]))
def test_shifting_one_reviewer_s_scores_by_a_constant_changes_no_rank(call, grid, who, shift, method):
    chosen = call.model_copy(update={"scoring": call.scoring.model_copy(update={"method": method})})
    apps = parsed(len(grid), workstations=[10 + 5 * i for i in range(len(grid))])
    rows = [(f"A-{a + 1:03d}", f"R{r}", c, (mark + i * r) % 5 + 1)
            for a, reviewers in enumerate(grid) for r, mark in enumerate(reviewers) for i, c in enumerate(CRITERIA)]
    scores = marks(rows)
    shifted = scores.assign(score=scores["score"] + np.where(scores["reviewer_id"] == f"R{who}", shift, 0.0))
    before, after = score_applications(apps, scores, chosen), score_applications(apps, shifted, chosen)
    assert before["rank"].equals(after["rank"])
    assert before["merit_score"].equals(after["merit_score"])


def test_shifting_a_harsh_reviewer_in_the_example_call_changes_no_rank(call, tmp_path):
    # The example's marks use the whole 1-5 scale, so both runs use a call whose scale reaches 6.
    wider = call.model_copy(update={"scoring": call.scoring.model_copy(
        update={"scale": call.scoring.scale.model_copy(update={"max": 6})})})
    scores = pd.read_csv(EXAMPLES / "scores.csv", dtype=str, keep_default_na=False)
    harsh = scores["reviewer_id"] == "R2"
    scores.loc[harsh, "score"] = (scores.loc[harsh, "score"].astype(int) + 1).astype(str)
    path = tmp_path / "r2_plus_one.csv"
    scores.to_csv(path, index=False)
    before = run(wider, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv").decisions
    after = run(wider, EXAMPLES / "applications.csv", path).decisions
    before, after = before.set_index("application_id"), after.set_index("application_id")
    assert after["rank"].equals(before["rank"].reindex(after.index))
    assert after["status"].equals(before["status"].reindex(after.index))
    assert (after["reviewer_mean_raw"] > before["reviewer_mean_raw"]).any()


def test_disagreement_is_the_mean_over_criteria_of_the_spread_between_reviewers(call):
    rows = [("A-001", "R1", "reputation", 2), ("A-001", "R2", "reputation", 4),
            ("A-001", "R1", "innovation", 3), ("A-001", "R2", "innovation", 3),
            ("A-001", "R1", "infrastructure", 5)]  # one reviewer only: not a disagreement
    means = application_means(review_marks(marks(rows), with_calibration(call, method="none")), call)
    assert means.loc["A-001", "reviewer_disagreement"] == pytest.approx((1.0 + 0.0) / 2)


def test_an_applicant_above_the_disagreement_threshold_is_flagged_and_its_reasons_say_so(call):
    apps = parsed(2)
    rows = every_criterion("A-001", "R1", 1) + every_criterion("A-001", "R2", 5)
    rows += every_criterion("A-002", "R1", 3) + every_criterion("A-002", "R2", 3)
    ranked = score_applications(apps, marks(rows), with_calibration(call, method="none"))
    assert ranked["reviewer_disagreement"].tolist() == [2.0, 0.0]
    assert ranked["disagreement_flagged"].tolist() == [True, False]
    said = Renderer("en", call).row(ranked.loc[0, "scoring_reasons"])
    assert "reviewers disagree (2.00 on the 1 to 5 scale, above 1): to discuss" in said


def test_raw_and_calibrated_means_are_given_side_by_side(call):
    rows = [(f"A-{i:03d}", "R1", "reputation", 1 + i % 5) for i in range(1, 13)]
    rows += [(f"A-{i:03d}", "R2", "reputation", min(5, 2 + i % 5)) for i in range(1, 13)]
    ranked = score_applications(parsed(12), marks(rows), call)
    assert {"reviewer_mean_raw", "reviewer_mean"} <= set(ranked.columns)
    assert (ranked["reviewer_mean_raw"] != ranked["reviewer_mean"]).any()
