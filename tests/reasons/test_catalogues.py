"""Reasons come from catalogues: every key the code writes is in every language, and a new
language is one new file."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from dtc_select.reasons import catalogue
from dtc_select.reasons.model import decode, encode
from dtc_select.reasons.render import Renderer
from tests.reasons.samples import SAMPLES

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "dtc_select"
CATALOGUES = PACKAGE / "reasons" / "catalogue"


def _keys_written_by_the_code() -> set[str]:
    """Every key given as text to reason(...), Reason(...) or a renderer's sentence(...)."""
    keys = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ("reason", "Reason", "sentence") and isinstance(node.args[0].value, str):
                    keys.add(node.args[0].value)
    return keys


def _reason_keys(written: set[str]) -> set[str]:
    return {k for k in written if not k.startswith(("fact.", "lead.", "part."))}


def _paths(tree, prefix=()) -> set[tuple]:
    if isinstance(tree, dict):
        return set().union(*(_paths(v, prefix + (str(k),)) for k, v in tree.items())) if tree else {prefix}
    return {prefix}


def test_the_package_ships_an_english_and_a_french_catalogue():
    assert {"en", "fr"} <= set(catalogue.languages())


@pytest.mark.parametrize("lang", catalogue.languages())
def test_every_key_the_code_writes_has_a_sentence_in_every_catalogue(lang):
    sentences = catalogue.load(lang)["reason"]
    assert not sorted(_keys_written_by_the_code() - set(sentences))


@pytest.mark.parametrize("lang", [lang for lang in catalogue.languages() if lang != "en"])
def test_every_catalogue_has_exactly_the_english_catalogues_entries(lang):
    """The same sentences, labels and formats; how ordinals are made is each language's own."""
    ours, english = catalogue.load(lang), catalogue.load("en")
    for section in ("field", "wants", "reason"):
        assert _paths(ours[section]) == _paths(english[section]), section
    assert set(ours["format"]) == set(english["format"])
    assert _paths(ours["format"]["region"]) == _paths(english["format"]["region"])


def test_the_examples_cover_every_reason_the_code_writes():
    assert set(SAMPLES) == _reason_keys(_keys_written_by_the_code())


def _capitals(value):
    """A catalogue text in capitals, its {fields} left as they are (a test-only language)."""
    if isinstance(value, dict):
        return {k: _capitals(v) for k, v in value.items()}
    parts = re.split(r"(\{[^}]*\})", str(value))
    return "".join(p if p.startswith("{") else p.upper() for p in parts)


@pytest.fixture(scope="module")
def shouting(tmp_path_factory):
    """A third language, dropped in as one file: English in capitals, formats kept."""
    folder = tmp_path_factory.mktemp("catalogues")
    english = yaml.safe_load((CATALOGUES / "en.yaml").read_text(encoding="utf-8"))
    english = {**_capitals(english), "format": {**english["format"], **_capitals(
        {k: english["format"][k] for k in ("yes", "no", "months", "region", "ordinal", "then")})}}
    (folder / "xx.yaml").write_text(yaml.safe_dump(english, allow_unicode=True), encoding="utf-8")
    return folder


_REFERENCE = SimpleNamespace(reference="ANNEX §3")
CALL = SimpleNamespace(rules=[SimpleNamespace(id=rule_id, fails_as="FAILS", description="NEEDS.",
                                              reference="ANNEX §2")
                              for rule_id in ("non_profit", "host_country")],
                       criteria=[SimpleNamespace(id=c, label=c.upper()) for c in ("reputation", "innovation")],
                       scoring=_REFERENCE, presence_priority=_REFERENCE, stability=_REFERENCE)


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_a_language_dropped_in_as_one_file_says_every_reason_in_its_own_words(shouting, key):
    assert "xx" in catalogue.languages(shouting)
    text = Renderer("xx", CALL, folder=shouting).render(SAMPLES[key])
    assert text and not re.search("[a-z]", text), text


@pytest.mark.parametrize("lang", catalogue.languages())
@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_every_reason_reads_in_every_shipped_language_without_a_field_left_unfilled(call, lang, key):
    text = Renderer(lang, call).render(SAMPLES[key])
    assert text and "{" not in text and "}" not in text


def test_a_rows_reasons_come_back_the_same_from_their_json():
    reasons = list(SAMPLES.values())
    assert decode(encode(reasons)) == reasons
    assert decode("") == []


@pytest.mark.parametrize("lang", catalogue.languages())
def test_a_call_files_semicolon_stays_inside_its_sentence_in_every_language(lang):
    rule = SimpleNamespace(id="non_profit", fails_as="not non-profit; nor public", description="Non-profit.",
                           reference="Annex §2; criterion 1")
    call = SimpleNamespace(rules=[rule], criteria=[])
    [text] = Renderer(lang, call).parts([SAMPLES["rule.failed"]])
    assert "not non-profit; nor public" in text and "[Annex §2; criterion 1]" in text
