"""The call file: the shipped phase-1 call as the Annex writes it, and mistakes caught at load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dtc_select.call.model import load_call
from dtc_select.errors import CallFileError
from tests.conftest import PHASE1

REVIEWER_CRITERIA = ("training_levels", "infrastructure", "reputation", "research_capacity", "distance_learning",
                     "mission_alignment", "innovation", "commitment_scale")


def test_the_phase1_call_encodes_the_annex_numbers(call):
    assert call.id == "dtc-phase1-2019"
    assert call.deadline.value == dt.datetime(2019, 11, 30, 23, 59, 59, tzinfo=dt.timezone.utc)
    assert call.allocation.seats == 10
    assert call.allocation.max_per_country == 1
    assert {r.id for r in call.rules} == {
        "non_profit", "host_country", "training_levels", "infrastructure", "distance_learning", "deadline",
    }


def test_the_phase1_call_scores_the_eight_contract_criteria(call):
    assert tuple(c.id for c in call.criteria) == REVIEWER_CRITERIA
    assert all(c.reviewer_scored and c.measures for c in call.criteria)


def test_every_rule_and_criterion_names_its_annex_reference(call):
    for item in (*call.rules, *call.criteria, call.scoring, call.allocation, call.presence_priority, call.deadline):
        assert item.reference.startswith("Annex"), item
        assert item.description


def test_the_call_file_hash_is_recorded(call):
    import hashlib

    assert call.sha256 == hashlib.sha256(PHASE1.read_bytes()).hexdigest()


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = PHASE1.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, key, words",
    [
        ("  seats: 10\n", "  seats: ten\n", "allocation.seats", "integer"),
        ("  seats: 10\n", "  seats: 10\n  seats: 11\n", "line", "duplicate key 'seats'"),
        ("      weight: 1\n", "      wieght: 1\n", "scoring.criteria[0].wieght", "unknown key (misspelt, or not part of the call-file model); did you mean 'weight'?"),
        ("      weight: 1\n", "      weight: -1\n", "scoring.criteria[0].weight", "greater than 0"),
        ("{field: training_labs, op: at_least, value: 1}", "{field: training_labs, op: at_leest, value: 1}",
         "eligibility[3].condition", "unknown op 'at_leest'"),
        ("{field: training_labs, op: at_least, value: 1}", "{field: labs, op: at_least, value: 1}",
         "eligibility[3].condition", "unknown field 'labs'"),
        ("{field: training_labs, op: at_least, value: 1}", "{field: training_labs, op: at_least, value: one}",
         "eligibility[3].condition", "compared with a number"),
        ("value: [delivering, willing]", "value: [delivering, maybe]", "eligibility[4].condition", "'maybe'"),
        ("  - id: host_country\n", "  - id: non_profit\n", "eligibility", "duplicate rule id 'non_profit'"),
        ("  seat_method: sainte_lague\n", "  seat_method: coin_toss\n", "allocation.seat_method", "sainte_lague"),
        ("  method: weighted_sum\n", "  method: magic\n", "scoring.method", "unknown method 'magic'"),
        ("  value: 2019-11-30T23:59:59Z\n", "  value: 2019-11-30T23:59:59\n", "deadline.value", "time zone"),
        ("    - {key: application_id, order: ascending}   # last: unique, so no tie is left\n", "",
         "scoring.tie_break", "must end with application_id"),
        ("value_from: deadline", "value_from: closing", "", "not a call value"),
        ("{column: trainers, transform: saturate, at: 30}", "{column: trainers, transform: boolean}",
         "scoring.criteria[0].measures[1]", "needs a boolean column"),
        ("    method: standardise\n", "    method: zscore\n", "scoring.calibration.method", "'standardise'"),
        ("    minimum_applications: 10\n", "    minimum_applications: 1\n", "scoring.calibration.minimum_applications",
         "greater than or equal to 2"),
        ("    flag_above: 1.0\n", "    flag_above: -1\n", "scoring.disagreement.flag_above", "greater than 0"),
        ("  missing_reviewer_scores: application_only\n", "  missing_reviewer_scores: zero\n",
         "scoring.missing_reviewer_scores", "'exclude_criterion'"),
        ("  samples: 10000\n", "  samples: 0\n", "stability.samples", "greater than or equal to 1"),
        ("  concentration: 50\n", "  concentration: 0\n", "stability.concentration", "greater than 0"),
        ("  fragile_below: 0.8\n", "  fragile_below: 1.5\n", "stability.fragile_below", "less than or equal to 1"),
        ("  seed: 2019\n", "  sede: 2019\n", "stability.sede", "did you mean 'seed'?"),
        ("      measures:\n        - {column: government_endorsement, transform: boolean}\n",
         "      measures: []\n", "scoring", "criterion 'reputation' has no application measures"),
        ("      weight: 1\n      measures:\n        - {column: research_capacity",
         "      weight: 1\n      reviewer_scored: false\n      missing_reviewer_scores: lowest_mark\n"
         "      measures:\n        - {column: research_capacity",
         "scoring.criteria[3]", "applies only to a criterion reviewers score"),
    ],
)
def test_a_mistake_in_a_call_file_names_the_file_and_the_key(tmp_path, old, new, key, words):
    path = broken(tmp_path, old, new)
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}"), message
    assert words in message
    assert "\n" not in message


def test_a_missing_call_file_is_a_call_file_error(tmp_path):
    with pytest.raises(CallFileError, match="cannot read the call file"):
        load_call(tmp_path / "nope.yaml")


def test_a_call_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(CallFileError, match="a call file is a YAML mapping"):
        load_call(path)


def test_a_required_section_missing_is_named(tmp_path):
    text = PHASE1.read_text(encoding="utf-8")
    path = tmp_path / "no-deadline.yaml"
    start = text.index("deadline:\n")
    end = text.index("country_status:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(CallFileError, match=r"deadline: required key is missing"):
        load_call(path)
