"""The files `dtc-select assign` and `dtc-select pack` write, as {name: bytes}, nothing written here:
the command line writes them with `runs.outputs.write_folder_atomically` (whole or not at all)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dtc_select.runs.safe_cells import csv_bytes

ASSIGNMENTS = "assignments.csv"
ASSIGNMENT_PROBLEMS = "assignment_problems.csv"


@dataclass(frozen=True)
class Written:
    files: dict[str, bytes]
    summary: str
    warnings: tuple[str, ...] = ()


def assign_files(call, applications_path: str | Path, reviewers_path: str | Path, per_application: int, *,
                 limits=None) -> Written:
    """Eligible applications -> reviewers; assignments.csv, assignment_problems.csv, the score sheets.
    `limits`: the bounds on the files read (dtc_select.limits.Limits; None: the defaults)."""
    from dtc_select.paperwork.assignment import assign_reviewers
    from dtc_select.paperwork.reviewers import read_reviewers
    from dtc_select.paperwork.score_sheets import file_name, score_sheet
    from dtc_select.pipeline import check_eligibility, take_in_applications
    from dtc_select.reference.countries import load_country_table

    from dtc_select.limits import DEFAULT_LIMITS

    limits = limits or DEFAULT_LIMITS
    reviewers = read_reviewers(reviewers_path, load_country_table().resolve, limits)
    applications = take_in_applications(applications_path, call, limits=limits)
    checked = check_eligibility(applications, call)
    eligible = checked[checked["eligible"].astype(bool)]
    assignment = assign_reviewers(list(zip(eligible["application_id"], eligible["country_iso3"])), reviewers,
                                  per_application)
    party = {r.reviewer_id: r.affiliation for r in reviewers}
    pairs = pd.DataFrame(list(assignment.pairs), columns=["application_id", "reviewer_id"], dtype=object)
    pairs["affiliation"] = pairs["reviewer_id"].map(party)
    problems = pd.DataFrame(list(assignment.problems), columns=["application_id", "reviewers_assigned", "problem"])
    files = {ASSIGNMENTS: csv_bytes(pairs), ASSIGNMENT_PROBLEMS: csv_bytes(problems)}
    shown = eligible.assign(country=eligible["country_name"].fillna(eligible["country"]))
    shown = shown.set_index("application_id")[["institution_name", "country"]]
    for reviewer in reviewers:
        mine = shown.loc[assignment.applications_of(reviewer.reviewer_id)].reset_index()
        files[file_name(reviewer.reviewer_id)] = score_sheet(call, reviewer, mine)
    loads = assignment.loads.values()
    left_out = len(checked) - len(eligible)
    summary = (f"{len(eligible)} eligible applications, {per_application} reviewers each from {len(reviewers)} "
               f"reviewers (loads {min(loads)}-{max(loads)}); {len(problems)} with a problem "
               f"(see {ASSIGNMENT_PROBLEMS}); not assigned: {left_out} ineligible, "
               f"{len(applications.quarantine)} quarantined")
    warnings = tuple(f"{a}: {why}" for a, _, why in assignment.problems)
    return Written(files, summary, warnings)


def pack_files(call) -> Written:
    """The public call in English and French, the application workbook and the XLSForm."""
    from dtc_select.paperwork.application_workbook import application_workbook
    from dtc_select.paperwork.call_page import page_name, render_call_page
    from dtc_select.paperwork.form import form_fields
    from dtc_select.paperwork.xlsform import xlsform_workbook
    from dtc_select.reference.countries import load_country_table

    countries = load_country_table().frame.sort_values("name_en")
    files = {page_name(lang): render_call_page(call, lang).encode("utf-8") for lang in ("en", "fr")}
    files["application-form.xlsx"] = application_workbook(call, list(countries["name_en"]))
    files["application-xlsform.xlsx"] = xlsform_workbook(
        call, list(zip(countries.index, countries["name_en"], countries["name_fr"])))
    fields = form_fields(call)
    summary = (f"the call in English and French, its form of {len(fields)} questions "
               f"({sum(f.required for f in fields)} required) as a workbook and as an XLSForm")
    return Written(files, summary)
