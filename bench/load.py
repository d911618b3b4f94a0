"""Bounded load test of ``rasd serve`` on 127.0.0.1: concurrent clients, mixed queries and uploads.

Builds (or reuses) a SQLite database with ``--events`` synthetic events spread over reports, starts
``rasd serve`` on a free loopback port, then runs ``--clients`` clients (one kept-alive connection
each, ``rawhttp.py``: httpx alone would use a core at ~350 req/s) for ``--warmup`` seconds, not
measured, then ``--seconds`` measured. Each client sends its next request as soon as the last
is answered (or, with ``--think S``, after about S seconds, as a person reading): filtered event
queries, one event, document search and list, and report uploads.
Prints requests/s, p50/p95/p99 latency per kind and overall, and the errors (any non-2xx answer or
transport failure). An upload is answered once queued (202); the worker ``rasd serve`` starts
extracts it, and the run then waits for every upload to be done and says how long that took.
The run stops by itself: clients stop at the deadline, the server is terminated, and the whole
run has a hard time limit.

    uv run python bench/load.py [--events 100000] [--clients 50] [--seconds 60] [--db FILE]
                                [--processes N] [--think S] [--warmup S]

Goal (issue 12): 0 errors, p95 <= 50 ms for queries on SQLite with 100k events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from rawhttp import Connection  # noqa: E402

from rasd.document import Source  # noqa: E402
from rasd.pipeline import Pipeline, make_document  # noqa: E402
from rasd.records import (  # noqa: E402
    Actor,
    EventRecord,
    Evidence,
    Figures,
    Location,
    SpanRef,
)
from rasd.store import Store  # noqa: E402
from servers import rasd_server  # noqa: E402

EVENTS_PER_REPORT = 100
EVENT_TYPES = [
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Protests",
    "Riots",
    "Strategic developments",
]
# (name, name in the report, country, admin1, lat, lon)
PLACES = [
    ("Aleppo", "حلب", "SY", "Aleppo", 36.20, 37.16),
    ("Idlib", "إدلب", "SY", "Idlib", 35.93, 36.63),
    ("Homs", "حمص", "SY", "Homs", 34.73, 36.71),
    ("Mosul", "الموصل", "IQ", "Nineveh", 36.34, 43.13),
    ("Sanaa", "صنعاء", "YE", "Sanaa", 15.37, 44.19),
    ("Tripoli", "طرابلس", "LY", "Tripoli", 32.89, 13.19),
    ("Kabul", "كابل", "AF", "Kabul", 34.53, 69.17),
    ("Mazar-i-Sharif", "مزار شريف", "AF", "Balkh", 36.71, 67.11),
]
ACTORS = ["Taliban", "Syrian Army", "ISIS", "Houthis", "Civilians", "Protesters"]
SEARCH_WORDS = ["حلب", "قصف", "مزار شريف", "مدنيين", "الموصل", "كابل"]
HARD_LIMIT_S = 3600


def build_database(path: Path, events: int) -> None:
    """Reports through the real pipeline, each with synthetic events pointing into its text."""
    rng = random.Random(12)
    pipeline = Pipeline()
    started = time.perf_counter()
    with Store(f"sqlite:///{path}") as store:
        for number in range(max(events // EVENTS_PER_REPORT, 1)):
            name, name_ar, country, admin1, lat, lon = rng.choice(PLACES)
            text = (
                f"قصفت القوات مدينة {name_ar} في التقرير رقم {number}، ما أدى إلى مقتل "
                f"{rng.randint(1, 90)} مدنيين وإصابة آخرين."
            )
            doc = pipeline(make_document(text, Source(path=f"load-{number}.txt")))
            store.ingest(doc)
            where = text.index(name_ar)
            place_span = SpanRef(
                document_id=doc.id, start=where, end=where + len(name_ar), text=name_ar
            )
            records = []
            for index in range(EVENTS_PER_REPORT):
                start = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
                dead = rng.choice([None, rng.randint(0, 5), rng.randint(0, 500)])
                records.append(
                    EventRecord(
                        event_id=f"{doc.id}-load{index}",
                        document_ids=[doc.id],
                        event_type=rng.choice(EVENT_TYPES),
                        date_start=start,
                        date_end=start + timedelta(days=rng.choice([0, 0, 0, 6, 30])),
                        date_precision="day",
                        actor1=Actor(name=rng.choice(ACTORS)),
                        location=Location(
                            name=name,
                            country=country,
                            admin1=admin1,
                            latitude=lat + rng.uniform(-0.5, 0.5),
                            longitude=lon + rng.uniform(-0.5, 0.5),
                            precision="city",
                            span=place_span,
                        ),
                        fatalities=Figures(low=dead, best=dead, high=dead),
                        evidence=[Evidence(field="location", span=place_span, by="bench.load")],
                        confidence=0.5,
                    )
                )
            store.add_events(records, doc.id)
        print(
            f"built {store.count_documents()} reports with {store.count_events()} events "
            f"in {time.perf_counter() - started:.0f} s: {path}",
            flush=True,
        )


FILTERS = ["dates", "country+type", "admin1+fatalities", "bbox", "actor+country", "offset"]


def event_query(rng: random.Random) -> tuple[str, dict[str, str]]:
    params: dict[str, str] = {"limit": str(rng.choice([20, 50, 100]))}
    _name, _, country, admin1, lat, lon = rng.choice(PLACES)
    choice = rng.randrange(6)
    if choice == 0:
        start = date(2010, 1, 1) + timedelta(days=rng.randrange(4500))
        params |= {"date_from": start.isoformat(), "date_to": (start + timedelta(90)).isoformat()}
    elif choice == 1:
        params |= {"country": country, "event_type": rng.choice(EVENT_TYPES)}
    elif choice == 2:
        params |= {"admin1": admin1, "fatalities_min": "10"}
    elif choice == 3:
        params["bbox"] = f"{lon - 1},{lat - 1},{lon + 1},{lat + 1}"
    elif choice == 4:
        params |= {"actor": rng.choice(ACTORS), "country": country}
    else:
        params["offset"] = str(rng.randrange(0, 2000))
    return FILTERS[choice], params


async def client(
    connection: Connection,
    seed: int,
    deadline: float,
    event_ids: list[str],
    latencies: dict[str, list[float]],
    errors: dict[str, int],
    uploaded: list[str],
    think: float = 0.0,
    measured_from: float = 0.0,
) -> None:
    rng = random.Random(seed)
    uploads = 0
    if think:  # people arrive one by one, not all in the same millisecond
        await asyncio.sleep(rng.uniform(0, think))
    while time.monotonic() < deadline:
        roll = rng.random()
        method, body, content_type = "GET", b"", None
        params: dict[str, str] | None = None
        if roll < 0.55:
            which, params = event_query(rng)
            kind, path = f"events:{which}", "/api/events"
        elif roll < 0.75:
            kind, path = "event", f"/api/events/{rng.choice(event_ids)}"
        elif roll < 0.88:
            kind, path = "search", "/api/search"
            params = {"q": rng.choice(SEARCH_WORDS), "limit": "20"}
        elif roll < 0.95:
            kind, path = "documents", "/api/documents"
        else:
            uploads += 1
            kind, path, method = "upload", "/api/documents", "POST"
            body = (
                f"قتل {rng.randint(2, 50)} مدنيين في قصف على حلب، العميل {seed} التقرير {uploads}."
            ).encode()
            content_type = "text/plain; charset=utf-8"
        started = time.perf_counter()
        try:
            status, answer = await connection.request(method, path, params, body, content_type)
            ok = 200 <= status < 300
            label = f"{kind} {status}"
            if kind == "upload" and ok:
                uploaded.append(json.loads(answer)["id"])
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            ok, label = False, f"{kind} {type(error).__name__}"
        if time.monotonic() >= measured_from:
            latencies[kind].append(time.perf_counter() - started)
        if not ok:
            errors[label] += 1
        if think:  # a person reading the answer before the next click
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def cpu_seconds(pid: int) -> dict[str, float]:
    """CPU time of ``rasd serve`` and its children, as API processes and extraction workers."""
    used: dict[str, float] = defaultdict(float)
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            role = "worker" if "worker" in process.cmdline() else "api"
        except psutil.Error:
            continue
        used[role] += times.user + times.system
    return used


async def run_load(
    base: str,
    clients: int,
    seconds: float,
    server: int | None = None,
    think: float = 0.0,
    warmup: float = 0.0,
) -> None:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        page = (await http.get("/api/events", params={"limit": "2000"})).json()
        event_ids = [item["id"] for item in page["items"]]
        latencies: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        address = urlsplit(base)
        host, port = address.hostname or "127.0.0.1", address.port or 80
        connections = [Connection(host, port) for _ in range(clients)]
        uploaded: list[str] = []
        measured_from = time.monotonic() + warmup
        deadline = measured_from + seconds
        running = asyncio.gather(
            *(
                client(
                    connection,
                    n,
                    deadline,
                    event_ids,
                    latencies,
                    errors,
                    uploaded,
                    think,
                    measured_from,
                )
                for n, connection in enumerate(connections)
            )
        )
        await asyncio.sleep(warmup)  # first connections, caches, compiled statements: not counted
        started = time.monotonic()
        cpu_started = time.process_time()
        server_started = cpu_seconds(server) if server else {}
        await running
        elapsed = time.monotonic() - started
        client_cpu = time.process_time() - cpu_started
        server_used = cpu_seconds(server) if server else {}
        for connection in connections:
            await connection.close()
        outcomes = await follow_uploads(http, uploaded)
        drained = time.monotonic() - started - elapsed
    total = sum(len(v) for v in latencies.values())
    pause = f", {think:g} s between requests" if think else ", no pause between requests"
    rate = total / elapsed
    print(f"{clients} clients{pause}, {elapsed:.0f} s: {total} requests, {rate:.1f} req/s")
    print(f"load generator: {client_cpu / max(total, 1) * 1000:.2f} ms CPU per request")
    for role, used in server_used.items():
        spent = used - server_started.get(role, 0.0)
        per_request = spent / max(total, 1) * 1000
        print(f"rasd serve, {role}: {spent:.1f} s CPU, {per_request:.2f} ms per request")
    print(f"{'kind':<24}{'n':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    queries = [x for k, v in latencies.items() if k != "upload" for x in v]
    rows = [*sorted(latencies.items()), ("all queries", queries)]
    for kind, values in rows:
        if values:
            print(
                f"{kind:<24}{len(values):>8}{percentile(values, 0.5) * 1000:>10.1f}"
                f"{percentile(values, 0.95) * 1000:>10.1f}{percentile(values, 0.99) * 1000:>10.1f}"
                f"{statistics.fmean(values) * 1000:>10.1f}"
            )
    print(f"errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    print(
        f"uploads (queued, extracted by the worker): {dict(outcomes)}; "
        f"queue drained {drained:.0f} s after the load ended"
    )


async def follow_uploads(http: httpx.AsyncClient, ids: list[str]) -> dict[str, int]:
    """Wait (up to 10 min) until the worker has done or failed every upload of the run."""
    deadline = time.monotonic() + 600
    outcomes: dict[str, int] = defaultdict(int)
    for doc_id in dict.fromkeys(ids):
        while True:
            status = (await http.get(f"/api/uploads/{doc_id}")).json()["status"]
            if status in ("done", "failed") or time.monotonic() > deadline:
                outcomes[status] += 1
                break
            await asyncio.sleep(0.2)
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", type=Path, help="reuse (or build once) this SQLite file")
    parser.add_argument("--processes", type=int, default=1, help="rasd serve --processes")
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="seconds of load before the measured --seconds begin (errors count throughout)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client waits between requests (default 0: the next request as soon "
        "as an answer comes, the issue's worst case)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "load.db"
        if not path.exists():
            build_database(path, args.events)
        # Uploads add reports; work on a copy so a reused database stays the same size.
        served = Path(folder) / "served.db"
        served.write_bytes(path.read_bytes())
        extra = [
            "--no-auth",  # the figures are the API's, not the login's
            "--processes",
            str(args.processes),
            "--upload-rate",
            "0",  # 50 clients on one address: a rate limit would answer 429s
        ]
        log = Path(folder) / "serve.log"
        with rasd_server(f"sqlite:///{served}", log, *extra) as server:
            load = run_load(
                server.base_url,
                args.clients,
                args.seconds,
                server.process.pid,
                args.think,
                args.warmup,
            )
            asyncio.run(asyncio.wait_for(load, HARD_LIMIT_S))


if __name__ == "__main__":
    main()
