"""indicators.py: Internet use per region, edition by edition, and the edition a call uses (issue 14, item 6)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.errors import ReferenceDataError
from dtc_select.reference import indicators
from dtc_select.reference.countries import CONFIDENCE_LEVELS
from dtc_select.reference.indicators import (
    EARLIEST,
    LATEST,
    NAMED,
    choose_edition,
    edition_problem,
    indicator_editions,
    latest_on_or_before,
    load_regional_indicators,
    region_names,
)

EDITIONS = indicator_editions()
COMPLETE = [e for e in EDITIONS.values() if e.complete]


def test_every_shipped_figure_has_a_source_and_a_confidence_and_every_edition_a_dated_source():
    figures = load_regional_indicators()
    assert len(figures) > 6 and set(figures["edition"]) == set(EDITIONS)
    assert figures["source"].str.len().gt(20).all() and figures["source"].str.contains("http").all()
    assert set(figures["confidence"]) <= set(CONFIDENCE_LEVELS)
    assert figures["internet_use_percent"].between(0, 100).all()
    assert not figures.duplicated(["edition", "region"]).any()
    assert region_names()["ARB"] == ("Arab States", "États arabes")
    for edition in EDITIONS.values():  # each published in the year it is named for
        assert edition.title and edition.title_fr and edition.published.year == int(edition.edition)


def test_the_2018_and_2023_editions_are_complete_and_facts_and_figures_2019_and_2021_are_partial():
    assert [e.edition for e in COMPLETE] == ["2018", "2023"]
    assert EDITIONS["2019"].missing == ("AMS", "ARB", "ASP", "CIS")  # Africa 28.2 and Europe 82.5 were found
    assert EDITIONS["2021"].missing == ("AMS", "ARB", "ASP", "CIS", "EUR")  # Africa 33 was found
    africa = load_regional_indicators().set_index(["edition", "region"])["internet_use_percent"]
    assert [africa["2018", "AFR"], africa["2019", "AFR"], africa["2021", "AFR"], africa["2023", "AFR"]] == \
        [24.4, 28.2, 33.0, 37.1]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_the_latest_complete_edition_published_on_or_before_the_date_is_chosen(as_of):
    choice = choose_edition(as_of)
    assert choice.edition.complete and choice.as_of == as_of
    published_by_then = [e for e in COMPLETE if e.published <= as_of]
    if published_by_then:
        assert choice.chosen == LATEST and choice.edition.published <= as_of
        assert all(e.published <= choice.edition.published for e in published_by_then)
        assert all(n.key == "newer_incomplete" for n in choice.notices)
    else:
        assert choice.chosen == EARLIEST and choice.edition == min(COMPLETE, key=lambda e: e.published)
        assert [n.key for n in choice.notices] == ["before_all_editions"]


def test_the_choice_is_made_on_the_publication_date_not_the_year_in_the_name():
    assert choose_edition(dt.date(2023, 11, 29)).edition.edition == "2018"  # 2023's was public on the 30th
    assert choose_edition(dt.date(2023, 11, 30)).edition.edition == "2023"
    assert latest_on_or_before(list(EDITIONS.values()), dt.date(2018, 12, 6)) is None


def test_a_call_dated_before_every_edition_uses_the_earliest_and_says_so():
    choice = choose_edition(dt.date(2017, 6, 1))
    assert (choice.edition.edition, choice.chosen) == ("2018", EARLIEST)
    (notice,) = choice.notices
    assert notice == ("the call's country status date (2017-06-01) is before every complete edition of the "
                      "Internet-use figures shipped: the need formula uses the earliest, ITU global and regional "
                      "ICT estimates 2018 (published 2018-12-07), which was not public on the call's date")


def test_a_newer_edition_missing_regions_is_named_in_a_warning_and_not_used():
    choice = choose_edition(dt.date(2019, 11, 30))  # the phase-1 call's date
    assert (choice.edition.edition, choice.chosen) == ("2018", LATEST)
    (notice,) = choice.notices
    assert notice.key == "newer_incomplete" and notice.fields["missing"] == "AMS, ARB, ASP, CIS"
    assert "Facts and figures 2019 (published 2019-11-05" in notice
    assert choose_edition(dt.date(2023, 12, 31)).notices == ()


def test_an_edition_named_by_the_call_file_wins_over_the_date():
    choice = choose_edition(dt.date(2026, 1, 1), named="2018")
    assert (choice.edition.edition, choice.chosen, choice.notices) == ("2018", NAMED, ())
    assert choice.manifest() == {"edition": "2018", "title": "ITU global and regional ICT estimates 2018",
                                 "published": "2018-12-07", "chosen": NAMED, "call_date": "2026-01-01"}


def test_a_named_edition_published_after_the_calls_date_is_used_but_never_silently():
    choice = choose_edition(dt.date(2021, 8, 31), named="2023")
    assert (choice.edition.edition, choice.chosen) == ("2023", NAMED)
    assert [n.key for n in choice.notices] == ["named_later"]
    assert "were not public on the call's country status date (2021-08-31)" in choice.notices[0]


def test_an_unknown_or_incomplete_edition_cannot_be_named():
    assert "unknown indicator edition '2020'; shipped complete editions: 2018, 2023" == edition_problem("2020")
    assert "has no Internet-use figure for AMS, ARB, ASP, CIS" in edition_problem("2019")
    assert edition_problem("2023") is None
    with pytest.raises(ValueError, match="unknown indicator edition"):
        choose_edition(dt.date(2021, 1, 1), named="1999")


class _Resource:
    def __init__(self, text: str):
        self.text = text

    def open(self, mode):
        return io.BytesIO(self.text.encode("utf-8"))


@pytest.fixture
def shipped_text():
    texts = {name: indicators._resource(name).read_text(encoding="utf-8")
             for name in (indicators.EDITIONS_FILE, indicators.INDICATORS_FILE)}
    yield texts
    indicators._figures.cache_clear()
    indicators._editions.cache_clear()


def load_with(monkeypatch, texts):
    monkeypatch.setattr(indicators, "_resource", lambda name: _Resource(texts[name]))
    indicators._figures.cache_clear()
    indicators._editions.cache_clear()
    return indicators.indicator_editions()


def test_a_figure_without_a_source_is_refused_naming_the_file_and_line(monkeypatch, shipped_text):
    lines = shipped_text[indicators.INDICATORS_FILE].splitlines()
    row = lines[3].split(",")
    lines[3] = ",".join(row[:6]) + ',"",reported'
    shipped_text[indicators.INDICATORS_FILE] = "\n".join(lines) + "\n"
    with pytest.raises(ReferenceDataError, match=r"regional_indicators.csv line 4 \(2018 ARB\): source is empty"):
        load_with(monkeypatch, shipped_text)


def test_a_figure_of_an_edition_the_editions_table_does_not_list_is_refused(monkeypatch, shipped_text):
    shipped_text[indicators.INDICATORS_FILE] += 'R2099,AFR,Africa,Afrique,50,2099,"a source http://x",reported\n'
    with pytest.raises(ReferenceDataError, match=r"editions \['R2099'\] are not in indicator_editions.csv"):
        load_with(monkeypatch, shipped_text)


def test_every_region_keeps_its_names_in_every_edition(monkeypatch, shipped_text):
    shipped_text[indicators.INDICATORS_FILE] = shipped_text[indicators.INDICATORS_FILE].replace(
        "2023,ARB,Arab States,", "2023,ARB,Arab states,")
    with pytest.raises(ReferenceDataError, match="2023 ARB.*names differ"):
        load_with(monkeypatch, shipped_text)
