"""Store and API speed: ingest throughput (documents/s) into SQLite and PostgreSQL, and API latency
(p50/p95) of a filtered event query over >= 100k synthetic events.

Figures are printed, not asserted; each is given next to a baseline measured in the same run (the
pipeline alone for ingest, ``/api/health`` for latency), so ratios survive a slower machine.
PostgreSQL is a throw-away cluster started here (tests/servers.py). Run:
``uv run python bench/store.py [--docs 200] [--events 100000] [--queries 300]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from rasd.document import Source  # noqa: E402
from rasd.pipeline import Pipeline, make_document  # noqa: E402
from rasd.records import Actor, EventRecord, Figures, Location  # noqa: E402
from rasd.store import Store  # noqa: E402
from rasd.store.models import DocumentRow, EventActorRow, EventDocumentRow, EventRow  # noqa: E402
from seed_events import EXAMPLE, seed_events  # noqa: E402
from servers import postgres_server, rasd_server  # noqa: E402

TYPES = [
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Riots",
    "Protests",
    "Strategic developments",
]
PLACES = [  # country, admin1, lat, lon
    ("SY", "Aleppo", 36.2, 37.1),
    ("SY", "Idlib", 35.9, 36.6),
    ("IQ", "Nineveh", 36.3, 43.1),
    ("YE", "Taizz", 13.6, 44.0),
    ("AF", "Balkh", 36.7, 67.1),
    ("LY", "Tripoli", 32.9, 13.2),
    ("SD", "Khartoum", 15.6, 32.5),
    ("PS", "Gaza", 31.5, 34.4),
]
ACTORS = ["Military Forces", "Rebel Group A", "Militia B", "Civilians", "Protesters", "Police"]


def ingest_rate(url: str, texts: list[str], pipeline: Pipeline) -> float:
    with Store(url) as store:
        started = time.perf_counter()
        for text in texts:
            doc = pipeline(make_document(text, Source(path="bench.txt"), "ar"))
            doc.events = seed_events(doc)
            store.ingest(doc)
        elapsed = time.perf_counter() - started
    return len(texts) / elapsed


def pipeline_rate(texts: list[str], pipeline: Pipeline) -> float:
    started = time.perf_counter()
    for text in texts:
        doc = pipeline(make_document(text, Source(path="bench.txt"), "ar"))
        doc.events = seed_events(doc)
    return len(texts) / (time.perf_counter() - started)


def load_synthetic_events(url: str, total: int, per_document: int = 100) -> None:
    """Bulk rows (Core inserts): the API is measured, not the ORM's insert speed."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    with Store(url) as store, store.sessions.begin() as session:
        documents = total // per_document
        session.execute(
            insert(DocumentRow),
            [
                {
                    "id": f"{d:024x}",
                    "lang": "ar",
                    "text": f"تقرير {d}",
                    "search_text": f"تقرير {d}",
                    "stages": [],
                    "sentences": [],
                    "ingested_at": now,
                }
                for d in range(documents)
            ],
        )
        batch: list[dict[str, object]] = []
        links: list[dict[str, object]] = []
        actors: list[dict[str, object]] = []
        for n in range(total):
            country, admin1, lat, lon = rng.choice(PLACES)
            start = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
            precision = rng.choice(["day", "day", "day", "week", "month", "year"])
            end = start + timedelta(days={"day": 0, "week": 6, "month": 30, "year": 364}[precision])
            best = rng.choice([None, rng.randrange(0, 30), rng.randrange(0, 500)])
            event_id = f"bench-{n}"
            document_id = f"{n // per_document:024x}"
            actor1 = rng.choice(ACTORS)
            record = EventRecord(
                event_id=event_id,
                document_ids=[document_id],
                event_type=rng.choice(TYPES),
                date_start=start,
                date_end=end,
                date_precision=precision,
                actor1=Actor(name=actor1),
                location=Location(
                    name=admin1,
                    country=country,
                    admin1=admin1,
                    latitude=lat + rng.uniform(-0.5, 0.5),
                    longitude=lon + rng.uniform(-0.5, 0.5),
                    precision="city",
                ),
                fatalities=Figures(low=best, best=best, high=best),
            )
            location = record.location
            assert location is not None
            batch.append(
                {
                    "id": event_id,
                    "event_type": record.event_type,
                    "date_start": start,
                    "date_end": end,
                    "date_precision": precision,
                    "actor1": actor1,
                    "civilian_targeting": False,
                    "country": country,
                    "admin1": admin1,
                    "location": admin1,
                    "latitude": location.latitude,
                    "longitude": location.longitude,
                    "geo_precision": "city",
                    "fatalities_low": best,
                    "fatalities_best": best,
                    "fatalities_high": best,
                    "confidence": 0.5,
                    "record": record.model_dump(mode="json"),
                    "status": "suggested",
                    "version": 1,
                    "created_at": now,
                }
            )
            links.append({"event_id": event_id, "document_id": document_id})
            actors.append({"event_id": event_id, "role": "actor1", "name": actor1, "kind": None})
            if len(batch) == 5000:
                session.execute(insert(EventRow), batch)
                session.execute(insert(EventDocumentRow), links)
                session.execute(insert(EventActorRow), actors)
                batch, links, actors = [], [], []
        if batch:
            session.execute(insert(EventRow), batch)
            session.execute(insert(EventDocumentRow), links)
            session.execute(insert(EventActorRow), actors)


