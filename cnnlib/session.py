"""One notebook run: its profile, data, shared training settings and output folders.

A notebook creates a `Session` from its parameters cell and then only calls
its methods, so the notebook stays a thin story.
"""

from __future__ import annotations

import os
from typing import Sequence

import pandas as pd

from . import text
from .data import Dataset, load_or_synthesize
from .data.specs import canonical_name
from .experiment import run_experiment
from .models import ModelSpec, get_entry
from .notebook import show_figure, show_text
from .paths import resolve_output_dir
from .profiles import get_profile, resolve_seeds
from .results import ResultsStore
from .training import TrainConfig, TrainResult, resolve_device, resolve_precision


class Session:
    """Settings and outputs of one notebook run.

    Args:
        notebook: notebook name; figures go to ``<output>/figures/<notebook>/`` and
            results to ``<output>/results/<notebook>/``.
        profile: "smoke", "quick" or "full"; None reads CNNLIB_PROFILE, then "quick".
        device: "auto" or a torch device string.
        data_root: dataset folder; None reads CNNLIB_DATA, then ``data/``.
        epochs: overrides the profile's epochs for every dataset when given.
        seed: the first seed, and the seed of the data subsets.
        seeds: runs per model: a count (seeds ``seed``, ``seed + 1``, ...) or a list
            of seeds; None reads CNNLIB_SEEDS, then the profile's count. A notebook
            whose profile sets ``min_seeds`` gets at least that many, with a warning.
        force: retrain every model even when results/ has a finished run with the
            same settings; None reads CNNLIB_FORCE ("1", "true" or "yes"), else False.
        output_dir: folder for figures/ and results/; None reads CNNLIB_OUTPUT,
            then the project folder.
        language: "ru" or "en"; None keeps the current one (CNNLIB_LANG, else "ru").
        download: let torchvision download datasets that are not found locally;
            None reads CNNLIB_DOWNLOAD ("1", "true" or "yes" allow it), else False.
        training: extra `TrainConfig` settings shared by every model (lr, batch_size...).
    """

    def __init__(
        self,
        notebook: str,
        *,
        profile: str | None = None,
        device: str = "auto",
        data_root: str | os.PathLike | None = None,
        epochs: int | None = None,
        seed: int = 0,
        seeds: int | Sequence[int] | None = None,
        force: bool | None = None,
        output_dir: str | os.PathLike | None = None,
        language: str | None = None,
        download: bool | None = None,
        **training,
    ):
        if language is not None:
            text.set_language(language)
        self.notebook = notebook
        self.profile = get_profile(profile)
        self.device = resolve_device(device)
        self.data_root = data_root
        self.epochs_override = epochs
        self.download = flag_setting("download", download, "CNNLIB_DOWNLOAD")
        self.force = flag_setting("force", force, "CNNLIB_FORCE")
        self.output_dir = resolve_output_dir(output_dir)
        self.figures_dir = self.output_dir / "figures" / notebook
        self.store = ResultsStore(self.output_dir / "results" / notebook)
        # Validates every setting now, before any data is loaded.
        self.base_config = TrainConfig(seed=seed, device=str(self.device), **training)
        self.profile.epochs_for("mnist", epochs)
        self.seeds = resolve_seeds(seeds, seed, self.profile, minimum=self.profile.min_seeds(notebook))
        self.datasets: dict[str, Dataset] = {}

    def describe(self) -> dict:
        """Return the fields that the notebook's set-up text shows."""
        precision = resolve_precision(self.base_config.precision, self.device).name
        return {"profile": self.profile.name, "device": str(self.device), "precision": precision,
                "seed": self.base_config.seed, "seeds": ", ".join(map(str, self.seeds)),
                "runs": len(self.seeds)}

    def load(self, name: str) -> Dataset:
        """Load dataset ``name`` cut to the profile's sizes (stratified, seeded)."""
        name = canonical_name(name)  # "CIFAR-10" is cifar10; an unknown name lists the known ones
        train_size, test_size = self.profile.size(name, self.notebook)
        full = load_or_synthesize(
            name, self.data_root, allow_synthetic=self.profile.allow_synthetic, download=self.download,
            synthetic_sizes=(train_size or 2000, test_size or 500), seed=self.base_config.seed,
        )
        if full.synthetic:
            show_text("nb01.synthetic_warning", dataset=name)
        dataset = full.subset(train_size, test_size, seed=self.base_config.seed)
        self.datasets[name] = dataset
        return dataset

    def config(self, dataset: str) -> TrainConfig:
        """Return the shared training settings for ``dataset`` under this profile."""
        return self.base_config.replace(
            epochs=self.profile.epochs_for(dataset, self.epochs_override, self.notebook)
        )

    def train(
        self,
        experiment: str,
        dataset: Dataset,
        models: Sequence[str | ModelSpec],
        *,
        seeds: int | Sequence[int] | None = None,
        columns: dict[str, dict] | None = None,
        **model_kwargs,
    ) -> list[TrainResult]:
        """Train ``models`` on ``dataset`` once per seed with shared settings; save and return the results.

        Args:
            experiment: experiment id stored in summary.csv ("1.1").
            dataset: a dataset from `load`.
            models: registry names or `ModelSpec` variants.
            seeds: overrides the session's seeds for this call (a count or a list),
                topped up to the profile's ``min_seeds`` for this notebook.
            columns: label -> extra summary.csv columns for that model's rows.
            model_kwargs: label -> factory arguments, e.g. ``SimpleCNN={"dropout": 0.2}``.

        Returns one result per (model, seed), model-major. Finished runs in
        results/ are reused unless the session was created with ``force``.
        """
        run_seeds = self.seeds if seeds is None else resolve_seeds(
            seeds, self.base_config.seed, self.profile, minimum=self.profile.min_seeds(self.notebook)
        )
        return run_experiment(
            experiment, dataset, models, self.config(dataset.name), profile=self.profile.name,
            store=self.store, model_kwargs=model_kwargs, seeds=run_seeds, force=self.force, columns=columns,
        )

    def show(self, fig, name: str) -> None:
        """Display ``fig`` and save it as ``figures/<notebook>/<name>.png``."""
        show_figure(fig, self.figures_dir / f"{name}.png")

    def save_table(self, frame: pd.DataFrame, name: str) -> None:
        """Save a table computed outside training (layer checks, benchmarks) for the report.

        Written atomically to ``results/<notebook>/tables/<name>.csv`` with its
        machine column names, so `cnnlib.report` can rebuild prose from it.
        """
        self.store.save_table(frame, name)

    def data_table(self) -> pd.DataFrame:
        """Return one row per loaded dataset: sizes, epochs and where it was read from."""
        rows = []
        for name, dataset in self.datasets.items():
            rows.append({
                text.tr("column.dataset"): name,
                text.tr("column.train_size"): len(dataset.train),
                text.tr("column.test_size"): len(dataset.test),
                text.tr("column.epochs"): self.config(name).epochs,
                text.tr("column.source"): dataset.source,
            })
        return pd.DataFrame(rows)

    @staticmethod
    def model_table(results: Sequence[TrainResult]) -> pd.DataFrame:
        """Return one row per model (the first seed's): description, parameter count, training overrides."""
        rows = []
        first_of_each: dict[str, TrainResult] = {}
        for result in results:
            first_of_each.setdefault(result.model_name, result)
        for result in first_of_each.values():
            entry = get_entry(result.architecture or result.model_name)
            rows.append({
                text.tr("column.model"): result.model_name,
                text.tr("column.description"): text.tr(entry.summary_key),
                text.tr("column.params"): result.params,
                text.tr("column.overrides"): ", ".join(f"{k}={v}" for k, v in entry.training_overrides.items()) or "—",
            })
        return pd.DataFrame(rows)


def flag_setting(name: str, value: bool | None, variable: str) -> bool:
    """Return ``value``, or for None whether the environment variable ``variable`` is "1", "true" or "yes"."""
    if value is None:
        return os.environ.get(variable, "").strip().lower() in ("1", "true", "yes")
    if not isinstance(value, bool):
        raise ValueError(text.tr("error.bad_setting", name=name, value=value, expected=text.tr("expected.bool_or_none")))
    return value
