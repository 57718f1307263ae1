"""A small Outcome for report tests: eight applicants with every status, hostile text in names,
reasons, ids and problems, contact details, reviewer scores with a conflict and comments."""

from __future__ import annotations

import pandas as pd

from dtc_select.seats import allocation
from dtc_select.call import vocabulary as vocab
from dtc_select.pipeline import InputRecord, Outcome
from dtc_select.reasons.model import encode, reason
from dtc_select.reasons.render import Renderer
from tests.factories import parsed

HOSTILE_NAME = "<script>alert(\"name\")</script> & 'Co' javascript:alert(1)"
HOSTILE_ID = 'DTC-006"><img src=x onerror=alert(1)>'
HOSTILE_REASON = "<b onclick=alert(2)>bold</b>"
HOSTILE_PROBLEM = "<script>alert('problem')</script> country 'Atlantis' is unknown"
HOSTILE_COMMENT = "<svg onload=alert(3)>great centre</svg>"
EMAILS = ("amina.director@example.org", "carlos.rector@example.org", "priya@example.net")
IDS = ("DTC-001", "DTC-002", "DTC-003", "DTC-004", "DTC-005", HOSTILE_ID, "DTC-007", "DTC-008")


def decisions_frame(call) -> pd.DataFrame:
    rows = [
        # id, institution, iso3, country, region, status, score, rank, region_rank, reserve, reasons (below)
        ("DTC-001", "Université de Kinshasa", "COD", "Democratic Republic of the Congo", "AFR", "selected", 0.81234, 1, 1, None, ""),
        ("DTC-002", HOSTILE_NAME, "KEN", "Kenya", "AFR", "selected", 0.8, 2, 2, None, ""),
        ("DTC-003", "Instituto Tecnológico de Bolivia", "BOL", "Bolivia", "AMS", "selected", 0.75, 3, 1, None, ""),
        ("DTC-004", "Kathmandu ICT Centre", "NPL", "Nepal", "ASP", "selected", 0.7, 4, 1, None, ""),
        ("DTC-005", "Makerere Digital Hub", "UGA", "Uganda", "AFR", "reserve", 0.65, 5, 3, 1, ""),
        (HOSTILE_ID, "Second Kinshasa centre", "COD", "Democratic Republic of the Congo", "AFR", "not_selected", 0.6, 6, 4, None, ""),
        ("DTC-007", "Lycée de Lyon", "FRA", "France", "EUR", "ineligible", None, None, None, None, ""),
        ("DTC-008", "Accra Training Ltd", "GHA", "Ghana", "AFR", "ineligible", None, None, None, None, ""),
    ]
    frame = pd.DataFrame(rows, columns=["application_id", "institution_name", "country_iso3", "country_name", "region",
                                        "status", "score", "rank", "region_rank", "reserve_position", "reasons"])
    # Every row's reasons as data (what the stages write), and their English from it; a
    # committee's justification is the applicant-side text a reason can carry.
    def seat(key, rank, seats=4, region="AFR", **fields):
        return reason(key, region=region, region_rank=rank, seats=seats, received=0, **fields)

    why = {0: [seat("seat.regional", 1)],
           1: [reason("committee.confirmed", status="selected", computed="selected", decided_by="R. Chair",
                      decided_on="2020-01-15", justification=HOSTILE_REASON), seat("seat.regional", 2)],
           2: [seat("seat.regional", 1, seats=1, region="AMS")],
           3: [seat("seat.regional", 1, seats=2, region="ASP")],
           4: [seat("seat.reserve", 3, position=1)],
           5: [reason("seat.country_cap", country={"iso3": "COD", "name": "Democratic Republic of the Congo"},
                      holders=["DTC-001"], higher=True, earlier=[], limit=False)],
           6: [reason("rule.failed", rule="host_country", facts=[
               {"field": "host_is_ldc", "op": "is_true", "value": None, "answer": False},
               {"field": "host_development", "op": "equals", "value": "developing", "answer": "developed"}])],
           7: [reason("rule.failed", rule="non_profit", facts=[
               {"field": "organisation_type", "op": "not_in", "value": ["for_profit"], "answer": "for_profit"}]),
               reason("rule.not_stated", rule="training_levels", facts=[{"field": "offers_intermediate_training"}])]}
    frame["reason_codes"] = [encode(why[i]) for i in frame.index]
    for i, reasons in why.items():
        frame.loc[i, "reasons"] = Renderer("en", call).row(reasons)
    eligible = frame["status"] != "ineligible"
    frame["score"] = frame["score"].astype("Float64")
    for column in ("rank", "region_rank", "reserve_position"):
        frame[column] = frame[column].astype("Int64")
    frame["merit_score"] = (frame["score"] - 0.05).where(eligible)
    frame["priority_bonus"] = pd.Series(0.05, index=frame.index).where(eligible)
    frame["reviewer_mean"] = pd.Series([4.5, 4.25, 3.875, None, 3.5, 3.0, None, None], dtype="Float64")
    frame["reviewers"] = pd.Series([3, 2, 2, 0, 2, 1, None, None], dtype="Int64")
    frame["tie_break_note"] = ["", "", "", "", "tied on score with X", "", "", ""]
    frame["source_row"] = range(1, len(frame) + 1)
    for number, criterion in enumerate(call.criteria):
        frame[f"criterion_{criterion.id}"] = pd.Series(0.5 + number / 20, index=frame.index).where(eligible)
    for rule in call.rules:
        frame[f"rule_{rule.id}"] = "pass"
    frame.loc[6, "rule_host_country"] = "fail"
    frame.loc[7, "rule_non_profit"] = "fail"
    frame.loc[7, "rule_training_levels"] = "not_stated"
    return frame


