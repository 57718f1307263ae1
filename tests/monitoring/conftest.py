"""Shared fixtures of the monitoring tests: the shipped programme and example reports, and a
factory for report rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.conftest import ROOT

PROGRAMME = ROOT / "criteria" / "monitoring-phase1.yaml"
REPORTS = ROOT / "data" / "examples" / "monitoring"
AS_OF = dt.date(2021, 11, 15)  # every phase-1 report due (2021-Q3's on 30 October 2021)
INDICATORS = ("trained_basic", "trained_intermediate", "trained_women", "trainers_trained", "trainers_women",
              "policy_workshops", "policy_participants")


@pytest.fixture(scope="session")
def programme():
    from dtc_select.monitoring.programme import load_programme

    return load_programme(PROGRAMME)


@pytest.fixture(scope="session")
def example():
    from dtc_select.monitoring.pipeline import monitor

    return monitor(PROGRAMME, [REPORTS], AS_OF)


def report_row(dtc_id="GHA", period="2020-Q1", reported_on="2020-04-20", **values) -> dict:
    """One report row: 100 basic, 20 intermediate, 60 women, 10 trainers (4 women), 1 workshop (15)."""
    base = dict(zip(INDICATORS, (100, 20, 60, 10, 4, 1, 15)))
    return {"dtc_id": dtc_id, "period": period, **base, **values, "reported_on": reported_on, "comment": ""}


def write_reports(path, rows: list[dict]):
    pd.DataFrame(rows).to_csv(path, index=False)
    return path
