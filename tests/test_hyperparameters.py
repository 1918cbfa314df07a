"""Hyperparameters read from typed text, as the panel and options read them."""

import pytest

from tui_descent.hyperparameters import (
    build,
    describe_optimizer,
    describe_schedule,
    parameters_of,
    values_of,
)
from tui_descent.optimizers import Adam, GradientDescent, Momentum, RMSProp
from tui_descent.schedules import Constant, Cosine, ExponentialDecay, StepDecay


def test_adam_lists_its_three_fields():
    parameters = parameters_of(Adam)
    assert [p.field for p in parameters] == ["beta1", "beta2", "epsilon"]
    assert [p.symbol for p in parameters] == ["β₁", "β₂", "ε"]
    assert [p.default for p in parameters] == [0.9, 0.999, 1e-8]


def test_plain_descent_has_no_fields():
    assert parameters_of(GradientDescent) == ()


def test_build_reads_typed_values():
    assert build(Adam, {"beta1": " 0.8 ", "epsilon": "1e-6"}) == Adam(0.8, 0.999, 1e-6)
    assert build(StepDecay, {"every": "5", "factor": "0.25"}) == StepDecay(5, 0.25)


def test_build_keeps_defaults_for_absent_fields():
    assert build(RMSProp, {}) == RMSProp()


@pytest.mark.parametrize(
    ("kind", "texts", "message"),
    [
        (Momentum, {"beta": "1"}, "momentum beta = 1.0 is invalid; use a number in [0, 1)"),
        (Momentum, {"beta": "fast"}, "momentum β 'fast' is not a number"),
        (Adam, {"beta2": "nan"}, "Adam β₂ cannot be nan"),
        (Adam, {"epsilon": "0"}, "epsilon = 0.0 is invalid"),
        (StepDecay, {"every": "2.5"}, "step decay every '2.5' is not a whole number"),
        (StepDecay, {"every": "0"}, "step decay every = 0 is invalid"),
        (ExponentialDecay, {"factor": "1.5"}, "factor = 1.5 is invalid; use a number in (0, 1]"),
        (Cosine, {"floor": "inf"}, "cosine floor cannot be infinite"),
    ],
)
def test_invalid_text_names_value_and_fix(kind, texts, message):
    with pytest.raises(ValueError) as error:
        build(kind, texts)
    assert message in str(error.value)


def test_values_of_reads_fields():
    assert values_of(Adam(beta1=0.5)) == {"beta1": 0.5, "beta2": 0.999, "epsilon": 1e-8}
    assert values_of(Constant()) == {}


def test_descriptions_show_changed_values_only():
    assert describe_optimizer(Adam()) == "Adam"
    assert describe_optimizer(Momentum(beta=0.5)) == "momentum β=0.5"
    assert describe_schedule(Constant()) == ""
    assert describe_schedule(StepDecay(every=5)) == "step every=5"
