"""Hostile reports uploaded through the API and opened in Chromium run nothing; bad uploads get 4xx.

Every payload of the hostile corpus (script tags, event handlers, ``javascript:`` and ``data:``
URLs, SVG, bidi overrides) is uploaded to ``rasd serve`` (logins on, as by default; each test
uploads with its own account's API token) as plain text, HTML, JSON (payloads in
the title, URL and publisher too) and as a multipart file whose *name* is a payload. Events that
quote the payloads (actor, place, summary, flags, evidence spans) are then added for each report,
so the page renders every one of them. The browser must see no dialog, no console message, no
request to a payload URL, and the page's Content-Security-Policy must not allow inline script.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pytest
from hostile import SCRIPT_PAYLOADS, payload_html, payload_text
from playwright.sync_api import Browser, Dialog, Page
from tally import tried

from rasd import store as rasd_store
from rasd.records import Actor, EventFlag, EventRecord, Evidence, Figures, Location, SpanRef
from rasd.store.review import Reviews

PAYLOAD_HOSTS = ("http://127.0.0.1:9", "http://198.51.100.")
MARKER = "rasd-xss"
UPLOAD_LIMIT_MB = 1
UPLOADS_PER_MINUTE = 40  # above the hostile uploads of one test, below the burst
PASSWORD = "a long test password"


@dataclass(frozen=True)
class Served:
    base_url: str
    db_url: str

    def token(self, username: str) -> dict[str, str]:
        """Authorization headers for a new coder account (rate limits count per account)."""
        with rasd_store.Store(self.db_url, migrate=False) as store:
            reviews = Reviews(store)
            reviews.add_user(username, PASSWORD, "coder")
            return {"authorization": f"Bearer {reviews.create_token(username)}"}


@dataclass
class Watched:
    page: Page
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[Served]:
    """``rasd serve`` over an empty SQLite file, with a 1 MB upload limit and logins on."""
    from servers import rasd_server  # tests/servers.py, the store's real-server helpers

    url = f"sqlite:///{tmp_path_factory.mktemp('security') / 'rasd.db'}"
    rasd_store.Store(url).close()
    log = artifacts / "security-server.log"
    limits = ("--max-upload", str(UPLOAD_LIMIT_MB), "--upload-rate", str(UPLOADS_PER_MINUTE))
    with rasd_server(url, log, *limits) as server:
        yield Served(server.base_url, url)


@pytest.fixture(scope="module")
def checker(served: Served) -> dict[str, str]:
    """The account that sends the bad uploads."""
    return served.token("checker")


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    seen = Watched(page)
    page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.console.append(f"pageerror: {error}"))

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: seen.requests.append(request.url))
    yield seen
    context.close()


def hostile_uploads() -> list[tuple[str, dict[str, object]]]:
    """(label, httpx request arguments) for every way a payload can arrive."""
    text = payload_text()
    uploads: list[tuple[str, dict[str, object]]] = [
        ("text/plain", {"content": text.encode(), "headers": {"content-type": "text/plain"}}),
        ("text/html", {"content": payload_html(), "headers": {"content-type": "text/html"}}),
    ]
    for number, payload in enumerate(SCRIPT_PAYLOADS):
        uploads.append(
            (
                f"json-{number}",
                {
                    "json": {
                        "text": f"قتل {number + 2} مدنيين في قصف على حلب {payload} يوم 3 آذار.",
                        "title": payload,
                        "url": "javascript:alert('rasd-xss-url')",
                        "publisher": payload,
                    }
                },
            )
        )
        uploads.append(
            (
                f"multipart-name-{number}",
                {
                    "files": {
                        "file": (
                            f"{payload}.txt",
                            f"جرح {number + 3} أشخاص {payload} في حمص.".encode(),
                            "text/plain",
                        )
                    }
                },
            )
        )
    return uploads


def payload_events(doc_id: str, text: str) -> list[EventRecord]:
    """An event per report whose every shown string is a payload and whose spans cover payloads."""
    spans = []
    for payload in SCRIPT_PAYLOADS:
        start = text.find(payload)
        if start >= 0:
            spans.append(
                SpanRef(document_id=doc_id, start=start, end=start + len(payload), text=payload)
            )
    whole = SpanRef(document_id=doc_id, start=0, end=len(text), text=text)
    spans = spans or [whole]
    return [
        EventRecord(
            event_id=f"{doc_id}-xss",
            document_ids=[doc_id],
            event_type="Violence against civilians",
            sub_event_type=SCRIPT_PAYLOADS[0],
            date_start=date(2016, 3, 3),
            date_end=date(2016, 3, 3),
            date_precision="day",
            actor1=Actor(name=SCRIPT_PAYLOADS[1], kind="other", span=spans[0]),
            actor2=Actor(name=SCRIPT_PAYLOADS[4], kind="civilians"),
            location=Location(
                name=SCRIPT_PAYLOADS[8],
                country="SY",
                admin1=SCRIPT_PAYLOADS[2],
                latitude=36.2,
                longitude=37.1,
                precision="city",
                span=spans[-1],
            ),
            fatalities=Figures(low=2, best=2, high=2),
            evidence=[
                Evidence(field=f"f{i}", span=s, by=SCRIPT_PAYLOADS[5]) for i, s in enumerate(spans)
            ],
            flags=[EventFlag(kind=SCRIPT_PAYLOADS[9], message=SCRIPT_PAYLOADS[3], by="x")],
            summary=SCRIPT_PAYLOADS[6] + SCRIPT_PAYLOADS[10],
            confidence=0.5,
        )
    ]


def wait_until_extracted(http: httpx.Client, doc_id: str) -> dict[str, object]:
    """The upload's status once the server's worker is done with it (or has failed it)."""
    deadline = time.monotonic() + 120
    while True:
        status: dict[str, object] = http.get(f"/api/uploads/{doc_id}").json()
        if status["status"] not in ("queued", "working") or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def test_uploaded_payloads_render_as_text_and_run_nothing(
    served: Served, watched: Watched, artifacts: Path
) -> None:
    base, db_url = served.base_url, served.db_url
    stored: list[str] = []
    headers = served.token("uploader")
    with httpx.Client(base_url=base, timeout=60, headers=headers) as http:
        for label, request in hostile_uploads():
            response = http.post("/api/documents", **request)  # type: ignore[arg-type]
            assert response.status_code in (200, 202), f"{label}: {response.text}"
            stored.append(response.json()["id"])
        for doc_id in stored:
            status = wait_until_extracted(http, doc_id)
            assert status["status"] == "done", f"{doc_id}: {status}"
    tried("web security: hostile uploads", len(stored))
    with rasd_store.Store(db_url) as store:
        for doc_id in set(stored):
            document = store.get_document(doc_id)
            assert document is not None
            store.add_events(payload_events(doc_id, document.document.text), doc_id)

    page = watched.page
    page.goto(base + "/review")
    page.fill("input[name=username]", "uploader")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#who:has-text('uploader')", timeout=20000)
    response = page.goto(base + "/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in policy
    page.wait_for_selector("body[data-ready=true]", timeout=20000)
    for doc_id in dict.fromkeys(stored):
        page.goto(f"{base}/#event={doc_id}-xss")
        page.wait_for_selector("#event-view .report", timeout=20000)
        page.mouse.move(10, 10)
    page.screenshot(path=artifacts / "security-last-event.png", full_page=True)
    page.goto(base + "/docs")
    page.wait_for_timeout(500)

    assert watched.dialogs == []
    assert [m for m in watched.console if MARKER in m or "alert" in m] == []
    assert [u for u in watched.requests if u.startswith(PAYLOAD_HOSTS)] == []
    assert [u for u in watched.requests if u.startswith(("javascript:", "data:text/html"))] == []


@pytest.mark.parametrize(
    ("request_args", "status", "detail"),
    [
        (
            {
                "content": b"x" * (UPLOAD_LIMIT_MB * 1024 * 1024 + 1),
                "headers": {"content-type": "text/plain"},
            },
            413,
            "upload is over the 1.0 MB limit",
        ),
        (
            {"content": b"\x89PNG\r\n\x1a\n" + bytes(64), "headers": {"content-type": "image/png"}},
            415,
            "image/png is not accepted: send text/plain, text/html, application/json "
            "or a multipart form with a text file",
        ),
        (
            {
                "content": b"\x89PNG\r\n\x1a\n" + bytes(64),
                "headers": {"content-type": "text/plain"},
            },
            415,
            "upload: binary file (PNG image), not a text report",
        ),
        (
            {"content": b"%PDF-1.7\n", "headers": {"content-type": "text/plain"}},
            415,
            "upload: PDF uploads are not accepted; extract the text first",
        ),
        (
            {"content": b'{"text": ', "headers": {"content-type": "application/json"}},
            400,
            None,
        ),
        (
            {"content": b"[" * 100_000, "headers": {"content-type": "application/json"}},
            400,
            "malformed JSON (nested too deeply)",
        ),
        (
            {"files": {"file": ("a.png", b"\x89PNG\r\n\x1a\n", "image/png")}},
            415,
            "a.png: image/png is not a text report",
        ),
    ],
    ids=[
        "over-limit",
        "image-type",
        "binary-as-text",
        "pdf",
        "bad-json",
        "deep-json",
        "multipart-png",
    ],
)
def test_bad_uploads_get_a_clear_4xx(
    served: Served,
    checker: dict[str, str],
    request_args: dict[str, object],
    status: int,
    detail: str | None,
) -> None:
    arguments = {k: v for k, v in request_args.items() if k != "headers"}
    headers = {**request_args.get("headers", {}), **checker}  # type: ignore[dict-item]
    response = httpx.post(
        f"{served.base_url}/api/documents",
        timeout=60,
        headers=headers,
        **arguments,  # type: ignore[arg-type]
    )

    tried("web security: bad uploads")
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    if detail is not None:
        assert response.json()["detail"] == detail


def test_a_burst_of_uploads_from_one_client_is_rate_limited(served: Served) -> None:
    with httpx.Client(base_url=served.base_url, timeout=60, headers=served.token("burst")) as http:
        responses = [
            http.post(
                "/api/documents",
                content=f"قتل {n} مدنيين في قصف على حلب.".encode(),
                headers={"content-type": "text/plain"},
            )
            for n in range(2, UPLOADS_PER_MINUTE + 12)
        ]
        other = http.post(
            "/api/documents",
            content="قتل 5 مدنيين في قصف على حمص.".encode(),
            headers={"content-type": "text/plain", **served.token("another")},
        )

    tried("web security: burst uploads", len(responses))
    statuses = [r.status_code for r in responses]
    assert statuses == [202] * UPLOADS_PER_MINUTE + [429] * 10
    refused = responses[-1]
    assert refused.json()["detail"].startswith(
        f"too many uploads: at most {UPLOADS_PER_MINUTE} per 60 s; wait "
    )
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert other.status_code == 202  # another account is not held back
