"""The genetic search in C (`native_ga.c`), when it has been built: the same search as
`ga.py`, plus restarts, some thirty times as many schedules per second.

`make` builds `_native_ga.so` beside the source (`scripts/build-native.sh`); nothing here
compiles. Without the library (no C compiler on the machine, or `pip install` without
`make`) `available()` is False and `solve.py` runs the pure-Python `ga.evolve`: the same
plans are valid either way, only fewer schedules fit in the time limit. A library built from
another version of the source is refused (it could read its arguments differently).
"""

from __future__ import annotations

import ctypes
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

from steerco.engine.rcpsp.heuristics import Candidate, candidate
from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.sgs import is_valid, list_from_keys

LIBRARY = Path(__file__).with_name("_native_ga.so")
VERSION = 2  # STEERCO_GA_VERSION in native_ga.c
_INT_MAX = (1 << 31) - 1
#: Profile cells (periods x resources) the C search may allocate: 64 MB of ints.
MAX_CELLS = 16_000_000

_Ints = ctypes.POINTER(ctypes.c_int)


@cache
def _library() -> ctypes.CDLL | None:
    if not LIBRARY.is_file():
        return None
    try:
        lib = ctypes.CDLL(str(LIBRARY))
        lib.steerco_ga_version.restype = ctypes.c_int
        if lib.steerco_ga_version() != VERSION:
            return None
    except (OSError, AttributeError):
        return None
    lib.steerco_ga.restype = ctypes.c_int
    lib.steerco_ga.argtypes = [
        ctypes.c_int, ctypes.c_int,  # n, m
        *[_Ints] * 11,  # dur, rel, lsmax, es, lft, uo, ur, uq, cap, po, pk
        _Ints, _Ints, _Ints, _Ints,  # pd, so, sk, sd
        ctypes.POINTER(ctypes.c_ubyte),  # fixed
        ctypes.c_int, ctypes.c_int, _Ints,  # horizon, nseeds, seeds
        ctypes.c_int, ctypes.c_long, ctypes.c_int,  # pop, budget, bound
        ctypes.c_uint64, ctypes.c_int, ctypes.c_double,  # seed, stall, wall seconds
        _Ints, ctypes.POINTER(ctypes.c_long),  # best starts, decodes used
    ]  # fmt: skip
    return lib


def available() -> bool:
    return _library() is not None


def _ints(values: list[int]) -> ctypes.Array[ctypes.c_int]:
    return (ctypes.c_int * max(1, len(values)))(*values)


def _clamp(v: int) -> int:
    return max(-_INT_MAX, min(_INT_MAX, v))


def horizon(net: Network, fixed: list[int]) -> int:
    """Periods enough for any serial decoding: past every release and fixed activity, all
    durations and positive lags end to end."""
    start = max([0, *net.release], default=0)
    start = max([start, *(net.es[j] + net.dur[j] for j in fixed)])
    lags = sum(max(0, d) for arcs in net.succ for _, d in arcs)
    return start + sum(net.dur) + lags + 1


def evolve_native(
    net: Network,
    seeds: list[Candidate],
    rng: np.random.Generator,
    *,
    schedules: int,
    fixed: list[int],
    wall_seconds: float,
    population: int = 60,
    stall: int = 40,
    bound: int = 0,
    threads: int = 1,
) -> tuple[Candidate, int] | None:
    """`ga.evolve` in C: the best plan after about `schedules` decoded schedules, and how
    many were used; None when the library is missing or the plan is too big for it.

    With `threads` > 1, that many searches from different seeds run at once (each with the
    whole count), and the best plan wins: on a 2-core machine twice the work in the same
    time. Still reproducible: each search is, and ties go to the first."""
    lib = _library()
    n = net.n
    size = horizon(net, fixed)
    if lib is None or n < 2 or size > _INT_MAX or size * max(1, net.m) > MAX_CELLS:
        return None
    uo, ur, uq, po, pk, pd, so, sk, sd = [0], [], [], [0], [], [], [0], [], []
    for j in range(n):
        for r, q in net.uses[j] if net.dur[j] > 0 else ():
            ur.append(r)
            uq.append(q)
        uo.append(len(ur))
        for k, d in net.pred[j]:
            pk.append(k)
            pd.append(d)
        po.append(len(pk))
        for k, d in net.succ[j]:
            sk.append(k)
            sd.append(d)
        so.append(len(sk))
    lft = [_clamp(size - t) for t in net.tail]
    orders: list[int] = []
    for c in sorted(seeds, key=lambda c: c.rank)[:population]:
        orders += list_from_keys(net, [(float(s), float(j)) for j, s in enumerate(c.starts)])
    is_fixed = bytearray(n)
    for j in fixed:
        is_fixed[j] = 1
    # Read-only for the C code, so every thread shares them.
    shared = (
        n, net.m, _ints(net.dur), _ints([_clamp(r) for r in net.release]),
        _ints([_clamp(b) for b in net.lsmax]), _ints(net.es), _ints(lft),
        _ints(uo), _ints(ur), _ints(uq), _ints([int(c) for c in net.cap]),
        _ints(po), _ints(pk), _ints(pd), _ints(so), _ints(sk), _ints(sd),
        (ctypes.c_ubyte * n).from_buffer(is_fixed), size, len(orders) // n, _ints(orders),
        population, schedules, bound,
    )  # fmt: skip

    def search(seed: int) -> tuple[int, list[int], int]:
        best, used = _ints([0] * n), ctypes.c_long()
        makespan = lib.steerco_ga(*shared, seed, stall, wall_seconds, best, ctypes.byref(used))
        return makespan, list(best), used.value

    seeds_c = [int(rng.integers(1 << 63)) for _ in range(max(1, threads))]
    if len(seeds_c) == 1:
        runs = [search(seeds_c[0])]
    else:
        # ctypes lets go of the GIL during the call: the searches run side by side.
        with ThreadPoolExecutor(len(seeds_c)) as pool:
            runs = list(pool.map(search, seeds_c))
    plans = [candidate(net, starts, "genetic") for makespan, starts, _ in runs if makespan >= 0]
    # A plan that breaks a latest start is infeasible whatever else it breaks, as one from
    # ga.py would be; a feasible one must pass the same final check as every other plan.
    plans = [c for c in plans if not c.feasible or is_valid(net, c.starts)]
    if not plans:
        return None
    return min(plans, key=lambda c: c.rank), sum(used for _, _, used in runs)  # first wins ties
