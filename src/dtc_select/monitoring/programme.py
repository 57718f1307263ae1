"""The programme file: what the centres report, how it adds up, and what they aim at (Annex §5).

A programme file (`criteria/monitoring-<id>.yaml`) is data the committee writes, as a call file
is: every item says what it is and where it comes from (`reference`), and `load_programme` checks
everything when the file loads. Unlike a call file, it reports every problem at once, one line
each (`file: key.path: problem`), in a `ProgrammeFileError` (exit 2).

Indicators are of three shapes:
- reported: a column of the periodic reports (`trained_basic`);
- computed (`sum_of`): the sum of reported ones in the same period (`trained` = basic +
  intermediate), never a column;
- a part of another (`share_of`): it counts some of those the other counts (`trained_women` of
  `trained`); a row with more is refused, and the report shows the share.
Targets are per centre (`dtc_id`) or for the whole network (`NETWORK`), over a span of periods;
each says whether it is published (with its source) or an example.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError

from dtc_select.call.base import Documented, _Model
from dtc_select.call.file_errors import _key_path, _plain
from dtc_select.call.model import _UniqueKeyLoader
from dtc_select.errors import ProgrammeFileError
from dtc_select.monitoring.periods import Period, parse_period, period_containing, periods_between

NETWORK = "NETWORK"  # the dtc_id of the whole network's rows and targets
ID = r"^[a-z][a-z0-9_]*$"


class Reporting(Documented):
    """How often centres report, when a report is due, and the programme's span."""

    period: Literal["quarterly", "monthly"]
    due_days: int = Field(ge=0, le=366)
    first_period: str
    last_period: str


class OnTrack(Documented):
    """On track: achieved >= target x (share of the target's span due) x (1 - tolerance)."""

    tolerance: float = Field(ge=0, lt=1)


class Centre(_Model):
    dtc_id: str = Field(pattern=r"^[A-Z]{3}$")
    institution: str | None = Field(default=None, min_length=1)  # None: not named in the file
    country: str = Field(min_length=1)
    country_fr: str | None = None
    start: dt.date
    call: str = Field(min_length=1)
    reference: str = Field(min_length=1)


class Indicator(Documented):
    id: str = Field(pattern=ID)
    label: str = Field(min_length=1, max_length=40)
    label_fr: str = Field(min_length=1, max_length=40)
    unit: str = Field(min_length=1)
    unit_fr: str | None = None
    adds_up: Literal["sum", "latest", "mean"]
    sum_of: tuple[str, ...] = ()
    share_of: str | None = None
    headers: tuple[str, ...] = ()  # other spellings of its column in reports (a form's own headers)

    @property
    def reported(self) -> bool:
        """A column of the periodic reports (a computed indicator is not)."""
        return not self.sum_of


class Target(Documented):
    dtc_id: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    value: float = Field(gt=0)
    first_period: str | None = None
    last_period: str | None = None
    example: bool
    source: str | None = None
    source_fr: str | None = None


