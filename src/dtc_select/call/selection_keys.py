"""The call file's selection part: seats and need, presence priority, earlier phases.

Models of `allocation:`, `presence_priority:` and `previous_selections:`; `dtc_select.call.model`
assembles them into the Call and re-exports them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from dtc_select.call import vocabulary as vocab
from dtc_select.call.base import Documented, _Model, _require_known, _require_unique
from dtc_select.call.limits import MAX_NEED, MAX_SEATS, NEED_WHY, SEATS_WHY, at_most


class PresencePriority(Documented):
    """Annex §3 priority to presence countries, applied one declared way: `bonus` added to the
    score, `tie_break` (decides between equal scores), `quota` (at least `minimum_share` of the
    seats, rounded up, for presence countries) or `none`."""

    method: str
    bonus: float = Field(default=0.0, ge=0, le=1)
    minimum_share: float | None = Field(default=None, gt=0, le=1)
    itu_offices: bool
    countries: tuple[str, ...] = ()
    countries_source: str | None = None
    countries_source_fr: str | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, method: str) -> str:
        return _require_known(method, vocab.PRESENCE_METHODS, "method")

    @model_validator(mode="after")
    def _settings_fit_the_method(self) -> PresencePriority:
        if self.method == "bonus" and self.bonus <= 0:
            raise ValueError("method 'bonus' needs a `bonus` above 0")
        if self.method != "bonus" and self.bonus:
            raise ValueError(f"`bonus` applies only with method 'bonus', not {self.method!r}")
        if (self.method == "quota") != (self.minimum_share is not None):
            raise ValueError("`minimum_share` is given exactly when method is 'quota'")
        return self


class PreviousCentre(_Model):
    """A centre selected in an earlier phase: it counts against its country's and region's caps."""

    id: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{3}$")  # ISO 3166 alpha-3
    region: str
    phase: str | None = None
    reference: str = Field(min_length=1)

    @field_validator("region")
    @classmethod
    def _known_region(cls, region: str) -> str:
        return _require_known(region, vocab.REGIONS, "region")


class PreviousSelections(Documented):
    centres: tuple[PreviousCentre, ...] = ()

    @field_validator("centres")
    @classmethod
    def _unique_ids(cls, centres: tuple[PreviousCentre, ...]) -> tuple[PreviousCentre, ...]:
        _require_unique([c.id for c in centres], "centre")
        return centres


class CompareWith(Documented):
    """Past outcomes (reference/past_outcomes.csv) the report sets the seats beside."""

    outcomes: tuple[str, ...] = Field(min_length=1)

    @field_validator("outcomes")
    @classmethod
    def _known_outcomes(cls, outcomes: tuple[str, ...]) -> tuple[str, ...]:
        from dtc_select.reference.regional import past_outcome_ids  # reads a shipped table

        for outcome in outcomes:
            _require_known(outcome, past_outcome_ids(), "past outcome")
        return outcomes


class Need(Documented):
    formula: str
    explicit: dict[str, Annotated[float, at_most(MAX_NEED, NEED_WHY)]] | None = None
    # The edition of the Internet-use figures (reference/indicators.py); none: the latest complete
    # edition published on or before `country_status.as_of`. Written as a year (2021 or "2021").
    indicator_edition: str | None = None

    @field_validator("formula")
    @classmethod
    def _known_formula(cls, formula: str) -> str:
        return _require_known(formula, vocab.NEED_FORMULAS, "need formula")

    @field_validator("indicator_edition", mode="before")
    @classmethod
    def _known_edition(cls, edition: object) -> object:
        from dtc_select.reference.indicators import edition_problem  # reads a shipped table

        if isinstance(edition, int) and not isinstance(edition, bool):
            edition = str(edition)  # YAML reads `indicator_edition: 2021` as a number
        if isinstance(edition, str):
            problem = edition_problem(edition.strip())
            if problem:
                raise ValueError(problem)
            return edition.strip()
        return edition

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
    # Bounded: see limits.MAX_SEATS (a mistyped 1000000000 would run for hours).
    seats: Annotated[int, Field(ge=0), at_most(MAX_SEATS, SEATS_WHY)]
    max_per_country: Annotated[int | None, Field(ge=1), at_most(MAX_SEATS, SEATS_WHY)]
    reserve_per_region: Annotated[int, Field(ge=0), at_most(MAX_SEATS, SEATS_WHY)]
    minimum_score: float | None = Field(default=None, ge=0, le=1)
    seat_method: Literal["sainte_lague", "dhondt", "huntington_hill", "largest_remainder"]
    need: Need
    compare_with: CompareWith | None = None
