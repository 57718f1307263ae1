"""The only place the stages are wired together: intake -> eligibility -> scoring -> allocation.

Each stage is a plain function here, and `STAGES` lists them once, in order, by name. `run` goes
through that list; the Prefect flow (`flows/select_call.py`) wraps the very same list, one task per
stage, and the benchmark (`bench/run.py`) times it stage by stage, so the flow decides exactly as
the command line does and a new stage is added in one place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from dtc_select.seats import allocation
from dtc_select.intake import applications as intake
from dtc_select.intake.scores import take_in_scores as take_in_score_rows
from dtc_select.paperwork.form import intake_headers
from dtc_select.intake.score_sheets import folder_sha256, located, read_scores_folder
from dtc_select.checks import ranking_checks
from dtc_select.seats import overrides as committee
from dtc_select.call.model import Call
from dtc_select.limits import DEFAULT_LIMITS, Limits
from dtc_select.call.caps import (
    earlier_centres_by_country,
    presence_minimum,
    previous_centres,
    previous_per_region,
    without_presence_priority,
)
from dtc_select.reference.countries import REFERENCE_AS_OF, CountryTable, load_country_table
from dtc_select.rules.eligibility import evaluate_eligibility
from dtc_select.reasons.model import Reason, encode_rows, reason
from dtc_select.reasons.render import Renderer
from dtc_select.reference.hosts import host_country_facts
from dtc_select.reference.indicators import call_edition
from dtc_select.seats.needs import regional_needs
from dtc_select.notices import Notice, reference_notices, scheduled_ldc_graduations
from dtc_select.ranking.reviewers import ReviewedMarks, review_marks
from dtc_select.ranking.scoring import reranked, score_applications
from dtc_select.seats.contest import extra_caps
from dtc_select.seats.explained import SelectionExplained, explain_selection
from dtc_select.process_memory import give_back_freed_memory

STATUSES = ("selected", "reserve", "not_selected", "ineligible")
# The contract's columns first (contract §5), in its order.
CONTRACT_COLUMNS = ("application_id", "institution_name", "country_iso3", "region", "status", "score", "rank",
                    "reasons")


@dataclass(frozen=True)
class InputRecord:
    role: str
    path: str
    sha256: str
    bytes: int
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Applications:
    """The taken-in applications with their host facts and eligibility, and what was quarantined."""

    frame: pd.DataFrame
    quarantine: pd.DataFrame
    record: InputRecord
    extra_columns: tuple[str, ...]
    notices: tuple[Notice, ...] = ()  # what intake inferred or could not read (date orders)


@dataclass(frozen=True)
class Scores:
    frame: pd.DataFrame | None
    problems: pd.DataFrame
    record: InputRecord | None
    # The marks as scoring and the ranking checks count them (conflicts out, calibrated): made
    # once here for both (2.5 s at 2.4 million score rows).
    reviewed: ReviewedMarks


@dataclass(frozen=True)
class Outcome:
    """Everything a run decided, ready to be written and reported."""

    call: Call
    decisions: pd.DataFrame
    quarantine: pd.DataFrame
    score_problems: pd.DataFrame
    needs: pd.DataFrame
    seats: pd.DataFrame
    applications: pd.DataFrame  # taken-in rows with every answer, for the report's dossiers
    scores: pd.DataFrame | None
    inputs: tuple[InputRecord, ...]
    extra_columns: tuple[str, ...]
    overrides: committee.Applied | None = None  # the committee's decisions, once applied
    explained: SelectionExplained | None = None  # the seats' working and the counterfactuals
    checks: ranking_checks.RankingChecks | None = None  # reviewers, methods, stability
    notices: tuple[Notice, ...] = ()  # what to check before relying on the run (stale reference data)
    limits: Limits = DEFAULT_LIMITS  # the bounds the run kept (manifest.json records those raised)

    @property
    def counts(self) -> dict[str, int]:
        status = self.decisions["status"].value_counts()
        counts = {
            "input_rows": len(self.decisions) + len(self.quarantine),
            "taken_in": len(self.decisions),
            "quarantined": len(self.quarantine),
        }
        counts.update({s: int(status.get(s, 0)) for s in STATUSES})
        counts["score_problems"] = len(self.score_problems)
        return counts


def describe_input(role: str, path: str | Path, details: dict | None = None) -> InputRecord:
    path = Path(path)
    if path.is_dir():  # a folder of returned score sheets: one fingerprint of the files it holds
        size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
        return InputRecord(role, str(path), folder_sha256(path), size, details or {})
    data = path.read_bytes()
    return InputRecord(role, str(path), hashlib.sha256(data).hexdigest(), len(data), details or {})


def take_in_applications(path: str | Path, call: Call, *, sheet: str | None = None,
                         limits: Limits = DEFAULT_LIMITS) -> Applications:
    """Stage 1: read, parse, validate, quarantine; then the host-country facts and eligibility."""
    table = load_country_table()
    raw = intake.read_table(path, sheet=sheet, column_names=intake_headers(call), limits=limits)
    taken = intake.take_in(raw, table.resolve, call.form, date_order=call.intake.date_order if call.intake else None)
    frame = taken.applications.copy()
    facts = host_country_facts(frame, call, table)
    frame = frame.join(facts)
    orders = {found.column: found.record for found in taken.date_orders if found.record}
    record = describe_input("applications", path, dict(raw.info) | ({"date_order": orders} if orders else {}))
    return Applications(frame, taken.quarantine, record, tuple(taken.extra_columns), taken.notices)


def check_eligibility(applications: Applications, call: Call) -> pd.DataFrame:
    """Stage 2: one result per minimum qualification, `eligible`, and the reasons."""
    return applications.frame.join(evaluate_eligibility(applications.frame, call))


def take_in_scores(path: str | Path | None, call: Call, applications: Applications,
                   limits: Limits = DEFAULT_LIMITS) -> Scores:
    """Reviewer scores, if given; rows that cannot be used are kept as problems, never dropped."""
    empty = pd.DataFrame(columns=["source_row", "application_id", "problems"])
    if path is None:
        return Scores(None, empty, None, review_marks(None, call))
    folder = read_scores_folder(path, limits) if Path(path).is_dir() else None  # returned score sheets
    raw = folder.raw if folder else intake.read_table(path, limits=limits)
    scale = (call.scoring.scale.min, call.scoring.scale.max)
    taken = take_in_score_rows(raw, [c.id for c in call.criteria], scale)
    if folder:
        taken = replace(taken, problems=located(taken.problems, folder))
    record = describe_input("scores", path, dict(raw.info))
    del raw, folder  # the text cells: not kept beside the typed scores
    scores = taken.scores
    # Each distinct id looked up once, not each of the (millions of) score rows.
    codes, ids = pd.factorize(scores["application_id"])
    known = pd.Series(ids.isin(set(applications.frame["application_id"]))[codes], index=scores.index)
    quarantined = pd.Series(ids.isin(set(applications.quarantine["application_id"].dropna()))[codes],
                            index=scores.index)
    problems = scores.loc[~known, ["source_row", "application_id"]].copy()
    problems["problems"] = [
        f"application '{a}' was quarantined (see quarantine.csv): its scores count once the row is fixed"
        if q else f"application_id '{a}' is not in the applications file"
        for a, q in zip(problems["application_id"], quarantined[~known])
    ]
    problems = pd.concat([taken.problems, problems], ignore_index=True)
    problems = problems.sort_values("source_row", kind="stable").reset_index(drop=True)
    usable = scores if known.all() else scores[known].reset_index(drop=True)
    return Scores(usable, problems, record, review_marks(usable, call))


def rank_eligible(checked: pd.DataFrame, scores: Scores, call: Call) -> pd.DataFrame:
    """Stage 3: criterion values, scores and a strict rank for the eligible applications."""
    eligible = checked[checked["eligible"]]
    return score_applications(eligible, scores.frame, call, reviewed=scores.reviewed)


def select(checked: pd.DataFrame, ranked: pd.DataFrame, call: Call, table: CountryTable | None = None, *,
           explain: bool = True, worded: bool = True):
    """Stage 4: seats per region by need, then the selection under the caps (`explain`, `worded`: allocate's)."""
    table = table or load_country_table()
    needs = regional_needs(call, table)
    rules = call.allocation
    previous = previous_centres(call, table)
    seats = allocation.seats_per_region(needs["need"].to_dict(), rules.seats, rules.seat_method,
                                        already=previous_per_region(previous))
    result = allocation.allocate(
        _candidates(checked, ranked),
        seats,
        max_per_country=rules.max_per_country,
        reserve_per_region=rules.reserve_per_region,
        minimum_score=rules.minimum_score,
        previous=None if previous.empty else previous,
        presence_minimum=presence_minimum(call),
        caps=extra_caps(checked.loc[ranked.index], call),
        explain=explain, worded=worded,
    )
    return needs, result


def _candidates(checked: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    candidates = checked.loc[ranked.index, ["application_id", "country_iso3", "country_name", "region", "presence"]]
    return candidates.join(ranked[["score", "rank"]])


def explain(call: Call, checked: pd.DataFrame, ranked: pd.DataFrame, scores: Scores, needs: pd.DataFrame,
            allocated: allocation.Allocation) -> SelectionExplained:
    """The seats' working, and the same selection without regional shares and without the
    presence priority (rescored and reselected with the priority off), for the report."""
    plain = without_presence_priority(call)
    without = None
    if plain is not None:
        _, other = select(checked, reranked(checked.loc[ranked.index], ranked, plain), plain, explain=False,
                          worded=False)
        without = other.decisions["status"].eq("selected")
    table = load_country_table()
    return explain_selection(call, _candidates(checked, ranked), allocated, needs, table,
                             previous_centres(call, table), presence_minimum(call), without)


def check_ranking(checked: pd.DataFrame, ranked: pd.DataFrame, scores: Scores, allocated: allocation.Allocation,
                  call: Call, limits: Limits = DEFAULT_LIMITS) -> ranking_checks.RankingChecks:
    """Stage 5: reviewers, agreement of the other methods, stability under other weights."""
    eligible = checked.loc[ranked.index]
    return ranking_checks.check_ranking(eligible, ranked, allocated.seats, allocated.decisions["status"],
                                        scores.frame, call, reviewed=scores.reviewed, limits=limits)


def assemble_decisions(checked: pd.DataFrame, ranked: pd.DataFrame, allocated: pd.DataFrame, call: Call,
                       checks: ranking_checks.RankingChecks | None = None) -> pd.DataFrame:
    """One row per taken-in application, contract columns first, best first."""
    per_applicant = checks.per_applicant if checks is not None else \
        pd.DataFrame(index=ranked.index, columns=ranking_checks.PER_APPLICANT, dtype=float)
    frame = checked.join(ranked).join(allocated).join(per_applicant)
    for column in ("selected_without_regional_shares", "selected_without_presence_priority"):
        frame[column] = frame[column].astype("boolean") if column in frame else pd.NA
    frame["status"] = frame["status"].astype(object).where(frame["eligible"], "ineligible")
    frame["selection_probability"] = frame["selection_probability"].astype(float).where(frame["eligible"], 0.0)
    why = _reasons(frame)
    frame["reasons"] = Renderer("en", call).rows(why)  # each distinct reason worded once
    frame["reason_codes"] = encode_rows(why)
    frame["rank"] = frame["rank"].astype("Int64")
    frame["score"] = frame["score"].astype("Float64")
    extras = [
        "possible_duplicate_of", "country_name", "city", "organisation_type", "region_rank", "reserve_position",
        "seat_source", "merit_score", "priority_bonus", "presence", "host_is_ldc", "host_development",
        "reviewer_mean", "reviewers", "tie_break_note", "selected_without_regional_shares",
        "selected_without_presence_priority", "source_row", "reviewer_mean_raw", "reviewer_disagreement",
        "disagreement_flagged", "missing_reviewer_criteria", "selection_probability", "margin_to_cutoff"]
    criteria = [c for c in frame.columns if c.startswith("criterion_")]
    rules = [c for c in frame.columns if c.startswith("rule_")]
    extras = [c for c in extras if c in frame]  # a call's form need not ask for the city, say
    # reason_codes last: the reasons as data (dtc_select.reasons), JSON, one list per row.
    frame = frame[list(CONTRACT_COLUMNS) + extras + criteria + rules + ["reason_codes"]]
    order = frame.assign(_ineligible=frame["status"].eq("ineligible"))
    order = order.sort_values(["_ineligible", "rank", "application_id"], kind="stable", na_position="last")
    return frame.loc[order.index].reset_index(drop=True)


def _reasons(frame: pd.DataFrame) -> list[list[Reason]]:
    """Each row's reasons, as data: the failed rules, or what decided its seat and the notes on its score,
    ties, counterfactuals and stability; a possible duplicate on any row. Rows alike share a Reason."""
    columns = [frame[c].to_numpy(dtype=object) if c in frame else [float("nan")] * len(frame) for c in (
        "eligible", "eligibility_reasons", "reason_data", "priority_bonus", "country_iso3", "country_name",
        "tie_reasons", "counterfactual_reasons", "scoring_reasons", "stability_reasons", "possible_duplicate_of")]
    priority, rows = {}, []  # priority: one Reason per (bonus, country)
    for eligible, failed, allocated, bonus, iso3, country, *notes, duplicate in zip(*columns):
        why = list(allocated) if eligible else list(failed)
        if eligible and bonus and bonus > 0:
            why.append(priority.get((bonus, iso3, country)) or priority.setdefault((bonus, iso3, country), reason(
                "score.priority", bonus=bonus, country={"iso3": iso3, "name": country})))
        if eligible:
            why += [r for some in notes if isinstance(some, list) for r in some]
        if not pd.isna(duplicate):
            why.append(reason("intake.possible_duplicate", others=str(duplicate).split("; ")))
        rows.append(why)
    return rows


def make_outcome(call: Call, applications: Applications, scores: Scores, checked: pd.DataFrame,
                 ranked: pd.DataFrame, needs: pd.DataFrame, allocated: allocation.Allocation,
                 checks: ranking_checks.RankingChecks | None = None) -> Outcome:
    """Stage 6: explain the selection and gather what the stages decided into one Outcome."""
    explained = explain(call, checked, ranked, scores, needs, allocated)
    return Outcome(
        call=call,
        decisions=assemble_decisions(checked, ranked, allocated.decisions.join(explained.per_application), call, checks),
        quarantine=applications.quarantine,
        score_problems=scores.problems,
        needs=needs,
        seats=allocated.seats,
        applications=applications.frame,
        scores=scores.frame,
        inputs=tuple(r for r in (applications.record, scores.record) if r is not None),
        extra_columns=applications.extra_columns,
        explained=explained,
        checks=checks,
        notices=applications.notices + reference_notices(call.country_status.as_of, REFERENCE_AS_OF,
                                                         scheduled_ldc_graduations(load_country_table()))
        + call_edition(call).notices,
    )


def apply_committee_decisions(outcome: Outcome, overrides_path: str | Path | None) -> Outcome:
    """Stage 6: the committee's overrides, after the computed selection (none: the columns only)."""
    decisions = outcome.decisions
    ineligible = decisions[decisions["status"] == "ineligible"]
    read = None if overrides_path is None else committee.read_overrides(
        overrides_path, known=set(decisions["application_id"].astype(str)),
        quarantined=set(outcome.quarantine["application_id"].dropna().astype(str)),
        ineligible=dict(zip(ineligible["application_id"].astype(str), ineligible["reasons"])), limits=outcome.limits)
    rules = outcome.call.allocation
    applied = committee.apply_overrides(outcome.decisions, read, seats=rules.seats, max_per_country=rules.max_per_country,
                                        earlier=earlier_centres_by_country(outcome.call), rules=outcome.call.rules)
    record = describe_input("overrides", overrides_path, read.info) if read is not None else None
    return replace(outcome, decisions=applied.decisions, overrides=applied if record else None,
                   inputs=outcome.inputs + ((record,) if record else ()))


@dataclass(frozen=True)
class RunState:
    """A run so far: what it was given, then what each stage added (None until that stage ran)."""

    call: Call
    applications_path: str | Path
    scores_path: str | Path | None = None
    sheet: str | None = None
    overrides_path: str | Path | None = None
    limits: Limits = DEFAULT_LIMITS  # the bounds on the files read and the stability analysis
    applications: Applications | None = None
    checked: pd.DataFrame | None = None
    scores: Scores | None = None
    ranked: pd.DataFrame | None = None
    needs: pd.DataFrame | None = None
    allocated: allocation.Allocation | None = None
    checks: ranking_checks.RankingChecks | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Stage:
    """One stage: `key` names it in the benchmark, `title` in the flow (its task), `reads_files`
    says a flow may retry it on an I/O hiccup; `step` takes the run so far and returns it grown."""

    key: str
    title: str
    step: Callable[[RunState], RunState]
    reads_files: bool = False


def _selected(s: RunState) -> RunState:
    needs, allocated = select(s.checked, s.ranked, s.call, worded=False)  # worded once, when assembled
    return replace(s, needs=needs, allocated=allocated)


# The stages, in order: the one declaration `run`, the flow and the benchmark all follow.
STAGES: tuple[Stage, ...] = (
    Stage("intake", "take in applications", reads_files=True, step=lambda s: replace(
        s, applications=take_in_applications(s.applications_path, s.call, sheet=s.sheet, limits=s.limits))),
    Stage("eligibility", "check eligibility", lambda s: replace(s, checked=check_eligibility(s.applications, s.call))),
    Stage("scores_intake", "take in reviewer scores", reads_files=True, step=lambda s: replace(
        s, scores=take_in_scores(s.scores_path, s.call, s.applications, s.limits))),
    Stage("scoring", "score and rank", lambda s: replace(s, ranked=rank_eligible(s.checked, s.scores, s.call))),
    Stage("allocation", "select under the caps", _selected),
    Stage("ranking_checks", "check the ranking", lambda s: replace(
        s, checks=check_ranking(s.checked, s.ranked, s.scores, s.allocated, s.call, s.limits))),
    Stage("assemble", "explain and assemble the decisions", lambda s: replace(s, outcome=replace(make_outcome(
        s.call, s.applications, s.scores, s.checked, s.ranked, s.needs, s.allocated, s.checks), limits=s.limits))),
    Stage("committee", "apply the committee's decisions", reads_files=True, step=lambda s: replace(
        s, outcome=apply_committee_decisions(s.outcome, s.overrides_path))),
)


def run_stages(state: RunState, *, through: str | None = None) -> RunState:
    """Run the stages in order on `state`, all of them or up to and including the one named `through`."""
    keys = [stage.key for stage in STAGES]
    if through is not None and through not in keys:
        raise ValueError(f"no stage named {through!r}; the stages are {', '.join(keys)}")
    for stage in STAGES:
        state = stage.step(state)
        give_back_freed_memory()  # what the stage freed inside the heap: not held through the next
        if stage.key == through:
            break
    return state


def run(call: Call, applications_path: str | Path, scores_path: str | Path | None = None, *, sheet: str | None = None,
        overrides_path: str | Path | None = None, limits: Limits = DEFAULT_LIMITS) -> Outcome:
    """The whole selection, from files to an Outcome (nothing written); `limits`: the bounds kept."""
    return run_stages(RunState(call, applications_path, scores_path, sheet, overrides_path, limits)).outcome
