"""Plain-words descriptions of what a run is doing at a given step.

``describe(run, step)`` names the behaviour shown on screen (converging,
oscillating, diverging, ...) and explains it in one or two sentences. It reads
only the row at ``step`` and a fixed window of rows before it, so it costs the
same at step 100,000 as at step 10. This module is part of the maths layer: it
imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .engine import MAX_ABS_X, Run, StopReason
from .numbers import format_number
from .stationary import (
    PointKind,
    classify_point,
    flat_slope_limit,
    is_flat,
    lower_point,
)
from .trend import Trend, measure_trend


@dataclass(frozen=True)
class Description:
    """Plain-words state and explanation of a run at one step."""

    state: str
    """A few plain words, such as ``converging`` or ``diverging``."""
    explanation: str
    """One or two sentences a learner reads."""


LOOSE_TOLERANCE = "tolerance too loose"
"""The state of a run that converged only because its tolerance is loose."""


def describe(run: Run, step: int) -> Description:
    """Describe the run as it is at ``step``, which may be before its last step.

    At the last step of a stopped run the stop reason leads; at any other step
    the description comes from the steps up to ``step``. A row holding nan or
    inf is never described as converged, whatever the stop reason is.
    Raises IndexError when ``step`` is outside 0..run.last_step.
    """
    if not 0 <= step <= run.last_step:
        raise IndexError(
            f"step {step} is outside 0..{run.last_step}; "
            "compute it first with run.ensure(step)"
        )
    x, slope, value = run.history.row(step)
    if not (math.isfinite(x) and math.isfinite(slope) and math.isfinite(value)):
        return _describe_non_finite(run, step, x, slope, value)
    if step == run.last_step and run.stopped:
        return _describe_stop(run, step)
    return _describe_progress(run, step)


def _describe_stop(run: Run, step: int) -> Description:
    reason = run.stop_reason
    x, slope, _ = run.history.row(step)
    tolerance = format_number(run.settings.tolerance)
    if reason is StopReason.CONVERGED:
        if not is_flat(run.function, slope):
            return _describe_loose_tolerance(run, step)
        if step == 0:
            text = (
                f"Converged at the start: |f'(x0)| = {_fmt_below(abs(slope), run.settings.tolerance)} is "
                f"already below the tolerance {tolerance}, so no step is needed."
            )
        else:
            text = (
                f"Converged: |f'(x)| = {_fmt_below(abs(slope), run.settings.tolerance)} "
                f"is below the tolerance {tolerance} after {_steps(step)}."
            )
        return _describe_converged(run, step, text)
    if reason is StopReason.MAX_STEPS:
        text = (
            f"Reached max steps: after {_steps(step)} |f'(x)| = "
            f"{_fmt(abs(slope))} is still above the tolerance {tolerance}."
        )
        if step > 0:
            progress = _describe_progress(run, step)
            text += f" Until then it was {progress.state}: "
            text += progress.explanation.split(": ", 1)[-1]
        return Description("reached max steps", text)
    if reason is StopReason.DIVERGED:
        text = (
            f"Diverged: |x| = {_fmt(abs(x))} passed the limit "
            f"{_fmt(MAX_ABS_X)} after {_steps(step)}, so the run stopped."
        )
        return Description("diverged", _join(text, _divergence_advice(run, step)))
    if reason is StopReason.STALLED:
        return Description("stalled", _stall_text(run, step))
    if reason is StopReason.UNDEFINED:
        detail = getattr(run, "stop_detail", "") or (
            f"the next step from x = {_fmt(x)} could not be computed, so the "
            "run stopped."
        )
        return Description("undefined", f"Undefined: {detail}")
    # OVERFLOWED with finite numbers cannot come from the engine; describe
    # the steps instead of inventing a cause.
    return _describe_progress(run, step)


def _describe_loose_tolerance(run: Run, step: int) -> Description:
    """Explain a stop where |f'(x)| is below the tolerance but far from flat."""
    x, slope, _ = run.history.row(step)
    tolerance = format_number(run.settings.tolerance)
    # is_flat returned False, so the function has a measurable flat limit.
    limit = flat_slope_limit(run.function) or 0.0
    if step == 0:
        where = (
            f"at the start x0 = {_fmt(x)}, |f'(x0)| = {_fmt(abs(slope))} is "
            f"already below the tolerance {tolerance}, so the run stopped "
            "before any step"
        )
    else:
        where = (
            f"after {_steps(step)}, |f'(x)| = {_fmt(abs(slope))} at x = "
            f"{_fmt(x)} is below the tolerance {tolerance}, so the run stopped"
        )
    suggestion = min(1e-6, 10.0 ** (math.floor(math.log10(limit)) - 2))
    return Description(
        LOOSE_TOLERANCE,
        f"Tolerance too loose: {where}. f still slopes there, so this is "
        f"not a minimum. Set a tolerance below {_fmt_short(limit)} (1% of f's "
        f"average slope over the chart), such as {_fmt(suggestion)}, to keep "
        "stepping.",
    )


