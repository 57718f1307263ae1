"""The call declares its form: a new question and a rule on it run with no code change."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from dtc_select.call.model import load_call
from dtc_select.errors import CallFileError
from dtc_select.pipeline import run
from tests.conftest import EXAMPLES, PHASE1

NEW_FIELD = {
    "id": "solar_panels", "kind": "boolean", "required": False,
    "question": "Does the centre run on solar power?", "question_fr": "Le centre fonctionne-t-il à l'énergie solaire ?",
    "label": "solar power", "label_fr": "énergie solaire", "headers": ["Énergie solaire"],
}
NEW_RULE = {
    "id": "solar", "description": "The centre runs on solar power.", "fails_as": "no solar power",
    "reference": "Committee's choice (a test call)",
    "condition": {"field": "solar_panels", "op": "is_true"},
}


def phase1_data() -> dict:
    return yaml.safe_load(PHASE1.read_text(encoding="utf-8"))


def write(tmp_path, data: dict, name: str = "call.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def solar_call(tmp_path):
    data = phase1_data()
    data["form"]["fields"].append(NEW_FIELD)
    data["eligibility"].append(NEW_RULE)
    return load_call(write(tmp_path, data))


def test_a_new_yes_no_question_and_a_rule_on_it_decide_with_no_code_change(solar_call, tmp_path):
    rows = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False)
    answers = ["oui", "non", ""] * (len(rows) // 3)
    rows.insert(len(rows.columns), "Énergie solaire", answers)  # the form's own header
    path = tmp_path / "applications.csv"
    rows.to_csv(path, index=False)
    decisions = run(solar_call, path).decisions.set_index("source_row")
    stated = dict(zip(range(1, len(rows) + 1), answers))
    results = decisions["rule_solar"]
    assert {stated[row] for row in results.index[results.eq("pass")]} == {"oui"}
    assert {stated[row] for row in results.index[results.eq("fail")]} == {"non"}
    assert {stated[row] for row in results.index[results.eq("not_stated")]} == {""}
    failed = decisions[results.eq("fail")]
    assert failed["status"].eq("ineligible").all()
    assert failed["reasons"].str.contains(r"no solar power: solar power: no \[Committee's choice").all()
    unstated = decisions[results.eq("not_stated")]
    assert unstated["reasons"].str.contains(r"cannot be checked \(solar power not stated\): the centre runs on solar "
                                            r"power \[Committee's choice").all()


def test_a_rule_on_a_field_the_form_does_not_declare_names_the_file_and_the_key(tmp_path):
    data = phase1_data()
    data["eligibility"].append(NEW_RULE)
    path = write(tmp_path, data)
    with pytest.raises(CallFileError) as error:
        load_call(path)
    assert str(error.value).startswith(f"{path}: eligibility[{len(data['eligibility']) - 1}].condition: "
                                       "unknown field 'solar_panels'")


def test_a_measure_on_an_undeclared_field_is_a_call_file_error(tmp_path):
    data = phase1_data()
    data["scoring"]["criteria"][0]["measures"] = [{"column": "solar_panels", "transform": "boolean"}]
    path = write(tmp_path, data)
    with pytest.raises(CallFileError, match=r"scoring\.criteria\[0\]\.measures\[0\].*'solar_panels'"):
        load_call(path)


@pytest.mark.parametrize("change, words", [
    (lambda fields: fields.pop(0), "form.fields: Value error, every call declares 'application_id'"),
    (lambda fields: fields.append(dict(fields[-1])), "form.fields: Value error, duplicate field id 'description'"),
    (lambda fields: fields[4].update(values=[]), "form.fields[4]"),
    (lambda fields: fields[3].update(minimum=1), "form.fields[3]"),
    (lambda fields: fields.append({**NEW_FIELD, "id": "presence"}), "'presence' is derived from the host country"),
])
def test_a_mistake_in_the_form_names_the_form_key(tmp_path, change, words):
    data = phase1_data()
    change(data["form"]["fields"])
    path = write(tmp_path, data)
    with pytest.raises(CallFileError) as error:
        load_call(path)
    assert str(error.value).startswith(f"{path}: form.fields"), str(error.value)
    assert words.split(": ", 1)[-1].replace("Value error, ", "") in str(error.value) or words in str(error.value)


def test_a_value_given_as_its_label_in_either_language_reads_as_the_value(call, tmp_path):
    rows = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False).head(6)
    rows["organisation_type"] = ["ONG", "Université", "Organisation à but non lucratif", "NGO",
                                 "antenne universitaire", "Public Institution"]
    rows["distance_learning"] = ["le dispense", "Y est disposé", "non", "delivering", "willing", "no"]
    path = tmp_path / "applications.csv"
    rows.to_csv(path, index=False)
    outcome = run(call, path)
    assert outcome.quarantine.empty
    taken = outcome.applications.set_index("source_row")
    assert taken["organisation_type"].tolist() == ["ngo", "university", "ngo", "ngo", "university_branch",
                                                   "public_institution"]
    assert taken["distance_learning"].tolist() == ["delivering", "willing", "no", "delivering", "willing", "no"]


def test_a_value_that_is_no_label_is_still_quarantined_naming_the_values(call, tmp_path):
    rows = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False).head(1)
    rows["organisation_type"] = "Association"
    path = tmp_path / "applications.csv"
    rows.to_csv(path, index=False)
    [problem] = run(call, path).quarantine["problems"]
    assert problem.startswith("organisation_type 'Association' is not one of: community_training_centre, ngo")


def test_a_label_that_would_read_as_two_values_is_a_call_file_error(tmp_path):
    data = phase1_data()
    organisation = next(f for f in data["form"]["fields"] if f["id"] == "organisation_type")
    organisation["values"][1]["also"] = ["University"]
    path = write(tmp_path, data)
    with pytest.raises(CallFileError, match=r"form\.fields\[4\]: 'university' would read as both 'ngo' and 'university'"):
        load_call(path)


def test_declared_bounds_quarantine_an_answer_outside_them_in_plain_words(tmp_path):
    data = phase1_data()
    workstations = next(f for f in data["form"]["fields"] if f["id"] == "workstations")
    workstations["maximum"] = 500
    call = load_call(write(tmp_path, data))
    rows = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False).head(2)
    rows["workstations"] = ["501", "500"]
    path = tmp_path / "applications.csv"
    rows.to_csv(path, index=False)
    outcome = run(call, path)
    assert outcome.quarantine["problems"].tolist() == ["workstations '501' is above the maximum 500"]
