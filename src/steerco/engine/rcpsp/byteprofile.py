"""The serial SGS decoders on a profile of one `bytearray` per resource, searched in C.

The serial SGS spends nearly all its time asking "where is the first (or last) window of `d`
periods with at least `q` units free on each resource this activity uses?". With the free
units of a resource as bytes, `row.translate(AT_LEAST[q])` marks every period with room by
`\\x01` in one C pass, and `find`/`rfind` of `d` such bytes answers the question for that
resource. For several resources the 0/1 marks are read as integers and ANDed (one C
operation each), so one search finds the first period with room on all of them. Placing an
activity is a `translate` of the slice it covers. On PSPLIB this makes a schedule two to four
times cheaper than the list profile of `sgs.Profile`, with the same starts period for period.

Only capacities up to 255 fit in a byte; `sgs.forward`/`backward` keep the list profile for
plans with larger ones.
"""

# The decoder loops compare with `if` rather than call min()/max(): a call per comparison
# costs about a tenth of the loop here.
# ruff: noqa: PLR1730

from __future__ import annotations

from collections.abc import Sequence

from steerco.engine.rcpsp.network import Network

MAX_CAPACITY = 255

# AT_LEAST[q] maps a free amount to 1 when it is >= q; MINUS[q] subtracts q (never below 0:
# the decoders only place where there is room, so the floor is never reached by them).
AT_LEAST = [b"\x00" * q + b"\x01" * (256 - q) for q in range(MAX_CAPACITY + 1)]
MINUS = [b"\x00" * q + bytes(range(256 - q)) for q in range(MAX_CAPACITY + 1)]
_RUN_CACHE: dict[int, bytes] = {}


def _run(d: int) -> bytes:
    run = _RUN_CACHE.get(d)
    if run is None:
        run = _RUN_CACHE[d] = b"\x01" * d
    return run


def decode_forward(net: Network, order: Sequence[int], fixed: Sequence[int]) -> list[int]:
    """`sgs.forward` with the profile inlined (this loop is most of the heuristics' time).

    Beyond the latest finish placed so far every resource is free, so the search for an
    activity stops `d` periods past it and always succeeds: no growing inside a search.
    """
    dur, pred, uses, release = net.dur, net.pred, net.uses, net.release
    starts = [0] * net.n
    cap = net.cap.tolist()
    size = max(2 * net.lower_bound, 16)
    rows = [bytearray([c]) * size for c in cap]
    end = 0
    for j in fixed:
        starts[j] = t = net.es[j]
        d = dur[j]
        if d and uses[j]:
            if t + d > size:
                size = _grow(rows, cap, size, t + d)
            for r, q in uses[j]:
                row = rows[r]
                row[t : t + d] = row[t : t + d].translate(MINUS[q])
            end = max(end, t + d)
    is_fixed = set(fixed)
    runs = _RUNS
    from_bytes = int.from_bytes
    for j in order:
        if j in is_fixed:
            continue
        e = release[j]
        for i, delta in pred[j]:
            v = starts[i] + delta
            if v > e:
                e = v
        if e < 0:
            e = 0
        d = dur[j]
        u = uses[j]
        if not d or not u:
            starts[j] = e
            continue
        hi = (end if end > e else e) + d
        if hi > size:
            size = _grow(rows, cap, size, hi)
        run = runs[d] if d < len(runs) else _run(d)
        if len(u) == 1:
            r, q = u[0]
            t = e + rows[r][e:hi].translate(AT_LEAST[q]).find(run)
        else:
            # Periods with room on every resource: the 0/1 marks ANDed as one integer each.
            both = -1
            for r, q in u:
                both &= from_bytes(rows[r][e:hi].translate(AT_LEAST[q]), "little")
            t = e + both.to_bytes(hi - e, "little").find(run)
        starts[j] = t
        f = t + d
        for r, q in u:
            row = rows[r]
            row[t:f] = row[t:f].translate(MINUS[q])
        if f > end:
            end = f
    return starts


def decode_backward(
    net: Network, order: Sequence[int], horizon: int, fixed: Sequence[int]
) -> list[int] | None:
    """`sgs.backward` with the profile inlined; None when some activity would start too early.

    Before the earliest start placed so far every resource is free, so a search reaches at
    most `d` periods below it.
    """
    dur, succ, uses, release, lsmax = net.dur, net.succ, net.uses, net.release, net.lsmax
    starts = [0] * net.n
    cap = net.cap.tolist()
    size = max(horizon, 2 * net.lower_bound, 16)
    rows = [bytearray([c]) * size for c in cap]
    low = size
    for j in fixed:
        starts[j] = t = net.es[j]
        d = dur[j]
        if d and uses[j]:
            if t + d > size:
                size = _grow(rows, cap, size, t + d)
            for r, q in uses[j]:
                row = rows[r]
                row[t : t + d] = row[t : t + d].translate(MINUS[q])
            low = min(low, t)
    is_fixed = set(fixed)
    runs = _RUNS
    from_bytes = int.from_bytes
    for j in order:
        if j in is_fixed:
            continue
        d = dur[j]
        late = horizon - d
        if lsmax[j] < late:
            late = lsmax[j]
        for k, delta in succ[j]:
            v = starts[k] - delta
            if v < late:
                late = v
        lo = release[j]
        u = uses[j]
        if not d or not u:
            if late < lo:
                return None
            starts[j] = late
            continue
        if lo < 0:
            lo = 0
        if late < lo:
            return None
        hi = late + d
        if hi > size:
            size = _grow(rows, cap, size, hi)
        base = (low if low < late else late) - d
        if base < lo:
            base = lo
        run = runs[d] if d < len(runs) else _run(d)
        if len(u) == 1:
            r, q = u[0]
            x = rows[r][base:hi].translate(AT_LEAST[q]).rfind(run)
            if x < 0:
                return None
            t = base + x
        else:
            both = -1
            for r, q in u:
                both &= from_bytes(rows[r][base:hi].translate(AT_LEAST[q]), "little")
            x = both.to_bytes(hi - base, "little").rfind(run)
            if x < 0:
                return None
            t = base + x
        starts[j] = t
        f = t + d
        for r, q in u:
            row = rows[r]
            row[t:f] = row[t:f].translate(MINUS[q])
        if t < low:
            low = t
    return starts


def _grow(rows: list[bytearray], cap: Sequence[int], size: int, end: int) -> int:
    new = max(end, 2 * size)
    for row, c in zip(rows, cap, strict=True):
        row.extend(bytes([c]) * (new - size))
    return new


_RUNS = [b"\x01" * d for d in range(64)]
