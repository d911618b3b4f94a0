"""The HTTP API over a real database (SQLite and PostgreSQL), called as a client would."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from httpx import Response

from fragile_stage import fragile_stage
from rasd.api import ApiSettings, create_app
from rasd.pipeline import Pipeline
from rasd.records import EventRecord
from rasd.store import Store
from rasd.store.review import Reviews
from rasd.store.worker import Worker
from seed_events import SEED_ID

with warnings.catch_warnings():
    # Starlette asks for its httpx fork for TestClient; httpx itself works the same here.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

E = {n: f"{SEED_ID}-e{n}" for n in range(1, 5)}
REPORT = "قتل 4 مدنيين في قصف على بلدة صغيرة يوم 2 تموز/يوليو 2019، حسب شهود عيان."


@pytest.fixture
def client(seeded_store: Store) -> Iterator[TestClient]:
    app = create_app(seeded_store, ApiSettings(max_upload_bytes=64 * 1024, auth_required=False))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def worker(seeded_store: Store, pipeline: Pipeline) -> Worker:
    """What `rasd worker` runs, here in the test's process: it drains the upload queue."""
    return Worker(seeded_store, pipeline)


def extracted(client: TestClient, worker: Worker, response: Response) -> dict[str, Any]:
    """The upload's status once the worker has handled every queued upload."""
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    worker.drain()
    status: dict[str, Any] = client.get(response.json()["status_url"]).json()
    return status


def test_events_are_listed_in_date_order_with_their_documents(client: TestClient) -> None:
    page = client.get("/api/events", params={"country": "af"}).json()
    assert page["total"] == 4
    assert [e["id"] for e in page["items"]] == [E[1], E[4], E[2], E[3]]
    assert page["items"][0]["document_ids"] == [SEED_ID]
    assert page["items"][0]["date_precision"] == "week"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"event_type": "Battles"}, [2]),
        ({"actor": "Northern Alliance"}, [2]),
        ({"date_from": "1998-08-09", "date_to": "1998-12-31", "admin1": "Balkh"}, [4, 3]),
        ({"fatalities_min": "1000", "country": "AF"}, [2, 3]),
        ({"bbox": "68,34,70,35"}, [1]),
        ({"q": "مَزار الشريف", "fatalities_max": "20"}, [4]),
        ({"country": "AF", "limit": "2", "offset": "1"}, [4, 2]),
    ],
    ids=["type", "actor", "dates-admin1", "fatalities", "bbox", "text", "page"],
)
def test_event_filters_over_http(
    client: TestClient, params: dict[str, str], expected: list[int]
) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 200
    assert [e["id"] for e in response.json()["items"]] == [E[n] for n in expected]


def test_one_event_comes_with_claims_evidence_and_flags(client: TestClient) -> None:
    body = client.get(f"/api/events/{E[3]}").json()
    event = EventRecord.model_validate(body["event"])
    assert (body["status"], body["version"]) == ("suggested", 1)
    assert [c.span.text for c in event.claims] == ["المئات من الذكور", "نحو 8 آلاف شخص"]
    assert event.claims[1].attributed_to == "Human Rights Watch"
    assert [e.field for e in event.evidence] == ["date", "fatalities", "actor1"]
    assert event.flags[0].kind == "figure_conflict"


def test_a_document_comes_with_its_text_and_event_ids(client: TestClient) -> None:
    body = client.get(f"/api/documents/{SEED_ID}").json()
    assert body["text"].startswith("أواخر شهر أيلول/سبتمبر عام 1995")
    assert body["event_ids"] == sorted(E.values())
    assert body["source"]["path"] == "mazar-i-sharif-1998.ar.txt"
    assert body["sentences"][0][0] == 0


@pytest.mark.parametrize("path", ["/api/events/nope", "/api/documents/nope"], ids=["event", "doc"])
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"] == "no " + path.split("/")[2][:-1] + " 'nope'"


