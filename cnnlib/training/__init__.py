"""Training: one `fit` for every model, evaluation, timing, device and precision choice."""

from .config import TrainConfig
from .device import Precision, cpu_has_native_bf16, resolve_device, resolve_precision, synchronize
from .loop import TrainResult, count_parameters, evaluate, fit, has_conv, measure_inference_time, predict
from .seed import set_seed

__all__ = [
    "Precision",
    "TrainConfig",
    "TrainResult",
    "count_parameters",
    "cpu_has_native_bf16",
    "evaluate",
    "fit",
    "has_conv",
    "measure_inference_time",
    "predict",
    "resolve_device",
    "resolve_precision",
    "set_seed",
    "synchronize",
]
