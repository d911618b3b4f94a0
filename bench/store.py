"""Store and API speed: ingest throughput (documents/s) into SQLite and PostgreSQL, and API latency
(p50/p95) of a filtered event query over >= 100k synthetic events.

Figures are printed, not asserted; each is given next to a baseline measured in the same run (the
pipeline alone for ingest, ``/api/health`` for latency), so ratios survive a slower machine.
PostgreSQL is a throw-away cluster started here (tests/servers.py). Run:
``uv run python bench/store.py [--docs 200] [--events 100000] [--queries 300]``.

``--part reconcile`` measures reconciliation in the store instead: ``rasd ingest`` of the examples
and of news articles with and without reconciling the touched blocks at the end (same process,
same data), and ``rasd reconcile --db`` over synthetic reports (``rasd.reconcile.synthetic``) at
growing sizes (SQLite and PostgreSQL) against the in-memory ``reconcile`` of the same reports (the
baseline).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
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
sys.path.insert(0, str(ROOT / "bench"))  # corpus.py

from typer.testing import CliRunner  # noqa: E402

from rasd.cli import app  # noqa: E402
from rasd.document import Document, Source  # noqa: E402
from rasd.pipeline import Pipeline, make_document  # noqa: E402
from rasd.reconcile import Cluster, Report, reconcile  # noqa: E402
from rasd.reconcile.synthetic import generate  # noqa: E402
from rasd.records import Actor, EventRecord, Figures, Location  # noqa: E402
from rasd.resources import Resources  # noqa: E402
from rasd.store import Store  # noqa: E402
from rasd.store.models import DocumentRow, EventActorRow, EventDocumentRow, EventRow  # noqa: E402
from rasd.store.reconcile import Clusters  # noqa: E402
from seed_events import EXAMPLE, seed_events  # noqa: E402
from servers import PostgresServer, postgres_server, rasd_server  # noqa: E402

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


def timed_ingest(paths: list[Path], url: str, *, reconcile: bool) -> tuple[float, float]:
    """(CPU s, wall s) of ``rasd ingest`` (the command itself, in this process), new database.

    CPU seconds are this process's (a PostgreSQL server's own work is not in them): on a shared
    machine they move much less than wall time.
    """
    flag = "--reconcile" if reconcile else "--no-reconcile"
    cpu, wall = time.process_time(), time.perf_counter()
    result = CliRunner().invoke(app, ["ingest", flag, "--db", url, *map(str, paths)])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if result.exit_code != 0:
        raise SystemExit(f"bench: rasd ingest failed: {result.output}")
    return cpu, wall


def timed_reconcile(url: str) -> tuple[float, float, int]:
    """(CPU s, wall s, blocks) of reconciling every block of a freshly loaded database: the step
    ``rasd ingest`` adds at its end (on a new database every block is a touched one)."""
    with Store(url) as store:
        clusters = Clusters(store)
        reconcile([], clusters.resources)  # settings load once, outside the timing
        cpu, wall = time.process_time(), time.perf_counter()
        summary = clusters.reconcile_all()
        return time.process_time() - cpu, time.perf_counter() - wall, summary.blocks


def corpus_reports(folder: Path, count: int) -> Path:
    """``count`` news articles of the shared corpus as one JSON Lines input of ``rasd ingest``."""
    from corpus import read_corpus  # bench/corpus.py: the shared corpus, never copied here

    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for article in read_corpus(limit=count):
            record = {k: article[k] for k in ("text", "published", "publisher") if article.get(k)}
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def reconcile_part(
    folder: Path, pg: PostgresServer, articles: int, sizes: list[int], repeats: int = 3
) -> None:
    inputs = {"examples/": [ROOT / "examples"]}
    if articles:
        inputs[f"{articles} news articles"] = [corpus_reports(folder, articles)]
    timed_ingest([ROOT / "examples"], f"sqlite:///{folder / 'warm.db'}", reconcile=True)
    print(
        "rasd ingest without and with reconciliation at the end, and the reconciliation step alone"
        " (CPU s of this process / wall s; best of a few runs for the examples)"
    )
    numbers = itertools.count()

    def fresh(backend: str) -> str:
        name = f"ingest{next(numbers)}"
        if backend == "sqlite":
            return f"sqlite:///{folder / name}.db"
        pg.admin(f"CREATE DATABASE {name}")
        return pg.url(name)

    for label, paths in inputs.items():
        runs = repeats if label == "examples/" else 1
        for backend in ("sqlite", "postgresql"):
            without, with_, step = (math.inf, math.inf), (math.inf, math.inf), (math.inf, math.inf)
            blocks = 0
            for _ in range(runs):
                url = fresh(backend)
                without = min(without, timed_ingest(paths, url, reconcile=False))
                *alone, blocks = timed_reconcile(url)
                step = min(step, (alone[0], alone[1]))
                with_ = min(with_, timed_ingest(paths, fresh(backend), reconcile=True))
            print(
                f"  {label:<18} {backend:<10} without {without[0]:6.2f} / {without[1]:6.2f} s"
                f" | with {with_[0]:6.2f} / {with_[1]:6.2f} s ({with_[0] / without[0]:.2f} x CPU)"
                f" | reconcile step {step[0]:5.2f} / {step[1]:5.2f} s, {blocks} blocks"
                f" ({step[0] / without[0]:.1%} of ingest CPU)"
            )
    resources = Resources()
    reconcile([], resources)  # settings load once, outside the timings
    print("rasd reconcile --db over synthetic reports, against reconcile() in memory")
    baseline: dict[str, float] = {}
    for size, backend in itertools.product(sizes, ("sqlite", "postgresql")):
        data = generate(size, seed=11, countries=max(1, size // 250))
        reports = two_letter_countries(data.reports)
        url = fresh(backend)
        with Store(url) as store:
            for report in reports:
                source = Source(publisher=report.publisher, published=report.published)
                doc = Document(text=report.text, id=report.document_id, source=source)
                doc.events = list(report.events)
                store.ingest(doc)
            started = time.perf_counter()
            memory = reconcile(reports, resources)
            alone = time.perf_counter() - started
            started = time.perf_counter()
            summary = Clusters(store, resources).reconcile_all()
            stored = time.perf_counter() - started
            started = time.perf_counter()
            again = Clusters(store, resources).reconcile_all()
            rerun = time.perf_counter() - started
            in_store = Clusters(store, resources).reconciliation().clusters
        events = sum(len(r.events) for r in reports)
        f1_store = pairwise_f1(in_store, data.truth)
        f1_memory = pairwise_f1(memory.clusters, data.truth)
        per_event = stored / events
        baseline.setdefault(backend, per_event)
        print(
            f"  {backend:<10} {events:>7} events {summary.blocks:>5} blocks"
            f" {summary.clusters:>7} clusters (in memory {len(memory.clusters)})"
            f" | store {stored:7.2f} s, in memory {alone:6.2f} s ({stored / alone:.2f} x)"
            f" | µs/event {per_event * 1e6:7.1f} ({per_event / baseline[backend]:.2f} x smallest)"
            f" | rerun {rerun:6.2f} s, {again.changed} changed | pairwise F1 store"
            f" {f1_store:.3f}, in memory {f1_memory:.3f} | same clusters as in memory:"
            f" {same_clusters(in_store, memory.clusters)}"
        )


def two_letter_countries(reports: list[Report]) -> list[Report]:
    """The synthetic countries ("Q07") as two letters, as the store's country column holds."""
    codes: dict[str, str] = {}

    def code(country: str | None) -> str | None:
        if country is None:
            return None
        n = codes.setdefault(country, str(len(codes)))
        return chr(65 + int(n) // 26) + chr(65 + int(n) % 26)

    out = []
    for report in reports:
        events = []
        for event in report.events:
            location = event.location
            if location is not None:
                location = location.model_copy(update={"country": code(location.country)})
            events.append(event.model_copy(update={"location": location}))
        out.append(dataclasses.replace(report, events=tuple(events)))
    return out


def same_clusters(found: list[Cluster], expected: list[Cluster]) -> str:
    """How many clusters of ``expected`` are found with exactly the same members."""

    def members(clusters: list[Cluster]) -> set[frozenset[tuple[str, str]]]:
        return {frozenset((m.document_id, m.event_id) for m in c.members) for c in clusters}

    return f"{len(members(found) & members(expected))} of {len(expected)}"


def pairwise_f1(clusters: list[Cluster], truth: dict[tuple[str, str], str]) -> float:
    """Pairwise F1 of the clusters against the world events the synthetic reports tell."""
    found = {
        pair
        for cluster in clusters
        for pair in itertools.combinations(
            sorted((m.document_id, m.event_id) for m in cluster.members), 2
        )
    }
    worlds: dict[str, list[tuple[str, str]]] = {}
    for member, world in truth.items():
        worlds.setdefault(world, []).append(member)
    gold = {
        pair for members in worlds.values() for pair in itertools.combinations(sorted(members), 2)
    }
    hits = len(found & gold)
    precision, recall = hits / max(1, len(found)), hits / max(1, len(gold))
    return 2 * precision * recall / (precision + recall) if hits else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--part", choices=["api", "reconcile"], default="api")
    parser.add_argument("--articles", type=int, default=300, help="for --part reconcile")
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[1_000, 10_000], help="for --part reconcile"
    )
    args = parser.parse_args()
    if args.part == "reconcile":
        folder = Path(tempfile.mkdtemp(prefix="rasd-bench-"))
        with postgres_server() as pg:
            reconcile_part(folder, pg, args.articles, args.sizes)
        return

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
