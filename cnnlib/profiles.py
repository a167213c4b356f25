"""Run profiles: how much data and how many epochs each notebook uses.

The profile is the one knob that trades time for accuracy. Sizes are per
dataset as (train, test); None means the whole split.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import UnknownNameError
from .text import tr


@dataclass(frozen=True)
class Profile:
    """A named budget for a notebook run.

    Attributes:
        name: "smoke", "quick" or "full".
        sizes: dataset name -> (train size, test size); None keeps the whole split.
        epochs: dataset name -> training epochs.
        allow_synthetic: use generated stand-in data when the real files are missing
            (only for the smoke profile, which checks that the code runs, not what it learns).
    """

    name: str
    sizes: dict
    epochs: dict
    allow_synthetic: bool = False

    def size(self, dataset: str) -> tuple[int | None, int | None]:
        """Return (train size, test size) for ``dataset``."""
        return self.sizes[dataset]

    def epochs_for(self, dataset: str, override: int | None = None) -> int:
        """Return the epochs for ``dataset``, or ``override`` when it is given."""
        if override is None:
            return self.epochs[dataset]
        if isinstance(override, bool) or not isinstance(override, int) or override < 1:
            raise ValueError(tr("error.bad_setting", name="epochs", value=override, expected=tr("expected.positive_int")))
        return override


PROFILES: dict[str, Profile] = {
    "smoke": Profile(
        "smoke",
        sizes={"mnist": (1000, 500), "fashion_mnist": (1000, 500), "cifar10": (1000, 500)},
        epochs={"mnist": 1, "fashion_mnist": 1, "cifar10": 1},
        allow_synthetic=True,
    ),
    "quick": Profile(
        "quick",
        sizes={"mnist": (30000, None), "fashion_mnist": (30000, None), "cifar10": (40000, None)},
        epochs={"mnist": 4, "fashion_mnist": 4, "cifar10": 10},
    ),
    "full": Profile(
        "full",
        sizes={"mnist": (None, None), "fashion_mnist": (None, None), "cifar10": (None, None)},
        epochs={"mnist": 10, "fashion_mnist": 10, "cifar10": 30},
    ),
}

DEFAULT_PROFILE = "quick"


def get_profile(name: str | None = None) -> Profile:
    """Return the profile ``name``; None reads CNNLIB_PROFILE, then falls back to "quick"."""
    if name is None:
        name = os.environ.get("CNNLIB_PROFILE") or DEFAULT_PROFILE
    if isinstance(name, Profile):
        return name
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise UnknownNameError(tr("error.unknown_profile", name=name, known=", ".join(PROFILES))) from None
