"""Custom layers with hand-written backward passes, and their autograd references.

    from cnnlib.layers import GeM, Swish, SqueezeExcitation
    from cnnlib.layers.reference import AutogradGeM   # same parameters, autograd's backward
"""

from .functional import (
    GeMFunction,
    ScaledConv2dFunction,
    SpatialAttentionFunction,
    SqueezeExcitationFunction,
    SwishFunction,
    gem,
    scaled_conv2d,
    spatial_attention,
    squeeze_excitation,
    swish,
)
from .modules import GeM, ScaledConv2d, SpatialAttention, SqueezeExcitation, Swish
from .reference import (
    AutogradGeM,
    AutogradScaledConv2d,
    AutogradSpatialAttention,
    AutogradSqueezeExcitation,
    AutogradSwish,
)

# Each custom layer and the autograd reference with the same parameters.
LAYER_PAIRS = {
    "ScaledConv2d": (ScaledConv2d, AutogradScaledConv2d),
    "Swish": (Swish, AutogradSwish),
    "SqueezeExcitation": (SqueezeExcitation, AutogradSqueezeExcitation),
    "SpatialAttention": (SpatialAttention, AutogradSpatialAttention),
    "GeM": (GeM, AutogradGeM),
}

__all__ = [
    "LAYER_PAIRS",
    "AutogradGeM",
    "AutogradScaledConv2d",
    "AutogradSpatialAttention",
    "AutogradSqueezeExcitation",
    "AutogradSwish",
    "GeM",
    "GeMFunction",
    "ScaledConv2d",
    "ScaledConv2dFunction",
    "SpatialAttention",
    "SpatialAttentionFunction",
    "SqueezeExcitation",
    "SqueezeExcitationFunction",
    "Swish",
    "SwishFunction",
    "gem",
    "scaled_conv2d",
    "spatial_attention",
    "squeeze_excitation",
    "swish",
]
