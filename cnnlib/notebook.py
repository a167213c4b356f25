"""Display helpers for the notebooks: prose, tables and figures.

Figures are displayed as PNG data explicitly, so an executed notebook stores
an image output under any matplotlib backend (also MPLBACKEND=Agg, where
figures are not shown automatically).
"""

from __future__ import annotations

import io
import numbers
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from .plotting import save_figure
from .text import tr


def show_text(key: str, **fields) -> None:
    """Display the Markdown text ``key`` of `cnnlib.text` in the current language."""
    display(Markdown(tr(key, **fields)))


def show_markdown(markdown: str) -> None:
    """Display a Markdown string (for generated conclusions)."""
    display(Markdown(markdown))


def show_table(table: pd.DataFrame) -> None:
    """Display ``table`` without its index, whole texts, thousands separated and 4 significant digits."""
    styler = table.style.hide(axis="index").format(
        lambda value: f"{value:,}".replace(",", " ") if isinstance(value, numbers.Integral) else f"{value:.4g}",
        subset=table.select_dtypes("number").columns,
    )
    display(styler)


def show_figure(fig, path: str | Path | None = None, dpi: int = 110) -> Path | None:
    """Save ``fig`` as a PNG at ``path`` (when given), display it, and close it."""
    saved = save_figure(fig, path, dpi=dpi) if path is not None else None
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    display({"image/png": buffer.getvalue()}, raw=True)
    plt.close(fig)  # otherwise the inline backend would draw it a second time
    return saved
