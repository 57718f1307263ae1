"""Call-file values a committee can mistype, and YAML built to hurt: each is a call-file error
(exit 2) naming the file and the key, never an "internal error" (exit 70), a hang or exhausted
memory (issue 17). The bounds are in `dtc_select.call.limits` and docs/limits.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dtc_select.call import limits
from dtc_select.call.model import load_call
from dtc_select.cli import main
from dtc_select.errors import CallFileError
from tests.conftest import EXAMPLES, PHASE1
from tests.hostile import run_capped

TEXT = PHASE1.read_text(encoding="utf-8")
RULE = "{field: training_labs, op: at_least, value: 1}"
EXPLICIT = "    formula: explicit\n    explicit: {AFR: %s, AMS: 1}\n"


def edited(tmp_path: Path, old: str, new: str) -> Path:
    assert old in TEXT, old
    path = tmp_path / "call.yaml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    return path


# name -> (old, new, the key named, words of the problem)
MISTYPED = {
    "an infinite weight": ("      weight: 1\n", "      weight: .inf\n", "scoring.criteria[0].weight", "finite number"),
    "a NaN weight": ("      weight: 1\n", "      weight: .nan\n", "scoring.criteria[0].weight", "finite number"),
    "a weight that overflows once added": ("      weight: 1\n", "      weight: 1e308\n", "scoring.criteria[0].weight",
                                           "is more than 1,000,000, the largest weight a call can give"),
    "a NaN need": ("    formula: offline_share_x_eligible_share\n", EXPLICIT % ".nan", "allocation.need.explicit.AFR",
                   "finite number"),
    "an infinite need": ("    formula: offline_share_x_eligible_share\n", EXPLICIT % ".inf",
                         "allocation.need.explicit.AFR", "finite number"),
    "a deadline in year 1": ("  value: 2019-11-30T23:59:59Z\n", "  value: 0001-01-01T00:00:00+01:00\n", "deadline.value",
                             "0001-01-01 is before 1971-11-18, the UN's first list of least developed countries"),
    "a deadline in year 99999": ("  value: 2019-11-30T23:59:59Z\n", "  value: 99999-11-30T23:59:59Z\n", "deadline.value",
                                 "valid datetime"),
    "a deadline in year 9999": ("  value: 2019-11-30T23:59:59Z\n", "  value: 9999-11-30T23:59:59Z\n", "deadline.value",
                                "9999-11-30 is after 2100-12-31"),
    "a reference date in year 1": ("  as_of: 2019-11-30\n", "  as_of: 0001-01-01\n", "country_status.as_of",
                                   "0001-01-01 is before 1971-11-18"),
    "a reference date in 1919 (every need zero)": ("  as_of: 2019-11-30\n", "  as_of: 1919-11-30\n", "country_status.as_of",
                                                   "the shipped tables know no country's status then"),
    "a reference date in year 99999": ("  as_of: 2019-11-30\n", "  as_of: 99999-11-30\n", "country_status.as_of",
                                       "valid date"),
    "a reference date that does not exist": ("  as_of: 2019-11-30\n", "  as_of: 2019-02-30\n", "country_status.as_of",
                                             "valid date"),
    "a rule's date in year 1": ("{field: submitted_at, op: on_or_before, value_from: deadline}",
                                "{field: submitted_at, op: on_or_before, value: 0001-01-01}", "eligibility[5].condition",
                                "is before 1971-11-18"),
    "a rule's number NaN": (RULE, "{field: training_labs, op: at_least, value: .nan}", "eligibility[3].condition.all[0]",
                            "compared with a finite number, not nan"),
    "a billion seats": ("  seats: 10\n", "  seats: 1000000000\n", "allocation.seats",
                        "1,000,000,000 is more than 1,000, the bound on seats"),
    "a country cap too large for a machine integer": ("  max_per_country: 1\n", f"  max_per_country: {10**21}\n",
                                                      "allocation.max_per_country", "is more than 1,000"),
    "a billion reserve places": ("  reserve_per_region: 2\n", "  reserve_per_region: 1000000000\n",
                                 "allocation.reserve_per_region", "is more than 1,000"),
    "an integer of 5,000 digits": ("  seats: 10\n", "  seats: " + "9" * 5000 + "\n", "allocation.seats",
                                     "as an integer"),
}


@pytest.mark.parametrize("kind", sorted(MISTYPED))
def test_a_mistyped_value_is_a_call_file_error_naming_its_key(kind, tmp_path):
    old, new, key, words = MISTYPED[kind]
    path = edited(tmp_path, old, new)
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}: "), message
    assert words in message
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_the_command_refuses_a_reference_date_in_1919_in_one_line_exit_2(tmp_path, capsys):
    path = edited(tmp_path, "  as_of: 2019-11-30\n", "  as_of: 1919-11-30\n")
    status = main(["run", "--call", str(path), "--applications", str(EXAMPLES / "applications.csv"),
                   "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(f"dtc-select: {path}: country_status.as_of: 1919-11-30 is before 1971-11-18") and err.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == ["call.yaml"]


def test_the_bounds_let_the_shipped_call_through_with_room_to_spare():
    call = load_call(PHASE1)
    assert call.allocation.seats * 10 <= limits.MAX_SEATS
    assert limits.EARLIEST_DATE <= call.country_status.as_of <= limits.LATEST_DATE
    assert PHASE1.stat().st_size * 10 <= limits.MAX_CALL_FILE_BYTES


# --- YAML built to hurt ----------------------------------------------------------------------------

def condition_bomb(levels: int = 8) -> str:
    """A condition whose aliases stand for 10**levels conditions ("billion laughs" in a rule)."""
    anchors = ["&c0 {field: non_profit, op: is_true}"]
    anchors += [f"&c{i} {{all: [{', '.join([f'*c{i - 1}'] * 10)}]}}" for i in range(1, levels + 1)]
    return "{all: [" + ", ".join(anchors) + "]}"


def test_a_yaml_alias_bomb_is_refused_before_it_is_expanded_within_bounded_memory(tmp_path):
    path = edited(tmp_path, RULE, condition_bomb())
    done = run_capped(tmp_path, call=path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"dtc-select: {path}: line ")
    assert "stands for more than 100,000 values once its aliases (*name) are written out" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_few_aliases_within_the_budget_are_still_allowed(tmp_path):
    path = edited(tmp_path, RULE, condition_bomb(levels=2))  # 100 conditions: a committee's own shorthand
    call = load_call(path)
    assert call.rules[3].condition.all[0].all[2].all[9].all[9].field == "non_profit"


def test_yaml_nested_ten_thousand_deep_is_refused_in_one_line(tmp_path):
    path = tmp_path / "call.yaml"
    path.write_text("id: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    done = run_capped(tmp_path, call=path)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"dtc-select: {path}: line 1: values are nested more than 64 levels deep\n"


def test_aliases_that_nest_deeper_than_the_bound_once_written_out_are_refused(tmp_path):
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, 9)]
    path = tmp_path / "call.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problem(path) == "line 8: values are nested more than 64 levels deep once aliases (*name) are written out"


def test_an_alias_inside_the_value_it_names_is_refused(tmp_path):
    path = tmp_path / "call.yaml"
    path.write_text("id: &a [1, *a]\n", encoding="utf-8")
    assert problem(path) == "line 1: the alias *a is used inside the value it names (a loop): write the value out"


def test_a_call_file_over_the_size_bound_is_refused_unread(tmp_path):
    path = tmp_path / "call.yaml"
    path.write_text("# padding\n" * 200_000, encoding="utf-8")
    assert problem(path) == "is 2,000,000 bytes: a call file holds at most 1,000,000 (is this the right file?)"


def test_a_fifo_given_as_the_call_file_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "call.yaml"
    os.mkfifo(path)
    assert problem(path) == "is not a regular file: give the call file itself"


def test_a_key_that_is_a_list_is_a_call_file_error(tmp_path):
    path = tmp_path / "call.yaml"
    path.write_text("? [a, b]\n: 1\n", encoding="utf-8")
    assert problem(path) == "line 1: not valid YAML: a key is a list or mapping: keys are names"


def problem(path: Path) -> str:
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    return message.removeprefix(f"{path}: ")
