"""What the selection engine needs to know about a contest, as arrays: `Contest` and its `Cap`s.

A contest is the eligible applicants (one position each, 0..N-1), the seats per region and the
rules that bound who may hold a seat: the minimum score (as a `passes` mask the caller gives the
engine), the caps, the presence quota and the reserve. Each cap is "at most `limit` selected
centres per group" (the country cap: one per country, Annex §3, centres of earlier phases
counted). The engine (`engine.run_rules`) applies every cap of `Contest.caps` in every pass:
regional seats, reallocation, the quota's swaps and the reserve.

Adding a cap to a call is one place: a function in `EXTRA_CAPS` that reads the applicants and
the call and returns a `Cap` (or None when the call does not apply it). `extra_caps` builds them
for the allocation stage and the ranking checks alike, so the decision, the stability samples,
the margins and the counterfactuals all apply it (tests/seats/test_engine_rules.py adds one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Cap:
    """At most `limit` selected centres per group: `group` (N,) is each applicant's group code
    0..G-1, `earlier` (G,) the centres a group already holds (earlier phases), `labels` (G,) the
    groups' names for the reasons, `what` the kind of group in words ("organisation type")."""

    what: str
    group: np.ndarray
    limit: int
    earlier: np.ndarray
    labels: tuple = ()

    @property
    def room(self) -> np.ndarray:
        """(G,) centres each group may still take."""
        return np.maximum(self.limit - self.earlier, 0)


@dataclass(frozen=True)
class Contest:
    """What the selection needs about the eligible applicants, as arrays (position i = row i of
    the ranked frame): region and country codes, seats per region code, the caps, the presence
    bonus and the tie-break keys that do not depend on the weights. Region codes follow the seats
    table's rows (REGIONS order): the reallocation pools unfilled seats in that order."""

    index: pd.Index
    ids: np.ndarray             # (N,) application ids
    region: np.ndarray          # (N,) region code
    country: np.ndarray         # (N,) country code
    seats: np.ndarray           # (R,) seats per region code
    max_per_country: int
    minimum_score: float | None
    bonus: np.ndarray           # (N,)
    earlier: np.ndarray         # (K,) centres of earlier phases per country code
    presence: np.ndarray        # (N,) ITU or Cisco present in the host country
    presence_minimum: int       # seats the presence quota keeps (0: no quota)
    # The tie-break chain, in order: ("merit", ascending) for merit_score, else one (N,) code per
    # run of keys that do not depend on the weights (0..N-1, sorting as those keys do).
    tie_keys: tuple
    reserve_per_region: int = 0
    extra_caps: tuple = field(default=())  # Caps beyond the country's (EXTRA_CAPS)

    @property
    def size(self) -> int:
        return len(self.index)

    @cached_property
    def caps(self) -> tuple[Cap, ...]:
        """Every cap the engine applies, the country cap first."""
        countries = max(int(self.country.max(initial=-1)) + 1, len(self.earlier))
        earlier = np.zeros(countries, dtype=np.int64)
        earlier[:len(self.earlier)] = self.earlier
        return (Cap("country", self.country, self.max_per_country, earlier),) + tuple(self.extra_caps)

    @cached_property
    def compatriots_taken_in_rank_order(self) -> bool:
        """A selected applicant has every passing compatriot ranked above it selected too, which
        the shortcuts over candidates rely on. True when no cap goes beyond the country's and,
        with a presence quota, presence is the same for every applicant of a country (as it is
        for every real call: it is a fact of the host country, `reference/hosts.py`). Applicants
        of one country with different presence would let the quota's swap take a compatriot
        ranked below one left out."""
        if self.extra_caps:
            return False
        if not self.presence_minimum:
            return True
        # As many (country, presence) pairs as countries: no country has both.
        return len(np.unique(self.country * 2 + self.presence)) == len(np.unique(self.country))

    @cached_property
    def by_country(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(applicant positions grouped by country, where each group starts, its country code)."""
        grouped = np.argsort(self.country, kind="stable")
        codes = self.country[grouped]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.zeros(0, dtype=int)
        return grouped, starts, codes[starts]

    @cached_property
    def at_tie_code(self) -> np.ndarray | None:
        """The applicant position of each tie-break code 0..N-1 when the chain is one static key
        that orders every applicant (a unique code each); else None."""
        if len(self.tie_keys) != 1 or isinstance(self.tie_keys[0], tuple):
            return None
        code = self.tie_keys[0].astype(np.int64)
        if not np.array_equal(np.sort(code), np.arange(self.size)):
            return None
        at = np.empty(self.size, dtype=np.int64)
        at[code] = np.arange(self.size)
        return at


# Caps a call may apply beyond the country cap: each reads the eligible applicants (a frame with
# the application columns) and the call, and returns a Cap over those rows or None. Empty in
# the shipped calls; a new rule of a later call is one function here.
EXTRA_CAPS: list[Callable[[pd.DataFrame, object], Cap | None]] = []


def extra_caps(applicants: pd.DataFrame, call) -> tuple[Cap, ...]:
    """The EXTRA_CAPS the call applies, over the rows of `applicants` in their order."""
    built = (rule(applicants, call) for rule in EXTRA_CAPS)
    return tuple(cap for cap in built if cap is not None)


def cap_per_column(applicants: pd.DataFrame, column: str, limit: int, what: str) -> Cap:
    """A cap of `limit` selected centres per value of `column` (missing values form one group)."""
    group, labels = pd.factorize(applicants[column].astype(object).fillna("not stated"), sort=True)
    return Cap(what, group.astype(np.int64), int(limit), np.zeros(len(labels), dtype=np.int64),
               tuple(str(v) for v in labels))
