"""A cosine floor above the learning rate: rejected on the command line and
in the optimizer panel, with both values and the fix in the message."""

from __future__ import annotations

import pytest
from test_optimizer_options import check_exits_2_naming, settings_of
from test_optimizer_panel import retype
from textual.app import App, ComposeResult
from textual.widgets import Input

from tui_descent.app import DescentApp
from tui_descent.limits import exact_text
from tui_descent.optimizers import GradientDescent
from tui_descent.run_settings import RunSettings
from tui_descent.schedules import Constant, Cosine, StepDecay, check_floor
from tui_descent.widgets.optimizer_panel import OptimizerPanel


@pytest.mark.parametrize(
    ("schedule", "learning_rate"),
    [
        (Cosine(0.05), 0.1),
        (Cosine(0.1), 0.1),
        (Cosine(0.0), 0.1),
        (Cosine(0.0), -1.0),
        (Cosine(0.0), 0.0),
        (Constant(), 0.1),
        (StepDecay(), 1e-300),
    ],
)
def test_floor_at_or_below_rate_passes(schedule, learning_rate):
    assert check_floor(schedule, learning_rate) is None


@pytest.mark.parametrize(
    ("floor", "learning_rate", "message"),
    [
        (
            0.5,
            0.1,
            "cosine floor 0.5 is above learning rate 0.1, so the cosine schedule "
            "would raise η over the run instead of lowering it. Use cosine floor "
            "0.1 or less, or learning rate 0.5 or more",
        ),
        (
            0.001,
            -1.0,
            "cosine floor 0.001 is above learning rate -1, so the cosine "
            "schedule would raise η over the run instead of lowering it. Use "
            "cosine floor 0, or learning rate 0.001 or more",
        ),
        (
            0.10000000001,
            0.1,
            "cosine floor 0.10000000001 is above learning rate 0.1",
        ),
    ],
)
def test_floor_above_rate_is_rejected(floor, learning_rate, message):
    with pytest.raises(ValueError) as error:
        check_floor(Cosine(floor), learning_rate)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.1, "0.1"), (1e-08, "1e-08"), (10.0, "10"), (-1.0, "-1"), (0.0, "0"),
     (0.12345678901234566, "0.12345678901234566"), (7, "7")],
)
def test_exact_text_keeps_every_digit(value, text):
    assert exact_text(value) == text
    assert float(exact_text(value)) == value


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--schedule", "cosine", "--min-lr", "0.5"],
            "error: --min-lr 0.5 is above --lr 0.1, so the cosine schedule would "
            "raise η over the run instead of lowering it. Use --min-lr 0.1 or "
            "less, or --lr 0.5 or more",
        ),
        (
            ["--schedule", "cosine", "--lr", "1e-4", "--min-lr", "1e-3"],
            "--min-lr 0.001 is above --lr 0.0001",
        ),
        (
            ["--schedule", "cosine", "--lr", "-1", "--min-lr", "0.001"],
            "Use --min-lr 0, or --lr 0.001 or more",
        ),
    ],
)
def test_min_lr_above_lr_exits_2(argv, message, capsys):
    check_exits_2_naming(argv, message, capsys)


@pytest.mark.parametrize(
    ("argv", "floor"),
    [
        (["--schedule", "cosine", "--min-lr", "0.1"], 0.1),
        (["--schedule", "cosine", "--lr", "1", "--min-lr", "0.5"], 0.5),
        (["--schedule", "cosine", "--lr", "-1"], 0.0),
    ],
)
def test_min_lr_up_to_lr_is_accepted(argv, floor):
    assert settings_of(*argv).schedule == Cosine(floor)


class FloorPanelApp(App[None]):
    """A bare app around a panel for a run with η = 0.1, recording applies."""

    def __init__(self) -> None:
        super().__init__()
        self.applied = []

    def compose(self) -> ComposeResult:
        yield OptimizerPanel(GradientDescent(), Cosine(), learning_rate=0.1)

    def on_optimizer_panel_applied(self, event: OptimizerPanel.Applied) -> None:
        self.applied.append((event.optimizer, event.schedule))


async def test_panel_rejects_floor_above_rate():
    app = FloorPanelApp()
    async with app.run_test(size=(100, 12)) as pilot:
        await retype(pilot, "cosine-floor", "0.5")
        message = app.query_one(OptimizerPanel).message
        assert "floor 0.5 is above η 0.1" in message
        assert "Use floor 0.1 or less, or η 0.5 or more" in message
        assert message.endswith("The run on screen is unchanged.")
        assert app.applied == []


async def test_panel_applies_floor_at_rate():
    app = FloorPanelApp()
    async with app.run_test(size=(100, 12)) as pilot:
        await retype(pilot, "cosine-floor", "0.1")
        assert app.applied == [(GradientDescent(), Cosine(0.1))]


async def test_halving_below_the_cosine_floor_is_refused():
    settings = RunSettings(8.0, 0.1, 50, 1e-6, schedule=Cosine(floor=0.08))
    app = DescentApp(settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("left_square_bracket")
        assert app.stepper.settings.learning_rate == 0.1
        message = app.views.bar.message
        assert "floor 0.08 is above η 0.05" in message


async def test_typed_rate_below_the_cosine_floor_is_refused():
    settings = RunSettings(8.0, 0.1, 50, 1e-6, schedule=Cosine(floor=0.08))
    app = DescentApp(settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        field = app.query_one("#learning-rate", Input)
        field.focus()
        field.value = "0.01"
        await pilot.press("enter")
        assert app.stepper.settings.learning_rate == 0.1
        assert "floor 0.08 is above η 0.01" in app.views.bar.message
