"""The rule file's YAML emitter: whatever it is given, a YAML reader reads back exactly that."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dashgen.alerting.prometheus import dumps, scalar

SCALARS = st.one_of(
    st.text(), st.sampled_from(["yes", "No", "ON", "null", "y", "1m30s", "123", "1e3", "0x1f", "12:30", "~", "- x",
                                "a: b", "#c", "'q'", '"d"', "\u2028", "\x85", " lead", "trail ", ""]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none())
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner,
                                                                                              max_size=4),
                         max_leaves=20)


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.text(), DOCUMENTS, max_size=5))
def test_what_is_written_reads_back_the_same(document: dict[str, Any]) -> None:
    assert yaml.safe_load(dumps(document)) == document


@pytest.mark.parametrize(("value", "text"), [
    ("critical", "critical"), ("1m", "1m"), ("yes", "'yes'"), ("123", "'123'"), ("it's", "'it''s'"),
    ('a{c="x"} > 1', "'a{c=\"x\"} > 1'"), ("two\nlines", '"two\\nlines"'), ("\u2028", '"\\u2028"'),
    (5, "5"), (0.25, "0.25"), (True, "true"),
])
def test_strings_are_plain_only_when_nothing_else_could_be_read(value: object, text: str) -> None:
    assert scalar(value) == text


def test_mappings_are_sorted_and_sequences_indented() -> None:
    assert dumps({"b": [{"z": 1, "x": []}], "a": {}}).splitlines()[1:] == ["a: {}", "b:", "  - x: []", "    z: 1"]


def test_a_value_no_rule_file_holds_is_refused() -> None:
    with pytest.raises(ValueError, match="no float"):
        scalar(float("nan"))
