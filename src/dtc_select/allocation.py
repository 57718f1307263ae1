"""Allocation: share the seats between ITU-D regions by need, then pick the selected centres.

Annex §3: "the regions with the greatest needs receive the most DTCs"; phase 1 had one per country.

Seats per region (`seats_per_region`). Each method is described in words by
`describe_seat_method`. The divisor methods (Sainte-Laguë, D'Hondt, Huntington-Hill) hand out the
seats one at a time to the region with the largest need / divisor, so a larger house never takes a
seat away; Huntington-Hill's first divisor is 0, so every region with a need gets one seat before
any gets a second. Largest remainder is Hamilton's method (quota floors, then largest fractions).
Averages and remainders are compared as exact fractions of the given floats, so rounding never
decides; an exact tie goes to the region with the larger need, then to the earlier one in REGIONS.
A region with need 0 gets no seat.

Selection (`allocate`), over the eligible applicants of the scoring stage (`rank` 1 = best):
1. Regional pass: in global rank order (hence each region's rank order) an applicant is selected
   when `within_region_quota` (its region has a seat left), not `country_cap_reached` (its country
   has fewer than `max_per_country` selected centres) and not `below_minimum_score`.
2. Reallocation: seats a region could not fill are pooled (giving regions in REGIONS order) and
   go one by one, in global rank order, to the remaining applicants that pass the country cap and
   the minimum score. Nobody else can be selected, so the number selected is
   min(total seats, applicants that can be selected under the caps).
3. Reserve: in each region holding a selected centre, the next `reserve_per_region` unselected
   applicants in rank order that pass the minimum score and whose country has not reached the cap
   (so they could take the seat of a centre in their region that withdrew).
4. Everyone else is not selected. Every row gets a reason in plain English.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import pandas as pd

REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")
SEAT_METHODS = {"sainte_lague", "dhondt", "huntington_hill", "largest_remainder"}
DEFAULT_REGION_NAMES = {"AFR": "Africa", "AMS": "Americas", "ARB": "Arab States",
                        "ASP": "Asia-Pacific", "CIS": "CIS", "EUR": "Europe"}
# Names read as "the Americas", "the Arab States", "the CIS" inside a sentence.
_TAKES_THE = {"Americas", "Arab States", "CIS"}
_RANKED_COLUMNS = ("application_id", "country_iso3", "country_name", "region", "score", "rank")

_DESCRIPTIONS = {
    "sainte_lague": "Sainte-Laguë highest averages: each seat goes in turn to the region with the "
    "largest need / (2 × seats so far + 1); it never takes a seat from a region when the total "
    "grows.",
    "dhondt": "D'Hondt highest averages: each seat goes in turn to the region with the largest "
    "need / (seats so far + 1), which slightly favours the regions with the greatest needs; it "
    "never takes a seat from a region when the total grows.",
    "huntington_hill": "Huntington-Hill: every region with a need first gets one seat, then each "
    "further seat goes to the region with the largest need / √(n × (n + 1)) for its n seats so "
    "far; it never takes a seat from a region when the total grows.",
    "largest_remainder": "Largest remainder (Hamilton): each region gets the whole part of its "
    "quota (seats × its share of the total need) and the seats left go to the largest fractional "
    "parts; unlike the divisor methods, one more seat in total can cost a region a seat.",
}


def describe_seat_method(method: str) -> str:
    """One plain-English sentence on how `method` shares the seats, for the committee report."""
    _check_method(method)
    return _DESCRIPTIONS[method]


def _check_method(method: str) -> None:
    if method not in SEAT_METHODS:
        raise ValueError(f"unknown seat method {method!r}; expected one of {sorted(SEAT_METHODS)}")


def _exact_needs(needs: Mapping[str, float]) -> dict[str, Fraction]:
    unknown = sorted(set(needs) - set(REGIONS))
    missing = [r for r in REGIONS if r not in needs]
    if unknown or missing:
        raise ValueError(f"needs must give one value per region {REGIONS}; "
                         f"unknown: {unknown or 'none'}, missing: {missing or 'none'}")
    exact = {}
    for r in REGIONS:
        try:
            value = float(needs[r])
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"the need of {r} must be a finite number >= 0, got {needs[r]!r}")
        exact[r] = Fraction(value)  # exact: ties are real ties, not rounding accidents
    if sum(exact.values()) <= 0:
        raise ValueError("the needs add up to 0: at least one region must have a need above 0")
    return exact


def seats_per_region(needs: Mapping[str, float], seats: int,
                     method: str = "sainte_lague") -> pd.DataFrame:
    """Share `seats` between REGIONS in proportion to `needs` by `method` (see SEAT_METHODS).

    Returns need, need_share, quota and seats (int) per region, in REGIONS order. Ties between
    averages (or remainders) go to the larger need, then to the region earlier in REGIONS.
    Raises ValueError for a negative or missing need, needs adding up to 0, or negative seats.
    """
    _check_method(method)
    if isinstance(seats, bool) or not isinstance(seats, numbers.Integral) or seats < 0:
        raise ValueError(f"the number of seats must be a whole number >= 0, got {seats!r}")
    seats = int(seats)
    need = _exact_needs(needs)
    total = sum(need.values())
    quota = {r: seats * need[r] / total for r in REGIONS}
    contenders = [r for r in REGIONS if need[r] > 0]  # need 0 never gets a seat

    def tie_break(r: str) -> tuple:
        return need[r], -REGIONS.index(r)

    won = dict.fromkeys(REGIONS, 0)
    if method == "largest_remainder":
        for r in REGIONS:
            won[r] = math.floor(quota[r])
        by_remainder = sorted(contenders, key=lambda r: (quota[r] - won[r], *tie_break(r)),
                              reverse=True)
        for r in by_remainder[: seats - sum(won.values())]:
            won[r] += 1
    else:
        def average(r: str) -> Fraction | float:
            n = won[r]
            if method == "sainte_lague":
                return need[r] / (2 * n + 1)
            if method == "dhondt":
                return need[r] / (n + 1)
            # Huntington-Hill: need / sqrt(n(n+1)), compared squared to stay exact; n = 0 first.
            return math.inf if n == 0 else need[r] ** 2 / (n * (n + 1))

        for _ in range(seats):
            won[max(contenders, key=lambda r: (average(r), *tie_break(r)))] += 1

    return pd.DataFrame(
        {"need": [float(need[r]) for r in REGIONS],
         "need_share": [float(need[r] / total) for r in REGIONS],
         "quota": [float(quota[r]) for r in REGIONS],
         "seats": pd.array([won[r] for r in REGIONS], dtype="int64")},
        index=pd.Index(REGIONS, name="region"))


@dataclass(frozen=True)
class Allocation:
    """`decisions`: indexed like `ranked`; status (selected/reserve/not_selected), region_rank,
    reserve_position, seat_source (regional/reallocated/missing), reasons.
    `seats`: the input seats frame plus filled (selected centres in the region, whatever the
    source), eligible, unfilled_to_others, received_from_others and left_empty, so that
    filled = seats - unfilled_to_others - left_empty + received_from_others."""

    decisions: pd.DataFrame
    seats: pd.DataFrame


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _the(name: str) -> str:
    return f"the {name}" if name in _TAKES_THE else name


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _score_pair(score: float, minimum: float) -> tuple[str, str]:
    # Two decimals unless they would print the same number for a score that is below the minimum.
    for digits in range(2, 18):
        a, b = f"{score:.{digits}f}", f"{minimum:.{digits}f}"
        if a != b:
            return a, b
    return repr(score), repr(minimum)


def _check_allocate_inputs(ranked, seats, max_per_country, reserve_per_region) -> None:
    missing = [c for c in _RANKED_COLUMNS if c not in ranked.columns]
    if missing:
        raise ValueError(f"ranked applicants lack the columns {missing}")
    problems = []
    ids = ranked["application_id"]
    if ids.duplicated().any():
        problems.append(f"application_id is not unique: {sorted(set(ids[ids.duplicated()]))}")
    if ranked["rank"].isna().any() or ranked["rank"].duplicated().any():
        problems.append("rank must be given and unique (the scoring stage breaks ties)")
    if not ranked["region"].isin(REGIONS).all():
        problems.append(f"unknown regions {sorted(set(ranked['region'].dropna()) - set(REGIONS))}")
    if ranked["country_iso3"].isna().any():
        problems.append("country_iso3 is missing on some rows")
    if ranked["score"].isna().any():
        problems.append("score is missing on some rows")
    if "seats" not in seats.columns or not set(REGIONS) <= set(seats.index):
        problems.append(f"seats must have a 'seats' column and one row per region {REGIONS}")
    elif (seats.loc[list(REGIONS), "seats"] < 0).any():
        problems.append("seats per region must be >= 0")
    if max_per_country is not None and max_per_country < 1:
        problems.append(f"max_per_country must be None or >= 1, got {max_per_country}")
    if reserve_per_region < 0:
        problems.append(f"reserve_per_region must be >= 0, got {reserve_per_region}")
    if problems:
        raise ValueError("; ".join(problems))


def allocate(ranked: pd.DataFrame, seats: pd.DataFrame, *, max_per_country: int | None = 1,
             reserve_per_region: int = 2, minimum_score: float | None = None,
             region_names: Mapping[str, str] | None = None) -> Allocation:
    """Decide selected / reserve / not_selected for the eligible `ranked` applicants (see module
    docstring for the steps). Pure: the result does not depend on the row order of `ranked`."""
    _check_allocate_inputs(ranked, seats, max_per_country, reserve_per_region)
    names = {**DEFAULT_REGION_NAMES, **(region_names or {})}
    # Work on row positions in global rank order; index labels only come back at the end.
    order = ranked["rank"].reset_index(drop=True).sort_values(kind="stable").index.tolist()
    app = ranked["application_id"].tolist()
    country = ranked["country_iso3"].tolist()
    region = ranked["region"].tolist()
    score = ranked["score"].astype(float).tolist()
    rank = ranked["rank"].tolist()
    own_seats = {r: int(seats.at[r, "seats"]) for r in REGIONS}

    region_rank = [0] * len(ranked)
    seen = Counter()
    for i in order:
        seen[region[i]] += 1
        region_rank[i] = seen[region[i]]

    below_minimum_score = [minimum_score is not None and s < minimum_score for s in score]
    holders: dict[str, list[int]] = {}   # country -> selected rows, in the order selected
    filled = Counter()
    source: dict[int, str] = {}

    def country_cap_reached(i: int) -> bool:
        return max_per_country is not None and len(holders.get(country[i], ())) >= max_per_country

    def select(i: int, how: str) -> None:
        source[i] = how
        holders.setdefault(country[i], []).append(i)
        filled[region[i]] += 1

    # 1. Regional pass.
    for i in order:
        within_region_quota = filled[region[i]] < own_seats[region[i]]
        if within_region_quota and not country_cap_reached(i) and not below_minimum_score[i]:
            select(i, "regional")

    # 2. Reallocation of the seats a region could not fill.
    unfilled = {r: own_seats[r] - filled[r] for r in REGIONS}
    pool = [r for r in REGIONS for _ in range(unfilled[r])]
    pooled = len(pool)
    remaining = [i for i in order if i not in source]
    giver: dict[int, str] = {}
    for i in remaining:
        if not pool:
            break
        if not country_cap_reached(i) and not below_minimum_score[i]:
            giver[i] = pool.pop(0)
            select(i, "reallocated")
    received = Counter(region[i] for i in giver)
    given = Counter(giver.values())

    # 3. Reserve lists, only where a selected centre could withdraw.
    reserve: dict[int, int] = {}
    taken = Counter()
    for i in order:
        r = region[i]
        could_replace = (i not in source and not below_minimum_score[i]
                         and not country_cap_reached(i))
        if could_replace and filled[r] > 0 and taken[r] < reserve_per_region:
            taken[r] += 1
            reserve[i] = taken[r]

    def in_region(i: int) -> str:
        r = region[i]
        text = (f"{_ordinal(region_rank[i])} in {_the(names[r])}, "
                f"which has {_plural(own_seats[r], 'seat')}")
        if received[r]:
            text += f" and received {received[r]} more that other regions could not fill"
        return text

    # 4. Status and reason for every row.
    position_in_remaining = {i: n for n, i in enumerate(remaining, start=1)}
    status, reasons = [], []
    for i in range(len(ranked)):
        if source.get(i) == "regional":
            status.append("selected")
            reasons.append(f"selected: ranked {in_region(i)}")
        elif i in source:
            status.append("selected")
            reasons.append(f"selected: ranked {_ordinal(position_in_remaining[i])} overall among "
                           f"the remaining applicants; took a seat that "
                           f"{_the(names[giver[i]])} could not fill")
        elif i in reserve:
            status.append("reserve")
            reasons.append(f"reserve {reserve[i]} for {_the(names[region[i]])}: "
                           f"ranked {in_region(i)}")
        else:
            status.append("not_selected")
            if below_minimum_score[i]:
                shown, least = _score_pair(score[i], minimum_score)
                reasons.append(f"not selected: score {shown} is below the call's "
                               f"minimum score {least}")
            elif country_cap_reached(i):
                rows = holders[country[i]]
                higher = " ranked higher" if all(rank[j] < rank[i] for j in rows) else ""
                centres = "a selected centre" if len(rows) == 1 else f"{len(rows)} selected centres"
                limit = "" if max_per_country == 1 else ", the most the call allows per country"
                ids = ", ".join(app[j] for j in rows)
                reasons.append(f"not selected: {ranked['country_name'].iat[i]} already has "
                               f"{centres}{higher} ({ids}){limit}")
            else:  # its region's seats all went to applicants ranked higher in the region
                text = f"not selected: ranked {in_region(i)}"
                if taken[region[i]]:
                    text += "; below the reserve list"
                if pooled:
                    text += ("; the seats other regions could not fill went to applicants "
                             "ranked higher overall")
                reasons.append(text)

    decisions = pd.DataFrame(
        {"status": status,
         "region_rank": pd.array(region_rank, dtype="Int64"),
         "reserve_position": pd.array([reserve.get(i) for i in range(len(ranked))], dtype="Int64"),
         "seat_source": [source.get(i) for i in range(len(ranked))],
         "reasons": reasons},
        index=ranked.index)
    table = seats.loc[list(REGIONS)].copy()
    table["filled"] = [filled[r] for r in REGIONS]
    table["eligible"] = [region.count(r) for r in REGIONS]
    table["unfilled_to_others"] = [given[r] for r in REGIONS]
    table["received_from_others"] = [received[r] for r in REGIONS]
    # Seats nobody could take: too few applicants anywhere pass the caps.
    table["left_empty"] = [unfilled[r] - given[r] for r in REGIONS]
    return Allocation(decisions=decisions, seats=table)
