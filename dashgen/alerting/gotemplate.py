"""The structure of a Go text/template, as Grafana parses a notification template before it stores one: every
`{{` closed, quoted strings and comments closed, every block (`if`, `range`, `with`, `define`, `block`) closed by
`{{ end }}`, `else` only inside if/range/with, `define` only at the top level. Function names and fields are
Grafana's business at notification time and are not checked. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

BLOCKS = frozenset({"if", "range", "with", "define", "block"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEFINE = re.compile(r'^(?:define|block)\s+"([^"\\]+)"')


class TemplateSyntaxError(ValueError):
    """What is wrong and on which line of the template's text."""


@dataclass(frozen=True)
class Action:
    line: int
    text: str  # between the delimiters, trim markers and spaces removed


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _action_end(text: str, start: int) -> int:
    """The index of the `}}` closing the action whose body starts at `start`, skipping quoted strings."""
    index = start
    while index < len(text):
        char = text[index]
        if text.startswith("}}", index):
            return index
        if text.startswith("{{", index):
            raise TemplateSyntaxError(f"line {_line(text, start)}: '{{{{' is not closed with '}}}}' before the next "
                                      "'{{'")
        if char in "\"'`":
            close = text.find(char, index + 1) if char == "`" else _quoted_end(text, index, char)
            if close < 0:
                raise TemplateSyntaxError(f"line {_line(text, index)}: unterminated quoted string")
            index = close
        index += 1
    raise TemplateSyntaxError(f"line {_line(text, start)}: '{{{{' is never closed with '}}}}'")


def _quoted_end(text: str, index: int, quote: str) -> int:
    index += 1
    while index < len(text) and text[index] != "\n":
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index
        index += 1
    return -1


def actions(text: str) -> list[Action]:
    found = []
    index = text.find("{{")
    while index >= 0:
        body = index + 2
        if text.startswith("/*", body) or text.startswith("- /*", body):
            close = text.find("*/", body)
            if close < 0:
                raise TemplateSyntaxError(f"line {_line(text, index)}: comment '/*' is never closed with '*/'")
            end = _action_end(text, close + 2)
        else:
            end = _action_end(text, body)
            inner = text[body:end]
            inner = inner[2:] if inner.startswith("- ") else inner
            inner = inner[:-2] if inner.endswith(" -") else inner
            found.append(Action(_line(text, index), inner.strip()))
        index = text.find("{{", end + 2)
    return found


def check(text: str) -> None:
    """Raise TemplateSyntaxError when Grafana would refuse the template."""
    open_blocks: list[tuple[str, int]] = []
    for action in actions(text):
        word_match = _WORD.match(action.text)
        word = word_match.group(0) if word_match else ""
        where = f"line {action.line}"
        if not action.text:
            raise TemplateSyntaxError(f"{where}: empty action {{{{ }}}}")
        if word in BLOCKS:
            if word == "define" and open_blocks:
                raise TemplateSyntaxError(f"{where}: {{{{ define }}}} inside {{{{ {open_blocks[-1][0]} }}}} (line "
                                          f"{open_blocks[-1][1]}): define templates at the top level")
            if word in ("define", "block") and not _DEFINE.match(action.text):
                raise TemplateSyntaxError(f'{where}: {{{{ {word} }}}} needs a quoted name, e.g. '
                                          f'{{{{ {word} "dashgen.title" }}}}')
            open_blocks.append((word, action.line))
        elif word == "else":
            if not open_blocks or open_blocks[-1][0] not in ("if", "range", "with"):
                raise TemplateSyntaxError(f"{where}: {{{{ else }}}} outside {{{{ if }}}}, {{{{ range }}}} or "
                                          "{{ with }}")
        elif word == "end":
            if not open_blocks:
                raise TemplateSyntaxError(f"{where}: {{{{ end }}}} closes nothing")
            open_blocks.pop()
    if open_blocks:
        word, line = open_blocks[-1]
        raise TemplateSyntaxError(f"line {line}: {{{{ {word} }}}} is never closed with {{{{ end }}}}")


def defined(text: str) -> set[str]:
    """The names the template defines with {{ define "name" }} (or block)."""
    names = set()
    for action in actions(text):
        match = _DEFINE.match(action.text)
        if match:
            names.add(match.group(1))
    return names
