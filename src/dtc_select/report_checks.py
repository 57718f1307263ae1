"""The report's "how firm is this ranking" part: reviewers, method, tie-break, stability.

Plain data for `templates/ranking_checks.html.j2`, formatted here like the rest of the report
(`report.py`); the template only lays it out and autoescapes every value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dtc_select import scoring
from dtc_select import vocabulary as vocab
from dtc_select.ranking_checks import share_in_words

if TYPE_CHECKING:
    from dtc_select.pipeline import Outcome

METHOD_NAMES = {"weighted_sum": "weighted sum", "topsis": "TOPSIS", "vikor": "VIKOR"}
METHOD_IN_WORDS = {
    "weighted_sum": "Each criterion value (0 to 1) is multiplied by the criterion's weight and the results are "
    "added up. It is the simplest method to check by hand: one point more on a criterion always adds the same "
    "to the score, whoever the other applicants are.",
    "topsis": "TOPSIS measures how close each applicant is to an imaginary best applicant (the best value seen on "
    "every criterion) and how far from an imaginary worst one; the score is the share of the way from worst to "
    "best. An applicant's score depends on the other applicants.",
    "vikor": "VIKOR looks at how far each applicant falls short of the best value seen on every criterion, both in "
    "total and on its single worst criterion, and balances the two equally. An applicant's score depends on the "
    "other applicants.",
}
ID = ("application_id", "Application", "id")
INSTITUTION = ("institution_name", "Institution", "text")
REGION = ("region_label", "Region", "text")
STATUS = ("status", "Status", "status")
RANK = ("rank", "Rank", "int")
REVIEWER_COLUMNS = (("reviewer_id", "Reviewer", "text"), ("applications", "Applications marked", "int"),
                    ("marks", "Marks counted", "int"), ("mean_raw", "Average mark (raw)", "score"),
                    ("sd_raw", "Spread (raw)", "score"), ("calibration", "Calibration", "text"),
                    ("conflicts", "Conflicts declared", "int"))
CONFLICT_COLUMNS = (("reviewer_id", "Reviewer", "text"), ("application_id", "Application", "text"),
                    ("rows_flagged", "Rows flagged", "int"), ("rows_left_out", "Marks left out", "int"))
MEANS_COLUMNS = (ID, INSTITUTION, STATUS, RANK, ("reviewers", "Reviewers", "int"),
                 ("reviewer_mean_raw", "Reviewer mean (raw)", "score"),
                 ("reviewer_mean", "Reviewer mean (calibrated)", "score"),
                 ("reviewer_disagreement", "Disagreement", "score"), ("flag", "To discuss", "text"))
MISSING_COLUMNS = (ID, INSTITUTION, STATUS, ("missing", "Criteria no reviewer marked, and what was done", "text"))
AGREEMENT_COLUMNS = (("method", "Method", "text"), ("tau", "Kendall's tau", "score"),
                     ("rho", "Spearman's rho", "score"), ("status_changes", "Would change status", "int"),
                     ("rank_changes", "Would change rank", "int"))
STABILITY_COLUMNS = (ID, INSTITUTION, REGION, STATUS, RANK, ("score", "Score", "score"),
                     ("selection_probability", "Selected in", "probability"),
                     ("margin_to_cutoff", "Margin to the cutoff", "margin"), ("fragile", "Fragile", "text"))
WEIGHT_COLUMNS = (("criterion", "Criterion", "text"), ("weight", "Call's weight", "pct"),
                  ("low", "5th percentile", "pct"), ("high", "95th percentile", "pct"))


def checks_view(outcome: Outcome) -> dict:
    """Everything the template's ranking-checks part shows; `present` is False when the run made
    no checks (an Outcome built without them)."""
    from dtc_select.report_english_tables import english_labels as _prepared

    checks, call = outcome.checks, outcome.call
    decisions = _prepared(outcome.decisions)
    ranked = decisions[decisions["status"] != "ineligible"].sort_values(["rank", "application_id"], kind="stable")
    if checks is None or "selection_probability" not in decisions:
        return {"present": False, "summary": [], "tie_break": scoring.tie_break_in_words(call)}
    flagged = ranked[ranked["disagreement_flagged"].fillna(False).astype(bool)]
    probability = ranked["selection_probability"]
    fragile = ranked[(ranked["status"] == "selected") & (probability < call.stability.fragile_below)]
    return {
        "present": True,
        "summary": [{"label": "Applicants whose reviewers disagree (to discuss first, see 4.1)", "value": len(flagged)},
                    {"label": "Fragile selections (see 4.3)", "value": len(fragile)}],
        "reviewers": _reviewers_view(checks, ranked, call),
        "methods": _methods_view(checks, ranked, call),
        "stability": _stability_view(checks, ranked, fragile, call),
        "tie_break": scoring.tie_break_in_words(call),
        "ties": int(ranked["tie_break_note"].fillna("").astype(str).ne("").sum()),
    }


def _reviewers_view(checks, ranked: pd.DataFrame, call) -> dict:
    from dtc_select.report_english_tables import english_table as _table

    rules, reviewed = call.scoring, checks.reviewed
    people = reviewed.reviewers.copy()
    people["calibration"] = [
        "calibrated" if c else ("raw marks kept: calibration is off" if rules.calibration.method == "none"
                                else f"raw marks kept: fewer than {rules.calibration.minimum_applications} applications")
        for c in people["calibrated"]]
    marked = ranked[ranked["reviewers"].fillna(0) > 0].copy()
    marked["flag"] = np.where(marked["disagreement_flagged"].fillna(False).astype(bool), "yes", "")
    # Flagged first, most disagreement first: the committee discusses them before the others.
    marked = marked.sort_values(["flag", "reviewer_disagreement", "rank"], ascending=[False, False, True],
                                kind="stable", na_position="last")
    missing = ranked[ranked["missing_reviewer_criteria"].fillna("").astype(str) != ""].copy()
    missing["missing"] = [_missing_in_words(m, call) for m in missing["missing_reviewer_criteria"]]
    widest = marked.dropna(subset=["reviewer_disagreement"]).head(1)
    return {
        "given": reviewed.given,
        "calibration": {"description": rules.calibration.description, "reference": rules.calibration.reference,
                        "on": rules.calibration.method == "standardise",
                        "minimum": rules.calibration.minimum_applications,
                        "centre": f"{reviewed.centre:g}",
                        "spread": "—" if reviewed.spread is None else f"{reviewed.spread:.3f}",
                        "scale": f"{rules.scale.min:g} to {rules.scale.max:g}",
                        "raw": [str(r) for r in people.loc[~people["calibrated"].astype(bool), "reviewer_id"]]},
        "disagreement": {"description": rules.disagreement.description, "reference": rules.disagreement.reference,
                         "threshold": f"{rules.disagreement.flag_above:.2f}",
                         "flagged": int(marked["flag"].eq("yes").sum()),
                         "widest": None if widest.empty else
                         f"{widest['reviewer_disagreement'].iat[0]:.3f} ({widest['application_id'].iat[0]})"},
        "people": _table(people, REVIEWER_COLUMNS),
        "conflicts": _table(reviewed.conflicts, CONFLICT_COLUMNS),
        "means": _table(marked, MEANS_COLUMNS),
        "missing": _table(missing, MISSING_COLUMNS),
        "missing_count": len(missing),
        "policies": sorted({scoring.POLICY_WORDS[rules.missing_policy(c)] for c in call.criteria if c.reviewer_scored}),
    }


def _missing_in_words(missing: str, call) -> str:
    ids = missing.split(", ")
    return "; ".join(f"{c.id}: {scoring.POLICY_WORDS[call.scoring.missing_policy(c)]}"
                     for c in call.criteria if c.id in ids)


def _methods_view(checks, ranked: pd.DataFrame, call) -> dict:
    from dtc_select.report_english_tables import english_table as _table

    chosen = call.scoring.method
    rows = [{"method": METHOD_NAMES[a.method], "tau": a.kendall_tau, "rho": a.spearman_rho,
             "status_changes": len(a.changed_status), "rank_changes": len(a.changed_rank)} for a in checks.agreement]
    # Everyone selected under at least one method, with their rank and status under each.
    selected = set(ranked.loc[ranked["status"] == "selected", "application_id"])
    for a in checks.agreement:
        selected |= set(a.per_applicant.index[a.per_applicant["selected"].to_numpy()])
    table = ranked[ranked["application_id"].isin(selected)].copy()
    columns = [ID, INSTITUTION, REGION, ("rank", f"Rank ({METHOD_NAMES[chosen]}, the call's)", "int"),
               ("chosen_selected", f"Selected ({METHOD_NAMES[chosen]})", "text")]
    table["chosen_selected"] = np.where(table["status"] == "selected", "yes", "no")
    for a in checks.agreement:
        frame = a.per_applicant
        table[f"rank_{a.method}"] = table["application_id"].map(frame["rank"])
        table[f"selected_{a.method}"] = table["application_id"].map(frame["selected"]).map({True: "yes", False: "no"})
        columns += [(f"rank_{a.method}", f"Rank ({METHOD_NAMES[a.method]})", "int"),
                    (f"selected_{a.method}", f"Selected ({METHOD_NAMES[a.method]})", "text")]
    changes = [{"method": METHOD_NAMES[a.method],
                "ids": ", ".join(f"{i} ({'in' if s else 'out'})" for i, s in
                                 zip(a.changed_status.index, a.changed_status["selected"]))}
               for a in checks.agreement]
    return {"chosen": METHOD_NAMES[chosen], "chosen_words": METHOD_IN_WORDS[chosen],
            "others": [{"name": METHOD_NAMES[m], "words": METHOD_IN_WORDS[m]}
                       for m in vocab.RANKING_METHODS if m != chosen],
            "agreement": _table(pd.DataFrame(rows, columns=[c[0] for c in AGREEMENT_COLUMNS]), AGREEMENT_COLUMNS),
            "selections": _table(table, columns), "changes": changes}


def _stability_view(checks, ranked: pd.DataFrame, fragile: pd.DataFrame, call) -> dict:
    from dtc_select.report_english_tables import english_table as _table

    rules, result = call.stability, checks.stability
    shown = ranked[ranked["status"].isin(["selected", "reserve"])].copy()
    shown["fragile"] = np.where(shown["application_id"].isin(fragile["application_id"]), "yes", "")
    region_order = shown["region"].map({r: i for i, r in enumerate(vocab.REGIONS)})
    shown = shown.assign(_status=shown["status"].map({"selected": 0, "reserve": 1}), _region=region_order)
    shown = shown.sort_values(["_status", "_region", "rank"], kind="stable")
    contenders = ranked[(ranked["status"] != "selected") & (ranked["selection_probability"] > 0)]
    contenders = contenders.sort_values(["selection_probability", "rank"], ascending=[False, True], kind="stable")
    weights = result.weights.copy()
    return {"description": rules.description, "reference": rules.reference, "samples": f"{rules.samples:,}",
            "seed": rules.seed, "concentration": f"{rules.concentration:g}",
            "threshold": share_in_words(rules.fragile_below), "same": share_in_words(result.same_selection),
            "fragile": [{"id": i, "name": n, "probability": share_in_words(p)} for i, n, p in
                        zip(fragile["application_id"], fragile["institution_name"], fragile["selection_probability"])],
            "table": _table(shown, STABILITY_COLUMNS),
            "contenders": _table(contenders, STABILITY_COLUMNS[:-1]),
            "weights": _table(weights, WEIGHT_COLUMNS)}


def margin_in_words(value) -> str:
    """Signed, 3 decimals (6 when smaller than 0.001, so a hair's breadth never reads as 0)."""
    value = float(value)
    if value == 0:
        return "0 (the tie-break decided)"
    return f"{value:+.3f}" if abs(value) >= 0.001 else f"{value:+.6f}"
