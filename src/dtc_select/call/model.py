"""The call file: the committee's rules for one call for applications, and its loader.

A call file (`criteria/<call-id>.yaml`) is data written by the committee. Every rule, criterion
and number in it carries a `reference` to the Annex section it comes from, so the report can print
where each rule comes from. `load_call` checks everything it can at load time: a mistake fails
there, as one `CallFileError` naming the file and the key path (e.g. `eligibility[2].all[0].op`),
never later in the middle of a run.

The vocabulary (fields, operators, transforms, methods) lives in code, in `vocabulary.py`; the rules
themselves live in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError, ValidationInfo, field_validator, \
    model_validator

from dtc_select.call import vocabulary as vocab
from dtc_select.call.base import Documented, Submission, _Model, _require_known, _require_unique
from dtc_select.call.file_errors import model_problems
from dtc_select.call.form import Form, IntakeRules, form_of
from dtc_select.call.limits import MAX_WEIGHT, WEIGHT_WHY, at_most, check_date
from dtc_select.call.selection_keys import (  # noqa: F401  (re-exported: part of the call model)
    Allocation,
    CompareWith,
    Need,
    PresencePriority,
    PreviousCentre,
    PreviousSelections,
)
from dtc_select.call.yaml_file import UniqueKeyLoader as _UniqueKeyLoader  # noqa: F401 (monitoring/programme.py)
from dtc_select.call.yaml_file import read_call_yaml
from dtc_select.errors import CallFileError


class Condition(_Model):
    """A leaf test (`field` `op` `value`) or a combination (`all:` / `any:` of conditions)."""

    field: str | None = None
    op: str | None = None
    value: Any = None
    value_from: str | None = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None

    @model_validator(mode="after")
    def _one_shape(self, info: ValidationInfo) -> Condition:
        shapes = [self.field is not None, self.all is not None, self.any is not None]
        if sum(shapes) != 1:
            raise ValueError("a condition is either `field` + `op`, or `all: [...]`, or `any: [...]`")
        if self.field is not None:
            form = form_of(info)
            if form is not None:  # load_call checks each rule against the call's form as it reads it
                check_leaf(self, form.specs())
        elif not (self.all or self.any):
            raise ValueError("`all` / `any` needs at least one condition")
        return self


def check_leaf(cond: Condition, fields: dict[str, vocab.FieldSpec]) -> None:
    """ValueError when a leaf names a field the call does not declare, or does not fit it."""
    _require_known(cond.field, list(fields), "field")
    _require_known(cond.op, sorted(vocab.OPERATORS), "op")
    kind = fields[cond.field].kind
    op = vocab.OPERATORS[cond.op]
    if kind not in op.kinds:
        raise ValueError(f"op {cond.op!r} does not apply to {kind} field {cond.field!r}")
    if op.takes_value:
        if (cond.value is None) == (cond.value_from is None):
            raise ValueError(f"op {cond.op!r} needs exactly one of `value` or `value_from`")
        if cond.value is not None:
            vocab.check_value(cond.field, fields[cond.field], cond.op, cond.value)
        elif cond.value_from not in vocab.CALL_VALUES:
            raise ValueError(f"value_from {cond.value_from!r} is not a call value; known: {', '.join(vocab.CALL_VALUES)}")
    elif cond.value is not None or cond.value_from is not None:
        raise ValueError(f"op {cond.op!r} takes no value")


class Rule(Documented):
    """A minimum qualification (Annex §3: the committee defines them)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fails_as: str = Field(min_length=1)
    fails_as_fr: str | None = None
    condition: Condition


class Measure(_Model):
    """An application column that measures a criterion, turned into 0..1."""

    column: str
    transform: Literal["boolean", "saturate", "map"]
    at: float | None = Field(default=None, gt=0)
    values: dict[str, float] | None = None

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Measure:
        form = form_of(info)
        if form is not None:
            check_measure(self, form.specs())
        return self


def check_measure(measure: Measure, fields: dict[str, vocab.FieldSpec]) -> None:
    """ValueError when a measure names no field of the call's form, or does not fit it."""
    field = fields.get(measure.column)
    if field is None or not field.from_application:
        raise ValueError(f"unknown application column {measure.column!r} (not in the call's form)")
    expected = {"boolean": "boolean", "saturate": "number", "map": "choice"}[measure.transform]
    if field.kind != expected:
        raise ValueError(f"transform {measure.transform!r} needs a {expected} column; "
                         f"{measure.column!r} is {field.kind}")
    if measure.transform == "saturate" and measure.at is None:
        raise ValueError("transform 'saturate' needs `at` (the value that earns full marks)")
    if measure.transform == "map":
        if not measure.values:
            raise ValueError("transform 'map' needs `values`")
        unknown = set(measure.values) - set(field.choices)
        if unknown:
            raise ValueError(f"unknown values for {measure.column!r}: {sorted(unknown)}")
        if any(not 0 <= v <= 1 for v in measure.values.values()):
            raise ValueError("mapped values must lie between 0 and 1")


