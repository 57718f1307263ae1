"""The applicants the stability analysis can leave out: those no weight sample can select.

Under the call's rules (presence quota included), only the first `max_per_country` passing applicants
of a country, less its centres of earlier phases, can be selected in a sample (see
`selection.selected_for_merit`). An applicant beaten in every sample by that many compatriots is
never among them, so it is never selected and changes no count: the samples can be run without
it and it gets probability 0, exactly as if it had been run.

"Beaten in every sample" is proved without scoring the samples. A weighted sum is linear in the
weights, so the most an applicant x can gain on a compatriot y over all samples is, criterion by
criterion, the larger of (lowest weight drawn) x (x's value - y's value) and (highest weight
drawn) x the same, plus the difference of their presence bonuses. When that is below -1e-8
(well beyond the 1e-9 rounding of scores), y ranks above x in every sample. Each applicant is
compared with its country's few best under the middle of the weights drawn: of the 64,000
eligible applicants of the 100,000-applicant benchmark, about 5,000 are left to score 10,000 times.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dtc_select.seats.vectorised import MOST_CANDIDATES_PER_COUNTRY, Contest

# Compatriots each applicant is compared with, beyond the number that must beat it.
REFERENCES = 4
# A lead this large survives the rounding of both scores to 1e-9.
SAFE_LEAD = 1e-8


def contenders(contest: Contest, values: np.ndarray, samples: np.ndarray, method: str) -> np.ndarray | None:
    """Sorted positions of the applicants that some of `samples` (weight vectors, S x C) could
    select; None where the proof above does not apply (another method than the weighted sum, an
    excluded criterion, a minimum score, a cap beyond the country's, or a tie-break that is not
    one key)."""
    if (method != "weighted_sum" or contest.minimum_score is not None or not contest.compatriots_taken_in_rank_order
            or not len(samples) or contest.at_tie_code is None or np.isnan(values).any()):
        return None
    room = np.maximum(contest.max_per_country - contest.earlier, 0)
    if room.max(initial=0) > MOST_CANDIDATES_PER_COUNTRY:
        return None
    low, high = samples.min(axis=0), samples.max(axis=0)
    guide = values @ ((low + high) / 2) + contest.bonus  # only chooses whom to compare with
    by_place, starts, countries = contest.by_country
    kept = []
    for first, end, country in zip(starts, np.r_[starts[1:], contest.size], countries):
        members = by_place[first:end]
        need = int(room[country])
        if need == 0:
            continue  # the country's cap is already taken by earlier centres
        best = members[np.argsort(-guide[members], kind="stable")[:need + REFERENCES]]
        gap = values[members][:, None, :] - values[best][None, :, :]           # (members, best, C)
        most = np.maximum(gap * low, gap * high).sum(axis=2) + contest.bonus[members][:, None] \
            - contest.bonus[best][None, :]
        kept.append(members[(most < -SAFE_LEAD).sum(axis=1) < need])
    return np.sort(np.concatenate(kept)) if kept else np.zeros(0, dtype=int)


def restricted(contest: Contest, keep: np.ndarray) -> Contest:
    """The contest among `keep` (sorted positions) only: same seats and caps, country codes and
    tie-break codes renumbered in the same order."""
    codes, country = np.unique(contest.country[keep], return_inverse=True)
    tie = np.empty(len(keep))
    tie[np.argsort(contest.tie_keys[0][keep], kind="stable")] = np.arange(len(keep))
    return replace(contest, index=contest.index[keep], ids=contest.ids[keep], region=contest.region[keep],
                   country=country.reshape(-1), bonus=contest.bonus[keep], earlier=contest.earlier[codes],
                   presence=contest.presence[keep], tie_keys=(tie,))
