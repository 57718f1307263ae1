"""Scoring and ranking of the eligible applicants with scikit-criteria.

Each criterion of the call becomes a value between 0 and 1 per applicant:
    value = reviewer_share * reviewers' mean (rescaled from the call's scale to 0..1)
          + (1 - reviewer_share) * mean of the application measures for that criterion.
Missing data, declared rather than left to scikit-criteria (where one NaN breaks WSM/TOPSIS):
- a measure the applicant did not state earns 0 for that measure (no credit without evidence);
- a criterion no reviewer scored for that applicant uses the application measures alone
  (`missing_reviewer_scores: application_only`); one with neither is 0.
- scores from a reviewer who declared a conflict of interest on the application are not counted.
The decision matrix (applicants x criteria, all maximised, weights summing to 1) goes through the
scikit-criteria method the call names. Ranks are our own: scikit-criteria's ranks are dense (ties
share a rank) and its `untied_rank_` is wrong, so we sort by score and then by the call's declared
tie-break chain, which ends with the unique application_id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dtc_select.call import Call, Criterion, Measure

# Scores equal to this many decimals are a tie: float noise must not decide a seat.
TIE_DECIMALS = 9


def criterion_column(criterion_id: str) -> str:
    """The decisions column that holds one criterion's 0..1 value."""
    return f"criterion_{criterion_id}"


def reviewer_means(scores: pd.DataFrame | None, call: Call) -> pd.DataFrame:
    """Mean reviewer score per application (rows) and criterion (columns), on the call's scale.

    Conflicted scores are left out. Also `reviewer_mean` (all criteria) and `reviewers` (count).
    """
    columns = [c.id for c in call.criteria] + ["reviewer_mean", "reviewers"]
    if scores is None or scores.empty:
        return pd.DataFrame(columns=columns, dtype=float)
    counted = scores
    if "conflict_of_interest" in scores:
        counted = scores[~scores["conflict_of_interest"].fillna(False).astype(bool)]
    wide = counted.pivot_table(index="application_id", columns="criterion", values="score", aggfunc="mean")
    wide = wide.reindex(columns=[c.id for c in call.criteria])
    wide["reviewer_mean"] = counted.groupby("application_id")["score"].mean()
    wide["reviewers"] = counted.groupby("application_id")["reviewer_id"].nunique()
    return wide


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
    """The decision matrix: one 0..1 column per criterion, one row per application (same index)."""
    scale = call.scoring.scale
    share = call.scoring.reviewer_share
    ids = applications["application_id"]
    matrix = pd.DataFrame(index=applications.index)
    for criterion in call.criteria:
        from_app = _application_part(applications, criterion)
        reviewed = pd.Series(np.nan, index=applications.index)
        if criterion.reviewer_scored and criterion.id in means:
            raw = ids.map(means[criterion.id]).astype(float)
            reviewed = (raw - scale.min) / (scale.max - scale.min)
        if from_app is None:
            value = reviewed.fillna(0.0)
        else:
            # application_only: without reviewer scores the application part stands alone.
            value = (share * reviewed + (1 - share) * from_app).where(reviewed.notna(), from_app)
        matrix[criterion.id] = value.astype(float)
    return matrix


def _application_part(applications: pd.DataFrame, criterion: Criterion) -> pd.Series | None:
    if not criterion.measures:
        return None
    parts = [application_measure(applications[m.column], m) for m in criterion.measures]
    return sum(parts) / len(parts)


def merit_scores(matrix: pd.DataFrame, call: Call) -> pd.Series:
    """The scikit-criteria method named in the call, over the decision matrix."""
    if matrix.empty:
        return pd.Series(dtype=float, index=matrix.index)
    import skcriteria as skc  # imported here: 1 s of import the CLI pays only when it ranks

    weights = np.array([c.weight for c in call.criteria], dtype=float)
    weights = weights / weights.sum()
    method = call.scoring.method
    if method == "weighted_sum":
        from skcriteria.agg.simple import WeightedSumModel

        dm = _decision_matrix(skc, matrix, weights)
        return pd.Series(WeightedSumModel().evaluate(dm).e_.score, index=matrix.index)
    # TOPSIS: a column where everyone has the same value adds the same distance to the ideal and
    # anti-ideal for all, so it is left out (vector scaling would divide it by zero).
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.preprocessing.scalers import VectorScaler

    varying = (matrix.max() - matrix.min()).to_numpy() > 0
    if not varying.any():
        return pd.Series(0.5, index=matrix.index)
    dm = _decision_matrix(skc, matrix.loc[:, varying], weights[varying] / weights[varying].sum())
    scaled = VectorScaler(target="matrix").transform(dm)
    return pd.Series(TOPSIS().evaluate(scaled).e_.similarity, index=matrix.index)


def _decision_matrix(skc, matrix: pd.DataFrame, weights: np.ndarray):
    return skc.mkdm(
        matrix.to_numpy(dtype=float),
        [max] * matrix.shape[1],
        weights=weights,
        alternatives=[str(i) for i in range(len(matrix))],
        criteria=list(matrix.columns),
    )


def score_applications(eligible: pd.DataFrame, scores: pd.DataFrame | None, call: Call) -> pd.DataFrame:
    """Criterion values, merit score, priority bonus, score, rank and tie notes (same index).

    `eligible` holds the eligible applications with their host facts (`presence`, `host_is_ldc`).
    """
    means = reviewer_means(scores, call)
    matrix = criterion_values(eligible, means, call)
    result = matrix.rename(columns=criterion_column)
    result["reviewer_mean"] = eligible["application_id"].map(means["reviewer_mean"]).astype(float)
    result["reviewers"] = eligible["application_id"].map(means["reviewers"]).fillna(0).astype(int)
    result["merit_score"] = merit_scores(matrix, call).round(TIE_DECIMALS)
    presence = eligible["presence"].fillna(False).astype(bool)
    bonus = call.presence_priority.bonus if call.presence_priority.method == "bonus" else 0.0
    result["priority_bonus"] = np.where(presence, bonus, 0.0)
    result["score"] = (result["merit_score"] + result["priority_bonus"]).round(TIE_DECIMALS)
    order = ranking_order(eligible, result, call)
    result["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order).reindex(result.index)
    result["tie_break_note"] = _tie_notes(eligible, result, call)
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
    """The tie-break chain, one plain phrase per key, in order."""
    return [_TIE_WORDS[key][order] for key, order in tie_break_chain(call)]


def _tie_notes(eligible: pd.DataFrame, scored: pd.DataFrame, call: Call) -> pd.Series:
    notes = pd.Series("", index=scored.index, dtype=object)
    chain = ", then ".join(tie_break_in_words(call))
    for _, group in scored.groupby("score", sort=False):
        if len(group) < 2:
            continue
        for index in group.index:
            others = eligible.loc[group.index.drop(index), "application_id"].sort_values()
            notes[index] = f"tied on score with {', '.join(others)}; order decided by {chain}"
    return notes


_TIE_WORDS = {
    "presence": {"descending": "presence of ITU or Cisco in the host country first"},
    "merit_score": {"descending": "higher merit score", "ascending": "lower merit score"},
    "reviewer_mean": {"descending": "higher reviewer mean", "ascending": "lower reviewer mean"},
    "host_is_ldc": {
        "descending": "least developed host country first",
        "ascending": "least developed host country last",
    },
    "submitted_at": {"ascending": "earlier submission", "descending": "later submission"},
    "application_id": {"ascending": "application id (A to Z)", "descending": "application id (Z to A)"},
}
