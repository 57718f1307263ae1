"""Done-when properties of the selection over generated populations, through scoring and the whole run."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dtc_select.seats.allocation import allocate
from dtc_select.reference.countries import load_country_table
from dtc_select.seats.needs import regional_needs
from dtc_select.runs.outputs import build_manifest
from dtc_select.pipeline import run
from dtc_select.ranking.scoring import score_applications
from dtc_select.seats.per_region import seats_per_region
from tests.conftest import phase1_form
from tests.conftest import make_applications
from tests.factories import parsed

# (iso3, English name, region, least developed on 2019-11-30)
HOSTS = [("SEN", "Senegal", "AFR", True), ("KEN", "Kenya", "AFR", False), ("UGA", "Uganda", "AFR", True),
         ("BGD", "Bangladesh", "ASP", True), ("IDN", "Indonesia", "ASP", False), ("HND", "Honduras", "AMS", False),
         ("EGY", "Egypt", "ARB", False), ("UZB", "Uzbekistan", "CIS", False)]


def measures(call):
    """Every application column the call's criteria read, with its transform."""
    return {m.column: m for c in call.criteria for m in c.measures}


def value_strategy(measure):
    kind = phase1_form().specs()[measure.column].kind
    if kind == "boolean":
        return st.sampled_from([True, False, None])
    if kind == "number":
        return st.one_of(st.none(), st.integers(0, int(2 * measure.at)))
    return st.sampled_from(sorted(measure.values))


def better(draw, measure, old):
    """A value worth at least as much as `old` on this measure."""
    kind = phase1_form().specs()[measure.column].kind
    if kind == "boolean":
        return True if old is not True and draw(st.booleans()) else old
    if kind == "number":
        return (0 if old is None else old) + draw(st.integers(0, int(measure.at)))
    return draw(st.sampled_from(sorted(v for v, w in measure.values.items() if w >= measure.values[old])))


@st.composite
def improvement(draw, call):
    n = draw(st.integers(2, 14))
    hosts = [draw(st.sampled_from(HOSTS)) for _ in range(n)]
    columns = {column: [draw(value_strategy(m)) for _ in range(n)] for column, m in measures(call).items()}
    reviewed = [draw(st.booleans()) for _ in range(n)]
    marks = [[draw(st.integers(1, 5)) for _ in call.criteria] for _ in range(n)]
    who = draw(st.integers(0, n - 1))
    improved = {column: list(values) for column, values in columns.items()}
    for column, m in measures(call).items():
        improved[column][who] = better(draw, m, columns[column][who])
    raised = [list(row) for row in marks]
    raised[who] = [mark + draw(st.integers(0, 5 - mark)) for mark in marks[who]]
    return hosts, columns, improved, reviewed, marks, raised, who


def frame_of(hosts, columns):
    return parsed(len(hosts), country_iso3=[h[0] for h in hosts], country_name=[h[1] for h in hosts],
                  region=[h[2] for h in hosts], host_region=[h[2] for h in hosts],
                  host_is_ldc=[h[3] for h in hosts], presence=[h[0] in {"KEN", "EGY"} for h in hosts],
                  submitted_at=[f"2019-11-{1 + i % 28:02d}" for i in range(len(hosts))], **columns)


def scores_of(frame, reviewed, marks, call):
    rows = [{"application_id": app, "reviewer_id": "R1", "criterion": c.id, "score": float(mark)}
            for app, on, row in zip(frame["application_id"], reviewed, marks) if on
            for c, mark in zip(call.criteria, row)]
    return pd.DataFrame(rows, columns=["application_id", "reviewer_id", "criterion", "score"]) if rows else None


def selection(frame, scores, call, seats):
    ranked = score_applications(frame, scores, call)
    candidates = frame[["application_id", "country_iso3", "country_name", "region"]].join(ranked[["score", "rank"]])
    rules = call.allocation
    decided = allocate(candidates, seats, max_per_country=rules.max_per_country,
                       reserve_per_region=rules.reserve_per_region, minimum_score=rules.minimum_score)
    return ranked.join(decided.decisions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_an_applicant_who_improves_on_every_criterion_never_falls_in_rank(call, data):
    hosts, columns, improved, reviewed, marks, raised, who = data.draw(improvement(call))
    needs = regional_needs(call, load_country_table())["need"].to_dict()
    seats = seats_per_region(needs, call.allocation.seats, call.allocation.seat_method)
    before_frame, after_frame = frame_of(hosts, columns), frame_of(hosts, improved)
    before = selection(before_frame, scores_of(before_frame, reviewed, marks, call), call, seats).loc[who]
    after = selection(after_frame, scores_of(after_frame, reviewed, raised, call), call, seats).loc[who]
    assert after["score"] >= before["score"]
    assert after["rank"] <= before["rank"]
    assert after["region_rank"] <= before["region_rank"]
    if before["status"] == "selected":
        assert after["status"] == "selected"


population = st.integers(1, 30).flatmap(lambda n: st.fixed_dictionaries({
    "country": st.lists(st.sampled_from(["Senegal", "Kenya", "Uganda", "Bangladesh", "Nepal", "Indonesia",
                                         "Honduras", "Haiti", "Egypt", "Yemen", "Uzbekistan", "Armenia",
                                         "Türkiye", "France"]), min_size=n, max_size=n),
    "training_labs": st.lists(st.sampled_from(["0", "1", "2", "4"]), min_size=n, max_size=n),
    "workstations": st.lists(st.sampled_from(["5", "20", "60"]), min_size=n, max_size=n),
    "government_endorsement": st.lists(st.sampled_from(["yes", "no", ""]), min_size=n, max_size=n),
    "committed_staff": st.lists(st.sampled_from(["0", "5", "25", ""]), min_size=n, max_size=n),
}))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=population)
def test_the_manifests_seats_per_region_match_the_selections(call, tmp_path_factory, spec):
    path = tmp_path_factory.mktemp("manifest") / "applications.csv"
    make_applications(len(spec["country"]), **spec).to_csv(path, index=False)
    outcome = run(call, path)
    manifest = build_manifest(outcome, {}, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    selected = outcome.decisions[outcome.decisions["status"] == "selected"]
    per_region = selected["region"].value_counts()
    for region, entry in manifest["seats_per_region"].items():
        assert entry["filled"] == int(per_region.get(region, 0)), region
    assert sum(e["seats"] for e in manifest["seats_per_region"].values()) == call.allocation.seats
    assert manifest["counts"]["selected"] == len(selected)
    # Seats filled = min(seats, qualified applicants under the country cap).
    eligible = outcome.decisions[outcome.decisions["status"] != "ineligible"]
    assert len(selected) == min(call.allocation.seats, eligible["country_iso3"].nunique())
