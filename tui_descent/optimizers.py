"""Update rules that move x from one step to the next.

Each optimizer is a frozen dataclass whose fields are its hyperparameters, so
it can sit in the frozen RunSettings and compare by value. Its per-step state
(a velocity, a sum of squares, Adam's moments) is a tuple of floats that the
engine stores in the run history as named columns: row k contains the state that
the update from x_k reads. Updates use plain Python floats, never numpy
arrays, so a step stays cheap. This module is part of the maths layer: it
imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Protocol

from .functions import Function
from .numbers import format_number

State = tuple[float, ...]


class UndefinedStepError(ArithmeticError):
    """Error raised when an optimizer cannot compute the next x. Its message
    explains why in a plain sentence that the app shows to the learner."""


class Optimizer(Protocol):
    """Interface the engine calls to move x one step."""

    name: ClassVar[str]
    slug: ClassVar[str]
    state_names: ClassVar[tuple[str, ...]]
    uses_learning_rate: ClassVar[bool]

    def update(
        self,
        x: float,
        slope: float,
        state: State,
        rate: float,
        t: int,
        function: Function,
    ) -> tuple[float, State]:
        """Return the next x and state from x, f'(x), the state, the learning
        rate, the 1-based update count t and the function."""
        ...

    def max_stable_rate(self, curvature: float) -> float | None:
        """Return the learning rate above which this rule diverges on a
        parabola with f''(x) = curvature > 0, or None where no such rate is
        known."""
        ...


def _check_fraction(name: str, value: float) -> None:
    if not 0 <= value < 1:
        raise ValueError(
            f"{name} = {value!r} is invalid; use a number in [0, 1) such as 0.9"
        )


def _check_epsilon(value: float) -> None:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(
            f"epsilon = {value!r} is invalid; use a small positive number such as 1e-8"
        )


class _NoStableRate:
    """Mixin for rules whose divergence does not start at one fixed η."""

    def max_stable_rate(self, curvature: float) -> float | None:
        """Return None: the step adapts to the slopes seen, or ignores η."""
        return None


@dataclass(frozen=True)
class GradientDescent:
    """Plain gradient descent: x_{k+1} = x_k - η f'(x_k)."""

    name: ClassVar[str] = "gradient descent"
    slug: ClassVar[str] = "gd"
    state_names: ClassVar[tuple[str, ...]] = ()
    uses_learning_rate: ClassVar[bool] = True

    def update(self, x, slope, state, rate, t, function):
        """Step against the slope, scaled by the learning rate."""
        return x - rate * slope, state

    def max_stable_rate(self, curvature):
        """Return 2/c: each step multiplies x - x* by 1 - ηc, which grows past
        -1 once η > 2/c."""
        return 2 / curvature


@dataclass(frozen=True)
class Momentum:
    """Heavy-ball momentum: v_{k+1} = β v_k + f'(x_k), x_{k+1} = x_k - η v_{k+1}.

    The velocity v keeps a decaying sum of past slopes, so steps build up speed
    along a steady slope and carry x past a minimum before turning back.
    """

    beta: float = 0.9

    name: ClassVar[str] = "momentum"
    slug: ClassVar[str] = "momentum"
    state_names: ClassVar[tuple[str, ...]] = ("velocity",)
    uses_learning_rate: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _check_fraction("momentum beta", self.beta)

    def update(self, x, slope, state, rate, t, function):
        """Add the slope to the decayed velocity and step along the velocity."""
        velocity = self.beta * state[0] + slope
        return x - rate * velocity, (velocity,)

    def max_stable_rate(self, curvature):
        """Return 2(1 + β)/c, where a root of λ² - (1 + β - ηc)λ + β reaches -1."""
        return 2 * (1 + self.beta) / curvature


@dataclass(frozen=True)
class Nesterov:
    """Nesterov momentum: v_{k+1} = β v_k + f'(x_k),
    x_{k+1} = x_k - η (f'(x_k) + β v_{k+1}).

    This is the look-ahead form x - η β v rewritten so that it needs only the
    slope at x_k (the form PyTorch's SGD uses with nesterov=True). It corrects
    the heavy ball sooner, so it overshoots less.
    """

    beta: float = 0.9

    name: ClassVar[str] = "Nesterov momentum"
    slug: ClassVar[str] = "nesterov"
    state_names: ClassVar[tuple[str, ...]] = ("velocity",)
    uses_learning_rate: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _check_fraction("Nesterov beta", self.beta)

    def update(self, x, slope, state, rate, t, function):
        """Update the velocity and step along the slope plus the decayed velocity."""
        velocity = self.beta * state[0] + slope
        return x - rate * (slope + self.beta * velocity), (velocity,)

    def max_stable_rate(self, curvature):
        """Return 2(1 + β)/((1 + 2β)c), where a root of
        λ² - (1 + β)(1 - ηc)λ + β(1 - ηc) reaches -1."""
        return 2 * (1 + self.beta) / ((1 + 2 * self.beta) * curvature)


