"""The call's application form: what the applications file holds, as the call declares it.

How the file's headers are read (`intake.column_names`) and how its dates are written
(`intake.date_order`) are the call's; the kinds of answer and how each is read are the code's
(`intake/parsing.py`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from dtc_select.call import vocabulary as vocab
from dtc_select.call.base import Documented, _require_known
from dtc_select.intake.parsing import header_lookup


def _listed(value: Any) -> Any:
    return (value,) if isinstance(value, str) else value


def _contract_column(name: str) -> str:
    return _require_known(name, tuple(vocab.APPLICATION_FIELDS), "contract column")


class IntakeRules(Documented):
    """How the applications file's headers are read: besides its own name, each contract column
    listed here is recognised under these headers (a form's own questions), compared without
    case, accents, spacing or punctuation."""

    column_names: dict[Annotated[str, AfterValidator(_contract_column)],
                       Annotated[tuple[str, ...], BeforeValidator(_listed), Field(min_length=1)]] = {}
    # How the form writes day/month/year dates (a French form: day_first, 03/04/2021 = 3 April).
    # Not declared: each date column is read in the order its own dates prove (intake/dates.py).
    date_order: Literal["day_first", "month_first"] | None = None

    @field_validator("column_names")
    @classmethod
    def _one_meaning_per_header(cls, names: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        header_lookup(names, vocab.APPLICATION_FIELDS)  # ValueError naming the spelling
        return names
