"""`allocation.need.indicator_edition`: a call may name the edition of ITU's Internet-use figures
its need formula uses; a name the shipped table cannot serve is a call-file error (issue 14, item 6)."""

from __future__ import annotations

import os

import pytest

from dtc_select.call.model import load_call
from dtc_select.cli import main
from dtc_select.errors import CallFileError
from dtc_select.reference.indicators import NAMED, call_edition
from tests.conftest import EXAMPLES, PHASE1, ROOT

NEED = "    formula: offline_share_x_eligible_share\n"


def with_edition(tmp_path, written: str):
    text = PHASE1.read_text(encoding="utf-8")
    assert NEED in text
    path = tmp_path / "call.yaml"
    path.write_text(text.replace(NEED, NEED + f"    indicator_edition: {written}\n", 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("written", ["2023", '"2023"', "' 2023 '"])
def test_an_edition_is_named_as_a_year_number_or_text(tmp_path, written):
    call = load_call(with_edition(tmp_path, written))
    assert call.allocation.need.indicator_edition == "2023"
    assert (call_edition(call).edition.edition, call_edition(call).chosen) == ("2023", NAMED)


def test_without_the_key_the_call_uses_the_latest_complete_edition_of_its_date(call):
    assert call.allocation.need.indicator_edition is None
    assert call_edition(call).edition.edition == "2018"  # 2019-11-30: Facts and figures 2019 lacks four regions


def test_an_unknown_edition_is_a_call_file_error_naming_the_file_and_the_key(tmp_path, capsys):
    path = with_edition(tmp_path, "2020")
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    assert str(caught.value) == (f"{path}: allocation.need.indicator_edition: unknown indicator edition '2020'; "
                                 "shipped complete editions: 2018, 2023")
    out = tmp_path / "run"
    assert main(["run", "--call", str(path), "--applications", str(EXAMPLES / "applications.csv"),
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dtc-select: {path}: allocation.need.indicator_edition: unknown indicator edition")
    assert "Traceback" not in err and sorted(os.listdir(tmp_path)) == ["call.yaml"]


def test_an_edition_missing_regions_cannot_be_named_and_the_error_says_which(tmp_path):
    with pytest.raises(CallFileError, match=r"allocation.need.indicator_edition: indicator edition '2021' has no "
                                            r"Internet-use figure for AMS, ARB, ASP, CIS, EUR"):
        load_call(with_edition(tmp_path, "2021"))


def test_the_2021_call_keeps_the_2023_figures_its_outcome_was_published_with():
    phase2 = load_call(ROOT / "criteria" / "dtc-phase2-2021.yaml")
    choice = call_edition(phase2)
    assert (choice.edition.edition, choice.chosen) == ("2023", NAMED)
    assert [n.key for n in choice.notices] == ["named_later"]  # never a silent use of later figures
