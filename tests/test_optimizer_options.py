"""--optimizer, --schedule and their hyperparameters, in the app and batch mode."""

import pytest
from rich.console import Console

from tui_descent.batch import main as run_batch
from tui_descent.cli import build_parser, settings_from_args
from tui_descent.optimizers import Adam, GradientDescent, Momentum, Nesterov, RMSProp
from tui_descent.schedules import Constant, Cosine, ExponentialDecay, StepDecay


def settings_of(*argv):
    return settings_from_args(build_parser().parse_args(list(argv)))


def test_defaults_are_plain_descent_constant_rate():
    settings = settings_of()
    assert settings.optimizer == GradientDescent()
    assert settings.schedule == Constant()


@pytest.mark.parametrize(
    ("argv", "optimizer"),
    [
        (["--optimizer", "adam"], Adam()),
        (["--optimizer", " ADAM ", "--beta1", "0.8", "--beta2", "0.99"], Adam(0.8, 0.99)),
        (["--optimizer", "adam", "--eps", "1e-6"], Adam(epsilon=1e-6)),
        (["--optimizer", "momentum", "--momentum", "0.5"], Momentum(0.5)),
        (["--optimizer", "nesterov", "--momentum", "0.7"], Nesterov(0.7)),
        (["--optimizer", "rmsprop", "--rho", "0.5", "--epsilon", "1e-4"], RMSProp(0.5, 1e-4)),
    ],
)
def test_optimizer_options_build_optimizer(argv, optimizer):
    assert settings_of(*argv).optimizer == optimizer


@pytest.mark.parametrize(
    ("argv", "schedule"),
    [
        (["--schedule", "step"], StepDecay()),
        (["--schedule", "step", "--step-size", "5", "--decay", "0.25"], StepDecay(5, 0.25)),
        (["--schedule", "exponential", "--decay", "0.9"], ExponentialDecay(0.9)),
        (["--schedule", "cosine", "--min-lr", "0.001"], Cosine(0.001)),
    ],
)
def test_schedule_options_build_schedule(argv, schedule):
    assert settings_of(*argv).schedule == schedule


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--optimizer", "adamw"], "argument --optimizer: unknown optimizer 'adamw'"),
        (["--optimizer", "adam", "--beta1", "1"], "argument --beta1: Adam beta1 = 1.0 is invalid"),
        (["--optimizer", "adam", "--beta2", "x"], "argument --beta2: Adam β₂ 'x' is not a number"),
        (["--optimizer", "adam", "--eps", "-1"], "argument --eps/--epsilon: epsilon = -1.0"),
        (["--schedule", "linear"], "argument --schedule: unknown schedule 'linear'"),
        (["--schedule", "step", "--step-size", "0"], "argument --step-size: step decay every = 0"),
        (["--beta1", "0.8"], "--beta1 applies only to --optimizer adam, not to gd"),
        (["--momentum", "0.5"], "--momentum applies only to --optimizer momentum or nesterov"),
        (["--optimizer", "gd", "--rho", "0.5"], "--rho applies only to --optimizer rmsprop"),
        (["--schedule", "cosine", "--decay", "0.5"], "--decay applies only to --schedule step or exponential"),
        (["--min-lr", "0.1"], "--min-lr applies only to --schedule cosine, not to constant"),
    ],
)
def test_bad_option_exits_2_naming_it(argv, message, capsys):
    check_exits_2_naming(argv, message, capsys)


def check_exits_2_naming(argv: list[str], message: str, capsys) -> None:
    """Check that parsing ``argv`` exits with status 2 and one line containing ``message``."""
    with pytest.raises(SystemExit) as stop:
        settings_of(*argv)
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1


def test_batch_mode_runs_adam(capsys):
    console = Console(width=100, record=True, color_system=None)
    status = run_batch(
        ["--optimizer", "adam", "--max-steps", "3", "--no-chart"], console=console
    )
    assert status == 1
    text = console.export_text()
    assert "optimizer Adam" in text
    # Adam's first step moves x by η whatever the slope: 8 - 0.1 = 7.9.
    assert "7.9" in text


def test_batch_mode_rejects_misplaced_option(capsys):
    with pytest.raises(SystemExit) as stop:
        run_batch(["--beta2", "0.9"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.startswith("descend-tui run: error: --beta2")
