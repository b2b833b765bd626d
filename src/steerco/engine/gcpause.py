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


_frozen = False


def freeze_long_lived() -> bool:
    """Move every object alive now into the collector's permanent generation, once per
    process; True if this call did it.

    A server calls it when it has started (modules imported, database engine built): the
    ~150,000 objects of its code (functions, classes, tuples of constants, SQLAlchemy and
    pydantic metadata) then never again go through a full collection. Without it, every
    generation-2 collection walked all of them, 40-140 ms of CPU on the 2-core test machine,
    with the GIL held: every request in flight waited that long, which is what made the
    tail of concurrent edits. Frozen objects are still freed when their last reference
    goes; only a reference cycle among them would stay (they are module-level state, alive
    for the whole process anyway)."""
    global _frozen
    if _frozen:
        return False
    _frozen = True
    gc.collect()
    gc.freeze()
    return True


def refreeze() -> None:
    """Collect, then freeze everything alive: for a large structure just built to be kept,
    such as a cached 10,000-task plan (about 150,000 objects, which every later full
    collection would walk: about 70 ms). Everything frozen before is unfrozen first and
    collected with the rest, so no garbage cycle stays frozen; a frozen object is still
    freed when its last reference goes (a dropped cache entry, which has no cycles).
    One full collection now, by the thread that built the structure."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
