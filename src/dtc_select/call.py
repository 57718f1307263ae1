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
import difflib
import hashlib
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dtc_select import vocabulary as vocab
from dtc_select.errors import CallFileError

REVIEWER_CRITERIA = (
    "training_levels",
    "infrastructure",
    "reputation",
    "research_capacity",
    "distance_learning",
    "mission_alignment",
    "innovation",
    "commitment_scale",
)


class _Model(BaseModel):
    # Unknown keys are mistakes (a misspelt `wieght` must not be silently ignored).
    model_config = ConfigDict(extra="forbid", frozen=True)


class Documented(_Model):
    """Anything the committee sets says what it is and where in the Annex it comes from."""

    description: str = Field(min_length=1)
    description_fr: str | None = None
    reference: str = Field(min_length=1)
    reference_fr: str | None = None  # the Annex is French: its own words, for the French report


class Condition(_Model):
    """A leaf test (`field` `op` `value`) or a combination (`all:` / `any:` of conditions)."""

    field: str | None = None
    op: str | None = None
    value: Any = None
    value_from: str | None = None
    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        shapes = [self.field is not None, self.all is not None, self.any is not None]
        if sum(shapes) != 1:
            raise ValueError("a condition is either `field` + `op`, or `all: [...]`, or `any: [...]`")
        if self.field is not None:
            _check_leaf(self)
        elif not (self.all or self.any):
            raise ValueError("`all` / `any` needs at least one condition")
        return self


def _check_leaf(cond: Condition) -> None:
    _require_known(cond.field, sorted(vocab.FIELDS), "field")
    _require_known(cond.op, sorted(vocab.OPERATORS), "op")
    kind = vocab.FIELDS[cond.field].kind
    op = vocab.OPERATORS[cond.op]
    if kind not in op.kinds:
        raise ValueError(f"op {cond.op!r} does not apply to {kind} field {cond.field!r}")
    if op.takes_value:
        if (cond.value is None) == (cond.value_from is None):
            raise ValueError(f"op {cond.op!r} needs exactly one of `value` or `value_from`")
        if cond.value is not None:
            vocab.check_value(cond.field, cond.op, cond.value)
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
    def _check(self) -> Measure:
        field = vocab.FIELDS.get(self.column)
        if field is None or not field.from_application:
            raise ValueError(f"unknown application column {self.column!r}")
        expected = {"boolean": "boolean", "saturate": "number", "map": "choice"}[self.transform]
        if field.kind != expected:
            raise ValueError(f"transform {self.transform!r} needs a {expected} column; {self.column!r} is {field.kind}")
        if self.transform == "saturate" and self.at is None:
            raise ValueError("transform 'saturate' needs `at` (the value that earns full marks)")
        if self.transform == "map":
            if not self.values:
                raise ValueError("transform 'map' needs `values`")
            unknown = set(self.values) - set(field.choices)
            if unknown:
                raise ValueError(f"unknown values for {self.column!r}: {sorted(unknown)}")
            if any(not 0 <= v <= 1 for v in self.values.values()):
                raise ValueError("mapped values must lie between 0 and 1")
        return self


class Criterion(Documented):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    # A short name for table headings and charts (the id when not given).
    label: str | None = Field(default=None, min_length=1, max_length=24)
    label_fr: str | None = Field(default=None, min_length=1, max_length=24)
    weight: float = Field(gt=0)
    reviewer_scored: bool = True
    measures: tuple[Measure, ...] = ()

    @model_validator(mode="after")
    def _has_a_source(self) -> Criterion:
        if not self.reviewer_scored and not self.measures:
            raise ValueError("a criterion needs reviewer scores or application measures")
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


class Scoring(Documented):
    method: str
    scale: Scale
    reviewer_share: float = Field(ge=0, le=1)
    missing_reviewer_scores: Literal["application_only"]
    tie_break: tuple[TieBreakKey, ...]
    criteria: tuple[Criterion, ...] = Field(min_length=1)

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
        if value.tzinfo is None:
            raise ValueError("the deadline needs a time zone, e.g. 2019-11-30T23:59:59Z")
        return value.astimezone(dt.timezone.utc)


class CountryStatus(Documented):
    as_of: dt.date
    classification: str = Field(min_length=1)
    classification_fr: str | None = None


class Setting(Documented):
    value: float | None


class PresencePriority(Documented):
    method: Literal["bonus"]
    bonus: float = Field(ge=0, le=1)
    itu_offices: bool
    countries: tuple[str, ...] = ()
    countries_source: str | None = None
    countries_source_fr: str | None = None


