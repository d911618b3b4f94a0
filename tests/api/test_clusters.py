"""Reconciled events over HTTP, on both databases: the list, one cluster, and uploads that join."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

from cluster_reports import MOSUL, PAPER, WIRE, report
from rasd.api import ApiSettings, create_app
from rasd.pipeline import Pipeline
from rasd.store import Store
from rasd.store.reconcile import Clusters
from rasd.store.review import Reviews
from rasd.store.worker import Worker

with warnings.catch_warnings():
    # Starlette asks for its httpx fork for TestClient; httpx itself works the same here.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


@pytest.fixture
def client(store: Store, pipeline: Pipeline) -> Iterator[TestClient]:
    """The API over a database holding the two Idlib reports and the Mosul one, reconciled."""
    clusters = Clusters(store)
    for record in (WIRE, PAPER, MOSUL):
        clusters.ingest(report(pipeline, record))
    app = create_app(store, ApiSettings(max_upload_bytes=64 * 1024, auth_required=False))
    with TestClient(app) as test_client:
        yield test_client


def idlib_id(client: TestClient) -> str:
    (item,) = client.get("/api/clusters", params={"country": "SY"}).json()["items"]
    return str(item["id"])


def test_clusters_are_listed_in_date_order_with_figures_and_counts(client: TestClient) -> None:
    page = client.get("/api/clusters").json()

    assert (page["total"], page["limit"], page["offset"]) == (2, 100, 0)
    mosul, idlib = page["items"]
    assert (mosul["country"], mosul["reports"], mosul["grade"]) == ("IQ", 1, "weak")
    assert (idlib["location"], idlib["date_start"], idlib["date_end"]) == (
        "Idlib",
        "2020-03-03",
        "2020-03-03",
    )
    assert (idlib["fatalities_low"], idlib["fatalities_best"], idlib["fatalities_high"]) == (
        12,
        30,
        30,
    )
    assert (idlib["reports"], idlib["independent_sources"], idlib["flag_count"]) == (2, 2, 1)


@pytest.mark.parametrize(
    ("params", "locations"),
    [
        ({"country": "sy"}, ["Idlib"]),
        ({"flagged": "true"}, ["Idlib"]),
        ({"grade": "weak"}, ["Mosul"]),
        ({"min_reports": "2"}, ["Idlib"]),
        ({"date_from": "2020-03-03"}, ["Idlib"]),
        ({"date_to": "2020-03-02"}, ["Mosul"]),
        ({"limit": "1", "offset": "1"}, ["Idlib"]),
        ({"country": "AF"}, []),
        ({"event_id": "rasd-000000000000"}, []),
    ],
    ids=[
        "country",
        "flagged",
        "grade",
        "min-reports",
        "date-from",
        "date-to",
        "page",
        "none",
        "unknown-event",
    ],
)
def test_cluster_filters_over_http(
    client: TestClient, params: dict[str, str], locations: list[str]
) -> None:
    response = client.get("/api/clusters", params=params)

    assert response.status_code == 200
    assert [c["location"] for c in response.json()["items"]] == locations


def test_one_cluster_has_its_members_with_their_documents(client: TestClient) -> None:
    body = client.get(f"/api/clusters/{idlib_id(client)}").json()

    members = {(m["publisher"], m["published"], m["path"]) for m in body["members"]}
    assert members == {
        ("Wire A", "2020-03-04", "Wire A.txt"),
        ("Paper B", "2020-03-05", "Paper B.txt"),
    }
    for member in body["members"]:
        document = client.get(f"/api/documents/{member['document_id']}").json()
        assert member["event_id"] in document["event_ids"]


def test_the_cluster_of_a_member_document_is_listed(client: TestClient) -> None:
    member = client.get(f"/api/clusters/{idlib_id(client)}").json()["members"][0]

    page = client.get("/api/clusters", params={"document_id": member["document_id"]}).json()

    assert [c["id"] for c in page["items"]] == [idlib_id(client)]


def test_one_cluster_sets_each_claim_beside_its_source(client: TestClient) -> None:
    body = client.get(f"/api/clusters/{idlib_id(client)}").json()

    claims = sorted(
        (c["publisher"], c["published"], c["claim"]["best"], c["claim"]["span"]["text"])
        for c in body["claims"]
    )
    assert claims == [
        ("Paper B", "2020-03-05", 30, "مقتل 30 مدنيا"),
        ("Wire A", "2020-03-04", 12, "قتل 12 مدنيا"),
    ]
    assert body["event"]["fatalities"] == {"low": 12, "best": 30, "high": 30}


def test_one_cluster_has_the_flag_with_both_sides_and_the_merge_explained(
    client: TestClient,
) -> None:
    body = client.get(f"/api/clusters/{idlib_id(client)}").json()

    (flag,) = body["flags"]
    assert (flag["kind"], flag["spread"]) == ("figure_conflict", [12, 30])
    assert sorted((s["publisher"], s["evidence"][0]["text"]) for s in flag["sides"]) == [
        ("Paper B", "مقتل 30 مدنيا"),
        ("Wire A", "قتل 12 مدنيا"),
    ]
    (link,) = body["links"]
    assert set(link["fields"]) == {"type", "date", "location", "actors"}
    assert link["score"] >= 0.5
    assert body["grade"] == "fair"
    assert body["grade_reason"]


@pytest.mark.parametrize(
    "cluster_id", ["c-0000000000000000", "x" * 300, "'; DROP TABLE clusters; --"],
    ids=["unknown", "too-long", "sql-looking"],
)  # fmt: skip
def test_unknown_cluster_ids_are_404(client: TestClient, cluster_id: str) -> None:
    response = client.get(f"/api/clusters/{cluster_id}")

    assert response.status_code == 404
    assert response.json()["detail"].startswith("no cluster ")
    assert client.get("/api/clusters").json()["total"] == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"grade": "certain"}, "query.grade"),
        ({"country": "Syria"}, "query.country"),
        ({"min_reports": "0"}, "query.min_reports"),
        ({"document_id": "not-a-hash"}, "query.document_id"),
        ({"flagged": "maybe"}, "query.flagged"),
        ({"date_from": "2020-03-05", "date_to": "2020-03-01"}, "date_from is after date_to"),
        ({"event_type": "Battles"}, "unknown query parameter 'event_type'"),
    ],
    ids=["grade", "country", "min-reports", "document", "flagged", "date-order", "unknown-param"],
)
def test_bad_cluster_filters_are_422_saying_what_is_wrong(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = client.get("/api/clusters", params=params)

    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_an_upload_joins_the_cluster_of_a_stored_report(store: Store, pipeline: Pipeline) -> None:
    Clusters(store).ingest(report(pipeline, WIRE))
    app = create_app(store, ApiSettings(auth_required=False))
    with TestClient(app) as client:
        before = client.get("/api/clusters").json()["items"]

        response = client.post("/api/documents", json=PAPER)
        Worker(store, pipeline).drain()

        after = client.get("/api/clusters").json()["items"]
    assert response.status_code == 202
    assert [c["reports"] for c in before] == [1]
    assert [(c["reports"], c["flag_count"]) for c in after] == [(2, 1)]


def test_clusters_need_a_viewer_login(store: Store) -> None:
    reviews = Reviews(store)
    reviews.add_user("reader", "a long password", "viewer")
    token = reviews.create_token("reader")
    app = create_app(store, ApiSettings(auth_required=True))
    with TestClient(app) as client:
        anonymous = client.get("/api/clusters")
        viewer = client.get("/api/clusters", headers={"authorization": f"Bearer {token}"})
        one = client.get("/api/clusters/c-0", headers={"authorization": f"Bearer {token}"})
    assert anonymous.status_code == 401
    assert viewer.status_code == 200
    assert one.status_code == 404


def test_openapi_describes_the_cluster_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()

    assert {"/api/clusters", "/api/clusters/{cluster_id}"} <= set(spec["paths"])
    listed = {p["name"] for p in spec["paths"]["/api/clusters"]["get"]["parameters"]}
    assert {"country", "date_from", "date_to", "grade", "flagged", "limit", "offset"} <= listed


def test_rejecting_a_report_s_event_takes_it_out_of_its_cluster(client: TestClient) -> None:
    cluster = client.get(f"/api/clusters/{idlib_id(client)}").json()
    event_id = cluster["members"][0]["event_id"]
    version = client.get(f"/api/events/{event_id}").json()["version"]

    response = client.post(
        f"/api/events/{event_id}/reject", json={"version": version, "reason": "duplicate"}
    )

    assert response.status_code == 200, response.text
    (item,) = client.get("/api/clusters", params={"country": "SY"}).json()["items"]
    assert item["reports"] == 1
    assert item["flag_count"] == 0