class Programme(Documented):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    title_fr: str | None = None
    reporting: Reporting
    on_track: OnTrack
    centres: tuple[Centre, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    targets: tuple[Target, ...] = ()
    path: str = ""
    sha256: str = ""

    @property
    def kind(self) -> str:
        return self.reporting.period

    def period(self, text: str) -> Period:
        """A period the loader has checked."""
        return parse_period(text, self.kind)[0]

    @cached_property
    def periods(self) -> list[Period]:
        return periods_between(self.period(self.reporting.first_period), self.period(self.reporting.last_period))

    def due(self, period: Period) -> dt.date:
        return period.due(self.reporting.due_days)

    def first_period_of(self, centre: Centre) -> Period:
        """The first period a centre reports: the one it started in, or the programme's first."""
        return max(period_containing(centre.start, self.kind), self.periods[0])

    def target_span(self, target: Target) -> list[Period]:
        first = self.period(target.first_period) if target.first_period else self.periods[0]
        last = self.period(target.last_period) if target.last_period else self.periods[-1]
        return periods_between(first, last)

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def centre_by_id(self) -> dict[str, Centre]:
        return {c.dtc_id: c for c in self.centres}

    @property
    def reported_indicators(self) -> list[Indicator]:
        return [i for i in self.indicators if i.reported]

    def target_for(self, dtc_id: str, indicator: str) -> Target | None:
        return next((t for t in self.targets if t.dtc_id == dtc_id and t.indicator == indicator), None)


def load_programme(path: str | Path) -> Programme:
    """Read and check a programme file; every problem at once in a ProgrammeFileError."""
    path = Path(path)
    document, data = _document(path)
    try:
        programme = Programme.model_validate(document)
    except ValidationError as exc:
        raise ProgrammeFileError(path, [(_key_path(e["loc"]), _problem(e)) for e in exc.errors()]) from None
    problems = _cross_problems(programme)
    if problems:
        raise ProgrammeFileError(path, problems)
    return programme.model_copy(update={"path": str(path), "sha256": hashlib.sha256(data).hexdigest()})


def _problem(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (misspelt, or not part of the programme-file model)"
    return _plain(error)


def _document(path: Path) -> tuple[dict, bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProgrammeFileError(path, [("", f"cannot read the programme file ({exc.strerror or exc})")]) from None
    try:
        document = yaml.load(data.decode("utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a safe loader)
    except UnicodeDecodeError:
        raise ProgrammeFileError(path, [("", "the programme file is not UTF-8 text")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProgrammeFileError(path, [(f"line {mark.line + 1}" if mark else "", f"not valid YAML: {problem}")]) from None
    if not isinstance(document, dict):
        raise ProgrammeFileError(path, [("", "a programme file is a YAML mapping (key: value lines)")])
    reserved = [(key, "is set by dtc-select, not in the programme file") for key in ("path", "sha256") if key in document]
    if reserved:
        raise ProgrammeFileError(path, reserved)
    return document, data


def _cross_problems(programme: Programme) -> list[tuple[str, str]]:
    """What pydantic cannot see item by item: periods, ids referred to, duplicates."""
    problems: list[tuple[str, str]] = []
    kind = programme.kind

    def period_problem(key: str, text: str | None) -> None:
        if text is not None and parse_period(text, kind)[1]:
            problems.append((key, f"{text!r} {parse_period(text, kind)[1]}"))

    period_problem("reporting.first_period", programme.reporting.first_period)
    period_problem("reporting.last_period", programme.reporting.last_period)
    if not problems and programme.period(programme.reporting.first_period) > programme.period(programme.reporting.last_period):
        problems.append(("reporting.last_period", "comes before reporting.first_period"))
    _duplicates(problems, "centres", [c.dtc_id for c in programme.centres], "dtc_id")
    _duplicates(problems, "indicators", [i.id for i in programme.indicators], "id")
    known = programme.indicator_by_id
    for n, indicator in enumerate(programme.indicators):
        key = f"indicators[{n}]"
        for m, part in enumerate(indicator.sum_of):
            if part not in known or not known[part].reported:
                problems.append((f"{key}.sum_of[{m}]", f"{part!r} is not a reported indicator of this programme"))
        if indicator.share_of is not None:
            if indicator.share_of not in known or indicator.share_of == indicator.id:
                problems.append((f"{key}.share_of", f"{indicator.share_of!r} is not another indicator of this programme"))
            if indicator.adds_up != "sum" or known.get(indicator.share_of, indicator).adds_up != "sum":
                problems.append((f"{key}.adds_up", "a share compares sums: the part and the whole both add up by sum"))
        if indicator.sum_of and indicator.adds_up != "sum":
            problems.append((f"{key}.adds_up", "a computed sum (sum_of) adds up over periods by sum"))
    centres = programme.centre_by_id
    seen: set[tuple[str, str]] = set()
    for n, target in enumerate(programme.targets):
        key = f"targets[{n}]"
        if target.dtc_id != NETWORK and target.dtc_id not in centres:
            problems.append((f"{key}.dtc_id", f"{target.dtc_id!r} is not a centre of this programme (nor {NETWORK})"))
        if target.indicator not in known:
            problems.append((f"{key}.indicator", f"{target.indicator!r} is not an indicator of this programme"))
        if (target.dtc_id, target.indicator) in seen:
            problems.append((key, f"a second target for {target.dtc_id} and {target.indicator}"))
        seen.add((target.dtc_id, target.indicator))
        if not target.example and not target.source:
            problems.append((f"{key}.source", "a published target (example: false) names its source"))
        period_problem(f"{key}.first_period", target.first_period)
        period_problem(f"{key}.last_period", target.last_period)
    if not problems:  # the periods parse: each target's span lies within the programme's
        for n, target in enumerate(programme.targets):
            span = programme.target_span(target)
            if not span or span[0] < programme.periods[0] or span[-1] > programme.periods[-1]:
                problems.append((f"targets[{n}]", f"its periods ({target.first_period or programme.periods[0]} to "
                                                  f"{target.last_period or programme.periods[-1]}) are not within the "
                                                  f"programme's ({programme.periods[0]} to {programme.periods[-1]})"))
    return problems


def _duplicates(problems: list, key: str, ids: list[str], name: str) -> None:
    seen: set[str] = set()
    for n, item in enumerate(ids):
        if item in seen:
            problems.append((f"{key}[{n}].{name}", f"{item!r} is given twice"))
        seen.add(item)
