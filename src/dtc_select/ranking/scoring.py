"""Scoring and ranking of the eligible applicants with scikit-criteria.

Each criterion of the call becomes a value between 0 and 1 per applicant:
    value = reviewer_share * reviewers' mean (calibrated, rescaled from the call's scale to 0..1)
          + (1 - reviewer_share) * mean of the application measures for that criterion.
Reviewer marks are prepared in `reviewers.py`: conflicted reviewers' marks for the application
left out, each reviewer calibrated as the call says. Missing data, declared rather than left to
scikit-criteria (where one NaN breaks WSM/TOPSIS):
- a measure the applicant did not state earns 0 for that measure (no credit without evidence);
- a criterion no reviewer marked for that applicant follows the call's `missing_reviewer_scores`
  policy for that criterion: `application_only` (the application measures alone), `lowest_mark`
  (the reviewer part counts as the bottom of the scale) or `exclude_criterion` (left out of that
  applicant's score; the cell stays empty and `methods.fill_excluded` shares its weight).
The decision matrix (applicants x criteria, all maximised, weights summing to 1) goes through the
method the call names (`methods.py`). Ranks are our own: scikit-criteria's ranks are dense (ties
share a rank) and its `untied_rank_` is wrong, so we sort by score and then by the call's declared
tie-break chain, which ends with the unique application_id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dtc_select.ranking import methods
from dtc_select.call.model import Call, Criterion, Measure
from dtc_select.ranking.reviewers import ReviewedMarks, application_means, review_marks
from dtc_select.reasons.model import Reason, reason
from dtc_select.reasons.render import Renderer

# Scores equal to this many decimals are a tie: float noise must not decide a seat.
TIE_DECIMALS = 9


def criterion_column(criterion_id: str) -> str:
    """The decisions column that holds one criterion's 0..1 value."""
    return f"criterion_{criterion_id}"


def reviewer_means(scores: pd.DataFrame | None, call: Call) -> pd.DataFrame:
    """Mean reviewer mark per application (rows) and criterion (columns), on the call's scale,
    calibrated where the call calibrates; also `reviewer_mean`, `reviewer_mean_raw`, `reviewers`
    and `reviewer_disagreement`. A conflicted reviewer's marks for the application are left out."""
    return application_means(review_marks(scores, call), call)


def call_weights(call: Call) -> np.ndarray:
    """The criterion weights, in the call's order, scaled to sum to 1."""
    weights = np.array([c.weight for c in call.criteria], dtype=float)
    return weights / weights.sum()


def application_measure(column: pd.Series, measure: Measure) -> pd.Series:
    """One application column as a 0..1 value; not stated earns 0."""
    if measure.transform == "boolean":
        value = column.astype("boolean").astype("Float64")
    elif measure.transform == "saturate":
        value = (column.astype("Float64") / measure.at).clip(upper=1.0)
    else:
        value = column.map(measure.values).astype("Float64")
    return value.fillna(0.0).astype(float)


def criterion_values(applications: pd.DataFrame, means: pd.DataFrame, call: Call) -> pd.DataFrame:
    """The decision matrix: one 0..1 column per criterion, one row per application (same index).

    A cell is empty (NaN) only where the criterion's policy is `exclude_criterion` and no reviewer
    marked the applicant on it."""
    scale = call.scoring.scale
    share = call.scoring.reviewer_share
    aligned = by_application(means, applications)
    matrix = pd.DataFrame(index=applications.index)
    for criterion in call.criteria:
        from_app = _application_part(applications, criterion)
        if not criterion.reviewer_scored:
            matrix[criterion.id] = from_app.astype(float)
            continue
        raw = aligned[criterion.id].astype(float) if criterion.id in means else \
            pd.Series(np.nan, index=applications.index)
        reviewed = (raw - scale.min) / (scale.max - scale.min)
        policy = call.scoring.missing_policy(criterion)
        if policy == "lowest_mark":
            reviewed = reviewed.fillna(0.0)
        value = reviewed if from_app is None else share * reviewed + (1 - share) * from_app
        if policy == "application_only":
            value = value.where(reviewed.notna(), from_app)
        matrix[criterion.id] = value.astype(float)
    return matrix


