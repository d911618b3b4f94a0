"""Review in the browser (Chromium via Playwright) against ``rasd serve`` with accounts, on SQLite
and on PostgreSQL: a coder corrects and accepts with the keyboard, a viewer cannot edit,
anonymous requests get 401, a forged cross-site form post is refused, and two reviewers saving
the same event produce one conflict and no lost update.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from rasd.store import Store
from rasd.store.review import Reviews
from seed_events import seed_document
from servers import PostgresServer, free_port, rasd_server

PASSWORD = "a long test password"


@dataclass(frozen=True)
class ReviewServer:
    base_url: str
    db_url: str
    event_ids: list[str]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def review_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    artifacts: Path,
) -> Iterator[ReviewServer]:
    if request.param == "sqlite":
        db_url = f"sqlite:///{tmp_path_factory.mktemp('review') / 'rasd.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        db_url = server.new_database(template="rasd_template")
    with Store(db_url) as store:
        store.ingest(seed_document())
        reviews = Reviews(store)
        for name, role in (("coder1", "coder"), ("coder2", "coder"), ("viewer1", "viewer")):
            reviews.add_user(name, PASSWORD, role)
        event_ids = reviews.queue()
    log = artifacts / f"review-server-{request.param}.log"
    with rasd_server(db_url, log) as served:
        yield ReviewServer(served.base_url, db_url, event_ids)


def login(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/review")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    expect(page.locator("#who")).to_contain_text(username)
    expect(page.locator("#queue-list li").first).to_be_visible()
    expect(page.locator("#login")).to_be_hidden()


def stored(server: ReviewServer, event_id: str) -> tuple[str, int, object]:
    with Store(server.db_url, migrate=False) as store:
        event = store.get_event(event_id)
        assert event is not None
        return event.status, event.version, event.record


def api_session(base_url: str, username: str) -> tuple[httpx.Client, str]:
    """An API client logged in by cookie (sent by hand: httpx keeps Secure cookies to https)."""
    client = httpx.Client(base_url=base_url, timeout=10)
    response = client.post("/api/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["cookie"] = f"rasd_session={response.cookies['rasd_session']}"
    return client, response.json()["csrf_token"]


def test_anonymous_requests_get_401(review_server: ReviewServer) -> None:
    for path in ("/api/events", "/api/documents", "/api/review/queue", "/api/me"):
        response = httpx.get(review_server.base_url + path)
        assert response.status_code == 401, path
    event_id = review_server.event_ids[0]
    response = httpx.post(
        f"{review_server.base_url}/api/events/{event_id}/accept", json={"version": 1}
    )
    assert response.status_code == 401


def test_coder_corrects_accepts_and_sees_the_history_with_the_keyboard(
    review_server: ReviewServer, browser: Browser, artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 1500, "height": 900})
    page = context.new_page()
    login(page, review_server.base_url, "coder1")
    first = page.locator("#queue-list li").first.get_attribute("data-id")
    assert first is not None
    expect(page.locator("#doc-text mark").first).to_be_visible()

    started = time.perf_counter()
    page.keyboard.press("e")
    page.fill("input[name=date_start]", "1996-09-26")
    page.fill("input[name=date_end]", "1996-09-27")
    page.select_option("select[name=date_precision]", "day")
    page.fill("input[name='fatalities.best']", "2000")
    page.fill("input[name=reason]", "HRW report of Nov 1998")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_contain_text("saved")
    page.locator("#doc-text").click()  # leave the form so single keys are commands again
    page.keyboard.press("a")
    expect(page.locator("#queue-list li").first.locator(".badge")).to_have_text("reviewed")
    # The rest of the report's events: accept each with one key.
    remaining = page.locator("#queue-list li").count() - 1
    for index in range(1, remaining + 1):
        expect(page.locator("#queue-list li.current")).to_have_attribute("data-index", str(index))
        page.keyboard.press("a")
    expect(page.locator("#queue-list .badge.suggested")).to_have_count(0)
    per_event = (time.perf_counter() - started) / (remaining + 1)
    (artifacts / "review-time-per-event.txt").write_text(f"{per_event:.3f} s\n")

    page.locator("#queue-list li").first.click()
    page.keyboard.press("h")
    history = page.locator("#history")
    expect(history).to_contain_text("date_start")
    expect(history).to_contain_text("1996-09-26")
    expect(history).to_contain_text("coder1")
    expect(history).to_contain_text("HRW report of Nov 1998")
    page.screenshot(path=str(artifacts / "review-coder.png"), full_page=True)
    context.close()

    status, _, record = stored(review_server, first)
    assert status == "reviewed"
    assert str(record.date_start) == "1996-09-26"  # type: ignore[attr-defined]
    assert record.fatalities.best == 2000  # type: ignore[attr-defined]


def test_viewer_has_no_controls_and_the_api_answers_403(
    review_server: ReviewServer, browser: Browser, artifacts: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    login(page, review_server.base_url, "viewer1")
    expect(page.locator("#save")).to_have_count(0)
    expect(page.locator("#accept")).to_have_count(0)
    expect(page.locator("input[name=date_start]")).to_be_disabled()
    page.screenshot(path=str(artifacts / "review-viewer.png"))
    context.close()

    client, csrf = api_session(review_server.base_url, "viewer1")
    event_id = review_server.event_ids[-1]
    _, version, _ = stored(review_server, event_id)
    response = client.patch(
        f"/api/events/{event_id}",
        json={"version": version, "changes": {"summary": "edited by a viewer"}},
        headers={"x-csrf-token": csrf},
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "viewer1 is a viewer; this needs coder"
    assert client.get(f"/api/events/{event_id}").status_code == 200
    client.close()


def test_a_write_without_the_csrf_token_is_refused(review_server: ReviewServer) -> None:
    client, _ = api_session(review_server.base_url, "coder2")
    event_id = review_server.event_ids[-1]
    _, version, _ = stored(review_server, event_id)
    response = client.post(f"/api/events/{event_id}/accept", json={"version": version})
    client.close()
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


class AttackerPage(http.server.BaseHTTPRequestHandler):
    """Another origin (another port) serving a form that posts to the Rasd server."""

    target = ""

    def do_GET(self) -> None:
        body = (
            "<!doctype html><html><body>"
            f'<form id="f" method="post" action="{self.target}" enctype="text/plain">'
            '<input name=\'{"version": 1, "x": "\' value=\'"}\'>'
            '<button id="go" type="submit">win a prize</button></form></body></html>'
        ).encode()
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


def test_a_forged_cross_site_form_post_is_refused(
    review_server: ReviewServer, browser: Browser
) -> None:
    event_id = review_server.event_ids[-1]
    before = stored(review_server, event_id)
    handler = type("Handler", (AttackerPage,), {})
    handler.target = f"{review_server.base_url}/api/events/{event_id}/accept"
    port = free_port()
    attacker = http.server.HTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=attacker.serve_forever, daemon=True)
    thread.start()
    try:
        context = browser.new_context()
        page = context.new_page()
        login(page, review_server.base_url, "coder2")  # the victim has a live session
        page.goto(f"http://127.0.0.1:{port}/")
        with page.expect_response(handler.target) as answer:
            page.click("#go")
        assert answer.value.status == 403
        context.close()
    finally:
        attacker.shutdown()
        attacker.server_close()
    assert stored(review_server, event_id)[:2] == before[:2]


def test_two_reviewers_saving_one_event_get_one_conflict_and_lose_nothing(
    review_server: ReviewServer, browser: Browser, artifacts: Path
) -> None:
    event_id = review_server.event_ids[-1]
    pages = []
    contexts = []
    for name in ("coder1", "coder2"):
        context = browser.new_context(viewport={"width": 1500, "height": 900})
        page = context.new_page()
        login(page, review_server.base_url, name)
        page.locator(f"#queue-list li[data-id='{event_id}']").click()
        expect(page.locator("#event-id")).to_have_text(event_id)
        contexts.append(context)
        pages.append(page)
    _, version_before, _ = stored(review_server, event_id)
    for page, figure in zip(pages, ("11", "12"), strict=True):
        page.fill("input[name='injured.best']", figure)
    pages[0].click("#save")
    expect(pages[0].locator("#status")).to_contain_text("saved")
    pages[1].click("#save")
    expect(pages[1].locator("#status")).to_contain_text("Conflict")
    pages[1].screenshot(path=str(artifacts / "review-conflict.png"))
    for context in contexts:
        context.close()
    _, version_after, record = stored(review_server, event_id)
    assert version_after == version_before + 1
    assert record.injured.best == 11  # type: ignore[attr-defined]
    with Store(review_server.db_url, migrate=False) as store:
        changes = [r for r in Reviews(store).history(event_id) if r.field == "injured"]
    assert [(r.username, r.new["best"]) for r in changes] == [("coder1", 11)]


def test_the_gazetteer_answers_arabic_english_and_typed_prefixes(
    review_server: ReviewServer,
) -> None:
    client, _ = api_session(review_server.base_url, "viewer1")
    try:
        for query in ("مزار شريف", "مَزار الشريف", "Mazar-i-Sharif", "مزار ش"):
            response = client.get("/api/places", params={"q": query})
            assert response.status_code == 200, response.text
            first = response.json()[0]
            assert (first["name"], first["country"], first["admin1"]) == (
                "Mazar-e Sharif",
                "AF",
                "Balkh",
            ), query
        assert client.get("/api/places", params={"q": "x" * 101}).status_code == 422
    finally:
        client.close()
    assert httpx.get(review_server.base_url + "/api/places?q=kabul").status_code == 401


def test_a_coder_sets_the_place_by_searching_the_gazetteer(
    review_server: ReviewServer, browser: Browser
) -> None:
    event_id = review_server.event_ids[-1]
    context = browser.new_context(viewport={"width": 1500, "height": 900})
    page = context.new_page()
    login(page, review_server.base_url, "coder2")
    page.locator(f"#queue-list li[data-id='{event_id}']").click()
    expect(page.locator("#event-id")).to_have_text(event_id)  # shown, so typing is not undone
    page.fill("input[name='location.name']", "هرات")
    page.locator("#place-results button", has_text="Herat").first.click()
    expect(page.locator("input[name='location.country']")).to_have_value("AF")
    page.fill("input[name=reason]", "the town is Herat")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_contain_text("saved")
    context.close()

    _, _, record = stored(review_server, event_id)
    location = record.location  # type: ignore[attr-defined]
    assert (location.name, location.country) == ("Herat", "AF")
    assert abs(location.latitude - 34.35) < 0.1
