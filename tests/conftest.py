"""Shared helpers: the example report (tests/fixtures, from examples/mazar-i-sharif-1998.ar.txt)."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mazar_text() -> str:
    return (FIXTURES / "mazar-i-sharif-1998.ar.txt").read_text(encoding="utf-8")
