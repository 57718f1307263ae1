"""Reviewer marks: conflicts of interest, calibration, per-applicant means and disagreement.

Conflicts. A reviewer who declares a conflict of interest on an application (on any of their rows
for it) has none of their marks for that application counted: a conflict is declared about a
person and an application, not about one criterion. The marks are left out before anything else
is computed, so they weigh neither in the means nor in the calibration.

Calibration (`scoring.calibration.method: standardise`). Reviewers differ in habits: one marks
everyone a point higher than another. Each reviewer r with at least `minimum_applications`
applications marked has every counted mark x turned into

    calibrated = centre + spread * (x - mean_r) / sd_r,   limited to the scale [min, max]

where mean_r and sd_r are the mean and the (population) standard deviation of all of r's counted
marks, over every criterion; centre is the middle of the call's scale ((min + max) / 2); spread
is the reviewers' typical spread, sqrt(mean of sd_r^2) over the calibrated reviewers whose marks
vary. So a mark says "how far above or below this reviewer's own habit", expressed on the call's
scale. Adding a constant to all of one reviewer's marks changes neither (x - mean_r) nor sd_r nor
centre nor spread: the calibrated marks, and so every rank, stay exactly the same. A reviewer who
gives every application the same mark says nothing about who is better: their marks become the
centre. A reviewer with fewer applications than the minimum keeps raw marks (too few to know
their habits) and the report lists them.

Disagreement. For each applicant and criterion marked by two or more reviewers, the (population)
standard deviation of the counted marks (calibrated where calibrated), on the call's scale; the
applicant's `reviewer_disagreement` is the mean over those criteria (empty with fewer than two
reviewers). It is flagged above `scoring.disagreement.flag_above`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dtc_select.call.model import Call

MARK_COLUMNS = ["application_id", "reviewer_id", "criterion", "score", "calibrated"]
CONFLICT_COLUMNS = ["reviewer_id", "application_id", "rows_flagged", "rows_left_out"]
REVIEWER_COLUMNS = ["reviewer_id", "applications", "marks", "mean_raw", "sd_raw", "calibrated",
                    "conflicts"]
MEAN_COLUMNS = ["reviewer_mean", "reviewer_mean_raw", "reviewers", "reviewer_disagreement"]


@dataclass(frozen=True)
class ReviewedMarks:
    """`marks`: the counted marks (raw `score` and `calibrated`); `conflicts`: one row per declared
    conflict (reviewer, application) with the rows left out; `reviewers`: one row per reviewer;
    `centre`, `spread`: the calibration's target on the scale (spread None when nobody was
    calibrated)."""

    marks: pd.DataFrame
    conflicts: pd.DataFrame
    reviewers: pd.DataFrame
    centre: float
    spread: float | None

    @property
    def given(self) -> bool:
        """Whether any reviewer mark was given at all (a run without a scores file has none)."""
        return not (self.marks.empty and self.conflicts.empty)


def review_marks(scores: pd.DataFrame | None, call: Call) -> ReviewedMarks:
    """Leave out conflicted marks, then calibrate each reviewer as the call says."""
    scale = call.scoring.scale
    centre = (scale.min + scale.max) / 2
    if scores is None or scores.empty:
        return ReviewedMarks(pd.DataFrame(columns=MARK_COLUMNS), pd.DataFrame(columns=CONFLICT_COLUMNS),
                             pd.DataFrame(columns=REVIEWER_COLUMNS), centre, None)
    marks, conflicts = _without_conflicts(scores)
    # Reviewers as codes (their ids sorted): a mark finds its reviewer's habits by position, and
    # the groupings below hash integers, not millions of texts.
    reviewer_ids = np.sort(marks["reviewer_id"].unique().astype(object))
    reviewer = pd.Series(pd.Categorical(marks["reviewer_id"], categories=reviewer_ids).codes, index=marks.index)
    by_reviewer = marks["score"].groupby(reviewer, sort=True)
    applications = distinct_per_group(reviewer.to_numpy(), pd.factorize(marks["application_id"])[0],
                                      len(reviewer_ids))
    habits = pd.DataFrame({"mean": by_reviewer.mean(), "std": by_reviewer.std(ddof=0), "size": by_reviewer.size(),
                           "applications": pd.Series(applications, index=pd.RangeIndex(len(reviewer_ids)))})
    habits.index = pd.Index(reviewer_ids[habits.index.to_numpy(dtype=int)], name="reviewer_id")
    rules = call.scoring.calibration
    habits["calibrated"] = (rules.method == "standardise") & (habits["applications"] >= rules.minimum_applications)
    varying = habits[habits["calibrated"] & (habits["std"] > 0)]
    spread = float(np.sqrt((varying["std"] ** 2).mean())) if len(varying) else None
    if spread is None and habits["calibrated"].any():
        spread = 0.0  # every calibrated reviewer gave one mark throughout: all at the centre
    mean = pd.Series(habits["mean"].to_numpy()[reviewer], index=marks.index)
    sd = pd.Series(habits["std"].to_numpy()[reviewer], index=marks.index)
    z = ((marks["score"] - mean) / sd.where(sd > 0)).fillna(0.0)
    standardised = (centre + (spread or 0.0) * z).clip(scale.min, scale.max)
    marks["calibrated"] = standardised.where(habits["calibrated"].to_numpy(dtype=bool)[reviewer], marks["score"])
    reviewers = pd.DataFrame({
        "reviewer_id": habits.index,
        "applications": habits["applications"].to_numpy(),
        "marks": habits["size"].to_numpy(),
        "mean_raw": habits["mean"].to_numpy(),
        "sd_raw": habits["std"].to_numpy(),
        "calibrated": habits["calibrated"].to_numpy(),
    })
    declared = conflicts.groupby("reviewer_id")["application_id"].nunique()
    reviewers["conflicts"] = reviewers["reviewer_id"].map(declared).fillna(0).astype(int)
    # Reviewers whose every mark was conflicted have no habits to show but their conflicts.
    only_conflicted = sorted(set(conflicts["reviewer_id"]) - set(reviewers["reviewer_id"]))
    if only_conflicted:
        extra = pd.DataFrame({"reviewer_id": only_conflicted, "applications": 0, "marks": 0,
                              "mean_raw": np.nan, "sd_raw": np.nan, "calibrated": False,
                              "conflicts": [int(declared[r]) for r in only_conflicted]})
        reviewers = pd.concat([reviewers, extra], ignore_index=True)
    return ReviewedMarks(marks[MARK_COLUMNS].reset_index(drop=True), conflicts,
                         reviewers.sort_values("reviewer_id", kind="stable").reset_index(drop=True),
                         centre, spread)


def _without_conflicts(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = scores[["application_id", "reviewer_id", "criterion", "score"]].copy()
    frame["application_id"] = frame["application_id"].astype(str)
    frame["reviewer_id"] = frame["reviewer_id"].astype(str)
    frame["criterion"] = frame["criterion"].astype(str)
    frame["score"] = frame["score"].astype(float)
    if "conflict_of_interest" in scores:
        flagged = scores["conflict_of_interest"].astype("boolean").fillna(False).astype(bool).to_numpy()
    else:
        flagged = np.zeros(len(frame), dtype=bool)
    frame["_flagged"] = flagged
    # Without any flag no pair is declared: the grouping of every mark is skipped (same tables).
    source = frame if flagged.any() else frame.iloc[:0]
    pair = source.groupby(["reviewer_id", "application_id"], sort=True)["_flagged"].agg(["sum", "size"])
    declared = pair[pair["sum"] > 0]
    conflicts = pd.DataFrame({
        "reviewer_id": declared.index.get_level_values(0),
        "application_id": declared.index.get_level_values(1),
        "rows_flagged": declared["sum"].astype(int).to_numpy(),
        "rows_left_out": declared["size"].astype(int).to_numpy(),
    })
    if declared.empty:
        return frame.drop(columns="_flagged"), conflicts.reset_index(drop=True)
    keys = pd.MultiIndex.from_frame(frame[["reviewer_id", "application_id"]])
    conflicted = keys.isin(declared.index)
    return frame.loc[~conflicted].drop(columns="_flagged"), conflicts.reset_index(drop=True)


def application_means(reviewed: ReviewedMarks, call: Call) -> pd.DataFrame:
    """Per application (index): one column per criterion (mean counted mark, calibrated where
    calibrated, on the call's scale), `reviewer_mean` (calibrated), `reviewer_mean_raw`,
    `reviewers` (count) and `reviewer_disagreement`.

    Grouped on integer codes (application and criterion, each sorted as its texts sort), not on
    millions of texts: pandas' same group means and deviations over the same marks in the same
    order, so the same figures to the last bit as a pivot table on the texts."""
    ids = [c.id for c in call.criteria]
    marks = reviewed.marks
    if marks.empty:
        return pd.DataFrame(columns=ids + MEAN_COLUMNS, dtype=float)
    app, apps = pd.factorize(marks["application_id"], sort=True)
    criterion, criteria = pd.factorize(marks["criterion"], sort=True)
    reviewer = pd.factorize(marks["reviewer_id"])[0]
    by_pair = marks["calibrated"].groupby(app.astype(np.int64) * len(criteria) + criterion, sort=True)
    pair_mean, pair_sd, pair_n = by_pair.mean(), by_pair.std(ddof=0), by_pair.size().to_numpy()
    pair_app, pair_criterion = np.divmod(pair_mean.index.to_numpy(), len(criteria))
    cells = np.full((len(apps), len(criteria)), np.nan)
    cells[pair_app, pair_criterion] = pair_mean.to_numpy()
    wide = pd.DataFrame(cells, index=pd.Index(apps, name="application_id"), columns=pd.Index(criteria, name="criterion"))
    # As a pivot table leaves out the applications and criteria whose every mean is missing.
    wide = wide.loc[~np.isnan(cells).all(axis=1), ~np.isnan(cells).all(axis=0)].reindex(columns=ids)
    wide["reviewer_mean"] = pd.Series(marks["calibrated"].groupby(app).mean().to_numpy(), index=apps)
    wide["reviewer_mean_raw"] = pd.Series(marks["score"].groupby(app).mean().to_numpy(), index=apps)
    wide["reviewers"] = pd.Series(distinct_per_group(app, reviewer, len(apps)), index=apps)
    disagreed = pair_n >= 2  # the mean deviation over criteria, in the criteria's sorted order
    disagreement = pd.Series(pair_sd.to_numpy()[disagreed]).groupby(pair_app[disagreed], sort=True).mean()
    wide["reviewer_disagreement"] = pd.Series(disagreement.to_numpy(), index=apps[disagreement.index.to_numpy()])
    return wide


def distinct_per_group(group: np.ndarray, other: np.ndarray, groups: int) -> np.ndarray:
    """For each group code 0..groups-1, how many distinct `other` codes (0 and up) its rows have:
    each distinct (group, other) pair found as one integer (hashed), not a sort of millions of pairs."""
    width = int(other.max(initial=0)) + 1
    pairs = pd.unique(group.astype(np.int64) * width + other.astype(np.int64))
    return np.bincount(pairs // width, minlength=groups)

