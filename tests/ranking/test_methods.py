"""Ranking methods: a published worked example for each method, and the vectorised arithmetic pinned to scikit-criteria."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from dtc_select.ranking import methods
from dtc_select.ranking.scoring import ranking_order, score_applications
from tests.factories import parsed


def test_the_weighted_sum_reproduces_the_published_worked_example():
    """The weighted-sum example of Triantaphyllou, E. (2000), *Multi-Criteria Decision Making
    Methods: A Comparative Study*, Kluwer, ch. 2, as given in the Wikipedia article "Weighted sum
    model" (section "Example"): four criteria weighted 0.20, 0.15, 0.40 and 0.25, three alternatives

        A1: 25 20 15 30  -> 21.50
        A2: 10 30 20 30  -> 22.00
        A3: 30 10 30 10  -> 22.00

    so A2 and A3 tie for best and A1 comes last. (Older copies of the article print 20.00 for A3,
    an arithmetic slip: 30 x 0.20 + 10 x 0.15 + 30 x 0.40 + 10 x 0.25 = 22.00.)"""
    matrix = np.array([[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]], dtype=float)
    weights = np.array([0.20, 0.15, 0.40, 0.25])
    published = [21.50, 22.00, 22.00]
    assert methods.merit_scores(matrix, weights, "weighted_sum") == pytest.approx(published, abs=1e-12)
    assert methods.merit_scores_for_weights(matrix, weights[None, :], "weighted_sum")[0] == \
        pytest.approx(published, abs=1e-12)



def test_topsis_reproduces_the_published_worked_example():
    """The TOPSIS example published with the R package MCDM (CRAN, function `TOPSIS`/`topsis`) and
    the Julia package JMcDM (documentation and test suite): three alternatives, four criteria all to
    maximise, weights 4, 2, 6, 8 (that is 0.2, 0.1, 0.3, 0.4), vector normalisation, closeness
    coefficient published to seven decimals

        A1: 9 7 6 7  -> 0.3876870
        A2: 8 7 9 6  -> 0.6503238   (best)
        A3: 7 8 6 6  -> 0.0834767"""
    matrix = np.array([[9, 7, 6, 7], [8, 7, 9, 6], [7, 8, 6, 6]], dtype=float)
    weights = np.array([4, 2, 6, 8], dtype=float) / 20
    published = [0.3876870, 0.6503238, 0.0834767]
    assert methods.merit_scores(matrix, weights, "topsis") == pytest.approx(published, abs=5e-8)
    assert methods.merit_scores_for_weights(matrix, weights[None, :], "topsis")[0] == \
        pytest.approx(published, abs=5e-8)


def test_vikor_reproduces_the_published_worked_example():
    """The VIKOR example of Celikbilek, Y. (2018), *Cok Kriterli Karar Verme Yontemleri*, Nobel,
    as published with the Julia package JMcDM and the R package MCDM: four alternatives, eight
    criteria all to maximise, weights 0.110, 0.035, 0.379, 0.384, 0.002, 0.002, 0.010, 0.077,
    v = 0.5, Q checked there as 0.74, 0.73, 1.00 and 0.00 within 0.01 (A4 best). Our merit score is
    1 - Q, so higher is better; Q does not change when the weights (summing to 0.999) are scaled to 1."""
    matrix = np.array([[100, 92, 10, 2, 80, 70, 95, 80], [80, 70, 8, 4, 100, 80, 80, 90],
                       [90, 85, 5, 0, 75, 95, 70, 70], [70, 88, 20, 18, 60, 90, 95, 85]], dtype=float)
    weights = np.array([0.110, 0.035, 0.379, 0.384, 0.002, 0.002, 0.010, 0.077])
    weights = weights / weights.sum()
    published_q = np.array([0.74, 0.73, 1.00, 0.00])
    assert 1 - methods.merit_scores(matrix, weights, "vikor") == pytest.approx(published_q, abs=0.01)
    assert 1 - methods.merit_scores_for_weights(matrix, weights[None, :], "vikor")[0] == \
        pytest.approx(published_q, abs=0.01)
    assert np.argmax(methods.merit_scores(matrix, weights, "vikor")) == 3

def test_the_published_tie_is_broken_by_the_declared_chain_never_by_scikit_criteria(call):
    # The worked example's tie between A2 and A3, as it reaches our ranking: same score, so the
    # call's chain decides (least developed host first, then earlier submission, then the id).
    apps = parsed(3, host_is_ldc=[True, False, True], submitted_at=["2019-11-01", "2019-11-01", "2019-11-02"])
    scored = pd.DataFrame({"score": [21.5, 22.0, 22.0]}, index=apps.index)
    assert list(ranking_order(apps, scored, call)) == [2, 1, 0]


matrices = hnp.arrays(float, st.tuples(st.integers(2, 9), st.integers(1, 5)),
                      elements=st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.6, 0.75, 0.9, 1.0]))


@settings(max_examples=60, deadline=None)
@given(values=matrices, raw_weights=st.lists(st.floats(0.05, 1.0), min_size=5, max_size=5),
       method=st.sampled_from(methods.RANKING_METHODS), exclude=st.booleans(), data=st.data())
def test_the_vectorised_methods_give_scikit_criteria_s_scores(values, raw_weights, method, exclude, data):
    weights = np.array(raw_weights[: values.shape[1]])
    weights = weights / weights.sum()
    if exclude:  # some cells left out by the exclude_criterion policy
        holes = data.draw(hnp.arrays(bool, values.shape))
        values = np.where(holes, np.nan, values)
    expected = methods.merit_scores(values, weights, method)
    assert methods.merit_scores_for_weights(values, weights[None, :], method)[0] == pytest.approx(expected, abs=1e-12)


def test_many_weight_vectors_are_scored_as_one_at_a_time():
    rng = np.random.default_rng(7)
    values = rng.random((12, 4))
    weights = rng.dirichlet(np.ones(4), size=5)
    for method in methods.RANKING_METHODS:
        together = methods.merit_scores_for_weights(values, weights, method)
        one_by_one = np.array([methods.merit_scores(values, w, method) for w in weights])
        assert together == pytest.approx(one_by_one, abs=1e-12)


def test_an_excluded_criterion_shares_its_weight_among_the_others_in_the_weighted_sum():
    values = np.array([[0.8, np.nan, 0.2], [0.5, 0.5, 0.5]])
    weights = np.array([0.5, 0.3, 0.2])
    merit = methods.merit_scores(values, weights, "weighted_sum")
    assert merit[0] == pytest.approx((0.5 * 0.8 + 0.2 * 0.2) / (0.5 + 0.2))
    assert merit[1] == pytest.approx(0.5)


def test_vikor_ranks_an_applicant_better_on_every_criterion_first(call):
    vikor = call.model_copy(update={"scoring": call.scoring.model_copy(update={"method": "vikor"})})
    ranked = score_applications(parsed(3, workstations=[10, 60, 30], trainers=[2, 30, 10]), None, vikor)
    assert list(ranked.sort_values("rank").index) == [1, 2, 0]
    assert ranked["merit_score"].between(0, 1).all()


def test_a_single_applicant_is_scored_by_every_method():
    for method in methods.RANKING_METHODS:
        assert methods.merit_scores(np.array([[0.3, 0.7]]), np.array([0.5, 0.5]), method).shape == (1,)


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown ranking method 'magic'"):
        methods.merit_scores(np.zeros((2, 2)), np.array([0.5, 0.5]), "magic")


RANK_THEN_USE = """
import sys
import numpy as np
from dtc_select.ranking import methods, skcriteria_import

