"""Shared fixtures: the shipped call, and factories for applications.

Tests are named as sentences; a failing name should read as the broken promise.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings

from tests.browser import browser  # noqa: F401  (the fixture, for every test of an HTML page)

# Prefect must never touch the user's ~/.prefect from the tests.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="dtc-select-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

# No test may depend on the clock (issue 18.5): on loaded cores, under pytest-xdist, drawing or
# running an example can take seconds. Hypothesis' deadline and its "too slow" health check are
# both off for every test; a test's own @settings that suppresses other checks names too_slow too.
settings.register_profile("no-clock", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("no-clock")

ROOT = Path(__file__).resolve().parent.parent
PHASE1 = ROOT / "criteria" / "dtc-phase1-2019.yaml"
EXAMPLES = ROOT / "data" / "examples"


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for the whole session (per xdist worker: the tests that use it
    are grouped on one, see XDIST_GROUPS); yields its API's address, for a flow
    script started as a process to use instead of starting a server of its own."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    # Generous: on a loaded 2-core machine the temporary server can take more than the default 30 s.
    with prefect_test_harness(server_startup_timeout=180):
        yield PREFECT_API_URL.value()


# pytest-xdist (pyproject.toml's addopts) hands each worker whole units: a module's tests, so its
# module-scoped fixtures (a pipeline run, a browser) are set up once, or one of these groups (first
# match wins), so the Prefect server of `prefect_harness` starts once and the two longest tests start
# first, on one worker, while the other takes the short ones. (xdist's own `xdist_group` marks are
# lost under pytest 9.2: pytest-xdist issue 1386.)
XDIST_GROUPS = {
    "tests/shells/test_flow.py::test_the_readme_first_command_completes_with_every_core_busy": "whole-processes",
    "tests/shells/test_prefect_deployment.py::": "whole-processes",
    "tests/shells/test_flow.py::": "prefect-server",
    "tests/monitoring/test_monitor_flow.py::": "prefect-server",
}


def xdist_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its group, or else its module."""
    return next((group for prefix, group in XDIST_GROUPS.items() if nodeid.startswith(prefix)),
                nodeid.split("::", 1)[0])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadscope":
        return None  # another --dist given on the command line: xdist's own
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndGroups(LoadScopeScheduling):
        """xdist's loadscope (largest units first), with the units above."""

        def _split_scope(self, nodeid: str) -> str:
            return xdist_unit(nodeid)

    return ModulesAndGroups(config, log)


def pytest_collection_modifyitems(items):
    """A test using the shared Prefect server outside the modules grouped above would start a
    second server on another worker: say so at once, rather than let the suite slow down unseen."""
    strays = [item.nodeid for item in items if "prefect_harness" in getattr(item, "fixturenames", ())
              and xdist_unit(item.nodeid) != "prefect-server"]
    if strays:
        raise pytest.UsageError(f"{', '.join(strays)} use(s) prefect_harness: add the module to XDIST_GROUPS "
                                "(tests/conftest.py) as a 'prefect-server' unit")


def command_in_this_process(*args) -> subprocess.CompletedProcess:
    """`dtc-select ARGS` through the main() the console script calls, in this process: its exit
    status and what it printed, without paying Python's and the libraries' start-up again (about
    2-3 s of CPU a call). The command as a process is tested in tests/shells/test_cli.py,
    test_closed_stdout.py and tests/call/test_broken_files.py."""
    from dtc_select.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main([str(arg) for arg in args])
        except SystemExit as exit_:  # argparse: --help, a usage mistake
            status = exit_.code
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


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

