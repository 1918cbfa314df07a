"""Known first steps and behaviours of every optimizer on f(x) = x²."""

import math

import pytest

from tui_descent.engine import History, Run, RunSettings, StopReason
from tui_descent.functions import QUADRATIC, Function
from tui_descent.optimizers import (
    OPTIMIZERS,
    AdaGrad,
    Adam,
    GradientDescent,
    Momentum,
    Nesterov,
    Newton,
    RMSProp,
    optimizer_from_slug,
)
from tui_descent.schedules import Cosine


def run_with(optimizer, start=8.0, learning_rate=0.1, max_steps=50, function=QUADRATIC):
    settings = RunSettings(start, learning_rate, max_steps, 1e-6, optimizer=optimizer)
    run = Run(function=function, settings=settings)
    run.run_to_end()
    return run


def test_gradient_descent_first_step():
    run = run_with(GradientDescent())
    # f'(8) = 16, so x1 = 8 - 0.1 * 16.
    assert run.history.row(1)[0] == pytest.approx(8 - 0.1 * 16, rel=1e-15)
    assert run.history.extra(1) == ()


def test_momentum_first_two_steps():
    run = run_with(Momentum())
    # v1 = 0.9 * 0 + 16 = 16, x1 = 8 - 0.1 * 16 = 6.4.
    assert run.history.extra(1) == pytest.approx((16.0,), rel=1e-15)
    assert run.history.row(1)[0] == pytest.approx(6.4, rel=1e-15)
    # v2 = 0.9 * 16 + f'(6.4) = 14.4 + 12.8 = 27.2, x2 = 6.4 - 0.1 * 27.2.
    assert run.history.extra(2) == pytest.approx((27.2,), rel=1e-14)
    assert run.history.row(2)[0] == pytest.approx(6.4 - 0.1 * 27.2, rel=1e-14)


def test_nesterov_first_step():
    run = run_with(Nesterov())
    # v1 = 0.9 * 0 + 16 = 16, x1 = 8 - 0.1 * (16 + 0.9 * 16) = 8 - 3.04.
    assert run.history.extra(1) == pytest.approx((16.0,), rel=1e-15)
    assert run.history.row(1)[0] == pytest.approx(8 - 0.1 * (16 + 0.9 * 16), rel=1e-15)


def test_adagrad_first_two_steps():
    run = run_with(AdaGrad())
    # G1 = 0 + 16² = 256, x1 = 8 - 0.1 * 16 / (√256 + 1e-8) ≈ 7.9.
    x1 = 8 - 0.1 * 16 / (16 + 1e-8)
    assert run.history.extra(1) == (256.0,)
    assert run.history.row(1)[0] == pytest.approx(x1, rel=1e-15)
    # G2 = 256 + (2 * x1)², x2 = x1 - 0.1 * 2 * x1 / (√G2 + 1e-8).
    g2 = 256 + (2 * x1) ** 2
    assert run.history.extra(2)[0] == pytest.approx(g2, rel=1e-14)
    expected = x1 - 0.1 * 2 * x1 / (math.sqrt(g2) + 1e-8)
    assert run.history.row(2)[0] == pytest.approx(expected, rel=1e-14)


def test_rmsprop_first_step():
    run = run_with(RMSProp())
    # s1 = 0.9 * 0 + 0.1 * 16² = 25.6, x1 = 8 - 0.1 * 16 / (√25.6 + 1e-8).
    assert run.history.extra(1)[0] == pytest.approx(25.6, rel=1e-14)
    expected = 8 - 0.1 * 16 / (math.sqrt(25.6) + 1e-8)
    assert run.history.row(1)[0] == pytest.approx(expected, rel=1e-14)


def test_adam_first_step():
    run = run_with(Adam())
    # m1 = 0.1 * 16 = 1.6 and v1 = 0.001 * 256 = 0.256; bias correction gives
    # m̂ = 1.6 / 0.1 = 16 and v̂ = 0.256 / 0.001 = 256, so x1 = 8 - 0.1 * 16 / 16.
    m1, v1 = run.history.extra(1)
    assert m1 == pytest.approx(1.6, rel=1e-14)
    assert v1 == pytest.approx(0.256, rel=1e-12)
    expected = 8 - 0.1 * 16 / (16 + 1e-8)
    assert run.history.row(1)[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e6])
