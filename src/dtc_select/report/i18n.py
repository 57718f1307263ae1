"""The report's languages: the message catalogue, numbers and dates as each language writes them.
(Reasons have their own catalogues: `dtc_select.reasons`.)

The catalogue is `templates/messages_<lang>.yaml` and one file per report part added beside it
(`templates/messages_<part>_<lang>.yaml`, e.g. the ranking checks): together one flat mapping from
a key to a text, no key in two files, the same keys in every language (checked when loaded). Texts may hold `{name}` fields, filled with
`str.format`. The call file brings its own French (`description_fr`, `fails_as_fr`, `title_fr`,
`reference_fr`, `label_fr`, ...); `localized(item, "description", lang)` picks it, falling back
to the English text when the call file has none.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from importlib.resources import files

import numpy as np
import pandas as pd
import yaml

from dtc_select.call import vocabulary as vocab
from dtc_select.reasons.catalogue import SAFE_LOADER

LANGUAGES = ("en", "fr")
EDITIONS = ("reviewer", "secretariat")
NBSP = "\u00a0"


class Messages(dict):
    """A catalogue: `m.key` in templates, `m("key", n=1)` to fill its fields."""

    def __call__(self, key: str, **fields) -> str:
        return self[key].format(**fields) if fields else self[key]

    def __getattr__(self, key: str) -> str:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"no message {key!r} in the catalogue") from None


@functools.cache
def messages(lang: str) -> Messages:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    loaded = {code: load_catalogue(code) for code in LANGUAGES}
    keys = set(loaded["en"])
    for code, catalogue in loaded.items():
        if set(catalogue) != keys:
            raise ValueError(f"messages*_{code}.yaml: keys differ from messages*_en.yaml: "
                             f"{sorted(set(catalogue) ^ keys)}")
    return loaded[lang]


def with_call_words(catalogue: Messages, call, lang: str) -> Messages:
    """The catalogue with the call's own words for the fields it knows nothing of: `field_<id>`
    is the field's label and `choice_<id>_<value>` each listed value's, in `lang` (a new call's
    questions are the call's; the phase-1 fields keep the catalogue's words)."""
    if call is None:
        return catalogue
    words = {}
    for field in call.form.fields:
        words[f"field_{field.id}"] = field.localized_label(lang)
        for item in field.values:
            words[f"choice_{field.id}_{item.value}"] = item.label_fr if lang == "fr" else item.label
    return Messages({**words, **catalogue})


def catalogue_files(lang: str, folder=None) -> list:
    """messages_<lang>.yaml first, then each part's messages_<part>_<lang>.yaml, by name."""
    folder = folder or files("dtc_select.report") / "templates"
    main = f"messages_{lang}.yaml"
    parts = sorted(f.name for f in folder.iterdir()
                   if f.name.startswith("messages_") and f.name.endswith(f"_{lang}.yaml") and f.name != main)
    return [folder / name for name in [main] + parts]


def load_catalogue(lang: str, folder=None) -> Messages:
    """One language's catalogue files as one mapping (`folder`: the package's templates by default)."""
    merged: dict[str, str] = {}
    for file in catalogue_files(lang, folder):
        loaded = yaml.load(file.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}  # noqa: S506 (safe)
        # YAML reads a bare yes/no/on/off key as a boolean: such a key must be quoted.
        wrong = [k for k in loaded if not isinstance(k, str)]
        if wrong:
            raise ValueError(f"{file.name}: keys must be text, quote {wrong}")
        twice = sorted(set(loaded) & set(merged))
        if twice:
            raise ValueError(f"{file.name}: keys already in another catalogue file: {twice}")
        merged.update({k: str(v) for k, v in loaded.items()})
    return Messages(merged)


def localized(item, attribute: str, lang: str) -> str:
    """`item.<attribute>_fr` in French when the call file gives it, else `item.<attribute>`."""
    if lang != "en":
        value = getattr(item, f"{attribute}_{lang}", None)
        if value:
            return value
    return getattr(item, attribute)


