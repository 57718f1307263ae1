"""Seats per region: share a call's seats between the ITU-D regions in proportion to their needs.

Annex §3: "the regions with the greatest needs receive the most DTCs". Each method is described
in words by `describe_seat_method`. The divisor methods (Sainte-Laguë, D'Hondt, Huntington-Hill)
hand out the seats one at a time to the region with the largest quotient need / divisor(n), n
being the seats it holds so far, so a larger house never takes a seat away (house-monotone);
Huntington-Hill's first divisor is 0, so every region with a need gets one seat before any gets a
second. Largest remainder is Hamilton's method (quota floors, then largest fractions).
Quotients and remainders are compared as exact fractions of the given floats, so rounding never
decides; an exact tie goes to the region with the larger need, then to the earlier one in REGIONS.
A region with need 0 gets no seat.

Later phases (`already`): the centres selected in earlier phases count as seats a region already
holds. A divisor method then simply continues from them: each new seat goes to the largest
need / divisor(seats held so far, earlier centres included). Largest remainder cannot do this
(it is not built seat by seat) and refuses earlier centres.

`seat_quotients` lists, region by region, the quotients the divisor method compared and which of
them won a seat, in the order they were won, so a committee member can recompute the seats by hand.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Mapping

import pandas as pd

REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")
SEAT_METHODS = {"sainte_lague", "dhondt", "huntington_hill", "largest_remainder"}
DIVISOR_METHODS = ("sainte_lague", "dhondt", "huntington_hill")
METHOD_NAMES = {"largest_remainder": "Largest remainder (Hamilton)", "dhondt": "D'Hondt",
                "sainte_lague": "Sainte-Laguë", "huntington_hill": "Huntington-Hill"}
# How each divisor method writes the divisor of a region holding n seats, for the report.
DIVISOR_WORDS = {"sainte_lague": "2n + 1", "dhondt": "n + 1", "huntington_hill": "√(n × (n + 1))"}

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


def _exact_already(already: Mapping[str, int] | None) -> dict[str, int]:
    already = dict(already or {})
    unknown = sorted(set(already) - set(REGIONS))
    if unknown:
        raise ValueError(f"earlier centres in unknown regions {unknown}")
    counts = {r: already.get(r, 0) for r in REGIONS}
    for r, n in counts.items():
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise ValueError(f"earlier centres of {r} must be a whole number >= 0, got {n!r}")
    return {r: int(n) for r, n in counts.items()}


def _squared_quotient(method: str, need: Fraction, n: int) -> Fraction | float:
    """(need / divisor(n))², exact; Huntington-Hill's divisor 0 gives infinity (first seat)."""
    if method == "sainte_lague":
        return (need / (2 * n + 1)) ** 2
    if method == "dhondt":
        return (need / (n + 1)) ** 2
    return math.inf if n == 0 else need ** 2 / (n * (n + 1))


def divisor(method: str, n: int) -> float:
    """The divisor a region holding n seats is compared with, for its next seat."""
    return {"sainte_lague": 2 * n + 1, "dhondt": n + 1}.get(method, math.sqrt(n * (n + 1)))


def _divisor_order(need: dict[str, Fraction], seats: int, method: str,
                   start: dict[str, int]) -> list[str]:
    """The region that wins each seat, in turn (the divisor method, seat by seat)."""
    held = dict(start)
    contenders = [r for r in REGIONS if need[r] > 0]  # need 0 never gets a seat
    order = []
    for _ in range(seats):
        winner = max(contenders, key=lambda r: (_squared_quotient(method, need[r], held[r]),
                                                need[r], -REGIONS.index(r)))
        held[winner] += 1
        order.append(winner)
    return order


def _check_seats(seats) -> int:
    if isinstance(seats, bool) or not isinstance(seats, numbers.Integral) or seats < 0:
        raise ValueError(f"the number of seats must be a whole number >= 0, got {seats!r}")
    return int(seats)


