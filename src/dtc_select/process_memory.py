"""Freed memory given back to the system while a run goes on (Linux with glibc; elsewhere nothing).

A run of 100,000 applicants builds and drops many arrays of a few to a few tens of MiB (a column
of 2.4 million score rows is 19 MiB). glibc's allocator hands blocks over 128 KiB out by `mmap`
and back to the system when freed, but after the first such block is freed it raises that
threshold up to 32 MiB ("dynamic mmap threshold"): later arrays of that size come from the heap,
and the heap keeps what is freed inside it. The process's resident memory then stays near its
highest mark and grows with each stage (896 MiB held after the scores intake at 100,000, of which
about 480 MiB live). Keeping the threshold fixed at its default of 128 KiB returns each large
array to the system when it is freed: the same run's peak falls by about a tenth, the time is the
same within the noise (bench/RESULTS.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h
THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value


def return_freed_memory() -> bool:
    """Fix glibc's mmap threshold for this process (whether it was set). Never raises: on another
    C library or system the run goes on as before."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