def _describe_converged(run: Run, step: int, text: str) -> Description:
    """Tell a true minimum from a flat spot, a maximum or a local minimum."""
    x, slope, value = run.history.row(step)
    kind = classify_point(run.function, x, slope)
    if kind is PointKind.MAXIMUM:
        text = (
            f"Slope zero at a maximum: f falls on both sides of x = {_fmt(x)}, "
            "so this is a hilltop, not a minimum. The run stopped only because "
            "|f'(x)| is below the tolerance."
        )
        if _uses_learning_rate(run):
            advice = "A start slightly to either side rolls downhill."
        else:
            advice = (
                f"{run.settings.optimizer.name} heads for any point of zero "
                "slope, maxima included; start where f curves upwards."
            )
        return Description("slope zero, not a minimum", _join(text, advice))
    if kind in (PointKind.FALLS_LEFT, PointKind.FALLS_RIGHT):
        side = "left" if kind is PointKind.FALLS_LEFT else "right"
        return Description(
            "slope zero, not a minimum",
            f"Slope zero but not a minimum: |f'(x)| = {_fmt_below(abs(slope), run.settings.tolerance)} "
            f"is below the tolerance {format_number(run.settings.tolerance)} at "
            f"x = {_fmt(x)}, yet f keeps falling to the {side}. The curve only "
            "flattens here, so a zero slope alone does not prove a minimum.",
        )
    lower = lower_point(run.function, value) if kind is PointKind.MINIMUM else None
    if lower is None:
        return Description("converged", text)
    return Description(
        "stuck in a local minimum",
        f"Stuck in a local minimum: f(x) = {_fmt(value)} at x = {_fmt(x)}, but "
        f"f is lower near x = {_fmt_short(lower.x)} (f ≈ {_fmt_short(lower.value)}). "
        "Steps only go downhill and cannot cross the hill between; start "
        f"nearer x = {_fmt_short(lower.x)}.",
    )


def _describe_non_finite(
    run: Run, step: int, x: float, slope: float, value: float
) -> Description:
    steps = _steps(step)
    if math.isnan(x):
        return Description(
            "undefined",
            f"Undefined: x became nan (not a number) after {steps}, so the "
            "run stopped.",
        )
    if math.isinf(x) or abs(x) > MAX_ABS_X:
        text = f"Diverged: x became {_fmt(x)} after {steps}, so the run stopped."
        return Description("diverged", _join(text, _divergence_advice(run, step)))
    if math.isnan(slope) or math.isnan(value):
        detail = getattr(run, "stop_detail", "")
        quantity = "f'(x)" if math.isnan(slope) else "f(x)"
        text = detail or (
            f"{quantity} is nan at x = {_fmt(x)}, so f is not defined there "
            "and the run stopped."
        )
        return Description("undefined", f"Undefined: {text}")
    if step == run.last_step and run.stop_reason is StopReason.UNDEFINED:
        # The engine found a pole or a domain edge, such as 1/x or log x at 0.
        detail = getattr(run, "stop_detail", "") or (
            f"f is not defined at x = {_fmt(x)}, so the run stopped."
        )
        return Description("undefined", f"Undefined: {detail}")
    quantity = "f'(x)" if math.isinf(slope) else "f(x)"
    number = slope if math.isinf(slope) else value
    return Description(
        "overflowed",
        f"Overflowed: {quantity} = {_fmt(number)} at x = {_fmt(x)}, beyond the "
        "largest float (about 1.8e308), so the run stopped. A smaller η or a "
        "start nearer the minimum keeps the numbers finite.",
    )


