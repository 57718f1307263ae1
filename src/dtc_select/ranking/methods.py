"""The ranking methods a call can name, once through scikit-criteria and once vectorised.

Every method turns the decision matrix (applicants x criteria, values 0..1, all maximised) and the
weights (summing to 1) into a merit score, higher is better:
- `weighted_sum`: sum of weight x value (scikit-criteria WeightedSumModel).
- `topsis`: closeness to the ideal applicant (TOPSIS on vector-scaled columns): distance to the
  worst / (distance to the best + distance to the worst), from 0 to 1. A column where everyone has
  the same value adds the same distance for all and would be divided by zero by vector scaling,
  so it is left out and the other weights are scaled back up to 1; with no varying column all
  applicants get 0.5.
- `vikor`: 1 - Q of VIKOR (v = 0.5, the usual balance between the group's total shortfall and
  the worst single shortfall), from 0 to 1. Q is scikit-criteria's `q_k`; we never use its ranks.

A cell of the matrix may be NaN: the `exclude_criterion` policy for an applicant no reviewer
marked on a criterion. Before any method runs, such a cell takes the applicant's weighted mean of
its other criteria under the weights in use (`fill_excluded`), which for the weighted sum is the
same as sharing the criterion's weight among the others. An applicant with no value at all gets 0.

`merit_scores` is the one the pipeline ranks by (scikit-criteria). `merit_scores_for_weights` is
the same arithmetic in numpy for many weight vectors at once (the stability analysis); tests pin
the two to each other.
"""

from __future__ import annotations

import warnings

import numpy as np

from dtc_select.call.vocabulary import RANKING_METHODS
from dtc_select.ranking.skcriteria_import import skcriteria_parts

VIKOR_V = 0.5
# Samples are evaluated in chunks so that a (samples x applicants x criteria) block stays small.
CELLS_PER_CHUNK = 2_000_000


def fill_excluded(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """NaN cells (excluded criteria) -> the applicant's weighted mean of its other criteria.

    `values` (N, C); `weights` (C,) gives (N, C), or (S, C) gives (S, N, C)."""
    missing = np.isnan(values)
    if not missing.any():
        return values if weights.ndim == 1 else np.broadcast_to(values, (len(weights), *values.shape))
    known = np.where(missing, 0.0, values)
    present = (~missing).astype(float)
    total = known @ weights.T          # (N,) or (N, S)
    weight = present @ weights.T
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(weight > 0, total / np.where(weight > 0, weight, 1.0), 0.0)
    if weights.ndim == 1:
        return np.where(missing, mean[:, None], values)
    return np.where(missing[None, :, :], mean.T[:, :, None], values[None, :, :])


def merit_scores(values: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Merit score per applicant by `method` through scikit-criteria (weights sum to 1)."""
    _check(method)
    n = len(values)
    if n == 0:
        return np.zeros(0)
    matrix = fill_excluded(values, weights)
    skc, simple, topsis, vikor, scalers = skcriteria_parts()  # imported on the first ranking (skcriteria_import.py)

    def dm(columns):
        chosen = weights[columns]
        return skc.mkdm(matrix[:, columns], [max] * int(columns.sum()), weights=chosen / chosen.sum(),
                        alternatives=[str(i) for i in range(n)],
                        criteria=[str(c) for c in np.flatnonzero(columns)])

    every = np.ones(matrix.shape[1], dtype=bool)
    if method == "weighted_sum":
        return np.asarray(simple.WeightedSumModel().evaluate(dm(every)).e_.score, dtype=float).reshape(n)
    if method == "topsis":
        varying = np.ptp(matrix, axis=0) > 0
        if not varying.any():
            return np.full(n, 0.5)
        scaled = scalers.VectorScaler(target="matrix").transform(dm(varying))
        return np.asarray(topsis.TOPSIS().evaluate(scaled).e_.similarity, dtype=float).reshape(n)
    if n == 1:  # VIKOR's acceptable-advantage test divides by n - 1; one applicant is the best.
        return np.ones(1)
    with warnings.catch_warnings():
        # Constant columns are "ignored" (their distance is 0 for all): the warning says just that.
        warnings.simplefilter("ignore")
        result = vikor.VIKOR(v=VIKOR_V).evaluate(dm(every))
    return 1.0 - np.asarray(result.e_.q_k, dtype=float).reshape(n)


def merit_scores_for_weights(values: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Merit scores (S, N) for S weight vectors (S, C) at once: `merit_scores`' arithmetic."""
    _check(method)
    samples, (n, c) = len(weights), values.shape
    out = np.empty((samples, n))
    if n == 0:
        return out
    if method == "weighted_sum" and not np.isnan(values).any():
        # Nothing to fill: one product of the matrix with every weight vector (the same sums,
        # term by term, as the chunked (s, N, C) einsum below, without its broadcast).
        return np.einsum("nc,sc->sn", values, weights)
    chunk = max(1, CELLS_PER_CHUNK // max(1, n * c))
    for start in range(0, samples, chunk):
        w = weights[start:start + chunk]
        x = fill_excluded(values, w)  # (s, N, C), a broadcast view when nothing is excluded
        out[start:start + chunk] = _VECTORISED[method](x, w)
    return out


def _weighted_sum(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.einsum("snc,sc->sn", x, w)


def _topsis(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    varying = np.ptp(x, axis=1) > 0                                  # (s, C)
    w = np.where(varying, w, 0.0)
    total = w.sum(axis=1, keepdims=True)
    w = w / np.where(total > 0, total, 1.0)
    norm = np.sqrt((x ** 2).sum(axis=1, keepdims=True))              # (s, 1, C)
    z = np.where(varying[:, None, :], x / np.where(norm > 0, norm, 1.0), 0.0) * w[:, None, :]
    best = np.sqrt(((z - z.max(axis=1, keepdims=True)) ** 2).sum(axis=2))
    worst = np.sqrt(((z - z.min(axis=1, keepdims=True)) ** 2).sum(axis=2))
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = worst / (best + worst)
    return np.where(varying.any(axis=1)[:, None], closeness, 0.5)


def _vikor(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    if x.shape[1] == 1:
        return np.ones((len(w), 1))
    high, low = x.max(axis=1, keepdims=True), x.min(axis=1, keepdims=True)
    span = high - low
    shortfall = np.where(span > 0, (high - x) / np.where(span > 0, span, 1.0), 0.0) * w[:, None, :]
    group, regret = shortfall.sum(axis=2), shortfall.max(axis=2)    # VIKOR's S and R, (s, N)
    q = VIKOR_V * _to_unit(group) + (1 - VIKOR_V) * _to_unit(regret)
    return 1.0 - q


def _to_unit(values: np.ndarray) -> np.ndarray:
    low, high = values.min(axis=1, keepdims=True), values.max(axis=1, keepdims=True)
    span = high - low
    return np.where(span > 0, (values - low) / np.where(span > 0, span, 1.0), 0.0)


_VECTORISED = {"weighted_sum": _weighted_sum, "topsis": _topsis, "vikor": _vikor}


def _check(method: str) -> None:
    if method not in RANKING_METHODS:
        raise ValueError(f"unknown ranking method {method!r}; known: {', '.join(RANKING_METHODS)}")
