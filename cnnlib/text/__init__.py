"""User-facing strings in Russian (the default) and English.

Every table header, axis label, progress line, error message and piece of
notebook prose is looked up here by key, so one switch changes the language
of everything a user reads:

    cnnlib.text.set_language("en")      # or CNNLIB_LANG=en in the environment

Catalogs are plain dicts ``{key: {"ru": ..., "en": ...}}`` in the modules of
this package, one per concern; ``str.format`` fields fill in values.
"""

from __future__ import annotations

import os

from . import (
    architecture, bench, custom_layers, data_errors, errors, labels, layers, prose_01, prose_02, prose_03, report,
    stats,
)

LANGUAGES = ("ru", "en")

_CATALOG: dict[str, dict[str, str]] = {}
for _module in (labels, errors, data_errors, prose_01, prose_02, prose_03, bench, stats, architecture, layers,
                custom_layers, report):
    _duplicates = _CATALOG.keys() & _module.CATALOG.keys()
    if _duplicates:
        raise RuntimeError(f"text keys defined twice: {sorted(_duplicates)}")
    _CATALOG.update(_module.CATALOG)


def _validated(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(
            f"Unknown language {language!r} / Неизвестный язык {language!r}: "
            f"expected one of {LANGUAGES} / ожидался один из {LANGUAGES}."
        )
    return language


_language = _validated(os.environ.get("CNNLIB_LANG", "ru") or "ru")


def set_language(language: str) -> None:
    """Switch every user-facing string to ``language`` ("ru" or "en")."""
    global _language
    _language = _validated(language)


def get_language() -> str:
    """Return the current language code."""
    return _language


def register(catalog: dict[str, dict[str, str]]) -> None:
    """Add a catalog of keys (used by notebook prose modules)."""
    for key, variants in catalog.items():
        missing = set(LANGUAGES) - variants.keys()
        if missing:
            raise ValueError(f"text key {key!r} lacks languages {sorted(missing)}")
        _CATALOG[key] = variants


def tr(key: str, /, **fields: object) -> str:
    """Return the string for ``key`` in the current language, formatted with ``fields``."""
    try:
        variants = _CATALOG[key]
    except KeyError:
        raise KeyError(f"no user-facing text with key {key!r}") from None
    template = variants[_language]
    return template.format(**fields) if fields else template


def class_name(name: str) -> str:
    """Return a dataset's class name in the current language (names without a translation stay as they are)."""
    key = f"class.{name}"
    return tr(key) if key in _CATALOG else name


def has(key: str) -> bool:
    """Return True when ``key`` is in the catalog."""
    return key in _CATALOG
