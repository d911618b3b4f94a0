"""Shared fixtures: the example report and one pipeline per test session (its data loads once).

The database, server and browser fixtures live in ``fixtures_servers``.
"""

from __future__ import annotations

import pytest

from fixture_files import fixture_text
from rasd.pipeline import Pipeline

pytest_plugins = ["fixtures_servers"]


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def mazar_text() -> str:
    return fixture_text("mazar-i-sharif-1998.ar.txt")
