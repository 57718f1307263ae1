"""Synthetic calls for benchmarks: realistic, any size, deterministic, fast to make.

All six ITU-D regions (weighted towards Africa and Asia-Pacific as real calls are), about a quarter
of applicants failing some minimum qualification, a few rows that must be quarantined, and three
reviewers per applicant scoring all eight criteria. Vectorised with numpy so that generating
100,000 applicants costs far less than selecting them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dtc_select.call.model import load_call

# The phase-1 call's reviewer-scored criteria: the bench scores the example call.
PHASE1 = Path(__file__).resolve().parents[1] / "criteria" / "dtc-phase1-2019.yaml"
REVIEWER_CRITERIA = tuple(c.id for c in load_call(PHASE1).criteria if c.reviewer_scored)

# (country as typed, weight): English, French and ISO spellings, as applicants write them.
COUNTRIES = [
    ("Senegal", 4), ("Kenya", 5), ("KE", 1), ("Uganda", 3), ("Rwanda", 3), ("Éthiopie", 3), ("Ghana", 3),
    ("Nigeria", 3), ("Zambia", 2), ("Malawi", 2), ("Côte d’Ivoire", 2), ("Cameroun", 2), ("Bénin", 2),
    ("TZA", 2), ("Mozambique", 2), ("Madagascar", 2), ("Haiti", 2), ("Honduras", 2), ("Bolivia", 2),
    ("Guatemala", 2), ("Peru", 2), ("Colombia", 1), ("Paraguay", 1), ("Egypt", 2), ("Maroc", 2),
    ("Tunisia", 1), ("Jordan", 1), ("Sudan", 1), ("Yemen", 1), ("Nepal", 3), ("Bangladesh", 3),
    ("Cambodia", 2), ("Lao PDR", 2), ("Viet Nam", 2), ("Indonesia", 2), ("Philippines", 2), ("Fiji", 1),
    ("Kyrgyzstan", 1), ("Tajikistan", 1), ("Uzbekistan", 1), ("Armenia", 1), ("Türkiye", 1),
    ("Georgia", 1), ("France", 1), ("Germany", 1),
]
ORG_TYPES = ["community_training_centre", "ngo", "university", "university_branch", "public_institution",
             "for_profit", "other"]
ORG_WEIGHTS = [0.25, 0.3, 0.12, 0.08, 0.15, 0.05, 0.05]


def _yes_no(rng: np.random.Generator, n: int, p_yes: float, p_empty: float = 0.0) -> np.ndarray:
    draw = rng.random(n)
    return np.where(draw < p_empty, "", np.where(draw < p_empty + p_yes * (1 - p_empty), "yes", "no"))


def synthetic_applications(n: int, seed: int = 2019) -> pd.DataFrame:
    """n applications as text, in the contract's columns; about 1 % must be quarantined."""
    rng = np.random.default_rng(seed)
    names, weights = zip(*COUNTRIES)
    weights = np.array(weights, float) / sum(weights)
    quality = rng.beta(2.5, 2.0, n)  # 0..1: drives every answer, so reviewers and answers agree
    ids = np.char.add("B-", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    labs = np.maximum(0, np.round(quality * 6 + rng.normal(0, 1, n))).astype(int)
    days = rng.integers(0, 80, n)
    days[rng.random(n) < 0.03] = 81  # a few late ones
    frame = pd.DataFrame({
        "application_id": ids,
        "institution_name": np.char.add("Digital Skills Centre ", np.arange(1, n + 1).astype(str)),
        "country": rng.choice(np.array(names), n, p=weights),
        "city": "",
        "organisation_type": rng.choice(ORG_TYPES, n, p=ORG_WEIGHTS),
        "non_profit": _yes_no(rng, n, 0.93),
        "offers_basic_training": _yes_no(rng, n, 0.96),
        "offers_intermediate_training": _yes_no(rng, n, 0.92),
        "training_labs": labs.astype(str),
        "workstations": (labs * rng.integers(0, 25, n)).astype(str),
        "internet_mbps": np.round(quality * 150 * rng.random(n), 1).astype(str),
        "government_endorsement": _yes_no(rng, n, 0.6, 0.1),
        "research_capacity": _yes_no(rng, n, 0.5, 0.1),
        "distance_learning": rng.choice(["delivering", "willing", "no"], n, p=[0.5, 0.43, 0.07]),
        "has_mission_statement": _yes_no(rng, n, 0.8, 0.05),
        "has_business_plan": _yes_no(rng, n, 0.6, 0.1),
        "innovation_programmes": _yes_no(rng, n, 0.5, 0.1),
        "committed_staff": rng.integers(0, 40, n).astype(str),
        "committed_budget_usd": (np.round(quality * 200_000 * rng.random(n), -2)).astype(int).astype(str),
        "scaling_plan": _yes_no(rng, n, 0.5, 0.1),
        "trainees_last_year": (quality * 10_000 * rng.random(n)).astype(int).astype(str),
        "trainers": rng.integers(1, 60, n).astype(str),
        "submitted_at": (np.datetime64("2019-09-11") + days.astype("timedelta64[D]")).astype(str),
        "contact_name": "", "contact_email": "", "contact_phone": "", "description": "",
    })
    broken = rng.random(n) < 0.01
    frame.loc[broken, "training_labs"] = "two"
    return frame


def synthetic_scores(applications: pd.DataFrame, seed: int = 2019) -> pd.DataFrame:
    """Three reviewers per applicant, all eight criteria, 1-5, with a harsh and a generous one."""
    rng = np.random.default_rng(seed + 1)
    n = len(applications)
    labs = pd.to_numeric(applications["training_labs"], errors="coerce").fillna(0).to_numpy()
    base = 1 + np.clip(labs / 6, 0, 1) * 3.5
    reviewers = np.array(["R1", "R2", "R3"])
    bias = np.array([0.6, -0.7, 0.0])
    k = len(REVIEWER_CRITERIA)
    app = np.repeat(np.arange(n), 3 * k)
    rev = np.tile(np.repeat(np.arange(3), k), n)
    crit = np.tile(np.arange(k), 3 * n)
    score = np.clip(np.round(base[app] + bias[rev] + rng.normal(0, 0.7, app.size)), 1, 5).astype(int)
    return pd.DataFrame({
        "application_id": applications["application_id"].to_numpy()[app],
        "reviewer_id": reviewers[rev],
        "criterion": np.array(REVIEWER_CRITERIA)[crit],
        "score": score,
        "comment": "",
        "conflict_of_interest": "",
    })
