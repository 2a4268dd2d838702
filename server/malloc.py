"""glibc malloc kept from holding on to freed answers in a web process.

glibc serves a large allocation (over 128 KiB at first) by mmap and gives it back on free, but
each time such a block is freed it raises that threshold (up to 32 MiB) and the heap's trim
threshold with it: after a few large answers, every answer of up to some MiB lives in the heap
and stays there when freed. With the answer cache holding some and letting others go, the web
process grew well past the cache's budget. Fixing both thresholds (mallopt(3): setting one
turns its dynamic adjustment off) keeps large answers in blocks of their own, returned when done;
measured, 12,000 mixed queries grew the web process by 20 MB of PSS instead of 27 MB (README).

Smaller answers the cache let go leave free pages inside the heap, among blocks still in use,
which the trim threshold cannot reach (it trims the heap's top only): `trim()` (malloc_trim(3))
gives those back, and the cache calls it after evicting a quarter of its budget (measured: 12 MB
of the web process's RSS after the benchmark).
"""

import ctypes
import functools
import logging

log = logging.getLogger("zzkg.serve")
M_TRIM_THRESHOLD = -1  # <malloc.h>
M_MMAP_THRESHOLD = -3
THRESHOLD = 128 * 1024  # glibc's own starting value, kept


@functools.cache
def glibc():
    """The C library this process runs on, if it is glibc (has mallopt), else None."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt, libc.malloc_trim  # noqa: B018 (glibc's, missing from musl and others)
    except (OSError, AttributeError, TypeError):
        return None
    return libc


def fix_thresholds() -> bool:
    """Fix glibc's mmap and trim thresholds in this process; False where libc is not glibc."""
    libc = glibc()
    if libc is None:
        log.info("not glibc: malloc thresholds left as they are")
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, THRESHOLD)) and bool(
        libc.mallopt(M_TRIM_THRESHOLD, THRESHOLD)
    )


def trim() -> bool:
    """Give the free pages of every heap of this process back to the system (the GIL released
    meanwhile: ctypes does); False where libc is not glibc, or nothing was given back."""
    libc = glibc()
    return libc is not None and bool(libc.malloc_trim(0))
