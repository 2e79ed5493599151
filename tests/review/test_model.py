"""A long one-line value changed in a few words is shown as those words, not as a diff."""

from __future__ import annotations

import pytest

from dashgen.review.model import ObjectReview, Review, excerpt, value_change
from dashgen.review.render import render

LONG_BEFORE = "The base share of the inventory is far from its target (limit 0.15). Check fills and the rebalancer."


def test_a_few_changed_words_are_shown_with_two_words_around_them() -> None:
    after = LONG_BEFORE.replace("0.15", "0.2")
    assert excerpt(LONG_BEFORE, after) == ("… target (limit 0.15). Check fills …",
                                          "… target (limit 0.2). Check fills …")
    change = value_change("rule", "Drift", "description", LONG_BEFORE, after)
    assert change.diff == "" and change.before == LONG_BEFORE  # the whole values stay in the JSON
    review = Review("main", "c0ffee", (ObjectReview("rule-group", "f/g", "g", "changed", (change,)),), 0)
    assert "description `… target (limit 0.15). Check fills …` → `… target (limit 0.2). Check fills …`" \
        in render(review, "markdown")


def test_a_change_at_the_start_or_end_has_no_ellipsis_there() -> None:
    assert excerpt(LONG_BEFORE, "A" + LONG_BEFORE[3:]) == ("The base share …", "A base share …")
    assert excerpt(LONG_BEFORE, LONG_BEFORE + " Now.") == ("… the rebalancer.", "… the rebalancer. Now.")


@pytest.mark.parametrize(("before", "after"), [
    ("short", "shorter"),  # short values are shown whole
    (LONG_BEFORE, "Something else entirely, with no words in common at either end of it, long enough too."),
    (LONG_BEFORE + "\nline two", LONG_BEFORE + "\nline 2"),  # several lines: a diff
])
def test_otherwise_no_excerpt(before: str, after: str) -> None:
    assert excerpt(before, after) is None
