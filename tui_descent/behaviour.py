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
from itertools import pairwise

from .engine import MAX_ABS_X, Run, StopReason
from .numbers import format_number

WINDOW = 16
"""How many steps before ``step`` the step-by-step trend is read from."""

SWING_WINDOW = 64
"""How many steps before ``step`` the size of momentum's swings is read from.
A swing is the stretch between two sign changes of f'(x); with β = 0.9 on x²
it lasts about 7 steps at η = 0.1 and 23 steps at η = 0.01, so 64 steps hold
at least two whole swings down to η = 0.01."""

_STEADY = 1e-9
"""Relative change in |f'(x)| below which a bounce counts as constant size."""


@dataclass(frozen=True)
class Description:
    """Plain-words state and explanation of a run at one step."""

    state: str
    """A few plain words, such as ``converging`` or ``diverging``."""
    explanation: str
    """One or two sentences a learner reads."""


@dataclass(frozen=True)
class _Trend:
    """Measurements of the window of steps that ends at the described step."""

    steps: int
    crossings: int
    shrinking: bool
    growing: bool
    steady: bool
    rising: bool
    falling: bool
    swung: bool
    swings_shrink: bool
    factor: float


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
        if step == 0:
            text = (
                f"Converged at the start: |f'(x0)| = {_fmt(abs(slope))} is "
                f"already below the tolerance {tolerance}, so no step is needed."
            )
        else:
            text = (
                f"Converged: |f'(x)| = {_fmt(abs(slope))} is below the "
                f"tolerance {tolerance} after {_steps(step)}."
            )
        return Description("converged", text)
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
        return Description("diverged", _join(text, _divergence_advice(run)))
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
        return Description("diverged", _join(text, _divergence_advice(run)))
    if math.isnan(slope) or math.isnan(value):
        detail = getattr(run, "stop_detail", "")
        which = "f'(x)" if math.isnan(slope) else "f(x)"
        text = detail or (
            f"{which} is nan at x = {_fmt(x)}, so f is not defined there "
            "and the run stopped."
        )
        return Description("undefined", f"Undefined: {text}")
    which = "f'(x)" if math.isinf(slope) else "f(x)"
    number = slope if math.isinf(slope) else value
    return Description(
        "overflowed",
        f"Overflowed: {which} = {_fmt(number)} at x = {_fmt(x)}, beyond the "
        "largest float (about 1.8e308), so the run stopped. A smaller η or a "
        "start nearer the minimum keeps the numbers finite.",
    )


def _describe_progress(run: Run, step: int) -> Description:
    """Describe the steps up to ``step`` of a run that had not stopped there."""
    x, slope, _ = run.history.row(step)
    rate = run.settings.learning_rate
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
    if step == 0:
        direction = "towards smaller x" if slope > 0 else "towards larger x"
        return Description(
            "starting",
            f"Starting at x0 = {_fmt(x)} where f'(x0) = {_fmt(slope)}, so the "
            f"first step goes downhill, {direction}.",
        )
    if run.history.row(step - 1)[0] == x:
        return Description("stalled", _stall_text(run, step))
    return _describe_trend(run, step, _measure(run, step))


