"""The checks a committee needs to defend its ranking, gathered after the selection.

- the reviewers: conflicts left out, who was calibrated (`reviewers.py`);
- the method: how far the other ranking methods agree (`agreement.py`);
- the weights: how often each applicant is selected when they vary (`stability.py`), and how
  far each is from the cutoff.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dtc_select.seats import vectorised as selection
from dtc_select.checks.agreement import MethodAgreement, compare_methods
from dtc_select.call.model import Call
from dtc_select.limits import DEFAULT_LIMITS, Limits
from dtc_select.reasons.model import Reason, reason
from dtc_select.ranking.reviewers import ReviewedMarks, review_marks
from dtc_select.ranking.scoring import criterion_column
from dtc_select.checks.stability import StabilityResult, assess_stability

PER_APPLICANT = ["selection_probability", "margin_to_cutoff", "stability_reasons"]


@dataclass(frozen=True)
class RankingChecks:
    """`per_applicant` is indexed like the ranked frame (the eligible applicants)."""

    reviewed: ReviewedMarks
    stability: StabilityResult
    agreement: tuple[MethodAgreement, ...]
    per_applicant: pd.DataFrame


def check_ranking(eligible: pd.DataFrame, ranked: pd.DataFrame, seats: pd.DataFrame, status: pd.Series,
                  scores: pd.DataFrame | None, call: Call, *, reviewed: ReviewedMarks | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> RankingChecks:
    """`eligible`, `ranked` and `status` (the allocation's) share one index; `seats` is the
    allocation's seats table (a `seats` column per region); `reviewed`: `review_marks(scores,
    call)` when the caller already has it."""
    reviewed = reviewed if reviewed is not None else review_marks(scores, call)
    contest = selection.contest_from(eligible, ranked, seats, call)
    values = ranked[[criterion_column(c.id) for c in call.criteria]].to_numpy(dtype=float)
    rank = ranked["rank"].to_numpy(dtype=int)
    selected = status.reindex(ranked.index).eq("selected").to_numpy()
    result = assess_stability(contest, values, ranked["score"].to_numpy(dtype=float), rank, selected, call, limits)
    agreement = compare_methods(contest, values, rank, selected, call) if len(ranked) else ()
    per_applicant = result.per_applicant.copy()
    per_applicant["stability_reasons"] = [  # statuses as Python objects: a pandas string column read item by item is slow
        _stability_reasons(s, p, call) for s, p in zip(status.reindex(ranked.index).to_numpy(dtype=object),
                                                       per_applicant["selection_probability"])]
    return RankingChecks(reviewed, result, agreement, per_applicant[PER_APPLICANT])


def _stability_reasons(status: str, probability: float, call: Call) -> list[Reason]:
    """How often the applicant was chosen under plausible weightings; `check.fragile` for a
    selected centre chosen less often than the call's threshold."""
    if status not in ("selected", "reserve") or np.isnan(probability):
        return []
    rules = call.stability
    if status == "selected" and probability < rules.fragile_below:
        return [reason("check.fragile", share=probability, samples=rules.samples, threshold=rules.fragile_below)]
    return [reason("check.stability", share=probability, samples=rules.samples)]
