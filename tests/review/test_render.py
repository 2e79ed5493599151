"""How a review reads: markdown for a pull request (values in code spans, long diffs folded in <details>), plain
text, and a deterministic JSON document. Pure: the Review is written here by hand."""

from __future__ import annotations

import json
import re

from dashgen.review.model import Change, ObjectReview, Review, value_change
from dashgen.review.render import render
from dashgen.review.summary import REVIEW_ORDER

LONG_QUERY = "sum by (exchange) (rate(mm_trades_total{client=~\"$client\",exchange=~\"$exchange\"}[$__rate_interval]))"
LONGER_QUERY = LONG_QUERY.replace("sum by (exchange)", "sum by (exchange, symbol)")
DIFF = f"--- base/query A\n+++ head/query A\n@@ -1 +1 @@\n-{LONG_QUERY}\n+{LONGER_QUERY}"

BOARD = ObjectReview("dashboard", "mm-desk", "Market Making Desk", "changed", (
    Change("panel", "Spread / Spread vs band", "unit", "changed", "bps", "percent"),
    Change("panel", "Spread / Spread vs band", "place", "moved", "Spread (x=0, y=0, w=12, h=8)",
           "Orders (x=12, y=0, w=12, h=8)"),
    Change("panel", "Trades / Fills", "query A", "changed", LONG_QUERY, LONGER_QUERY, diff=DIFF),
    Change("panel", "Trades / Volume", "panel", "added", note="timeseries, unit short"),
    Change("variable", "exchange", "default", "changed", "binance", "kraken"),
))
RULES = ObjectReview("rule-group", "market-making/inventory", "inventory", "changed", (
    Change("rule", "InventoryDrift warning for client acme", "threshold", "changed", 0.15, 0.2),
))
REVIEW = Review(base="origin/main", commit="0123456789abcdef" * 2 + "01234567", objects=(BOARD, RULES), unchanged=9)
EMPTY = Review(base="origin/main", commit="0" * 40, objects=(), unchanged=11)


def test_markdown_sums_up_then_lists_each_change_with_before_and_after() -> None:
    text = render(REVIEW, "markdown")
    lines = text.splitlines()
    assert lines[0] == ("### 2 objects changed: board Market Making Desk (3 panels, 1 variable), rule group inventory "
                        "(1 rule)")
    assert "- `Spread / Spread vs band`: unit `bps` → `percent`" in lines
    assert "- `Spread / Spread vs band`: moved from Spread (x=0, y=0, w=12, h=8) to Orders (x=12, y=0, w=12, h=8)" \
        in lines
    assert "- `Trades / Volume`: panel added (timeseries, unit short)" in lines
    assert "- `exchange`: default `binance` → `kraken`" in lines
    assert "- InventoryDrift warning for client acme: threshold 0.15 → 0.2" in lines
    assert "#### board Market Making Desk (`mm-desk`): changed" in lines
    assert "origin/main (0123456789ab)" in text


def test_markdown_folds_a_long_query_diff_in_details() -> None:
    text = render(REVIEW, "markdown")
    assert "- `Trades / Fills`: query A changed" in text.splitlines()
    start = text.index("<details><summary>Trades / Fills: query A: diff</summary>")
    block = text[start:text.index("</details>", start)]
    assert "```diff" in block and f"  -{LONG_QUERY}" in block and f"  +{LONGER_QUERY}" in block
    assert LONG_QUERY not in text.replace(f"-{LONG_QUERY}", "")  # shown in the diff only, not inline


def test_markdown_escapes_words_and_fences_values_with_backticks() -> None:
    tricky = ObjectReview("rule-group", "f/g", "g_1", "changed", (
        Change("rule", "Alert_x for client a*b", "annotation summary", "changed", "use `x`", "use y"),))
    text = render(Review("main", "", (tricky,), 0), "markdown")
    assert "- Alert\\_x for client a\\*b: annotation summary `` use `x` `` → `use y`" in text.splitlines()
    assert "rule group g\\_1" in text


def test_text_is_the_same_lines_plain() -> None:
    lines = render(REVIEW, "text").splitlines()
    assert lines[0] == ("2 objects changed: board Market Making Desk (3 panels, 1 variable), rule group inventory "
                        "(1 rule)")
    assert "  Spread / Spread vs band: unit bps → percent" in lines
    assert "  InventoryDrift warning for client acme: threshold 0.15 → 0.2" in lines
    assert "  Trades / Fills: query A changed" in lines
    assert f"    +{LONGER_QUERY}" in lines
    assert not any("`" in line or "<details>" in line for line in lines)


