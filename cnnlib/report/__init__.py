"""REPORT.md: every table, key figure and conclusion of the notebooks, built from results/ and figures/.

Each notebook registers a section builder with `register_section`; a notebook
without one gets the generic section (its summary.csv as mean ± std tables per
experiment, and every PNG of its figures folder). Run ``python -m cnnlib.report``.
"""

from . import nb01, nb02, nb03  # noqa: F401  (importing registers the sections)
from .builder import ReportContext, build_report, markdown_table, register_section, write_report

__all__ = ["ReportContext", "build_report", "markdown_table", "register_section", "write_report"]
