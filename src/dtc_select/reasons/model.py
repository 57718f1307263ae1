"""A reason: a key from the catalogue and the fields its sentence is made of.

Fields are plain JSON values (text, numbers, booleans, lists, small mappings), so that a row's
reasons travel as one JSON text (decisions.csv's `reason_codes`) and come back the same.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Reason:
    """`key`: the catalogue entry, e.g. `seat.regional`; `fields`: what its sentence names."""

    key: str
    fields: dict = field(default_factory=dict)


def reason(key: str, **fields) -> Reason:
    return Reason(key, {name: plain(value) for name, value in fields.items()})


def plain(value):
    """A value as JSON holds it: numpy numbers as Python numbers, dates as ISO 8601 in UTC."""
    kind = type(value)
    if kind is str or kind is int or kind is float:  # the usual fields, already plain (bool is not int here)
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value if isinstance(value, str) else str(value)


def encode(reasons: Iterable[Reason]) -> str:
    """A row's reasons as one JSON text: a list of objects, each its `key` then its fields."""
    return json.dumps([{"key": r.key, **r.fields} for r in reasons], ensure_ascii=False, separators=(",", ":"))


def encode_rows(rows: Iterable[list[Reason]]) -> list[str]:
    """`encode(row)` for every row, each distinct Reason object written as JSON once.

    Why: a large call has a hundred thousand rows but a handful of reasons shared by many (the
    stages build one object per distinct reason). A JSON list written without spaces is its
    items' texts joined by "," inside brackets: the same text `encode` writes."""
    def text(r: Reason) -> str:
        return json.dumps({"key": r.key, **r.fields}, ensure_ascii=False, separators=(",", ":"))

    return ["[" + ",".join(pieces) + "]" for pieces in made_once(rows, text)]


def made_once(rows: Iterable[list[Reason]], make: Callable[[Reason], str]) -> list[list[str]]:
    """`make(r)` for every Reason of every row, each distinct Reason object made once."""
    memo: dict[int, tuple[Reason, str]] = {}  # by identity; the Reason is kept so its id stays its own
    result = []
    for row in rows:
        texts = []
        for r in row:
            known = memo.get(id(r))
            if known is None:
                known = memo[id(r)] = (r, make(r))
            texts.append(known[1])
        result.append(texts)
    return result


def decode(text: str) -> list[Reason]:
    """The reasons of `encode`'s text (an empty cell: none)."""
    if not isinstance(text, str) or not text:
        return []
    return [Reason(item.pop("key"), item) for item in json.loads(text)]


ITEM_START = '{"key":'


def split_items(text: str) -> list[str] | None:
    """The texts of the items of `encode`'s text, each a JSON object, or None when the text is not
    shaped as `encode` writes it (then `decode` reads it). A `"` inside a JSON string is written
    `\\"`, so `},{"key":` only separates two items; and should a split fall inside an item, one
    of the parts is not a JSON object on its own, which `decoded_item` finds."""
    if not (text.startswith("[" + ITEM_START) and text.endswith("}]")):
        return None
    parts = text[1:-1].split("}," + ITEM_START)
    if len(parts) == 1:
        return parts
    return [parts[0] + "}"] + [ITEM_START + p + "}" for p in parts[1:-1]] + [ITEM_START + parts[-1]]


def decoded_item(text: str) -> Reason | None:
    """One item of `split_items` as a Reason, or None when it is not one JSON object with a key."""
    try:
        item = json.loads(text)
    except ValueError:
        return None
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        return None
    return Reason(item.pop("key"), item)
