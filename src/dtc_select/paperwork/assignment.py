"""Reviewers for each application (paperwork.md §2), as a plain function of its inputs.

The rules, strongest first:
1. never a reviewer in conflict (a declared country or application);
2. K reviewers per application, or every reviewer free of conflict when fewer are (the
   application is then named, with why);
3. both parties (ITU and Cisco, Annex §3) among an application's reviewers whenever K >= 2 and a
   reviewer of each party is free of conflict for it;
4. loads as even as rules 1-3 allow.

How: the applications with the fewest reviewers free of conflict choose first (ties by id), each
taking the least-loaded free reviewers (ties by reviewer id), one of each party first when rule 3
applies. Then the loads are evened: while some reviewer holding L applications can hand one on,
through a chain of reviewers, to a reviewer holding L - 2 or fewer, it does (each hand-over keeps
rules 1-3). Without rule 3 this is the classic balancing of a bipartite assignment, and it ends
with the most and least loaded differing by the least possible; the property tests compare it
with every possible assignment on small cases. Nothing is random and every choice is ordered by
ids, so the same inputs give the same assignment whatever the files' row order.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from dtc_select.paperwork.reviewers import AFFILIATIONS, Reviewer


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[tuple[str, str], ...]  # (application_id, reviewer_id), sorted
    problems: tuple[tuple[str, int, str], ...]  # (application_id, reviewers assigned, why), sorted
    loads: dict[str, int]  # reviewer_id -> applications assigned

    def reviewers_of(self, application_id: str) -> list[str]:
        return [r for a, r in self.pairs if a == application_id]

    def applications_of(self, reviewer_id: str) -> list[str]:
        return [a for a, r in self.pairs if r == reviewer_id]


def assign_reviewers(applications: list[tuple[str, str | None]], reviewers: tuple[Reviewer, ...],
                     per_application: int) -> Assignment:
    """`applications`: (application_id, host country ISO3); `reviewers`: as read; K >= 1."""
    if per_application < 1:
        raise ValueError("each application needs at least one reviewer")
    by_id = {r.reviewer_id: r for r in sorted(reviewers, key=lambda r: r.reviewer_id)}
    apps = sorted(dict(applications).items())
    free = {a: [r for r in by_id if not by_id[r].in_conflict(a, country)] for a, country in apps}
    wanted = {a: min(per_application, len(free[a])) for a in free}
    party = {r: by_id[r].affiliation for r in by_id}
    both = {a: wanted[a] >= 2 and len({party[r] for r in free[a]}) == len(AFFILIATIONS) for a in free}
    load = {r: 0 for r in by_id}
    chosen: dict[str, list[str]] = {}
    for a in sorted(free, key=lambda a: (len(free[a]), a)):
        chosen[a] = _choose(free[a], wanted[a], load, party, both[a])
        for r in chosen[a]:
            load[r] += 1
    _even_out(chosen, free, load, party, both)
    pairs = tuple(sorted((a, r) for a in chosen for r in chosen[a]))
    problems = tuple(_problem(a, free[a], wanted[a], per_application, both[a], by_id)
                     for a in sorted(free) if _problem(a, free[a], wanted[a], per_application, both[a], by_id))
    return Assignment(pairs, problems, load)


def _choose(free: list[str], wanted: int, load: dict[str, int], party: dict[str, str], both: bool) -> list[str]:
    ranked = sorted(free, key=lambda r: (load[r], r))
    picks: list[str] = []
    if both:
        for affiliation in sorted(AFFILIATIONS, key=lambda p: min((load[r], r) for r in ranked if party[r] == p)):
            picks.append(next(r for r in ranked if party[r] == affiliation))
    picks += [r for r in ranked if r not in picks][: wanted - len(picks)]
    return picks


def _keeps_parties(members: list[str], leaving: str, joining: str, party: dict[str, str], both: bool) -> bool:
    if not both:
        return True
    return len({party[r] for r in members if r != leaving} | {party[joining]}) == len(AFFILIATIONS)


def _even_out(chosen, free, load, party, both) -> None:
    """Hand applications on along chains from a reviewer holding L to one holding L - 2 or fewer."""
    holds: dict[str, set[str]] = {r: set() for r in load}
    for a, members in chosen.items():
        for r in members:
            holds[r].add(a)
    while True:
        path = next((p for source in sorted(load, key=lambda r: (-load[r], r))
                     if (p := _chain(source, chosen, free, load, party, both, holds))), None)
        if path is None:
            return
        for giver, application, taker in reversed(path):
            members = chosen[application]
            members[members.index(giver)] = taker
            holds[giver].discard(application)
            holds[taker].add(application)
        load[path[0][0]] -= 1
        load[path[-1][2]] += 1


def _chain(source, chosen, free, load, party, both, holds):
    """The shortest chain of hand-overs from `source` to a reviewer holding at most its load - 2,
    each on a different application, as [(giver, application, taker), ...]; None if there is none."""
    limit = load[source] - 2
    if limit < 0:
        return None
    came_from: dict[str, tuple[str, str] | None] = {source: None}
    queue = deque([source])
    while queue:
        giver = queue.popleft()
        used = _applications_on_path(giver, came_from)
        for application in sorted(holds[giver] - used):
            members = chosen[application]
            for taker in free[application]:
                if taker in came_from or taker in members or \
                        not _keeps_parties(members, giver, taker, party, both[application]):
                    continue
                came_from[taker] = (giver, application)
                if load[taker] <= limit:
                    return _path_to(taker, came_from)
                queue.append(taker)
    return None


def _applications_on_path(reviewer: str, came_from) -> set[str]:
    used = set()
    while came_from[reviewer] is not None:
        reviewer, application = came_from[reviewer]
        used.add(application)
    return used


def _path_to(taker: str, came_from) -> list[tuple[str, str, str]]:
    path = []
    while came_from[taker] is not None:
        giver, application = came_from[taker]
        path.append((giver, application, taker))
        taker = giver
    return path[::-1]


def _problem(application: str, free: list[str], wanted: int, asked: int, both: bool,
             by_id: dict[str, Reviewer]) -> tuple[str, int, str] | None:
    conflicted = [r for r in by_id if r not in free]
    if wanted < asked:
        named = ", ".join(conflicted)
        return (application, wanted,
                f"only {wanted} of the {len(by_id)} reviewers {'is' if wanted == 1 else 'are'} free of conflict "
                f"for it, {asked} asked (in conflict: {named})")
    parties = {by_id[r].affiliation for r in free}
    if asked >= 2 and not both and len({r.affiliation for r in by_id.values()}) == len(AFFILIATIONS):
        (only,) = parties
        return (application, wanted, f"reviewed by {only} reviewers only: every reviewer of the other party "
                                     f"declared a conflict with it")
    return None
