"""Fixtures for real databases: SQLite files and a PostgreSQL server started for the session.

``db_url`` is parametrized over both backends, so every storage test runs on each.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rasd.store import Store
from servers import PostgresServer, postgres_server

TEMPLATE = "rasd_template"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        # Migrate one template database; each test copies it (CREATE DATABASE … TEMPLATE).
        server.admin(f"CREATE DATABASE {TEMPLATE}")
        Store(server.url(TEMPLATE)).close()
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'rasd.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database(template=TEMPLATE)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened
