"""Fixtures for real databases: SQLite files and a PostgreSQL server started for the session.

``db_url`` is parametrized over both backends, so every storage test runs on each.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from rasd.store import Store
from seed_events import aleppo_document, hostile_document, seed_document
from servers import PostgresServer, postgres_server, rasd_server

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


@pytest.fixture
def seeded_store(store: Store) -> Store:
    """A database holding the seed report and a second report, with their events."""
    store.ingest(seed_document())
    store.ingest(aleppo_document())
    return store


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots and server logs for people to look at (tests/artifacts/, not committed)."""
    folder = Path(__file__).parent / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def served_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """``rasd serve`` over a SQLite file holding the seed report and a hostile one."""
    url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'rasd.db'}"
    with Store(url) as opened:
        opened.ingest(seed_document())
        opened.ingest(aleppo_document())
        opened.ingest(hostile_document())
    with rasd_server(url, artifacts / "server.log", "--no-auth") as server:
        yield server.base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never ``playwright install``)."""
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("chromium is not installed: apt-get install chromium fonts-noto-core")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()
