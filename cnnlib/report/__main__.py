"""Command line: ``python -m cnnlib.report [--lang en] [--profile quick] [--root .] [--output FILE]``."""

from __future__ import annotations

import argparse

from ..paths import project_dir
from ..text import LANGUAGES
from .builder import write_report


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, write the report and print its path."""
    parser = argparse.ArgumentParser(prog="python -m cnnlib.report",
                                     description="Build REPORT.md from results/ and figures/.")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="report language; default: CNNLIB_LANG, else ru")
    parser.add_argument("--profile", default=None,
                        help="profile whose results to show; default: the largest one present (full, quick, smoke)")
    parser.add_argument("--root", default=None,
                        help="folder with results/ and figures/; default: CNNLIB_OUTPUT, else the project folder")
    parser.add_argument("--output", default=None,
                        help="report file; default: <root>/REPORT.md (ru) or <root>/REPORT.en.md (en)")
    args = parser.parse_args(argv)
    import os

    root = args.root or os.environ.get("CNNLIB_OUTPUT") or project_dir()
    path = write_report(root, args.output, language=args.lang, profile=args.profile)
    print(path)


if __name__ == "__main__":
    main()
