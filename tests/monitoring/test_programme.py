"""The programme file: the shipped phase-1 programme, and a broken file's every problem on its own line."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from dtc_select.errors import ProgrammeFileError
from dtc_select.monitoring.programme import NETWORK, load_programme
from tests.monitoring.conftest import INDICATORS, PROGRAMME

PHASE1_CENTRES = ["CIV", "GHA", "RWA", "ZMB", "BRA", "DOM", "PRY", "PHL", "IDN", "PNG"]


def test_the_shipped_programme_has_the_ten_phase1_centres_reporting_quarterly_from_2020_q1_to_2021_q3(programme):
    assert [c.dtc_id for c in programme.centres] == PHASE1_CENTRES
    assert programme.reporting.period == "quarterly" and programme.reporting.due_days == 30
    assert [str(p) for p in programme.periods] == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2021-Q1", "2021-Q2",
                                                  "2021-Q3"]
    assert programme.due(programme.periods[0]).isoformat() == "2020-04-30"


def test_the_shipped_indicators_are_the_contract_ids_each_with_a_unit_a_way_to_add_up_and_a_reference(programme):
    assert [i.id for i in programme.reported_indicators] == list(INDICATORS)
    for indicator in programme.indicators:
        assert indicator.unit and indicator.adds_up in ("sum", "latest", "mean") and indicator.reference
    assert programme.indicator_by_id["trained"].sum_of == ("trained_basic", "trained_intermediate")
    assert programme.indicator_by_id["trained_women"].share_of == "trained"
    assert programme.indicator_by_id["trainers_women"].share_of == "trainers_trained"


def test_only_the_ghana_target_of_14200_is_published_every_other_target_is_labelled_an_example(programme):
    published = [t for t in programme.targets if not t.example]
    assert [(t.dtc_id, t.indicator, t.value) for t in published] == [("GHA", "trained", 14200)]
    assert "14,200" in published[0].source
    assert all(t.reference for t in programme.targets)
    assert {t.dtc_id for t in programme.targets} == set(PHASE1_CENTRES) | {NETWORK}


def _broken(tmp_path, change) -> str:
    document = yaml.safe_load(PROGRAMME.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "monitoring-broken.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return str(path)


def _three_mistakes(document):
    document["reporting"]["due_days"] = -3
    document["centres"][1]["dtc_id"] = "CIV"
    document["targets"][0]["indicator"] = "trained_everyone"
    document["indicators"][0]["adds_upp"] = "sum"


def test_a_broken_programme_file_names_every_problem_on_its_own_line_with_the_key_path(tmp_path):
    path = _broken(tmp_path, _three_mistakes)
    with pytest.raises(ProgrammeFileError) as raised:
        load_programme(path)
    lines = str(raised.value).splitlines()
    assert lines == [
        f"{path}: reporting.due_days: Input should be greater than or equal to 0",
        f"{path}: indicators[0].adds_upp: unknown key (misspelt, or not part of the programme-file model)",
    ]  # pydantic's own checks first; the cross-references once those pass
    fixed = _broken(tmp_path, lambda d: (_three_mistakes(d), d["reporting"].update(due_days=30),
                                         d["indicators"][0].pop("adds_upp")))
    with pytest.raises(ProgrammeFileError) as raised:
        load_programme(fixed)
    assert str(raised.value).splitlines() == [
        f"{fixed}: centres[1].dtc_id: 'CIV' is given twice",
        f"{fixed}: targets[0].dtc_id: 'GHA' is not a centre of this programme (nor NETWORK)",  # GHA became CIV
        f"{fixed}: targets[0].indicator: 'trained_everyone' is not an indicator of this programme",
    ]


@pytest.mark.parametrize("change, line", [
    (lambda d: d["reporting"].update(first_period="2020-01"), "reporting.first_period: '2020-01' is a month, but this programme reports by quarter"),
    (lambda d: d["reporting"].update(last_period="2019-Q4"), "reporting.last_period: comes before reporting.first_period"),
    (lambda d: d["indicators"][3].update(share_of="trained_everyone"), "indicators[3].share_of: 'trained_everyone' is not another indicator"),
    (lambda d: d["indicators"][2].update(sum_of=["trained_basic", "trained"]), "indicators[2].sum_of[1]: 'trained' is not a reported indicator"),
    (lambda d: d["targets"][0].pop("source"), "targets[0].source: a published target (example: false) names its source"),
    (lambda d: d["targets"][1].update(dtc_id="KEN"), "targets[1].dtc_id: 'KEN' is not a centre of this programme (nor NETWORK)"),
    (lambda d: d["targets"].append(dict(d["targets"][0])), "targets[12]: a second target for GHA and trained"),
    (lambda d: d["centres"][0].update(dtc_id="civ"), "centres[0].dtc_id: String should match pattern"),
    (lambda d: d.update(path="x"), "path: is set by dtc-select, not in the programme file"),
    (lambda d: d["targets"][2].update(first_period="2019-Q4"), "targets[2]: its periods (2019-Q4 to 2021-Q3) are not within"),
    (lambda d: d["targets"][2].update(first_period="2021-Q1", last_period="2020-Q4"), "targets[2]: its periods (2021-Q1 to 2020-Q4)"),
])
def test_each_kind_of_mistake_is_caught_when_the_file_loads(tmp_path, change, line):
    path = _broken(tmp_path, change)
    with pytest.raises(ProgrammeFileError) as raised:
        load_programme(path)
    assert any(text.startswith(f"{path}: {line}") for text in str(raised.value).splitlines()), str(raised.value)


def test_a_key_written_twice_or_a_file_that_is_not_yaml_is_one_line_naming_the_file(tmp_path):
    twice = tmp_path / "twice.yaml"
    twice.write_text("id: a\nid: b\n", encoding="utf-8")
    with pytest.raises(ProgrammeFileError, match=r"twice.yaml: line 2: not valid YAML: duplicate key 'id'"):
        load_programme(twice)
    with pytest.raises(ProgrammeFileError, match="cannot read the programme file"):
        load_programme(tmp_path / "absent.yaml")


def test_the_command_prints_each_programme_problem_on_its_own_line_and_exits_2(tmp_path):
    path = _broken(tmp_path, lambda d: (_three_mistakes(d), d["reporting"].update(due_days=30),
                                        d["indicators"][0].pop("adds_upp")))
    done = subprocess.run([sys.executable, "-m", "dtc_select.cli", "monitor", "--programme", path, "--reports",
                           str(tmp_path), "--as-of", "2021-11-15", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"dtc-select: {path}: centres[1].dtc_id: 'CIV' is given twice",
        f"dtc-select: {path}: targets[0].dtc_id: 'GHA' is not a centre of this programme (nor NETWORK)",
        f"dtc-select: {path}: targets[0].indicator: 'trained_everyone' is not an indicator of this programme",
    ]
    assert not (tmp_path / "out").exists()
