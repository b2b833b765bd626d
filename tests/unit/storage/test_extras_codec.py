"""Extras columns: what dump_extras writes, load_extras reads back; other JSON still reads."""

from __future__ import annotations

import json

import pytest

from steerco.storage.mappers import dump_extras, load_extras


@pytest.mark.parametrize(
    "extras",
    [[], ["<A>1</A>"], ['<B x="1">é &amp; "q" \\ \n</B>', "<C/>"], ["\u2028", "\x7f"]],
)
def test_round_trip(extras: list[str]) -> None:
    assert load_extras(dump_extras(extras)) == extras


def test_other_json_is_read_as_json_reads_it() -> None:
    assert load_extras(' ["a"] ') == ["a"]  # padded
    assert load_extras('[1, "b"]') == ["1", "b"]  # not all strings
    with pytest.raises(json.JSONDecodeError):
        load_extras('["a"')
    with pytest.raises(json.JSONDecodeError):
        load_extras('["a"] x')
