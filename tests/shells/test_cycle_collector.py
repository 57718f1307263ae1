"""The command's cycle collector runs every 10,000 new containers (process_memory.py)."""

from __future__ import annotations

import gc

import pytest

from dtc_select import cli
from dtc_select.process_memory import YOUNG_OBJECTS_BETWEEN_COLLECTIONS


def test_the_command_collects_cycles_every_ten_thousand_new_containers_and_older_ones_as_rarely_as_before():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        with pytest.raises(SystemExit):  # --version: the command's settings are made before any option is read
            cli.main(["--version"])
        assert gc.get_threshold() == (YOUNG_OBJECTS_BETWEEN_COLLECTIONS, 10, 10) == (10_000, 10, 10)
    finally:
        gc.set_threshold(*before)
