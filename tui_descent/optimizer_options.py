"""Command-line options that choose the optimizer, the schedule and their
hyperparameters, shared by the app and batch mode.

Each value is checked as argparse reads it. A hyperparameter that the chosen
optimizer or schedule does not have (``--beta1`` without ``--optimizer
adam``) is rejected once all options are read, with the same one-line
message and exit status 2 as any other bad option.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from .hyperparameters import Hyperparameter
from .optimizers import (
    OPTIMIZERS,
    AdaGrad,
    Adam,
    GradientDescent,
    Momentum,
    Nesterov,
    Optimizer,
    RMSProp,
    optimizer_from_slug,
)
from .schedules import (
    SCHEDULES,
    Constant,
    Cosine,
    ExponentialDecay,
    Schedule,
    StepDecay,
    check_floor,
    schedule_from_slug,
)


@dataclass(frozen=True)
class FieldOption:
    """One hyperparameter option: the field it sets and the classes that have it."""

    flags: tuple[str, ...]
    dest: str
    field: str
    kinds: tuple[type, ...]
    metavar: str
    help: str

    @property
    def parameter(self) -> Hyperparameter:
        """The field of the first class, whose checks the option uses."""
        kind = self.kinds[0]
        default = getattr(kind(), self.field)
        return Hyperparameter(kind, self.field, default)


OPTIMIZER_OPTIONS = (
    FieldOption(
        ("--momentum",), "momentum_beta", "beta", (Momentum, Nesterov), "BETA",
        "β of momentum and Nesterov, the share of the velocity kept each step, "
        "in [0, 1) (default 0.9)",
    ),
    FieldOption(
        ("--rho",), "rmsprop_rho", "rho", (RMSProp,), "RHO",
        "ρ of RMSProp, the decay of its mean of squared slopes, in [0, 1) "
        "(default 0.9)",
    ),
    FieldOption(
        ("--beta1",), "adam_beta1", "beta1", (Adam,), "B1",
        "β₁ of Adam, the decay of its mean slope, in [0, 1) (default 0.9)",
    ),
    FieldOption(
        ("--beta2",), "adam_beta2", "beta2", (Adam,), "B2",
        "β₂ of Adam, the decay of its mean squared slope, in [0, 1) "
        "(default 0.999)",
    ),
    FieldOption(
        ("--eps", "--epsilon"), "epsilon", "epsilon", (Adam, AdaGrad, RMSProp), "EPS",
        "ε of AdaGrad, RMSProp and Adam, added to the divisor so it is never 0 "
        "(default 1e-8)",
    ),
)

SCHEDULE_OPTIONS = (
    FieldOption(
        ("--decay",), "decay_factor", "factor", (StepDecay, ExponentialDecay), "F",
        "factor in (0, 1] that step decay multiplies η by every --step-size "
        "steps, or exponential decay every step (default 0.5 and 0.95)",
    ),
    FieldOption(
        ("--step-size",), "decay_every", "every", (StepDecay,), "N",
        "steps between two drops of step decay, at least 1 (default 10)",
    ),
    FieldOption(
        ("--min-lr",), "cosine_floor", "floor", (Cosine,), "ETA",
        "learning rate that the cosine schedule ends at (default 0)",
    ),
)


def _checked(check):
    """Wrap a check so argparse reports its ValueError message."""
    from .cli import _option_type

    return _option_type(check)


def add_optimizer_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--optimizer``, ``--schedule`` and their hyperparameters to ``parser``."""
    parser.add_argument(
        "--optimizer",
        type=_checked(lambda text: type(optimizer_from_slug(text))),
        default=GradientDescent,
        metavar="NAME",
        help=f"update rule: {', '.join(OPTIMIZERS)} (default gd, plain gradient descent)",
    )
    for option in OPTIMIZER_OPTIONS:
        _add_field_option(parser, option)
    parser.add_argument(
        "--schedule",
        type=_checked(lambda text: type(schedule_from_slug(text))),
        default=Constant,
        metavar="NAME",
        help=f"learning-rate schedule: {', '.join(SCHEDULES)} (default constant)",
    )
    for option in SCHEDULE_OPTIONS:
        _add_field_option(parser, option)
    # Kept so that settings_from_args can report a misplaced option in the
    # parser's own one-line format.
    parser.set_defaults(report_option_error=parser.error)


def _add_field_option(parser: argparse.ArgumentParser, option: FieldOption) -> None:
    parser.add_argument(
        *option.flags,
        dest=option.dest,
        type=_checked(option.parameter.parse),
        default=None,
        metavar=option.metavar,
        help=option.help,
    )


def optimizer_from_args(args: argparse.Namespace) -> Optimizer:
    """Build the optimizer that ``--optimizer`` and its options describe."""
    return _build(args, args.optimizer, "--optimizer", OPTIMIZER_OPTIONS)


def schedule_from_args(args: argparse.Namespace) -> Schedule:
    """Build the schedule that ``--schedule`` and its options describe.

    A ``--min-lr`` above ``--lr`` is reported through the parser's error(),
    which exits with status 2.
    """
    schedule = _build(args, args.schedule, "--schedule", SCHEDULE_OPTIONS)
    try:
        check_floor(schedule, args.learning_rate, "--min-lr", "--lr")
    except ValueError as error:
        args.report_option_error(str(error))
    return schedule


def _build(args, kind: type, choice: str, options: tuple[FieldOption, ...]):
    """Build ``kind`` from the options given; report an option it lacks.

    The report goes through the parser's error(), which exits with status 2.
    """
    values = {}
    for option in options:
        value = getattr(args, option.dest)
        if value is None:
            continue
        if kind not in option.kinds:
            slugs = " or ".join(kind.slug for kind in option.kinds)
            args.report_option_error(
                f"{option.flags[0]} applies only to {choice} {slugs}, not to "
                f"{kind.slug}; add {choice} {option.kinds[0].slug} or drop "
                f"{option.flags[0]}"
            )
        values[option.field] = value
    # Each value passed its check as argparse read it, so this cannot raise.
    return kind(**values)
