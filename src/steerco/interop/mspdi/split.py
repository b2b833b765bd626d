"""How the reader and writer hand a run of independent rows to someone else to share out.

Reading or writing 100,000 task rows is a loop whose iterations do not depend on each other.
The MSPDI code stays pure: it describes the work (`work(a, b)` does rows a..b-1 and returns
their results as a list; `pack`/`unpack` turn a list of results into bytes and back) and a
`Split` decides who does which rows. `serial` does them all here; the file path of
`steerco schedule` passes one that forks (`cli/forked.py`). Whatever the split, the results
must be exactly those of `work(0, n)`: `work` may only depend on its arguments and on state
that does not change its results (memos), and it stops early rather than raise (see the
reader), so a row that fails is redone here, in order, and fails the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Split(Protocol):
    def __call__(
        self,
        n: int,
        work: Callable[[int, int], list[T]],
        pack: Callable[[list[T]], bytes],
        unpack: Callable[[bytes], list[T]],
        share: float,
    ) -> list[T]:
        """`work(0, n)`, possibly computed in parts; `share` is the part a caller would keep
        for itself (its own rows cost it no pack and unpack)."""
        ...


def serial(
    n: int,
    work: Callable[[int, int], list[T]],
    pack: Callable[[list[T]], bytes],
    unpack: Callable[[bytes], list[T]],
    share: float,
) -> list[T]:
    return work(0, n)