def latencies(client: httpx.Client, paths: list[str]) -> list[float]:
    out = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def query_paths(count: int) -> list[str]:
    rng = random.Random(11)
    paths = []
    for _ in range(count):
        country, admin1, lat, lon = rng.choice(PLACES)
        year = rng.randrange(2010, 2023)
        kind = rng.randrange(3)
        if kind == 0:
            query = (
                f"country={country}&event_type=Battles&date_from={year}-01-01&date_to={year}-12-31"
            )
        elif kind == 1:
            query = f"bbox={lon - 0.3},{lat - 0.3},{lon + 0.3},{lat + 0.3}&fatalities_min=5"
        else:
            query = f"admin1={admin1}&actor=Militia%20B&date_from={year}-03-01&date_to={year}-06-30"
        paths.append(f"/api/events?{query}&limit=100")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    base = EXAMPLE.read_text(encoding="utf-8")
    texts = [f"{base}\nنسخة {n}" for n in range(args.docs)]
    pipeline = Pipeline()
    folder = Path(tempfile.mkdtemp(prefix="rasd-bench-"))
    with postgres_server() as pg:
        pg.admin("CREATE DATABASE ingest")
        pg.admin("CREATE DATABASE api")
        urls = {"sqlite": f"sqlite:///{folder / 'ingest.db'}", "postgresql": pg.url("ingest")}
        ingest_rate(f"sqlite:///{folder / 'warm.db'}", texts[:5], pipeline)  # load data, warm up
        alone = pipeline_rate(texts, pipeline)
        print(f"ingest ({args.docs} documents of {len(base)} chars, 4 events each)")
        print(f"  pipeline alone (baseline): {alone:8.1f} docs/s")
        for name, url in urls.items():
            rate = ingest_rate(url, texts, pipeline)
            print(f"  into {name:<10}          {rate:8.1f} docs/s  ({rate / alone:.2f} x baseline)")

        api_urls = {"sqlite": f"sqlite:///{folder / 'api.db'}", "postgresql": pg.url("api")}
        print(f"API: filtered /api/events over {args.events} events, {args.queries} queries")
        for name, url in api_urls.items():
            started = time.perf_counter()
            load_synthetic_events(url, args.events)
            loaded = time.perf_counter() - started
            with (
                rasd_server(url, folder / f"{name}.log", "--no-auth") as server,
                httpx.Client(base_url=server.base_url, timeout=30) as client,
            ):
                health = latencies(client, ["/api/health"] * 100)
                paths = query_paths(args.queries)
                latencies(client, paths[:20])  # warm caches
                timed = latencies(client, paths)
            p50, p95 = percentile(timed, 0.5), percentile(timed, 0.95)
            print(
                f"  {name:<10} load {loaded:5.1f} s | query p50 {p50:6.1f} ms p95 {p95:6.1f} ms"
                f" | /api/health p95 {percentile(health, 0.95):5.1f} ms"
                f" | p95 ratio {p95 / percentile(health, 0.95):5.1f} x"
            )


if __name__ == "__main__":
    main()
