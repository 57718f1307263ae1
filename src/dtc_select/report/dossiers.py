"""One dossier per taken-in applicant: its answers, each minimum qualification's result, its
criterion values, every reviewer's scores and comments, its stability figures when the run has
them, and why it got its status.

Contact details (contact_name, contact_email, contact_phone) are in the secretariat's edition
only: the reviewer's edition never reads those columns.
"""

from __future__ import annotations

import pandas as pd

from dtc_select.report import charts
from dtc_select.report.i18n import Formatter, localized, missing
from dtc_select.report.tables import anchor, cell_text

# The contract's application columns (contract §1) a dossier shows, in the contract's order; a call
# shows its own form's fields (answer_fields).
ANSWERS = (
    "institution_name", "country", "city", "organisation_type", "non_profit", "offers_basic_training",
    "offers_intermediate_training", "training_labs", "workstations", "internet_mbps", "government_endorsement",
    "research_capacity", "distance_learning", "has_mission_statement", "has_business_plan",
    "innovation_programmes", "committed_staff", "committed_budget_usd", "scaling_plan", "trainees_last_year",
    "trainers", "submitted_at", "description",
)
CONTACTS = ("contact_name", "contact_email", "contact_phone")


def answer_fields(call) -> tuple[str, ...]:
    """The fields of the call's form a dossier shows, in the form's order (ANSWERS for phase 1):
    all but the application id and the contact details."""
    return tuple(f.id for f in call.form.fields if f.id != "application_id" and f.id not in CONTACTS)
# Figures of the decision, when the run has them: (column, catalogue key, kind).
FIGURES = (("rank", "col_rank_overall", "int"), ("region_rank", "col_region_rank", "int"),
           ("reserve_position", "col_reserve_position", "int"), ("merit_score", "col_merit", "score"),
           ("priority_bonus", "col_bonus", "score"), ("score", "col_score", "score"),
           ("reviewer_mean", "col_reviewer_mean", "mean"), ("reviewers", "col_reviewers", "int"),
           ("selection_probability", "col_probability", "share"), ("margin_to_cutoff", "chk_col_margin", "margin"),
           ("reviewer_disagreement", "col_disagreement", "score"))
# Calibrated reviewer scores, if the scoring stage adds them to the scores table.
CALIBRATED = ("calibrated_score", "score_calibrated", "calibrated")


def dossiers(outcome, decisions: pd.DataFrame, fmt: Formatter, explained: pd.DataFrame, *,
             contacts: bool) -> list[dict]:
    """Dossiers in the order of `decisions` (the prepared decisions: reasons already as parts);
    `explained`: eligibility.rule_reasons in the report's language, indexed by application id."""
    call, lang = outcome.call, fmt.lang
    applications = outcome.applications
    if len(decisions) < len(applications):  # the answers of those with a dossier only (a dict each)
        applications = applications[applications["application_id"].isin(decisions["application_id"])]
    answers = _answers_by_application(applications, answer_fields(call) + (CONTACTS if contacts else ()))
    explained = explained.to_dict("index")  # a dict per applicant: .loc per dossier cost 0.1 s per 300
    labels = {c.id: localized(c, "label", lang) or c.id for c in call.criteria}
    reviews = _reviews_by_application(_with_calibrated_marks(outcome, decisions["application_id"]), call, labels, fmt)
    shown = ["application_id", "institution_name", "country", "region_label", "status", "reasons",
             "disagreement_flagged", *(col for col, _, _ in FIGURES), *(f"criterion_{c.id}" for c in call.criteria)]
    result = []
    for record in decisions[[c for c in dict.fromkeys(shown) if c in decisions]].to_dict("records"):
        app_id = record["application_id"]
        answer = answers.get(app_id)
        result.append({
            "anchor": anchor(app_id), "id": app_id, "name": record["institution_name"],
            "country": record["country"] or "—", "region": record["region_label"] or "—",
            "status": record["status"], "status_text": fmt.status(record["status"]),
            "reasons": record["reasons"],
            "figures": [{"label": fmt.m[key], "text": cell_text(fmt, kind, record[col])}
                        for col, key, kind in FIGURES if col in record and not missing(record[col])],
            "flagged": bool(record.get("disagreement_flagged")) and not missing(record.get("disagreement_flagged")),
            "answers": _answers(answer, answer_fields(call), fmt),
            "contacts": _answers(answer, CONTACTS, fmt) if contacts else [],
            "rules": _rules(call, explained.get(app_id), fmt),
            "criteria": _criteria(record, call, labels, fmt),
            "reviews": reviews.get(app_id),
        })
    return result


def _answers_by_application(applications: pd.DataFrame, fields: tuple[str, ...]) -> dict[str, dict]:
    """Each application's answers to `fields` (those it has columns for), by application id: read
    column by column once (a row of mixed columns taken per dossier cost 0.2 s per 300 dossiers)."""
    present = [f for f in fields if f in applications.columns]
    columns = [applications[f].tolist() for f in present]
    return {app_id: dict(zip(present, values))
            for app_id, *values in zip(applications["application_id"].tolist(), *columns)}


