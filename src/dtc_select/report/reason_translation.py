"""Reasons in the report's language, without touching decisions.csv's English `reasons`.

decisions.csv keeps the English reasons the stages write (eligibility.py, allocation.py,
pipeline.py, scoring.py). The report says the same in another language in two ways:
- an ineligible applicant's reasons are written again from the same rule evaluation, in French
  words (`eligibility.rule_reasons` with `i18n.eligibility_words`): nothing is parsed;
- every other reason is a "; "-separated list of parts, each made from a known English template.
  The catalogue holds, under one `r_*` key, the English template as a pattern (`{name:type}`
  fields) and its French twin (`{name}` fields); a part is matched against the English patterns
  and rewritten with the French one, each field translated by its type (region, ordinal,
  country, ...).
A part that matches no template (a new wording in a stage) is kept in English and marked, and the
tests over the example run fail on it: add its template to both catalogues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

from dtc_select.call import vocabulary as vocab
from dtc_select.report.i18n import Formatter, localized, messages

_REGION_NAMES = "|".join(re.escape(n) for n in vocab.REGION_NAMES.values())
_REGION_CODES = {name: code for code, name in vocab.REGION_NAMES.items()}
_FIELD = re.compile(r"\{(\w+):(\w+)\}")


@dataclass(frozen=True)
class Part:
    """One part of a reason: its text, and whether it is in the language asked for."""

    text: str
    translated: bool = True


class ReasonTranslator:
    def __init__(self, call, lang: str, country_names: dict[str, str]):
        """`country_names`: English country name -> its name in `lang`."""
        self.call, self.lang, self.countries = call, lang, country_names
        self.fmt, self.m = Formatter(lang), messages(lang)
        self.references = {item.reference: localized(item, "reference", lang) for item in _documented(call)}
        english = messages("en")
        self.templates = [(_pattern(english[key]), key) for key in english if key.startswith("r_")]
        self.chain = {english[key]: self.m[key] for key in english if key.startswith("tie_") and key != "tie_then"}

    def parts(self, reasons: str) -> list[Part]:
        """The reason's parts in this language; English is returned as it is."""
        parts = [p for p in str(reasons).split("; ") if p]
        if self.lang == "en":
            return [Part(p) for p in parts]
        return [self._part(p) for p in parts]

    def _part(self, text: str) -> Part:
        for (pattern, fields), key in self.templates:
            match = pattern.fullmatch(text)
            if match:
                values, groups = {}, list(match.groups())
                for name, kind in fields:
                    width = _TYPES[kind][1]
                    values[name] = getattr(self, f"_{kind}")(*groups[:width])
                    groups = groups[width:]
                return Part(self.m[key].format(**values))
        return Part(text, translated=False)

    # One method per field type: the English groups in, the text in this language out.
    def _ordinal(self, n):
        return self.m.ordinal_first if n == "1" else self.m("ordinal", n=n)

    def _region(self, name):
        code = _REGION_CODES[name]
        return SimpleNamespace(**{form: self.fmt.region(code, form) for form in ("name", "in", "the")})

    def _seats(self, n):
        return self.m("seat_one" if n == "1" else "seat_many", n=n)

    def _in_region(self, n, name, seats, received):
        text = self.m("rp_in_region", rank=self._ordinal(n), region=self._region(name), seats=self._seats(seats))
        return text + (self.m("rp_in_region_received", n=received) if received else "")

    def _int(self, n):
        return n

    def _share(self, text):
        """ranking_checks.share_in_words' "12.5 %", "< 0.1 %" or "> 99.9 %", in this language."""
        sign, number = re.fullmatch(r"([<>] )?([\d.]+) %", text).groups()
        return (f"{sign.strip()}\u00a0" if sign else "") + self.fmt.pct(float(number) / 100)

    def _count(self, number):
        return self.fmt.integer(int(number.replace(",", "")))

    def _score(self, number):
        return number.replace(".", ",") if self.lang == "fr" else number

    def _country(self, name):
        return self.countries.get(name, name)

    def _text(self, text):
        return text

    def _ref(self, reference):
        return self.references.get(reference, reference)

    def _centres(self, many):
        return self.m("centres_many", n=many) if many else self.m.centres_one

    def _higher(self, said):
        return self.m.rp_ranked_higher if said else ""

    def _limit(self, said):
        return self.m.rp_country_limit if said else ""

    def _chain(self, text):
        return self.m.tie_then.join(self.chain.get(w, w) for w in text.split(", then "))


# Field type -> (regex, number of groups). Method `_<type>` above turns the groups into text.
_TYPES: dict[str, tuple[str, int]] = {
    "ordinal": (r"(\d+)(?:st|nd|rd|th)", 1),
    "region": (rf"(?:the )?({_REGION_NAMES})", 1),
    "seats": (r"(\d+) seats?", 1),
    "in_region": (rf"ranked (\d+)(?:st|nd|rd|th) in (?:the )?({_REGION_NAMES}), which has (\d+) seats?"
                  r"(?: and received (\d+) more that other regions could not fill)?", 4),
    "int": (r"(\d+)", 1),
    "share": (r"((?:[<>] )?\d+\.\d %)", 1),
    "count": (r"(\d{1,3}(?:,\d{3})*)", 1),
    "score": (r"(-?[0-9.]+(?:e-?\d+)?)", 1),
    "country": (r"(.+?)", 1),
    "text": (r"(.+?)", 1),
    "ref": (r"(.+?)", 1),
    "centres": (r"(?:a selected centre|(\d+) selected centres)", 1),
    "higher": (r"( ranked higher)?", 1),
    "limit": (r"(, the most the call allows per country)?", 1),
    "chain": (r"(.+?)", 1),
}


def _pattern(template: str) -> tuple[re.Pattern, list[tuple[str, str]]]:
    """An English template with `{name:type}` fields -> (regex, [(name, type)])."""
    fields, regex, end = [], "", 0
    for match in _FIELD.finditer(template):
        regex += re.escape(template[end:match.start()]) + _TYPES[match.group(2)][0]
        fields.append((match.group(1), match.group(2)))
        end = match.end()
    return re.compile(regex + re.escape(template[end:])), fields


def _documented(call):
    yield call
    yield from (call.deadline, call.country_status, call.scoring, call.presence_priority, call.allocation,
                call.allocation.need, call.stability)
    yield from call.rules
    yield from call.criteria

