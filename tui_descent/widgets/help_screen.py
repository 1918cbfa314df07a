"""The help screen: what a derivative is, what a step does, and the keys."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

LESSON = """\
# How gradient descent walks downhill

**The derivative is the slope of the hill.** At a point x, f'(x) tells how
fast f rises as x grows. On f(x) = x² the slope is f'(x) = 2x: steep and
positive far to the right, zero at the bottom, negative on the left.

**One step moves against the slope.** Gradient descent takes
x ← x − η·f'(x). Where the ground rises to the right (f'(x) > 0) it steps
left, and the steeper the ground, the bigger the step. The learning rate η
scales every step. From x = 8 with η = 0.1 on x², each step multiplies x by
0.8, so x shrinks smoothly towards the minimum at 0.

**Too large a learning rate overshoots.** A big η jumps past the bottom to
the other side. On x², η between 0.5 and 1 lands on the far side each time
but still closes in; η = 1 bounces between +x0 and −x0 forever; above 1
every jump lands higher than the last and the run diverges. Halve η with
`[` and double it with `]` to see each case.

**Other optimizers change how a step uses the slope.** Momentum keeps a
velocity, so steps build up along a steady slope and can roll through a
small dip. AdaGrad, RMSProp and Adam divide each step by a running size of
recent slopes, so their step length depends on η far more than on how
steep the ground is.
Newton's method divides the slope by the curvature f''(x) and lands on the
minimum of a parabola in one step. Press `m` to pick one, and `a` to add a
run beside the first and compare them step by step.

The run stops when |f'(x)| falls below the tolerance (converged), when it
reaches the maximum number of steps, when x stops changing (stalled), when x
grows past 1e150 (diverged), when f(x) or f'(x) no longer fits in a float
(overflowed), or when f is not defined at x, such as log x at 0 (undefined).
"""


def key_table(bindings: Iterable[Binding]) -> str:
    """Build a Markdown table of the keys and what each one does.

    Bindings that share a description, such as ``n`` and ``space``, are
    listed in one row.
    """
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        keys = rows.setdefault(binding.description, [])
        keys.extend(
            f"`{binding.key_display or key}`"
            for key in binding.key.split(",")
        )
    lines = ["| Key | Action |", "| --- | --- |"]
    lines.extend(f"| {' '.join(keys)} | {action} |" for action, keys in rows.items())
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    """A modal screen with the lesson and the key table; any of Esc, q, ? closes it."""

    AUTO_FOCUS = "#help-body"
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self._keys = key_table(bindings)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(LESSON + "\n## Keys\n\n" + self._keys)
