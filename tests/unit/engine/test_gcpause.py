"""paused_gc: the collector is off inside, and back on after, also on errors and nesting."""

from __future__ import annotations

import gc

import pytest

from steerco.engine.gcpause import paused_gc


def test_pause_nests_and_resumes_even_on_error() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # only the outermost pause resumes it
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@paused_gc()
def _work() -> bool:
    return gc.isenabled()


def test_works_as_a_decorator() -> None:
    assert _work() is False
    assert gc.isenabled()


def test_freeze_long_lived_freezes_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from steerco.engine import gcpause

    was_frozen = gc.get_freeze_count()
    monkeypatch.setattr(gcpause, "_frozen", False)
    try:
        kept = [object() for _ in range(3)], {"a": [1]}  # tracked containers, alive now
        assert gcpause.freeze_long_lived() is True
        assert gc.get_freeze_count() > 0
        assert not any(kept[1] is o for o in gc.get_objects())  # out of every generation
        assert gcpause.freeze_long_lived() is False  # the second call leaves things be
    finally:
        if not was_frozen:
            gc.unfreeze()