def seats_per_region(needs: Mapping[str, float], seats: int, method: str = "sainte_lague",
                     *, already: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Share `seats` between REGIONS in proportion to `needs` by `method` (see SEAT_METHODS).

    Returns need, need_share, quota and seats (int) per region, in REGIONS order. With `already`
    (centres selected in earlier phases, per region) also `previous`; `seats` are then the new
    seats only and `quota` is the region's exact share of the whole network (earlier + new).
    Ties between quotients (or remainders) go to the larger need, then to the region earlier in
    REGIONS. Raises ValueError for a negative or missing need, needs adding up to 0, negative
    seats, or earlier centres with largest remainder.
    """
    _check_method(method)
    seats = _check_seats(seats)
    need = _exact_needs(needs)
    start = _exact_already(already)
    if method == "largest_remainder" and any(start.values()):
        raise ValueError("largest remainder cannot count centres of earlier phases (it is not "
                         "built seat by seat); use a divisor method")
    total = sum(need.values())
    network = seats + sum(start.values())
    quota = {r: network * need[r] / total for r in REGIONS}

    won = dict.fromkeys(REGIONS, 0)
    if method == "largest_remainder":
        for r in REGIONS:
            won[r] = math.floor(quota[r])
        contenders = [r for r in REGIONS if need[r] > 0]
        by_remainder = sorted(contenders, key=lambda r: (quota[r] - won[r], need[r], -REGIONS.index(r)),
                              reverse=True)
        for r in by_remainder[: seats - sum(won.values())]:
            won[r] += 1
    else:
        for r in _divisor_order(need, seats, method, start):
            won[r] += 1

    frame = pd.DataFrame(
        {"need": [float(need[r]) for r in REGIONS],
         "need_share": [float(need[r] / total) for r in REGIONS],
         "quota": [float(quota[r]) for r in REGIONS],
         "seats": pd.array([won[r] for r in REGIONS], dtype="int64")},
        index=pd.Index(REGIONS, name="region"))
    if already is not None:
        frame.insert(3, "previous", pd.array([start[r] for r in REGIONS], dtype="int64"))
    return frame


def seat_quotients(needs: Mapping[str, float], seats: int, method: str,
                   *, already: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The working of a divisor method: one row per quotient it compared.

    Columns: region, held (seats the region held before this one, earlier centres included),
    divisor, quotient (need / divisor; inf for Huntington-Hill's first seat) and won (the seat's
    number in the order seats were handed out, <NA> for the first quotient that did not win).
    Every region with a need shows the quotients that won plus the next one, so the cut-off can be
    seen: every winning quotient is at least as large as every losing one.
    """
    if method not in DIVISOR_METHODS:
        raise ValueError(f"{method!r} is not a divisor method: it has no quotients")
    need = _exact_needs(needs)
    start = _exact_already(already)
    order = _divisor_order(need, _check_seats(seats), method, start)
    rows = []
    for r in REGIONS:
        if need[r] <= 0:
            continue
        wins = [k for k, winner in enumerate(order, start=1) if winner == r]
        for step in range(len(wins) + 1):
            held = start[r] + step
            d = divisor(method, held)
            rows.append({"region": r, "held": held, "divisor": d,
                         "quotient": math.inf if d == 0 else float(need[r]) / d,
                         "won": wins[step] if step < len(wins) else None})
    frame = pd.DataFrame(rows, columns=["region", "held", "divisor", "quotient", "won"])
    frame["won"] = frame["won"].astype("Int64")
    return frame


def compare_methods(needs: Mapping[str, float], seats: int,
                    *, already: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Seats per region (rows, REGIONS order) under every method (columns, in METHOD_NAMES
    order); a method that cannot count earlier centres has <NA> in its column."""
    columns = {}
    for method in METHOD_NAMES:
        try:
            columns[method] = seats_per_region(needs, seats, method, already=already)["seats"]
        except ValueError:
            if not (already and any(already.values())):
                raise
            columns[method] = pd.Series(pd.NA, index=pd.Index(REGIONS, name="region"), dtype="Int64")
    return pd.DataFrame(columns).astype("Int64")
