"""Generate the example applications and scores of the 2021 call (phase 2), `criteria/dtc-phase2-2021.yaml`.

Writes, next to this file, `applications.csv` (the 2021 call's form, in its order) and `scores.csv`
(three reviewers, the call's three criteria, 1 to 5). Everything is synthetic: institutions,
people, e-mail addresses (all `example.org`) and figures are invented; the countries are real.
Deterministic: `numpy.random.default_rng(2021)`, rows in a fixed order, byte-identical files.

Deliberate cases (the tests check each one):
- Strong applicants from the five countries that really got the new phase-2 centres (DR Congo,
  Ethiopia, Morocco, Pakistan, Uganda), and ordinary ones from other eligible countries.
- Applicants from countries that already host a phase-1 centre (Ghana, Rwanda, the Philippines),
  strong on paper: one centre per country counts the continuing centres, so none is selected.
- One decoy per 2021 minimum qualification, failing only that one: a developed host country
  (France), no government support letter, no validation letter, no intermediate training, no local
  centre, classrooms of 25, 1.0 Mbit/s, no backup power, submitted on 1 September 2021.
- `national_mandate` "no" on an eligible applicant: asked, but no gate (it weighs in the
  government-support criterion).
- Answers as a French form writes them: `oui`/`non`, organisation types as their French labels
  (`ONG`, `Université`, `Institution publique`), read back as the values.
- One row that cannot be read (classroom_seats "trente") and goes to quarantine.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 2021
COLUMNS = ["application_id", "institution_name", "country", "city", "organisation_type", "offers_basic_training",
           "offers_intermediate_training", "workstations", "national_mandate", "government_support_letter",
           "validation_letter", "local_centres", "classroom_seats", "backup_power", "internet_mbps",
           "committed_budget_usd", "trainers", "trainees_last_year", "submitted_at", "contact_name", "contact_email",
           "contact_phone", "description", "marginalised_reach"]
CRITERIA = ("government_support", "infrastructure", "resources")

# (country as written, city, tier, case): tier strong/middling/weak; case names a deliberate decoy.
APPLICANTS = [
    ("Democratic Republic of the Congo", "Kinshasa", "strong", None),
    ("Éthiopie", "Addis Ababa", "strong", None),
    ("Morocco", "Rabat", "strong", None),
    ("Pakistan", "Islamabad", "strong", None),
    ("Uganda", "Kampala", "strong", None),
    ("Ghana", "Kumasi", "strong", "has_dtc"),
    ("RWA", "Kigali", "strong", "has_dtc"),
    ("Philippines", "Cebu", "strong", "has_dtc"),
    ("Kenya", "Nairobi", "middling", None),
    ("Sénégal", "Dakar", "middling", None),
    ("Nigeria", "Lagos", "middling", None),
    ("United Republic of Tanzania", "Dodoma", "weak", None),
    ("Cameroun", "Yaoundé", "middling", None),
    ("Madagascar", "Antananarivo", "weak", None),
    ("Malawi", "Lilongwe", "weak", None),
    ("Tunisia", "Tunis", "middling", None),
    ("Jordan", "Amman", "weak", None),
    ("Égypte", "Cairo", "middling", None),
    ("Bangladesh", "Dhaka", "middling", None),
    ("Nepal", "Kathmandu", "weak", None),
    ("Cambodia", "Phnom Penh", "middling", None),
    ("Lao PDR", "Vientiane", "weak", None),
    ("Viet Nam", "Da Nang", "middling", None),
    ("Haïti", "Port-au-Prince", "middling", None),
    ("Bolivia", "La Paz", "weak", None),
    ("Guatemala", "Guatemala City", "weak", None),
    ("Kyrgyzstan", "Bishkek", "middling", None),
    ("Uzbekistan", "Tashkent", "weak", None),
    ("Mongolia", "Ulaanbaatar", "weak", "no_mandate"),
    ("France", "Lyon", "strong", "developed_host"),
    ("Zimbabwe", "Harare", "strong", "no_support_letter"),
    ("Burkina Faso", "Ouagadougou", "strong", "no_validation_letter"),
    ("Mali", "Bamako", "strong", "no_intermediate"),
    ("Niger", "Niamey", "strong", "no_local_centre"),
    ("Benin", "Cotonou", "strong", "small_classrooms"),
    ("Chad", "N'Djamena", "strong", "slow_internet"),
    ("Sierra Leone", "Freetown", "strong", "no_backup_power"),
    ("Mozambique", "Maputo", "strong", "late"),
    ("Togo", "Lomé", "middling", "unreadable"),
]
FRENCH = {"Sénégal", "Cameroun", "Éthiopie", "Haïti", "Égypte", "Madagascar", "Burkina Faso", "Mali", "Niger",
          "Benin", "Chad", "Togo", "Democratic Republic of the Congo", "Morocco", "Tunisia", "France"}
KINDS = ("Digital Skills Academy", "ICT Training Institute", "Centre numérique", "Technology Hub", "Polytechnic")
TYPES = ("ngo", "university", "public_institution", "community_training_centre")
FRENCH_TYPES = {"ngo": "ONG", "university": "Université", "public_institution": "Institution publique",
                "community_training_centre": "Centre de formation communautaire"}
RANGES = {"strong": (0.75, 1.0), "middling": (0.45, 0.75), "weak": (0.2, 0.5)}


def _yes(value: bool, french: bool) -> str:
    return ("oui" if value else "non") if french else ("yes" if value else "no")


def build(rng: np.random.Generator) -> tuple[list[dict], list[list[str]]]:
    applications, scores = [], []
    for number, (country, city, tier, case) in enumerate(APPLICANTS, start=1):
        low, high = RANGES[tier]
        q = float(low + (high - low) * rng.random())
        french = country in FRENCH
        kind = TYPES[int(rng.integers(0, len(TYPES)))]
        day = 1 + int(rng.integers(0, 30))
        row = {
            "application_id": f"DTC-2021-{number:03d}",
            "institution_name": f"{city} {KINDS[int(rng.integers(0, len(KINDS)))]}",
            "country": country,
            "city": city,
            "organisation_type": FRENCH_TYPES[kind] if french else kind,
            "offers_basic_training": _yes(True, french),
            "offers_intermediate_training": _yes(case != "no_intermediate", french),
            "workstations": str(int(20 + 60 * q)),
            "national_mandate": _yes(case != "no_mandate" and rng.random() < 0.4 + 0.6 * q, french),
            "government_support_letter": _yes(case != "no_support_letter", french),
            "validation_letter": _yes(case != "no_validation_letter", french),
            "local_centres": "0" if case == "no_local_centre" else str(1 + int(12 * q)),
            "classroom_seats": "25" if case == "small_classrooms" else "trente" if case == "unreadable"
            else str(30 + int(40 * q)),
            "backup_power": _yes(case != "no_backup_power", french),
            "internet_mbps": "1.0" if case == "slow_internet" else f"{2 + 60 * q:.1f}",
            "committed_budget_usd": str(int(20000 + 120000 * q) // 500 * 500),
            "trainers": str(int(5 + 35 * q)),
            "trainees_last_year": str(int(500 + 6000 * q) // 10 * 10),
            "submitted_at": "2021-09-01" if case == "late" else f"2021-08-{day:02d}",
            "contact_name": f"Contact {number:03d}",
            "contact_email": f"contact{number:03d}@example.org",
            "contact_phone": f"+000 {number:03d} 000",
            "description": f"A network of training centres around {city}.",
            "marginalised_reach": "" if rng.random() < 0.2 else _yes(rng.random() < q, french),
        }
        applications.append(row)
        for reviewer, bias in (("R1", 0.4), ("R2", -0.4), ("R3", 0.0)):
            marks = np.clip(np.rint(1 + 4 * q + bias + rng.normal(0, 0.5, len(CRITERIA))), 1, 5)
            for criterion, mark in zip(CRITERIA, marks):
                scores.append([row["application_id"], reviewer, criterion, str(int(mark)), "", ""])
    return applications, scores


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    applications, scores = build(np.random.default_rng(SEED))
    (HERE / "applications.csv").write_text(_csv(COLUMNS, [[r[c] for c in COLUMNS] for r in applications]),
                                           encoding="utf-8", newline="")
    header = ["application_id", "reviewer_id", "criterion", "score", "comment", "conflict_of_interest"]
    (HERE / "scores.csv").write_text(_csv(header, scores), encoding="utf-8", newline="")


if __name__ == "__main__":
    main()