def missing_marks(applications: pd.DataFrame, means: pd.DataFrame, call: Call) -> pd.Series:
    """Per application: the reviewer-scored criteria no (unconflicted) reviewer marked, as
    comma-separated ids in the call's order ("" when every criterion was marked)."""
    missing = pd.Series("", index=applications.index, dtype=object)
    aligned = by_application(means, applications)
    for criterion in call.criteria:
        if not criterion.reviewer_scored:
            continue
        marked = aligned[criterion.id].notna() if criterion.id in means \
            else pd.Series(False, index=applications.index)
        unmarked = ~marked.astype(bool)
        missing[unmarked] = missing[unmarked].map(lambda m, c=criterion.id: f"{m}, {c}" if m else c)
    return missing


def by_application(means: pd.DataFrame, applications: pd.DataFrame) -> pd.DataFrame:
    """`means`' rows for each application (its index; missing where none): what mapping each
    column by application id gives, with the ids looked up once for every column."""
    return means.reindex(applications["application_id"].to_numpy()).set_axis(applications.index)


def scoring_reasons(missing: str, disagreement: float, flagged: bool, call: Call) -> list[Reason]:
    """What a decision's reasons say about the reviewers' marks: missing marks and the policy
    applied (`score.no_marks`), and a disagreement worth discussing (`score.disagreement`)."""
    reasons = []
    if missing:
        by_policy: dict[str, list[str]] = {}
        for criterion in call.criteria:
            if criterion.id in missing.split(", "):
                by_policy.setdefault(call.scoring.missing_policy(criterion), []).append(criterion.id)
        reasons += [reason("score.no_marks", criteria=ids, policy=policy) for policy, ids in by_policy.items()]
    if flagged:
        scale = call.scoring.scale
        reasons.append(reason("score.disagreement", value=disagreement, low=scale.min, high=scale.max,
                              above=call.scoring.disagreement.flag_above))
    return reasons


def _application_part(applications: pd.DataFrame, criterion: Criterion) -> pd.Series | None:
    if not criterion.measures:
        return None
    parts = [application_measure(applications[m.column], m) for m in criterion.measures]
    return sum(parts) / len(parts)


def merit_scores(matrix: pd.DataFrame, call: Call) -> pd.Series:
    """The scikit-criteria method named in the call, over the decision matrix."""
    values = matrix.to_numpy(dtype=float)
    return pd.Series(methods.merit_scores(values, call_weights(call), call.scoring.method), index=matrix.index)


def score_applications(eligible: pd.DataFrame, scores: pd.DataFrame | None, call: Call, *,
                       reviewed: ReviewedMarks | None = None) -> pd.DataFrame:
    """Criterion values, merit score, priority bonus, score, rank and tie notes (same index), with
    the reviewers' means (raw and calibrated), their disagreement and the missing marks.

    `eligible` holds the eligible applications with their host facts (`presence`, `host_is_ldc`).
    `reviewed`: `review_marks(scores, call)` when the caller already has it.
    """
    reviewed = reviewed if reviewed is not None else review_marks(scores, call)
    means = application_means(reviewed, call)
    matrix = criterion_values(eligible, means, call)
    result = matrix.rename(columns=criterion_column)
    aligned = by_application(means, eligible)
    for column in ("reviewer_mean", "reviewer_mean_raw", "reviewer_disagreement"):
        result[column] = aligned[column].astype(float)
    result["reviewers"] = aligned["reviewers"].fillna(0).astype(int)
    result["disagreement_flagged"] = result["reviewer_disagreement"].gt(call.scoring.disagreement.flag_above)
    result["missing_reviewer_criteria"] = missing_marks(eligible, means, call)
    # Without any scores file every criterion is unmarked for everyone: the report says it once.
    given = reviewed.given  # once, not once per applicant
    missing = result["missing_reviewer_criteria"] if given else [""] * len(result)
    flagged = result["disagreement_flagged"].to_numpy(dtype=bool)
    shared: dict[tuple, list[Reason]] = {}  # per distinct case: its Reasons built (and worded) once
    result["scoring_reasons"] = [list(shared[case] if case in shared else shared.setdefault(
        case, scoring_reasons(case[0], case[1], case[1] is not None, call)))
        for case in zip(missing, [d if f else None for d, f in zip(result["reviewer_disagreement"], flagged)])]
    result["merit_score"] = merit_scores(matrix, call).round(TIE_DECIMALS)
    return reranked(eligible, result, call)


