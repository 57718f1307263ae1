"""Intake parses the reader's codes of a plain CSV's columns (no column hashed again) into the
same applications, problems and quarantine as it parses the texts."""

from __future__ import annotations

import dataclasses

import pandas as pd

from dtc_select.intake.applications import take_in
from dtc_select.intake.reading import read_table
from dtc_select.reference.countries import load_country_table
from tests.conftest import make_applications, phase1_form


def test_the_reader_s_codes_give_what_the_texts_give(tmp_path):
    frame = make_applications(8, training_labs=["2", " 2", "two", "", "3", "2", "-1", "4"],
                              non_profit=["yes", "Yes ", "no", "maybe", "", "true", "YES", "no"],
                              application_id=["A-1", "A-2", "A-2", "A-4", "A-5", "A-6", "A-7", "A-8"])
    path = tmp_path / "a.csv"
    path.write_text(frame.to_csv(index=False, quoting=3, escapechar="\\"), encoding="utf-8")
    raw = read_table(path)
    assert raw.distinct, "a plain CSV: the reader keeps its codes"
    resolve, form = load_country_table().resolve, phase1_form()
    coded, texts = take_in(raw, resolve, form), take_in(dataclasses.replace(raw, distinct={}), resolve, form)
    pd.testing.assert_frame_equal(coded.applications, texts.applications)
    pd.testing.assert_frame_equal(coded.quarantine, texts.quarantine)
    assert len(coded.quarantine) >= 3