def test_adam_first_step_ignores_gradient_scale(scale):
    steep = Function(
        name=f"{scale:g}x²",
        formula=f"{scale:g}*x^2",
        derivative_formula=f"{2 * scale:g}x",
        f=lambda x: scale * x * x,
        df=lambda x: 2 * scale * x,
    )
    run = run_with(Adam(), start=3.0, max_steps=1, function=steep)
    moved = 3.0 - run.history.row(1)[0]
    # At the first step m̂ / (√v̂ + ε) = g / (|g| + ε), which is 1 for g ≫ ε.
    assert moved == pytest.approx(0.1, rel=1e-4)


def test_newton_lands_on_minimum_in_one_step():
    run = run_with(Newton())
    # x1 = 8 - f'(8) / f''(8) = 8 - 16 / 2 = 0.
    assert run.history.row(1) == (0.0, 0.0, 0.0)
    assert run.stop_reason is StopReason.CONVERGED
    assert run.last_step == 1


def test_newton_on_shifted_bowl():
    bowl = Function(
        name="(x−3)²+1",
        formula="(x-3)^2+1",
        derivative_formula="2(x-3)",
        f=lambda x: (x - 3) ** 2 + 1,
        df=lambda x: 2 * (x - 3),
        d2f=lambda x: 2.0,
    )
    run = run_with(Newton(), start=-5.0, function=bowl)
    # x1 = -5 - 2 * (-5 - 3) / 2 = 3, where f = 1.
    assert run.history.row(1) == (3.0, 0.0, 1.0)
    assert run.stop_reason is StopReason.CONVERGED


def test_newton_without_second_derivative_is_undefined():
    plain = Function(
        name="x² without f''",
        formula="x^2",
        derivative_formula="2x",
        f=QUADRATIC.f,
        df=QUADRATIC.df,
    )
    run = run_with(Newton(), function=plain)
    assert run.stop_reason is StopReason.UNDEFINED
    assert run.last_step == 0
    assert "needs f''(x)" in run.stop_detail


def test_newton_with_flat_curvature_is_undefined():
    cubic = Function(
        name="x³",
        formula="x^3",
        derivative_formula="3x^2",
        f=lambda x: x**3,
        df=lambda x: 3 * x * x,
        d2f=lambda x: 6 * x,
    )
    # From x = 1: x1 = 1 - 3 / 6 = 0.5, ... the Newton steps halve x, so
    # f''(x) = 6x never reaches 0 exactly; start at the inflection instead.
    run = run_with(Newton(), start=0.0, function=cubic, max_steps=5)
    assert run.stop_reason is StopReason.CONVERGED
    run = Run(
        function=Function(
            name="x³ + x",
            formula="x^3+x",
            derivative_formula="3x^2+1",
            f=lambda x: x**3 + x,
            df=lambda x: 3 * x * x + 1,
            d2f=lambda x: 6 * x,
        ),
        settings=RunSettings(0.0, 0.1, 5, 1e-6, optimizer=Newton()),
    )
    run.run_to_end()
    assert run.stop_reason is StopReason.UNDEFINED
    assert "f''(x) = 0 at x = 0" in run.stop_detail


def test_newton_ignores_learning_rate():
    run = run_with(Newton(), learning_rate=0.0)
    assert run.history.row(1)[0] == 0.0


def test_momentum_overshoots_before_settling():
    run = run_with(Momentum(), max_steps=1000)
    xs = run.history.x
    assert min(xs) < 0
    assert run.stop_reason is StopReason.CONVERGED


def test_optimizers_converge_on_bowl():
    for optimizer in (Momentum(), Nesterov(), RMSProp(), Adam(), Newton()):
        run = run_with(optimizer, learning_rate=0.1, max_steps=5000)
        assert run.stop_reason is StopReason.CONVERGED, optimizer.slug


def test_state_columns_follow_x_slope_value():
    run = run_with(Adam(), max_steps=3)
    assert list(run.history.columns()) == ["x", "slope", "value", "m", "v"]
    assert len(run.history.columns()["v"]) == 4


