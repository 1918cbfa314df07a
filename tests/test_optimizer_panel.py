"""The optimizer panel alone, and inside the app through the m key."""

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Select

from tui_descent.app import DescentApp
from tui_descent.engine import RunSettings
from tui_descent.optimizers import OPTIMIZERS, Adam, GradientDescent, Momentum
from tui_descent.schedules import SCHEDULES, Constant, Cosine, StepDecay
from tui_descent.widgets.optimizer_panel import OptimizerPanel, OptimizerScreen


class PanelApp(App[None]):
    """A bare app around one panel, recording what it posts."""

    def __init__(self, optimizer, schedule):
        super().__init__()
        self.panel_args = (optimizer, schedule)
        self.applied = []

    def compose(self) -> ComposeResult:
        yield OptimizerPanel(*self.panel_args)

    def on_optimizer_panel_applied(self, event: OptimizerPanel.Applied) -> None:
        self.applied.append((event.optimizer, event.schedule))


def shown_fields(app) -> list[str]:
    return [field.id for field in app.query(Input) if field.display]


async def retype(pilot, field_id: str, text: str) -> None:
    """Replace the text of one field and press Enter."""
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def pick(pilot, select_id: str, slug: str, order: list[str]) -> None:
    """Open a picker with Enter and move to ``slug`` with the arrow keys."""
    select = pilot.app.screen.query_one(f"#{select_id}", Select)
    select.focus()
    await pilot.press("enter")
    moves = order.index(slug) - order.index(select.value)
    key = "down" if moves > 0 else "up"
    await pilot.press(*[key] * abs(moves), "enter")
    await pilot.pause()


async def test_panel_shows_chosen_fields_only():
    app = PanelApp(Adam(beta1=0.8), StepDecay(every=5))
    async with app.run_test(size=(100, 12)):
        assert shown_fields(app) == [
            "adam-beta1",
            "adam-beta2",
            "adam-epsilon",
            "step-every",
            "step-factor",
        ]
        assert app.query_one("#adam-beta1", Input).value == "0.8"
        assert app.query_one("#adam-epsilon", Input).value == "1e-08"
        assert app.query_one("#step-every", Input).value == "5"


async def test_picking_kind_swaps_fields():
    app = PanelApp(GradientDescent(), Constant())
    async with app.run_test(size=(100, 12)) as pilot:
        assert shown_fields(app) == []
        await pick(pilot, "optimizer-kind", "momentum", list(OPTIMIZERS))
        await pick(pilot, "schedule-kind", "cosine", list(SCHEDULES))
        assert shown_fields(app) == ["momentum-beta", "cosine-floor"]
        rule = str(app.query_one("#optimizer-rule").content)
        assert rule.startswith("Heavy-ball momentum: v_{k+1}")


async def test_enter_applies_valid_fields():
    app = PanelApp(Momentum(), Constant())
    async with app.run_test(size=(100, 12)) as pilot:
        await retype(pilot, "momentum-beta", "0.5")
        assert app.applied == [(Momentum(beta=0.5), Constant())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.5", "momentum beta = 1.5 is invalid; use a number in [0, 1) such as 0.9"),
        ("fast", "momentum β 'fast' is not a number"),
        ("", "momentum β is empty"),
        ("1e999", "momentum β cannot be infinite"),
    ],
)
async def test_invalid_field_is_named_not_applied(text, expected):
    app = PanelApp(Momentum(), Constant())
    async with app.run_test(size=(100, 12)) as pilot:
        await retype(pilot, "momentum-beta", text)
        panel = app.query_one(OptimizerPanel)
        assert expected in panel.message
        assert panel.message.endswith("The run on screen is unchanged.")
        assert app.applied == []


async def test_typing_shows_error_before_enter():
    app = PanelApp(Adam(), Cosine())
    async with app.run_test(size=(100, 12)) as pilot:
        field = app.query_one("#adam-beta2", Input)
        field.focus()
        field.value = "2"
        await pilot.pause()
        assert "Adam beta2 = 2.0 is invalid" in app.query_one(OptimizerPanel).message


async def choose_in_app(pilot, slug: str) -> None:
    """Open the panel with m, pick ``slug`` and press Apply."""
    await pilot.press("m")
    await pilot.pause()
    await pick(pilot, "optimizer-kind", slug, list(OPTIMIZERS))
    await pilot.click("#optimizer-apply")
    await pilot.pause()


async def test_m_key_switches_optimizer_and_restarts():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n")
        await choose_in_app(pilot, "adam")
        assert not isinstance(app.screen, OptimizerScreen)
        assert app.stepper.settings.optimizer == Adam()
        assert app.stepper.current == 0
        await pilot.press("n")
        # Adam's first step moves x by η = 0.1 whatever the slope.
        assert app.stepper.run.history.row(1)[0] == pytest.approx(7.9)


async def test_panel_keeps_run_on_invalid_value():
    app = DescentApp(settings=RunSettings(8.0, 0.1, 50, 1e-6, Momentum()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "n", "m")
        await pilot.pause()
        await retype(pilot, "momentum-beta", "1")
        assert isinstance(app.screen, OptimizerScreen)
        assert "momentum beta = 1.0 is invalid" in app.screen.panel.message
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, OptimizerScreen)
        assert app.stepper.settings.optimizer == Momentum()
        assert app.stepper.current == 3


async def test_panel_sets_hyperparameter_and_schedule():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        await pick(pilot, "optimizer-kind", "momentum", list(OPTIMIZERS))
        await pick(pilot, "schedule-kind", "step", list(SCHEDULES))
        app.screen.query_one("#step-every", Input).value = "3"
        await retype(pilot, "momentum-beta", "0.5")
        settings = app.stepper.settings
        assert settings.optimizer == Momentum(beta=0.5)
        assert settings.schedule == StepDecay(every=3)
        # The η field and the rest of the settings are kept.
        assert settings.learning_rate == 0.1
        assert settings.start == 8.0
