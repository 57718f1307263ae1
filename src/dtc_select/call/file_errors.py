"""A call file's validation errors in the committee's words: one error, at the key they wrote.

pydantic reports every error with its own location names; `first_error` picks the most telling
one (a misspelt key before the "missing" key it causes) and names the key path as it appears in
the file, e.g. `scoring.criteria[0].weight`.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from dtc_select.errors import CallFileError


def first_error(path: Path, errors: list[dict]) -> CallFileError:
    """One error, the most telling: a misspelt key before the "missing" key it causes."""
    errors = sorted(errors, key=lambda e: e["type"] != "extra_forbidden")
    error = errors[0]
    problem = _plain(error)
    if error["type"] == "extra_forbidden":
        missing = [
            e["loc"][-1] for e in errors if e["type"] == "missing" and e["loc"][:-1] == error["loc"][:-1]
        ]
        close = difflib.get_close_matches(str(error["loc"][-1]), [str(m) for m in missing], n=1)
        if close:
            problem += f"; did you mean {close[0]!r}?"
    return CallFileError(path, _key_path(error["loc"]), problem)


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
    return message
