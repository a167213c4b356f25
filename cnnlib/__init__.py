"""cnnlib: data, models, training, analysis and plots for the convolutional-networks study.

The notebooks in ``notebooks/`` import this package only. The short public API:

    from cnnlib import Session, build_model, fit, TrainConfig
    from cnnlib.analysis import comparison_table
    from cnnlib.plotting import plot_learning_curves

Importing cnnlib changes neither matplotlib's backend nor its style.
"""

from . import analysis, data, models, plotting, text, training
from .data import DATASETS, Dataset, ImageSet, load_dataset, load_or_synthesize
from .errors import CnnlibError, CorruptDataError, DatasetNotFoundError, TrainingDivergedError, UnknownNameError
from .experiment import run_experiment
from .models import build_for_dataset, build_model, model_names
from .notebook import show_figure, show_markdown, show_table, show_text
from .profiles import PROFILES, get_profile
from .results import ResultsStore
from .session import Session
from .training import TrainConfig, TrainResult, count_parameters, evaluate, fit, predict

__version__ = "0.1.0"

__all__ = [
    "DATASETS",
    "PROFILES",
    "CnnlibError",
    "CorruptDataError",
    "Dataset",
    "DatasetNotFoundError",
    "ImageSet",
    "ResultsStore",
    "Session",
    "TrainConfig",
    "TrainResult",
    "TrainingDivergedError",
    "UnknownNameError",
    "analysis",
    "build_for_dataset",
    "build_model",
    "count_parameters",
    "data",
    "evaluate",
    "fit",
    "get_profile",
    "load_dataset",
    "load_or_synthesize",
    "model_names",
    "models",
    "plotting",
    "predict",
    "run_experiment",
    "show_figure",
    "show_markdown",
    "show_table",
    "show_text",
    "text",
    "training",
]
