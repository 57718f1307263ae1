"""`application-xlsform.xlsx`: the call's form as an XLSForm (sheets `survey`, `choices`,
`settings`), so the call can be published on KoboToolbox or ODK (paperwork.md §1).

Each form field is a question named by its field id, labelled in English and French, required as
the form says, with its choice list (values are the ones the intake reads; yes/no for booleans;
countries by ISO3 code, named in both languages) and, for counts and amounts, a constraint from
the form's minimum. The application number and the submission time are not asked: the form makes
them (`calculate`, once per submission), so an export of the submissions holds every column the
intake needs. The intake recognises the export's headers whether written as field names or as the
English or French labels; Kobo's own columns (`_id`, `_uuid`, `_submission_time`, ...) are kept
as extra columns.
"""

from __future__ import annotations

from dtc_select.paperwork.form import FormField, form_fields
from dtc_select.paperwork.workbooks import finished, new_workbook, safe_text

EN, FR = "English (en)", "French (fr)"
SURVEY = ("type", "name", f"label::{EN}", f"label::{FR}", "required", "constraint",
          f"constraint_message::{EN}", f"constraint_message::{FR}", "calculation", f"hint::{EN}", f"hint::{FR}")
CHOICES = ("list_name", "name", f"label::{EN}", f"label::{FR}")
# The fields recorded on receipt (form.ON_RECEIPT), made by the form, not asked: the id from the
# submission's own uuid, the time it was finished.
CALCULATED = {"application_id": "once(concat('{prefix}-', substr(uuid(), 0, 8)))",
              "submitted_at": "once(format-date-time(now(), '%Y-%m-%dT%H:%M:%S'))"}
TYPES = {"text": "text", "integer": "integer", "number": "decimal", "date": "date"}


def xlsform_workbook(call, countries: list[tuple[str, str, str]]) -> bytes:
    """`countries`: (ISO3, English name, French name) for the country list."""
    fields = form_fields(call)
    survey, choices = [], []
    for field in fields:
        survey.append(_question(call, field))
        if field.choices:
            choices += [(field.id, c.value, c.label_en, c.label_fr) for c in field.choices]
    choices += [("yes_no", "yes", "Yes", "Oui"), ("yes_no", "no", "No", "Non")]
    choices += [("country", iso3, en, fr) for iso3, en, fr in countries]
    book, buffer = new_workbook()
    bold = book.add_format({"bold": True})
    _sheet(book, "survey", SURVEY, survey, bold)
    _sheet(book, "choices", CHOICES, choices, bold)
    version = (call.sha256 or "0")[:10]
    _sheet(book, "settings", ("form_title", "form_id", "version", "default_language"),
           [(call.title, call.id.replace(".", "_"), version, EN)], bold)
    return finished(book, buffer)


def _question(call, field: FormField) -> dict:
    row = {"name": field.id, f"label::{EN}": field.question_en, f"label::{FR}": field.question_fr}
    if field.on_receipt:
        prefix = call.id.split("-")[0].upper()
        return {**row, "type": "calculate", "calculation": CALCULATED[field.id].format(prefix=prefix)}
    kind = field.kind
    if kind == "boolean":
        row["type"] = "select_one yes_no"
    elif kind == "choice":
        row["type"] = f"select_one {field.id}"
    elif kind == "country":
        row["type"] = "select_one country"
    else:
        row["type"] = TYPES[kind]
    if field.required:
        row["required"] = "yes"
    bounds = [(f". >= {field.minimum:g}", f"at least {field.minimum:g}", f"au moins {field.minimum:g}")
              if field.minimum is not None else None,
              (f". <= {field.maximum:g}", f"at most {field.maximum:g}", f"au plus {field.maximum:g}")
              if field.maximum is not None else None]
    bounds = [b for b in bounds if b]
    if bounds:  # the call's bounds, as the intake checks them
        row["constraint"] = " and ".join(b[0] for b in bounds)
        row[f"constraint_message::{EN}"] = " and ".join(b[1] for b in bounds).capitalize()
        row[f"constraint_message::{FR}"] = " et ".join(b[2] for b in bounds).capitalize()
    if kind == "text" and field.id == "contact_email":
        row["constraint"] = "regex(., '^[^@ ]+@[^@ ]+$')"
        row[f"constraint_message::{EN}"] = "An e-mail address"
        row[f"constraint_message::{FR}"] = "Une adresse électronique"
    return row


def _sheet(book, name: str, columns: tuple[str, ...], rows: list, bold) -> None:
    sheet = book.add_worksheet(name)
    for j, column in enumerate(columns):
        sheet.write_string(0, j, column, bold)
    for i, row in enumerate(rows, start=1):
        values = [row.get(c, "") for c in columns] if isinstance(row, dict) else list(row)
        for j, value in enumerate(values):
            if value != "":
                sheet.write_string(i, j, safe_text(value) if name != "survey" or j != 8 else str(value))
    sheet.set_column(0, len(columns) - 1, 24)
