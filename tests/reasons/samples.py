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