@pytest.mark.parametrize(
    "query", ["مزار الشريف", "مزار شريف", "مَزار شريف"], ids=["al", "bare", "haraka"]
)
def test_search_finds_the_report_by_any_spelling(client: TestClient, query: str) -> None:
    body = client.get("/api/search", params={"q": query}).json()
    assert [d["id"] for d in body["items"]] == [SEED_ID]
    assert body["items"][0]["events"] == 4


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE events; --",
        "1' OR '1'='1",
        '" OR NEAR(a b) *',
        "x UNION SELECT * FROM documents",
    ],
    ids=["drop", "or-true", "fts-syntax", "union"],
)
def test_sql_looking_searches_find_nothing_and_harm_nothing(client: TestClient, query: str) -> None:
    response = client.get("/api/search", params={"q": query})
    assert response.status_code == 200
    assert response.json()["total"] == 0
    assert client.get("/api/events").json()["total"] == 5


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"event_type": "Massacre"}, "query.event_type: Input should be 'Battles'"),
        ({"country": "AFG"}, "query.country: String should match pattern"),
        ({"date_from": "yesterday"}, "query.date_from: Input should be a valid date"),
        ({"date_from": "2000-01-02", "date_to": "2000-01-01"}, "date_from is after date_to"),
        ({"bbox": "1,2,3"}, "bbox must be four numbers"),
        ({"bbox": "0,0,0,200"}, "bbox is outside"),
        ({"bbox": "0,10,1,5"}, "bbox south is above north"),
        ({"fatalities_min": "-1"}, "query.fatalities_min: Input should be greater than or equal"),
        ({"fatalities_min": "10", "fatalities_max": "5"}, "fatalities_min is above fatalities_max"),
        ({"status": "deleted"}, "query.status: Input should be 'suggested'"),
        ({"limit": "100000"}, "query.limit: Input should be less than or equal to 2000"),
        ({"document_id": "../../etc/passwd"}, "query.document_id: String should match pattern"),
        ({"contry": "AF"}, "unknown query parameter 'contry'"),
        ({"q": "«» ;"}, "search query has no words"),
    ],
    ids=[
        "event-type",
        "country",
        "date",
        "date-order",
        "bbox-short",
        "bbox-range",
        "bbox-order",
        "negative",
        "fatalities-order",
        "status",
        "limit",
        "document-id",
        "unknown-name",
        "no-words",
    ],
)
def test_bad_filter_values_are_422_saying_what_is_wrong(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_a_text_upload_is_queued_then_extracted_and_stored_once(
    client: TestClient, worker: Worker
) -> None:
    body = REPORT.encode()
    first = client.post("/api/documents", content=body, headers={"content-type": "text/plain"})
    queued = client.get(first.json()["status_url"]).json()

    done = extracted(client, worker, first)
    again = client.post("/api/documents", content=body, headers={"content-type": "text/plain"})

    assert first.headers["location"] == first.json()["status_url"]
    assert queued["status"] == "queued"
    assert (done["status"], done["events"], done["error"]) == ("done", 1, None)
    assert (again.status_code, again.json()) == (200, done)
    stored = client.get(done["document_url"]).json()
    assert stored["text"] == REPORT
    assert stored["stages"][:2] == ["normalize", "segment"]
    assert stored["stages"][-1] == "events"
    assert client.get("/api/events", params={"document_id": done["id"]}).json()["total"] == 1


def test_an_upload_waits_in_the_queue_until_a_worker_takes_it(
    client: TestClient, seeded_store: Store, pipeline: Pipeline
) -> None:
    before = client.get("/api/documents").json()["total"]
    response = client.post(
        "/api/documents", content=REPORT.encode(), headers={"content-type": "text/plain"}
    )
    again = client.post(
        "/api/documents", content=REPORT.encode(), headers={"content-type": "text/plain"}
    )
    assert client.get("/api/documents").json()["total"] == before

    # A worker started later (after a restart of the server, say) finds the queued report.
    assert Worker(seeded_store, pipeline).drain() == 1

    assert (again.status_code, again.json()["status"]) == (202, "queued")
    assert client.get(response.json()["status_url"]).json()["status"] == "done"
    assert client.get("/api/documents").json()["total"] == before + 1


def test_the_status_of_an_unknown_upload_is_404(client: TestClient) -> None:
    response = client.get("/api/uploads/0123456789abcdef01234567")
    assert response.status_code == 404
    assert response.json()["detail"] == "no upload '0123456789abcdef01234567'"


def test_a_json_upload_keeps_its_metadata(client: TestClient, worker: Worker) -> None:
    payload = {"text": REPORT, "published": "2019-07-03", "title": "قصف", "lang": "ar"}
    done = extracted(client, worker, client.post("/api/documents", json=payload))
    source = client.get(done["document_url"]).json()["source"]
    assert (source["published"], source["title"]) == ("2019-07-03", "قصف")


def test_a_file_upload_from_a_form_is_stored(client: TestClient, worker: Worker) -> None:
    files = {"file": ("report.txt", REPORT.encode("utf-16"), "text/plain")}
    done = extracted(client, worker, client.post("/api/documents", files=files))
    stored = client.get(done["document_url"]).json()
    assert (stored["text"], stored["source"]["path"]) == (REPORT, "report.txt")


def test_an_html_upload_keeps_only_the_article_text(client: TestClient, worker: Worker) -> None:
    html = (
        "<html><head><title>t</title><script>alert(1)</script></head><body><article><p>"
        + REPORT
        + '</p><p>وأضاف الشهود أن القصف استمر ساعة. <img src=x onerror="alert(2)"></p>'
        "</article></body></html>"
    )
    response = client.post(
        "/api/documents", content=html.encode(), headers={"content-type": "text/html"}
    )
    text = client.get(extracted(client, worker, response)["document_url"]).json()["text"]
    assert REPORT in text
    assert "alert" not in text
    assert "<" not in text


PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        (
            {"content": b"x" * (64 * 1024 + 1), "headers": {"content-type": "text/plain"}},
            413,
            "upload is over the 0.1 MB limit",
        ),
        (
            {
                "content": [b"x" * 40000, b"x" * 40000],
                "headers": {"content-type": "text/plain"},
            },
            413,
            "upload is over the 0.1 MB limit",
        ),
        (
            {"content": PNG, "headers": {"content-type": "image/png"}},
            415,
            "image/png is not accepted",
        ),
        (
            {"content": PNG, "headers": {"content-type": "text/plain"}},
            415,
            "upload: binary file (PNG image), not a text report",
        ),
        (
            {"content": bytes(range(32)) * 50, "headers": {"content-type": "text/plain"}},
            415,
            "upload: binary file (control characters), not a text report",
        ),
        (
            {"files": {"file": ("a.png", PNG, "image/png")}},
            415,
            "a.png: image/png is not a text report",
        ),
        (
            {"files": {"file": ("a.pdf", b"%PDF-1.4 x", "application/pdf")}},
            415,
            "not a text report",
        ),
        ({"files": {"other": ("a.txt", REPORT.encode(), "text/plain")}}, 422, 'no "file" part'),
        (
            {"content": b'{"text": "abc"', "headers": {"content-type": "application/json"}},
            400,
            "malformed JSON",
        ),
        (
            {"content": b"[" * 60_000, "headers": {"content-type": "application/json"}},
            400,
            "malformed JSON (nested too deeply)",
        ),
        ({"json": ["not", "an", "object"]}, 422, "Input should be a valid dictionary"),
        ({"json": {"text": REPORT, "admin": True}}, 422, "admin: Extra inputs are not permitted"),
        ({"json": {"text": "   "}}, 422, "text is empty"),
        (
            {"json": {"text": REPORT, "published": "soon"}},
            422,
            "published: Input should be a valid date",
        ),
        (
            {"content": b"   ", "headers": {"content-type": "text/plain"}},
            422,
            "upload: file is empty",
        ),
        ({"content": REPORT.encode()}, 415, "no content type is not accepted"),
    ],
    ids=[
        "too-big",
        "too-big-chunked",
        "image-type",
        "image-bytes",
        "control-bytes",
        "form-image",
        "form-pdf",
        "form-no-file",
        "malformed-json",
        "deeply-nested-json",
        "json-array",
        "json-extra-field",
        "json-empty-text",
        "json-bad-date",
        "empty",
        "no-content-type",
    ],
)
def test_bad_uploads_are_refused_with_a_clear_4xx(
    client: TestClient, kwargs: dict[str, object], status: int, message: str
) -> None:
    if isinstance(kwargs.get("content"), list):  # chunks: sent as a stream, no Content-Length
        kwargs = {**kwargs, "content": iter(kwargs["content"])}  # type: ignore[call-overload]
    before = client.get("/api/documents").json()["total"]
    response = client.post("/api/documents", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert client.get("/api/documents").json()["total"] == before


def upload(client: TestClient, number: int, token: str | None = None) -> int:
    headers = {"content-type": "text/plain"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    report = f"قتل {number} مدنيين في قصف على بلدة صغيرة."
    return client.post("/api/documents", content=report.encode(), headers=headers).status_code


def test_a_burst_of_uploads_is_rate_limited_per_account(seeded_store: Store) -> None:
    reviews = Reviews(seeded_store)
    tokens = {}
    for name in ("coder1", "coder2"):
        reviews.add_user(name, "a long test password", "coder")
        tokens[name] = reviews.create_token(name)
    app = create_app(seeded_store, ApiSettings(uploads_per_minute=3))
    with TestClient(app) as client:
        statuses = [upload(client, n, tokens["coder1"]) for n in range(2, 6)]
        refused = client.post(
            "/api/documents",
            content=REPORT.encode(),
            headers={"content-type": "text/plain", "authorization": f"Bearer {tokens['coder1']}"},
        )
        other = upload(client, 7, tokens["coder2"])

    assert statuses == [202, 202, 202, 429]
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("too many uploads: at most 3 per 60 s; wait ")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert other == 202


def test_without_logins_uploads_are_rate_limited_per_address(seeded_store: Store) -> None:
    app = create_app(seeded_store, ApiSettings(uploads_per_minute=2, auth_required=False))
    with TestClient(app) as client:
        statuses = [upload(client, n) for n in range(2, 5)]
    assert statuses == [202, 202, 429]


def test_an_upload_rate_of_zero_turns_the_limit_off(seeded_store: Store) -> None:
    app = create_app(seeded_store, ApiSettings(uploads_per_minute=0, auth_required=False))
    with TestClient(app) as client:
        statuses = {upload(client, n) for n in range(2, 42)}
    assert statuses == {202}


def test_a_stage_crash_on_an_upload_fails_it_clearly_and_the_next_upload_works(
    client: TestClient, seeded_store: Store
) -> None:
    before = client.get("/api/documents").json()["total"]
    crashed = client.post(
        "/api/documents",
        content="أصيب مدني ليلة الأحد.".encode(),
        headers={"content-type": "text/plain"},
    )
    upload(client, 9)
    with fragile_stage("dates", marker="ليلة"):
        handled = Worker(seeded_store).drain()

    status = client.get(crashed.json()["status_url"]).json()
    assert handled == 2
    assert (status["status"], status["events"], status["document_url"]) == ("failed", None, None)
    assert status["error"] == (
        "upload: extraction failed in stage 'dates' (IndexError), a bug in Rasd; "
        "the server log has the details"
    )
    assert client.get(f"/api/documents/{status['id']}").status_code == 404
    assert client.get("/api/documents").json()["total"] == before + 1


def test_a_failed_upload_sent_again_is_queued_again(
    client: TestClient, seeded_store: Store, worker: Worker
) -> None:
    body = "أصيب مدني ليلة الأحد.".encode()
    first = client.post("/api/documents", content=body, headers={"content-type": "text/plain"})
    with fragile_stage("dates", marker="ليلة"):
        Worker(seeded_store).drain()
    failed = client.get(first.json()["status_url"]).json()

    again = client.post("/api/documents", content=body, headers={"content-type": "text/plain"})

    assert failed["status"] == "failed"
    assert again.json()["id"] == failed["id"]
    assert extracted(client, worker, again)["status"] == "done"


def test_jsonl_export_holds_every_filtered_record(client: TestClient) -> None:
    response = client.get("/api/export/jsonl", params={"admin1": "Balkh"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    records = [EventRecord.model_validate_json(line) for line in response.text.splitlines()]
    assert sorted(r.event_id for r in records) == sorted([E[2], E[3], E[4]])


def test_geojson_export_places_points_as_longitude_latitude(client: TestClient) -> None:
    body = json.loads(client.get("/api/export/geojson", params={"event_type": "Battles"}).text)
    assert body["type"] == "FeatureCollection"
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [67.11, 36.709]}
    assert feature["properties"]["fatalities_best"] == 1400
    assert feature["properties"]["rasd_event_id"] == E[2]


def test_an_unknown_export_format_is_a_404_naming_the_known_ones(client: TestClient) -> None:
    response = client.get("/api/export/xlsx")
    assert response.status_code == 404
    assert "acled" in response.json()["detail"]


def test_acled_export_writes_the_codebook_columns_for_placed_events(client: TestClient) -> None:
    response = client.get("/api/export/acled", params={"event_type": "Battles"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows, response.text
    assert rows[0]["event_type"] == "Battles"
    assert float(rows[0]["latitude"]) == pytest.approx(36.709)


def test_ged_export_writes_only_events_with_deaths(client: TestClient) -> None:
    response = client.get("/api/export/ged")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows, response.text
    assert all(int(row["best"]) >= 1 for row in rows)
    assert [row["id"] for row in rows] == [str(n) for n in range(1, len(rows) + 1)]


def test_every_response_carries_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/docs", "/api/events", "/static/app.js", "/api/events/nope"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy


def test_pages_hold_no_inline_script_and_load_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/docs"):
        page = client.get(path).text
        assert "<script>" not in page
        assert "http://" not in page
        assert "https://" not in page


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/documents", "/api/search"} <= set(
        spec["paths"]
    )
    assert (
        "multipart/form-data" in spec["paths"]["/api/documents"]["post"]["requestBody"]["content"]
    )


def test_every_export_is_in_the_audit_log(client: TestClient, seeded_store: Store) -> None:
    assert client.get("/api/export/geojson", params={"country": "af"}).status_code == 200

    entry = Reviews(seeded_store).audit_log()[0]

    assert (entry["action"], entry["target"]) == ("export", "geojson")
    assert "AF" in json.dumps(entry["details"])
