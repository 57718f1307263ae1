"""The committee's own decisions: an overrides file applied after the computed selection.

The rules decide first; the committee may then change an applicant's status, in writing. Each row
of the overrides file (CSV or XLSX) names the application, the new status, the committee's
justification, who decided and when. Nothing here is silent:
- a row without a justification, a decider or a date stops the run, naming the file and the row;
- moving an applicant the rules found ineligible needs `allow_ineligible` = yes on its row, so
  nobody selects an ineligible applicant by a slip of the pen;
- `ineligible` is not an override: eligibility is the call's rules applied to the data, so a wrong
  answer in an application is corrected in the applications file and the selection rerun;
- every applied decision is kept in decisions.csv (`computed_status`, `override_*` columns), its
  reasons, the report and the manifest; when decisions break the call's caps (seats, centres per
  country) the run says so in warnings instead of refusing: the committee has the last word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dtc_select.intake import applications as intake
from dtc_select.errors import InputFileError
from dtc_select.notices import Notice
from dtc_select.limits import DEFAULT_LIMITS, Limits
from dtc_select.reasons.model import decode, encode, reason
from dtc_select.reasons.render import Renderer
from dtc_select.intake.parsing import clean_text, normalise_name, parse_boolean, parse_date, quote

REQUIRED_COLUMNS = ("application_id", "new_status", "justification", "decided_by", "decided_on")
OPTIONAL_COLUMNS = ("allow_ineligible",)
NEW_STATUSES = ("selected", "reserve", "not_selected")
STATUS_FR = {"selected": "sélectionné", "reserve": "en réserve", "not_selected": "non sélectionné"}
# Added to decisions.csv right after `reasons`, in this order, on every run (empty without overrides).
DECISION_COLUMNS = ("computed_status", "override_justification", "override_decided_by", "override_decided_on")
APPLIED_COLUMNS = ("application_id", "institution_name", "country_iso3", "computed_status", "status",
                   "justification", "decided_by", "decided_on", "allow_ineligible", "source_row", "departs_from")


class OverridesFileError(InputFileError):
    """The overrides file cannot be applied as written; every problem is named with its row."""


@dataclass(frozen=True)
class OverridesFile:
    """The rows of an overrides file, checked on their own (without the decisions)."""

    path: Path
    rows: pd.DataFrame  # REQUIRED_COLUMNS + allow_ineligible (bool) + source_row; decided_on as YYYY-MM-DD
    info: dict


@dataclass(frozen=True)
class Applied:
    """The decisions after the committee's overrides, what was applied, and the caps it breaks."""

    decisions: pd.DataFrame
    applied: pd.DataFrame  # APPLIED_COLUMNS, one row per override, in file order
    warnings: tuple[CapWarning, ...]


def read_overrides(path: str | Path, *, known: set[str] | None = None, quarantined: set[str] | None = None,
                   ineligible: dict[str, str] | None = None, limits: Limits = DEFAULT_LIMITS) -> OverridesFile:
    """Read and check an overrides file. Any problem -> OverridesFileError, one line, every row named.
    `known`: the ids of this run's decisions; a row naming another is reported with the row's other
    problems (`quarantined`: ids whose application row is in quarantine.csv, said so). `ineligible`:
    the reasons of the applicants the rules found ineligible, so that a row moving one without
    allow_ineligible is named with the other rows' problems, not in a second run."""
    raw = intake.read_table(path, limits=limits)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.frame.columns]
    if missing:
        raise OverridesFileError(raw.path, f"missing required columns: {', '.join(missing)} "
                                           f"(an overrides file has: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)})")
    texts = {c: clean_text(raw.frame[c].to_numpy(dtype=object, na_value=None)) for c in raw.frame.columns}
    rows, problems = [], []
    for i in range(len(raw.frame)):
        cell = {c: texts[c].iloc[i] for c in texts}
        if all(pd.isna(v) for v in cell.values()):
            continue  # a blank line in a hand-edited file is not a decision
        row, row_problems = _checked_row(cell)
        if known is not None and row["application_id"] is not None and row["application_id"] not in known:
            row_problems.insert(0, _unknown(row["application_id"], quarantined or set()))
        if row["application_id"] in (ineligible or {}) and row["new_status"] in NEW_STATUSES \
                and not row["allow_ineligible"]:
            row_problems.append(_needs_permission(row["new_status"], ineligible[row["application_id"]]))
        where = f"row {i + 1}" + (f" ({row['application_id']})" if row["application_id"] else "")
        problems += [f"{where}: {p}" for p in row_problems]
        rows.append({**row, "source_row": i + 1})
    frame = pd.DataFrame(rows, columns=[*REQUIRED_COLUMNS, "allow_ineligible", "source_row"])
    repeated = frame["application_id"].notna() & frame["application_id"].duplicated(keep=False)
    for app_id, group in frame[repeated].groupby("application_id", sort=True):
        problems.append(f"rows {', '.join(map(str, group['source_row']))} ({app_id}): one application, "
                        f"several decisions; keep one row per application")
    if problems:
        raise OverridesFileError(raw.path, "; ".join(problems))
    return OverridesFile(raw.path, frame, dict(raw.info))


