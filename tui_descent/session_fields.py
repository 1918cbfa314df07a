"""Typed reading of the fields of a session file, with errors that name them.

Settings are read generically from the dataclass's fields and type hints, so
a field added to RunSettings (or a nested settings dataclass) is loaded
without changes here. This module imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from enum import Enum

from . import limits
from .optimizers import OPTIMIZERS, Optimizer
from .schedules import SCHEDULES, Schedule

_NO_DEFAULT = object()

SETTING_CHECKS = {
    "start": limits.check_start,
    "learning_rate": limits.check_learning_rate,
    "max_steps": limits.check_max_steps,
    "tolerance": limits.check_tolerance,
}
"""Range checks shared with the command line, by RunSettings field name."""

KINDS: dict[type, dict[str, type]] = {Optimizer: OPTIMIZERS, Schedule: SCHEDULES}
"""For a field typed by a protocol, the classes a file may name in "kind"."""

_KIND_NAMES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


class SessionError(ValueError):
    """A session file that cannot be loaded; the message names the field."""


def shown(value) -> str:
    """Describe a JSON value briefly for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_kind(value, kind: type) -> bool:
    # JSON true and false are Python bools, which are also ints.
    if kind in (int, float) and isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)


def require(mapping: dict, name: str, kinds, *, where: str = "", default=_NO_DEFAULT):
    """Return ``mapping[name]`` after checking it is one of ``kinds``.

    ``where`` is the path of ``mapping`` in the file, used in messages. A
    missing field returns ``default`` or, without one, raises SessionError.
    """
    path = f"{where}.{name}" if where else name
    if name not in mapping:
        if default is _NO_DEFAULT:
            raise SessionError(f"missing field {path!r}")
        return default
    value = mapping[name]
    options = kinds if isinstance(kinds, tuple) else (kinds,)
    if not any(_is_kind(value, kind) for kind in options):
        expected = " or ".join(_KIND_NAMES.get(kind, kind.__name__) for kind in options)
        raise SessionError(f"{path}: expected {expected}, found {shown(value)}")
    return value


def read_dataclass(
    data: dict, cls: type, where: str, warnings: list[str], checks: dict | None = None
):
    """Build an instance of dataclass ``cls`` from a JSON object.

    Each field is converted by its type hint, then passed to the check in
    ``checks`` under its name, if any, as text. A field the file lacks takes
    the default and adds a warning, because a file saved by an older version
    of this program has no field added since. Unknown fields are ignored with
    a warning. Raises SessionError naming the first invalid field.
    """
    hints = typing.get_type_hints(cls)
    values = {}
    for item in fields(cls):
        path = f"{where}.{item.name}"
        if item.name not in data:
            if item.default is MISSING and item.default_factory is MISSING:
                raise SessionError(f"missing field {path!r}")
            warnings.append(f"{path} is missing; using the default")
            continue
        value = _convert(data[item.name], hints[item.name], path, warnings)
        if checks and item.name in checks:
            _check_value(checks[item.name], value, path)
        values[item.name] = value
    known = {item.name for item in fields(cls)}
    for name in data:
        if name not in known:
            warnings.append(
                f"{where}.{name} is not a setting this program knows; ignored"
            )
    try:
        return cls(**values)
    except (TypeError, ValueError) as error:
        raise SessionError(f"{where}: {error}") from None


def _check_value(check, value, path: str) -> None:
    try:
        check(repr(value))
    except ValueError as error:
        raise SessionError(f"{path}: {error}") from None


def _convert(raw, hint, path: str, warnings: list[str]):
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _convert_union(raw, typing.get_args(hint), path, warnings)
    if origin is typing.Literal:
        if raw not in typing.get_args(hint):
            choices = ", ".join(repr(choice) for choice in typing.get_args(hint))
            raise SessionError(f"{path}: expected one of {choices}, found {shown(raw)}")
        return raw
    if origin in (tuple, list):
        return _convert_sequence(raw, hint, path, warnings)
    if hint is float:
        return _finite_number(raw, path)
    if hint is int:
        return _whole_number(raw, path)
    if hint in (bool, str):
        return _plain(raw, hint, path)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum_member(raw, hint, path)
    if hint in KINDS:
        return _read_kind(raw, KINDS[hint], path, warnings)
    if isinstance(hint, type) and is_dataclass(hint):
        if not isinstance(raw, dict):
            raise SessionError(f"{path}: expected an object, found {shown(raw)}")
        return read_dataclass(raw, hint, path, warnings)
    # NOTE: a type hint not handled above is passed through unchecked.
    return raw


def _read_kind(raw, classes: dict[str, type], path: str, warnings: list[str]):
    if not isinstance(raw, dict):
        raise SessionError(f"{path}: expected an object, found {shown(raw)}")
    slug = require(raw, "kind", str, where=path)
    cls = classes.get(slug)
    if cls is None:
        choices = ", ".join(classes)
        raise SessionError(f"{path}.kind: unknown {slug!r}; expected one of {choices}")
    fields_only = {name: value for name, value in raw.items() if name != "kind"}
    return read_dataclass(fields_only, cls, path, warnings)


def _plain(raw, kind: type, path: str):
    if not _is_kind(raw, kind):
        raise SessionError(f"{path}: expected {_KIND_NAMES[kind]}, found {shown(raw)}")
    return raw


def _convert_union(raw, options: tuple, path: str, warnings: list[str]):
    if raw is None and type(None) in options:
        return None
    errors = []
    for option in options:
        if option is type(None):
            continue
        try:
            return _convert(raw, option, path, warnings)
        except SessionError as error:
            errors.append(error)
    raise errors[0]


def _convert_sequence(raw, hint, path: str, warnings: list[str]):
    if not isinstance(raw, list):
        raise SessionError(f"{path}: expected a list, found {shown(raw)}")
    arguments = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and arguments and arguments[-1] is not Ellipsis:
        if len(raw) != len(arguments):
            raise SessionError(
                f"{path}: expected {len(arguments)} values, found {len(raw)}"
            )
        items = zip(raw, arguments)
    else:
        element = arguments[0] if arguments else typing.Any
        items = ((value, element) for value in raw)
    converted = [
        _convert(value, element, f"{path}[{index}]", warnings)
        for index, (value, element) in enumerate(items)
    ]
    return typing.get_origin(hint)(converted)


def _finite_number(raw, path: str) -> float:
    if not _is_kind(raw, float):
        raise SessionError(f"{path}: expected a number, found {shown(raw)}")
    value = float(raw)
    if not math.isfinite(value):
        raise SessionError(f"{path}: expected a finite number, found {shown(raw)}")
    return value


def _whole_number(raw, path: str) -> int:
    if isinstance(raw, float) and not isinstance(raw, bool) and raw.is_integer():
        return int(raw)
    return _plain(raw, int, path)


def _enum_member(raw, cls: type[Enum], path: str) -> Enum:
    for member in cls:
        if raw == member.value or (isinstance(raw, str) and raw.upper() == member.name):
            return member
    choices = ", ".join(repr(member.value) for member in cls)
    raise SessionError(f"{path}: expected one of {choices}, found {shown(raw)}")
