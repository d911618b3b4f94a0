"""The main page against ``rasd serve`` with logins on (the default), in a real Chromium.

Signed out, the page says so and links to the review page, where logins happen; signed in there,
it shows the events and can upload a report (its write carries the session's CSRF token).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from rasd.store import Store
from rasd.store.review import Reviews
from seed_events import seed_document
from servers import rasd_server

PASSWORD = "a long test password"
REPORT = "قتل 3 مدنيين في قصف على بلدة صغيرة يوم 4 أيار/مايو 2018، حسب شهود عيان."


@dataclass(frozen=True)
class Served:
    base_url: str
    db_url: str
    events: int


def stored_documents(served: Served) -> int:
    with Store(served.db_url, migrate=False) as store:
        return store.count_documents()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Served]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('sign-in') / 'rasd.db'}"
    with Store(db_url) as store:
        store.ingest(seed_document())
        Reviews(store).add_user("coder1", PASSWORD, "coder")
        events = store.count_events()
    with rasd_server(db_url, artifacts / "sign-in-server.log") as server:
        yield Served(server.base_url, db_url, events)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield context.new_page()
    context.close()


def open_main_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=20000)


def sign_in_on_the_review_page(page: Page) -> None:
    page.fill("input[name=username]", "coder1")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    expect(page.locator("#who")).to_contain_text("coder1")


def test_signed_out_the_page_says_to_sign_in_and_links_to_the_review_page(
    page: Page, served: Served, artifacts: Path
) -> None:
    open_main_page(page, served.base_url)

    status = page.locator("#status")
    expect(status).to_have_text(
        "Sign in to see the events: log in on the review page, then come back here."
    )
    expect(status).to_have_class("status error")
    expect(page.locator("#sign-in")).to_have_attribute("href", "/review")
    expect(page.locator("rect.tl-bar")).to_have_count(0)
    page.screenshot(path=artifacts / "page-signed-out.png")

    page.click("#sign-in")
    expect(page.locator("#login")).to_be_visible()
    sign_in_on_the_review_page(page)
    page.click("h1 a")  # the review page's title leads back to the main page
    page.wait_for_selector("body[data-ready=true]", timeout=20000)

    expect(status).to_have_text(f"{served.events} events")
    expect(page.locator("rect.tl-bar")).to_have_count(served.events)


def test_signed_in_an_upload_from_the_page_is_stored(
    page: Page, served: Served, tmp_path: Path
) -> None:
    page.goto(served.base_url + "/review")
    sign_in_on_the_review_page(page)
    open_main_page(page, served.base_url)
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    before = stored_documents(served)

    with page.expect_response("**/api/documents") as upload:
        page.set_input_files("#upload input[name=file]", report)
        page.click("#upload button[type=submit]")

    assert upload.value.status == 202
    expect(page.locator("#status")).to_contain_text("stored ", timeout=60000)
    expect(page.locator("#status")).not_to_have_class("status error")
    assert stored_documents(served) == before + 1
