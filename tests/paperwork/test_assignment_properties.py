"""The assignment's promises as properties (paperwork.md §2): never a reviewer in conflict, K
reviewers or the application named, both parties whenever possible, loads as even as any possible
assignment allows (checked against every assignment on small cases), the same inputs the same
assignment whatever their order."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from dtc_select.paperwork.assignment import assign_reviewers
from dtc_select.paperwork.reviewers import Reviewer

COUNTRIES = ("KEN", "NPL", "SEN")


@st.composite
def cases(draw, max_apps=8, max_reviewers=6):
    n_apps = draw(st.integers(1, max_apps))
    apps = [(f"A{i:02d}", draw(st.sampled_from(COUNTRIES))) for i in range(n_apps)]
    reviewers = []
    for j in range(draw(st.integers(1, max_reviewers))):
        reviewers.append(Reviewer(
            f"R{j}", f"Reviewer {j}", draw(st.sampled_from(("ITU", "Cisco"))), None,
            frozenset(draw(st.lists(st.sampled_from(COUNTRIES), max_size=1))),
            frozenset(draw(st.lists(st.sampled_from([a for a, _ in apps]), max_size=2)))))
    k = draw(st.integers(1, 3))
    return apps, tuple(reviewers), k


def _free(app, country, reviewers):
    return [r for r in reviewers if not r.in_conflict(app, country)]


@settings(max_examples=300, deadline=None)
@given(cases(max_apps=20, max_reviewers=9))
def test_no_reviewer_is_ever_given_an_application_they_declared_a_conflict_with(case):
    apps, reviewers, k = case
    result = assign_reviewers(apps, reviewers, k)
    by_id = {r.reviewer_id: r for r in reviewers}
    countries = dict(apps)
    assert not any(by_id[r].in_conflict(a, countries[a]) for a, r in result.pairs)


@settings(max_examples=300, deadline=None)
@given(cases(max_apps=20, max_reviewers=9))
def test_every_application_gets_k_different_reviewers_or_is_named_with_the_reason(case):
    apps, reviewers, k = case
    result = assign_reviewers(apps, reviewers, k)
    named = {a: (n, why) for a, n, why in result.problems}
    for app, country in apps:
        got = result.reviewers_of(app)
        assert len(got) == len(set(got))
        free = _free(app, country, reviewers)
        assert len(got) == min(k, len(free))
        if len(free) < k:
            assert "free of conflict" in named[app][1]
    assert sum(result.loads.values()) == len(result.pairs)


@settings(max_examples=300, deadline=None)
@given(cases(max_apps=20, max_reviewers=9))
def test_both_parties_review_an_application_whenever_k_is_two_or_more_and_both_are_free(case):
    apps, reviewers, k = case
    result = assign_reviewers(apps, reviewers, k)
    party = {r.reviewer_id: r.affiliation for r in reviewers}
    for app, country in apps:
        free_parties = {r.affiliation for r in _free(app, country, reviewers)}
        if k >= 2 and len(free_parties) == 2:
            assert {party[r] for r in result.reviewers_of(app)} == {"ITU", "Cisco"}


@settings(max_examples=200, deadline=None)
@given(cases(max_apps=20, max_reviewers=9), st.randoms(use_true_random=False))
def test_the_same_inputs_in_any_order_give_the_same_assignment(case, rng):
    apps, reviewers, k = case
    first = assign_reviewers(apps, reviewers, k)
    shuffled_apps, shuffled_reviewers = list(apps), list(reviewers)
    rng.shuffle(shuffled_apps)
    rng.shuffle(shuffled_reviewers)
    again = assign_reviewers(shuffled_apps, tuple(shuffled_reviewers), k)
    assert (again.pairs, again.problems, again.loads) == (first.pairs, first.problems, first.loads)


def _best_spread(apps, reviewers, k):
    """The least (most loaded - least loaded) over every assignment keeping the hard rules."""
    options = []
    for app, country in apps:
        free = _free(app, country, reviewers)
        want = min(k, len(free))
        both = want >= 2 and len({r.affiliation for r in free}) == 2
        options.append([c for c in itertools.combinations([r.reviewer_id for r in free], want)
                        if not both or len({_party(reviewers, r) for r in c}) == 2])
    best = None
    for combo in itertools.product(*options):
        load = {r.reviewer_id: 0 for r in reviewers}
        for chosen in combo:
            for r in chosen:
                load[r] += 1
        spread = max(load.values()) - min(load.values())
        best = spread if best is None else min(best, spread)
    return best


def _party(reviewers, reviewer_id):
    return next(r.affiliation for r in reviewers if r.reviewer_id == reviewer_id)


@settings(max_examples=300, deadline=None)
@given(cases(max_apps=5, max_reviewers=5))
def test_loads_differ_by_at_most_one_whenever_any_assignment_keeping_the_rules_does(case):
    apps, reviewers, k = case
    result = assign_reviewers(apps, reviewers, k)
    spread = max(result.loads.values()) - min(result.loads.values())
    best = _best_spread(apps, reviewers, k)
    assert spread <= max(best, 1)
