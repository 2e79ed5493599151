"""YAML text -> frozen dataclasses, with errors that name the file, the line and the key path.

The schema is the dataclasses themselves: their field names are the YAML keys, their type hints
the expected types, a default makes a key optional. A field may carry `metadata={"check": fn}`,
where `fn(value)` returns an error message or None; a dataclass may define `validate(self)` returning
None or (key, message) for rules that span several keys. Supported hints: str, int, float, bool,
Literal[...], list[X], dict[str, X], X | None and nested dataclasses.

Numbers are what JSON can hold: a float is finite (`.nan` and `.inf` are refused, as Grafana's JSON cannot
carry them), an int fits 64 bits, and `1e3` is a number (YAML 1.2 and JSON; PyYAML's YAML 1.1 reads a string).
Anchors, aliases and merge keys (`<<: *base`) work as in YAML; a key written beside `<<` overrides the merged one.

Pure: it parses text it is given and reads no file.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import math
import re
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar, Union

import yaml

from dashgen.errors import DashgenError

T = TypeVar("T")
# libyaml's loader when PyYAML was built with it (the wheels are): 5-10x faster, same nodes and marks
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Check = Callable[[Any], "str | None"]
Pair = tuple[str, yaml.Node, yaml.Node]

_TYPE_WORDS = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT64 = range(-(2**63), 2**63)
# a YAML 1.2 core-schema float that YAML 1.1 reads as a string: an exponent without a dot, as in 1e3 or 5E-2
_EXPONENT_FLOAT = re.compile(r"[-+]?[0-9]+[eE][-+]?[0-9]+")


def parse(text: str, filename: str) -> yaml.Node | None:
    """Compose YAML text into a node tree (keeping line numbers); malformed YAML is a DashgenError."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "cannot parse"
        if isinstance(exc, yaml.composer.ComposerError) and exc.context and exc.problem:
            problem = f"{exc.context}, {exc.problem}"  # "expected a single document in the stream, but found ..."
        raise DashgenError(f"invalid YAML: {problem}", where=f"{filename}{line}") from None
    except yaml.reader.ReaderError as exc:  # a control character; its position counts bytes or characters
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        number = text.count("\n", 0, max(text.find(chr(code)), 0)) + 1
        raise DashgenError(f"invalid YAML: control character U+{code:04X} is not allowed (remove it)",
                           where=f"{filename}:{number}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - other unmarked errors are not known to happen
        raise DashgenError(f"invalid YAML: {str(exc).splitlines()[0]}", where=filename) from None


def load(text: str, cls: type[T], filename: str) -> tuple[T, dict[str, int]]:
    """Parse `text` and convert the whole document to `cls`; also returns the line of every key path, so that
    later checks spanning several keys can still point at a line."""
    node = parse(text, filename)
    if node is None:
        raise DashgenError("the file is empty; see docs/configuration.md", where=filename)
    converter = _Converter(filename)
    converted: T = converter.convert(node, cls, "")
    return converted, converter.lines


def convert(node: yaml.Node, hint: Any, *, filename: str, path: str) -> Any:
    """Convert one node to the type `hint`; `path` is the dotted key path used in error messages."""
    return _Converter(filename).convert(node, hint, path)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    try:
        value = yaml.SafeLoader("").construct_object(node)
    except yaml.constructor.ConstructorError:
        return repr(node.value)
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Converter:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.lines: dict[str, int] = {}
        self._constructor: yaml.SafeLoader | None = None  # one for the document (not one per scalar)

    def fail(self, node: yaml.Node, path: str, message: str) -> DashgenError:
        where = f"{self.filename}:{_line(node)}"
        return DashgenError(f"{path}: {message}" if path else message, where=where)

    def convert(self, node: yaml.Node, hint: Any, path: str) -> Any:
        self.lines.setdefault(path, _line(node))
        origin = typing.get_origin(hint)
        if origin in (Union, types.UnionType):
            return self._union(node, hint, path)
        if origin is typing.Literal:
            return self._literal(node, hint, path)
        if origin is list:
            return self._list(node, typing.get_args(hint)[0], path)
        if origin is dict:
            return self._dict(node, typing.get_args(hint)[1], path)
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            return self._dataclass(node, hint, path)
        if hint in _TYPE_WORDS:
            return self._scalar(node, hint, path)
        raise TypeError(f"typed_yaml cannot convert to {hint!r}")  # a schema bug, not a user error

    def _scalar_value(self, node: yaml.Node, path: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return node  # a sentinel that matches no scalar type
        if self._constructor is None:
            self._constructor = yaml.SafeLoader("")
        try:
            return self._constructor.construct_object(node)
        except yaml.constructor.ConstructorError:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag} (remove it)") from None

    def _scalar(self, node: yaml.Node, kind: type, path: str) -> Any:
        value = self._scalar_value(node, path)
        if kind is float:
            return self._float(node, value, path)
        if kind is int and isinstance(value, int) and not isinstance(value, bool) and value not in _INT64:
            raise self.fail(node, path, f"{node.value} is out of range (at most {_INT64.stop - 1})")
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        if kind is str and _is_plain(node) and isinstance(value, bool | datetime.date):
            read_as = "a date" if isinstance(value, datetime.date) else str(value).lower()
            raise self.fail(node, path, f"expected a string, got {node.value} (YAML reads it as {read_as}: quote it)")
        raise self.fail(node, path, f"expected {_TYPE_WORDS[kind]}, got {_describe(node)}")

    def _float(self, node: yaml.Node, value: Any, path: str) -> float:
        if isinstance(value, str) and _is_plain(node) and _EXPONENT_FLOAT.fullmatch(value):
            value = float(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node, path, f"expected a number, got {_describe(node)}")
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            number = math.inf
        if not math.isfinite(number):
            raise self.fail(node, path, f"expected a finite number, got {node.value}")
        return number

    def _union(self, node: yaml.Node, hint: Any, path: str) -> Any:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if self._scalar_value(node, path) is None and len(args) < len(typing.get_args(hint)):
            return None
        if len(args) == 1:
            return self.convert(node, args[0], path)
        errors = []
        for arg in args:
            try:
                return self.convert(node, arg, path)
            except DashgenError as exc:
                errors.append(exc)
        raise errors[0]

    def _literal(self, node: yaml.Node, hint: Any, path: str) -> Any:
        allowed = typing.get_args(hint)
        value = self._scalar_value(node, path)
        if isinstance(value, yaml.Node) or value not in allowed:
            choices = ", ".join(str(a) for a in allowed)
            raise self.fail(node, path, f"expected one of {choices}; got {_describe(node)}")
        return value

    def _list(self, node: yaml.Node, item: Any, path: str) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, path, f"expected a list, got {_describe(node)}")
        return [self.convert(child, item, f"{path}[{i}]") for i, child in enumerate(node.value)]

    def _pairs(self, node: yaml.Node, path: str, merging: tuple[yaml.Node, ...] = ()) -> list[Pair]:
        """The mapping's (key, key node, value node), merge keys resolved: merged keys first, in the order of
        the merged mappings (the first one wins), each overridden by a key the mapping writes itself."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, path, f"expected a mapping, got {_describe(node)}")
        merged: dict[str, Pair] = {}
        own: dict[str, Pair] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                for pair in self._merged(value_node, path, (*merging, node)):
                    merged.setdefault(pair[0], pair)
                continue
            key = self._scalar_value(key_node, path)
            if not isinstance(key, str):
                key = str(key) if not isinstance(key, yaml.Node) else "?"
                raise self.fail(key_node, _join(path, key), "keys must be strings (quote it)")
            if key in own:
                raise self.fail(key_node, _join(path, key), "duplicate key")
            own[key] = (key, key_node, value_node)
        return list({**merged, **own}.values())

    def _merged(self, value: yaml.Node, path: str, merging: tuple[yaml.Node, ...]) -> list[Pair]:
        sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
        pairs: list[Pair] = []
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise self.fail(source, path, "`<<` merges a mapping or a list of mappings (e.g. <<: *defaults)")
            if source in merging:
                raise self.fail(source, path, "`<<` merges a mapping into itself")
            pairs += self._pairs(source, path, merging)
        return pairs

    def _dict(self, node: yaml.Node, item: Any, path: str) -> dict[str, Any]:
        return {
            key: self.convert(value, item, _join(path, key)) for key, _, value in self._pairs(node, path)
        }

    def _dataclass(self, node: yaml.Node, cls: type, path: str) -> Any:
        hints = _hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
        values: dict[str, Any] = {}
        for key, key_node, value_node in self._pairs(node, path):
            if key not in fields:
                known = ", ".join(sorted(fields))
                raise self.fail(key_node, _join(path, key), f"unknown key (expected one of: {known})")
            value = self.convert(value_node, hints[key], _join(path, key))
            check: Check | None = fields[key].metadata.get("check")
            problem = check(value) if check else None
            if problem:
                raise self.fail(value_node, _join(path, key), problem)
            values[key] = value
        for name, field in fields.items():
            required = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
            if required and name not in values:
                raise self.fail(node, _join(path, name), "missing required key")
        instance = cls(**values)
        validate = getattr(instance, "validate", None)
        problem = validate() if validate is not None else None
        if problem:
            key, message = problem
            key_nodes = {k: key_node for k, key_node, _ in self._pairs(node, path)}
            raise self.fail(key_nodes.get(key, node), _join(path, key) if key else path, message)
        return instance


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """A dataclass's field types, resolved once (its annotations are strings: `from __future__ import
    annotations`)."""
    return typing.get_type_hints(cls)


def _is_plain(node: yaml.Node) -> bool:
    """Written without quotes (nor a block scalar), so YAML resolved its type from the text."""
    return isinstance(node, yaml.ScalarNode) and not node.style  # None from PyYAML, "" from libyaml


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
