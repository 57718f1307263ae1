"""Rankings for the selection engine: the contest from the ranked frame, the rank order of many
weightings at once, and the selection of each (`select_for_merit`, `selected_for_merit`).

The seat and cap rules themselves are in `engine.py`, run once per block of rankings; this module
turns merit scores into what the engine reads: the score (to TIE_DECIMALS, bonus added), the rank
order (the score, then `scoring.tie_break_chain`, exactly as `scoring.ranking_order`; a test pins
it, tests/seats/test_selection.py) and the few applicants per country that could be selected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dtc_select.call.model import Call
from dtc_select.call.caps import presence_minimum
from dtc_select.ranking.scoring import TIE_DECIMALS, tie_break_chain
from dtc_select.seats.contest import Cap, Contest, extra_caps  # noqa: F401  (re-exported)
from dtc_select.seats.engine import chosen_in_order, passes_minimum, selected_under_caps  # noqa: F401


def contest_from(eligible: pd.DataFrame, ranked: pd.DataFrame, seats: pd.DataFrame, call: Call) -> Contest:
    """The arrays for the eligible applicants (`eligible` and `ranked` share their index) and the
    seats per region (`seats`: a `seats` column indexed by region)."""
    rules = call.allocation
    regions = list(seats.index)
    region = eligible["region"].map({r: i for i, r in enumerate(regions)}).to_numpy(dtype=int)
    country, codes = pd.factorize(eligible["country_iso3"].astype(str), sort=True)
    earlier = pd.Series([c.country for c in call.previous_centres], dtype=object).value_counts()
    keys: list = []
    static: list[np.ndarray] = []
    for key, order in tie_break_chain(call):
        if key == "merit_score":
            keys += [_combined(static)] if static else []
            keys.append(("merit", order == "ascending"))
            static = []
            continue
        column = (ranked if key in ranked else eligible)[key]
        static.append(_static_code(column, ascending=order == "ascending"))
    keys += [_combined(static)] if static else []
    cap = len(eligible) + len(earlier) + 1 if rules.max_per_country is None else rules.max_per_country
    presence = eligible["presence"].astype("boolean").fillna(False).to_numpy(dtype=bool) \
        if "presence" in eligible else np.zeros(len(eligible), dtype=bool)
    return Contest(ranked.index, eligible["application_id"].to_numpy(dtype=object), region, country,
                   seats["seats"].to_numpy(dtype=int), cap, rules.minimum_score,
                   ranked["priority_bonus"].to_numpy(dtype=float),
                   earlier.reindex(codes).fillna(0).to_numpy(dtype=np.int32), presence, presence_minimum(call),
                   tuple(keys), rules.reserve_per_region, extra_caps(eligible, call))


def _static_code(column: pd.Series, *, ascending: bool) -> np.ndarray:
    """Integers that sort like `column` in the declared order, missing values last."""
    if column.dtype == "boolean":
        column = column.astype("Int8")
    codes = column.rank(method="dense", ascending=ascending)
    return codes.fillna(codes.max() + 1 if codes.notna().any() else 0).to_numpy(dtype=float)


def _combined(codes: list[np.ndarray]) -> np.ndarray:
    """One dense code sorting like the given codes in turn: fewer keys to sort each sample by."""
    frame = pd.DataFrame({i: c for i, c in enumerate(codes)})
    return frame.groupby(list(frame.columns), sort=True).ngroup().to_numpy(dtype=float)


def scores_from_merit(contest: Contest, merit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(merit, score) rounded as the scoring stage rounds them, for (S, N) raw merit scores."""
    merit = np.round(merit, TIE_DECIMALS)
    return merit, np.round(merit + contest.bonus, TIE_DECIMALS)


def rank_order(contest: Contest, merit: np.ndarray, score: np.ndarray) -> np.ndarray:
    """(S, N) applicant positions best first: score, then the tie-break chain, per sample."""
    key = _rank_key(contest, score)
    if key is not None:
        return np.argsort(key, axis=-1)
    keys = []
    for key in contest.tie_keys:
        if isinstance(key, tuple):
            keys.append(merit if key[1] else -merit)
        else:
            keys.append(np.broadcast_to(key, score.shape))
    # np.lexsort sorts by the last key first.
    return np.lexsort([*reversed(keys), -score], axis=-1)


def _rank_key(contest: Contest, score: np.ndarray) -> np.ndarray | None:
    """(S, N) int64 keys sorting as the ranking does, or None when the chain does not allow one.

    One static key (the usual chain): scores are whole numbers of 1e-9 (TIE_DECIMALS), so score
    and tie-break code fit one integer key, unique per applicant (the code is its place in the
    tie-break order, 0..N-1)."""
    if len(contest.tie_keys) != 1 or isinstance(contest.tie_keys[0], tuple):
        return None
    n = score.shape[-1]
    units = np.rint(score * 10 ** TIE_DECIMALS)
    if np.abs(units).max(initial=0) * n >= 2 ** 62:
        return None
    return -units.astype(np.int64) * n + contest.tie_keys[0].astype(np.int64)


