"""How many inputs the robustness tests tried, printed at the end of the run (conftest.py)."""

from __future__ import annotations

from collections import Counter

TRIED: Counter[str] = Counter()


def tried(kind: str, count: int = 1) -> None:
    TRIED[kind] += count
