"""The monitoring flow writes what `dtc-select monitor` writes, and prefect.yaml runs it after each due date."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import logging

import pytest
import yaml

from dtc_select.cli import main
from dtc_select.errors import InputFileError
from tests.conftest import ROOT
from tests.monitoring.conftest import PROGRAMME, REPORTS


def load_flow_module():
    spec = importlib.util.spec_from_file_location("monitor_flow", ROOT / "flows" / "monitor.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_flow_writes_the_same_tables_as_the_command_line(prefect_harness, tmp_path):
    flow_module = load_flow_module()
    folder = flow_module.monitor_centres(str(PROGRAMME), [str(REPORTS)], "2021-11-15", tmp_path / "flow", "fr")
    assert folder == str(tmp_path / "flow")
    assert '<html lang="fr">' in (tmp_path / "flow" / "report.html").read_text(encoding="utf-8")
    assert main(["monitor", "--programme", str(PROGRAMME), "--reports", str(REPORTS), "--as-of", "2021-11-15",
                 "--out", str(tmp_path / "cli")]) == 0
    for name in ("progress.csv", "reports_status.csv", "quarantine.csv"):
        assert (tmp_path / "flow" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


def test_the_flow_takes_the_same_limits_as_monitor_and_records_the_raised_ones(prefect_harness, tmp_path):
    flow_module = load_flow_module()
    with pytest.raises(InputFileError, match="pass --limit rows="):
        flow_module.monitor_centres(str(PROGRAMME), [str(REPORTS)], "2021-11-15", tmp_path / "low", limits={"rows": 1})
    assert not (tmp_path / "low").exists()
    flow_module.monitor_centres(str(PROGRAMME), [str(REPORTS)], "2021-11-15", tmp_path / "high",
                                limits={"rows": 10_000_000})
    manifest = json.loads((tmp_path / "high" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["limits"] == {"rows": 10_000_000}


def test_the_flow_writes_one_folder_per_as_of_date_and_defaults_to_today():
    flow_module = load_flow_module()
    assert flow_module.default_out("monitoring-phase1", dt.date(2021, 11, 15)) == \
        ROOT / "reports" / "monitoring-phase1" / "2021-11-15"
    assert flow_module.as_of_or_today("2020-05-01") == dt.date(2020, 5, 1)
    assert flow_module.as_of_or_today(None) == dt.datetime.now(dt.timezone.utc).date()


def test_prefect_yaml_runs_the_monitoring_the_day_after_each_report_is_due(programme):
    deployments = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    monitoring = next(d for d in deployments if d["name"] == "dtc-monitoring")
    assert monitoring["entrypoint"] == "flows/monitor.py:monitor_centres"
    assert monitoring["parameters"]["programme"] == "criteria/monitoring-phase1.yaml"
    rrule = monitoring["schedules"][0]["rrule"]
    dates = rrule.split("RDATE:")[1].split(",")
    expected = [(programme.due(p) + dt.timedelta(days=1)).strftime("%Y%m%dT060000") for p in programme.periods]
    assert dates == expected
    assert rrule.startswith(f"DTSTART:{expected[0]}\n")
    signature = load_flow_module().monitor_centres.parameters.properties
    assert set(monitoring["parameters"]) <= set(signature)


def test_a_missing_report_fails_the_flow_with_its_one_line_and_no_traceback_in_prefect_s_log(
        prefect_harness, tmp_path):
    flow_module = load_flow_module()
    failures = []

    def keep(record):  # a filter, not a handler: Prefect's logging set-up replaces its loggers' handlers
        if record.levelno >= logging.ERROR:
            failures.append(record)
        return True

    loggers = [logging.getLogger(name) for name in ("prefect.flow_runs", "prefect.task_runs")]
    for logger in loggers:
        logger.addFilter(keep)
    try:
        with pytest.raises(InputFileError, match="file not found"):
            flow_module.monitor_centres(str(PROGRAMME), [str(tmp_path / "none")], "2021-11-15", tmp_path / "out")
    finally:
        for logger in loggers:
            logger.removeFilter(keep)
    assert any("file not found" in record.getMessage() for record in failures)
    assert [record.getMessage() for record in failures if record.exc_info or record.exc_text] == []
    assert not (tmp_path / "out").exists()
