"""The call's application form: what the applications file holds, as the call declares it.

Each call asks its own questions (the 2021 call asked about classrooms and backup power, the 2019
call did not), so the fields are the call's: `form.fields` declares each one's id, kind, whether
it is required, its question and short label in English and French, for listed values each
value's labels, optional bounds, help and the headers a form export may use. The code keeps only
the vocabulary of kinds (`FIELD_KINDS`) and how each is read (`intake/parsing.py`).

How the file's headers are read (`intake.column_names`) and how its dates are written
(`intake.date_order`) are the call's too.

Three fields every call declares, since every stage needs them: `application_id` and
`institution_name` (text, required) and `country` (the host country, kind country, required).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from dtc_select.call import vocabulary as vocab
from dtc_select.call.base import Documented, _Model, _require_known, _require_unique
from dtc_select.intake.parsing import header_key, header_lookup

# The kinds of answer a form may ask for, and the kind an operator sees (vocabulary.OPERATORS).
FIELD_KINDS = {"text": "text", "boolean": "boolean", "integer": "number", "number": "number",
               "choice": "choice", "date": "date", "country": "country"}
CORE_FIELDS = {"application_id": "text", "institution_name": "text", "country": "country"}
_ID = r"^[a-z][a-z0-9_]*$"


class ValueLabel(_Model):
    """One listed value of a choice field: the value rules name, and how the form shows it."""

    value: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    label_fr: str = Field(min_length=1)
    # Other spellings a form export may write for this value (a tool's own, an older label).
    also: tuple[str, ...] = ()


class FormField(_Model):
    id: str = Field(pattern=_ID)
    kind: Literal["text", "boolean", "integer", "number", "choice", "date", "country"]
    required: bool
    question: str = Field(min_length=1)
    question_fr: str = Field(min_length=1)
    # How reasons and the report name the answer in a few words (the question when not given).
    label: str | None = Field(default=None, min_length=1)
    label_fr: str | None = Field(default=None, min_length=1)
    help: str | None = None
    help_fr: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    values: tuple[ValueLabel, ...] = ()
    # Headers a form export may use for this field, besides its id (compared without case,
    # accents, spacing or punctuation, as intake.column_names).
    headers: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _fits_its_kind(self) -> FormField:
        if (self.kind == "choice") != bool(self.values):
            raise ValueError("a choice field lists its `values`, and only a choice field does")
        if self.kind == "choice":
            _require_unique([v.value for v in self.values], "value")
            _one_value_per_spelling(self.values)
        bounded = self.minimum is not None or self.maximum is not None
        if bounded and self.kind not in ("integer", "number"):
            raise ValueError("only an integer or number field has a minimum or maximum")
        for bound in (self.minimum, self.maximum):
            if bound is not None and not math.isfinite(bound):
                raise ValueError("a minimum or maximum is a finite number")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("the minimum is above the maximum")
        return self

    def spec(self) -> vocab.FieldSpec:
        """The field as rules and criteria see it: its operator kind, label and values."""
        return vocab.FieldSpec(FIELD_KINDS[self.kind], self.label or self.question, True,
                               tuple(v.value for v in self.values))

    def localized_label(self, lang: str) -> str:
        if lang == "fr":
            return self.label_fr or self.question_fr
        return self.label or self.question


def _one_value_per_spelling(values) -> None:
    seen: dict[str, str] = {}
    for item in values:
        for spelling in (item.value, item.label, item.label_fr, *item.also):
            key = header_key(spelling)
            if seen.setdefault(key, item.value) != item.value:
                raise ValueError(f"{spelling!r} would read as both {seen[key]!r} and {item.value!r}")


class Form(Documented):
    """The call's application form: its fields, in the order of the applications file."""

    fields: tuple[FormField, ...] = Field(min_length=1)

    @field_validator("fields")
    @classmethod
    def _every_stage_finds_its_fields(cls, fields: tuple[FormField, ...]) -> tuple[FormField, ...]:
        _require_unique([f.id for f in fields], "field")
        kinds = {f.id: (f.kind, f.required) for f in fields}
        for name, kind in CORE_FIELDS.items():
            if kinds.get(name) != (kind, True):
                raise ValueError(f"every call declares {name!r} as a required {kind} field")
        derived = sorted(set(kinds) & set(vocab.DERIVED_FIELDS))
        if derived:
            raise ValueError(f"{derived[0]!r} is derived from the host country, not asked on the form")
        header_lookup({f.id: f.headers for f in fields}, kinds)  # ValueError naming the spelling
        return fields

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.id == name), None)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.fields)

    def specs(self) -> dict[str, vocab.FieldSpec]:
        """Every field rules and criteria may name: the form's, then the host country's facts."""
        return {f.id: f.spec() for f in self.fields} | vocab.DERIVED_FIELDS

    def column_names(self, mapped: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
        """{field: headers}: each field's declared `headers`, then those `mapped` in intake.column_names."""
        names = {f.id: f.headers for f in self.fields if f.headers}
        for column, spellings in (mapped or {}).items():
            names[column] = tuple(dict.fromkeys(names.get(column, ()) + tuple(spellings)))
        return names


def form_of(info: ValidationInfo) -> Form | None:
    """The call's form while the rest of its file is checked (load_call puts it in the context)."""
    return (info.context or {}).get("form")


def _listed(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


def _form_column(name: str, info: ValidationInfo) -> str:
    form = form_of(info)
    return _require_known(name, form.ids, "field of the call's form") if form is not None else name


class IntakeRules(Documented):
    """How the applications file's headers are read: besides its own name, each field of the form
    listed here is recognised under these headers (a form's own questions), compared without
    case, accents, spacing or punctuation."""

    column_names: dict[Annotated[str, AfterValidator(_form_column)],
                       Annotated[tuple[str, ...], BeforeValidator(_listed), Field(min_length=1)]] = {}
    # How the form writes day/month/year dates (a French form: day_first, 03/04/2021 = 3 April).
    # Not declared: each date column is read in the order its own dates prove (intake/dates.py).
    date_order: Literal["day_first", "month_first"] | None = None

    @field_validator("column_names")
    @classmethod
    def _one_meaning_per_header(cls, names: dict[str, tuple[str, ...]], info: ValidationInfo):
        form = form_of(info)
        if form is not None:
            header_lookup(form.column_names(names), form.ids)  # ValueError naming the spelling
        return names
