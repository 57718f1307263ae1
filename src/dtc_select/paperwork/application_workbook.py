"""`application-form.xlsx`: the workbook applicants (or the secretariat) fill in (paperwork.md §1).

Sheet `applications`: row 1 holds the questions in English (the call's first language), each
header cell's note the French question, the field id and whether an answer is required; required
questions end with " *" and are shaded. One column per form field, in the order of sheet
`fields`; answers from row 2. The intake recognises these questions as headers (`form.form_headers`),
so the filled workbook reads back through `dtc-select run --applications` as it is.
Sheet `fields`: column A the field id, then the question in English and French, the kind, whether
required, the allowed values.
Listed values and yes/no get drop-downs (the values the intake reads), countries a drop-down of the
shipped country names (sheet `countries`), whole numbers and numbers a range check, dates a date
check; a cell breaking its check is refused with the rule in both languages.
"""

from __future__ import annotations

import datetime as dt

from dtc_select.paperwork.form import FormField, form_fields
from dtc_select.paperwork.workbooks import column_letter, finished, new_workbook

SHEET, FIELDS_SHEET, COUNTRIES_SHEET = "applications", "fields", "countries"
ROWS = 2000  # rows the checks and drop-downs cover: more than any call has received
FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
KIND_WORDS = {"text": "text", "boolean": "yes/no", "integer": "whole number", "number": "number",
              "date": "date", "country": "country", "choice": "one of the listed values"}


def header(field: FormField) -> str:
    return field.question_en + (" *" if field.asked else "")


def _status(field: FormField) -> str:
    """Who answers, in the header's note (both languages)."""
    if field.on_receipt:
        return "filled by the secretariat on receipt / rempli par le secrétariat à la réception"
    return "required / obligatoire" if field.required else "optional / facultatif"


def allowed(field: FormField) -> str:
    if field.choices:
        return "; ".join(c.value for c in field.choices)
    if field.kind == "boolean":
        return "yes; no"
    if field.minimum is not None or field.maximum is not None:
        return ", ".join(([f">= {field.minimum:g}"] if field.minimum is not None else []) +
                         ([f"<= {field.maximum:g}"] if field.maximum is not None else []))
    if field.kind == "country":
        return "a country name (sheet countries) or ISO code"
    return ""


def application_workbook(call, country_names: list[str]) -> bytes:
    fields = form_fields(call)
    book, buffer = new_workbook()
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7", "border": 1})
    head_required = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FDE9D9",
                                     "border": 1, "font_color": "#8B0000"})
    date_cell = book.add_format({"num_format": "yyyy-mm-dd"})
    text_cell = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet(SHEET)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 60)
    for j, field in enumerate(fields):
        sheet.write_string(0, j, header(field), head_required if field.asked else head)
        sheet.write_comment(0, j, f"{field.question_fr}{' *' if field.asked else ''}\n\nfield / champ: {field.id}\n"
                                  f"{_status(field)}",
                            {"x_scale": 2, "y_scale": 1.5})
        sheet.set_column(j, j, 22, date_cell if field.kind == "date" else text_cell if field.kind == "text" else None)
        _validation(sheet, j, field, len(country_names))
    _fields_sheet(book, fields, head)
    countries = book.add_worksheet(COUNTRIES_SHEET)
    countries.write_string(0, 0, "country", head)
    for i, name in enumerate(country_names, start=1):
        countries.write_string(i, 0, name)
    countries.set_column(0, 0, 40)
    return finished(book, buffer)


def _validation(sheet, column: int, field: FormField, countries: int) -> None:
    both = {"error_title": field.id[:32], "input_title": field.id[:32]}
    if field.choices or field.kind == "boolean":
        values = [c.value for c in field.choices] if field.choices else ["yes", "no"]
        rule = {"validate": "list", "source": values,
                "error_message": f"One of / l'une des valeurs : {', '.join(values)}"[:255]}
    elif field.kind == "country":
        rule = {"validate": "list", "source": f"={COUNTRIES_SHEET}!$A$2:$A${countries + 1}",
                "show_error": False}  # an ISO code or another spelling is read too: offer, do not refuse
    elif field.kind in ("integer", "number"):
        low = field.minimum if field.minimum is not None else -1e15
        high = field.maximum if field.maximum is not None else 1e15
        words = ("A whole number / un nombre entier" if field.kind == "integer" else "A number / un nombre") + \
            (f", >= {field.minimum:g}" if field.minimum is not None else "") + \
            (f", <= {field.maximum:g}" if field.maximum is not None else "")
        rule = {"validate": "integer" if field.kind == "integer" else "decimal", "criteria": "between",
                "minimum": low, "maximum": high, "error_message": words}
    elif field.kind == "date":
        rule = {"validate": "date", "criteria": "between", "minimum": FIRST_DATE, "maximum": LAST_DATE,
                "error_message": "A date, YYYY-MM-DD / une date, AAAA-MM-JJ"}
    else:
        return
    sheet.data_validation(1, column, ROWS, column, {**both, **rule})


def _fields_sheet(book, fields: tuple[FormField, ...], head) -> None:
    sheet = book.add_worksheet(FIELDS_SHEET)
    for j, title in enumerate(("field", "question (English)", "question (français)", "kind", "required",
                               "allowed values")):
        sheet.write_string(0, j, title, head)
    for i, field in enumerate(fields, start=1):
        for j, text in enumerate((field.id, field.question_en, field.question_fr, KIND_WORDS[field.kind],
                                  "secretariat" if field.on_receipt else "yes" if field.required else "no",
                                  allowed(field))):
            sheet.write_string(i, j, text)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 2, 55)
    sheet.set_column(3, 5, 24)
    sheet.autofilter(0, 0, len(fields), 5)


def column_of(call, field_id: str) -> str:
    """The `applications` column letter of a field (for tests and people)."""
    return column_letter([f.id for f in form_fields(call)].index(field_id))