def applications_frame(decisions: pd.DataFrame) -> pd.DataFrame:
    """The answers behind the decisions (rows 7 and 8 fail the rules their reasons name)."""
    n = len(decisions)
    frame = parsed(n, application_id=list(decisions["application_id"]),
                   institution_name=list(decisions["institution_name"]),
                   country_iso3=list(decisions["country_iso3"]), region=list(decisions["region"]),
                   host_is_ldc=[True] * 6 + [False, False], host_development=["developing"] * 6 + ["developed", "developing"],
                   organisation_type=["ngo"] * 7 + ["for_profit"], non_profit=[True] * 7 + [False])
    frame["offers_intermediate_training"] = frame["offers_intermediate_training"].astype("boolean")
    frame.loc[7, "offers_intermediate_training"] = pd.NA
    frame["country"] = list(decisions["country_name"])
    frame["city"] = "Capital"
    frame["description"] = ["A centre. <i onmouseover=alert(4)>x</i>"] + ["A centre."] * (n - 1)
    frame["contact_name"] = "Dr Amina Contact"
    frame["contact_email"] = [EMAILS[i % 3] for i in range(n)]
    frame["contact_phone"] = "+243 81 555 0199"
    return frame


def needs_and_seats() -> tuple[pd.DataFrame, pd.DataFrame]:
    needs = pd.DataFrame(index=pd.Index(vocab.REGIONS, name="region"))
    needs["region_name"] = [vocab.REGION_NAMES[r] for r in vocab.REGIONS]
    needs["internet_use_percent"] = [37.0, 87.0, 70.0, 66.0, 89.0, 91.0]
    needs["indicator_year"] = 2023
    needs["offline_share"] = (100 - needs["internet_use_percent"]) / 100
    needs["member_states"] = [44, 35, 21, 38, 12, 46]
    needs["eligible_states"] = [44, 33, 21, 36, 6, 3]
    needs["eligible_share"] = needs["eligible_states"] / needs["member_states"]
    needs["need"] = (needs["offline_share"] * needs["eligible_share"]).round(6)
    seats = allocation.seats_per_region(needs["need"].to_dict(), 10, "sainte_lague")
    seats["filled"] = [2, 1, 0, 1, 0, 0]
    seats["eligible"] = [4, 1, 0, 1, 0, 0]
    seats["unfilled_to_others"] = 0
    seats["received_from_others"] = 0
    seats["left_empty"] = seats["seats"] - seats["filled"]
    return needs, seats


def scores_frame() -> pd.DataFrame:
    rows = [("DTC-001", "R1", "reputation", 5.0, HOSTILE_COMMENT, False),
            ("DTC-001", "R1", "innovation", 4.0, None, False),
            ("DTC-001", "R2", "reputation", 4.0, "solid", False),
            ("DTC-001", "R3", "reputation", 1.0, None, True)]
    frame = pd.DataFrame(rows, columns=["application_id", "reviewer_id", "criterion", "score", "comment",
                                        "conflict_of_interest"])
    frame["conflict_of_interest"] = frame["conflict_of_interest"].astype("boolean")
    frame["source_row"] = range(1, len(frame) + 1)
    return frame


def make_outcome(call, **decision_columns) -> Outcome:
    """The fixture Outcome; keyword arguments add decision columns (e.g. selection_probability)."""
    decisions = decisions_frame(call)
    for column, values in decision_columns.items():
        decisions[column] = values
    needs, seats = needs_and_seats()
    return Outcome(
        call=call,
        decisions=decisions,
        quarantine=pd.DataFrame({"source_row": [9], "application_id": ["<script>q</script>"], "problems": [HOSTILE_PROBLEM]}),
        score_problems=pd.DataFrame({"source_row": [4, 5, 6, 9], "application_id": ["DTC-999"] * 3 + [pd.NA],
                                     "problems": ["application_id 'DTC-999' is not in the applications file"] * 3
                                     + ["score '7' is outside the scale 1 to 5"]}),
        needs=needs,
        seats=seats,
        applications=applications_frame(decisions),
        scores=scores_frame(),
        inputs=(InputRecord("applications", "data/applications.csv", "a" * 64, 1234),
                InputRecord("scores", "data/scores.csv", "b" * 64, 567)),
        extra_columns=(),
    )
