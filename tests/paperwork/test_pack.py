"""`dtc-select pack`: the public call in English and French, the application workbook and the
XLSForm, made from the call file; and the filled workbook and a KoboToolbox export read back
through `run` with nothing lost and the same decisions as the same answers in a plain CSV."""

from __future__ import annotations

import re

import datetime as dt

import openpyxl
import pandas as pd
import pytest
import yaml
from markupsafe import escape

from dtc_select.call.model import load_call
from dtc_select.cli import main
from dtc_select.intake import parsing as p
from dtc_select.paperwork.form import form_fields
from tests.conftest import EXAMPLES, PHASE1, phase1_form

# The phase-1 call's form, field by field (kind, required), in the order of the applications columns.
APPLICATION_FIELDS = {f.id: (f.kind, f.required) for f in phase1_form().fields}

FILES = {"call-en.html", "call-fr.html", "application-form.xlsx", "application-xlsform.xlsx"}


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("pack") / "pack"
    assert main(["pack", "--call", str(PHASE1), "--out", str(out)]) == 0
    return out


def test_pack_writes_the_call_in_both_languages_and_the_form_as_workbook_and_xlsform(pack):
    assert {p.name for p in pack.iterdir()} == FILES


def test_the_same_call_file_gives_the_same_pack_byte_for_byte(pack, tmp_path):
    assert main(["pack", "--call", str(PHASE1), "--out", str(tmp_path / "again")]) == 0
    for name in sorted(FILES):
        assert (tmp_path / "again" / name).read_bytes() == (pack / name).read_bytes(), name


def test_the_call_page_says_who_may_apply_what_to_provide_how_it_is_judged_the_deadline_and_where_to_send(pack, call):
    en = (pack / "call-en.html").read_text(encoding="utf-8")
    fr = (pack / "call-fr.html").read_text(encoding="utf-8")
    assert "30 November 2019, 23:59 (UTC)" in en and "30 novembre 2019 à 23 h 59 (UTC)" in fr
    assert "mailto:dtc@itu.int" in en and "mailto:dtc@itu.int" in fr
    for rule in call.rules:
        assert escape(rule.description) in en and escape(rule.description_fr) in fr
    for field in form_fields(call):
        assert escape(field.question_en) in en and escape(field.question_fr) in fr
    assert en.count('class="is-required"') == sum(f.asked for f in form_fields(call)) == 9
    for criterion in call.criteria:
        assert escape(criterion.description) in en
    assert "<script" not in en and "http://" not in en.replace('xmlns="http://', "")


@pytest.mark.parametrize("call_file", [PHASE1, PHASE1.parent / "dtc-phase2-2021.yaml"], ids=["2019", "2021"])
def test_the_public_call_page_names_none_of_our_files_or_folders(tmp_path, call_file):
    # Applicants read it: a path inside the package (it once said "dtc_select/reference/countries.csv")
    # means nothing to them. The footer's call file name is the page's provenance.
    assert main(["pack", "--call", str(call_file), "--out", str(tmp_path / "pack")]) == 0
    for name in ("call-en.html", "call-fr.html"):
        text = re.sub(r"<[^>]+>", " ", (tmp_path / "pack" / name).read_text(encoding="utf-8"))
        text = text.replace(call_file.name, "")  # the footer names the call file it was made from
        assert not re.search(r"dtc_select|\.(csv|ya?ml|py|md)\b", text), name


