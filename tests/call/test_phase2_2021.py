"""The real 2021 call (phase 2) runs from its call file on its example files, with no code of its own."""

from __future__ import annotations

import pandas as pd
import pytest

from dtc_select.call.model import load_call
from dtc_select.cli import main
from tests.conftest import ROOT

CALL = ROOT / "criteria" / "dtc-phase2-2021.yaml"
EXAMPLE = ROOT / "data" / "examples" / "phase2-2021"
DECOYS = {  # country of the decoy -> the one 2021 minimum qualification it fails
    "FRA": "host_country", "ZWE": "government_support_letter", "BFA": "validation_letter",
    "MLI": "training_levels", "NER": "local_centres", "BEN": "classroom_seats", "TCD": "connectivity",
    "SLE": "backup_power", "MOZ": "deadline",
}
CONTINUING = ("CIV", "DOM", "GHA", "IDN", "PNG", "PHL", "RWA", "ZMB")


@pytest.fixture(scope="module")
def phase2():
    return load_call(CALL)


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("phase2") / "run"
    assert main(["run", "--call", str(CALL), "--applications", str(EXAMPLE / "applications.csv"),
                 "--scores", str(EXAMPLE / "scores.csv"), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def decisions(run_folder):
    return pd.read_csv(run_folder / "decisions.csv", dtype={"application_id": str})


def test_the_call_is_the_2021_call_the_spec_describes(phase2):
    assert phase2.deadline.value.isoformat() == "2021-08-31T23:59:59+00:00"
    assert phase2.allocation.seats == 5 and phase2.allocation.max_per_country == 1
    assert sorted(c.country for c in phase2.previous_centres) == sorted(CONTINUING)
    assert [c.id for c in phase2.criteria] == ["government_support", "infrastructure", "resources"]
    assert all(c.label and c.label_fr for c in phase2.criteria)
    kinds = {f.id: (f.kind, f.required) for f in phase2.form.fields}
    assert {k: kinds[k] for k in ("national_mandate", "government_support_letter", "validation_letter",
                                  "local_centres", "classroom_seats", "backup_power", "marginalised_reach")} == {
        "national_mandate": ("boolean", True), "government_support_letter": ("boolean", True),
        "validation_letter": ("boolean", True), "local_centres": ("integer", True),
        "classroom_seats": ("integer", True), "backup_power": ("boolean", True),
        "marginalised_reach": ("boolean", False)}
    assert "non_profit" not in kinds and "training_labs" not in kinds  # phase-1 questions it did not ask


def test_the_committees_own_choices_say_so(phase2):
    choices = [phase2.scoring.reference, phase2.allocation.need.reference, phase2.allocation.reference,
               phase2.presence_priority.reference, phase2.stability.reference]
    choices += [c.reference for c in phase2.criteria]
    assert all("committee's choice" in text.casefold() for text in choices), choices


def test_every_decoy_is_ineligible_for_exactly_the_rule_it_fails(decisions):
    rules = [c for c in decisions.columns if c.startswith("rule_")]
    for iso3, rule in DECOYS.items():
        [row] = decisions[decisions["country_iso3"].eq(iso3)].to_dict("records")
        assert row["status"] == "ineligible", iso3
        assert [r for r in rules if row[r] != "pass"] == [f"rule_{rule}"], iso3
        fails_as = next(r.fails_as for r in load_call(CALL).rules if r.id == rule)
        assert row["reasons"].startswith(f"ineligible: {fails_as}: "), row["reasons"]


def test_an_applicant_from_a_country_with_a_continuing_centre_is_never_selected_and_told_why(decisions):
    continuing = decisions[decisions["country_iso3"].isin(CONTINUING)]
    assert len(continuing) == 3 and continuing["status"].eq("not_selected").all()
    assert continuing["rank"].min() <= 7  # strong on paper: the cap, not the score, keeps them out
    for iso3, reasons in zip(continuing["country_iso3"], continuing["reasons"]):
        assert f"already has a centre from an earlier phase (DTC-P1-{iso3})" in reasons


def test_five_new_centres_in_five_countries_and_the_mandate_is_no_gate(decisions):
    selected = decisions[decisions["status"].eq("selected")]
    assert len(selected) == 5 and selected["country_iso3"].is_unique
    assert not set(selected["country_iso3"]) & set(CONTINUING)
    mongolia = decisions[decisions["country_iso3"].eq("MNG")].iloc[0]
    assert mongolia["status"] != "ineligible"


def test_french_answers_read_back_and_only_the_unreadable_row_is_quarantined(run_folder, decisions):
    quarantine = pd.read_csv(run_folder / "quarantine.csv")
    assert quarantine["problems"].tolist() == ["classroom_seats 'trente' is not a whole number"]
    assert len(decisions) + len(quarantine) == len(pd.read_csv(EXAMPLE / "applications.csv"))


def test_the_report_sets_the_real_phase_2_beside_the_calls_own_seat_shares(run_folder):
    report = (run_folder / "report.html").read_text(encoding="utf-8")
    assert "Phase 2 selected (5)" in report


def test_the_example_files_are_what_the_generator_writes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_2021", EXAMPLE / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.HERE = tmp_path
    module.main()
    for name in ("applications.csv", "scores.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_a_score_file_naming_another_calls_criteria_gives_score_problems_not_a_crash(phase2):
    from dtc_select.pipeline import run

    scores = ROOT / "data" / "examples" / "scores.csv"  # phase 1's: training_levels, reputation, ...
    outcome = run(phase2, EXAMPLE / "applications.csv", scores)
    problems = outcome.score_problems["problems"]
    assert len(problems) == len(pd.read_csv(scores))
    assert problems.str.contains("is not a criterion of the call \\(its criteria: government_support, "
                                 "infrastructure, resources\\)|is not in the applications file").all()
    assert outcome.counts["selected"] == 5
