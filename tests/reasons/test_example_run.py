"""On the example call, every row's reasons are data that words them again exactly, in English as
decisions.csv has them and in French, with no code name anywhere."""

from __future__ import annotations

import pytest

from dtc_select.pipeline import run
from dtc_select.reasons import catalogue
from dtc_select.reasons.model import decode
from dtc_select.reasons.render import Renderer
from tests.conftest import EXAMPLES
from tests.reasons.samples import SAMPLES
from tests.reasons.test_wording import CODE_NAME


@pytest.fixture(scope="module")
def decisions(call):
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv").decisions


def test_every_rows_english_reasons_are_its_reason_codes_worded_in_english(call, decisions):
    english = Renderer("en", call)
    assert [english.row(decode(codes)) for codes in decisions["reason_codes"]] == list(decisions["reasons"])


def test_every_reason_key_of_the_example_run_is_in_the_proofread_wording(decisions):
    keys = {r.key for codes in decisions["reason_codes"] for r in decode(codes)}
    assert keys <= set(SAMPLES)
    assert {"seat.regional", "seat.reserve", "seat.country_cap", "rule.failed", "check.fragile"} <= keys


@pytest.mark.parametrize("lang", catalogue.languages())
def test_no_reason_of_the_example_run_holds_a_code_name_in_any_language(call, decisions, lang):
    words = Renderer(lang, call)
    for codes in decisions["reason_codes"]:
        text = words.row(decode(codes))
        assert not CODE_NAME.search(text), text
