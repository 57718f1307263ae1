"""A hypothesis strategy for small selection contests: eligible applicants (with ties likely),
allocation rules, seats per region and a tie-break chain."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from dtc_select.allocation import REGIONS
from dtc_select.call import TieBreakKey
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
    """(eligible applications, allocation rule updates, seats frame, scoring updates)."""
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
    return eligible, rules, seats, chain


def with_rules(call, rules: dict, chain):
    """The call with other allocation rules and tie-break chain."""
    return call.model_copy(update={"allocation": call.allocation.model_copy(update=rules),
                                   "scoring": call.scoring.model_copy(update={"tie_break": chain})})