methods.merit_scores(np.array([[0.2, 0.9], [0.7, 0.4]]), np.array([0.5, 0.5]), "topsis")
print(sorted(n for n, m in sys.modules.items() if isinstance(m, skcriteria_import.ImportedOnFirstUse)))
%s
"""


def _after_ranking(code: str) -> list[str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", RANK_THEN_USE % code], capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_ranking_leaves_scikit_criteria_s_plots_graphs_and_scikit_learn_unimported_until_something_reads_them():
    deferred, plot = _after_ranking("""
import seaborn
print(seaborn.color_palette is sys.modules["seaborn"].color_palette, type(sys.modules["seaborn"]) is type(sys))""")
    assert deferred == "['networkx', 'seaborn', 'sklearn', 'sklearn.preprocessing']"
    assert plot == "True True"  # read once: the real module, in sys.modules too


def test_a_module_under_a_deferred_package_is_imported_once_with_its_package_first():
    lines = _after_ranking("""
import seaborn.palettes, seaborn
import sklearn.utils, sklearn
from sklearn.preprocessing import StandardScaler
import sklearn.preprocessing._data as data
import networkx.algorithms.dag as dag, networkx
print(seaborn.palettes.color_palette is seaborn.color_palette, sklearn.utils.Bunch is sys.modules["sklearn.utils"].Bunch,
      StandardScaler is data.StandardScaler, networkx.topological_sort is dag.topological_sort)""")
    assert lines[1] == "True True True True"  # never run twice: the package's names are the module's
