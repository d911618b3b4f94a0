"""Uploading from the page: the report is queued, and the page follows it to done or failed.

The server is ``rasd serve --workers 0``, so a report waits in the queue until the test starts a
worker itself: the real ``rasd worker`` process for the happy path, or a worker that fails the
report (through the queue, as the worker does on a stage's bug) for the error path.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from rasd.store import Store
from rasd.store.queue import UploadQueue
from servers import RasdServer, rasd_server

RASD = Path(sys.executable).with_name("rasd")
REPORT = "قتل 3 مدنيين في قصف على بلدة صغيرة قرب حلب يوم 4 آذار/مارس 2020."
BROKEN = "أصيب مدني في قصف على قرية صغيرة ليلة الأحد، حسب شهود عيان."


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('upload') / 'rasd.db'}"
    Store(url).close()
    return url


@pytest.fixture(scope="module")
def served(database: str, artifacts: Path) -> Iterator[RasdServer]:
    """``rasd serve`` with no worker of its own: uploads wait until a test starts one."""
    log = artifacts / "upload-server.log"
    with rasd_server(database, log, "--no-auth", "--workers", "0") as server:
        yield server


@pytest.fixture
def page(browser: Browser, served: RasdServer) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    opened = context.new_page()
    opened.goto(served.base_url + "/")
    opened.wait_for_selector("body[data-ready=true]", timeout=20000)
    yield opened
    context.close()


def upload_from_the_page(page: Page, folder: Path, text: str) -> None:
    report = folder / "report.txt"
    report.write_text(text, encoding="utf-8")
    page.set_input_files("#upload input[name=file]", report)
    page.click("#upload button[type=submit]")


def test_an_upload_shows_queued_then_stored_when_a_worker_takes_it(
    page: Page, database: str, tmp_path: Path
) -> None:
    upload_from_the_page(page, tmp_path, REPORT)
    expect(page.locator("#status")).to_contain_text("is queued: extracting events")

    worker = subprocess.Popen(
        [str(RASD), "worker", "--db", database], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        expect(page.locator("#status")).to_contain_text(" with 1 events", timeout=60000)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    expect(page.locator("#status")).not_to_have_class("status error")
    expect(page.locator("rect.tl-bar")).to_have_count(1)
    assert output == b""


def test_a_failed_upload_shows_the_worker_s_error(
    page: Page, database: str, tmp_path: Path
) -> None:
    upload_from_the_page(page, tmp_path, BROKEN)
    expect(page.locator("#status")).to_contain_text("is queued")

    queue = UploadQueue(Store(database, migrate=False))
    (claimed,) = queue.claim("test-worker", limit=1)
    queue.fail(
        "test-worker",
        claimed.document_id,
        "report.txt: extraction failed in stage 'dates' (IndexError), a bug in Rasd; "
        "the server log has the details",
    )
    queue.store.close()

    expect(page.locator("#status")).to_have_text(
        f"{claimed.document_id} failed: report.txt: extraction failed in stage 'dates' "
        "(IndexError), a bug in Rasd; the server log has the details"
    )
    expect(page.locator("#status")).to_have_class("status error")