def test_json_is_deterministic_and_complete() -> None:
    text = render(REVIEW, "json")
    assert text == render(REVIEW, "json")
    document = json.loads(text)
    assert list(document) == sorted(document)
    assert document["changes"] is True and document["unchanged"] == 9
    assert document["summary"].startswith("2 objects changed")
    rules = document["objects"][1]
    assert rules["counts"] == {"rule": 1}
    assert rules["changes"] == [{"action": "changed", "after": 0.2, "before": 0.15, "diff": "", "note": "",
                                 "part": "rule", "subject": "InventoryDrift warning for client acme",
                                 "what": "threshold"}]


def test_no_changes_is_one_sentence_in_every_format() -> None:
    assert render(EMPTY, "markdown") == "### No changes between origin/main and the working tree.\n"
    assert render(EMPTY, "text") == "No changes between origin/main and the working tree.\n"
    document = json.loads(render(EMPTY, "json"))
    assert (document["changes"], document["objects"], document["summary"]) == (
        False, [], "No changes between origin/main and the working tree.")


def test_objects_added_or_removed_say_so_in_the_summary() -> None:
    gone = ObjectReview("contact-point", "dashgen-oncall", "dashgen-oncall", "removed",
                        (Change("contact point", "", "contact point", "removed", note="pagerduty"),))
    text = render(Review("main", "", (gone,), 3), "text")
    assert text.splitlines()[0] == "1 object changed: contact point dashgen-oncall (removed)"
    assert "  contact point removed (pagerduty)" in text.splitlines()
    assert REVIEW_ORDER[0] == "dashboard"  # the board is read first


def test_markdown_summary_is_html_escaped_so_no_title_breaks_out() -> None:
    hostile = "x </script><img src=x onerror=alert(1)> </details></summary> & <b>"
    query = "sum(rate(x[5m]))\n" * 3
    item = ObjectReview("dashboard", "b", f"Board {hostile}", "changed", (
        value_change("panel", f"Row / {hostile}", "query A", query, query + "+ 1\n"),))
    text = render(Review("main", "", (item,), 0), "markdown")
    summary = next(line for line in text.splitlines() if "<summary>" in line)
    assert summary == ("  <details><summary>Row / x &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; "
                       "&lt;/details&gt;&lt;/summary&gt; &amp; &lt;b&gt;: query A: diff</summary>")
    raw = re.sub(r"`[^`\n]*`", "", text.replace("\\<", ""))  # an escaped "<" and a code span are text, not tags
    assert raw.count("<details>") == raw.count("</details>") == raw.count("</summary>") == 1
    assert "<img" not in raw and "</script>" not in raw and "<b>" not in raw
    heading = next(line for line in text.splitlines() if line.startswith("#### "))
    assert "\\<img src=x onerror=alert(1)\\>" in heading and "\\&" in heading


def test_a_short_value_of_several_lines_is_a_diff_never_a_code_span() -> None:
    change = value_change("panel", "Row / Notes", "description", "a\nb", "a\nc")
    assert change.diff and change.excerpt is None
    carriage = value_change("panel", "Row / Notes", "description", "a\rb", "a")
    assert carriage.diff
    lines = render(Review("main", "", (ObjectReview("dashboard", "b", "B", "changed", (change,)),), 0),
                   "markdown").splitlines()
    assert "- `Row / Notes`: description changed" in lines
    assert "  -b" in lines and "  +c" in lines


def test_a_line_break_in_words_or_a_value_never_ends_the_markdown_line() -> None:
    odd = ObjectReview("dashboard", "b", "B", "changed", (
        Change("variable", "v", "variable", "added", note="query label_values(\n- x)"),
        Change("panel", "Row / P", "links", "changed", "a\nb", "c"),))  # made by hand: model.py never does this
    lines = render(Review("main", "", (odd,), 0), "markdown").splitlines()
    assert "- `v`: variable added (query label\\_values( - x))" in lines
    assert '- `Row / P`: links `"a\\nb"` → `c`' in lines