def test_applicants_are_not_asked_for_the_application_number_or_the_submission_date(pack, call):
    # The secretariat gives the number and records when the application arrived (the deadline rule
    # reads it); the XLSForm makes both itself.
    en = (pack / "call-en.html").read_text(encoding="utf-8")
    fr = (pack / "call-fr.html").read_text(encoding="utf-8")
    assert en.count('class="is-on-receipt"') == fr.count('class="is-on-receipt"') == 2
    assert "given by the secretariat when the application arrives" in en
    assert "attribué par le secrétariat à la réception" in fr
    sheet = openpyxl.load_workbook(pack / "application-form.xlsx")["applications"]
    headers = {c.value: c.comment.text for c in sheet[1]}
    assert "Application number" in headers and "Date of submission" in headers
    assert "filled by the secretariat on receipt" in headers["Application number"]
    survey = openpyxl.load_workbook(pack / "application-xlsform.xlsx")["survey"]
    made = {row[1] for row in survey.iter_rows(min_row=2, values_only=True) if row[0] == "calculate"}
    assert made == {f.id for f in form_fields(call) if f.on_receipt} == {"application_id", "submitted_at"}


def test_a_call_file_without_where_to_send_is_a_call_file_error_for_pack_only(tmp_path, capsys):
    data = yaml.safe_load(PHASE1.read_text(encoding="utf-8"))
    del data["submission"]
    path = tmp_path / "no-submission.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["pack", "--call", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}: submission: is missing" in err
    assert not (tmp_path / "out").exists()
    assert load_call(path).submission is None  # `run` and `assign` do not need it


def test_the_fields_sheet_lists_every_field_in_the_order_of_the_applications_columns(pack, call):
    book = openpyxl.load_workbook(pack / "application-form.xlsx")
    assert book.sheetnames[:2] == ["applications", "fields"]
    fields = list(book["fields"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in fields] == list(APPLICATION_FIELDS)
    assert [f.question_en for f in form_fields(call)] == [row[1] for row in fields]
    headers = [c.value for c in book["applications"][1]]
    assert [h.removesuffix(" *") for h in headers] == [row[1] for row in fields]
    assert [h.endswith(" *") for h in headers] == [row[4] == "yes" for row in fields]
    assert "Nom de l'institution" in book["applications"]["B1"].comment.text  # the form's French question


def test_the_application_workbook_offers_drop_downs_and_checks_numbers_and_dates(pack):
    sheet = openpyxl.load_workbook(pack / "application-form.xlsx")["applications"]
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    column = {f: openpyxl.utils.get_column_letter(i + 1) for i, f in enumerate(APPLICATION_FIELDS)}
    assert rules[f"{column['organisation_type']}2"].formula1.startswith('"community_training_centre,ngo')
    assert rules[f"{column['non_profit']}2"].formula1 == '"yes,no"'
    assert rules[f"{column['distance_learning']}2"].formula1 == '"delivering,willing,no"'
    assert rules[f"{column['country']}2"].formula1 == "countries!$A$2:$A$197"
    labs = rules[f"{column['training_labs']}2"]
    assert (labs.type, labs.operator or "between", labs.formula1) == ("whole", "between", "0")  # between is the default
    assert rules[f"{column['internet_mbps']}2"].type == "decimal"
    assert rules[f"{column['submitted_at']}2"].type == "date"


def test_the_xlsform_converts_with_pyxform_with_labels_in_both_languages(pack, call):
    from pyxform.xls2xform import convert

    result = convert(xlsform=str(pack / "application-xlsform.xlsx"), validate=False)
    assert not result.warnings
    xform = result.xform
    assert 'lang="English (en)"' in xform and 'lang="French (fr)"' in xform
    assert "Nom de l&apos;institution" in xform or "Nom de l'institution" in xform
    assert 'nodeset="/application-xlsform/non_profit"' in xform or "non_profit" in xform
    survey = pd.read_excel(pack / "application-xlsform.xlsx", sheet_name="survey", dtype=str, engine="openpyxl")
    required = survey.set_index("name")["required"].eq("yes")
    asked = {f.id: f.required for f in form_fields(call)}
    assert {n for n in required.index if required[n]} == {n for n, r in asked.items() if r} - {"application_id",
                                                                                                   "submitted_at"}
    assert survey.set_index("name").loc["workstations", "constraint"] == ". >= 0"


# --- round trips -----------------------------------------------------------------------------------

def _answers() -> pd.DataFrame:
    """The example applications as written (quarantined rows too): the answers of the round trips."""
    return pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False)


