"""Output locations of a notebook run: the project folder and the figures/results root."""

from __future__ import annotations

import os
from pathlib import Path


def project_dir(start: str | os.PathLike | None = None) -> Path:
    """Return the cnnlib project folder containing ``start`` (default: the working directory).

    The project folder is the nearest folder upwards that has both ``notebooks/``
    and ``pyproject.toml``. A notebook runs with its own folder as the working
    directory, so the search starts there. Falls back to ``start``.
    """
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "notebooks").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return start


def resolve_output_dir(output_dir: str | os.PathLike | None = None) -> Path:
    """Return the output folder: ``output_dir``, else $CNNLIB_OUTPUT, else the project folder."""
    if output_dir is None:
        output_dir = os.environ.get("CNNLIB_OUTPUT") or project_dir()
    return Path(output_dir).expanduser().resolve()
