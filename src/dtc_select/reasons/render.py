"""Reasons as sentences in one language, from the data (`model.Reason`) and a catalogue.

`Renderer(lang, call).row(reasons)` is one row's reasons as decisions.csv writes them (English);
`.parts(reasons)` the same as a list, for the report. Each key's fields are shown by a method
`_<key with dots as underscores>` when the key needs more than its plain fields (a rule's words
from the call file, a region's forms, an ordinal, ...).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Callable

import pandas as pd

from dtc_select.call import vocabulary as vocab
from dtc_select.reasons import catalogue
from dtc_select.reasons.model import Reason


class Renderer:
    """`call`: the call the reasons come from (its rules' words and references, in this language
    when the call file gives them). `country_name(iso3, english name)`: a country's name in this
    language (the English name by default)."""

    def __init__(self, lang: str = "en", call=None, *, folder=None,
                 country_name: Callable[[str, str], str] | None = None):
        self.lang, self.call = lang, call
        c = catalogue.load(lang, folder)
        self.format, self.sentences = c["format"], c["reason"]
        self.labels, self.answers, self.wants = c["field"], c["answer"], c["wants"]
        self.country_name = country_name or (lambda iso3, name: name)
        self.rules = {rule.id: rule for rule in call.rules} if call is not None else {}

    # Rows and parts.
    def row(self, reasons: list[Reason]) -> str:
        return self.format["parts"].join(self.parts(reasons))

    def parts(self, reasons: list[Reason]) -> list[str]:
        texts = [self.render(r) for r in reasons]
        if reasons and reasons[0].key.startswith("rule."):
            texts[0] = self.sentence("lead.ineligible", reason=texts[0])
        return texts

    def render(self, reason: Reason) -> str:
        prepare = getattr(self, "_" + reason.key.replace(".", "_"), None)
        return self.sentence(reason.key, **(prepare(**reason.fields) if prepare else reason.fields))

    def sentence(self, key: str, **fields) -> str:
        return self.sentences[key].format(**fields)

    # How fields are shown.
    def localized(self, item, attribute: str) -> str:
        """`item.<attribute>_<lang>` when the call file gives it, else the English `item.<attribute>`."""
        return (getattr(item, f"{attribute}_{self.lang}", None) if self.lang != "en" else None) or \
            getattr(item, attribute)

    def number(self, value, digits: int | None = None) -> str:
        """Whole numbers without decimals; others as Python writes them, or to `digits` decimals."""
        value = float(value)
        text = str(int(value)) if digits is None and value.is_integer() else \
            (f"{value:.{digits}f}" if digits is not None else repr(value))
        return text.replace(".", self.format["decimal_mark"])

    def count(self, value) -> str:
        return f"{int(value):,}".replace(",", self.format["thousands"])

    def ordinal(self, n) -> str:
        rules, n = self.format["ordinal"], int(n)
        template = (rules["exact"].get(str(n)) or rules["last_two"].get(str(n % 100))
                    or rules["last"].get(str(n % 10)) or rules["other"])
        return template.format(n=n)

    def region(self, code: str) -> SimpleNamespace:
        return SimpleNamespace(**self.format["region"][code])

    def items(self, values) -> str:
        return self.format["list"].join(str(v) for v in values)

    def moment(self, iso: str) -> str:
        stamp = pd.Timestamp(iso).tz_convert("UTC")
        months = self.format["months"].split()
        date = self.format["date"].format(year=stamp.year, month=stamp.month, day=stamp.day,
                                          month_name=months[stamp.month - 1])
        return self.format["moment"].format(date=date, time=f"{stamp:%H:%M}")

    def show(self, field: str, value) -> str:
        """A number or a date as a reason shows it (a list: each item)."""
        if isinstance(value, (list, tuple)):
            return self.format["list"].join(self.show(field, v) for v in value)
        if isinstance(value, bool):
            return self.format["yes" if value else "no"]
        if isinstance(value, (int, float)):
            return self.number(value)
        spec = vocab.FIELDS.get(field)
        return self.moment(value) if spec is not None and spec.kind == "date" else str(value)

    def answer(self, field: str, value) -> str | None:
        """A yes/no or a choice in words ("a for-profit company"); None for numbers and dates."""
        said = self.answers.get(field)
        if not isinstance(said, dict):
            return None
        key = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        return said.get(key, str(value))

    # Eligibility: one reason per rule that failed or could not be checked.
    def _rule(self, rule_id: str) -> dict:
        rule = self.rules.get(rule_id)
        if rule is None:  # reasons read back without their call: the rule's id stands for it
            return {"fails_as": rule_id, "requirement": rule_id, "reference": ""}
        requirement = self.localized(rule, "description").strip().rstrip(".")
        if requirement[1:2].islower():  # "The applicant ..." inside a sentence; "ITU ..." as it is
            requirement = requirement[:1].lower() + requirement[1:]
        return {"fails_as": self.localized(rule, "fails_as"), "reference": self.localized(rule, "reference"),
                "requirement": requirement}

    def facts(self, facts: list[dict]) -> str:
        """The facts in words, each field once: what the applicant answered and, for a number or
        a date, what the call needs."""
        texts, seen = [], set()
        for fact in facts:
            field = fact["field"]
            if field in seen:
                continue
            seen.add(field)
            label = self.labels.get(field, field)
            if "answer" not in fact:
                texts.append(self.sentence("fact.not_stated", label=label))
            elif (words := self.answer(field, fact["answer"])) is not None:
                texts.append(self.sentence("fact.answer", answer=words))
            else:
                wants = self.wants.get(fact["op"], "{value}").format(value=self.show(field, fact.get("value")))
                texts.append(self.sentence("fact.threshold", label=label, answer=self.show(field, fact["answer"]),
                                           wants=wants))
        return self.sentences["fact.joined"].join(texts)

    def _rule_failed(self, rule: str, facts: list[dict]) -> dict:
        return {**self._rule(rule), "facts": self.facts(facts)}

    _rule_not_stated = _rule_failed