def reranked(eligible: pd.DataFrame, scored: pd.DataFrame, call: Call) -> pd.DataFrame:
    """`scored` (columns as `score_applications` gives them, merit_score at least) with the
    presence bonus, score, rank and tie notes of `call`: what `score_applications` gives for a
    call that differs only in its presence priority, the reviewers' marks and the method being
    the same (the selection without the priority, `pipeline.explain`), without scoring again."""
    result = scored.copy()
    presence = eligible["presence"].fillna(False).astype(bool)
    bonus = call.presence_priority.bonus if call.presence_priority.method == "bonus" else 0.0
    result["priority_bonus"] = np.where(presence, bonus, 0.0)
    result["score"] = (result["merit_score"] + result["priority_bonus"]).round(TIE_DECIMALS)
    order = ranking_order(eligible, result, call)
    result["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order).reindex(result.index)
    result["tie_reasons"] = _tie_reasons(eligible, result, call)
    english = Renderer("en", call)
    result["tie_break_note"] = english.rows(result["tie_reasons"])
    return result


def ranking_order(eligible: pd.DataFrame, scored: pd.DataFrame, call: Call) -> pd.Index:
    """Index labels best first: score, then the call's tie-break keys in turn."""
    keys = pd.DataFrame({"score": scored["score"]}, index=eligible.index)
    ascending = [False]
    for key, order in tie_break_chain(call):
        source = scored if key in scored else eligible
        column = source[key]
        if column.dtype == "boolean":
            column = column.astype("Int8")
        keys[key] = column
        ascending.append(order == "ascending")
    # Stable sort with missing values last: the order never depends on the input's row order
    # because the chain ends with the unique application_id.
    return keys.sort_values(list(keys.columns), ascending=ascending, kind="stable", na_position="last").index


def tie_break_chain(call: Call) -> list[tuple[str, str]]:
    """(key, order) pairs that order equal scores: the call's chain, preceded by presence of ITU
    or Cisco when the presence priority is applied as a tie-break."""
    chain = [(k.key, k.order) for k in call.scoring.tie_break]
    if call.presence_priority.method == "tie_break":
        chain.insert(0, ("presence", "descending"))
    return chain


def tie_break_in_words(call: Call) -> list[str]:
    """The tie-break chain, one plain English phrase per key, in order (the reasons' catalogue)."""
    english = Renderer("en", call)
    return [english.sentence(f"tie.{key}.{order}") for key, order in tie_break_chain(call)]


def _tie_reasons(eligible: pd.DataFrame, scored: pd.DataFrame, call: Call) -> pd.Series:
    """`score.tied` for each applicant whose score equals another's: who, and the chain that ordered them."""
    notes = pd.Series([[] for _ in range(len(scored))], index=scored.index, dtype=object)
    chain = [list(step) for step in tie_break_chain(call)]
    tied = scored["score"].duplicated(keep=False).to_numpy(dtype=bool)  # only these get a note
    ids = eligible.loc[scored.index[tied], "application_id"]
    written = {}
    for _, group in ids.groupby(scored.loc[tied, "score"], sort=False):
        ordered = sorted(group.tolist())
        for index, own in zip(group.index, group.tolist()):
            written[index] = [reason("score.tied", others=[i for i in ordered if i != own], chain=chain)]
    notes[list(written)] = list(written.values())
    return notes
