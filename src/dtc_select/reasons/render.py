"""Reasons as sentences in one language, from the data (`model.Reason`) and a catalogue.

`Renderer(lang, call).row(reasons)` is one row's reasons as decisions.csv writes them (English);
`.parts(reasons)` the same as a list, for the report. Each key's fields are shown by a method
`_<key with dots as underscores>` when the key needs more than its plain fields (a rule's words
from the call file, a region's forms, an ordinal, ...).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Callable, Iterable

import pandas as pd

from dtc_select.call import vocabulary as vocab
from dtc_select.reasons import catalogue
from dtc_select.reasons.model import Reason, decode, decoded_item, made_once, split_items


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
        # A call's own questions (its form) the catalogue does not know are named by the call.
        self.form = getattr(call, "form", None)
        if self.form is not None:
            self.labels = {f.id: f.localized_label(lang) for f in self.form.fields} | self.labels
        self.country_name = country_name or (lambda iso3, name: name)
        self.rules = {rule.id: rule for rule in call.rules} if call is not None else {}
        self.regions = {code: SimpleNamespace(**forms) for code, forms in self.format["region"].items()}
        self._prepare: dict = {}
        self._ordinals: dict[int, str] = {}
        self._regions_seats: dict[tuple, dict] = {}

    # Rows and parts.
    def row(self, reasons: list[Reason]) -> str:
        return self.format["parts"].join(self.parts(reasons))

    def parts(self, reasons: list[Reason]) -> list[str]:
        """Each reason a sentence; an ineligible row's first rule says "ineligible", and after a
        committee decision the computed reasons start "as computed"."""
        return self._led([r.key for r in reasons], [self.render(r) for r in reasons])

    def _led(self, keys: list[str], texts: list[str]) -> list[str]:
        first = 1 if keys and keys[0].startswith("committee.") else 0
        if len(keys) > first and keys[first].startswith("rule."):
            texts[first] = self.sentence("lead.ineligible", reason=texts[first])
        if first and len(texts) > 1:
            texts[1] = self.sentence("lead.as_computed", reason=texts[1])
        return texts

    # Many rows at once: each distinct reason worded once (a large call's rows share a handful).
    def rows(self, rows: Iterable[list[Reason]]) -> list[str]:
        """`row(reasons)` for every row."""
        joined = self.format["parts"].join
        return [joined(parts) for parts in self.rows_parts(rows)]

    def rows_parts(self, rows: Iterable[list[Reason]]) -> list[list[str]]:
        """`parts(reasons)` for every row, each distinct Reason object worded once."""
        rows = list(rows)
        return [self._led([r.key for r in reasons], texts) if texts else texts
                for reasons, texts in zip(rows, made_once(rows, self.render))]

    def codes_parts(self, codes: Iterable) -> list[list[str]]:
        """`parts(decode(text))` for every row's reasons as JSON (decisions' reason_codes), each
        distinct item's text read and worded once."""
        memo: dict[str, tuple[str, str] | None] = {}
        result = []
        for text in codes:
            items = split_items(text) if isinstance(text, str) else None
            worded = [] if items is None else [memo[i] if i in memo else self._memo_item(memo, i) for i in items]
            if items is None or None in worded:  # not as `encode` writes it: read the whole text
                result.append(self.parts(decode(text)))
                continue
            result.append(self._led([key for key, _ in worded], [words for _, words in worded]))
        return result

    def _memo_item(self, memo: dict, text: str) -> tuple[str, str] | None:
        item = decoded_item(text)
        memo[text] = None if item is None else (item.key, self.render(item))
        return memo[text]

    def render(self, reason: Reason) -> str:
        if reason.key not in self._prepare:  # looked up once per key: a large call has many rows
            self._prepare[reason.key] = getattr(self, "_" + reason.key.replace(".", "_"), None)
        prepare = self._prepare[reason.key]
        return self.sentences[reason.key].format(**(prepare(**reason.fields) if prepare else reason.fields))

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
        n = int(n)
        if n not in self._ordinals:  # a region's ranks, worded for each of its applicants
            rules = self.format["ordinal"]
            template = (rules["exact"].get(str(n)) or rules["last_two"].get(str(n % 100))
                        or rules["last"].get(str(n % 10)) or rules["other"])
            self._ordinals[n] = template.format(n=n)
        return self._ordinals[n]

    def region(self, code: str) -> SimpleNamespace:
        return self.regions[code]

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
        declared = self.form.field(field) if self.form is not None else None
        kind = declared.kind if declared is not None else getattr(vocab.DERIVED_FIELDS.get(field), "kind", None)
        return self.moment(value) if kind == "date" or (kind is None and field == "submitted_at") else str(value)

    def answer(self, field: str, value) -> str | None:
        """A yes/no or a choice in words ("a for-profit company"); None for numbers and dates."""
        said = self.answers.get(field)
        if not isinstance(said, dict):
            return self._declared_answer(field, value)
        key = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        return said.get(key, str(value))

    def _declared_answer(self, field: str, value) -> str | None:
        """A yes/no or listed answer to a question of the call's own form: "{label}: {answer}"."""
        declared = self.form.field(field) if self.form is not None else None
        if declared is None or declared.kind not in ("boolean", "choice"):
            return None
        if isinstance(value, bool):
            shown = self.format["yes" if value else "no"]
        else:
            item = next((v for v in declared.values if v.value == str(value)), None)
            shown = str(value) if item is None else (item.label_fr if self.lang == "fr" else item.label)
        return f"{self.labels.get(field, field)}{' : ' if self.lang == 'fr' else ': '}{shown}"

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

    # Shares, scores and small phrases.
    def share(self, value) -> str:
        """A share of samples as a percentage that never shows 0 % or 100 % for what is neither."""
        value = float(value)
        if 0 < value < 0.001:
            return self.format["below"].format(share=self.share(0.001))
        if 0.999 < value < 1:
            return self.format["above"].format(share=self.share(0.999))
        return self.format["percent"].format(n=self.number(value * 100, 1))

    def seats(self, n) -> str:
        return self.sentence("part.seat_one" if int(n) in self.format["singular"] else "part.seats", n=int(n))

    def short(self, value) -> str:
        """A call's figure as written in the call file (0.05, 1, 0.5)."""
        return f"{float(value):g}".replace(".", self.format["decimal_mark"])

    def country(self, country: dict) -> str:
        return self.country_name(country.get("iso3"), country.get("name") or country.get("iso3"))

    def reference(self, item) -> str:
        return self.localized(item, "reference") if item is not None else ""

    # Seats: where an applicant stands and what decided.
    def where(self, region: str, region_rank: int, seats: int, received: int = 0) -> str:
        # All but the rank is the same for a region's applicants: worded once per region.
        if (region, seats, received) not in self._regions_seats:
            self._regions_seats[(region, seats, received)] = {
                "region": self.region(region), "seats": self.seats(seats),
                "received": self.sentence("part.received", n=received) if received else ""}
        return self.sentences["part.in_region"].format(rank=self.ordinal(region_rank),
                                                       **self._regions_seats[(region, seats, received)])

    def _seat_regional(self, **fields) -> dict:
        return {"where": self.where(**fields)}

    _seat_not_selected = _seat_regional

    def _seat_quota(self, took_seat_of: str, quota_seats: int, **fields) -> dict:
        return {"where": self.where(**fields), "took_seat_of": took_seat_of,
                "quota": self.sentence("part.quota", seats=self.seats(quota_seats))}

    def _seat_reallocated(self, overall_rank: int, giver: str) -> dict:
        return {"rank": self.ordinal(overall_rank), "giver": self.region(giver)}

    def _seat_reserve(self, position: int, **fields) -> dict:
        return {"position": position, "region": self.region(fields["region"]), "where": self.where(**fields)}

    def _seat_lost_to_quota(self, winner: str, quota_seats: int) -> dict:
        return {"winner": winner, "quota": self.sentence("part.quota", seats=self.seats(quota_seats))}

    def _seat_below_minimum(self, score: float, minimum: float) -> dict:
        # Two decimals unless they would print the same number for a score below the minimum.
        for digits in range(2, 18):
            shown, least = f"{score:.{digits}f}", f"{minimum:.{digits}f}"
            if shown != least:
                break
        else:
            shown, least = repr(score), repr(minimum)
        mark = self.format["decimal_mark"]
        return {"score": shown.replace(".", mark), "minimum": least.replace(".", mark)}

    def _seat_country_cap(self, country: dict, holders: list, higher: bool, earlier: list, limit: bool) -> dict:
        held = []
        if holders:
            key = "part.holder_one" if len(holders) == 1 else "part.holders"
            held.append(self.sentence(key, n=len(holders), ids=self.items(holders),
                                      higher=self.sentence("part.higher" if len(holders) == 1 else "part.higher_many")
                                      if higher else ""))
        if earlier:
            key = "part.earlier_one" if len(earlier) == 1 else "part.earlier"
            held.append(self.sentence(key, n=len(earlier), ids=self.items(earlier)))
        return {"country": self.country(country), "held": self.sentence("part.and").join(held),
                "limit": self.sentence("part.limit") if limit else ""}

    def _seat_other_cap(self, what: str, group: str, holders: list) -> dict:
        key = "part.selected_none" if not holders else "part.selected_one" if len(holders) == 1 else "part.selected"
        return {"what": what, "group": group, "held": self.sentence(key, n=len(holders), ids=self.items(holders))}

    # Scores: the presence priority, ties, the reviewers' marks.
    def _score_priority(self, bonus: float, country: dict) -> dict:
        priority = getattr(self.call, "presence_priority", None)
        return {"bonus": self.short(bonus), "country": self.country(country), "reference": self.reference(priority)}

    def _score_tied(self, others: list, chain: list) -> dict:
        words = [self.sentence(f"tie.{key}.{order}") for key, order in chain]
        return {"others": self.items(others), "chain": self.format["then"].join(words)}

    def _score_no_marks(self, criteria: list, policy: str) -> dict:
        known = {c.id: c for c in getattr(self.call, "criteria", ())}
        names = [self.localized(known[c], "label") or c if c in known else c for c in criteria]
        scoring = getattr(self.call, "scoring", None)
        return {"criteria": self.items(names), "policy": self.sentence(f"policy.{policy}"),
                "reference": self.reference(scoring)}

    def _score_disagreement(self, value: float, low: float, high: float, above: float) -> dict:
        return {"value": self.number(value, 2), "low": self.short(low), "high": self.short(high),
                "above": self.short(above)}

    # How firm a decision is.
    def _check_stability(self, share: float, samples: int) -> dict:
        return {"share": self.share(share), "samples": self.count(samples)}

    def _check_fragile(self, share: float, samples: int, threshold: float) -> dict:
        return {**self._check_stability(share, samples), "threshold": self.share(threshold),
                "reference": self.reference(getattr(self.call, "stability", None))}

    # Intake and the committee.
    def _intake_possible_duplicate(self, others: list) -> dict:
        return {"others": self.items(others)}

    def _committee_changed(self, status: str, computed: str, **said) -> dict:
        return {**said, "status": self.sentence(f"status.{status}"), "computed": self.sentence(f"status.{computed}")}

    _committee_confirmed = _committee_changed