def _needs_permission(new_status: str, reasons: str) -> str:
    return f"the rules found it ineligible ({reasons}); to make it {new_status} anyway, set allow_ineligible to yes on this row"


def _unknown(application_id: str, quarantined: set[str]) -> str:
    if application_id in quarantined:
        return "no such application in this run's decisions.csv: its row is in quarantine.csv; fix it there first"
    return "no such application in this run's decisions.csv (misspelt id, or the row is in quarantine.csv)"


def _checked_row(cell: dict) -> tuple[dict, list[str]]:
    def text(column: str) -> str | None:
        value = cell.get(column)
        return None if value is None or pd.isna(value) else str(value)

    row = {c: text(c) for c in REQUIRED_COLUMNS}
    problems = []
    if row["application_id"] is None:
        problems.append("application_id is empty")
    status = row["new_status"]
    word = None if status is None else normalise_name(status)  # "Not selected" -> not_selected
    if status is None:
        problems.append("new_status is empty")
    elif word == "ineligible":
        problems.append("new_status 'ineligible' is not an override: eligibility follows from the call's rules; "
                        "correct the application's answers in the applications file and run again")
    elif word not in NEW_STATUSES:
        problems.append(f"new_status {quote(status)} is not one of: {', '.join(NEW_STATUSES)}")
    else:
        row["new_status"] = word
    for column, what in (("justification", "the committee's reason"), ("decided_by", "who decided")):
        if row[column] is None:
            problems.append(f"{column} is empty: every override needs {what}")
    if row["decided_on"] is None:
        problems.append("decided_on is empty: every override needs the date of the decision")
    else:
        stamp, problem = parse_date(row["decided_on"])
        if problem:
            problems.append(f"decided_on {quote(row['decided_on'])} {problem}")
        else:
            row["decided_on"] = stamp.strftime("%Y-%m-%d")
    allow = text("allow_ineligible")
    row["allow_ineligible"] = False
    if allow is not None:
        value, problem = parse_boolean(allow)
        if problem:
            problems.append(f"allow_ineligible {quote(allow)} {problem}")
        row["allow_ineligible"] = bool(value)
    return row, problems


def apply_overrides(decisions: pd.DataFrame, overrides: OverridesFile | None, *, seats: int,
                    max_per_country: int | None, earlier: dict[str, list[str]] | None = None,
                    rules: tuple = ()) -> Applied:
    """The decisions with the committee's overrides applied (and the override columns, always).
    `earlier`: ids of centres of earlier phases per country ISO3, counted against the country cap.
    `rules`: the call's minimum qualifications; an ineligible applicant moved by the committee
    (allow_ineligible) is recorded with each rule it failed and the Annex clause that rule cites."""
    frame = decisions.copy()
    at = frame.columns.get_loc("reasons") + 1
    for offset, column in enumerate(DECISION_COLUMNS):
        frame.insert(at + offset, column, frame["status"] if column == "computed_status" else None)
        frame[column] = frame[column].astype(object)
    if overrides is None or overrides.rows.empty:
        return Applied(frame, pd.DataFrame(columns=APPLIED_COLUMNS), ())
    if "reason_codes" not in frame:
        frame["reason_codes"] = ""
    position = pd.Series(frame.index, index=frame["application_id"].astype(str))
    problems, applied, departed = [], [], []
    for row in overrides.rows.to_dict("records"):
        where = f"row {row['source_row']} ({row['application_id']})"
        if row["application_id"] not in position.index:
            problems.append(f"{where}: {_unknown(row['application_id'], set())}")
            continue
        i = position[row["application_id"]]
        computed = frame.at[i, "status"]
        if computed == "ineligible" and not row["allow_ineligible"]:
            problems.append(f"{where}: {_needs_permission(row['new_status'], frame.at[i, 'reasons'])}")
            continue
        frame.at[i, "status"] = row["new_status"]
        frame.at[i, "override_justification"] = row["justification"]
        frame.at[i, "override_decided_by"] = row["decided_by"]
        frame.at[i, "override_decided_on"] = row["decided_on"]
        frame.at[i, "reasons"], frame.at[i, "reason_codes"] = _reasons(computed, row, frame.at[i, "reasons"],
                                                                       frame.at[i, "reason_codes"])
        departs = departures(frame.loc[i], rules) if computed == "ineligible" else []
        applied.append({**row, "institution_name": frame.at[i, "institution_name"],
                        "country_iso3": frame.at[i, "country_iso3"], "computed_status": computed,
                        "status": row["new_status"], "departs_from": departs})
        if departs:
            departed.append(CapWarning("departs_from_rules", application_id=row["application_id"],
                                       status=row["new_status"].replace("_", " "),
                                       status_fr=STATUS_FR[row["new_status"]],
                                       failed="; ".join(d["fails_as"] for d in departs),
                                       failed_fr="; ".join(d["fails_as_fr"] for d in departs),
                                       clauses="; ".join(dict.fromkeys(d["reference"] for d in departs)),
                                       clauses_fr="; ".join(dict.fromkeys(d["reference_fr"] for d in departs))))
    if problems:
        raise OverridesFileError(overrides.path, "; ".join(problems))
    applied_frame = pd.DataFrame(applied, columns=APPLIED_COLUMNS)
    return Applied(frame, applied_frame, tuple(departed) + cap_warnings(
        decisions, frame, seats=seats, max_per_country=max_per_country, earlier=earlier))


