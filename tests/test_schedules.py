"""Learning rates of each schedule at chosen steps, worked out by hand."""

import math

import pytest

from tui_descent.engine import Run, RunSettings
from tui_descent.schedules import (
    SCHEDULES,
    Constant,
    Cosine,
    ExponentialDecay,
    StepDecay,
    schedule_from_slug,
)


def test_constant_keeps_rate():
    for step in (0, 1, 49, 10_000):
        assert Constant().rate(0.1, step, 50) == 0.1


def test_step_decay_halves_every_ten_steps():
    schedule = StepDecay(every=10, factor=0.5)
    assert schedule.rate(0.1, 0, 50) == 0.1
    assert schedule.rate(0.1, 9, 50) == 0.1
    # ⌊10 / 10⌋ = 1 drop: 0.1 * 0.5.
    assert schedule.rate(0.1, 10, 50) == 0.05
    # ⌊25 / 10⌋ = 2 drops: 0.1 * 0.5².
    assert schedule.rate(0.1, 25, 50) == pytest.approx(0.025, rel=1e-15)


def test_exponential_decay_multiplies_every_step():
    schedule = ExponentialDecay(factor=0.9)
    assert schedule.rate(0.1, 0, 50) == 0.1
    assert schedule.rate(0.1, 1, 50) == pytest.approx(0.09, rel=1e-15)
    # 0.1 * 0.9³ = 0.0729.
    assert schedule.rate(0.1, 3, 50) == pytest.approx(0.0729, rel=1e-14)


def test_cosine_falls_to_floor_over_max_steps():
    schedule = Cosine(floor=0.01)
    assert schedule.rate(0.1, 0, 100) == pytest.approx(0.1, rel=1e-15)
    # Halfway, cos(π/2) = 0: 0.01 + 0.09 * (1 + 0) / 2 = 0.055.
    assert schedule.rate(0.1, 50, 100) == pytest.approx(0.055, rel=1e-14)
    # A quarter in, cos(π/4) = √2/2: 0.01 + 0.09 * (1 + √2/2) / 2.
    quarter = 0.01 + 0.09 * (1 + math.sqrt(2) / 2) / 2
    assert schedule.rate(0.1, 25, 100) == pytest.approx(quarter, rel=1e-14)
    assert schedule.rate(0.1, 100, 100) == pytest.approx(0.01, rel=1e-14)
    # Past max steps the rate stays at the floor.
    assert schedule.rate(0.1, 500, 100) == pytest.approx(0.01, rel=1e-14)


def test_cosine_with_zero_max_steps():
    assert Cosine().rate(0.1, 0, 0) == pytest.approx(0.1)


def test_schedule_drives_gradient_descent():
    settings = RunSettings(8.0, 0.1, 3, 0.0, schedule=ExponentialDecay(factor=0.5))
    run = Run(settings=settings)
    run.run_to_end()
    # η_0 = 0.1: x1 = 8 - 0.1 * 16 = 6.4. η_1 = 0.05: x2 = 6.4 - 0.05 * 12.8 = 5.76.
    assert run.history.row(1)[0] == pytest.approx(6.4, rel=1e-15)
    assert run.history.row(2)[0] == pytest.approx(5.76, rel=1e-15)
    assert run.history.columns()["learning_rate"].tolist() == pytest.approx(
        [0.1, 0.05, 0.025, 0.0125]
    )


def test_slugs_build_every_schedule():
    assert list(SCHEDULES) == ["constant", "step", "exponential", "cosine"]
    for slug, kind in SCHEDULES.items():
        assert isinstance(schedule_from_slug(slug), kind)


def test_unknown_schedule_names_choices():
    with pytest.raises(
        ValueError, match="unknown schedule 'linear'; choose one of constant"
    ):
        schedule_from_slug("linear")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: StepDecay(every=0), "step decay every = 0 is invalid"),
        (lambda: StepDecay(factor=0.0), "step decay factor = 0.0 is invalid"),
        (
            lambda: ExponentialDecay(factor=1.5),
            "exponential decay factor = 1.5 is invalid",
        ),
        (lambda: ExponentialDecay(factor=math.nan), "factor = nan is invalid"),
        (lambda: Cosine(floor=math.inf), "cosine floor = inf is invalid"),
    ],
)
def test_invalid_parameters_are_rejected(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_settings_with_schedules_compare_by_value():
    assert RunSettings(schedule=StepDecay(5, 0.5)) == RunSettings(
        schedule=StepDecay(5, 0.5)
    )
    assert RunSettings(schedule=StepDecay(5, 0.5)) != RunSettings(
        schedule=StepDecay(6, 0.5)
    )
    assert len({RunSettings(schedule=Cosine()), RunSettings(schedule=Cosine())}) == 1