@dataclass(frozen=True)
class AdaGrad(_NoStableRate):
    """AdaGrad: G_{k+1} = G_k + f'(x_k)²,
    x_{k+1} = x_k - η f'(x_k) / (√G_{k+1} + ε).

    The sum of squared slopes only grows, so the effective step keeps shrinking.
    """

    epsilon: float = 1e-8

    name: ClassVar[str] = "AdaGrad"
    slug: ClassVar[str] = "adagrad"
    state_names: ClassVar[tuple[str, ...]] = ("sum_of_squares",)
    uses_learning_rate: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _check_epsilon(self.epsilon)

    def update(self, x, slope, state, rate, t, function):
        """Accumulate the squared slope and divide the step by its square root."""
        total = state[0] + slope * slope
        return x - rate * slope / (math.sqrt(total) + self.epsilon), (total,)


@dataclass(frozen=True)
class RMSProp(_NoStableRate):
    """RMSProp: s_{k+1} = ρ s_k + (1 - ρ) f'(x_k)²,
    x_{k+1} = x_k - η f'(x_k) / (√s_{k+1} + ε).

    A decaying mean of squared slopes replaces AdaGrad's sum, so the step size
    adapts to recent slopes instead of shrinking for ever.
    """

    rho: float = 0.9
    epsilon: float = 1e-8

    name: ClassVar[str] = "RMSProp"
    slug: ClassVar[str] = "rmsprop"
    state_names: ClassVar[tuple[str, ...]] = ("mean_square",)
    uses_learning_rate: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _check_fraction("RMSProp rho", self.rho)
        _check_epsilon(self.epsilon)

    def update(self, x, slope, state, rate, t, function):
        """Decay the mean square, add the new square and scale the step by it."""
        mean_square = self.rho * state[0] + (1 - self.rho) * slope * slope
        step = rate * slope / (math.sqrt(mean_square) + self.epsilon)
        return x - step, (mean_square,)


@dataclass(frozen=True)
class Adam(_NoStableRate):
    """Adam: m_{k+1} = β₁ m_k + (1 - β₁) f'(x_k),
    v_{k+1} = β₂ v_k + (1 - β₂) f'(x_k)²,
    m̂ = m_{k+1} / (1 - β₁ᵗ), v̂ = v_{k+1} / (1 - β₂ᵗ),
    x_{k+1} = x_k - η m̂ / (√v̂ + ε), where t = k + 1 counts the updates.

    Bias correction undoes the pull of the zero start on m and v, so the first
    step moves x by about η whatever the size of the slope.
    """

    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8

    name: ClassVar[str] = "Adam"
    slug: ClassVar[str] = "adam"
    state_names: ClassVar[tuple[str, ...]] = ("m", "v")
    uses_learning_rate: ClassVar[bool] = True

    def __post_init__(self) -> None:
        _check_fraction("Adam beta1", self.beta1)
        _check_fraction("Adam beta2", self.beta2)
        _check_epsilon(self.epsilon)

    def update(self, x, slope, state, rate, t, function):
        """Update both moments, correct their bias and step by their ratio."""
        m = self.beta1 * state[0] + (1 - self.beta1) * slope
        v = self.beta2 * state[1] + (1 - self.beta2) * slope * slope
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        return x - rate * m_hat / (math.sqrt(v_hat) + self.epsilon), (m, v)


@dataclass(frozen=True)
class Newton(_NoStableRate):
    """Newton's method: x_{k+1} = x_k - f'(x_k) / f''(x_k).

    It jumps to the minimum of the parabola that matches f at x_k, so it lands
    on the minimum of any quadratic in one step. It ignores the learning rate
    and needs the function's exact second derivative.
    """

    name: ClassVar[str] = "Newton's method"
    slug: ClassVar[str] = "newton"
    state_names: ClassVar[tuple[str, ...]] = ()
    uses_learning_rate: ClassVar[bool] = False

    def update(self, x, slope, state, rate, t, function):
        """Divide the slope by the second derivative; raise when that fails."""
        if function.d2f is None:
            raise UndefinedStepError(
                f"Newton's method needs f''(x), which {function.name} does not "
                "provide. Pick a function with a known second derivative."
            )
        curvature = _second_derivative(function, x)
        where = f"at x = {format_number(x)}"
        if curvature == 0:
            raise UndefinedStepError(
                f"f''(x) = 0 {where}, so the Newton step f'(x)/f''(x) divides "
                "by zero. Start somewhere the curve bends."
            )
        if not math.isfinite(curvature):
            raise UndefinedStepError(
                f"f''(x) is {format_number(curvature)} {where}, so the Newton "
                "step f'(x)/f''(x) is undefined."
            )
        return x - slope / curvature, state


def _second_derivative(function: Function, x: float) -> float:
    """Evaluate f''(x) as a float, with domain errors and overflow as nan."""
    try:
        return float(function.d2f(x))
    except (ArithmeticError, ValueError):
        return math.nan


OPTIMIZERS: dict[str, type] = {
    kind.slug: kind
    for kind in (GradientDescent, Momentum, Nesterov, AdaGrad, RMSProp, Adam, Newton)
}
"""Every optimizer class by its command-line slug, in menu order."""


def optimizer_from_slug(slug: str) -> Optimizer:
    """Build the optimizer named ``slug`` with its default hyperparameters.

    Raises ValueError naming the slug and the choices when it is unknown.
    """
    kind = OPTIMIZERS.get(slug.strip().lower())
    if kind is None:
        choices = ", ".join(OPTIMIZERS)
        raise ValueError(f"unknown optimizer {slug!r}; choose one of {choices}")
    return kind()
