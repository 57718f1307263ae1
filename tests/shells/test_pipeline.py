"""The whole selection on the bundled example call: its answer key and the contract's invariants."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dtc_select.runs.safe_cells import csv_bytes
from dtc_select.pipeline import run
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def outcome(call):
    return run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")


def expected_table(title: str) -> pd.DataFrame:
    """A table of data/examples/EXPECTED.md, by its section title."""
    text = (EXAMPLES / "EXPECTED.md").read_text(encoding="utf-8")
    section = text.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|") and not line.startswith("|---")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_every_input_row_is_in_exactly_one_output(outcome):
    rows = len(pd.read_csv(EXAMPLES / "applications.csv", dtype=str))
    assert len(outcome.decisions) + len(outcome.quarantine) == rows
    taken = set(outcome.decisions["source_row"])
    quarantined = set(outcome.quarantine["source_row"])
    assert taken.isdisjoint(quarantined)
    assert taken | quarantined == set(range(1, rows + 1))


def test_the_quarantined_rows_are_exactly_those_of_the_answer_key(outcome):
    expected = expected_table("Quarantined")
    assert sorted(outcome.quarantine["source_row"]) == sorted(expected["source_row"].astype(int))


def test_each_ineligible_applicant_fails_exactly_the_rules_of_the_answer_key(outcome):
    expected = expected_table("Ineligible").set_index("application_id")
    decisions = outcome.decisions.set_index("application_id")
    ineligible = decisions[decisions["status"] == "ineligible"]
    assert sorted(ineligible.index) == sorted(expected.index)
    for app_id, row in expected.iterrows():
        failed = {c.removeprefix("rule_") for c in decisions.columns
                  if c.startswith("rule_") and decisions.loc[app_id, c] != "pass"}
        assert failed == set(row["rules"].split(", ")), app_id


def test_the_eligible_edge_cases_are_eligible(outcome):
    expected = expected_table("Eligible edge cases")
    statuses = outcome.decisions.set_index("application_id")["status"]
    for app_id in expected["application_id"]:
        assert statuses[app_id] != "ineligible", app_id


def test_no_more_are_selected_than_the_seats_and_none_ineligible(outcome, call):
    decisions = outcome.decisions
    selected = decisions[decisions["status"] == "selected"]
    assert len(selected) == call.allocation.seats
    assert selected["rule_deadline"].eq("pass").all()
    assert (selected[[c for c in decisions if c.startswith("rule_")]] == "pass").all().all()


def test_at_most_one_centre_per_country_is_selected(outcome):
    selected = outcome.decisions[outcome.decisions["status"] == "selected"]
    assert not selected["country_iso3"].duplicated().any()


def test_the_seats_per_region_match_the_selections(outcome):
    selected = outcome.decisions[outcome.decisions["status"] == "selected"]
    per_region = selected["region"].value_counts()
    for region, row in outcome.seats.iterrows():
        assert per_region.get(region, 0) == row["filled"]


def test_score_and_rank_are_empty_exactly_for_ineligible_rows(outcome):
    decisions = outcome.decisions
    ineligible = decisions["status"] == "ineligible"
    assert decisions.loc[ineligible, ["score", "rank"]].isna().all().all()
    assert decisions.loc[~ineligible, ["score", "rank"]].notna().all().all()
    assert sorted(decisions.loc[~ineligible, "rank"]) == list(range(1, (~ineligible).sum() + 1))


def test_every_decision_has_a_reason_in_words(outcome):
    reasons = outcome.decisions.set_index("status")["reasons"]
    assert reasons.str.len().gt(10).all()
    assert reasons.loc["selected"].str.startswith("selected: ranked").all()
    assert reasons.loc["ineligible"].str.startswith("ineligible: ").all()
    assert reasons.loc["reserve"].str.contains(r"^reserve \d for ").all()


def test_the_same_inputs_give_the_same_bytes(outcome, call):
    again = run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert csv_bytes(again.decisions) == csv_bytes(outcome.decisions)
    assert csv_bytes(again.quarantine) == csv_bytes(outcome.quarantine)


def test_row_order_of_the_applications_file_changes_no_decision(outcome, call, tmp_path):
    raw = pd.read_csv(EXAMPLES / "applications.csv", dtype=str, keep_default_na=False)
    # Reversed, but without moving the duplicate id ahead of its first occurrence.
    shuffled = raw.iloc[::-1]
    first = shuffled[~shuffled["application_id"].duplicated(keep="last")]
    later = shuffled[shuffled["application_id"].duplicated(keep="last")]
    path = tmp_path / "reversed.csv"
    pd.concat([first, later]).to_csv(path, index=False)
    again = run(call, path, EXAMPLES / "scores.csv")
    columns = [c for c in outcome.decisions.columns if c != "source_row"]
    assert csv_bytes(again.decisions[columns]) == csv_bytes(outcome.decisions[columns])


def test_a_run_without_scores_ranks_on_the_applications_alone(call):
    alone = run(call, EXAMPLES / "applications.csv")
    eligible = alone.decisions[alone.decisions["status"] != "ineligible"]
    assert eligible["reviewers"].eq(0).all()
    assert (alone.decisions["status"] == "selected").sum() == call.allocation.seats


def test_scores_for_quarantined_applications_are_reported_not_dropped(outcome):
    problems = outcome.score_problems
    assert not problems.empty
    assert problems["problems"].str.contains("was quarantined").any()
    counted = outcome.scores["application_id"].nunique()
    assert counted == len(outcome.decisions)


def test_presence_priority_is_named_in_the_reasons_of_those_it_helped(outcome):
    helped = outcome.decisions[outcome.decisions["priority_bonus"] > 0]
    assert not helped.empty
    assert helped["reasons"].str.contains("bonus because ITU or Cisco is present in").all()
    assert re.search(r"is present in \w+", helped["reasons"].iloc[0])


def test_extra_input_columns_named_like_computed_ones_are_kept_apart(call, tmp_path):
    from tests.conftest import make_applications

    frame = make_applications(2, country=["Senegal", "Kenya"]).assign(status="approved", region="West", score="9", rule_x="1")
    path = tmp_path / "a.csv"
    frame.to_csv(path, index=False)
    outcome = run(call, path)
    assert set(outcome.decisions["status"]) == {"selected"}
    assert set(outcome.decisions["region"]) == {"AFR"}
    assert {"input_status", "input_region", "input_score", "input_rule_x"} <= set(outcome.extra_columns)


def test_the_reviewers_marks_are_counted_once_per_run_for_scoring_and_the_ranking_checks(call, monkeypatch):
    from dtc_select import pipeline
    from dtc_select.checks import ranking_checks
    from dtc_select.ranking import reviewers
    from dtc_select.ranking import scoring

    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return reviewers.review_marks(*args, **kwargs)
    for module in (pipeline, scoring, ranking_checks):
        monkeypatch.setattr(module, "review_marks", counted)
    done = run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert len(calls) == 1
    assert done.checks.reviewed.given and done.decisions["reviewer_mean"].notna().any()


def test_run_goes_through_the_one_list_of_stages_and_a_stage_added_there_is_run(call, monkeypatch):
    from dataclasses import replace

    from dtc_select import pipeline

    seen = []
    stages = tuple(pipeline.Stage(s.key, s.title, lambda state, s=s: (seen.append(s.key), s.step(state))[1],
                                  s.reads_files) for s in pipeline.STAGES)
    toy = pipeline.Stage("toy", "a toy stage", lambda state: replace(state, outcome=replace(state.outcome, extra_columns=("toy",))))
    monkeypatch.setattr(pipeline, "STAGES", stages + (toy,))
    outcome = run(call, EXAMPLES / "applications.csv", EXAMPLES / "scores.csv")
    assert seen == ["intake", "eligibility", "scores_intake", "scoring", "allocation", "ranking_checks", "assemble",
                    "committee"]
    assert outcome.extra_columns == ("toy",)


def test_the_stages_can_be_run_up_to_a_named_one_and_an_unknown_name_is_refused(call):
    from dtc_select import pipeline

    state = pipeline.run_stages(pipeline.RunState(call, EXAMPLES / "applications.csv"), through="scoring")
    assert state.ranked is not None and state.allocated is None and state.outcome is None
    with pytest.raises(ValueError, match="no stage named 'ranking'; the stages are intake, eligibility"):
        pipeline.run_stages(state, through="ranking")


def test_publish_is_given_exactly_one_place_to_write(call, tmp_path):
    import datetime as dt

    from dtc_select.runs.publish import publish

    outcome = run(call, EXAMPLES / "applications.csv")
    with pytest.raises(ValueError, match="exactly one of out and reports_dir"):
        publish(outcome, started_at=dt.datetime.now(dt.timezone.utc), out=tmp_path / "a", reports_dir=tmp_path)
