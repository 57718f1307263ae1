"""The report words a row's reasons only where it shows the row, as it worded every row before."""

from __future__ import annotations

import math

from dtc_select.reasons.model import decode, encode
from dtc_select.reasons.render import Renderer
from dtc_select.report.view import _Unworded, _worded
from tests.reasons.samples import SAMPLES


def test_every_shown_row_s_reasons_are_its_codes_worded_and_shared_places_are_worded_once(call):
    words = Renderer("fr", call)
    rows = [encode([SAMPLES["rule.failed"], SAMPLES["seat.pooled"]]), encode([SAMPLES["committee.changed"],
            SAMPLES["seat.regional"]]), "", math.nan, "[]"]
    dossier = {"reasons": _Unworded(rows[1]), "figures": []}
    view = {"tables": [{"rows": [{"cells": [{"parts": _Unworded(r)}], "below": _Unworded(r) or []} for r in rows]}],
            "dossiers": [dossier], "profiles": [dossier], "count": 3}
    _worded(view, words)
    expected = [words.parts(decode(r)) for r in rows]
    assert [row["cells"][0]["parts"] for row in view["tables"][0]["rows"]] == expected
    assert [row["below"] for row in view["tables"][0]["rows"]] == expected
    assert view["profiles"][0]["reasons"] == expected[1] and view["count"] == 3
