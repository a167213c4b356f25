"""Models by name: one registry that every notebook and test builds from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from torch import nn

from ..errors import UnknownNameError
from ..text import tr


@dataclass(frozen=True)
class ModelEntry:
    """A registered model: its factory and what else defines it.

    Attributes:
        factory: called as ``factory(in_channels=, num_classes=, image_size=, **kwargs)``.
        summary_key: `cnnlib.text` key of a one-line description for tables.
        training_overrides: training settings that are part of the model's
            definition (RegResCNN is "ResCNN plus weight decay and augmentation"),
            applied on top of the experiment's shared settings.
    """

    factory: Callable[..., nn.Module]
    summary_key: str
    training_overrides: dict = field(default_factory=dict)


_REGISTRY: dict[str, ModelEntry] = {}


def register_model(name: str, summary_key: str, **training_overrides):
    """Register the decorated factory under ``name``."""

    def decorate(factory: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
        if name in _REGISTRY:
            raise ValueError(f"model name {name!r} is registered twice")
        _REGISTRY[name] = ModelEntry(factory, summary_key, dict(training_overrides))
        return factory

    return decorate


def model_names() -> list[str]:
    """Return the registered model names in registration order."""
    return list(_REGISTRY)


def get_entry(name: str) -> ModelEntry:
    """Return the registry entry of ``name``; an unknown name lists the known ones."""
    if not isinstance(name, str):
        raise TypeError(tr("error.model_name_type", value=repr(name), type=type(name).__name__))
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownNameError(
            tr("error.unknown_model", name=name, known=", ".join(_REGISTRY))
        ) from None


def build_model(
    name: str,
    *,
    in_channels: int,
    num_classes: int,
    image_size: tuple[int, int],
    **kwargs,
) -> nn.Module:
    """Build the model ``name`` for inputs of shape (in_channels, *image_size).

    Extra keyword arguments (widths, depths, dropout) go to the factory.
    """
    entry = get_entry(name)
    return entry.factory(
        in_channels=in_channels, num_classes=num_classes, image_size=tuple(image_size), **kwargs
    )


def build_for_dataset(name: str, dataset, **kwargs) -> nn.Module:
    """Build ``name`` with channels, image size and class count taken from ``dataset``."""
    return build_model(
        name,
        in_channels=dataset.in_channels,
        num_classes=dataset.num_classes,
        image_size=dataset.image_size,
        **kwargs,
    )


# Labels become file names and table rows, so they keep to a portable character set.
LABEL_PATTERN = re.compile(r"[A-Za-z0-9_.+-]+")


@dataclass(frozen=True)
class ModelSpec:
    """A labelled variant of a registered model.

    Args:
        label: the name shown in tables and stored in the results row's ``model``
            column; letters, digits and ``_ . + -`` only.
        model: the registry name of the architecture.
        kwargs: keyword arguments for the registered factory (widths, kernel size...).
    """

    label: str
    model: str
    kwargs: dict = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.label, str) or not LABEL_PATTERN.fullmatch(self.label):
            raise ValueError(tr("error.bad_label", value=self.label))
        get_entry(self.model)
        if not isinstance(self.kwargs, dict):
            raise TypeError(tr("error.model_kwargs_type", label=self.label, type=type(self.kwargs).__name__))
        object.__setattr__(self, "kwargs", dict(self.kwargs))


def as_spec(item: "str | ModelSpec") -> ModelSpec:
    """Return ``item`` as a ModelSpec; a registry name becomes a spec labelled with that name."""
    if isinstance(item, ModelSpec):
        return item
    if isinstance(item, str):
        return ModelSpec(item, item)
    raise TypeError(tr("error.model_item_type", value=repr(item), type=type(item).__name__))
