"""Train a list of models over several seeds on one dataset under shared settings."""

from __future__ import annotations

import math
import warnings
from typing import Sequence

from .data import Dataset
from .errors import TrainingDivergedError
from .models import ModelSpec, as_spec, build_for_dataset, get_entry
from .records import run_config, run_key
from .results import ResultsStore, run_stem, summary_row
from .text import tr
from .training import TrainConfig, TrainResult, count_parameters, fit, has_conv, set_seed


def run_experiment(
    experiment: str,
    dataset: Dataset,
    models: Sequence[str | ModelSpec],
    config: TrainConfig,
    *,
    profile: str,
    store: ResultsStore | None = None,
    model_kwargs: dict[str, dict] | None = None,
    seeds: Sequence[int] | None = None,
    force: bool = False,
    columns: dict[str, dict] | None = None,
) -> list[TrainResult]:
    """Train every model in ``models`` once per seed on ``dataset``; return the results.

    Args:
        experiment: experiment id stored in each summary row ("1.1").
        dataset: the data every model trains and is tested on.
        models: registry names or `ModelSpec` variants; a name is its own label.
        config: settings shared by every model. A model's registered training
            overrides (for RegResCNN: weight decay and augmentation) go on top,
            and each run replaces the seed.
        profile: profile name, part of each run's key and summary row.
        store: where results are saved as each run finishes and reused from.
        model_kwargs: label -> factory arguments added to the spec's own.
        seeds: seeds to run; None runs ``config.seed`` only.
        force: retrain even when the store has a finished result.
        columns: label -> extra summary.csv columns of that model's rows.

    Returns the results in model-major order (every seed of the first model,
    then the next model). Labels and names are checked before anything trains.
    A stored result for the same run key is reused, model included, unless
    ``force``; a damaged one is reported and only that run retrains. Each run
    checkpoints every epoch into the store and resumes from a checkpoint left
    by an interrupted run. A model whose loss diverges is reported with a
    warning and kept as a row marked ``diverged``; the other runs go on.
    """
    specs = _checked_specs(models, model_kwargs or {})
    seeds = [config.seed] if seeds is None else list(seeds)
    columns = columns or {}
    results = []
    for spec in specs:
        entry = get_entry(spec.model)
        for seed in seeds:
            run_settings = config.replace(**entry.training_overrides, seed=seed)
            result = _reuse_or_train(experiment, dataset, spec, run_settings, profile, store, force,
                                     columns.get(spec.label, {}))
            results.append(result)
    return results


def _checked_specs(models, model_kwargs: dict[str, dict]) -> list[ModelSpec]:
    if isinstance(models, (str, ModelSpec)):
        models = [models]
    specs = [as_spec(item) for item in models]
    labels = [spec.label for spec in specs]
    for label in labels:
        if labels.count(label) > 1:
            raise ValueError(tr("error.duplicate_label", label=label))
    unknown = set(model_kwargs) - set(labels)
    if unknown:
        raise ValueError(tr("error.kwargs_unknown_label", labels=", ".join(sorted(unknown)), known=", ".join(labels)))
    return [ModelSpec(spec.label, spec.model, {**spec.kwargs, **model_kwargs.get(spec.label, {})}) for spec in specs]


def _reuse_or_train(experiment, dataset, spec: ModelSpec, settings: TrainConfig, profile, store, force,
                    extra_columns) -> TrainResult:
    description = run_config(spec.model, spec.kwargs, dataset, settings, profile)
    key = run_key(description)
    stem = run_stem(experiment, spec.label, settings.seed, key)
    checkpoint = store.checkpoint_path(stem) if store is not None else None
    if store is not None and force:
        checkpoint.unlink(missing_ok=True)
    if store is not None and not force:
        reused = store.load(stem, key, dataset, device=settings.device)
        if reused is not None:
            store.upsert(summary_row(reused, experiment=experiment, profile=profile, key=key, **extra_columns))
            return reused

    set_seed(settings.seed)  # the weight initialisation is part of the seeded run
    model = build_for_dataset(spec.model, dataset, **spec.kwargs)
    try:
        result = fit(model, dataset, settings, name=spec.label, checkpoint=checkpoint, checkpoint_key=key)
    except TrainingDivergedError as error:
        warnings.warn(str(error), stacklevel=3)
        result = _diverged_result(spec.label, dataset, model, settings, error)
    result.architecture = spec.model
    result.model_kwargs = dict(spec.kwargs)
    if store is not None:
        store.save(result, experiment=experiment, profile=profile, key=key, description=description, **extra_columns)
        checkpoint.unlink(missing_ok=True)
    return result


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
