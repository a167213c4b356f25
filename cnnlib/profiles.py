"""Run profiles: how much data and how many epochs each notebook uses.

The profile is the one knob that trades time for accuracy. Sizes are per
dataset as (train, test); None means the whole split. ``seeds`` is how many
times each model is trained (with seeds base, base + 1, ...), so that tables
can show the spread between runs.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field

from .errors import UnknownNameError
from .text import tr


@dataclass(frozen=True)
class Profile:
    """A named budget for a notebook run.

    Attributes:
        name: "smoke", "quick" or "full".
        sizes: dataset name -> (train size, test size); None keeps the whole split.
        epochs: dataset name -> training epochs.
        seeds: runs per model, each with its own seed.
        allow_synthetic: use generated stand-in data when the real files are missing
            (only for the smoke profile, which checks that the code runs, not what it learns).
        notebooks: notebook name -> {"sizes": {...}, "epochs": {...}} that replace the
            defaults above for that notebook, for studies that train many more models,
            and an optional {"min_seeds": n}: the fewest runs per model that notebook
            accepts, for studies whose conclusions need a spread over seeds.
    """

    name: str
    sizes: dict
    epochs: dict
    seeds: int = 1
    allow_synthetic: bool = False
    notebooks: dict = field(default_factory=dict)

    def size(self, dataset: str, notebook: str | None = None) -> tuple[int | None, int | None]:
        """Return (train size, test size) for ``dataset`` in ``notebook``; an unknown name lists the known ones."""
        if dataset not in self.sizes:
            raise UnknownNameError(tr("data.unknown_name", name=dataset, known=", ".join(self.sizes)))
        return self._setting(notebook, dataset, "sizes", self.sizes[dataset])

    def epochs_for(self, dataset: str, override: int | None = None, notebook: str | None = None) -> int:
        """Return the epochs for ``dataset`` in ``notebook``, or ``override`` when it is given."""
        if override is None:
            return self._setting(notebook, dataset, "epochs", self.epochs[dataset])
        if isinstance(override, bool) or not isinstance(override, int) or override < 1:
            raise ValueError(tr("error.bad_setting", name="epochs", value=override, expected=tr("expected.positive_int")))
        return override

    def min_seeds(self, notebook: str | None = None) -> int:
        """Return the fewest runs per model that ``notebook`` accepts in this profile (1 unless set)."""
        return self.notebooks.get(notebook, {}).get("min_seeds", 1)

    def _setting(self, notebook: str | None, dataset: str, key: str, default):
        return self.notebooks.get(notebook, {}).get(key, {}).get(dataset, default)


PROFILES: dict[str, Profile] = {
    "smoke": Profile(
        "smoke",
        sizes={"mnist": (1000, 500), "fashion_mnist": (1000, 500), "cifar10": (1000, 500)},
        epochs={"mnist": 1, "fashion_mnist": 1, "cifar10": 1},
        seeds=1,
        allow_synthetic=True,
    ),
    "quick": Profile(
        "quick",
        sizes={"mnist": (30000, None), "fashion_mnist": (30000, None), "cifar10": (40000, None)},
        epochs={"mnist": 4, "fashion_mnist": 4, "cifar10": 10},
        seeds=2,
        # Notebooks 02 and 03 train many more models than notebook 01, so they get
        # smaller subsets to keep a quick run in minutes on a laptop CPU.
        notebooks={
            "02_architecture_analysis": {
                "sizes": {"mnist": (10000, 5000), "cifar10": (10000, 5000)},
                "epochs": {"mnist": 2, "cifar10": 5},
            },
            # The block study reports the spread of the final accuracy over seeds,
            # which two runs estimate too poorly to rank blocks by stability.
            # Its five models cost 6.4 ms per image and epoch on a 2-core CPU (the wide
            # ResNet alone 3.2 ms), three times per seed, so it gets the smallest subset.
            "03_custom_layers": {
                "sizes": {"cifar10": (6000, 3000)},
                "epochs": {"cifar10": 4},
                "min_seeds": 3,
            },
        },
    ),
    "full": Profile(
        "full",
        sizes={"mnist": (None, None), "fashion_mnist": (None, None), "cifar10": (None, None)},
        epochs={"mnist": 10, "fashion_mnist": 10, "cifar10": 30},
        seeds=3,
        notebooks={"03_custom_layers": {"min_seeds": 3}},
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


def resolve_seeds(seeds, base_seed: int, profile: Profile, minimum: int = 1) -> list[int]:
    """Return the list of seeds to run.

    ``seeds`` is a count (``n`` runs with seeds ``base_seed .. base_seed + n - 1``),
    an explicit list of seeds, or None: then CNNLIB_SEEDS (a count, or seeds
    separated by commas), else the profile's count. Fewer than ``minimum`` seeds
    are topped up with the next integers above the largest one; the caller is
    warned when the argument or CNNLIB_SEEDS asked for fewer, not when the
    profile's count did.
    """
    requested = seeds is not None or bool(os.environ.get("CNNLIB_SEEDS", "").strip())
    chosen = _requested_seeds(seeds, base_seed, profile)
    if len(chosen) >= minimum:
        return chosen
    added = list(range(max(chosen) + 1, max(chosen) + 1 + minimum - len(chosen)))
    if requested:
        message = tr("warning.seeds_raised", requested=len(chosen), minimum=minimum, profile=profile.name,
                     seeds=", ".join(map(str, chosen + added)))
        warnings.warn(message, stacklevel=3)
    return chosen + added


def _requested_seeds(seeds, base_seed: int, profile: Profile) -> list[int]:
    if seeds is None:
        from_environment = os.environ.get("CNNLIB_SEEDS", "").strip()
        if not from_environment:
            seeds = profile.seeds
        elif "," in from_environment:
            seeds = [_parse_int(part, from_environment) for part in from_environment.split(",") if part.strip()]
        else:
            seeds = _parse_int(from_environment, from_environment)
    if isinstance(seeds, bool):
        raise ValueError(tr("error.bad_setting", name="seeds", value=seeds, expected=tr("expected.seeds")))
    if isinstance(seeds, int):
        if seeds < 1:
            raise ValueError(tr("error.bad_setting", name="seeds", value=seeds, expected=tr("expected.seeds")))
        return [base_seed + offset for offset in range(seeds)]
    if isinstance(seeds, (list, tuple)) and seeds and all(
        isinstance(seed, int) and not isinstance(seed, bool) for seed in seeds
    ) and len(set(seeds)) == len(seeds):
        return list(seeds)
    raise ValueError(tr("error.bad_setting", name="seeds", value=seeds, expected=tr("expected.seeds")))


def _parse_int(text: str, whole: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(
            tr("error.bad_setting", name="CNNLIB_SEEDS", value=whole, expected=tr("expected.seeds"))
        ) from None