# What a criterion's value is for an applicant no (unconflicted) reviewer marked on it:
#   application_only   the application's own answers alone (needs measures);
#   lowest_mark        as if marked at the bottom of the scale (no credit without a review);
#   exclude_criterion  left out of that applicant's score: its weight is shared by the others.
MissingPolicy = Literal["application_only", "lowest_mark", "exclude_criterion"]


class Criterion(Documented):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    # A short name for table headings and charts (the id when not given).
    label: str | None = Field(default=None, min_length=1, max_length=24)
    label_fr: str | None = Field(default=None, min_length=1, max_length=24)
    weight: Annotated[float, Field(gt=0), at_most(MAX_WEIGHT, WEIGHT_WHY)]
    reviewer_scored: bool = True
    measures: tuple[Measure, ...] = ()
    # Overrides `scoring.missing_reviewer_scores` for this criterion.
    missing_reviewer_scores: MissingPolicy | None = None

    @model_validator(mode="after")
    def _has_a_source(self) -> Criterion:
        if not self.reviewer_scored and not self.measures:
            raise ValueError("a criterion needs reviewer scores or application measures")
        if not self.reviewer_scored and self.missing_reviewer_scores is not None:
            raise ValueError("missing_reviewer_scores applies only to a criterion reviewers score")
        return self


class Scale(_Model):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.min < self.max:
            raise ValueError("scale min must be below max")
        return self


class TieBreakKey(_Model):
    key: str
    order: Literal["ascending", "descending"]

    @field_validator("key")
    @classmethod
    def _known(cls, key: str) -> str:
        return _require_known(key, vocab.TIE_BREAK_KEYS, "tie-break key")


class Calibration(Documented):
    """Per-reviewer standardisation of the marks (see reviewers.py for the formula)."""

    method: Literal["standardise", "none"]
    # A z-score over a handful of applications says little about a reviewer's habits.
    minimum_applications: int = Field(ge=2)


class Disagreement(Documented):
    """Reviewers disagree on an applicant when the mean spread of their marks exceeds this."""

    flag_above: float = Field(gt=0)


class Scoring(Documented):
    method: str
    scale: Scale
    reviewer_share: float = Field(ge=0, le=1)
    missing_reviewer_scores: MissingPolicy
    calibration: Calibration
    disagreement: Disagreement
    tie_break: tuple[TieBreakKey, ...]
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    def missing_policy(self, criterion: Criterion) -> str:
        """The declared policy for `criterion` when no reviewer marked an applicant on it."""
        return criterion.missing_reviewer_scores or self.missing_reviewer_scores

    @model_validator(mode="after")
    def _policies_possible(self) -> Scoring:
        for criterion in self.criteria:
            if criterion.reviewer_scored and not criterion.measures \
                    and self.missing_policy(criterion) == "application_only":
                raise ValueError(
                    f"criterion {criterion.id!r} has no application measures, so "
                    "missing_reviewer_scores 'application_only' would leave it empty; "
                    "set lowest_mark or exclude_criterion on it")
        return self

    @field_validator("method")
    @classmethod
    def _known_method(cls, method: str) -> str:
        return _require_known(method, vocab.RANKING_METHODS, "method")

    @field_validator("tie_break")
    @classmethod
    def _ends_with_id(cls, keys: tuple[TieBreakKey, ...]) -> tuple[TieBreakKey, ...]:
        # Without a unique last key two applicants could still tie, and their order would depend
        # on the input's row order: the chain must end with application_id.
        if not keys or keys[-1].key != "application_id":
            raise ValueError("the tie-break must end with application_id, so no tie is left")
        return keys

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, criteria: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
        _require_unique([c.id for c in criteria], "criterion")
        return criteria


class Deadline(Documented):
    value: dt.datetime

    @field_validator("value")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        check_date(value)
        if value.tzinfo is None:
            raise ValueError("the deadline needs a time zone, e.g. 2019-11-30T23:59:59Z")
        return value.astimezone(dt.timezone.utc)


class CountryStatus(Documented):
    as_of: Annotated[dt.date, AfterValidator(check_date)]
    classification: str = Field(min_length=1)
    classification_fr: str | None = None


class Setting(Documented):
    value: float | None


