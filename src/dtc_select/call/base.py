"""Building blocks of the call-file model, shared by `call` and `call_selection`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    # Unknown keys are mistakes (a misspelt `wieght` must not be silently ignored); so are
    # infinite and NaN numbers (`.inf`, `.nan` in YAML), which no rule or weight can mean.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Documented(_Model):
    """Anything the committee sets says what it is and where in the Annex it comes from."""

    description: str = Field(min_length=1)
    description_fr: str | None = None
    reference: str = Field(min_length=1)
    reference_fr: str | None = None  # the Annex is French: its own words, for the French report


class Submission(Documented):
    """Where applications are sent (Annex §3: the public call says where): an e-mail address, a web
    address or a postal address, at least one. `dtc-select pack` prints it in the public call."""

    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    web: str | None = Field(default=None, pattern=r"^https?://\S+$")
    address: str | None = Field(default=None, min_length=1)
    address_fr: str | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> "Submission":
        if not (self.email or self.web or self.address):
            raise ValueError("say where applications are sent: email, web or address")
        return self


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
