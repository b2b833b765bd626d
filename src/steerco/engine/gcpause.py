"""Pausing the cyclic garbage collector around bulk work on a whole plan.

Reading, scheduling, storing or writing a 100,000-task plan allocates millions of small
objects. Each allocation burst makes the collector rescan everything still alive, over and
over: at that size it costs as much as the work itself. Nothing built there forms reference
cycles, so the collector is paused for the duration and resumes (collecting whatever did form
a cycle) afterwards. Nested pauses are fine: only the outermost one resumes it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """`with paused_gc():` or `@paused_gc()`: no cyclic GC runs inside."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
