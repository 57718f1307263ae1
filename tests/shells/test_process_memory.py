"""A library imported in the middle of a run keeps none of the run's data alive (process_memory)."""

from __future__ import annotations

import gc
import importlib
import sys
import weakref

import pytest

from dtc_select.process_memory import import_apart

# A module that keeps the frame of its own body, as scikit-criteria's modules do: that frame's
# caller, and its caller's, stay alive with it.
KEEPS_ITS_FRAME = "import sys\nKEPT = sys._getframe()\n"


class Table:
    """Stands for a stage's tables: only its liveness matters."""


def _import_inside_a_stage(importer, name: str) -> weakref.ref:
    table = Table()
    importer(name)
    return weakref.ref(table)


@pytest.fixture
def module_keeping_its_frame(tmp_path, monkeypatch):
    def make(name: str) -> str:
        (tmp_path / f"{name}.py").write_text(KEEPS_ITS_FRAME)
        return name

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for name in [n for n in sys.modules if n.startswith("kept_frame_")]:
        del sys.modules[name]


def test_a_module_that_keeps_its_frame_keeps_the_importers_data_when_imported_in_place(module_keeping_its_frame):
    table = _import_inside_a_stage(importlib.import_module, module_keeping_its_frame("kept_frame_in_place"))
    gc.collect()
    assert table() is not None  # what import_apart is for


def test_a_module_imported_apart_keeps_none_of_the_importers_data(module_keeping_its_frame):
    table = _import_inside_a_stage(import_apart, module_keeping_its_frame("kept_frame_apart"))
    gc.collect()
    assert table() is None
    assert "kept_frame_apart" in sys.modules


def test_a_module_imported_apart_is_the_module_itself(module_keeping_its_frame):
    name = module_keeping_its_frame("kept_frame_same")
    (module,) = import_apart(name)
    assert module is sys.modules[name] and import_apart(name) == [module]


def test_a_module_that_cannot_be_imported_apart_raises_in_the_caller():
    with pytest.raises(ModuleNotFoundError, match="no_such_module_here"):
        import_apart("no_such_module_here")