def missing(value) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    if isinstance(value, float):  # NaN is the one float unequal to itself (pd.isna: 30x slower, every cell)
        return value != value
    return bool(pd.isna(value))


class Formatter:
    """Numbers, dates, yes/no, statuses, regions and answer values in one language."""

    def __init__(self, lang: str, call=None):
        """`call`: the call whose form names its own fields and values (with_call_words)."""
        self.lang, self.m = lang, with_call_words(messages(lang), call, lang)

    def decimal(self, value, digits: int = 3) -> str:
        text = f"{float(value):,.{digits}f}"
        return text.replace(",", NBSP).replace(".", ",") if self.lang == "fr" else text

    def integer(self, value) -> str:
        text = f"{int(value):,}"
        return text.replace(",", NBSP) if self.lang == "fr" else text

    def number(self, value) -> str:
        """An answer: whole numbers without decimals, others as written (up to 2 decimals)."""
        value = float(value)
        return self.integer(value) if value.is_integer() else self.decimal(value, 2).rstrip("0")

    def pct(self, share, digits: int = 1) -> str:
        return f"{self.decimal(float(share) * 100, digits)}{NBSP}%"

    def share(self, value) -> str:
        """A share of samples as a percentage that never shows 0 % or 100 % for what is neither."""
        value = float(value)
        if 0 < value < 0.001:
            return f"<{NBSP}{self.pct(0.001)}"
        if 0.999 < value < 1:
            return f">{NBSP}{self.pct(0.999)}"
        return self.pct(value)

    def signed(self, value, digits: int = 3) -> str:
        """+0.125 / -0.020; 6 decimals when smaller than 0.001, so a hair's breadth never reads as 0."""
        value = float(value)
        digits = digits if abs(value) >= 10 ** -digits else 6
        return ("+" if value > 0 else "-" if value < 0 else "") + self.decimal(abs(value), digits)

    def plain(self, value) -> str:
        """A computed figure shown with enough digits to recompute by hand (6 significant), or ∞."""
        value = float(value)
        if math.isinf(value):
            return "∞"
        text = f"{value:.6g}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def date(self, value) -> str:
        months = self.m.months.split()
        return f"{value.day} {months[value.month - 1]} {value.year}"

    def moment(self, value) -> str:
        """A date-time in UTC, as reasons and answers show it."""
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return f"{self.date(stamp)}, {stamp:%H:%M} UTC"

    def yes_no(self, value) -> str:
        return self.m.yes if value else self.m.no

    def status(self, status: str) -> str:
        return self.m[f"status_{status}"]

    def region(self, code: str, form: str = "name") -> str:
        """Region `code` as a name, or in a sentence: form "in" (en Afrique) or "the" (l'Afrique)."""
        return self.m[f"region_{code}_{form}"] if code in vocab.REGIONS else str(code)

    def choice(self, field: str, value: str) -> str:
        key = f"choice_{field}_{value}"
        return self.m[key] if key in self.m else str(value)

    def answer(self, field: str, value) -> str:
        """An application's answer as the dossier shows it; not stated is said so."""
        if missing(value):
            return self.m.not_stated
        if isinstance(value, (bool, np.bool_)):
            return self.yes_no(value)
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return self.moment(value)
        if isinstance(value, (int, float, np.integer, np.floating)) and math.isfinite(float(value)):
            return self.number(value)
        return self.choice(field, value)

    def show(self, value) -> str:
        """A value inside a reason (the French twin of eligibility's English `_show`)."""
        if isinstance(value, (list, tuple)):
            return ", ".join(self.show(v) for v in value)
        if isinstance(value, str):
            return self.choice_any(value)
        return self.answer("", value)

    def choice_any(self, value: str) -> str:
        for field in ("organisation_type", "distance_learning", "host_development"):
            key = f"choice_{field}_{value}"
            if key in self.m:
                return self.m[key]
        return value
