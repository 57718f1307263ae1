"""The obvious alternative to the vectorised stability analysis: one weight sample at a time.

Each sample goes through scikit-criteria (`methods.merit_scores`), the scoring stage's rank order
(`scoring.ranking_order`) and the selection of `allocation.allocate`, exactly as a run would do
with those weights. It is what `stability.assess_stability` replaces; the benchmarks time it on a
few samples and scale up (timing 10,000 of them would take hours at large sizes).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from dtc_select.seats import allocation
from dtc_select.ranking import methods
from dtc_select.checks import stability
from dtc_select.call.model import Call
from dtc_select.call.caps import presence_minimum, previous_centres
from dtc_select.reference.countries import load_country_table
from dtc_select.ranking.scoring import TIE_DECIMALS, criterion_column, ranking_order


def one_sample(call: Call, eligible: pd.DataFrame, ranked: pd.DataFrame, seats: pd.DataFrame,
               weights: np.ndarray) -> pd.Series:
    """Who is selected (a boolean per ranked applicant) under one weight vector."""
    values = ranked[[criterion_column(c.id) for c in call.criteria]].to_numpy(dtype=float)
    merit = methods.merit_scores(values, weights, call.scoring.method).round(TIE_DECIMALS)
    scored = ranked.assign(merit_score=merit, score=(merit + ranked["priority_bonus"]).round(TIE_DECIMALS))
    order = ranking_order(eligible, scored, call)
    scored["rank"] = pd.Series(np.arange(1, len(order) + 1), index=order).reindex(scored.index)
    rules = call.allocation
    previous = previous_centres(call, load_country_table())
    frame = eligible[["application_id", "country_iso3", "country_name", "region", "presence"]]
    chosen = allocation.allocate(frame.join(scored[["score", "rank"]]), seats,
                                 max_per_country=rules.max_per_country, reserve_per_region=rules.reserve_per_region,
                                 minimum_score=rules.minimum_score, previous=None if previous.empty else previous,
                                 presence_minimum=presence_minimum(call))
    return chosen.decisions["status"].eq("selected")


def seconds_per_sample(call: Call, eligible: pd.DataFrame, ranked: pd.DataFrame, seats: pd.DataFrame,
                       *, budget: float = 5.0, at_least: int = 3, at_most: int = 50) -> tuple[float, int]:
    """Mean seconds of `one_sample` over the call's first samples: at least `at_least`, then more
    until `budget` seconds are spent or `at_most` are done. Returns (seconds, samples timed)."""
    samples = stability.weight_samples(call)[:at_most]
    start = time.perf_counter()
    done = 0
    for weights in samples:
        one_sample(call, eligible, ranked, seats, weights)
        done += 1
        if done >= at_least and time.perf_counter() - start > budget:
            break
    return (time.perf_counter() - start) / max(done, 1), done
