"""Would another ranking method have chosen differently?

The call names one method (`scoring.method`); the committee may be asked "why that one?". Every
other method of `vocabulary.RANKING_METHODS` ranks the same decision matrix with the same weights,
presence bonus and tie-break, and selects under the same caps. For each we give two rank
correlations with the call's ranking over the eligible applicants (scipy):
- Kendall's tau-b: the share of pairs of applicants both rankings put in the same order, minus
  the share they put in opposite orders (1 = the same ranking, 0 = unrelated, -1 = reversed);
- Spearman's rho: the correlation of the two lists of ranks;
and who would be selected or left out under it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dtc_select.ranking import methods
from dtc_select.seats import vectorised as selection
from dtc_select.call.model import Call
from dtc_select.ranking.scoring import call_weights
from dtc_select.call.vocabulary import RANKING_METHODS


@dataclass(frozen=True)
class MethodAgreement:
    """One alternative method: its rank correlations with the call's ranking, and per applicant
    (indexed by application_id) `rank` and `selected` under it beside `call_rank` and
    `call_selected` under the call's method."""

    method: str
    kendall_tau: float
    spearman_rho: float
    per_applicant: pd.DataFrame

    @property
    def changed_status(self) -> pd.DataFrame:
        """Applicants selected under one method and not under the other."""
        frame = self.per_applicant
        return frame[frame["selected"] != frame["call_selected"]]

    @property
    def changed_rank(self) -> pd.DataFrame:
        frame = self.per_applicant
        return frame[frame["rank"] != frame["call_rank"]]


def compare_methods(contest: selection.Contest, values: np.ndarray, rank: np.ndarray, selected: np.ndarray,
                    call: Call) -> tuple[MethodAgreement, ...]:
    """Each method other than the call's against the call's ranking (`rank`, 1 = best) and
    selection (`selected`); `values` is the decision matrix (N, C)."""
    weights = call_weights(call)
    compared = []
    for method in RANKING_METHODS:
        if method == call.scoring.method:
            continue
        merit = methods.merit_scores(values, weights, method)[None, :]
        chosen, order, _ = selection.select_for_merit(contest, merit)
        other = np.empty(contest.size, dtype=int)
        other[order[0]] = np.arange(1, contest.size + 1)
        tau, rho = _correlations(rank, other)
        frame = pd.DataFrame({"rank": other, "selected": chosen[0], "call_rank": rank, "call_selected": selected},
                             index=pd.Index(contest.ids, name="application_id"))
        compared.append(MethodAgreement(method, tau, rho, frame))
    return tuple(compared)


def _correlations(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    if len(a) < 2:
        return float("nan"), float("nan")
    from scipy import stats  # here, not at the top: importing the pipeline must not cost scipy.stats (0.5 s)

    return float(stats.kendalltau(a, b).statistic), float(stats.spearmanr(a, b).statistic)
