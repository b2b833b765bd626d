"""The C search (native_ga.c) built with AddressSanitizer and UndefinedBehaviorSanitizer,
run on a few hundred random problems with every kind of link, releases, deadlines and
pinned activities: no out-of-bounds access, no use of freed memory, no undefined behaviour.

It runs in a child process, because the sanitizer runtime must be loaded first
(`LD_PRELOAD`). Skipped where there is no C compiler or no sanitizer runtime."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[3] / "src/steerco/engine/rcpsp/native_ga.c"

SCRIPT = textwrap.dedent(
    """
    import random, sys
    import numpy as np
    from steerco.engine.rcpsp import LinkType, ProblemBuilder, native
    from steerco.engine.rcpsp.heuristics import run_heuristics
    from steerco.engine.rcpsp.model import NEVER_DELAY
    from steerco.engine.rcpsp.network import compile_network
    from steerco.engine.rcpsp.sgs import fixed_activities, is_valid
    from steerco.domain import ValidationError

    native.LIBRARY = native.Path(sys.argv[1])
    native._library.cache_clear()
    assert native.available(), "the sanitized library did not load"
    rnd = random.Random(7)
    searched = 0
    for case in range(300):
        b = ProblemBuilder()
        m = rnd.randint(1, 3)
        caps = [rnd.randint(1, 4) for _ in range(m)]
        for c in caps:
            b.add_resource(c)
        n = rnd.randint(2, 60)
        for _ in range(n):
            release = rnd.randint(0, 5)
            deadline = rnd.choice([None, None, rnd.randint(release + 6, 200)])
            pinned = rnd.random() < 0.05
            b.add_activity(rnd.randint(0, 6), {r: rnd.randint(0, caps[r]) for r in range(m)},
                           release=release, deadline=deadline,
                           priority=NEVER_DELAY if pinned else 500)
        for k in range(1, n):
            for j in rnd.sample(range(k), min(k, rnd.randint(0, 3))):
                b.add_link(j, k, rnd.choice(list(LinkType)), rnd.randint(-3, 4))
        try:
            net = compile_network(b.build())
        except ValidationError:
            continue
        if not net.feasible_bounds:
            continue
        rng = np.random.default_rng(case)
        pool = run_heuristics(net, rng, 4, 2)[3]
        if not pool:
            continue
        got = native.evolve_native(net, pool, rng, schedules=600, fixed=fixed_activities(net),
                                   wall_seconds=20.0, population=8, stall=3, threads=2)
        assert got is not None, case
        plan, _ = got
        assert not plan.feasible or is_valid(net, plan.starts), case
        searched += 1
    print("searched", searched)
    """
)


def _runtime(name: str) -> str | None:
    out = subprocess.run(
        ["gcc", f"-print-file-name={name}"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return out if os.path.isabs(out) and Path(out).exists() else None


def test_the_c_search_is_clean_under_the_sanitizers(tmp_path: Path) -> None:
    if shutil.which("gcc") is None:
        pytest.skip("no gcc: the C search is not built here either")
    asan, ubsan = _runtime("libasan.so"), _runtime("libubsan.so")
    if asan is None or ubsan is None:
        pytest.skip("gcc has no AddressSanitizer/UndefinedBehaviorSanitizer runtime here")
    lib = tmp_path / "sanitized_ga.so"
    subprocess.run(
        ["gcc", "-O1", "-g", "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
         "-fno-sanitize-recover=all", "-std=c99", "-D_POSIX_C_SOURCE=199309L", "-shared",
         "-fPIC", "-o", str(lib), str(SOURCE)],
        check=True,
    )  # fmt: skip
    env = dict(os.environ)
    env["LD_PRELOAD"] = f"{asan} {ubsan}"
    env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(lib)],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    searched = int(done.stdout.split()[-1])
    assert searched >= 100  # most random problems reached the search
