"""What the call's priority and earlier phases mean for the selection, in numbers and tables.

- `presence_minimum`: the presence quota in seats (the call's `minimum_share` of the seats,
  rounded up), 0 unless the priority is applied as a quota.
- `without_presence_priority`: the same call with the priority switched off, for the report's
  "what the priority changed" comparison.
- `previous_centres`: `previous_selections` as a table, checked against the country table.
"""

from __future__ import annotations

import math

import pandas as pd

from dtc_select.call.model import Call
from dtc_select.reference.countries import CountryTable
from dtc_select.errors import CallFileError

PREVIOUS_COLUMNS = ["id", "country_iso3", "country_name", "region", "phase", "reference"]


def presence_minimum(call: Call) -> int:
    """Seats the presence quota keeps for countries where ITU or Cisco is present (0: no quota)."""
    priority = call.presence_priority
    if priority.method != "quota":
        return 0
    # The small tolerance keeps 0.3 × 10 at 3 seats, not 4, despite binary fractions.
    return math.ceil(priority.minimum_share * call.allocation.seats - 1e-9)


def without_presence_priority(call: Call) -> Call | None:
    """The call with the presence priority off, or None when it is already off."""
    priority = call.presence_priority
    if priority.method == "none":
        return None
    plain = priority.model_copy(update={"method": "none", "bonus": 0.0, "minimum_share": None})
    return call.model_copy(update={"presence_priority": plain})


def previous_centres(call: Call, table: CountryTable) -> pd.DataFrame:
    """One row per centre of an earlier phase (PREVIOUS_COLUMNS), sorted by id.

    Raises CallFileError naming the key of every centre whose country is unknown or whose region
    is not the one the shipped country table gives (a mistyped code would otherwise count against
    the wrong cap).
    """
    rows, problems = [], []
    for n, centre in enumerate(call.previous_centres):
        key = f"previous_selections.centres[{n}]"
        if centre.country not in table.frame.index:
            problems.append((f"{key}.country", f"{centre.country!r} is not a known ISO 3166 alpha-3 code"))
            continue
        region = table.frame.at[centre.country, "region"]
        if region != centre.region:
            problems.append((f"{key}.region", f"{centre.country} is in region {region}, not {centre.region}"))
            continue
        rows.append({"id": centre.id, "country_iso3": centre.country,
                     "country_name": table.frame.at[centre.country, "name_en"], "region": centre.region,
                     "phase": centre.phase, "reference": centre.reference})
    if problems:  # every centre's problem at once, as load_call does
        raise CallFileError.every(call.path, problems)
    frame = pd.DataFrame(rows, columns=PREVIOUS_COLUMNS)
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def earlier_centres_by_country(call: Call) -> dict[str, list[str]]:
    """ISO3 -> ids of the centres of earlier phases in that country (for the overrides' cap check)."""
    earlier: dict[str, list[str]] = {}
    for centre in call.previous_centres:
        earlier.setdefault(centre.country, []).append(centre.id)
    return earlier


def previous_per_region(previous: pd.DataFrame) -> dict[str, int] | None:
    """Earlier centres per region for `seats_per_region(already=...)`; None when there are none."""
    if previous.empty:
        return None
    return {str(r): int(n) for r, n in previous["region"].value_counts().items()}
