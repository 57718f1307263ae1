"""The call's application form, field by field: the one accessor every writer of the call pack
(the call pages, the application workbook, the XLSForm) and the intake's header recognition read.

The fields, kinds, required flags, questions and the values' labels in English and French are the
call file's own declaration (`form:`, call/form.py; shared spec calls-as-data.md §1).
"""

from __future__ import annotations

from dataclasses import dataclass

# Recorded on receipt, not asked of applicants: the application's number and when it arrived (the
# deadline rule reads it). The call page and the application workbook say who fills them; the
# XLSForm makes them itself (xlsform.CALCULATED).
ON_RECEIPT = ("application_id", "submitted_at")


@dataclass(frozen=True)
class Choice:
    value: str
    label_en: str
    label_fr: str


@dataclass(frozen=True)
class FormField:
    id: str
    kind: str  # text | boolean | integer | number | choice | date | country
    required: bool
    question_en: str
    question_fr: str
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def question(self, lang: str) -> str:
        return self.question_fr if lang == "fr" else self.question_en

    @property
    def on_receipt(self) -> bool:
        """Filled by the secretariat when the application arrives (ON_RECEIPT), not by the applicant."""
        return self.id in ON_RECEIPT

    @property
    def asked(self) -> bool:
        """A required answer the applicant must give."""
        return self.required and not self.on_receipt


def form_fields(call) -> tuple[FormField, ...]:
    """The fields the call's form asks, in the form's order (`form:` in the call file)."""
    return tuple(FormField(f.id, f.kind, f.required, f.question, f.question_fr,
                           tuple(Choice(v.value, v.label, v.label_fr) for v in f.values),
                           _bound(f.minimum), _bound(f.maximum))
                 for f in call.form.fields)


def _bound(value: float | None) -> float | int | None:
    """A whole bound as a whole number, so a sheet's rule reads 0, not 0.0."""
    return int(value) if value is not None and float(value).is_integer() else value


def form_headers(call) -> dict[str, tuple[str, ...]]:
    """{field id: its questions in English and French}: headers the intake recognises, so that the
    call's own workbook and a form tool's export with labels as headers read back."""
    return {f.id: (f.question_en, f.question_fr) for f in form_fields(call)}


def intake_headers(call) -> dict[str, tuple[str, ...]]:
    """The headers the applications file may use for each field: the form's declared `headers`
    and the call file's `intake.column_names` (`Call.column_names`), then the form's questions."""
    declared = dict(call.column_names)
    for field_id, questions in form_headers(call).items():
        declared[field_id] = tuple(dict.fromkeys((*declared.get(field_id, ()), *questions)))
    return declared
