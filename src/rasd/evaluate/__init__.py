"""``rasd eval``: score extraction against annotated data, one scorer module per kind of gold.

``rasd eval GOLD.jsonl`` scores events (the gold format of ``docs/gold-format.md``);
``rasd eval temporal DIR``, ``rasd eval numbers DIR`` and others score one recognizer on the public
suites. Each scorer is a module exposing
``evaluate(path: Path, options: EvalOptions) -> EvalReport``, looked up by name in ``SCORERS``
and imported only when asked for.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rasd.errors import RasdError
from rasd.jsontypes import JSONObject

# kind -> module; "events" is the default when the first argument is a path.
SCORERS: dict[str, str] = {
    "temporal": "rasd.evaluate.temporal",
}


@dataclass(frozen=True, slots=True)
class EvalOptions:
    errors: bool = False
    limit: int | None = None


@dataclass(slots=True)
class EvalReport:
    """What a scorer found: a printable text table and the same figures for machines."""

    title: str
    table: str
    figures: JSONObject = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Scorer(Protocol):
    def __call__(self, path: Path, options: EvalOptions) -> EvalReport: ...


def get_scorer(kind: str) -> Scorer:
    module_name = SCORERS.get(kind)
    if module_name is None:
        known = ", ".join(sorted(SCORERS)) or "none yet"
        raise RasdError(f"unknown evaluation kind {kind!r} (known: {known})")
    module = importlib.import_module(module_name)
    scorer: Scorer = module.evaluate
    return scorer