def _describe_progress(run: Run, step: int) -> Description:
    """Describe the steps up to ``step`` of a run that had not stopped there."""
    x, slope, _ = run.history.row(step)
    rate = _rate_at(run, step)
    eta = f"η = {_fmt(rate)}"
    if rate == 0 and _uses_learning_rate(run):
        return Description(
            "not moving",
            f"Not moving: {eta}, so every step is 0 and x stays at {_fmt(x)}. "
            "Set η to a positive value such as 0.1.",
        )
    if rate < 0 and _uses_learning_rate(run):
        return Description(
            "climbing",
            f"Climbing: {eta} is negative, so each step goes uphill, with the "
            "slope instead of against it. Use a positive η such as 0.1.",
        )
    if step == 0 and not _uses_learning_rate(run):
        return Description(
            "starting",
            f"Starting at x0 = {_fmt(x)} where f'(x0) = {_fmt(slope)}. "
            f"{run.settings.optimizer.name} jumps to where the parabola that "
            "matches f at x0 has zero slope, a minimum or a maximum.",
        )
    if step == 0:
        direction = "towards smaller x" if slope > 0 else "towards larger x"
        return Description(
            "starting",
            f"Starting at x0 = {_fmt(x)} where f'(x0) = {_fmt(slope)}, so the "
            f"first step goes downhill, {direction}.",
        )
    if run.history.row(step - 1)[0] == x:
        return Description("stalled", _stall_text(run, step - 1))
    return _describe_trend(run, step, measure_trend(run, step))


def _describe_trend(run: Run, step: int, trend: Trend) -> Description:
    x = run.history.row(step)[0]
    factor = f"a factor of {_fmt_factor(trend.factor)}"
    every_step = trend.crossings == trend.steps
    if trend.rising and (trend.growing or (trend.steps == 1 and trend.factor > 1)):
        pattern = (
            "each step overshoots the minimum by more than the last"
            if every_step
            else "f(x) rises every step"
        )
        text = f"Diverging: {pattern}, so |f'(x)| grows by {factor} per step."
        return Description("diverging", _join(text, _divergence_advice(run, step)))
    if every_step and trend.steady:
        previous = run.history.row(step - 1)[0]
        text = (
            f"Oscillating: x bounces between {_fmt(previous)} and {_fmt(x)} "
            f"with the same size every step, so it never gets closer."
        )
        return Description("oscillating", _join(text, _oscillation_advice(run, step)))
    if every_step and trend.shrinking:
        text = (
            "Converging while oscillating: x jumps across the minimum every "
            f"step, but |f'(x)| shrinks by {factor} per step."
        )
        advice = _overshoot_advice(run)
        return Description("converging, oscillating", _join(text, advice))
    if trend.crossings == 0 and trend.shrinking:
        slowly = trend.factor > 0.99
        state = "converging slowly" if slowly else "converging"
        # A forecast from the shrink factor holds only for plain descent:
        # momentum and adaptive rules change their step as they go.
        remaining = _remaining(run, step, trend) if _is_plain_gd(run) else ""
        text = (
            f"{'Converging slowly' if slowly else 'Converging smoothly'}: "
            f"|f'(x)| shrinks by {factor} per step while the slope keeps its "
            f"sign{remaining}."
        )
        return Description(state, text)
    if trend.swung and trend.swings_shrink:
        return Description(
            "converging, overshooting",
            "Converging with overshoot: x swings past the minimum and back, "
            "and each swing is smaller than the one before.",
        )
    if trend.falling and trend.growing and trend.crossings == 0:
        return Description(
            "speeding up",
            "Speeding up: f(x) falls every step and the slope gets steeper, "
            "so this f may have no minimum in this direction.",
        )
    return Description(
        "wandering",
        f"Wandering: over the last {_steps(trend.steps)} x neither closes in "
        "steadily nor runs away. A smaller η usually calms the steps.",
    )


def _stall_text(run: Run, step: int) -> str:
    """Explain why the update from ``step`` left x where it was."""
    x, slope, _ = run.history.row(step)
    rate = _rate_at(run, step)
    if rate == 0 and _uses_learning_rate(run) and run.settings.learning_rate != 0:
        return (
            f"Stalled: the {run.settings.schedule.name} schedule has brought η "
            f"down to 0 by step {step:,}, so x stays at {_fmt(x)}."
        )
    if rate == 0 and _uses_learning_rate(run):
        return (
            f"Stalled: η = 0, so each step moves x by 0 and x stays at {_fmt(x)}. "
            "Set η to a positive value such as 0.1."
        )
    spacing = _fmt(math.ulp(x))
    if _is_plain_gd(run):
        move = _fmt(rate * slope)
        return (
            f"Stalled: the step η·f'(x) = {move} is too small to change "
            f"x = {_fmt(x)}, where floats are {spacing} apart. Use a larger η."
        )
    return (
        f"Stalled: the step is too small to change x = {_fmt(x)}, where "
        f"floats are {spacing} apart. Use a larger η."
    )