class Stability(Documented):
    """Weight perturbation: Dirichlet samples centred on the call's weights (stability.py)."""

    samples: int = Field(ge=1, le=1_000_000)
    seed: int = Field(ge=0)
    # Larger is tighter around the call's weights: each weight varies by about
    # sqrt(w (1 - w) / (concentration + 1)).
    concentration: float = Field(gt=0)
    # A selection made in fewer than this share of the samples is called fragile.
    fragile_below: float = Field(gt=0, le=1)


class Call(_Model):
    """A call for applications, as loaded from its call file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    title_fr: str | None = None
    reference: str
    reference_fr: str | None = None
    deadline: Deadline
    submission: Submission | None = None  # where applications are sent: `pack` needs it
    country_status: CountryStatus
    form: Form
    eligibility: tuple[Rule, ...] = Field(min_length=1)
    scoring: Scoring
    presence_priority: PresencePriority
    allocation: Allocation
    intake: IntakeRules | None = None
    previous_selections: PreviousSelections | None = None
    stability: Stability
    # Set by the loader, not written in the file.
    path: str = ""
    sha256: str = ""

    @field_validator("eligibility")
    @classmethod
    def _unique_rules(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        _require_unique([r.id for r in rules], "rule")
        return rules

    @model_validator(mode="after")
    def _fits_the_form(self) -> Call:
        # load_call checks each rule and measure against the form where it is written; again here
        # for a Call validated without load_call's context.
        fields = self.form.specs()
        for criterion in self.criteria:
            for measure in criterion.measures:
                check_measure(measure, fields)
        for rule in self.eligibility:
            for leaf in iter_leaves(rule.condition):
                check_leaf(leaf, fields)
        return self

    @field_validator("previous_selections")
    @classmethod
    def _countable(cls, previous: PreviousSelections | None, info: ValidationInfo) -> PreviousSelections | None:
        allocation = info.data.get("allocation")  # absent when it has errors of its own
        if previous and previous.centres and allocation and allocation.seat_method == "largest_remainder":
            raise ValueError("allocation.seat_method: largest_remainder cannot count the centres of "
                             "previous_selections (it is not built seat by seat); use a divisor method")
        return previous

    @property
    def previous_centres(self) -> tuple[PreviousCentre, ...]:
        return self.previous_selections.centres if self.previous_selections else ()

    def call_value(self, name: str) -> Any:
        """A value a rule refers to by `value_from` (so the deadline is written once)."""
        return {"deadline": self.deadline.value}[name]

    @property
    def column_names(self) -> dict[str, tuple[str, ...]]:
        """{field: the other headers it may have}: the form's `headers`, then intake.column_names."""
        return self.form.column_names(self.intake.column_names if self.intake else None)

    def field_label(self, field: str, lang: str = "en") -> str:
        """How reasons and the report name a field: the form's label, or the host fact's."""
        declared = self.form.field(field)
        return declared.localized_label(lang) if declared else vocab.DERIVED_FIELDS[field].label

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.scoring.criteria

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.eligibility


def iter_leaves(cond: Condition):
    """Every leaf test of a condition tree, depth first."""
    if cond.field is not None:
        yield cond
    for child in (cond.all or ()) + (cond.any or ()):
        yield from iter_leaves(child)


def load_call(path: str | Path) -> Call:
    """Read and check a call file. Raises one CallFileError holding every problem found (YAML
    duplicate keys, unknown keys, bad values, checks across keys), each naming its key."""
    path = Path(path)
    document, data, problems = read_call_yaml(path)
    if not isinstance(document, dict):
        raise CallFileError.every(path, [*problems, ("", "a call file is a YAML mapping (key: value lines)")])
    problems += [(key, "is set by dtc-select, not in the call file") for key in ("path", "sha256") if key in document]
    call = form = None
    form_broken = False
    try:
        # The form first: every rule, criterion and header mapping is then checked against it
        # where it is written, so a mistake is named by its own key.
        form = Form.model_validate(document["form"]) if "form" in document else None
    except ValidationError as exc:
        form_broken = True
        problems += model_problems([{**e, "loc": ("form", *e["loc"])} for e in exc.errors()])
    try:
        call = Call.model_validate({k: v for k, v in document.items() if k not in ("path", "sha256")},
                                   context={"form": form})
    except ValidationError as exc:
        # A broken form is named once, under `form`, by its own check above.
        problems += model_problems([e for e in exc.errors() if not (form_broken and e["loc"][:1] == ("form",))])
    if problems or call is None:
        raise CallFileError.every(path, problems)
    return call.model_copy(update={"path": str(path), "sha256": hashlib.sha256(data).hexdigest()})
