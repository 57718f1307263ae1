"""The call's application form, field by field: the one accessor every writer of the call pack
(the call pages, the application workbook, the XLSForm) and the intake's header recognition read.

Today a call file does not declare its form: the fields, kinds and required flags are contract §1's
(`call/vocabulary.APPLICATION_FIELDS`), the questions and the values' labels in English and French
are `phase1_form.yaml`'s. When call files declare their form (shared spec calls-as-data.md §1),
`form_fields` reads that declaration instead and nothing else changes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from dtc_select.call import vocabulary as vocab

# How a contract kind is asked; a listed kind offers its values.
KINDS = {"text": "text", "boolean": "boolean", "integer": "integer", "number": "number", "date": "date",
         "organisation_type": "choice", "distance_learning": "choice"}
CHOICES = {"organisation_type": vocab.ORGANISATION_TYPES, "distance_learning": vocab.DISTANCE_LEARNING}
# Contract §1: counts and amounts are never negative.
NOT_NEGATIVE = ("integer", "number")


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


def form_fields(call) -> tuple[FormField, ...]:
    """The fields the call's form asks, in the form's order: the call's own declaration (`form:`
    in the call file, calls-as-data.md §1) when it has one, else contract §1's."""
    declared = getattr(call, "form", None)
    if declared is None:
        return _contract_form()
    return tuple(FormField(f.id, f.kind, f.required, f.question, f.question_fr,
                           tuple(Choice(v.value, v.label, v.label_fr) for v in f.values), f.minimum, f.maximum)
                 for f in declared.fields)


@functools.cache
def _contract_form() -> tuple[FormField, ...]:
    words = yaml.safe_load(resources.files("dtc_select.paperwork").joinpath("phase1_form.yaml").read_text("utf-8"))
    fields = []
    for field_id, (kind, required) in vocab.APPLICATION_FIELDS.items():
        text = words[field_id]
        asked = "country" if field_id == "country" else KINDS[kind]
        labels = text.get("choices", {})
        choices = tuple(Choice(v, labels[v]["en"], labels[v]["fr"]) for v in CHOICES.get(kind, ()))
        fields.append(FormField(field_id, asked, required, text["en"], text["fr"], choices,
                                minimum=0 if asked in NOT_NEGATIVE else None))
    return tuple(fields)


def form_headers(call) -> dict[str, tuple[str, ...]]:
    """{field id: its questions in English and French}: headers the intake recognises, so that the
    call's own workbook and a form tool's export with labels as headers read back."""
    return {f.id: (f.question_en, f.question_fr) for f in form_fields(call)}


def intake_headers(call) -> dict[str, tuple[str, ...]]:
    """The call file's `intake.column_names` with the form's questions added: the headers the
    applications file may use for each field."""
    declared = dict(call.intake.column_names) if call.intake else {}
    for field_id, questions in form_headers(call).items():
        declared[field_id] = tuple(dict.fromkeys((*declared.get(field_id, ()), *questions)))
    return declared