def _divergence_advice(run: Run, step: int) -> str:
    optimizer = run.settings.optimizer
    if not optimizer.uses_learning_rate:
        return f"{optimizer.name} ignores η; a start nearer the minimum may help."
    limit = _stable_rate_limit(run)
    if limit is None:
        return "Try a smaller η or a start nearer the minimum."
    return (
        f"On {run.function.name}, any learning rate above {_fmt(limit)} "
        f"diverges with {optimizer.name}. Try η = {_fmt(limit / 2)} or less."
    )


def _oscillation_advice(run: Run, step: int) -> str:
    limit = _stable_rate_limit(run)
    if limit is None:
        return "A smaller η shrinks the bounce."
    if _is_plain_gd(run) and _rate_at(run, step) == limit:
        return (
            f"On {run.function.name}, η = {_fmt(limit)} is exactly the edge "
            f"where each step lands on the mirror point; try η = "
            f"{_fmt(limit / 2)}."
        )
    return f"Any η below {_fmt(limit)} shrinks the bounce."


def _overshoot_advice(run: Run) -> str:
    limit = _stable_rate_limit(run)
    if limit is None or not _is_plain_gd(run):
        return "A smaller η overshoots less."
    # For gradient descent on a parabola the limit is 2/c and 1/c lands on
    # the minimum in one step.
    return (
        f"On {run.function.name}, any η between {_fmt(limit / 2)} and "
        f"{_fmt(limit)} overshoots like this; η = {_fmt(limit / 2)} lands in "
        "one step."
    )


def _remaining(run: Run, step: int, trend: Trend) -> str:
    """Estimate the steps left until |f'(x)| drops below the tolerance."""
    slope = abs(run.history.row(step)[1])
    tolerance = run.settings.tolerance
    if not (0 < trend.factor < 1 and tolerance > 0 and slope >= tolerance):
        return ""
    # Subtract logs: tolerance / slope can underflow to 0 for a huge slope.
    left = math.ceil((math.log(tolerance) - math.log(slope)) / math.log(trend.factor))
    more = "1 more step reaches" if left == 1 else f"{left:,} more steps reach"
    text = f"; at this rate about {more} the tolerance {format_number(tolerance)}"
    if step + left > run.settings.max_steps:
        text += f", more than max steps {run.settings.max_steps:,} allows"
    return text


def _stable_rate_limit(run: Run) -> float | None:
    """Return the η above which the run's optimizer diverges on its parabola.

    None unless f is a parabola (constant f'' > 0) and the optimizer knows
    such a limit, as gradient descent, momentum and Nesterov do.
    """
    curvature = run.function.quadratic_curvature
    if curvature is None or not curvature > 0:
        return None
    return run.settings.optimizer.max_stable_rate(curvature)


def _rate_at(run: Run, step: int) -> float:
    """Return the learning rate that the update from ``step`` uses."""
    settings = run.settings
    return settings.schedule.rate(settings.learning_rate, step, settings.max_steps)


def _is_plain_gd(run: Run) -> bool:
    return run.settings.optimizer.slug == "gd"


def _uses_learning_rate(run: Run) -> bool:
    return run.settings.optimizer.uses_learning_rate


def _fmt_factor(factor: float) -> str:
    """Format a per-step factor with enough digits to tell it apart from 1."""
    gap = abs(1 - factor)
    digits = 3
    if 0 < gap < 0.01:
        digits = min(15, 2 - math.floor(math.log10(gap)))
    return format_number(factor, digits)


def _steps(count: int) -> str:
    return "1 step" if count == 1 else f"{count:,} steps"


def _join(first: str, second: str) -> str:
    return f"{first} {second}" if second else first


def _fmt(number: float) -> str:
    return format_number(number)


def _fmt_below(number: float, limit: float) -> str:
    """Format ``number`` with enough digits to show that it is below ``limit``."""
    digits = 6
    while digits < 17 and format_number(number, digits) == format_number(limit, digits):
        digits += 2
    return format_number(number, digits)


def _fmt_short(number: float) -> str:
    """Format a sampled position or value, which is only good to 3 digits."""
    return format_number(number, 3)
