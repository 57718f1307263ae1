"""The report's "how firm is this ranking" part: reviewers, method, tie-break, stability.

Plain data for `templates/ranking_checks.html.j2`, in the report's language: every word from the
catalogue (`templates/messages_checks_<lang>.yaml`), every number through the Formatter, every
table through report_tables.table. The template only lays it out and autoescapes every value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dtc_select.call import vocabulary as vocab
from dtc_select.report.i18n import Formatter, localized
from dtc_select.report.rules import tie_break_words
from dtc_select.report.tables import scaled_headings, table

if TYPE_CHECKING:
    from dtc_select.pipeline import Outcome

ID = ("application_id", "col_application", "id")
INSTITUTION = ("institution_name", "col_institution", "text")
REGION = ("region_label", "col_region", "text")
STATUS = ("status", "col_status", "status")
RANK = ("rank", "col_rank_overall", "int")
REVIEWER_COLUMNS = (("reviewer_id", "chk_col_reviewer", "text"), ("applications", "chk_col_applications", "int"),
                    ("marks", "chk_col_marks", "int"), ("mean_raw", "chk_col_mean_raw", "score"),
                    ("sd_raw", "chk_col_sd_raw", "score"), ("calibration", "chk_col_calibration", "text"),
                    ("conflicts", "chk_col_conflicts", "int"))
CONFLICT_COLUMNS = (("reviewer_id", "chk_col_reviewer", "text"), ("application_id", "col_application", "text"),
                    ("rows_flagged", "chk_col_rows_flagged", "int"), ("rows_left_out", "chk_col_rows_left_out", "int"))
MEANS_COLUMNS = (ID, INSTITUTION, STATUS, RANK, ("reviewers", "col_reviewers", "int"),
                 ("reviewer_mean_raw", "chk_col_reviewer_mean_raw", "score"),
                 ("reviewer_mean", "chk_col_reviewer_mean", "score"),
                 ("reviewer_disagreement", "col_disagreement", "score"), ("flag", "chk_col_to_discuss", "text"))
MISSING_COLUMNS = (ID, INSTITUTION, STATUS, ("missing", "chk_col_missing", "text"))
AGREEMENT_COLUMNS = (("method", "chk_col_method", "text"), ("tau", "chk_col_tau", "score"),
                     ("rho", "chk_col_rho", "score"), ("status_changes", "chk_col_status_changes", "int"),
                     ("rank_changes", "chk_col_rank_changes", "int"))
STABILITY_COLUMNS = (ID, INSTITUTION, REGION, STATUS, RANK, ("score", "col_score", "score"),
                     ("selection_probability", "chk_col_selected_in", "share"),
                     ("margin_to_cutoff", "chk_col_margin", "margin"), ("fragile", "chk_col_fragile", "text"))
WEIGHT_COLUMNS = (("criterion", "chk_col_criterion", "text"), ("weight", "chk_col_weight", "pct"),
                  ("low", "chk_col_low", "pct"), ("high", "chk_col_high", "pct"))


def checks_view(outcome: Outcome, decisions: pd.DataFrame, fmt: Formatter) -> dict:
    """Everything the template's ranking-checks part shows; `present` is False when the run made
    no checks (an Outcome built without them). `decisions`: the report's prepared decisions
    (country and region already in the report's language)."""
    checks, call, m = outcome.checks, outcome.call, fmt.m
    ranked = decisions[decisions["status"] != "ineligible"].sort_values(["rank", "application_id"], kind="stable")
    if checks is None or "selection_probability" not in decisions:
        return {"present": False, "summary": [], "tie_break": tie_break_words(call, fmt)}
    flagged = ranked[ranked["disagreement_flagged"].fillna(False).astype(bool)]
    probability = ranked["selection_probability"]
    fragile = ranked[(ranked["status"] == "selected") & (probability < call.stability.fragile_below)]
    return {
        "present": True,
        "summary": [{"label": m.chk_count_disputed, "value": len(flagged)},
                    {"label": m.chk_count_fragile, "value": len(fragile)}],
        "reviewers": _reviewers_view(checks, ranked, call, fmt),
        "methods": _methods_view(checks, ranked, call, fmt),
        "stability": _stability_view(checks, ranked, fragile, call, fmt),
        "tie_break": tie_break_words(call, fmt),
        "ties": int(ranked["tie_break_note"].fillna("").astype(str).ne("").sum()),
    }


def _yes(flags, fmt: Formatter) -> np.ndarray:
    return np.where(np.asarray(flags, dtype=bool), fmt.m.yes, "")


def _reviewers_view(checks, ranked: pd.DataFrame, call, fmt: Formatter) -> dict:
    m, rules, reviewed = fmt.m, call.scoring, checks.reviewed
    people = reviewed.reviewers.copy()
    kept_raw = (m.chk_raw_calibration_off if rules.calibration.method == "none"
                else m("chk_raw_too_few", minimum=rules.calibration.minimum_applications))
    people["calibration"] = [m.chk_calibrated if c else kept_raw for c in people["calibrated"]]
    marked = ranked[ranked["reviewers"].fillna(0) > 0]  # a new frame (copy-on-write): no .copy() of 64,000 rows
    marked["_flagged"] = marked["disagreement_flagged"].fillna(False).astype(bool)
    marked["flag"] = _yes(marked["_flagged"], fmt)
    # Flagged first, most disagreement first: the committee discusses them before the others.
    marked = marked.sort_values(["_flagged", "reviewer_disagreement", "rank"], ascending=[False, False, True],
                                kind="stable", na_position="last")
    missing = ranked[ranked["missing_reviewer_criteria"].fillna("").astype(str) != ""].copy()
    missing["missing"] = [_missing_in_words(ids, call, fmt) for ids in missing["missing_reviewer_criteria"]]
    widest = marked.dropna(subset=["reviewer_disagreement"]).head(1)
    calibration, disagreement = rules.calibration, rules.disagreement
    return {
        "given": reviewed.given,
        "calibration": {"description": localized(calibration, "description", fmt.lang),
                        "reference": localized(calibration, "reference", fmt.lang),
                        "on": calibration.method == "standardise", "minimum": calibration.minimum_applications,
                        "centre": fmt.number(reviewed.centre),
                        "spread": "—" if reviewed.spread is None else fmt.decimal(reviewed.spread),
                        "scale": m("scale_range", low=fmt.number(rules.scale.min), high=fmt.number(rules.scale.max)),
                        "raw": [str(r) for r in people.loc[~people["calibrated"].astype(bool), "reviewer_id"]]},
        "disagreement": {"description": localized(disagreement, "description", fmt.lang),
                         "reference": localized(disagreement, "reference", fmt.lang),
                         "threshold": fmt.decimal(disagreement.flag_above, 2),
                         "flagged": int(marked["_flagged"].sum()),
                         "widest": None if widest.empty else
                         f"{fmt.decimal(widest['reviewer_disagreement'].iat[0])} ({widest['application_id'].iat[0]})"},
        "people": table(people, REVIEWER_COLUMNS, fmt),
        "conflicts": table(reviewed.conflicts, CONFLICT_COLUMNS, fmt),
        "means": table(marked, MEANS_COLUMNS, fmt, headings={"reviewer_disagreement": scaled_headings(
            rules.scale, fmt)["reviewer_disagreement"]}),
        "missing": table(missing, MISSING_COLUMNS, fmt),
        "missing_count": len(missing),
        "policies": sorted({m[f"chk_policy_{rules.missing_policy(c)}"] for c in call.criteria if c.reviewer_scored}),
    }


def _missing_in_words(missing: str, call, fmt: Formatter) -> str:
    ids = missing.split(", ")
    return fmt.m.parts_joiner.join(
        f"{localized(c, 'label', fmt.lang) or c.id}: {fmt.m[f'chk_policy_{call.scoring.missing_policy(c)}']}"
        for c in call.criteria if c.id in ids)


def _method_name(method: str, fmt: Formatter) -> str:
    return fmt.m[f"chk_method_name_{method}"]


def _methods_view(checks, ranked: pd.DataFrame, call, fmt: Formatter) -> dict:
    m, chosen = fmt.m, call.scoring.method
    rows = [{"method": _method_name(a.method, fmt), "tau": a.kendall_tau, "rho": a.spearman_rho,
             "status_changes": len(a.changed_status), "rank_changes": len(a.changed_rank)} for a in checks.agreement]
    # Everyone selected under at least one method, with their rank and status under each.
    selected = set(ranked.loc[ranked["status"] == "selected", "application_id"])
    for a in checks.agreement:
        selected |= set(a.per_applicant.index[a.per_applicant["selected"].to_numpy()])
    frame = ranked[ranked["application_id"].isin(selected)].copy()
    columns = [ID, INSTITUTION, REGION, ("rank", m("chk_col_rank_chosen", method=_method_name(chosen, fmt)), "int"),
               ("chosen_selected", m("chk_col_selected_by", method=_method_name(chosen, fmt)), "text")]
    frame["chosen_selected"] = (frame["status"] == "selected").map(fmt.yes_no)
    for a in checks.agreement:
        per_applicant = a.per_applicant
        frame[f"rank_{a.method}"] = frame["application_id"].map(per_applicant["rank"])
        frame[f"selected_{a.method}"] = frame["application_id"].map(per_applicant["selected"]).map(fmt.yes_no, na_action="ignore")
        columns += [(f"rank_{a.method}", m("chk_col_rank_by", method=_method_name(a.method, fmt)), "int"),
                    (f"selected_{a.method}", m("chk_col_selected_by", method=_method_name(a.method, fmt)), "text")]
    changes = [{"method": _method_name(a.method, fmt),
                "ids": ", ".join(f"{i} ({m.chk_in if s else m.chk_out})" for i, s in
                                 zip(a.changed_status.index, a.changed_status["selected"]))}
               for a in checks.agreement]
    return {"chosen": _method_name(chosen, fmt), "chosen_words": m[f"chk_method_words_{chosen}"],
            "others": [{"name": _method_name(o, fmt), "words": m[f"chk_method_words_{o}"]}
                       for o in vocab.RANKING_METHODS if o != chosen],
            "agreement": table(pd.DataFrame(rows, columns=[c[0] for c in AGREEMENT_COLUMNS]), AGREEMENT_COLUMNS, fmt),
            "selections": table(frame, columns, fmt), "changes": changes}


def _stability_view(checks, ranked: pd.DataFrame, fragile: pd.DataFrame, call, fmt: Formatter) -> dict:
    rules, result = call.stability, checks.stability
    shown = ranked[ranked["status"].isin(["selected", "reserve"])].copy()
    shown["fragile"] = _yes(shown["application_id"].isin(fragile["application_id"]), fmt)
    region_order = shown["region"].map({r: i for i, r in enumerate(vocab.REGIONS)})
    shown = shown.assign(_status=shown["status"].map({"selected": 0, "reserve": 1}), _region=region_order)
    shown = shown.sort_values(["_status", "_region", "rank"], kind="stable")
    contenders = ranked[(ranked["status"] != "selected") & (ranked["selection_probability"] > 0)]
    contenders = contenders.sort_values(["selection_probability", "rank"], ascending=[False, True], kind="stable")
    weights = result.weights.copy()
    labels = {c.id: localized(c, "label", fmt.lang) or c.id for c in call.criteria}
    weights["criterion"] = weights["criterion"].map(lambda c: labels.get(c, c))
    return {"description": localized(rules, "description", fmt.lang),
            "reference": localized(rules, "reference", fmt.lang), "samples": fmt.integer(rules.samples),
            "seed": rules.seed, "concentration": fmt.number(rules.concentration),
            "threshold": fmt.share(rules.fragile_below), "same": fmt.share(result.same_selection),
            "fragile": [{"id": i, "name": n, "probability": fmt.share(p)} for i, n, p in
                        zip(fragile["application_id"], fragile["institution_name"], fragile["selection_probability"])],
            "table": table(shown, STABILITY_COLUMNS, fmt),
            "contenders": table(contenders, STABILITY_COLUMNS[:-1], fmt),
            "weights": table(weights, WEIGHT_COLUMNS, fmt)}
