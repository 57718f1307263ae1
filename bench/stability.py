"""How much the stability analysis costs, against the naive way and against a whole run.

    PYTHONPATH=src .venv/bin/python bench/stability.py [--samples 10000]

Prints, on the example call: one whole run (pipeline.run, imports excluded), the stability
analysis alone (vectorised: all samples at once), and the naive alternative it replaces, one
scikit-criteria evaluation plus one `allocation.allocate` per sample (`naive.py`), measured on 50
samples and scaled up (`run.py` reports the same comparison per size as `sensitivity_speedup`).
Times are wall-clock medians of a few repeats; the machine's load shows in them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from naive import one_sample  # noqa: E402

from dtc_select import pipeline  # noqa: E402
from dtc_select.checks import stability  # noqa: E402
from dtc_select.seats import vectorised as selection  # noqa: E402
from dtc_select.call.model import load_call  # noqa: E402
from dtc_select.ranking.scoring import criterion_column  # noqa: E402

EXAMPLES = ROOT / "data" / "examples"


def median_seconds(action, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    call = load_call(ROOT / "criteria" / "dtc-phase1-2019.yaml")
    call = call.model_copy(update={"stability": call.stability.model_copy(update={"samples": args.samples})})
    state = pipeline.run_stages(pipeline.RunState(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv"),
                                through="allocation")
    checked, ranked, allocated = state.checked, state.ranked, state.allocated
    eligible = checked.loc[ranked.index]
    contest = selection.contest_from(eligible, ranked, allocated.seats, call)
    values = ranked[[criterion_column(c.id) for c in call.criteria]].to_numpy(dtype=float)
    selected = allocated.decisions["status"].eq("selected").to_numpy()
    rank = ranked["rank"].to_numpy()

    whole = median_seconds(lambda: pipeline.run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv"))
    vectorised = median_seconds(lambda: stability.assess_stability(
        contest, values, ranked["score"].to_numpy(), rank, selected, call))

    samples = stability.weight_samples(call)[:50]

    def naive() -> None:
        for weights in samples:
            one_sample(call, eligible, ranked, allocated.seats, weights)

    per_sample = median_seconds(naive, repeats=1) / len(samples)
    print(f"applicants ranked: {len(ranked)}, criteria: {values.shape[1]}, samples: {args.samples:,}")
    print(f"whole run (pipeline.run):           {whole:8.2f} s")
    print(f"stability, vectorised:              {vectorised:8.2f} s  ({vectorised / whole:.0%} of a run)")
    print(f"naive, one evaluation per sample:   {per_sample * args.samples:8.2f} s  (estimated from 50 samples)")


if __name__ == "__main__":
    main()