def _describe_trend(run: Run, step: int, trend: _Trend) -> Description:
    x = run.history.row(step)[0]
    factor = f"a factor of {format_number(trend.factor, 3)}"
    every_step = trend.crossings == trend.steps
    if trend.rising and (trend.growing or trend.steps == 1 and trend.factor > 1):
        how = (
            "each step overshoots the minimum by more than the last"
            if every_step
            else "f(x) rises every step"
        )
        text = f"Diverging: {how}, so |f'(x)| grows by {factor} per step."
        return Description("diverging", _join(text, _divergence_advice(run)))
    if every_step and trend.steady:
        previous = run.history.row(step - 1)[0]
        text = (
            f"Oscillating: x bounces between {_fmt(previous)} and {_fmt(x)} "
            f"with the same size every step, so it never gets closer."
        )
        return Description("oscillating", _join(text, _oscillation_advice(run)))
    if every_step and trend.shrinking:
        text = (
            "Converging while oscillating: x jumps across the minimum every "
            f"step, but |f'(x)| shrinks by {factor} per step."
        )
        advice = _overshoot_advice(run)
        return Description("converging, oscillating", _join(text, advice))
    if trend.crossings == 0 and trend.shrinking:
        state = "converging slowly" if trend.factor > 0.99 else "converging"
        text = (
            f"Converging smoothly: |f'(x)| shrinks by {factor} per step "
            f"without crossing the minimum{_remaining(run, step, trend)}."
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


def _measure(run: Run, step: int) -> _Trend:
    """Measure the window of at most WINDOW steps that ends at ``step``."""
    first = max(0, step - WINDOW)
    signed = run.history.slope[first : step + 1].tolist()
    slopes = [abs(s) for s in signed]
    signs = [s > 0 for s in signed]
    values = run.history.value[first : step + 1].tolist()
    ratios = [_ratio(after, before) for before, after in pairwise(slopes)]
    steps = len(slopes) - 1
    return _Trend(
        steps=steps,
        crossings=sum(a != b for a, b in pairwise(signs)),
        shrinking=all(r < 1 for r in ratios),
        growing=all(r > 1 for r in ratios),
        steady=all(abs(r - 1) <= _STEADY for r in ratios),
        rising=all(b > a for a, b in pairwise(values)),
        falling=all(b < a for a, b in pairwise(values)),
        **_measure_swings(run, step),
        factor=_ratio(slopes[-1], slopes[0]) ** (1 / steps),
    )


def _measure_swings(run: Run, step: int) -> dict[str, bool]:
    """Measure the swings across the minimum in the last SWING_WINDOW steps.

    ``swung`` tells whether f'(x) changed sign at all. ``swings_shrink`` tells
    whether each whole swing peaks at a smaller |f'(x)| than the one before;
    with fewer than two whole swings, it compares the peaks of the two halves.
    """
    first = max(0, step - SWING_WINDOW)
    signed = run.history.slope[first : step + 1].tolist()
    peaks: list[float] = []
    peak = None
    for before, after in pairwise(signed):
        if (before > 0) != (after > 0):
            if peak is not None:
                peaks.append(peak)
            peak = abs(after)
        elif peak is not None:
            peak = max(peak, abs(after))
    if len(peaks) >= 2:
        shrink = all(later < earlier for earlier, later in pairwise(peaks))
    else:
        half = len(signed) // 2
        magnitudes = [abs(s) for s in signed]
        shrink = max(magnitudes[half:]) < max(magnitudes[: half + 1])
    return {"swung": peak is not None, "swings_shrink": shrink}


def _ratio(after: float, before: float) -> float:
    if before == 0:
        return 1.0 if after == 0 else math.inf
    return after / before


def _stall_text(run: Run, step: int) -> str:
    x, slope, _ = run.history.row(step)
    rate = run.settings.learning_rate
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


def _divergence_advice(run: Run) -> str:
    curvature = _parabola_curvature(run)
    if curvature is None:
        return "Try a smaller η or a start nearer the minimum."
    return (
        f"On {run.function.name}, any learning rate above {_fmt(2 / curvature)} "
        f"diverges. Try η = {_fmt(1 / curvature)} or less."
    )


def _oscillation_advice(run: Run) -> str:
    curvature = _parabola_curvature(run)
    if curvature is None:
        return "A smaller η shrinks the bounce."
    edge = 2 / curvature
    if run.settings.learning_rate == edge:
        return (
            f"On {run.function.name}, η = {_fmt(edge)} is exactly the edge "
            f"where each step lands on the mirror point; try η = "
            f"{_fmt(1 / curvature)}."
        )
    return f"Any η below {_fmt(edge)} shrinks the bounce."


def _overshoot_advice(run: Run) -> str:
    curvature = _parabola_curvature(run)
    if curvature is None:
        return "A smaller η overshoots less."
    return (
        f"On {run.function.name}, any η between {_fmt(1 / curvature)} and "
        f"{_fmt(2 / curvature)} overshoots like this; η = {_fmt(1 / curvature)} "
        "lands in one step."
    )


def _remaining(run: Run, step: int, trend: _Trend) -> str:
    """Estimate the steps left until |f'(x)| drops below the tolerance."""
    slope = abs(run.history.row(step)[1])
    tolerance = run.settings.tolerance
    if not (0 < trend.factor < 1 and tolerance > 0 and slope >= tolerance):
        return ""
    left = math.ceil(math.log(tolerance / slope) / math.log(trend.factor))
    more = "1 more step reaches" if left == 1 else f"{left:,} more steps reach"
    text = f"; at this rate about {more} the tolerance {format_number(tolerance)}"
    if step + left > run.settings.max_steps:
        text += f", more than max steps {run.settings.max_steps:,} allows"
    return text


def _parabola_curvature(run: Run) -> float | None:
    """Return f'' of a parabola descended by plain gradient descent, else None.

    Only then do the thresholds 1/c (one step) and 2/c (divergence) hold.
    """
    curvature = run.function.quadratic_curvature
    if curvature is None or curvature <= 0 or not _is_plain_gd(run):
        return None
    return curvature


def _is_plain_gd(run: Run) -> bool:
    optimizer = getattr(run.settings, "optimizer", None)
    return getattr(optimizer, "slug", "gd") == "gd"


def _uses_learning_rate(run: Run) -> bool:
    optimizer = getattr(run.settings, "optimizer", None)
    return getattr(optimizer, "uses_learning_rate", True)


def _steps(count: int) -> str:
    return "1 step" if count == 1 else f"{count:,} steps"


def _join(first: str, second: str) -> str:
    return f"{first} {second}" if second else first


def _fmt(number: float) -> str:
    return format_number(number)
