"""A call file's validation errors in the committee's words: every one, at the key they wrote.

pydantic reports every error with its own location names; `model_problems` turns them into
(key path, problem) pairs with the key path as it appears in the file, e.g.
`scoring.criteria[0].weight`. A misspelt key and the "missing" key it causes are one mistake:
one line, "unknown key ...; did you mean 'weight'?".

A check that compares several keys (a model validator) runs once those keys are valid
themselves, so a file fixed for the errors listed may still show such a check on the next run.
"""

from __future__ import annotations

import difflib

Problem = tuple[str, str]  # (key path, problem)


def model_problems(errors: list[dict]) -> list[Problem]:
    """Every error of a pydantic ValidationError as (key path, problem), in pydantic's order."""
    explained: set[int] = set()  # errors another one accounts for
    hints: dict[int, str] = {}
    for n, error in enumerate(errors):
        if error["type"] != "extra_forbidden":
            continue
        missing = {m: str(e["loc"][-1]) for m, e in enumerate(errors)
                   if e["type"] == "missing" and e["loc"][:-1] == error["loc"][:-1] and m not in explained}
        close = difflib.get_close_matches(str(error["loc"][-1]), list(missing.values()), n=1)
        if close:
            hints[n] = f"; did you mean {close[0]!r}?"
            explained.add(next(m for m, name in missing.items() if name == close[0]))
    for n, error in enumerate(errors):
        # "at least 1 item" on a list whose items all failed says nothing the items' errors don't.
        if error["type"] == "too_short" and any(len(e["loc"]) > len(error["loc"]) and
                                                e["loc"][:len(error["loc"])] == error["loc"] for e in errors):
            explained.add(n)
    problems: list[Problem] = []
    for n, error in enumerate(errors):
        problem = (_key_path(error["loc"]), _plain(error) + hints.get(n, ""))
        if n not in explained and problem not in problems:
            problems.append(problem)
    return problems


def _key_path(loc: tuple) -> str:
    # pydantic puts the union/validator names in the location; users know only their keys.
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part.startswith("function-") or part in {"tagged-union", "list", "tuple", "[key]"}:
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _plain(error: dict) -> str:
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if error["type"] == "extra_forbidden":
        return "unknown key (misspelt, or not part of the call-file model)"
    if error["type"] == "missing":
        return "required key is missing"
    return " ".join(message.split())  # one line per problem, whatever the message