def _typed(field: str, text: str):
    """An answer as a person or a form tool types it into a cell: numbers as numbers, dates as
    dates, yes/no from the drop-down; what does not read stays text (it is then quarantined alike)."""
    kind = APPLICATION_FIELDS[field][0]
    if text == "":
        return None
    if kind in ("integer", "number"):
        value, problem = p.parse_number(text)
        return text if problem else (int(value) if float(value).is_integer() else value)
    if kind == "boolean":
        value, problem = p.parse_boolean(text)
        return text if problem else ("yes" if value else "no")
    if kind == "date":
        value, problem = p.parse_date(text)
        return text if problem else value.tz_convert("UTC").tz_localize(None).to_pydatetime()
    return text


def _run(tmp_path, applications, name):
    out = tmp_path / name
    assert main(["run", "--call", str(PHASE1), "--applications", str(applications), "--scores",
                 str(EXAMPLES / "scores.csv"), "--out", str(out)]) == 0
    return out


def _same_outcome(a, b):
    for name in ("decisions.csv", "quarantine.csv", "score_problems.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("plain"), EXAMPLES / "applications.csv", "plain")


def test_the_filled_application_workbook_reads_back_with_nothing_lost_and_the_same_decisions(pack, plain, tmp_path):
    book = openpyxl.load_workbook(pack / "application-form.xlsx")
    sheet = book["applications"]
    answers = _answers()
    for i, row in enumerate(answers.itertuples(index=False), start=2):
        for j, field in enumerate(APPLICATION_FIELDS, start=1):
            cell = sheet.cell(i, j, _typed(field, getattr(row, field)))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed by a person as text ('=...), not a formula without a saved value
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    _same_outcome(_run(tmp_path, filled, "from-workbook"), plain)


KOBO_META = {"_id": lambda i: str(90000 + i), "_uuid": lambda i: f"7f3c2a1e-0000-4000-8000-{i:012d}",
             "_submission_time": lambda i: f"2019-09-{1 + i % 28:02d}T10:00:00", "_validation_status": lambda i: "",
             "_index": lambda i: str(i + 1), "__version__": lambda i: "vAbCd", "_status": lambda i: "submitted_via_web"}


def _kobo(headers: str) -> pd.DataFrame:
    """The answers as KoboToolbox exports its submissions: select values as their names, then
    Kobo's own columns; headers as field names or as labels in one language."""
    answers = _answers()
    export = pd.DataFrame({field: [_kobo_value(field, v) for v in answers[field]] for field in APPLICATION_FIELDS})
    for column, make in KOBO_META.items():
        export[column] = [make(i) for i in range(len(export))]
    if headers != "names":
        questions = {f.id: f.question(headers) for f in form_fields(load_call(PHASE1))}
        export = export.rename(columns=questions)
    return export


def _kobo_value(field: str, text: str) -> str:
    value = _typed(field, text)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds") if value.time() != dt.time(0) else value.date().isoformat()
    return "" if value is None else str(value)


@pytest.mark.parametrize("headers", ["names", "en", "fr"])
def test_a_kobotoolbox_csv_export_reads_back_with_the_same_decisions_as_the_plain_csv(plain, tmp_path, headers):
    path = tmp_path / "kobo.csv"
    _kobo(headers).to_csv(path, index=False, sep=";")  # Kobo's CSV export separates with semicolons
    _same_outcome(_run(tmp_path, path, "from-kobo-csv"), plain)


def test_a_kobotoolbox_xlsx_export_with_label_headers_reads_back_with_the_same_decisions(plain, tmp_path):
    path = tmp_path / "kobo.xlsx"
    _kobo("en").to_excel(path, index=False, sheet_name="Digital Transformation Centres")
    _same_outcome(_run(tmp_path, path, "from-kobo-xlsx"), plain)
