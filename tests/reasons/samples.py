"""One example reason per key the code writes: what the catalogue tests render in every language.

Upper-case data only (ids, names): a test language that writes every word in capitals then shows
whether any word of a sentence came from somewhere else than its catalogue.
"""

from __future__ import annotations

from dtc_select.reasons.model import reason

FAILED_FACTS = [
    {"field": "organisation_type", "op": "not_in", "value": ["for_profit"], "answer": "for_profit"},
    {"field": "non_profit", "op": "is_true", "value": None, "answer": False},
    {"field": "workstations", "op": "at_least", "value": 1, "answer": 0},
    {"field": "distance_learning", "op": "in", "value": ["delivering", "willing"], "answer": "no"},
    {"field": "submitted_at", "op": "on_or_before", "value": "2019-11-30T23:59:59+00:00",
     "answer": "2019-12-01T04:30:00+00:00"},
]

SAMPLES = {
    "rule.failed": reason("rule.failed", rule="non_profit", facts=FAILED_FACTS),
    "rule.not_stated": reason("rule.not_stated", rule="host_country", facts=[{"field": "host_development"}]),
}

_AFRICA = {"region": "AFR", "region_rank": 5, "seats": 4, "received": 1}
_KENYA = {"iso3": "KEN", "name": "KENYA"}

SAMPLES.update({
    "seat.regional": reason("seat.regional", **_AFRICA),
    "seat.quota": reason("seat.quota", **_AFRICA, quota_seats=3, took_seat_of="DTC-9"),
    "seat.reallocated": reason("seat.reallocated", overall_rank=3, giver="CIS"),
    "seat.reserve": reason("seat.reserve", position=1, **_AFRICA),
    "seat.lost_to_quota": reason("seat.lost_to_quota", winner="DTC-9", quota_seats=1),
    "seat.below_minimum": reason("seat.below_minimum", score=0.41, minimum=0.45),
    "seat.country_cap": reason("seat.country_cap", country=_KENYA, holders=["DTC-1", "DTC-2"], higher=True,
                               earlier=["P-1"], limit=True),
    "seat.not_selected": reason("seat.not_selected", **_AFRICA),
    "seat.other_cap": reason("seat.other_cap", what="CITY", group="NAIROBI", holders=["DTC-1"]),
    "seat.below_reserve": reason("seat.below_reserve"),
    "seat.pooled": reason("seat.pooled"),
    "score.priority": reason("score.priority", bonus=0.05, country=_KENYA),
    "score.tied": reason("score.tied", others=["DTC-1", "DTC-2"],
                         chain=[["presence", "descending"], ["host_is_ldc", "descending"],
                                ["submitted_at", "ascending"], ["application_id", "ascending"]]),
    "score.no_marks": reason("score.no_marks", criteria=["reputation", "innovation"], policy="application_only"),
    "score.disagreement": reason("score.disagreement", value=1.5, low=1, high=5, above=1),
    "check.stability": reason("check.stability", share=0.9995, samples=10000),
    "check.fragile": reason("check.fragile", share=0.589, samples=10000, threshold=0.8),
    "counterfactual.global_not": reason("counterfactual.global_not"),
    "counterfactual.displaced": reason("counterfactual.displaced"),
    "counterfactual.priority_gained": reason("counterfactual.priority_gained"),
    "counterfactual.priority_lost": reason("counterfactual.priority_lost"),
    "intake.possible_duplicate": reason("intake.possible_duplicate", others=["DTC-1", "DTC-2"]),
    "committee.changed": reason("committee.changed", status="selected", computed="reserve", decided_by="R. CHAIR",
                                decided_on="2020-01-15", justification="STRONGER PARTNERS"),
    "committee.confirmed": reason("committee.confirmed", status="not_selected", computed="not_selected",
                                  decided_by="R. CHAIR", decided_on="2020-01-15", justification="AS RANKED"),
})
