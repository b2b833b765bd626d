"""Rows shared out (interop/mspdi/split.py, cli/forked.py) read and write exactly as in one go.

A `Split` may do the rows in parts, pack some of them to bytes and unpack them elsewhere;
whatever it does, the project read and the bytes written must be those of the serial run,
and a row that fails must fail with the same error, wherever the part boundary falls.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

import pytest

from steerco.cli import forked as forked_module
from steerco.domain import ImportRejected
from steerco.engine.cpm import schedule
from steerco.interop.mspdi import read_mspdi, write_mspdi
from steerco.interop.mspdi.split import serial

T = TypeVar("T")
NS = "http://schemas.microsoft.com/project"
LINK = (
    "<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{type}</Type>"
    "<LinkLag>{lag}</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
)


def task(uid: int, *, name: str = "", links: str = "", extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><Name>{name or f'Task {uid}'}</Name><OutlineLevel>1</OutlineLevel>"
        f"<Duration>PT{8 * (uid % 5)}H0M0S</Duration><DurationFormat>7</DurationFormat>"
        f"{extra}{links}</Task>"
    )


def plan(rows: list[str]) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="{NS}">'
        "<Name>P</Name><StartDate>2026-01-05T08:00:00</StartDate><Tasks>\n"
        + "\n".join(rows)
        + "\n</Tasks></Project>\n"
    ).encode()


def odd_plan(n: int = 60) -> list[str]:
    """Links to earlier tasks, to unknown tasks, to the task itself and of unknown types,
    a blank "null" row, a name with references and a lag the domain cannot hold."""
    rows = []
    for uid in range(1, n + 1):
        links = "".join(
            LINK.format(pred=pred, type=(uid + pred) % 4, lag=10 * pred)
            for pred in (uid - 1, uid - 3)
            if pred > 0
        )
        if uid % 7 == 0:
            links += LINK.format(pred=9999, type=1, lag=0)  # not a task of the plan
        if uid % 11 == 0:
            links += LINK.format(pred=uid, type=1, lag=0)  # itself
        if uid % 13 == 0:
            links += LINK.format(pred=1, type=9, lag=0)  # an unknown type
        if uid % 17 == 0:
            links += LINK.format(pred=2, type=1, lag=5)  # a fraction of a minute
        rows.append(task(uid, links=links, name="A &amp; B &lt;c&gt;" if uid == 5 else ""))
    rows[20] = "<Task><UID>21</UID></Task>"  # a blank row, carried verbatim
    return rows


def in_parts(cut: int, *, packed: bool = True) -> Callable[..., list[object]]:
    """A Split that does rows [cut, n) first, through pack and unpack, then [0, cut)."""

    def split(
        n: int,
        work: Callable[[int, int], list[T]],
        pack: Callable[[list[T]], bytes],
        unpack: Callable[[bytes], list[T]],
        share: float,
    ) -> list[T]:
        k = min(cut, n)
        tail = work(k, n)
        if packed:
            tail = unpack(pack(tail))
        return work(0, k) + tail

    return split


def outcome(data: bytes, split: Callable[..., list[object]]) -> tuple[object, ...] | str:
    """The project read (its fields, compared by value: shared objects may come back as
    equal copies), and the file written with its schedule."""
    try:
        project = read_mspdi(data, split=split)
    except ImportRejected as exc:
        return f"error: {exc}"
    fields = (project.tasks, project.dependencies, project.extras, project.calendars)
    return fields, repr(project), write_mspdi(project, schedule(project), split=split)


@pytest.mark.parametrize("cut", [0, 1, 17, 21, 30, 59, 60])
def test_rows_read_and_written_in_parts_are_the_serial_rows(cut: int) -> None:
    data = plan(odd_plan())
    assert outcome(data, in_parts(cut)) == outcome(data, serial)


def test_a_plan_without_blank_rows_is_written_in_parts_too() -> None:
    rows = odd_plan()
    rows[20] = task(21)
    data = plan(rows)
    assert outcome(data, in_parts(25)) == outcome(data, serial)


DEEP = "<ExtendedAttribute>" + "<X>" * 40 + "v" + "</X>" * 40 + "</ExtendedAttribute>"


@pytest.mark.parametrize("bad", [3, 40])
@pytest.mark.parametrize("cut", [0, 10, 30, 60])
def test_a_failing_row_fails_the_same_wherever_the_parts_fall(bad: int, cut: int) -> None:
    rows = odd_plan()
    rows[bad] = task(bad + 1, extra=DEEP)
    data = plan(rows)
    expected = outcome(data, serial)
    assert isinstance(expected, str) and "deeper" in expected
    assert outcome(data, in_parts(cut)) == expected


# ----- the forked split (cli/forked.py) --------------------------------------------------------


@pytest.fixture
def fork_always(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(forked_module, "MIN_ROWS", 0)
    monkeypatch.setattr(forked_module, "idle_core", lambda: True)


@pytest.mark.usefixtures("fork_always")
def test_the_forked_split_reads_and_writes_as_the_serial_one() -> None:
    data = plan(odd_plan())
    assert outcome(data, forked_module.forked) == outcome(data, serial)
    forked_module.reap()
    assert not forked_module._EXITING


def _squares(a: int, b: int) -> list[int]:
    return [i * i for i in range(a, b)]


def _pack(rows: list[int]) -> bytes:
    return pickle.dumps(rows)


def _unpack(data: bytes) -> list[int]:
    return list(pickle.loads(data))  # noqa: S301


@pytest.mark.usefixtures("fork_always")
def test_a_failing_child_leaves_its_rows_to_the_parent() -> None:
    def broken_pack(rows: list[int]) -> bytes:
        raise RuntimeError("the child cannot pack")

    assert forked_module.forked(100, _squares, broken_pack, _unpack, 0.5) == _squares(0, 100)
    assert forked_module.forked(100, _squares, _pack, _unpack, 0.3) == _squares(0, 100)
    forked_module.reap()


@pytest.mark.usefixtures("fork_always")
def test_an_error_in_the_parent_part_stops_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    children: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded_fork)

    def work(a: int, b: int) -> list[int]:
        if a == 0:
            raise ValueError("row 0")
        return _squares(a, b)

    with pytest.raises(ValueError, match="row 0"):
        forked_module.forked(100, work, _pack, _unpack, 0.5)
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # already stopped and collected


def test_no_child_without_a_free_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked_module, "MIN_ROWS", 0)
    monkeypatch.setattr(forked_module, "idle_core", lambda: False)

    def work(a: int, b: int) -> list[int]:
        assert (a, b) == (0, 100)  # all rows here, in one go
        return _squares(a, b)

    assert forked_module.forked(100, work, _pack, _unpack, 0.5) == _squares(0, 100)


def test_idle_core_answers() -> None:
    assert forked_module.idle_core() in (True, False)
