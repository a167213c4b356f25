"""Correctness of each custom layer: gradcheck in float64 and agreement with a standard analogue.

For every layer, `check_layers` runs ``torch.autograd.gradcheck`` on the input
and every parameter, for three input layouts (contiguous, non-contiguous,
channels_last) times three uses of the output (as is, permuted, concatenated),
with parameters away from their special values. It then sets the parameters
where the layer coincides with a standard operation (Swish with beta = 1 is
``F.silu``, GeM with p = 1 is average pooling, ScaledConv2d with scale 1 is
``F.conv2d``; squeeze-and-excitation and spatial attention are compared with
their autograd references) and reports the largest absolute difference of the
forward output and of the gradients. Inputs are small (2x3x5x5), so the whole
table takes seconds on a CPU.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn
from torch.autograd import gradcheck
from torch.func import functional_call

from .layers import LAYER_PAIRS, GeM, ScaledConv2d, Swish
from .text import has, tr

DOUBLE = torch.float64
INPUT_SHAPE = (2, 3, 5, 5)  # H == W, so the transposed layout keeps the shape

LAYOUTS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "contiguous": lambda x: x,
    "non_contiguous": lambda x: x.transpose(2, 3),
    "channels_last": lambda x: x.contiguous(memory_format=torch.channels_last),
}
AFTER: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "none": lambda out: out,
    "permute": lambda out: out.permute(0, 2, 3, 1),
    "cat": lambda out: torch.cat([out, 2 * out], dim=1),
}

COLUMNS = (
    "layer", "gradcheck_passed", "gradcheck_total", "gradcheck_failed", "analogue",
    "forward_max_abs_diff", "grad_max_abs_diff", "gradients_compared",
)


@dataclass(frozen=True)
class LayerCase:
    """One layer to check.

    Attributes:
        name: the layer name shown in the table.
        build: returns the custom layer in float64 with parameters away from their
            special values (for gradcheck).
        build_pair: returns (custom layer, standard analogue) in float64 at the
            parameters where they coincide, the analogue holding the same weights.
        analogue_key: `cnnlib.text` key naming the analogue and the coinciding parameters.
        positive_input: feed inputs above zero (GeM clamps at eps, where it is not differentiable).
    """

    name: str
    build: Callable[[], nn.Module]
    build_pair: Callable[[], tuple[nn.Module, nn.Module]]
    analogue_key: str
    positive_input: bool = False


def _moved(module: nn.Module) -> nn.Module:
    """Set the scale and the betas of ``module`` to values spread over [0.5, 1.5], away from the identity value 1."""
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            if name in ("scale", "beta"):
                parameter.copy_(torch.linspace(0.5, 1.5, parameter.numel(), dtype=parameter.dtype))
    return module


def _seeded(build: Callable[[], nn.Module]) -> nn.Module:
    torch.manual_seed(0)
    return build().double()


def _with_weights(standard: nn.Module, custom: nn.Module) -> nn.Module:
    """Return ``standard`` holding the custom layer's weights for every parameter name they share."""
    shared = {key: value for key, value in custom.state_dict().items() if key in standard.state_dict()}
    standard.load_state_dict(shared)
    return standard


def _reference_pair(name: str, *arguments) -> Callable[[], tuple[nn.Module, nn.Module]]:
    custom_class, reference_class = LAYER_PAIRS[name]

    def build() -> tuple[nn.Module, nn.Module]:
        custom = _seeded(lambda: custom_class(*arguments))
        return custom, _with_weights(reference_class(*arguments).double(), custom)

    return build


def _conv_pair() -> tuple[nn.Module, nn.Module]:
    custom = _seeded(lambda: ScaledConv2d(3, 4, 3, stride=2, padding=1))  # the scale starts at 1
    return custom, _with_weights(nn.Conv2d(3, 4, 3, stride=2, padding=1).double(), custom)


DEFAULT_CASES = (
    LayerCase("ScaledConv2d", lambda: _moved(_seeded(lambda: ScaledConv2d(3, 4, 3, stride=2, padding=1))),
              _conv_pair, "checks.analogue.conv"),
    LayerCase("SqueezeExcitation", lambda: _seeded(lambda: LAYER_PAIRS["SqueezeExcitation"][0](3, 2)),
              _reference_pair("SqueezeExcitation", 3, 2), "checks.analogue.reference"),
    LayerCase("SpatialAttention", lambda: _seeded(lambda: LAYER_PAIRS["SpatialAttention"][0](3)),
              _reference_pair("SpatialAttention", 3), "checks.analogue.reference"),
    LayerCase("Swish", lambda: _moved(_seeded(lambda: Swish(3))),
              lambda: (_seeded(lambda: Swish(3, init=1.0)), nn.SiLU()), "checks.analogue.silu"),
    LayerCase("GeM", lambda: _seeded(lambda: GeM(p=2.5)),
              lambda: (_seeded(lambda: GeM(p=1.0)), nn.AdaptiveAvgPool2d(1)), "checks.analogue.avg_pool",
              positive_input=True),
)


