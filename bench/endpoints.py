"""CPU per request of each kind of API query, one kind at a time, on ``rasd serve``.

Starts ``rasd serve`` (no worker) over a copy of a SQLite store (build one with ``load.py``),
warms each kind up, then sends 1,000 requests with four clients and divides the server
process's CPU time by them. CPU, not wall time: the figure holds on a shared machine, and it
is the budget a load test spends (``load.py`` mixes these kinds).

    uv run python bench/endpoints.py --db FILE [--requests 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import psutil
from rawhttp import Connection

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from servers import rasd_server  # noqa: E402

CLIENTS = 4


def kinds(event_id: str) -> list[tuple[str, str, dict[str, str]]]:
    table = [
        ("health (no database)", "/api/health", ""),
        ("one event", f"/api/events/{event_id}", ""),
        ("country + type, 50", "/api/events", "country=SY&event_type=Battles&limit=50"),
        ("admin1 + fatalities, 100", "/api/events", "admin1=Aleppo&fatalities_min=10&limit=100"),
        ("no filter, offset 700", "/api/events", "offset=700&limit=50"),
        ("90-day window", "/api/events", "date_from=2015-01-01&date_to=2015-04-01&limit=50"),
        ("actor + country", "/api/events", "actor=Taliban&country=SY&limit=50"),
        ("bbox 2x2 degrees", "/api/events", "bbox=36.2,35.2,38.2,37.2&limit=50"),
        ("text search", "/api/search", "q=حلب&limit=20"),
        ("documents list", "/api/documents", ""),
    ]
    return [(name, path, dict(parse_qsl(query))) for name, path, query in table]


async def send(connection: Connection, count: int, path: str, params: dict[str, str]) -> None:
    for _ in range(count):
        status, _body = await connection.request("GET", path, params)
        assert status == 200, (path, status)


async def measure(port: int, pid: int, event_id: str, requests: int) -> None:
    server = psutil.Process(pid)
    print(f"{'kind':<28}{'CPU ms/request':>16}{'req/s':>8}")
    for name, path, params in kinds(event_id):
        connections = [Connection("127.0.0.1", port) for _ in range(CLIENTS)]

        await asyncio.gather(*(send(c, 25, path, params) for c in connections))
        before, started = server.cpu_times(), time.perf_counter()
        await asyncio.gather(*(send(c, requests // CLIENTS, path, params) for c in connections))
        after, elapsed = server.cpu_times(), time.perf_counter() - started
        cpu = after.user + after.system - before.user - before.system
        print(f"{name:<28}{cpu / requests * 1000:>16.2f}{requests / elapsed:>8.0f}")
        for connection in connections:
            await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="a store built by load.py")
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        served = Path(folder) / "served.db"
        served.write_bytes(args.db.read_bytes())
        with sqlite3.connect(served) as connection:
            event_id = connection.execute("SELECT id FROM events LIMIT 1").fetchone()[0]
        extra = ["--no-auth", "--workers", "0"]
        with rasd_server(f"sqlite:///{served}", Path(folder) / "serve.log", *extra) as server:
            port = urlsplit(server.base_url).port or 80
            asyncio.run(measure(port, server.process.pid, event_id, args.requests))


if __name__ == "__main__":
    main()
