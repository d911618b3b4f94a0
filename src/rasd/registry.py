"""Stages registered by name, so a pipeline is a list of names in a config file.

A stage is registered as a *factory*: it receives the pipeline's ``Resources`` once and returns the
plain ``Document -> Document`` callable that runs per document (spaCy's ``@Language.factory`` idea).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from rasd.document import Document
from rasd.errors import RasdError
from rasd.resources import Resources

StageFn = Callable[[Document], Document]
StageFactory = Callable[[Resources], StageFn]


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    factory: StageFactory
    requires: tuple[str, ...]
    provides: tuple[str, ...]


_STAGES: dict[str, StageInfo] = {}


def stage(
    name: str, *, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()
) -> Callable[[StageFactory], StageFactory]:
    """Register a stage factory; ``requires`` names what earlier stages must provide."""

    def register(factory: StageFactory) -> StageFactory:
        _STAGES[name] = StageInfo(name, factory, requires, provides or (name,))
        return factory

    return register


def get_stage(name: str, module: str | None = None) -> StageInfo:
    """Look a stage up, importing its module first so that its decorator has run."""
    if name not in _STAGES and module is not None:
        importlib.import_module(module)
    try:
        return _STAGES[name]
    except KeyError:
        known = ", ".join(sorted(_STAGES)) or "none"
        raise RasdError(f"unknown pipeline stage {name!r} (registered: {known})") from None
