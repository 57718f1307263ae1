"""How firm the selection is when the criterion weights change a little.

The Annex gives no weights; the committee chose them. To show how much the selection owes to that
choice, the whole selection (score, tie-break, seats per region, country cap, minimum score) is run
again for `stability.samples` weight vectors drawn from a Dirichlet distribution centred on the
call's weights w: Dirichlet(concentration x w), so each weight has mean w and standard deviation
sqrt(w (1 - w) / (concentration + 1)). The generator is numpy's default (PCG64) seeded with
`stability.seed`: the same call gives the same samples, so two runs give the same probabilities.

Per applicant: `selection_probability`, the share of samples in which it is selected (ineligible
applicants 0). Each sample selects as many as the seats filled (without a minimum score the number
selected never depends on the ranking), so the probabilities add up to the seats filled.
`margin_to_cutoff` (see `margins.margins_to_cutoff`) is measured on the call's own weights.

Every sample runs the same selection engine as the decision itself (`seats/engine.py`: the
call's weights are sample 0 of the same rules), so there is nothing to compare at run time.
Everything is vectorised (`methods.merit_scores_for_weights`, `selection.selected_for_merit`):
10,000 samples cost a few numpy passes, not 10,000 scikit-criteria evaluations. Applicants that
no sample can select are left out of them (`contenders.py`), and each sample runs the rules on
the few applicants per country that could be selected: the same probabilities, a fraction of the
work (bench/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dtc_select.errors import CallFileError
from dtc_select.limits import DEFAULT_LIMITS, Limits, raise_hint
from dtc_select.ranking import methods
from dtc_select.seats import vectorised as selection
from dtc_select.call.model import Call
from dtc_select.checks.contenders import contenders, restricted
from dtc_select.checks.margins import margins_to_cutoff
from dtc_select.ranking.scoring import call_weights

# Scores held at once: the samples are run a block at a time, (chunk, applicants) scores per
# block, so memory stays the same whatever the number of samples (about 32 MB per array).
CELLS_PER_CHUNK = 4_000_000
# The weight samples are drawn and held whole (the 5th and 95th percentiles read them all):
# samples x criteria numbers, 8 bytes each. 10,000 samples of 8 criteria are 80,000; this bound
# (160 MB) is a million samples of 20 criteria. It never moves: past it the call is mistyped.
MOST_WEIGHT_DRAWS = 20_000_000


@dataclass(frozen=True)
class StabilityResult:
    """`per_applicant` (indexed like the ranked frame): selection_probability, margin_to_cutoff.
    `weights`: per criterion, the call's weight and the 5th and 95th percentiles of the samples.
    `same_selection`: share of samples selecting exactly the call's selection."""

    per_applicant: pd.DataFrame
    weights: pd.DataFrame
    same_selection: float
    samples: int



def check_samples_fit(call: Call, applicants: int | None, limits: Limits = DEFAULT_LIMITS) -> None:
    """CallFileError naming `stability.samples` (exit 2) when the samples would not fit: drawn,
    past MOST_WEIGHT_DRAWS numbers; run on `applicants` (None: not yet known), past
    `limits.stability_cells` scores, which would take hours. Called before the work."""
    samples, criteria = call.stability.samples, len(call.criteria)
    if samples * criteria > MOST_WEIGHT_DRAWS:
        raise CallFileError(call.path, "stability.samples", (
            f"{samples:,} weight samples of {criteria:,} criteria are {samples * criteria:,} numbers to hold, "
            f"more than the {MOST_WEIGHT_DRAWS:,} a run holds (160 MB): lower stability.samples"))
    if applicants is not None and samples * applicants > limits.stability_cells:
        raise CallFileError(call.path, "stability.samples", (
            f"{samples:,} weight samples run on {applicants:,} applicants are {samples * applicants:,} selections "
            f"to score, more than the {limits.stability_cells:,} a run scores (the bound that keeps the stability "
            f"analysis to minutes): lower stability.samples, or "
            f"{raise_hint(limits, 'stability_cells', samples * applicants)}"))


def weight_samples(call: Call) -> np.ndarray:
    """(samples, criteria) weight vectors, each summing to 1, centred on the call's weights."""
    rules = call.stability
    rng = np.random.default_rng(rules.seed)
    return rng.dirichlet(rules.concentration * call_weights(call), size=rules.samples)


def assess_stability(contest: selection.Contest, values: np.ndarray, score: np.ndarray, rank: np.ndarray,
                     base_selected: np.ndarray, call: Call, limits: Limits = DEFAULT_LIMITS) -> StabilityResult:
    """Selection probabilities under perturbed weights and margins under the call's weights.

    `values` (N, C): the decision matrix (NaN where a criterion is excluded); `score`, `rank` (N,):
    the call's own ranking; `base_selected` (N,): who it selects. `limits.stability_cells`: the
    most samples x applicants run (check_samples_fit)."""
    order = np.argsort(rank, kind="stable")
    check_samples_fit(call, None, limits)
    samples = weight_samples(call)
    # Applicants no sample can select are left out of the samples (contenders.py): probability 0.
    keep = contenders(contest, values, samples, call.scoring.method)
    keep = np.arange(contest.size) if keep is None else keep
    run = contest if len(keep) == contest.size else restricted(contest, keep)
    check_samples_fit(call, run.size, limits)  # the applicants the samples run on, known now
    left_out_selected = base_selected.sum() - base_selected[keep].sum()  # then no sample is the same
    counts = np.zeros(run.size, dtype=np.int64)
    same = 0
    # Samples per chunk: a (chunk, N) block of scores; larger chunks share each step's overhead.
    chunk = max(1, CELLS_PER_CHUNK // max(1, run.size))
    # The weighted sum scores each applicant on its own row: scored in the order the selection
    # groups them (by country), the block needs no reordering. Other methods scale by columns.
    rowwise = call.scoring.method == "weighted_sum"
    matrix = values[keep][run.by_country[0]] if rowwise else values[keep]
    for start in range(0, len(samples), chunk):
        block = methods.merit_scores_for_weights(matrix, samples[start:start + chunk], call.scoring.method)
        chosen = selection.selected_for_merit(run, block, by_country=rowwise)
        counts += chosen.sum(axis=0)
        same += int((chosen == base_selected[keep][None, :]).all(axis=1).sum())
    same = 0 if left_out_selected else same
    probability = np.zeros(contest.size)
    probability[keep] = counts / len(samples) if len(samples) else np.nan
    margin = margins_to_cutoff(contest, score, order)
    per_applicant = pd.DataFrame({"selection_probability": probability, "margin_to_cutoff": margin},
                                 index=contest.index)
    low, high = np.percentile(samples, [5, 95], axis=0) if len(samples) else (np.nan, np.nan)
    weights = pd.DataFrame({"criterion": [c.id for c in call.criteria], "weight": call_weights(call),
                            "low": low, "high": high})
    return StabilityResult(per_applicant, weights, same / len(samples), len(samples))