class Need(Documented):
    formula: Literal["offline_share_x_eligible_share", "explicit"]
    explicit: dict[str, float] | None = None

    @model_validator(mode="after")
    def _explicit_given(self) -> Need:
        if (self.formula == "explicit") != (self.explicit is not None):
            raise ValueError("`explicit` needs are given exactly when formula is 'explicit'")
        if self.explicit is not None:
            unknown = set(self.explicit) - set(vocab.REGIONS)
            if unknown:
                raise ValueError(f"unknown regions {sorted(unknown)}; known: {', '.join(vocab.REGIONS)}")
            if any(v < 0 for v in self.explicit.values()) or sum(self.explicit.values()) <= 0:
                raise ValueError("needs must be >= 0 with a positive total")
        return self


class Allocation(Documented):
    seats: int = Field(ge=0)
    max_per_country: int | None = Field(ge=1)
    reserve_per_region: int = Field(ge=0)
    minimum_score: float | None = Field(default=None, ge=0, le=1)
    seat_method: Literal["sainte_lague", "dhondt", "huntington_hill", "largest_remainder"]
    need: Need


class Call(_Model):
    """A call for applications, as loaded from its call file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    title_fr: str | None = None
    reference: str
    reference_fr: str | None = None
    deadline: Deadline
    country_status: CountryStatus
    eligibility: tuple[Rule, ...] = Field(min_length=1)
    scoring: Scoring
    presence_priority: PresencePriority
    allocation: Allocation
    # Set by the loader, not written in the file.
    path: str = ""
    sha256: str = ""

    @field_validator("eligibility")
    @classmethod
    def _unique_rules(cls, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        _require_unique([r.id for r in rules], "rule")
        return rules

    @model_validator(mode="after")
    def _value_from_known(self) -> Call:
        for index, rule in enumerate(self.eligibility):
            for leaf in iter_leaves(rule.condition):
                if leaf.value_from is not None and leaf.value_from not in vocab.CALL_VALUES:
                    raise ValueError(
                        f"eligibility[{index}]: value_from {leaf.value_from!r} is not a call value; "
                        f"known: {', '.join(vocab.CALL_VALUES)}"
                    )
        return self

    def call_value(self, name: str) -> Any:
        """A value a rule refers to by `value_from` (so the deadline is written once)."""
        return {"deadline": self.deadline.value}[name]

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


def _require_known(name: str, known, what: str) -> str:
    if name not in known:
        raise ValueError(f"unknown {what} {name!r}; known: {', '.join(known)}")
    return name


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"duplicate {what} id {item!r}")
        seen.add(item)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice in one mapping (YAML keeps the last)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_call(path: str | Path) -> Call:
    """Read and check a call file. Raises CallFileError naming the file and the key."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CallFileError(path, "", f"cannot read the call file ({exc.strerror or exc})") from None
    try:
        document = yaml.load(data.decode("utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (safe loader)
    except UnicodeDecodeError:
        raise CallFileError(path, "", "the call file is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CallFileError(path, where, f"not valid YAML: {problem}") from None
    if not isinstance(document, dict):
        raise CallFileError(path, "", "a call file is a YAML mapping (key: value lines)")
    for reserved in ("path", "sha256"):
        if reserved in document:
            raise CallFileError(path, reserved, "is set by dtc-select, not in the call file")
    try:
        call = Call.model_validate(document)
    except ValidationError as exc:
        raise _first_error(path, exc.errors()) from None
    return call.model_copy(update={"path": str(path), "sha256": hashlib.sha256(data).hexdigest()})


def _first_error(path: Path, errors: list[dict]) -> CallFileError:
    """One error, the most telling: a misspelt key before the "missing" key it causes."""
    errors = sorted(errors, key=lambda e: e["type"] != "extra_forbidden")
    error = errors[0]
    problem = _plain(error)
    if error["type"] == "extra_forbidden":
        missing = [
            e["loc"][-1] for e in errors if e["type"] == "missing" and e["loc"][:-1] == error["loc"][:-1]
        ]
        close = difflib.get_close_matches(str(error["loc"][-1]), [str(m) for m in missing], n=1)
        if close:
            problem += f"; did you mean {close[0]!r}?"
    return CallFileError(path, _key_path(error["loc"]), problem)


def _key_path(loc: tuple) -> str:
    # pydantic puts the union/validator names in the location; users know only their keys.
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("function-") or part in {"tagged-union", "list", "tuple", "[key]"}:
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _plain(error: dict) -> str:
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if error["type"] == "extra_forbidden":
        return "unknown key (misspelt, or not part of the call-file model)"
    if error["type"] == "missing":
        return "required key is missing"
    return message