def test_schedule_adds_learning_rate_column():
    settings = RunSettings(8.0, 0.1, 4, 1e-6, optimizer=Momentum(), schedule=Cosine())
    run = Run(settings=settings)
    run.run_to_end()
    columns = run.history.columns()
    assert list(columns) == ["x", "slope", "value", "velocity", "learning_rate"]
    # η_0 = 0.1 and the cosine reaches its floor 0 at step 4 = max steps.
    assert columns["learning_rate"][0] == pytest.approx(0.1)
    assert columns["learning_rate"][4] == pytest.approx(0.0, abs=1e-18)


def test_runs_are_deterministic():
    for optimizer in (
        GradientDescent(),
        Momentum(),
        Nesterov(),
        AdaGrad(),
        RMSProp(),
        Adam(),
        Newton(),
    ):
        first = run_with(optimizer, max_steps=300)
        second = run_with(optimizer, max_steps=300)
        for name, column in first.history.columns().items():
            assert column.tolist() == second.history.columns()[name].tolist(), name


def test_rewinding_and_continuing_repeats_history():
    reference = run_with(Adam(), max_steps=40)
    run = run_with(Adam(), max_steps=40)
    run.history.truncate(20)
    run.stop_reason = StopReason.RUNNING
    run.run_to_end()
    assert run.history.x.tolist() == reference.history.x.tolist()
    assert (
        run.history.columns()["v"].tolist() == reference.history.columns()["v"].tolist()
    )


def test_zero_rate_stalls_stateful_optimizers():
    for optimizer in (Momentum(), Adam()):
        run = run_with(optimizer, learning_rate=0.0)
        assert run.stop_reason is StopReason.STALLED, optimizer.slug
        assert run.last_step == 0


def test_settings_compare_by_value():
    assert RunSettings(optimizer=Adam()) == RunSettings(optimizer=Adam())
    assert RunSettings(optimizer=Adam(beta1=0.8)) != RunSettings(optimizer=Adam())
    assert hash(RunSettings(optimizer=Momentum(0.5))) == hash(
        RunSettings(optimizer=Momentum(0.5))
    )
    assert RunSettings().optimizer == GradientDescent()


def test_slugs_build_every_optimizer():
    assert list(OPTIMIZERS) == [
        "gd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "newton",
    ]
    for slug, kind in OPTIMIZERS.items():
        assert isinstance(optimizer_from_slug(slug), kind)
        assert optimizer_from_slug(slug).slug == slug


def test_unknown_slug_names_choices():
    with pytest.raises(
        ValueError, match="unknown optimizer 'sgd'; choose one of gd, momentum"
    ):
        optimizer_from_slug("sgd")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Momentum(beta=1.0), "momentum beta = 1.0 is invalid"),
        (lambda: Nesterov(beta=-0.1), "Nesterov beta = -0.1 is invalid"),
        (lambda: RMSProp(rho=math.nan), "RMSProp rho = nan is invalid"),
        (lambda: Adam(beta2=1.5), "Adam beta2 = 1.5 is invalid"),
        (lambda: Adam(epsilon=0.0), "epsilon = 0.0 is invalid"),
        (lambda: AdaGrad(epsilon=math.inf), "epsilon = inf is invalid"),
    ],
)
def test_invalid_hyperparameters_are_rejected(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_huge_values_stop_without_traceback():
    for optimizer in OPTIMIZERS.values():
        for start, rate in ((1e150, 1e300), (1e-300, 1e300), (8.0, -1e300)):
            run = run_with(optimizer(), start=start, learning_rate=rate, max_steps=100)
            assert run.stop_reason.stopped
            assert run.stop_reason is not StopReason.CONVERGED or math.isfinite(
                run.history.row(run.last_step)[1]
            )


def test_million_rows_fit_in_memory():
    history = History(extra_columns=("m", "v", "learning_rate"))
    for step in range(1_000_001):
        history.append(8.0, 16.0, 64.0, 1.6, 0.256, 0.1)
    columns = history.columns()
    assert len(columns["v"]) == 1_000_001
    assert columns["learning_rate"][-1] == 0.1
    # Capacity doubles from 64 to 2^20 rows: six float64 columns of 8 MiB.
    assert sum(column.base.nbytes for column in columns.values()) == 6 * 8 * 2**20
