"""The reviewers file (paperwork.md §2): who reviews, for which party, and what they may not review.

One row per reviewer: `reviewer_id` (unique; letters, digits, `-`, `_`, `.`: it names the
reviewer's score-sheet file), `name`, `affiliation` (`ITU` or `Cisco`: Annex §3, the committee is
both parties' representatives), optional `email`, and declared conflicts: `conflict_countries`
(ISO3 codes, or any country name or code intake recognises) and `conflict_applications`
(application ids), each separated by spaces, commas or semicolons.

A reviewers file that is wrong cannot give a fair assignment, so any problem stops `assign`
(exit 3) with one line naming the file, the row and every problem found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dtc_select.errors import InputFileError
from dtc_select.intake.reading import read_table
from dtc_select.limits import DEFAULT_LIMITS, Limits

AFFILIATIONS = ("ITU", "Cisco")
COLUMNS = ("reviewer_id", "name", "affiliation", "email", "conflict_countries", "conflict_applications")
REQUIRED = ("reviewer_id", "name", "affiliation")
REVIEWER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SEPARATORS = re.compile(r"[\s,;]+")
SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class Reviewer:
    reviewer_id: str
    name: str
    affiliation: str  # ITU | Cisco
    email: str | None
    conflict_countries: frozenset[str]  # ISO3
    conflict_applications: frozenset[str]

    def in_conflict(self, application_id: str, country_iso3: str | None) -> bool:
        return application_id in self.conflict_applications or country_iso3 in self.conflict_countries


def split_list(text: str | None) -> list[str]:
    return [part for part in SEPARATORS.split(text or "") if part]


def read_reviewers(path: str | Path, resolve_country, limits: Limits = DEFAULT_LIMITS) -> tuple[Reviewer, ...]:
    """The reviewers, sorted by id (so the file's row order changes nothing). `resolve_country`:
    a Series of names/codes -> Series of ISO3 or <NA> (the country table's `resolve`)."""
    import pandas as pd

    raw = read_table(path, limits=limits)
    frame = raw.frame
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputFileError(path, f"the reviewers file has no column {', '.join(missing)} "
                                   f"(its columns: {', '.join(COLUMNS)})")
    problems: list[str] = []
    reviewers: dict[str, Reviewer] = {}
    for index, row in frame.iterrows():
        where = f"row {index + 1}"
        cells = {c: (None if c not in frame.columns or pd.isna(row[c]) else str(row[c]).strip()) for c in COLUMNS}
        reviewer_id, affiliation = cells["reviewer_id"], cells["affiliation"]
        if all(v is None for v in cells.values()):
            continue  # a blank row between reviewers
        for column in REQUIRED:
            if not cells[column]:
                problems.append(f"{where}: {column} is empty")
        if reviewer_id and not REVIEWER_ID.match(reviewer_id):
            problems.append(f"{where}: reviewer_id '{reviewer_id}' may hold only letters, digits, '-', '_' "
                            f"and '.' (it names the reviewer's score-sheet file)")
        elif reviewer_id in reviewers:
            problems.append(f"{where}: reviewer_id '{reviewer_id}' is given twice")
        party = next((a for a in AFFILIATIONS if affiliation and a.lower() == affiliation.lower()), None)
        if affiliation and party is None:
            problems.append(f"{where}: affiliation '{affiliation}' is neither ITU nor Cisco")
        stated = split_list(cells["conflict_countries"])
        resolved = list(resolve_country(pd.Series(stated, dtype="string"))) if stated else []
        unknown = [s for s, iso3 in zip(stated, resolved) if pd.isna(iso3)]
        if unknown:
            problems.append(f"{where}: conflict_countries {', '.join(repr(u) for u in unknown)} "
                            f"is not a recognised country code or name")
        if reviewer_id and party and not unknown and reviewer_id not in reviewers and REVIEWER_ID.match(reviewer_id):
            reviewers[reviewer_id] = Reviewer(reviewer_id, cells["name"] or "", party, cells["email"],
                                              frozenset(str(c) for c in resolved),
                                              frozenset(split_list(cells["conflict_applications"])))
    if problems:
        more = f" (and {len(problems) - SHOWN_PROBLEMS} more problems)" if len(problems) > SHOWN_PROBLEMS else ""
        raise InputFileError(path, "; ".join(problems[:SHOWN_PROBLEMS]) + more)
    if not reviewers:
        raise InputFileError(path, "the reviewers file lists no reviewer")
    return tuple(reviewers[r] for r in sorted(reviewers))
