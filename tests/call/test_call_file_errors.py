"""A broken call file reports every mistake at once, one line each: `file: key.path: problem`.

A committee fixing a file must not meet its mistakes one run at a time (issue 13, item 4).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dtc_select.call.model import load_call
from dtc_select.cli import main
from dtc_select.errors import CallFileError
from tests.conftest import EXAMPLES, PHASE1


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = PHASE1.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


THREE_MISTAKES = (
    ("      weight: 1\n", "      wieght: 1\n"),  # a misspelt key
    ("  seats: 10\n", "  seats: ten\n"),  # a bad value
    ("  method: bonus\n  bonus: 0.05\n", "  method: tie_break\n  bonus: 0.05\n"),  # keys that contradict
)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    return str(caught.value).splitlines()


def test_three_independent_mistakes_give_three_lines_each_naming_its_key_in_the_models_order(tmp_path):
    path = edited(tmp_path, *THREE_MISTAKES)
    lines = problems_of(path)
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"{path}: scoring.criteria[0].wieght: unknown key")
    assert "did you mean 'weight'?" in lines[0]
    assert lines[1] == f"{path}: presence_priority: `bonus` applies only with method 'bonus', not 'tie_break'"
    assert lines[2] == f"{path}: allocation.seats: Input should be a valid integer, unable to parse string as an integer"


def test_the_error_keeps_each_problem_by_key_for_other_programs(tmp_path):
    path = edited(tmp_path, *THREE_MISTAKES)
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    keys = [key for key, _ in caught.value.problems]
    assert keys == ["scoring.criteria[0].wieght", "presence_priority", "allocation.seats"]
    assert (caught.value.key, caught.value.path) == ("scoring.criteria[0].wieght", str(path))


def test_a_misspelt_key_is_one_mistake_not_also_a_missing_key(tmp_path):
    lines = problems_of(edited(tmp_path, ("  seed: 2019\n", "  sede: 2019\n")))
    assert len(lines) == 1 and "stability.sede" in lines[0] and "did you mean 'seed'?" in lines[0]


def test_a_duplicate_key_is_reported_with_the_other_mistakes(tmp_path):
    path = edited(tmp_path, ("  seats: 10\n", "  seats: 10\n  seats: 11\n"), ("  seed: 2019\n", "  seed: -1\n"))
    lines = problems_of(path)
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}: line ") and "duplicate key 'seats'" in lines[0]
    assert lines[1].startswith(f"{path}: stability.seed: Input should be greater than or equal to 0")


def test_a_check_across_sections_is_reported_even_when_another_section_is_broken(tmp_path):
    path = edited(tmp_path, ("  seat_method: sainte_lague\n", "  seat_method: largest_remainder\n"),
                  ("  centres: []\n", "  centres:\n    - {id: P1, country: KEN, region: AFR, reference: x}\n"),
                  ("  fragile_below: 0.8\n", "  fragile_below: 2\n"))
    lines = problems_of(path)
    assert len(lines) == 2, lines
    assert any(line.startswith(f"{path}: previous_selections: allocation.seat_method: largest_remainder") for line in lines)
    assert any(line.startswith(f"{path}: stability.fragile_below:") for line in lines)


def test_a_value_from_that_is_not_a_call_value_is_named_at_its_rule(tmp_path):
    lines = problems_of(edited(tmp_path, ("value_from: deadline", "value_from: closing"), ("  seats: 10\n", "  seats: -1\n")))
    assert len(lines) == 2, lines
    assert any(".condition" in line and "value_from 'closing' is not a call value" in line for line in lines)


def test_the_command_prints_every_problem_one_line_each_and_exits_2(tmp_path, capsys):
    path = edited(tmp_path, *THREE_MISTAKES)
    out = tmp_path / "out"
    status = main(["run", "--call", str(path), "--applications", str(EXAMPLES / "applications.csv"), "--out", str(out)])
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert status == 2
    assert len(lines) == 3, lines
    assert [line.split(": ")[2] for line in lines] == ["scoring.criteria[0].wieght", "presence_priority", "allocation.seats"]
    assert all(line.startswith(f"dtc-select: {path}: ") for line in lines)
    assert "Traceback" not in captured.err and captured.out == ""
    assert sorted(os.listdir(tmp_path)) == ["broken.yaml"]  # nothing written


def test_every_unknown_earlier_centre_is_named_at_once(tmp_path, call):
    from dtc_select.call.caps import previous_centres
    from dtc_select.reference.countries import load_country_table

    path = edited(tmp_path, ("  centres: []\n", "  centres:\n"
                             "    - {id: P1, country: XYZ, region: AFR, reference: x}\n"
                             "    - {id: P2, country: KEN, region: EUR, reference: x}\n"))
    with pytest.raises(CallFileError) as caught:
        previous_centres(load_call(path), load_country_table())
    assert [key for key, _ in caught.value.problems] == ["previous_selections.centres[0].country",
                                                         "previous_selections.centres[1].region"]
