import math

import pytest
import torch
from torch import nn

from cnnlib import text
from cnnlib.layer_checks import (
    COLUMNS,
    DEFAULT_CASES,
    LayerCase,
    analogue_differences,
    display_table,
    check_layers,
    column_labels,
    gradcheck_variants,
)


class _DoubledBackwardSwish(torch.autograd.Function):
    """SiLU whose backward returns twice the true gradient: a deliberately wrong layer."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        sigmoid = torch.sigmoid(x)
        return 2 * grad_out * sigmoid * (1 + x * (1 - sigmoid))


class _BrokenSwish(nn.Module):
    def forward(self, x):
        return _DoubledBackwardSwish.apply(x)


class _WrongShapeFunction(torch.autograd.Function):
    """Identity whose backward returns a gradient of the wrong shape."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out.sum(dim=0)


class _WrongShape(nn.Module):
    def forward(self, x):
        return _WrongShapeFunction.apply(x)


BROKEN = LayerCase("BrokenSwish", lambda: _BrokenSwish(), lambda: (_BrokenSwish(), nn.SiLU()), "checks.analogue.silu")


@pytest.fixture(scope="module")
def default_table():
    return check_layers()


def test_default_layers_pass_every_variant(default_table):
    assert list(default_table["layer"]) == [case.name for case in DEFAULT_CASES]
    assert (default_table["gradcheck_total"] == 9).all()
    assert (default_table["gradcheck_passed"] == 9).all()
    assert (default_table["gradcheck_failed"] == "—").all()


def test_default_layers_match_analogues_to_rounding(default_table):
    assert (default_table["forward_max_abs_diff"] < 1e-12).all()
    assert (default_table["grad_max_abs_diff"] < 1e-12).all()


def test_analogue_gradients_cover_shared_parameters(default_table):
    compared = dict(zip(default_table["layer"], default_table["gradients_compared"]))
    assert compared["ScaledConv2d"] == "x, weight, bias"
    assert compared["Swish"] == "x"
    assert compared["GeM"] == "x"
    assert compared["SqueezeExcitation"] == "x, fc1.weight, fc1.bias, fc2.weight, fc2.bias"


def test_wrong_backward_fails_gradcheck():
    outcomes = gradcheck_variants(BROKEN)
    assert len(outcomes) == 9
    assert not any(outcomes.values())


def test_wrong_backward_shows_in_table():
    table = check_layers([BROKEN])
    row = table.iloc[0]
    assert row["gradcheck_passed"] == 0
    assert "contiguous + none" in row["gradcheck_failed"]
    assert "channels_last + cat" in row["gradcheck_failed"]
    # Forward is right, so only the gradients differ from F.silu.
    assert row["forward_max_abs_diff"] < 1e-12
    assert row["grad_max_abs_diff"] > 0.1


def test_wrong_gradient_shape_counts_as_failed():
    case = LayerCase("WrongShape", lambda: _WrongShape(), lambda: (_WrongShape(), nn.Identity()),
                     "checks.analogue.reference")
    assert not any(gradcheck_variants(case).values())


def test_analogue_difference_of_a_scaled_conv():
    conv_case = next(case for case in DEFAULT_CASES if case.name == "ScaledConv2d")
    custom, standard = conv_case.build_pair()
    assert torch.equal(custom.weight, standard.weight)
    with torch.no_grad():
        custom.scale.fill_(2.0)
    shifted = LayerCase("ScaledConv2d", conv_case.build, lambda: (custom, standard), conv_case.analogue_key)
    forward, backward, _ = analogue_differences(shifted)
    assert forward > 0.1
    assert backward > 0.1
    assert math.isfinite(forward)


def test_column_labels_follow_language():
    assert set(column_labels()) == set(COLUMNS)
    assert column_labels()["layer"] == "Слой"
    text.set_language("en")
    try:
        assert column_labels()["layer"] == "Layer"
        assert check_layers([BROKEN])["analogue"].iloc[0] == "checks.analogue.silu"
        assert display_table(check_layers([BROKEN]))["Standard analogue"].iloc[0] == "F.silu (beta = 1)"
    finally:
        text.set_language("ru")