def departures(decision: pd.Series, rules: tuple) -> list[dict]:
    """The minimum qualifications an applicant did not meet (failed or not stated), each with the
    Annex clause its rule cites: what a committee's decision to move it departs from."""
    return [{"rule": rule.id, "result": str(decision[f"rule_{rule.id}"]), "fails_as": rule.fails_as,
             "fails_as_fr": getattr(rule, "fails_as_fr", None) or rule.fails_as, "reference": rule.reference,
             "reference_fr": getattr(rule, "reference_fr", None) or rule.reference}
            for rule in rules if f"rule_{rule.id}" in decision and decision[f"rule_{rule.id}"] != "pass"]


def _reasons(computed: str, row: dict, computed_reasons: str, computed_codes: str) -> tuple[str, str]:
    """(reasons, reason_codes) with the committee's decision first, then the computed reasons."""
    said = {"status": row["new_status"], "computed": computed, "decided_by": row["decided_by"],
            "decided_on": str(row["decided_on"]), "justification": row["justification"]}
    decision = reason("committee.changed", **said) if row["new_status"] != computed else \
        reason("committee.confirmed", **said)
    english = Renderer("en")
    text = english.render(decision) + english.format["parts"] + english.sentence("lead.as_computed",
                                                                                 reason=computed_reasons)
    return text, encode([decision] + decode(computed_codes))


class CapWarning(Notice):
    """What the committee's decisions did to the call's caps and rules (report: `override_warning_<key>`)."""

    CATALOGUE_PREFIX = "override_warning_"
    TEMPLATES = {
        "over_seats": "{selected} centres are selected after the committee's decisions, more than the call's "
                      "{seats} seats",
        "seats_empty": "the committee's decisions leave {empty} seat(s) empty ({selected} selected for {seats} seats): "
                       "the reserve lists are next in line",
        "country_over": "{country} has {n} selected centres ({ids}) after the committee's decisions; the call allows at "
                        "most {cap} per country",
        "departs_from_rules": "{application_id} is {status} by the committee's decision although the rules found it "
                              "ineligible ({failed}): the decision departs from {clauses}",
        "country_over_earlier": "{country} has {n} selected centres ({ids}) and {earlier_n} from earlier phases "
                                "({earlier_ids}) after the committee's decisions; the call allows at most {cap} "
                                "per country",
    }


def cap_warnings(before: pd.DataFrame, after: pd.DataFrame, *, seats: int, max_per_country: int | None,
                 earlier: dict[str, list[str]] | None = None) -> tuple[CapWarning, ...]:
    """What the overrides did to the call's caps, in words: seats exceeded or left empty, countries over."""
    warnings = []
    selected_before = int(before["status"].eq("selected").sum())
    selected = after[after["status"] == "selected"]
    if len(selected) > seats:
        warnings.append(CapWarning("over_seats", selected=len(selected), seats=seats))
    elif len(selected) < selected_before:
        warnings.append(CapWarning("seats_empty", empty=selected_before - len(selected), selected=len(selected),
                                   seats=seats))
    if max_per_country is not None:
        per_country = selected.groupby("country_iso3", sort=True)["application_id"].agg(list)
        for country, ids in per_country.items():
            before_now = sorted((earlier or {}).get(country, []))
            if len(ids) + len(before_now) > max_per_country:
                fields = {"country": country, "n": len(ids), "ids": ", ".join(sorted(ids)), "cap": max_per_country}
                warnings.append(CapWarning("country_over_earlier", earlier_n=len(before_now),
                                           earlier_ids=", ".join(before_now), **fields)
                                if before_now else CapWarning("country_over", **fields))
    return tuple(warnings)


def overrides_manifest(applied: Applied | None, record) -> dict | None:
    """The manifest's record of the committee's decisions: the file, each decision, the warnings."""
    if applied is None or record is None:
        return None
    decisions = [
        {key: (bool(value) if key == "allow_ineligible" else int(value) if key == "source_row" else
               [{k: d[k] for k in ("rule", "result", "reference")} for d in value] if key == "departs_from" else value)
         for key, value in row.items()}
        for row in applied.applied.to_dict("records")
    ]
    return {"path": record.path, "sha256": record.sha256, "decisions": decisions, "warnings": list(applied.warnings)}
