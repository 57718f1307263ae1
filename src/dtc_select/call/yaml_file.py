"""A call file's YAML, read safely: bounded in size, depth and aliases, every duplicate key noted.

`read_call_yaml` returns the document (plain dicts, lists, strings, numbers, dates) and the
problems found while reading it that do not stop the reading (a key written twice in one mapping:
YAML would silently keep the last). A problem that does stop it (the file cannot be read, is not
UTF-8, is not valid YAML, is too large, too deep, or its aliases stand for too many values) is
raised as one `CallFileError`.

Why the bounds (values in `limits.py`):
- depth: the YAML composer and the model's checks recurse once per level; 10,000 nested lists
  would exhaust Python's stack (an "internal error" instead of a line about the file);
- aliases: `*name` reuses the value anchored `&name` without copying it, so a few lines can stand
  for billions of values ("billion laughs"); the checks that follow would walk every one of them.
  Each value's size and depth are measured as it is composed, aliases counted in full, so the
  file is refused before anything walks it;
- a scalar YAML cannot turn into a value (a 5,000-digit integer, the date 2019-02-30) stays text,
  so the model names the key it is under instead of the reader failing on it.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from dtc_select.call.limits import MAX_CALL_FILE_BYTES, MAX_YAML_DEPTH, MAX_YAML_VALUES
from dtc_select.errors import CallFileError

Problem = tuple[str, str]  # (where: a key path or "line N", what is wrong)


class OutOfBounds(ComposerError):
    """The YAML is valid but beyond a bound of `limits.py`."""


class CallFileLoader(yaml.SafeLoader):
    """PyYAML's safe loader, bounded (depth, values once aliases are written out), and noting
    a duplicate key instead of keeping its last value silently."""

    stop_at_duplicate = False

    def __init__(self, stream: str):
        super().__init__(stream)
        self.duplicates: list[Problem] = []
        self._depth = 0
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth), aliases expanded

    def compose_node(self, parent, index):  # noqa: D102 (PyYAML's hook, one call per value)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = super().compose_node(parent, index)
            if id(node) not in self._measured:  # its anchor is still being composed: a loop
                raise OutOfBounds(None, None, f"the alias *{event.anchor} is used inside the value it "
                                                f"names (a loop): write the value out", event.start_mark)
            return node
        start = self.peek_event().start_mark
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise OutOfBounds(None, None, f"values are nested more than {MAX_YAML_DEPTH} levels deep", start)
        node = super().compose_node(parent, index)
        self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        sizes = [self._measured[id(child)] for child in children]
        values = 1 + sum(size for size, _ in sizes)
        depth = 1 + max((deep for _, deep in sizes), default=0)
        if values > MAX_YAML_VALUES:
            raise OutOfBounds(None, None, f"this value stands for more than {MAX_YAML_VALUES:,} values once its "
                                            f"aliases (*name) are written out: write the values out or use fewer "
                                            f"aliases", start)
        if depth > MAX_YAML_DEPTH:
            raise OutOfBounds(None, None, f"values are nested more than {MAX_YAML_DEPTH} levels deep once "
                                            f"aliases (*name) are written out", start)
        self._measured[id(node)] = (values, depth)
        return node


class UniqueKeyLoader(CallFileLoader):
    """The same bounds; a duplicate key stops the reading (a YAMLError at its line). For
    `yaml.load(text, Loader=UniqueKeyLoader)`, as the monitoring programme file is read."""

    stop_at_duplicate = True


def _construct_mapping(loader: CallFileLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):
            raise ConstructorError(None, None, "a key is a list or mapping: keys are names", key_node.start_mark)
        if key in mapping and loader.stop_at_duplicate:
            raise ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        if key in mapping:
            loader.duplicates.append((f"line {key_node.start_mark.line + 1}",
                                      f"duplicate key {key!r}: it is written twice in the same mapping; keep one"))
            continue
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


def _as_text_when_invalid(construct):
    """A scalar constructor that leaves a value Python cannot hold (year 0, 2019-02-30, an integer
    of 5,000 digits) as its text: the model then refuses it under its own key."""

    def constructor(loader: CallFileLoader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return str(node.value)

    return constructor


CallFileLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
for _tag, _construct in (("int", yaml.SafeLoader.construct_yaml_int),
                         ("float", yaml.SafeLoader.construct_yaml_float),
                         ("timestamp", yaml.SafeLoader.construct_yaml_timestamp)):
    CallFileLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _as_text_when_invalid(_construct))


def read_call_yaml(path: Path) -> tuple[Any, bytes, list[Problem]]:
    """(the document, the file's bytes, the duplicate keys found). Raises CallFileError when the
    file cannot be read as a bounded YAML document."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise CallFileError(path, "", "is not a regular file: give the call file itself")
        if size > MAX_CALL_FILE_BYTES:
            raise CallFileError(path, "", f"is {size:,} bytes: a call file holds at most "
                                          f"{MAX_CALL_FILE_BYTES:,} (is this the right file?)")
        data = path.read_bytes()
    except OSError as exc:
        raise CallFileError(path, "", f"cannot read the call file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CallFileError(path, "", "the call file is not UTF-8 text") from None
    loader = CallFileLoader(text)
    try:
        document = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if not isinstance(exc, OutOfBounds):
            problem = f"not valid YAML: {problem}"
        raise CallFileError(path, where, problem) from None
    finally:
        loader.dispose()
    return document, data, loader.duplicates
