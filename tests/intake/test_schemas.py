"""The pandera models: what each table must look like at its boundary."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from dtc_select.intake.applications import RawTable, take_in
from dtc_select.intake.schemas import (
    DecisionsSchema,
    applications_schema,
    QuarantineSchema,
    ScoresSchema,
    failures_by_row,
)
from tests.conftest import make_applications, phase1_columns, phase1_form



def parsed_applications(n: int = 2) -> pd.DataFrame:
    frame = make_applications(n)
    raw = RawTable("t.csv", frame.astype("string"), {"format": "csv"})
    return take_in(raw, lambda s: s.str.upper().map({"SENEGAL": "SEN"}), phase1_form()).applications


def failures(schema, frame: pd.DataFrame) -> tuple[dict, list]:
    with pytest.raises(pa.errors.SchemaErrors) as error:
        schema.validate(frame, lazy=True)
    return failures_by_row(error.value)


def decisions() -> pd.DataFrame:
    return pd.DataFrame({
        "application_id": ["A-1", "A-2", "A-3"],
        "institution_name": ["One", "Two", "Three"],
        "country_iso3": ["SEN", "KEN", "KEN"],
        "region": ["AFR", "AFR", "AFR"],
        "status": ["selected", "reserve", "ineligible"],
        "score": pd.array([0.9, 0.5, None], dtype="Float64"),
        "rank": pd.array([1, 2, None], dtype="Int64"),
        "reasons": ["1st in Africa", "reserve", "ineligible: not non-profit"],
        "extra": [1, 2, 3],
    })


def test_the_applications_schema_names_exactly_the_forms_fields_then_the_country_code():
    columns = list(applications_schema(phase1_form()).columns)
    assert columns == ["source_row", *phase1_columns(), "country_iso3"]


def test_parsed_applications_pass_their_schema():
    applications_schema(phase1_form()).validate(parsed_applications(), lazy=True)


def test_a_negative_count_that_slipped_through_is_reported_per_row():
    frame = parsed_applications(3)
    frame.loc[1, "workstations"] = -3
    frame.loc[2, "organisation_type"] = "charity"
    by_row, whole = failures(applications_schema(phase1_form()), frame)
    assert whole == []
    assert by_row[1] == ["workstations '-3' fails the check: greater_than_or_equal_to(0)"]
    assert by_row[2][0].startswith("organisation_type 'charity' fails the check: isin")


def test_a_date_column_that_is_not_utc_is_a_whole_column_failure():
    frame = parsed_applications()
    frame["submitted_at"] = frame["submitted_at"].dt.tz_localize(None)
    by_row, whole = failures(applications_schema(phase1_form()), frame)
    assert by_row == {} and any("submitted_at" in w for w in whole)


def test_any_utc_unit_is_accepted_for_dates():
    frame = parsed_applications()
    frame["submitted_at"] = frame["submitted_at"].dt.as_unit("s")
    applications_schema(phase1_form()).validate(frame)


def test_the_scores_schema_accepts_taken_in_scores_and_rejects_infinite_ones():
    frame = pd.DataFrame({
        "application_id": pd.array(["A-1", "A-2"], dtype="string"),
        "reviewer_id": pd.array(["R1", "R1"], dtype="string"),
        "criterion": pd.array(["reputation", "reputation"], dtype="string"),
        "score": [4.0, float("inf")],
        "comment": pd.array([None, "ok"], dtype="string"),
        "conflict_of_interest": pd.array([None, False], dtype="boolean"),
        "source_row": [1, 2],
    })
    by_row, _ = failures(ScoresSchema, frame)
    assert list(by_row) == [1]
    ScoresSchema.validate(frame.iloc[:1])


def test_valid_decisions_pass_with_extra_columns():
    DecisionsSchema.validate(decisions(), lazy=True)


def test_decisions_with_text_in_plain_python_strings_pass():
    frame = decisions().astype({"application_id": object, "status": object, "reasons": object})
    DecisionsSchema.validate(frame, lazy=True)


def test_an_ineligible_row_with_a_score_fails_once_per_row():
    frame = decisions()
    frame.loc[2, "score"] = 0.1
    by_row, _ = failures(DecisionsSchema, frame)
    assert by_row == {2: ["the row fails the check: score and rank are empty exactly for ineligible rows"]}


def test_an_eligible_row_without_a_rank_fails():
    frame = decisions()
    frame.loc[1, "rank"] = pd.NA
    by_row, _ = failures(DecisionsSchema, frame)
    assert list(by_row) == [1]


def test_ranks_must_be_unique_among_ranked_rows():
    frame = decisions()
    frame.loc[1, "rank"] = 1
    by_row, _ = failures(DecisionsSchema, frame)
    assert set(by_row) == {0, 1}


@pytest.mark.parametrize("column, value", [
    ("region", "MARS"), ("status", "maybe"), ("reasons", ""), ("country_iso3", "sen"),
])
def test_a_decision_outside_the_contract_fails(column, value):
    frame = decisions()
    frame.loc[0, column] = value
    by_row, _ = failures(DecisionsSchema, frame)
    assert list(by_row) == [0]


def test_quarantine_rows_need_a_unique_positive_source_row_and_words():
    good = pd.DataFrame({"source_row": [2, 5], "application_id": pd.array([None, "A-1"], dtype="string"),
                         "problems": ["the row is empty", "country 'X' is not a recognised country"]})
    QuarantineSchema.validate(good, lazy=True)
    bad = good.assign(source_row=[0, 0], problems=["", "ok"])
    by_row, _ = failures(QuarantineSchema, bad)
    assert set(by_row) == {0, 1}
    assert any("problems" in w for w in by_row[0])
