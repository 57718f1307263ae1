"""Allocation: pick the selected centres under the regional seats and the caps.

Annex §3: "the regions with the greatest needs receive the most DTCs"; phase 1 had one per country.
Seats per region come from `dtc_select.seats.per_region` (re-exported here: `seats_per_region`,
`describe_seat_method`, REGIONS, SEAT_METHODS).

Selection (`allocate`), over the eligible applicants of the scoring stage (`rank` 1 = best):
1. Regional pass: in global rank order (hence each region's rank order) an applicant is selected
   when `within_region_quota` (its region has a seat left), not `country_cap_reached` (its country
   has fewer than `max_per_country` centres, those of earlier phases in `previous` included) and
   not `below_minimum_score`.
2. Reallocation (UNFILLED_SEATS_RULE): seats a region could not fill are pooled (giving regions in
   REGIONS order) and go one by one, in global rank order, to the remaining applicants that pass
   the country cap and the minimum score. Nobody else can be selected, so the number selected is
   min(total seats, applicants that can be selected under the caps).
3. Presence quota (only with `presence_minimum` > 0, PRESENCE_QUOTA_RULE): while fewer than
   `presence_minimum` selected centres are in countries where ITU or Cisco is present, the best
   ranked unselected presence applicant that passes the caps takes the seat of the lowest-ranked
   selected centre of its own region from a country without presence. A region's number of
   centres never changes, nor does the number selected.
4. Reserve: in each region holding a selected centre, the next `reserve_per_region` unselected
   applicants in rank order that pass the minimum score and whose country has not reached the cap
   (so they could take the seat of a centre in their region that withdrew).
5. Everyone else is not selected. Every row gets its reasons as data (`reason_data`, a list of
   `reasons.model.Reason`) and in English (`reasons`).
Steps 1 to 4 run in the selection engine (`engine.py`, the same rules the stability samples, the
margins and the counterfactuals run); the statuses and reasons are read off its trace
(`trace.py`, kept on the result as `Allocation.trace`). Caps beyond the country's (`caps`,
`contest.EXTRA_CAPS`) hold in every step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from dtc_select.seats.contest import Cap
from dtc_select.reasons.model import Reason, reason
from dtc_select.reasons.render import Renderer
from dtc_select.seats.trace import SeatTrace, allocation_contest, other_cap_reason, seat_trace
from dtc_select.seats.per_region import (  # noqa: F401  (re-exported: the seat methods used to live here)
    REGIONS,
    SEAT_METHODS,
    describe_seat_method,
    seats_per_region,
)

_RANKED_COLUMNS = ("application_id", "country_iso3", "country_name", "region", "score", "rank")
_PREVIOUS_COLUMNS = ("id", "country_iso3", "region")
# The order in which a country's centres were taken: regional pass, reallocation, quota swaps.
_STEP = {"regional": 0, "reallocated": 1, "presence_quota": 2}

UNFILLED_SEATS_RULE = (
    "Seats a region cannot fill (too few eligible applicants there, or all of them held back by "
    "the country cap or the minimum score) are pooled and go one by one to the best-ranked "
    "applicants not yet selected, whatever their region, that pass the country cap and the "
    "minimum score. Seats nobody can take stay empty.")
PRESENCE_QUOTA_RULE = (
    "While fewer selected centres than the quota are in countries where ITU or Cisco is present, "
    "the best-ranked applicant from such a country that is not selected (and passes the country "
    "cap and the minimum score) takes the seat of the lowest-ranked selected centre of its own "
    "region from a country without presence. A region's number of centres never changes.")


@dataclass(frozen=True)
class Allocation:
    """`decisions`: indexed like `ranked`; status (selected/reserve/not_selected), region_rank,
    reserve_position, seat_source (regional/reallocated/missing), reasons (English) and
    reason_data (the same as `reasons.model.Reason`s).
    `seats`: the input seats frame plus filled (selected centres in the region, whatever the
    source), eligible, unfilled_to_others, received_from_others and left_empty, so that
    filled = seats - unfilled_to_others - left_empty + received_from_others.
    `trace`: what the selection engine did, per applicant (`trace.SeatTrace`; the reasons are
    written from it)."""

    decisions: pd.DataFrame
    seats: pd.DataFrame
    trace: SeatTrace | None = None


def _check_allocate_inputs(ranked, seats, max_per_country, reserve_per_region, previous,
                           presence_minimum) -> None:
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
    if previous is not None:
        lacking = [c for c in _PREVIOUS_COLUMNS if c not in previous.columns]
        if lacking:
            problems.append(f"previous selections lack the columns {lacking}")
        elif previous["id"].duplicated().any() or previous["country_iso3"].isna().any():
            problems.append("previous selections need a unique id and a country_iso3 on every row")
    if isinstance(presence_minimum, bool) or not isinstance(presence_minimum, int) or presence_minimum < 0:
        problems.append(f"presence_minimum must be a whole number >= 0, got {presence_minimum!r}")
    elif presence_minimum and "presence" not in ranked.columns:
        problems.append("a presence quota needs a 'presence' column in the ranked applicants")
    if problems:
        raise ValueError("; ".join(problems))


def _earlier_centres(previous: pd.DataFrame | None) -> dict[str, list[str]]:
    """Country -> ids of its centres from earlier phases, sorted (the input order never matters)."""
    earlier: dict[str, list[str]] = {}
    if previous is not None:
        for centre, iso3 in sorted(zip(previous["id"].astype(str), previous["country_iso3"])):
            earlier.setdefault(iso3, []).append(centre)
    return earlier


def allocate(ranked: pd.DataFrame, seats: pd.DataFrame, *, max_per_country: int | None = 1,
             reserve_per_region: int = 2, minimum_score: float | None = None,
             previous: pd.DataFrame | None = None,
             presence_minimum: int = 0, caps: tuple[Cap, ...] = (), explain: bool = True,
             worded: bool = True) -> Allocation:
    """Decide selected / reserve / not_selected for the eligible `ranked` applicants (see module
    docstring for the steps). `previous`: centres of earlier phases (id, country_iso3, region),
    counted against the country cap (the regional seats count them already, see
    `seats_per_region(already=...)`). `presence_minimum`: the presence quota, in seats; it reads
    the boolean column `presence` of `ranked`. `caps`: caps beyond the country's, over the rows
    of `ranked` (`contest.extra_caps`). Pure: the result does not depend on the row order of
    `ranked` or `previous`. `explain=False` leaves out why each applicant was not selected (their
    `reasons` empty): for a selection whose statuses alone are wanted (a counterfactual).
    `worded=False` leaves out the English `reasons` column (`reason_data` holds them as data): for
    the pipeline, which words every row's reasons once when it assembles the decisions."""
    _check_allocate_inputs(ranked, seats, max_per_country, reserve_per_region, previous, presence_minimum)
    # Work on row positions in global rank order; index labels only come back at the end.
    order = ranked["rank"].reset_index(drop=True).sort_values(kind="stable").index.tolist()
    app = ranked["application_id"].tolist()
    country = ranked["country_iso3"].tolist()
    country_name = ranked["country_name"].tolist()  # once: a column lookup per capped applicant cost seconds
    region = ranked["region"].tolist()
    score = ranked["score"].astype(float).tolist()
    rank = ranked["rank"].tolist()
    own_seats = {r: int(seats.at[r, "seats"]) for r in REGIONS}
    earlier = _earlier_centres(previous)

    region_rank = [0] * len(ranked)
    seen = Counter()
    for i in order:
        seen[region[i]] += 1
        region_rank[i] = seen[region[i]]

    below_minimum_score = [minimum_score is not None and s < minimum_score for s in score]
    # Steps 1 to 4 run in the selection engine; the rest reads its trace.
    contest = allocation_contest(ranked, seats, max_per_country=max_per_country,
                                 reserve_per_region=reserve_per_region, minimum_score=minimum_score,
                                 previous=previous, presence_minimum=presence_minimum, caps=caps)
    traced = seat_trace(contest, order, [not b for b in below_minimum_score])
    trace = traced.columns
    row_of = {a: i for i, a in enumerate(app)}
    source = {i: how for i, how in enumerate(trace["seat_source"]) if how is not None}
    holders: dict[str, list[int]] = {}   # country -> selected rows, in the order selected
    for i in sorted(source, key=lambda i: (_STEP[source[i]], rank[i])):
        holders.setdefault(country[i], []).append(i)
    filled = Counter(region[i] for i in source)
    giver = {i: g for i, g in enumerate(trace["seat_from_region"]) if g is not None}
    # The row that lost its seat -> the row that took it, under the presence quota.
    displaced = {i: row_of[by] for i, by in enumerate(trace["lost_seat_to"]) if by is not None}
    took_seat_of = {p: q for q, p in displaced.items()}
    unfilled = traced.unfilled
    pooled = sum(unfilled.values())
    remaining = [i for i in order if not trace["regional_pass"][i]]
    received = Counter(region[i] for i in giver)
    given = Counter(giver.values())
    reserve = {i: int(r) for i, r in enumerate(trace["reserve_position"]) if r}
    taken = Counter(region[i] for i in reserve)

    def country_cap_reached(i: int) -> bool:
        held = len(holders.get(country[i], ())) + len(earlier.get(country[i], ()))
        return max_per_country is not None and held >= max_per_country

    def in_region(i: int) -> dict:
        r = region[i]
        return {"region": r, "region_rank": region_rank[i], "seats": own_seats[r], "received": received[r]}

    def lost_to_quota(i: int) -> Reason:
        return reason("seat.lost_to_quota", winner=app[displaced[i]], quota_seats=presence_minimum)

    # One Reason per distinct case, shared by the applicants it explains: worded once (Renderer.rows).
    capped: dict[tuple, Reason] = {}

    def cap_reason(i: int) -> Reason:
        rows = holders.get(country[i], [])
        higher = bool(rows) and all(rank[j] < rank[i] for j in rows)
        case = (country[i], country_name[i], higher)
        if case not in capped:
            capped[case] = reason("seat.country_cap", country={"iso3": country[i], "name": country_name[i]},
                                  holders=[app[j] for j in rows], higher=higher,
                                  earlier=earlier.get(country[i], []), limit=max_per_country != 1)
        return capped[case]

    def not_selected(i: int) -> list[Reason]:
        if below_minimum_score[i]:
            return [reason("seat.below_minimum", score=score[i], minimum=minimum_score)]
        if i in displaced:
            return [reason("seat.not_selected", **in_region(i)), lost_to_quota(i)]
        if country_cap_reached(i):
            return [cap_reason(i)]
        if trace["cap_reached"][i] is not None:  # a cap beyond the country's (EXTRA_CAPS)
            return [other_cap_reason(traced, i)]
        # Its region's seats all went to applicants ranked higher in the region.
        return ([reason("seat.not_selected", **in_region(i))]
                + ([below_reserve] if taken[region[i]] else [])
                + ([pooled_seats] if pooled else []))

    below_reserve, pooled_seats = reason("seat.below_reserve"), reason("seat.pooled")

    # 5. Status and reasons (as data, see dtc_select.reasons) for every row.
    position_in_remaining = {i: n for n, i in enumerate(remaining, start=1)}
    status, why = [], []
    for i in range(len(ranked)):
        if source.get(i) == "regional":
            status.append("selected")
            why.append([reason("seat.regional", **in_region(i))])
        elif source.get(i) == "presence_quota":
            status.append("selected")
            why.append([reason("seat.quota", **in_region(i), quota_seats=presence_minimum,
                               took_seat_of=app[took_seat_of[i]])])
        elif i in source:
            status.append("selected")
            why.append([reason("seat.reallocated", overall_rank=position_in_remaining[i], giver=giver[i])])
        elif i in reserve:
            status.append("reserve")
            why.append([reason("seat.reserve", position=reserve[i], **in_region(i))]
                       + ([lost_to_quota(i)] if i in displaced else []))
        else:
            status.append("not_selected")
            why.append(not_selected(i) if explain else [])
    english = Renderer("en")

    decisions = pd.DataFrame(
        {"status": status,
         "region_rank": pd.array(region_rank, dtype="Int64"),
         "reserve_position": pd.array([reserve.get(i) for i in range(len(ranked))], dtype="Int64"),
         "seat_source": [source.get(i) for i in range(len(ranked))],
         **({"reasons": english.rows(why)} if worded else {}),
         "reason_data": why},
        index=ranked.index)
    table = seats.loc[list(REGIONS)].copy()
    table["filled"] = [filled[r] for r in REGIONS]
    table["eligible"] = [region.count(r) for r in REGIONS]
    table["unfilled_to_others"] = [given[r] for r in REGIONS]
    table["received_from_others"] = [received[r] for r in REGIONS]
    # Seats nobody could take: too few applicants anywhere pass the caps.
    table["left_empty"] = [unfilled[r] - given[r] for r in REGIONS]
    return Allocation(decisions=decisions, seats=table, trace=traced)
