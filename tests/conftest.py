"""Shared fixtures: the shipped call, and factories for applications.

Tests are named as sentences; a failing name should read as the broken promise.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from tests.browser import browser  # noqa: F401  (the fixture, for every test of an HTML page)

# Prefect must never touch the user's ~/.prefect from the tests.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="dtc-select-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parent.parent
PHASE1 = ROOT / "criteria" / "dtc-phase1-2019.yaml"
EXAMPLES = ROOT / "data" / "examples"


@pytest.fixture(scope="session")
def call():
    from dtc_select.call.model import load_call

    return load_call(PHASE1)


def phase1_form():
    """The phase-1 call's application form (contract §1), as intake reads the example files by."""
    from dtc_select.call.model import load_call

    global _PHASE1_FORM
    if _PHASE1_FORM is None:
        _PHASE1_FORM = load_call(PHASE1).form
    return _PHASE1_FORM


_PHASE1_FORM = None


def phase1_columns(required_only: bool = False) -> tuple[str, ...]:
    """The phase-1 form's field ids, in its order (all, or the required ones)."""
    return tuple(f.id for f in phase1_form().fields if f.required or not required_only)


GOOD_APPLICATION = {
    "institution_name": "Example ICT Centre",
    "country": "Senegal",
    "city": "Dakar",
    "organisation_type": "ngo",
    "non_profit": "yes",
    "offers_basic_training": "yes",
    "offers_intermediate_training": "yes",
    "training_labs": "2",
    "workstations": "40",
    "internet_mbps": "20",
    "government_endorsement": "yes",
    "research_capacity": "yes",
    "distance_learning": "delivering",
    "has_mission_statement": "yes",
    "has_business_plan": "yes",
    "innovation_programmes": "yes",
    "committed_staff": "10",
    "committed_budget_usd": "50000",
    "scaling_plan": "yes",
    "trainees_last_year": "2000",
    "trainers": "15",
    "submitted_at": "2019-11-01",
    "contact_name": "A. Person",
    "contact_email": "person@example.org",
    "contact_phone": "+221 00 000 00 00",
    "description": "A community centre.",
}


def make_applications(n: int = 1, **overrides) -> pd.DataFrame:
    """n valid applications as raw text rows; an override is a value or a list of n values."""
    from tests.factories import rows_with_overrides

    return rows_with_overrides(n, GOOD_APPLICATION, overrides)


@pytest.fixture
def write_applications(tmp_path):
    """Write raw rows to a CSV file and return its path."""

    def write(frame: pd.DataFrame, name: str = "applications.csv") -> Path:
        path = tmp_path / name
        frame.to_csv(path, index=False)
        return path

    return write
