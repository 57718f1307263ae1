"""Properties of whole runs over generated populations: nothing lost, caps kept, order irrelevant."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtc_select.runs.safe_cells import csv_bytes
from dtc_select.pipeline import run
from tests.conftest import make_applications

COUNTRIES = ["Senegal", "Kenya", "KE", "Népal", "Haïti", "Bolivia", "Egypt", "Yemen", "Armenia", "France",
             "Türkiye", "Viet Nam", "Fiji", "Atlantis", ""]
CELLS = {
    "organisation_type": ["ngo", "university", "for_profit", "public_institution", "company"],
    "non_profit": ["yes", "no", "oui", "0", "maybe", ""],
    "offers_intermediate_training": ["yes", "no", ""],
    "training_labs": ["0", "1", "3", "two", "-1"],
    "workstations": ["0", "10", "80", ""],
    "distance_learning": ["delivering", "willing", "no", "maybe"],
    "government_endorsement": ["yes", "no", ""],
    "committed_budget_usd": ["0", "2500,5", "100000", ""],
    "submitted_at": ["2019-11-01", "2019-11-30", "2019-12-02", "03/04/2019", "2019-10-15T10:00:00Z"],
}

population = st.integers(1, 40).flatmap(
    lambda n: st.fixed_dictionaries(
        {"country": st.lists(st.sampled_from(COUNTRIES), min_size=n, max_size=n),
         **{k: st.lists(st.sampled_from(v), min_size=n, max_size=n) for k, v in CELLS.items()},
         "duplicate": st.booleans(), "seed": st.integers(0, 2**16)}
    )
)


def write(frame: pd.DataFrame, folder, name: str):
    path = folder / name
    frame.to_csv(path, index=False)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(population)
def test_generated_calls_lose_nothing_keep_the_caps_and_ignore_row_order(call, tmp_path_factory, spec):
    folder = tmp_path_factory.mktemp("gen")
    n = len(spec["country"])
    frame = make_applications(n, **{k: v for k, v in spec.items() if k not in {"duplicate", "seed"}})
    if spec["duplicate"]:
        frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    outcome = run(call, write(frame, folder, "a.csv"))
    decisions = outcome.decisions

    assert len(decisions) + len(outcome.quarantine) == len(frame)
    selected = decisions[decisions["status"] == "selected"]
    assert len(selected) <= call.allocation.seats
    assert not selected["country_iso3"].duplicated().any()
    assert (selected.filter(like="rule_") == "pass").all().all()
    eligible_countries = decisions.loc[decisions["status"] != "ineligible", "country_iso3"].nunique()
    assert len(selected) == min(call.allocation.seats, eligible_countries)

    # Shuffle the unique rows (a duplicate stays after its first occurrence).
    unique = frame.drop_duplicates("application_id").sample(frac=1, random_state=spec["seed"])
    shuffled = pd.concat([unique, frame[frame["application_id"].duplicated()]])
    again = run(call, write(shuffled, folder, "b.csv"))
    columns = [c for c in decisions.columns if c != "source_row"]
    assert csv_bytes(again.decisions[columns]) == csv_bytes(decisions[columns])
    assert sorted(again.quarantine["application_id"].fillna("")) == sorted(outcome.quarantine["application_id"].fillna(""))
