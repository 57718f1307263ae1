"""The decision's trace: one ranking through the selection engine, as data per applicant.

`allocation.allocate` builds its contest here (`allocation_contest`), runs the engine on the
call's own ranking with the trace on (`seat_trace`) and writes its statuses and reasons from
what the trace says, so the reasons (and their keys and fields) never re-derive a rule:
- `seat_source`: how the seat was taken (regional, reallocated, presence_quota; None: no seat);
- `regional_pass`: selected in the regional pass, before any swap of the presence quota;
- `seat_from_region`: the region whose unfilled seat a reallocated centre holds;
- `took_seat_of` / `lost_seat_to`: the application ids of a presence-quota swap, both ways;
- `reserve_position`: its place on its region's reserve list;
- `cap_reached`, `cap_group`: the first cap (the country's, then EXTRA_CAPS) whose group is full
  once the seats are taken, in words, and the group's name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dtc_select.reasons.model import Reason, reason
from dtc_select.seats import engine
from dtc_select.seats.contest import Cap, Contest
from dtc_select.seats.per_region import REGIONS

TRACE_COLUMNS = ("seat_source", "regional_pass", "seat_from_region", "took_seat_of", "lost_seat_to",
                 "reserve_position", "cap_reached", "cap_group")


@dataclass(frozen=True)
class SeatTrace:
    """`columns`: TRACE_COLUMNS, one list each, by row of the ranked applicants (`per_applicant`
    as a frame). `unfilled`: the seats each region left after the regional pass (pooled for the
    others). `contest`: what ran."""

    columns: dict
    unfilled: dict
    contest: Contest

    @property
    def per_applicant(self) -> pd.DataFrame:
        """TRACE_COLUMNS, indexed like the ranked applicants (None where nothing happened)."""
        frame = pd.DataFrame({c: pd.Series(self.columns[c], dtype=object) for c in TRACE_COLUMNS})
        frame["reserve_position"] = frame["reserve_position"].astype("Int64")
        frame["regional_pass"] = frame["regional_pass"].astype(bool)
        return frame.set_axis(self.contest.index)


def allocation_contest(ranked: pd.DataFrame, seats: pd.DataFrame, *, max_per_country: int | None,
                       reserve_per_region: int, minimum_score: float | None, previous: pd.DataFrame | None,
                       presence_minimum: int, caps: tuple[Cap, ...] = ()) -> Contest:
    """The contest of `allocate`'s arguments: regions coded in REGIONS order, countries sorted."""
    n = len(ranked)
    region = ranked["region"].map({r: i for i, r in enumerate(REGIONS)}).to_numpy(dtype=np.int64)
    country, codes = pd.factorize(ranked["country_iso3"].astype(str), sort=True)
    held = (previous["country_iso3"].astype(str).value_counts() if previous is not None
            else pd.Series(dtype="int64"))
    earlier = held.reindex(codes).fillna(0).to_numpy(dtype=np.int64)
    limit = n + len(held) + int(held.sum()) + 1 if max_per_country is None else int(max_per_country)
    presence = (ranked["presence"].astype("boolean").fillna(False).to_numpy(dtype=bool) if presence_minimum
                else np.zeros(n, dtype=bool))
    return Contest(ranked.index, ranked["application_id"].to_numpy(dtype=object), region,
                   country.astype(np.int64), seats.loc[list(REGIONS), "seats"].to_numpy(dtype=np.int64), limit,
                   minimum_score, np.zeros(n), earlier, presence, presence_minimum, (), reserve_per_region,
                   tuple(caps))


def seat_trace(contest: Contest, order, passes) -> SeatTrace:
    """Run the engine on one ranking (`order`: row positions best first; `passes`: by row, the
    score is not below the minimum) and say, per applicant, what happened (module docstring)."""
    n = contest.size
    order = np.asarray(order, dtype=np.int64)
    run = engine.run_rules(contest, order[None, :], np.asarray(passes, dtype=bool)[order][None, :], trace=True)

    def by_row(values: np.ndarray, fill) -> np.ndarray:
        out = np.full(n, fill, dtype=values.dtype)
        out[order] = values[:, 0]
        return out

    seat, first = by_row(run.seat, 0), by_row(run.first_seat, 0)
    giver, reserve = by_row(run.giver, -1), by_row(run.reserve, 0)
    taken_from = by_row(run.taken_from, -1)  # a place
    lost_to = by_row(run.displaced_by, -1)   # a place
    ids = contest.ids
    cap_reached, cap_group = _caps_reached(contest, seat > 0)
    columns = {
        "seat_source": [engine.SEAT_SOURCES.get(int(s)) for s in seat],
        "regional_pass": (first == engine.REGIONAL).tolist(),
        "seat_from_region": [REGIONS[g] if g >= 0 else None for g in giver],
        "took_seat_of": [ids[order[p]] if p >= 0 else None for p in taken_from],
        "lost_seat_to": [ids[order[p]] if p >= 0 else None for p in lost_to],
        "reserve_position": [r if r else None for r in reserve.tolist()],
        "cap_reached": cap_reached,
        "cap_group": cap_group,
    }
    return SeatTrace(columns, dict(zip(REGIONS, run.unfilled[0].tolist())), contest)


def _caps_reached(contest: Contest, selected: np.ndarray) -> tuple[list, list]:
    """Per applicant, the first cap whose group is full once the seats are taken (its words and
    the group's name; None for both when every cap has room)."""
    what: list = [None] * contest.size
    group_name: list = [None] * contest.size
    for cap in contest.caps:
        groups = max(int(cap.group.max(initial=-1)) + 1, len(cap.earlier))
        held = np.bincount(cap.group[selected], minlength=groups)
        held[:len(cap.earlier)] += cap.earlier
        full = held[cap.group] >= cap.limit
        for i in np.flatnonzero(full):
            if what[i] is None:
                what[i] = cap.what
                group_name[i] = cap.labels[cap.group[i]] if cap.labels else None
    return what, group_name


def other_cap_reason(trace: SeatTrace, i: int) -> Reason:
    """`seat.other_cap`: applicant row `i` is held back by a cap other than the country's."""
    columns = trace.columns
    cap = next(c for c in trace.contest.caps if c.what == columns["cap_reached"][i])
    group = cap.group[i]
    rows = [j for j in np.flatnonzero(cap.group == group) if columns["seat_source"][j] is not None]
    return reason("seat.other_cap", what=cap.what, group=str(columns["cap_group"][i]),
                  holders=[str(trace.contest.ids[j]) for j in rows])
