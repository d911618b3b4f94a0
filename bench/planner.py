"""Filtered event queries before and after ``Store.optimize`` (planner statistics), SQLite and
PostgreSQL, over the synthetic events of ``bench/store.py``.

Each database is loaded without statistics (PostgreSQL's autovacuum is off for the loaded tables,
so it cannot analyse them behind the bench's back), timed, optimized, timed again: the ratio is
the figure. ``--actors N`` renames the actors to N distinct names, as in real data, where one
actor is a small share of the events; the default six names of ``bench/store.py`` make each
actor a sixth of the events, the case where an index on actors helps least. Run:
``uv run python bench/planner.py [--events 100000] [--actors 2000] [--queries 30]``.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import text  # noqa: E402

from rasd.store import EventFilters, Store  # noqa: E402
from servers import postgres_server  # noqa: E402


def _bench_store() -> object:
    """``bench/store.py`` as a module (a plain import would find the ``tests/store`` package)."""
    spec = importlib.util.spec_from_file_location(
        "bench_store", Path(__file__).with_name("store.py")
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def query_sets(
    count: int, places: list[tuple[str, str, float, float]], actor: str
) -> dict[str, list[EventFilters]]:
    rng = random.Random(11)
    sets: dict[str, list[EventFilters]] = {
        "country+type+year": [],
        "bbox+deaths": [],
        "admin1+actor+dates": [],
        "actor": [],
    }
    for _ in range(count):
        country, admin1, lat, lon = rng.choice(places)
        year = rng.randrange(2010, 2023)
        sets["country+type+year"].append(
            EventFilters(
                country=country,
                event_type="Battles",
                date_from=date(year, 1, 1),
                date_to=date(year, 12, 31),
            )
        )
        sets["bbox+deaths"].append(
            EventFilters(bbox=(lon - 0.3, lat - 0.3, lon + 0.3, lat + 0.3), fatalities_min=5)
        )
        sets["admin1+actor+dates"].append(
            EventFilters(
                admin1=admin1, actor=actor, date_from=date(year, 3, 1), date_to=date(year, 6, 30)
            )
        )
        sets["actor"].append(EventFilters(actor=actor))
    return sets


def timings(store: Store, sets: dict[str, list[EventFilters]]) -> dict[str, float]:
    """Mean milliseconds per query (events page + total), after three warm-up queries."""
    result = {}
    for name, filters in sets.items():
        for f in filters[:3]:
            store.query_events(f, limit=100)
        started = time.perf_counter()
        for f in filters:
            store.query_events(f, limit=100)
        result[name] = (time.perf_counter() - started) / len(filters) * 1000
    return result


def run(
    name: str,
    url: str,
    load: Callable[[str], None],
    sets: dict[str, list[EventFilters]],
    actors: int,
) -> None:
    started = time.perf_counter()
    load(url)
    with Store(url) as store, store.engine.begin() as connection:
        if actors:
            # Spread the actors over ``actors`` names: each is then ~1/actors of the events.
            connection.execute(
                text("UPDATE event_actors SET name = 'Actor ' || ((abs(hashtext(event_id)) % :n))")
                if store.dialect == "postgresql"
                else text("UPDATE event_actors SET name = 'Actor ' || (abs(random()) % :n)"),
                {"n": actors},
            )
            # The event's own actor1 column follows, as every write path of the store keeps it.
            connection.execute(
                text(
                    "UPDATE events SET actor1 = (SELECT name FROM event_actors "
                    "WHERE event_actors.event_id = events.id AND role = 'actor1')"
                )
            )
    loaded = time.perf_counter() - started
    with Store(url) as store:
        before = timings(store, sets)
        started = time.perf_counter()
        store.optimize()
        optimize_s = time.perf_counter() - started
        after = timings(store, sets)
    print(f"{name}: loaded in {loaded:.0f} s, optimize {optimize_s:.2f} s")
    print(f"  {'query':<20} {'no stats ms':>12} {'optimized ms':>13} {'speed-up':>9}")
    for key in sets:
        print(
            f"  {key:<20} {before[key]:12.1f} {after[key]:13.1f} {before[key] / after[key]:8.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=2000, help="0: keep bench/store.py's six")
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    bench = _bench_store()
    load_synthetic: Callable[[str, int], None] = bench.load_synthetic_events  # type: ignore[attr-defined]
    actor = "Actor 7" if args.actors else "Militia B"
    sets = query_sets(args.queries, bench.PLACES, actor)  # type: ignore[attr-defined]
    print(
        f"{args.events} events, {args.actors or 6} actor names, {args.queries} queries of each kind"
    )
    folder = Path(tempfile.mkdtemp(prefix="rasd-planner-"))
    run(
        "sqlite",
        f"sqlite:///{folder / 'planner.db'}",
        lambda url: load_synthetic(url, args.events),
        sets,
        args.actors,
    )

    with postgres_server() as pg:
        pg.admin("CREATE DATABASE planner")
        url = pg.url("planner")

        def load_without_autovacuum(url: str) -> None:
            with Store(url) as store, store.engine.begin() as connection:
                for table in ("documents", "events", "event_documents", "event_actors"):
                    connection.execute(
                        text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
                    )
            load_synthetic(url, args.events)

        run("postgresql", url, load_without_autovacuum, sets, args.actors)


if __name__ == "__main__":
    main()
