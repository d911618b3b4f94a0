"""Shared fixtures: the example report and one pipeline per test session (its data loads once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.pipeline import Pipeline

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def mazar_text() -> str:
    return fixture_text("mazar-i-sharif-1998.ar.txt")
