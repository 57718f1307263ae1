"""docs/limits.md states the bounds the code keeps: each table's values are the constants and
defaults the checks use, and every raisable bound is listed under its `--limit` name."""

from __future__ import annotations

from pathlib import Path

from dtc_select.call import limits as call_limits
from dtc_select.checks.stability import MOST_WEIGHT_DRAWS
from dtc_select.intake.limits import MAX_XLSX_ROWS
from dtc_select.limits import DEFAULT_LIMITS, NAMES

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")


def _rows() -> list[list[str]]:
    """Every table row of the page, as its cells (header and rule rows left out)."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in PAGE.splitlines()
            if line.startswith("| ") and not line.startswith("| bound")]
    return [row for row in rows if not set(row[0]) <= {"-"}]


def _number(text: str) -> int:
    return int(text.split()[0].replace(",", ""))


def test_every_raisable_bound_is_documented_under_its_name_with_its_default():
    documented = {row[1].strip("`"): _number(row[2]) for row in _rows() if len(row) == 4 and row[1].startswith("`")}
    assert documented == {name: getattr(DEFAULT_LIMITS, name) for name in NAMES}


def test_the_bounds_that_never_move_are_documented_with_the_values_the_code_keeps():
    fixed = {row[0]: row[2] for row in _rows() if len(row) == 4 and row[1] == "(never moves)" and row[2]}
    assert _number(fixed["rows of a worksheet"]) == MAX_XLSX_ROWS
    assert _number(fixed["samples x criteria (the weights drawn, held whole)"]) == MOST_WEIGHT_DRAWS


def test_the_call_files_bounds_are_documented_with_the_values_the_code_keeps():
    call = {row[0]: row[1] for row in _rows() if len(row) == 3}
    assert _number(call["file size"]) == call_limits.MAX_CALL_FILE_BYTES
    assert _number(call["YAML nesting"]) == call_limits.MAX_YAML_DEPTH
    assert _number(call["YAML values, aliases written out"]) == call_limits.MAX_YAML_VALUES
    assert _number(call["`allocation.seats`, `reserve_per_region`, `max_per_country`"]) == call_limits.MAX_SEATS
    assert _number(call["a criterion's `weight`"]) == call_limits.MAX_WEIGHT
    assert _number(call["an explicit regional need"]) == call_limits.MAX_NEED
    dates = call["dates (`deadline.value`, `country_status.as_of`, a rule's date)"]
    assert dates == f"{call_limits.EARLIEST_DATE.isoformat()} to {call_limits.LATEST_DATE.isoformat()}"
