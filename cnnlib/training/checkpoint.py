"""End-of-epoch training checkpoints, so an interrupted run resumes where it stopped.

A checkpoint contains everything the next epoch depends on: model, optimizer,
scheduler and gradient-scaler states, the random number generators, the
history so far and the elapsed training time. The batch order and the
augmentation need nothing extra, because `BatchLoader` seeds epoch ``k``
from (seed, k) alone. Files are written atomically, so a run killed while
saving leaves the previous checkpoint intact.
"""

from __future__ import annotations

import os
import random
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch

from ..text import tr

FORMAT_VERSION = 1


def rng_state() -> dict:
    """Return the states of Python's, numpy's and torch's global generators."""
    numpy_state = np.random.get_state()
    state = {
        "python": random.getstate(),
        # numpy's state tuple contains an ndarray, which torch.load(weights_only=True) rejects.
        "numpy": (numpy_state[0], torch.from_numpy(numpy_state[1].copy()), *numpy_state[2:]),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    """Restore the generator states saved by `rng_state`."""
    python_state = state["python"]
    random.setstate((python_state[0], tuple(python_state[1]), python_state[2]))
    name, keys, *rest = state["numpy"]
    np.random.set_state((name, keys.numpy(), *rest))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(path: str | os.PathLike, state: dict) -> None:
    """Write ``state`` to ``path`` through a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        torch.save({"format_version": FORMAT_VERSION, **state}, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_checkpoint(path: str | os.PathLike, key: str) -> dict | None:
    """Return the checkpoint at ``path`` when it belongs to the run ``key``, else None.

    A missing file is the normal case. An unreadable file, or one written for
    another run configuration, is reported with a warning and ignored, so the
    run starts from the first epoch.
    """
    path = Path(path)
    if not path.exists():
        return None
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many types for a damaged file; all mean "unusable"
        warnings.warn(tr("warning.checkpoint_unreadable", path=path, reason=f"{type(error).__name__}: {error}"),
                      stacklevel=3)
        return None
    if not isinstance(state, dict) or state.get("format_version") != FORMAT_VERSION or state.get("key") != key:
        warnings.warn(tr("warning.checkpoint_other_run", path=path), stacklevel=3)
        return None
    return state
