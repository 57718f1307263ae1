"""A hypothesis strategy for small selection contests: eligible applicants (with ties likely),
allocation rules, seats per region, a tie-break chain, the presence priority (bonus, tie-break or
quota) and centres of earlier phases."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from dtc_select.seats.allocation import REGIONS
from dtc_select.call.model import PreviousCentre, PreviousSelections, TieBreakKey
from dtc_select.call.caps import presence_minimum
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