def _answers(answer: dict | None, columns, fmt: Formatter) -> list[dict]:
    if answer is None:
        return []
    return [{"label": fmt.m[f"field_{c}"], "text": fmt.answer(c, answer[c]), "long": c == "description"}
            for c in columns if c in answer]


def _rules(call, explained, fmt: Formatter) -> list[dict]:
    if explained is None:
        return []
    rows = []
    for rule in call.rules:
        result, reason = explained[rule.id]
        rows.append({"id": rule.id, "description": localized(rule, "description", fmt.lang), "result": result,
                     "result_text": fmt.m[f"result_{result}"], "reason": reason})
    return rows


def _criteria(record: dict, call, labels: dict, fmt: Formatter) -> dict | None:
    values = [(labels[c.id], record.get(f"criterion_{c.id}")) for c in call.criteria]
    if all(missing(v) for _, v in values):
        return None
    return {"rows": [{"label": label, "text": cell_text(fmt, "score", v)} for label, v in values],
            "chart": charts.profile_chart(values, fmt, fmt.m.chart_profile_label)}


def _with_calibrated_marks(outcome, applications: pd.Series) -> pd.DataFrame | None:
    """The scores table's rows of `applications` with each counted mark's calibrated value
    (reviewers.ReviewedMarks) beside it, when the run calibrated; marks left out (conflicts) have
    none."""
    scores, checks = outcome.scores, outcome.checks
    if scores is None or scores.empty:
        return scores
    scores = scores[scores["application_id"].isin(applications)]
    marks = getattr(getattr(checks, "reviewed", None), "marks", None)
    if marks is None or marks.empty or "calibrated" not in marks:
        return scores
    marks = marks[marks["application_id"].isin(applications)]
    keys = ["application_id", "reviewer_id", "criterion"]
    calibrated = marks.groupby(keys, sort=False)["calibrated"].mean()
    return scores.join(calibrated, on=keys)


def _reviews_by_application(scores: pd.DataFrame | None, call, labels: dict, fmt: Formatter) -> dict[str, dict]:
    """Per application: every reviewer's raw score per criterion (calibrated beside it when the run
    has it), conflicts and comments. One pass over the whole scores table (a dossier per
    applicant: grouping per applicant cost seconds per thousand applicants)."""
    if scores is None or scores.empty:
        return {}
    calibrated = next((c for c in CALIBRATED if c in scores.columns), None)
    keys = ["application_id", "reviewer_id", "criterion"]
    ordered = scores.sort_values(keys, kind="stable")
    conflicts = (ordered["conflict_of_interest"].fillna(False).astype(bool) if "conflict_of_interest" in ordered
                 else pd.Series(False, index=ordered.index))
    conflicted = conflicts.groupby([ordered["application_id"], ordered["reviewer_id"]], sort=False).any()
    columns = {"score": ("score", "mean")}
    if calibrated:  # shown when the group's first calibrated value is known
        ordered = ordered.assign(_known=ordered[calibrated].notna())
        columns |= {"shown": ("_known", "first"), "calibrated": (calibrated, "mean")}
    marks = ordered.groupby(keys, sort=False).agg(**columns)
    cells: dict[str, dict[str, dict[str, str]]] = {}
    levels = (marks.index.get_level_values(level) for level in range(len(keys)))  # not MultiIndex's tuples: 4x faster
    for app, reviewer, criterion, mark in zip(*levels, marks.itertuples(index=False)):
        text = fmt.number(mark.score)
        if calibrated and mark.shown:
            text += f" ({fmt.decimal(mark.calibrated, 2)})"
        cells.setdefault(app, {}).setdefault(reviewer, {})[criterion] = text
    comments: dict[str, list[dict]] = {}
    if "comment" in ordered:
        comment = ordered["comment"]
        said = ordered[comment.notna() & comment.astype(str).str.strip().ne("")]
        for app, reviewer, criterion, text in zip(said["application_id"], said["reviewer_id"], said["criterion"],
                                                  said["comment"]):
            if not missing(reviewer):
                comments.setdefault(app, []).append({"reviewer": reviewer, "criterion": labels.get(criterion, criterion),
                                                     "text": text})
    headings = [labels[c.id] for c in call.criteria]
    conflicted = conflicted.to_dict()  # {(app, reviewer): bool}: a Series lookup per row cost more than the rest
    return {app: {"headings": headings, "comments": comments.get(app, []), "calibrated": calibrated is not None,
                  "rows": [{"reviewer": reviewer, "conflict": bool(conflicted[(app, reviewer)]),
                            "cells": [given.get(c.id, "—") for c in call.criteria]}
                           for reviewer, given in sorted(by_reviewer.items())]}
            for app, by_reviewer in cells.items()}