def _input(case: LayerCase, seed: int) -> torch.Tensor:
    x = torch.randn(INPUT_SHAPE, generator=torch.Generator().manual_seed(seed), dtype=DOUBLE)
    return x.abs() + 0.1 if case.positive_input else x


def gradcheck_variants(case: LayerCase, seed: int = 0) -> dict[str, bool]:
    """Return "<layout> + <after>" -> whether gradcheck passed for the input and every parameter."""
    module = case.build()
    names = [name for name, _ in module.named_parameters()]
    parameters = [parameter.detach().clone().requires_grad_() for _, parameter in module.named_parameters()]
    outcomes = {}
    for layout_name, layout in LAYOUTS.items():
        for after_name, after in AFTER.items():
            x = layout(_input(case, seed)).detach().requires_grad_()

            def apply(x, *values, after=after):
                return after(functional_call(module, dict(zip(names, values)), (x,)))

            try:
                passed = gradcheck(apply, (x, *parameters), raise_exception=False)
            except RuntimeError:
                # A backward that returns gradients of the wrong shape fails inside autograd, not in gradcheck.
                passed = False
            outcomes[f"{layout_name} + {after_name}"] = bool(passed)
    return outcomes


def analogue_differences(case: LayerCase, seed: int = 0) -> tuple[float, float, list[str]]:
    """Return (max |forward difference|, max |gradient difference|, names of the gradients compared).

    The gradients are those of the input and of every parameter the two layers
    share by name, for one random output gradient.
    """
    custom, standard = case.build_pair()
    x = _input(case, seed)
    generator = torch.Generator().manual_seed(seed + 1)
    grad = None
    outputs, gradients = [], []
    for module in (custom, standard):
        leaf = x.detach().clone().requires_grad_()
        out = module(leaf)
        if grad is None:
            grad = torch.randn(out.shape, generator=generator, dtype=DOUBLE)
        out.backward(grad)
        outputs.append(out.detach())
        gradients.append({"x": leaf.grad, **{name: p.grad for name, p in module.named_parameters()}})
    compared = [name for name in gradients[0] if name in gradients[1]]
    forward = (outputs[0] - outputs[1]).abs().max().item()
    backward = max((gradients[0][name] - gradients[1][name]).abs().max().item() for name in compared)
    return forward, backward, compared


def check_layers(cases: Sequence[LayerCase] | None = None, seed: int = 0) -> pd.DataFrame:
    """Return one row per layer: gradcheck passes out of 9 variants, the failed ones, and the analogue differences.

    ``analogue`` holds the `cnnlib.text` key naming the analogue, so a saved table
    reads in any language; `display_table` translates it.
    """
    rows = []
    for case in DEFAULT_CASES if cases is None else cases:
        outcomes = gradcheck_variants(case, seed)
        forward, backward, compared = analogue_differences(case, seed)
        failed = [variant for variant, passed in outcomes.items() if not passed]
        rows.append({
            "layer": case.name,
            "gradcheck_passed": sum(outcomes.values()),
            "gradcheck_total": len(outcomes),
            "gradcheck_failed": ", ".join(failed) or "—",
            "analogue": case.analogue_key,
            "forward_max_abs_diff": forward,
            "grad_max_abs_diff": backward,
            "gradients_compared": ", ".join(compared),
        })
    return pd.DataFrame(rows, columns=list(COLUMNS))


def column_labels() -> dict[str, str]:
    """Return the displayed header of every column, in the current language."""
    return {column: tr(f"checks.column.{column}") for column in COLUMNS}


def display_table(checks: pd.DataFrame) -> pd.DataFrame:
    """Return `check_layers`' table with the analogue named and the headers in the current language."""
    # Tables saved before the column held keys contain the text itself, which stays as it is.
    shown = checks.assign(analogue=[tr(key) if has(key) else key for key in checks["analogue"]])
    return shown.rename(columns=column_labels())
