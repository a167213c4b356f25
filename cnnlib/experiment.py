"""Train a list of registered models on one dataset under shared settings."""

from __future__ import annotations

import math
import warnings
from typing import Sequence

from .data import Dataset
from .errors import TrainingDivergedError
from .models import build_for_dataset, get_entry
from .results import ResultsStore
from .training import TrainConfig, TrainResult, count_parameters, fit, has_conv, set_seed


def run_experiment(
    experiment: str,
    dataset: Dataset,
    model_names: Sequence[str],
    config: TrainConfig,
    *,
    profile: str,
    store: ResultsStore | None = None,
    model_kwargs: dict[str, dict] | None = None,
) -> list[TrainResult]:
    """Train every model in ``model_names`` on ``dataset`` and return their results.

    All models share ``config``; a model's registered training overrides (for
    RegResCNN: weight decay and augmentation) are applied on top. Names are
    checked before anything trains. Each result is saved to ``store`` as soon
    as its model finishes. A model whose loss diverges is reported with a
    warning and kept as a row marked ``diverged``; the other models still train.
    """
    entries = {name: get_entry(name) for name in model_names}
    model_kwargs = model_kwargs or {}
    results = []
    for name, entry in entries.items():
        model_config = config.replace(**entry.training_overrides)
        set_seed(model_config.seed)  # the weight initialisation is part of the seeded run
        model = build_for_dataset(name, dataset, **model_kwargs.get(name, {}))
        try:
            result = fit(model, dataset, model_config, name=name)
        except TrainingDivergedError as error:
            warnings.warn(str(error), stacklevel=2)
            result = _diverged_result(name, dataset, model, model_config, error)
        if store is not None:
            store.save(result, experiment=experiment, profile=profile)
        results.append(result)
    return results


def _diverged_result(name, dataset, model, config, error) -> TrainResult:
    nan = math.nan
    return TrainResult(
        model_name=name,
        dataset=dataset.name,
        params=count_parameters(model),
        config=config,
        history=list(getattr(error, "history", [])),
        train_time_s=getattr(error, "train_time_s", nan),
        inference_time_s=nan,
        train_acc=nan,
        test_acc=nan,
        test_loss=nan,
        device=str(next(model.parameters()).device),
        precision=config.precision,
        memory_format="",
        diverged=True,
        convolutional=has_conv(model),
        model=model,
    )
