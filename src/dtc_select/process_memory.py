"""Freed memory given back to the system while a run goes on (Linux with glibc; elsewhere nothing).

A run of 100,000 applicants builds and drops many arrays of a few to a few tens of MiB (a column
of 2.4 million score rows is 19 MiB). glibc's allocator hands blocks over 128 KiB out by `mmap`
and back to the system when freed, but after the first such block is freed it raises that
threshold up to 32 MiB ("dynamic mmap threshold"): later arrays of that size come from the heap,
and the heap keeps what is freed inside it. The process's resident memory then stays near its
highest mark and grows with each stage (790 MiB held after the scores intake at 100,000, of which
about 480 MiB live). A threshold fixed at 4 MiB returns every large array (a column of 500,000
rows or more) to the system when it is freed and keeps small ones in the heap, where reusing them
costs nothing: the 100,000-applicant command's peak 1,113 -> 1,077 MiB, its time the same within
the noise. Fixed at glibc's 128 KiB the peak is 1,043 MiB, but every mid-sized array then costs a
system call and fresh pages: the run took 5-8 % longer (bench/RESULTS.md, 2026-12-02).

And a library imported in the middle of a stage must not keep that stage's tables alive: see
`import_apart`.

Python's cycle collector, by default, looks at the young objects every 700 new containers and at
every object every 70,000 or so. A run makes millions of small dicts and lists (its imports, the
reasons, the report's views) and almost no cycles, so those passes free next to nothing: 0.3 s of
a 300-applicant command's 2.4 s of CPU, 0.5 s of 5 s at 10,000. Every 10,000 new containers (and
each older generation ten times rarer, as before) the command spent 0.2 s less at 300 applicants
and 1.2 s less at 100,000, its peak memory the same (1,068 MiB either way).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import importlib
import sys
from threading import Thread
from types import ModuleType

M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
THRESHOLD_BYTES = 4 * 2**20  # see above: large arrays only
YOUNG_OBJECTS_BETWEEN_COLLECTIONS = 10_000  # see above; Python's default is 700


def return_freed_memory() -> bool:
    """Fix glibc's mmap threshold for this process (whether it was set). Never raises: on another
    C library or system the run goes on as before."""
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))


def give_back_freed_memory() -> None:
    """Return the free pages inside the heap to the system (glibc's malloc_trim; elsewhere nothing).

    The heap only shrinks from its top by itself: what a stage freed below its last live block
    (its many small arrays and strings) stays counted in the process's memory until this is
    called. Called between a run's stages and before its report and files are written: 80 MiB
    less held after the stages at 100,000 applicants, for a few milliseconds."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def _glibc():
    """The C library when it is glibc (it has mallopt and malloc_trim: musl and others do not),
    looked for once; else None."""
    global _LIBC
    if _LIBC is False:
        _LIBC = None
        if sys.platform.startswith("linux"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                _LIBC = libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
            except OSError:
                _LIBC = None
    return _LIBC


_LIBC = False  # not looked for yet


def import_apart(*names: str) -> list[ModuleType]:
    """The modules `names`, imported (the first time) from a thread of their own.

    scikit-criteria keeps the frame of each of its modules' bodies (a context manager that hides
    names, `skcriteria.utils.cmanagers`), and pulp, which it imports, keeps the ImportError of
    each solver it cannot load with its traceback. A frame holds its caller, and that caller its
    own: imported from inside a stage, they would keep every frame down to the run's, with the
    tables in their variables, until the process ends (about 480 MiB at 100,000 applicants, held
    through the report and the writing). A thread's frames end at the thread: nothing of the run."""
    missing = [name for name in names if name not in sys.modules]
    if missing:
        failures: list[BaseException] = []

        def load() -> None:
            try:
                for name in missing:
                    importlib.import_module(name)
            except BaseException as failure:  # raised again in the caller's thread
                failures.append(failure)

        loader = Thread(target=load, name="import " + ", ".join(missing))
        loader.start()
        loader.join()
        if failures:
            raise failures[0]
    return [sys.modules[name] for name in names]


def collect_cycles_less_often() -> None:
    """Python's cycle collector for this process: its youngest generation collected every
    YOUNG_OBJECTS_BETWEEN_COLLECTIONS new containers, the older ones as often relative to it as
    before (see above)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_BETWEEN_COLLECTIONS, middle, old)