# Beyond this many candidates per country, sorting every sample whole is as cheap.
MOST_CANDIDATES_PER_COUNTRY = 3
_NONE = np.iinfo(np.int64).max


def selected_for_merit(contest: Contest, merit: np.ndarray, *, by_country: bool = False) -> np.ndarray:
    """(S, N) selected, for (S, N) raw merit scores: `select_for_merit`'s first result, without
    sorting every sample's whole ranking when a few candidates per country decide it.
    `by_country`: the columns of `merit` are in `contest.by_country` order (the caller scored the
    applicants in that order), which saves reordering the block; the result is by position.

    A selected applicant has every passing compatriot ranked above it selected too (a country lies
    in one region, so one left out there would have been taken first, in the regional pass or in
    the reallocation), so only the first `max_per_country` (less the country's earlier centres)
    passing applicants of each country can be selected. The others never change a counter, so
    running the rules on the candidates alone, in rank order, selects exactly the same.

    The presence quota keeps this true when presence is a country's, so compatriots are alike to
    it (`Contest.compatriots_taken_in_rank_order` checks it; else every sample is run whole);
    its swaps go down the ranking, the quota only ever closer to met, the country's count only up
    and the centres it may replace (selected, same region, no presence) only fewer, so a swap that
    takes an applicant would have taken a compatriot left out above it first. The candidates'
    test checks it against the whole ranking, quota included."""
    n = contest.size
    by_place, starts, countries = contest.by_country
    room = np.maximum(contest.max_per_country - contest.earlier, 0)
    at_code = contest.at_tie_code
    bonus = contest.bonus[by_place] if by_country else contest.bonus
    units = _score_units(bonus, merit) if at_code is not None else None
    few = contest.compatriots_taken_in_rank_order and room.max(initial=0) <= MOST_CANDIDATES_PER_COUNTRY
    if units is None or not few:
        if by_country:
            merit = np.take(merit, np.argsort(by_place), axis=1)
        merit, score = scores_from_merit(contest, merit)
        return selected_under_caps(contest, rank_order(contest, merit, score), passes_minimum(contest, score))
    code = contest.tie_keys[0].astype(np.int64)
    key = units.astype(np.int64)
    key *= -n
    key += code[by_place] if by_country else code  # `_rank_key`'s key, in fewer passes over the block
    if contest.minimum_score is not None:  # below the minimum: never selected, never a candidate
        key[units / 10 ** TIE_DECIMALS < contest.minimum_score] = _NONE
    grouped = key if by_country else np.take(key, by_place, axis=1)
    best = []
    rounds = int(room[countries].max(initial=0))
    for j in range(rounds):  # the j-th best passer of each country
        first = np.minimum.reduceat(grouped, starts, axis=1)
        best.append(np.where(room[countries] > j, first, _NONE))
        if j + 1 < rounds:
            grouped[grouped == np.repeat(first, np.diff(np.r_[starts, n]), axis=1)] = _NONE
    if not best:
        return np.zeros(merit.shape, dtype=bool)
    candidates = np.sort(np.concatenate(best, axis=1), axis=1)
    real = candidates != _NONE
    who = np.where(real, at_code[candidates % n], 0)
    chosen = chosen_in_order(contest, who, real)
    selected = np.zeros((len(merit), n + 1), dtype=bool)
    np.put_along_axis(selected, np.where(real, who, n), chosen.T, axis=1)
    return selected[:, :n]


def _score_units(bonus: np.ndarray, merit: np.ndarray) -> np.ndarray | None:
    """(S, N) scores in units of 1e-9 (whole numbers, as floats) straight from raw merit scores,
    equal to rint(score * 1e9) for `scores_from_merit`'s score; None where that equality is not
    certain (a bonus that is not a whole number of units, huge or missing scores).

    np.round(x, 9) is rint(x * 1e9) / 1e9, so the rounded merit is k / 1e9 with k = rint(merit * 1e9);
    adding a bonus of B units and rounding again gives (k + B) / 1e9, the float error of the sum
    (under 1e-6 units for scores below 1,000) being far from the half unit that would change it."""
    bonus = bonus.astype(float) * 10 ** TIE_DECIMALS
    whole = np.rint(bonus)
    if np.abs(bonus - whole).max(initial=0) > 1e-3:
        return None
    units = merit * 10 ** TIE_DECIMALS  # in place from here: the block is large
    np.rint(units, out=units)
    units += whole
    largest = max(-units.min(initial=0), units.max(initial=0))
    if not np.isfinite(largest) or largest >= 2 ** 40 or largest * max(merit.shape[-1], 1) >= 2 ** 62:
        return None
    return units


def select_for_merit(contest: Contest, merit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For (S, N) raw merit scores: (selected, order, score), each (S, N)."""
    merit, score = scores_from_merit(contest, merit)
    order = rank_order(contest, merit, score)
    return selected_under_caps(contest, order, passes_minimum(contest, score)), order, score
