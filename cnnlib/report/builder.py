"""The report's skeleton: the section registry, the generic section and the Markdown helpers."""

from __future__ import annotations

import numbers
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import text
from ..analysis import mean_std_table, summary_frame
from ..results import ResultsStore
from ..text import tr
from ..training import TrainResult

# Profiles from the largest to the smallest: the report shows the largest one a notebook has.
PROFILE_PREFERENCE = ("full", "quick", "smoke")


@dataclass
class ReportContext:
    """The input of a section builder: one notebook's results and figures.

    Attributes:
        notebook: the notebook name ("01_cnn_vs_fc").
        store: its results store.
        figures_dir: its figures folder.
        report_dir: the folder REPORT.md is written to; links are relative to it.
        profile: the profile whose rows the section shows.
    """

    notebook: str
    store: ResultsStore
    figures_dir: Path
    report_dir: Path
    profile: str | None

    def summary(self) -> pd.DataFrame:
        """Return this profile's summary.csv rows."""
        summary = self.store.load_summary()
        if self.profile is not None and not summary.empty:
            summary = summary[summary["profile"] == self.profile]
        return summary

    def model_columns(self, experiment: str, names) -> dict[str, dict]:
        """Return {model: {column: value}} of the ``names`` columns that ``experiment``'s summary.csv rows fill.

        These are the columns a notebook passed to `Session.train`; they repeat on
        every seed's row, so the model's first row is read. Empty cells are left out.
        """
        summary = self.summary()
        rows = summary[summary["experiment"].astype(str) == str(experiment)].drop_duplicates("model")
        return {
            row["model"]: {name: row[name] for name in names if name in row and not pd.isna(row[name])}
            for _, row in rows.iterrows()
        }

    def results(self, experiment: str) -> list[TrainResult]:
        """Return the stored results (without models) of ``experiment`` in this profile."""
        return self.store.load_results(experiment=experiment, profile=self.profile)

    def table(self, experiment: str) -> str:
        """Return the mean ± std table of ``experiment`` as Markdown."""
        rows = self.summary()
        rows = rows[rows["experiment"].astype(str) == str(experiment)]
        if rows.empty:
            return tr("report.no_rows", experiment=experiment)
        return markdown_table(mean_std_table(summary_frame(rows)))

    def figure(self, name: str, caption: str = "") -> str:
        """Return a Markdown image of ``figures/<notebook>/<name>.png``, or a note when it is missing."""
        path = self.figures_dir / f"{name}.png"
        if not path.exists():
            return tr("report.figure_missing", path=self._link(path))
        return f"![{caption or name}]({self._link(path)})"

    def all_figures(self) -> list[Path]:
        """Return every PNG of the notebook's figures folder, sorted by name."""
        return sorted(self.figures_dir.glob("*.png")) if self.figures_dir.is_dir() else []

    def _link(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.report_dir)).as_posix()


SectionBuilder = Callable[[ReportContext], str]
_SECTIONS: dict[str, SectionBuilder] = {}


def register_section(notebook: str) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register the decorated function as the report section of ``notebook``.

    The function takes a `ReportContext` and returns Markdown that starts with
    the section's level-2 heading.
    """

    def decorate(builder: SectionBuilder) -> SectionBuilder:
        _SECTIONS[notebook] = builder
        return builder

    return decorate


def demote(markdown: str, levels: int = 1) -> str:
    """Return ``markdown`` with every ATX heading moved ``levels`` levels down."""
    return re.sub(r"^(#+) ", lambda match: "#" * (len(match.group(1)) + levels) + " ", markdown, flags=re.MULTILINE)


def markdown_table(frame: pd.DataFrame) -> str:
    """Return ``frame`` as a GitHub Markdown table, integers with thin-space thousands."""

    def cell(value) -> str:
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, numbers.Integral):
            return f"{value:,}".replace(",", " ")
        if isinstance(value, numbers.Real):
            return "—" if pd.isna(value) else f"{value:.4g}"
        return str(value).replace("|", "\\|").replace("\n", " ")

    header = "| " + " | ".join(cell(column) for column in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(cell(value) for value in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def generic_section(context: ReportContext) -> str:
    """Return the fallback section: tables per experiment and every figure of the notebook."""
    lines = [f"## {context.notebook}", ""]
    summary = context.summary()
    if summary.empty:
        lines.append(tr("report.no_results", notebook=context.notebook))
    for experiment in dict.fromkeys(summary["experiment"].astype(str)) if not summary.empty else []:
        datasets = ", ".join(dict.fromkeys(summary.loc[summary["experiment"].astype(str) == experiment, "dataset"]))
        lines += [f"### {experiment} ({datasets})", "", context.table(experiment), ""]
    figures = context.all_figures()
    if figures:
        lines += [f"### {tr('report.figures')}", ""]
        lines += [context.figure(path.stem) + "\n" for path in figures]
    return "\n".join(lines)


def choose_profile(store: ResultsStore, requested: str | None) -> str | None:
    """Return ``requested``, else the largest profile with rows in ``store``'s summary.csv."""
    if requested is not None:
        return requested
    present = set(store.load_summary().get("profile", pd.Series(dtype=str)).dropna())
    for profile in PROFILE_PREFERENCE:
        if profile in present:
            return profile
    return None


def notebooks_in(root: Path) -> list[str]:
    """Return the notebooks with a results or figures folder, plus registered ones, in name order."""
    names = set(_SECTIONS)
    for folder in ("results", "figures"):
        if (root / folder).is_dir():
            names |= {path.name for path in (root / folder).iterdir() if path.is_dir()}
    return sorted(names)


def build_report(root: str | os.PathLike, *, profile: str | None = None,
                 report_dir: str | os.PathLike | None = None) -> str:
    """Return the whole report as Markdown, read from ``root``/results and ``root``/figures.

    Notebooks appear in name order, which is the order of the assignment.
    """
    root = Path(root).resolve()
    report_dir = Path(report_dir).resolve() if report_dir is not None else root
    sections = [tr("report.title"), "", tr("report.intro"), ""]
    for notebook in notebooks_in(root):
        store = ResultsStore(root / "results" / notebook)
        context = ReportContext(notebook, store, root / "figures" / notebook, report_dir,
                                choose_profile(store, profile))
        builder = _SECTIONS.get(notebook, generic_section)
        sections += [builder(context), ""]
    return "\n".join(sections).rstrip() + "\n"


def write_report(root: str | os.PathLike, output: str | os.PathLike | None = None, *,
                 language: str | None = None, profile: str | None = None) -> Path:
    """Build the report in ``language`` and write it atomically; return its path.

    ``output`` defaults to ``root``/REPORT.md in Russian and ``root``/REPORT.en.md in English.
    """
    from ..results import atomic_write_text

    if language is not None:
        text.set_language(language)
    root = Path(root)
    if output is None:
        output = root / ("REPORT.md" if text.get_language() == "ru" else f"REPORT.{text.get_language()}.md")
    output = Path(output)
    markdown = build_report(root, profile=profile, report_dir=output.resolve().parent)
    atomic_write_text(output, markdown)
    return output
