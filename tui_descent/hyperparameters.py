"""The hyperparameters of each optimizer and schedule, read from typed text.

The optimizer panel and the command line both read a value such as β₁ from
text. ``Hyperparameter.parse`` turns that text into a number and checks it
by building the optimizer or schedule with it, so the range rules and their
messages stay in optimizers.py and schedules.py. This module is part of the
maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from .limits import parse_float
from .optimizers import Optimizer
from .schedules import Schedule

SYMBOLS = {
    "beta": "β",
    "rho": "ρ",
    "beta1": "β₁",
    "beta2": "β₂",
    "epsilon": "ε",
    "every": "every",
    "factor": "factor",
    "floor": "floor",
}
"""The symbol shown beside each hyperparameter's field, by dataclass field."""

SHORT_NAMES = {
    "gd": "GD",
    "momentum": "momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "newton": "Newton",
}
"""Optimizer names short enough for a chart legend, by slug."""


@dataclass(frozen=True)
class Hyperparameter:
    """One field of an optimizer or schedule class, such as Adam's β₁."""

    kind: type
    """The optimizer or schedule class the field belongs to."""
    field: str
    """The dataclass field name, such as ``beta1``."""
    default: float | int

    @property
    def symbol(self) -> str:
        """The symbol shown beside the field, such as ``β₁``."""
        return SYMBOLS.get(self.field, self.field)

    @property
    def what(self) -> str:
        """The parameter in words for messages, such as ``Adam β₁``."""
        return f"{self.kind.name} {self.symbol}"

    def parse(self, text: str) -> float | int:
        """Parse ``text`` as this field's value.

        Raises ValueError naming the text and an accepted value when it is not
        a number, or when the class rejects it (β₁ = 1 for Adam, say).
        """
        if isinstance(self.default, int):
            value: float | int = _parse_whole(text, self.what)
        else:
            value = parse_float(text, self.what)
        self.kind(**{self.field: value})
        return value


def parameters_of(kind: type) -> tuple[Hyperparameter, ...]:
    """List the hyperparameters of an optimizer or schedule class, in order."""
    return tuple(
        Hyperparameter(kind, field.name, field.default)
        for field in dataclasses.fields(kind)
    )


def build(kind: type, texts: Mapping[str, str]) -> Optimizer | Schedule:
    """Build ``kind`` from the typed text of its fields; absent fields keep
    their defaults.

    Raises ValueError with the message of the first invalid field.
    """
    values = {}
    for parameter in parameters_of(kind):
        if parameter.field in texts:
            values[parameter.field] = parameter.parse(texts[parameter.field])
    return kind(**values)


def values_of(instance: Optimizer | Schedule) -> dict[str, float | int]:
    """Return the hyperparameter values of an optimizer or schedule by field."""
    return {
        field.name: getattr(instance, field.name)
        for field in dataclasses.fields(instance)
    }


def describe_optimizer(optimizer: Optimizer) -> str:
    """Name an optimizer briefly, with each hyperparameter that is not its
    default, such as ``momentum β=0.5``."""
    parts = [SHORT_NAMES.get(optimizer.slug, optimizer.slug)]
    parts += _changed(optimizer)
    return " ".join(parts)


def describe_schedule(schedule: Schedule) -> str:
    """Name a schedule briefly with its changed parameters, or '' for constant."""
    if schedule.slug == "constant":
        return ""
    return " ".join([schedule.slug, *_changed(schedule)])


def _changed(instance: Optimizer | Schedule) -> list[str]:
    defaults = values_of(type(instance)())
    return [
        f"{SYMBOLS.get(name, name)}={value:g}"
        for name, value in values_of(instance).items()
        if value != defaults[name]
    ]


def _parse_whole(text: str, what: str) -> int:
    cleaned = text.strip().replace("_", "")
    try:
        return int(cleaned)
    except ValueError:
        raise ValueError(
            f"{what} {text.strip()!r} is not a whole number; type one such as 10"
        ) from None
