"""The words of every reason, in every shipped language, as a committee member proofreads them
(`wording.yaml`): a change of wording is a visible diff of that file. No sentence a person reads
holds a code name or stops short."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dtc_select.call.model import load_call
from dtc_select.reasons import catalogue
from dtc_select.reasons.render import Renderer
from tests.reasons.samples import SAMPLES

WORDING = Path(__file__).with_name("wording.yaml")
PHASE1 = Path(__file__).resolve().parents[2] / "criteria" / "dtc-phase1-2019.yaml"
HEADER = """# Every reason the stages write, in each shipped language: the example of each key in
# tests/reasons/samples.py, worded with the phase 1 call. A committee member proofreads this file;
# a change of wording shows here as a diff. Regenerate after a deliberate change with
#   .venv/bin/python -m tests.reasons.test_wording
"""
# A code name: two lower-case words joined by "_" (for_profit, host_country, research_capacity).
CODE_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")


def worded(call) -> dict:
    return {key: {lang: Renderer(lang, call).render(SAMPLES[key]) for lang in catalogue.languages()}
            for key in sorted(SAMPLES)}


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_each_reason_reads_as_the_proofread_wording_says(call, key):
    assert worded(call)[key] == yaml.safe_load(WORDING.read_text(encoding="utf-8"))[key]


def test_the_proofread_wording_lists_every_reason_and_no_other():
    assert set(yaml.safe_load(WORDING.read_text(encoding="utf-8"))) == set(SAMPLES)


@pytest.mark.parametrize("lang", catalogue.languages())
def test_no_reason_holds_a_code_name_or_a_sentence_that_stops(call, lang):
    for key, texts in worded(call).items():
        assert not CODE_NAME.search(texts[lang]), (key, texts[lang])
        assert not texts[lang].rstrip().endswith(("'s", "call's", ":", "de", "the")), (key, texts[lang])


if __name__ == "__main__":  # regenerate wording.yaml after a deliberate change of wording
    text = yaml.safe_dump(worded(load_call(PHASE1)), allow_unicode=True, sort_keys=False, width=100)
    WORDING.write_text(HEADER + text, encoding="utf-8")
