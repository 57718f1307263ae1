"""scikit-criteria, imported without the libraries it imports at its top for what a run never calls.

Importing any part of scikit-criteria imports its plots (seaborn, and matplotlib through it:
about 0.3 s of CPU, a fifth of the bare imports a small call is measured against), its dominance
graphs (networkx) and scikit-learn (0.1 s, for scalers we do not use: VectorScaler, the one we
use, is numpy). `skcriteria_parts()` leaves a stand-in for each of those in sys.modules before it
imports scikit-criteria. A stand-in imports the real module the first time anything reads from
it (a plot, `sklearn.__version__`), which then replaces it in sys.modules: nothing changes for
a caller but when the import happens.

A stand-in carries its package's __path__, so that `from sklearn import preprocessing` (in
scikit-criteria's scalers) finds `preprocessing`, a stand-in set on it, without importing. Any
other import of a module under a stand-in (`import seaborn.palettes`) meets `_RealPackageFirst`
at the head of sys.meta_path: it imports the real package first (its own __init__ may import that
very module, which is then taken as imported, never run twice), then lets Python find the rest.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types

from dtc_select.process_memory import import_apart

DEFERRED = ("seaborn", "networkx", "sklearn.preprocessing")
# scikit-criteria's modules the methods use, imported together on the first ranking.
PARTS = ("skcriteria", "skcriteria.agg.simple", "skcriteria.agg.topsis", "skcriteria.agg.vikor",
         "skcriteria.preprocessing.scalers")
_TOPS = frozenset(name.partition(".")[0] for name in DEFERRED)


class ImportedOnFirstUse(types.ModuleType):
    """A module's stand-in in sys.modules until an attribute of it is read: it then imports the
    real module (and its package), which replace the stand-ins there, and answers from it."""

    def __getattr__(self, attribute: str):
        real = self.__dict__.get("_real_module") or _real(self.__name__)
        self.__dict__["_real_module"] = real  # what still holds the stand-in reads the real module at once
        return getattr(real, attribute)


class _RealPackageFirst(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports under a stand-in package: the real package first (see the module's docstring)."""

    def __init__(self):
        self._imported: dict[str, types.ModuleType] = {}

    def find_spec(self, fullname, path=None, target=None):  # noqa: D102 (importlib's hook)
        top, parent = fullname.partition(".")[0], fullname.rpartition(".")[0]
        if target is not None or top == fullname or top not in _TOPS:  # target: a reload, never ours
            return None
        if any(isinstance(sys.modules.get(name), ImportedOnFirstUse) for name in (top, parent)):
            _real(parent)
        found = sys.modules.get(fullname)
        if found is not None and not isinstance(found, ImportedOnFirstUse):  # its package's __init__ imported it
            # Out of sys.modules until create_module gives it back: Python would otherwise run
            # it again from its own spec ("the parent import may have already imported this").
            self._imported[fullname] = sys.modules.pop(fullname)
            return importlib.machinery.ModuleSpec(fullname, self)
        return None  # Python's own finders, with the real package imported

    def create_module(self, spec):  # noqa: D102 (importlib's hook: the module imported already)
        return self._imported.pop(spec.name)

    def exec_module(self, module):  # noqa: D102 (run once already, by its package)
        pass


def skcriteria_parts() -> list[types.ModuleType]:
    """The modules of scikit-criteria PARTS names, imported on first use with the stand-ins above
    for what a run never calls (none for a module imported already); from a thread of their own
    (process_memory.import_apart), so that the frames they keep do not keep a stage's tables alive."""
    if "skcriteria" not in sys.modules:
        if not any(isinstance(finder, _RealPackageFirst) for finder in sys.meta_path):
            sys.meta_path.insert(0, _RealPackageFirst())
        for dotted in DEFERRED:
            _stand_in(dotted)
    return import_apart(*PARTS)


def _stand_in(dotted: str) -> None:
    top, *below = dotted.split(".")
    spec = None if top in sys.modules else importlib.util.find_spec(top)  # finding a top module imports nothing
    if spec is None:
        return
    parent = sys.modules[top] = ImportedOnFirstUse(top)
    # Its __path__ read without importing: `from sklearn import preprocessing` asks for it.
    parent.__spec__, parent.__path__ = spec, spec.submodule_search_locations
    for child in below:
        name = f"{parent.__name__}.{child}"
        stand_in = sys.modules[name] = ImportedOnFirstUse(name)
        setattr(parent, child, stand_in)
        parent = stand_in


def _real(name: str) -> types.ModuleType:
    """The real module `name`, every stand-in of its top package out of sys.modules first."""
    top = name.partition(".")[0]
    for key in [k for k, m in list(sys.modules.items())
                if (k == top or k.startswith(f"{top}.")) and isinstance(m, ImportedOnFirstUse)]:
        del sys.modules[key]
    return importlib.import_module(name)
