"""Same inputs, same outputs byte for byte; the manifest records what is needed to rerun."""

from __future__ import annotations

import hashlib
import json
import shutil
from types import SimpleNamespace

import pytest
import yaml

from dtc_select.cli import main
from dtc_select.runs.outputs import random_seed
from tests.conftest import EXAMPLES, PHASE1

TABLES = ("decisions.csv", "quarantine.csv", "score_problems.csv")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The example call run twice: on the shipped files, then on byte-identical copies elsewhere."""
    root = tmp_path_factory.mktemp("repro")
    copies = root / "copies"
    copies.mkdir()
    for name in ("applications.csv", "scores.csv"):
        shutil.copy(EXAMPLES / name, copies / name)
    runs = []
    for folder, name in ((EXAMPLES, "first"), (copies, "second")):
        out = root / name
        assert main(["run", "--call", str(PHASE1), "--applications", str(folder / "applications.csv"),
                     "--scores", str(folder / "scores.csv"), "--out", str(out)]) == 0
        runs.append(out)
    return runs


def test_identical_inputs_give_byte_identical_decisions_and_quarantine(two_runs):
    first, second = two_runs
    for name in TABLES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert len((first / "decisions.csv").read_bytes().splitlines()) == 81  # header + 80 taken in


def test_the_manifest_records_every_input_with_path_and_sha256_the_call_file_included(two_runs):
    manifest = json.loads((two_runs[0] / "manifest.json").read_text(encoding="utf-8"))
    recorded = {i["role"]: i for i in manifest["inputs"]}
    assert set(recorded) == {"call", "applications", "scores"}
    for role, path in (("call", PHASE1), ("applications", EXAMPLES / "applications.csv"),
                       ("scores", EXAMPLES / "scores.csv")):
        assert recorded[role]["path"] == str(path)
        assert recorded[role]["resolved_path"] == str(path.resolve())
        assert recorded[role]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_manifest_records_versions_options_and_the_random_seed(two_runs):
    manifest = json.loads((two_runs[0] / "manifest.json").read_text(encoding="utf-8"))
    assert {"python", "dtc-select", "pandas", "scikit-criteria", "numpy"} <= set(manifest["software"])
    assert "not installed" not in manifest["software"].values()
    declared = (yaml.safe_load(PHASE1.read_text(encoding="utf-8")).get("stability") or {}).get("seed")
    assert manifest["random_seed"] == declared  # the call file's stability.seed, or null when it has none
    assert manifest["options"] == {"sheet": None, "lang": "en", "edition": "reviewer", "dossiers": "auto"}
    assert {"countries.csv", "itu_offices.csv", "regional_indicators.csv"} <= set(manifest["reference_data"])


def test_a_call_that_declares_a_stability_seed_has_it_recorded():
    assert random_seed(SimpleNamespace(stability=SimpleNamespace(seed=20191130))) == 20191130
    assert random_seed(SimpleNamespace(stability=None)) is None
    assert random_seed(SimpleNamespace()) is None
