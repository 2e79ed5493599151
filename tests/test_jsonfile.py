"""dashgen's JSON text is json.dumps(sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) to the byte,
for every value, and non-finite numbers are refused naming their place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashgen.errors import DashgenError
from dashgen.jsonfile import dumps

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
                    st.sampled_from(["\u2028", "é", '"\\', "\x00\x1f", "ü\n"]))
KEYS = st.one_of(st.text(max_size=6), st.sampled_from(["a", "b", "A", "é", ""]))
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.tuples(children, children),
                               st.dictionaries(KEYS, children, max_size=4),
                               st.dictionaries(st.one_of(st.integers(), st.booleans(), st.none()), children,
                                               max_size=2)),
    max_leaves=20,
)


def standard(value: Any) -> tuple[str, str]:
    try:
        return "ok", json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    except (ValueError, TypeError) as exc:
        return type(exc).__name__, str(exc)


def ours(value: Any) -> tuple[str, str]:
    try:
        return "ok", dumps(value)
    except (ValueError, TypeError) as exc:
        return type(exc).__name__, str(exc)
    except DashgenError:
        return "ValueError", "non-finite"


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_the_text_or_the_error_is_json_dumps_own(value: Any) -> None:
    expected = standard(value)
    if expected[0] == "ValueError" and "Out of range float" in expected[1]:
        expected = ("ValueError", "non-finite")  # refused with the place named (below)
    assert ours(value) == expected


def test_nested_values_are_indented_as_json_dumps_does() -> None:
    value = {"b": [1, 2.5, {"z": None, "a": True}], "a": {}, "c": [], "d": ("x", False), "é": "\u2028"}
    assert dumps(value) == json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_a_non_finite_number_is_refused_naming_its_place() -> None:
    with pytest.raises(DashgenError) as caught:
        dumps({"title": "Orders", "rules": [{"data": [1.0, float("nan")]}]})
    assert str(caught.value) == "title 'Orders': rules[0].data[1] is not a finite number, which JSON cannot hold"


def test_a_value_json_cannot_hold_is_json_dumps_own_type_error() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        dumps({"a": {1, 2}})
