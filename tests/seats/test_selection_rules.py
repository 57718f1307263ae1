"""The call file's selection rules end to end: presence priority three ways, earlier phases, counterfactuals."""

from __future__ import annotations

from pathlib import Path

import pytest

from dtc_select.call.model import load_call
from dtc_select.errors import CallFileError
from dtc_select.pipeline import run
from dtc_select.report.view import render_report
from dtc_select.ranking.scoring import score_applications
from tests.conftest import EXAMPLES, PHASE1, make_applications
from tests.factories import parsed

PRESENCE_BONUS = "  method: bonus\n  bonus: 0.05\n"
NO_PREVIOUS = "  centres: []\n"


def variant(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = PHASE1.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "variant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def example_run(call):
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")


# --- the call model ------------------------------------------------------------------------------

@pytest.mark.parametrize("replacements, key, words", [
    ([(PRESENCE_BONUS, "  method: quota\n")], "presence_priority", "`minimum_share` is given exactly when method is 'quota'"),
    ([(PRESENCE_BONUS, "  method: tie_break\n  bonus: 0.05\n")], "presence_priority", "`bonus` applies only with method 'bonus'"),
    ([(PRESENCE_BONUS, "  method: bonus\n")], "presence_priority", "method 'bonus' needs a `bonus` above 0"),
    ([(PRESENCE_BONUS, "  method: lottery\n")], "presence_priority.method", "unknown method 'lottery'"),
    ([(PRESENCE_BONUS, "  method: quota\n  minimum_share: 1.5\n")], "presence_priority.minimum_share", "less than or equal to 1"),
    ([("    formula: offline_share_x_eligible_share\n", "    formula: gdp\n")], "allocation.need.formula", "unknown need formula 'gdp'"),
    ([("outcomes: [phase1_selected, phase1_ran]", "outcomes: [phase1_dreamed]")], "allocation.compare_with.outcomes",
     "unknown past outcome 'phase1_dreamed'"),
    ([(NO_PREVIOUS, "  centres:\n    - {id: P-1, country: KEN, region: XYZ, reference: list}\n")],
     "previous_selections.centres[0].region", "unknown region 'XYZ'"),
    ([(NO_PREVIOUS, "  centres:\n    - {id: P-1, country: kenya, region: AFR, reference: list}\n")],
     "previous_selections.centres[0].country", "should match pattern"),
    ([(NO_PREVIOUS, "  centres:\n    - {id: P-1, country: KEN, region: AFR, reference: a}\n"
                    "    - {id: P-1, country: GHA, region: AFR, reference: a}\n")],
     "previous_selections.centres", "duplicate centre id 'P-1'"),
    ([(NO_PREVIOUS, "  centres:\n    - {id: P-1, country: KEN, region: AFR, reference: list}\n"),
      ("  seat_method: sainte_lague\n", "  seat_method: largest_remainder\n")],
     "", "allocation.seat_method: largest_remainder cannot count the centres of previous_selections"),
])
def test_a_mistake_in_the_selection_rules_names_the_key(tmp_path, replacements, key, words):
    path = variant(tmp_path, *replacements)
    with pytest.raises(CallFileError) as caught:
        load_call(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}"), message
    assert words in message


@pytest.mark.parametrize("centre, key, words", [
    ("{id: P-1, country: KEN, region: ASP, reference: list}", "previous_selections.centres[0].region",
     "KEN is in region AFR, not ASP"),
    ("{id: P-1, country: XYZ, region: AFR, reference: list}", "previous_selections.centres[0].country",
     "'XYZ' is not a known ISO 3166 alpha-3 code"),
])
def test_an_earlier_centre_that_does_not_match_the_country_table_stops_the_run(tmp_path, centre, key, words):
    call = load_call(variant(tmp_path, (NO_PREVIOUS, f"  centres:\n    - {centre}\n")))
    with pytest.raises(CallFileError, match=words) as caught:
        example_run(call)
    assert caught.value.key == key


# --- presence priority ---------------------------------------------------------------------------

def test_as_a_tie_break_presence_orders_equal_scores_and_adds_nothing(tmp_path):
    call = load_call(variant(tmp_path, (PRESENCE_BONUS, "  method: tie_break\n")))
    applications = parsed(2, presence=[False, True], country_iso3=["SEN", "KEN"], country_name=["Senegal", "Kenya"])
    ranked = score_applications(applications, None, call)
    assert (ranked["priority_bonus"] == 0).all()
    assert ranked["score"].nunique() == 1
    assert ranked["rank"].tolist() == [2, 1]  # A-002, from a presence country, first
    assert "presence of ITU or Cisco in the host country first" in ranked.loc[0, "tie_break_note"]


@pytest.fixture(scope="module")
def bonus_outcome(call):
    return example_run(call)


@pytest.fixture(scope="module")
def quota_outcome(tmp_path_factory):
    path = variant(tmp_path_factory.mktemp("quota"), (PRESENCE_BONUS, "  method: quota\n  minimum_share: 0.6\n"))
    return example_run(load_call(path))


def test_the_quota_keeps_its_share_of_seats_for_presence_countries_without_moving_seats_between_regions(
        quota_outcome, bonus_outcome):
    d = quota_outcome.decisions
    selected = d[d["status"] == "selected"]
    assert selected["presence"].sum() >= 6  # 0.6 × 10 seats
    assert (d["priority_bonus"].dropna() == 0).all()
    swapped = selected[selected["seat_source"] == "presence_quota"]
    assert len(swapped) >= 1
    assert swapped["reasons"].str.startswith("selected under the presence quota").all()
    assert quota_outcome.seats["seats"].tolist() == bonus_outcome.seats["seats"].tolist()


def test_who_gained_or_lost_a_seat_through_the_priority_is_what_a_rerun_without_it_gives(quota_outcome, call):
    d = quota_outcome.decisions.set_index("application_id")
    plain = call.model_copy(update={"presence_priority": call.presence_priority.model_copy(
        update={"method": "none", "bonus": 0.0})})
    without = example_run(plain).decisions.set_index("application_id")
    eligible = d["status"] != "ineligible"
    expected = (without.loc[d.index[eligible], "status"] == "selected")
    assert d.loc[eligible, "selected_without_presence_priority"].astype(bool).equals(expected)
    gained = d[(d["status"] == "selected") & ~d["selected_without_presence_priority"].fillna(True).astype(bool)]
    assert len(gained) >= 1
    assert gained["reasons"].str.contains("selected because of the presence priority").all()
    html = render_report(quota_outcome)
    for app_id in gained.index:
        assert app_id in html.split('id="presence-effect"')[1].split('id="without-shares"')[0]


def test_with_no_priority_nothing_is_credited_to_it(tmp_path):
    outcome = example_run(load_call(variant(tmp_path, (PRESENCE_BONUS, "  method: none\n"))))
    d = outcome.decisions
    assert d["selected_without_presence_priority"].isna().all()
    assert not d["reasons"].str.contains("presence priority").any()
    assert "is not applied in this call" in render_report(outcome)


# --- earlier phases ------------------------------------------------------------------------------

def test_a_centre_from_phase_one_keeps_its_country_out_and_counts_in_its_regions_seats(tmp_path, bonus_outcome):
    path = variant(tmp_path, (NO_PREVIOUS, "  centres:\n    - {id: DTC-P1-HND, country: HND, region: AMS, "
                                           "phase: 'phase 1', reference: 'ITU DTC list'}\n"))
    outcome = example_run(load_call(path))
    d = outcome.decisions.set_index("application_id")
    assert d.at["DTC-2019-059", "status"] == "not_selected"  # rank 1, from Honduras
    assert d.at["DTC-2019-059", "reasons"].startswith(
        "not selected: Honduras already has a centre from an earlier phase (DTC-P1-HND)")
    seats = outcome.seats
    assert seats.at["AMS", "previous"] == 1 and int(seats["previous"].sum()) == 1
    assert int(seats["seats"].sum()) == 10  # the call's seats are the new ones
    html = render_report(outcome)
    assert "DTC-P1-HND" in html and 'id="previous-centres"' in html
    assert "<td class=\"num\">earlier centre</td>" in html  # the Americas' quotients start at n = 1
    assert 'id="previous-centres"' not in render_report(bonus_outcome)


# --- counterfactual without regional shares ------------------------------------------------------

def test_the_global_ranking_counterfactual_takes_the_best_under_the_country_cap(bonus_outcome):
    d = bonus_outcome.decisions
    eligible = d[d["status"] != "ineligible"].sort_values("rank")
    by_rank = eligible[eligible["selected_without_regional_shares"].astype(bool)]
    expected = eligible.drop_duplicates("country_iso3").head(10)
    assert by_rank["application_id"].tolist() == expected["application_id"].tolist()
    displaced = eligible[(eligible["status"] != "selected") & eligible["selected_without_regional_shares"].astype(bool)]
    assert displaced["reasons"].str.contains("displaced by the regional shares").all()
    assert d.loc[d["status"] == "ineligible", "selected_without_regional_shares"].isna().all()


def test_the_example_report_lets_a_committee_member_recompute_the_seats(bonus_outcome):
    html = render_report(bonus_outcome)
    section = html.split('<section id="seats"')[1].split("</section>")[0]
    # Phase 1 (2019-11-30) reads Internet use from ITU's 2018 estimates (reference/indicators.py).
    for text in ("(100 − 24.4) / 100 × 44 / 44 = 0.756 × 1.000000 = 0.756000", "0.286629 → seat 4",
                 "0.084 (next, no seat)", "n = 4: ÷ 9", "Huntington-Hill", "D&#39;Hondt",
                 "Phase 1 as selected", "Phase 1 as it ran", "academy.itu.int", "Seats a region cannot fill",
                 "This call sets no minimum score", "What the presence priority changed", "Without regional shares"):
        assert text in section, text
    assert "Huntington-Hill would give Europe 1 seat" not in section  # Europe has qualified applicants here


def test_the_report_notes_each_method_that_would_give_seats_to_a_region_without_qualified_applicants(
        call, write_applications):
    outcome = run(call, write_applications(make_applications(3, country=["Senegal", "Kenya", "Uganda"])))
    html = render_report(outcome)
    assert "Sainte-Laguë would give the Americas 1 seat although it has no qualified applicant" in html
    assert "Huntington-Hill would give Europe 1 seat although it has no qualified applicant" in html
    assert "No applicant took a seat another region could not fill." in html  # all three are in Africa
    assert "7 seats stayed empty" in html  # 3 applicants for 10 seats


def test_the_minimum_score_and_how_many_fell_below_it_are_shown(tmp_path):
    outcome = example_run(load_call(variant(tmp_path, ("  minimum_score: null\n", "  minimum_score: 0.8\n"))))
    eligible = outcome.decisions[outcome.decisions["status"] != "ineligible"]
    below = int((eligible["score"] < 0.8).sum())
    assert below > 0
    assert f"Nobody scoring below 0.800 is selected or kept in reserve, even when seats remain: {below} eligible" in (
        render_report(outcome))


def test_the_report_lists_who_took_the_seats_other_regions_could_not_fill(call, write_applications):
    countries = ["Senegal", "Kenya", "Uganda", "Ghana", "Benin", "Mali"]
    outcome = run(call, write_applications(make_applications(6, country=countries)))
    moved = outcome.decisions[outcome.decisions["seat_source"] == "reallocated"]
    assert len(moved) == 2  # Africa has 4 seats; 2 of the other regions' seats come to Africa
    section = render_report(outcome).split('id="unfilled-seats"')[1].split('id="minimum-score"')[0]
    assert "Applicants who took a seat another region could not fill" in section
    assert all(app_id in section for app_id in moved["application_id"])
    assert "4 seats stayed empty" in section


@pytest.mark.parametrize("method, shown", [
    ("largest_remainder", ["Exact quota", "Whole part", "Remainder", "3.41174"]),
    ("huntington_hill", ["n = 0: ÷ 0", "n = 1: ÷ √2", "∞ → seat 1"]),
    ("dhondt", ["n = 1: ÷ 2", "0.378 → seat"]),
])
def test_the_report_shows_the_working_of_whichever_seat_method_the_call_names(tmp_path, method, shown):
    call = load_call(variant(tmp_path, ("  seat_method: sainte_lague\n", f"  seat_method: {method}\n")))
    html = render_report(example_run(call))
    working = html.split('id="seat-working"')[1].split('id="seat-methods"')[0]
    for text in shown:
        assert text in working, text


def test_a_pure_global_ranking_counts_earlier_centres_and_skips_scores_below_the_minimum():
    from dtc_select.seats.explained import selected_by_rank_alone
    from tests.seats.test_allocation import make_ranked
    from tests.seats.test_allocation_caps import earlier

    ranked = make_ranked([("A-1", "KEN", "AFR", 0.9), ("A-2", "GHA", "AFR", 0.8), ("A-3", "GHA", "AFR", 0.7),
                          ("A-4", "BGD", "ASP", 0.4), ("A-5", "NPL", "ASP", 0.6)])
    chosen = selected_by_rank_alone(ranked, 2, max_per_country=1, minimum_score=0.5,
                                    previous=earlier(("P-1", "KEN", "AFR")))
    assert ranked.loc[chosen, "application_id"].tolist() == ["A-2", "A-5"]


def test_a_committee_override_into_a_country_with_an_earlier_centre_is_warned_about(tmp_path, write_applications):
    call = load_call(variant(tmp_path, (NO_PREVIOUS, "  centres:\n    - {id: DTC-P1-SEN, country: SEN, region: AFR, "
                                                     "reference: 'ITU DTC list'}\n")))
    path = write_applications(make_applications(2, country=["Senegal", "Kenya"]))
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("application_id,new_status,justification,decided_by,decided_on,allow_ineligible\n"
                         "A-001,selected,National mandate,Committee,2019-12-10,\n", encoding="utf-8")
    outcome = run(call, path, overrides_path=overrides)
    assert outcome.decisions.set_index("application_id").at["A-001", "computed_status"] == "not_selected"
    assert ("SEN has 1 selected centres (A-001) and 1 from earlier phases (DTC-P1-SEN) after the committee's "
            "decisions; the call allows at most 1 per country") in outcome.overrides.warnings
