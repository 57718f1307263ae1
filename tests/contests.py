"""Hypothesis strategies for small selection contests: eligible applicants (with ties likely),
allocation rules, seats per region, a tie-break chain, the presence priority (bonus, tie-break or
quota) and centres of earlier phases (`contest_case`); or the engine's arrays straight
(`random_contest`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from dtc_select.seats.allocation import REGIONS
from dtc_select.call.model import PreviousCentre, PreviousSelections, TieBreakKey
from dtc_select.call.caps import presence_minimum
from dtc_select.seats.contest import Cap, Contest
from tests.factories import parsed

REGION_COUNTRIES = {"AFR": ("KEN", "GHA", "SEN"), "ASP": ("NPL", "BGD", "LAO"), "AMS": ("PER", "HTI", "BOL")}
CHAINS = (
    (("host_is_ldc", "descending"), ("submitted_at", "ascending"), ("application_id", "ascending")),
    (("merit_score", "descending"), ("application_id", "descending")),
    (("submitted_at", "descending"), ("merit_score", "ascending"), ("host_is_ldc", "ascending"),
     ("application_id", "ascending")),
)


def seats_frame(**per_region: int) -> pd.DataFrame:
    seats = [per_region.get(r, 0) for r in REGIONS]
    return pd.DataFrame({"seats": pd.array(seats, dtype="int64")}, index=pd.Index(REGIONS, name="region"))


@st.composite
def contest_case(draw):
    """A call changer (call -> call with these rules), the eligible applications and the seats."""
    n = draw(st.integers(2, 14))
    region = draw(st.lists(st.sampled_from(sorted(REGION_COUNTRIES)), min_size=n, max_size=n))
    country = [draw(st.sampled_from(REGION_COUNTRIES[r])) for r in region]
    eligible = parsed(
        n, region=region, country_iso3=country, country_name=country,
        workstations=draw(st.lists(st.sampled_from([10, 30, 60]), min_size=n, max_size=n)),
        trainers=draw(st.lists(st.sampled_from([5, 30]), min_size=n, max_size=n)),
        presence=draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        host_is_ldc=draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        submitted_at=draw(st.lists(st.sampled_from(["2019-10-01", "2019-11-01", "2019-11-30"]), min_size=n, max_size=n)),
    )
    rules = {"max_per_country": draw(st.sampled_from([None, 1, 2])),
             "reserve_per_region": draw(st.integers(0, 2)),
             "minimum_score": draw(st.sampled_from([None, 0.7, 0.86]))}
    seats = seats_frame(**{r: draw(st.integers(0, 3)) for r in REGION_COUNTRIES})
    chain = tuple(TieBreakKey(key=k, order=o) for k, o in draw(st.sampled_from(CHAINS)))
    priority = draw(st.sampled_from([{"method": "bonus", "bonus": 0.05},
                                     {"method": "tie_break", "bonus": 0.0},
                                     {"method": "quota", "bonus": 0.0, "minimum_share": 0.5}]))
    earlier = [(f"P-{i}", draw(st.sampled_from(REGION_COUNTRIES[r])), r)
               for i, r in enumerate(draw(st.lists(st.sampled_from(sorted(REGION_COUNTRIES)), max_size=2)))]

    def changed(call):
        previous = PreviousSelections(centres=tuple(PreviousCentre(id=i, country=c, region=r, reference="test")
                                                    for i, c, r in earlier),
                                      description="earlier centres", reference="test")
        return call.model_copy(update={
            "allocation": call.allocation.model_copy(update={**rules, "seats": int(seats["seats"].sum())}),
            "scoring": call.scoring.model_copy(update={"tie_break": chain}),
            "presence_priority": call.presence_priority.model_copy(update=priority),
            "previous_selections": previous})

    return changed, eligible, seats


def allocate_status(eligible, ranked, seats, call) -> pd.Series:
    """`allocation.allocate`'s status for each ranked applicant under the call's rules."""
    from dtc_select.seats import allocation

    frame = eligible[["application_id", "country_iso3", "country_name", "region", "presence"]].join(
        ranked[["score", "rank"]])
    previous = pd.DataFrame([{"id": c.id, "country_iso3": c.country, "region": c.region}
                             for c in call.previous_centres], columns=["id", "country_iso3", "region"])
    rules = call.allocation
    return allocation.allocate(frame, seats, max_per_country=rules.max_per_country,
                               reserve_per_region=rules.reserve_per_region, minimum_score=rules.minimum_score,
                               previous=None if previous.empty else previous,
                               presence_minimum=presence_minimum(call)).decisions["status"]


@st.composite
def random_contest(draw, *, most=30, one_region_per_country=False):
    """Up to `most` applicants in up to 8 countries and 4 regions; a country cap or none, earlier
    centres, sometimes a second cap over 3 groups, presence and a quota, a reserve."""
    n = draw(st.integers(0, most))
    regions, countries = draw(st.integers(1, 4)), draw(st.integers(1, 8))
    country = np.array(draw(st.lists(st.integers(0, countries - 1), min_size=n, max_size=n)), dtype=np.int64)
    if one_region_per_country:
        region_of = np.array(draw(st.lists(st.integers(0, regions - 1), min_size=countries, max_size=countries)))
        region = region_of[country] if n else np.zeros(0, dtype=np.int64)
    else:
        region = np.array(draw(st.lists(st.integers(0, regions - 1), min_size=n, max_size=n)), dtype=np.int64)
    used = int(country.max(initial=-1)) + 1
    earlier = np.array(draw(st.lists(st.integers(0, 2), min_size=used, max_size=used)), dtype=np.int32)
    seats = np.array(draw(st.lists(st.integers(0, 4), min_size=regions, max_size=regions)), dtype=np.int64)
    present_in = np.array(draw(st.lists(st.booleans(), min_size=countries, max_size=countries)), dtype=bool)
    extra = ()
    if draw(st.booleans()):
        kind = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)), dtype=np.int64)
        extra = (Cap("organisation type", kind, draw(st.integers(1, 3)), np.zeros(3, dtype=np.int64),
                     ("a", "b", "c")),)
    contest = Contest(pd.RangeIndex(n), np.arange(n).astype(object), region, country, seats,
                      draw(st.sampled_from([1, 2, 3, n + 3])), None, np.zeros(n), earlier,
                      present_in[country] if n else np.zeros(0, dtype=bool),
                      draw(st.sampled_from([0, 0, 1, 2, 3])), (np.arange(n, dtype=float),),
                      draw(st.integers(0, 3)), extra)
    return contest
