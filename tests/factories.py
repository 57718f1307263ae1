"""Parsed application frames for stage tests (no file, no intake): `parsed(n, **overrides)`."""

from __future__ import annotations

import pandas as pd

BOOLEAN = (
    "non_profit", "offers_basic_training", "offers_intermediate_training", "government_endorsement",
    "research_capacity", "has_mission_statement", "has_business_plan", "innovation_programmes",
    "scaling_plan", "host_is_ldc", "presence",
)
NUMBER = (
    "training_labs", "workstations", "internet_mbps", "committed_staff", "committed_budget_usd",
    "trainees_last_year", "trainers",
)
DEFAULTS = {
    "institution_name": "Example ICT Centre",
    "country_iso3": "SEN",
    "country_name": "Senegal",
    "region": "AFR",
    "host_region": "AFR",
    "host_is_ldc": True,
    "host_development": "developing",
    "presence": False,
    "organisation_type": "ngo",
    "non_profit": True,
    "offers_basic_training": True,
    "offers_intermediate_training": True,
    "training_labs": 2,
    "workstations": 40,
    "internet_mbps": 20.0,
    "government_endorsement": True,
    "research_capacity": True,
    "distance_learning": "delivering",
    "has_mission_statement": True,
    "has_business_plan": True,
    "innovation_programmes": True,
    "committed_staff": 10,
    "committed_budget_usd": 50000.0,
    "scaling_plan": True,
    "trainees_last_year": 2000,
    "trainers": 15,
    "submitted_at": "2019-11-01",
}


def rows_with_overrides(n: int, defaults: dict, overrides: dict) -> pd.DataFrame:
    """n rows `A-001`.. of defaults; an override is one value for all rows or a list of n values."""
    rows = []
    for i in range(n):
        row = {"application_id": f"A-{i + 1:03d}", **defaults}
        for key, value in overrides.items():
            row[key] = value[i] if isinstance(value, list) else value
        rows.append(row)
    return pd.DataFrame(rows)


def parsed(n: int = 1, **overrides) -> pd.DataFrame:
    """n applications with parsed dtypes and host facts; an override is a value or a list of n."""
    frame = rows_with_overrides(n, DEFAULTS, overrides)
    for column in BOOLEAN:
        frame[column] = frame[column].astype("boolean")
    for column in NUMBER:
        frame[column] = frame[column].astype("Float64")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    for column in ("host_development", "organisation_type", "distance_learning"):
        frame[column] = frame[column].astype("string")
    return frame
