"""The store's read queries at load-test scale: ``Store.query_events`` and ``list_documents``.

Runs the filter mix of ``bench/load.py`` (dates, country+type, admin1+fatalities, bbox,
actor+country, offset) against a SQLite database of synthetic events, one thread, and prints
p50/p95 per kind for the query shape of migration 0005 (kept below as the baseline) and for the
store's current one, interleaved in the same process, with their ratio. Every query's results
are compared between the two: a difference is printed and makes the run exit non-zero.

    uv run python bench/queries.py [--db FILE] [--queries 600] [--events 100000]

Without ``--db``, or when the file is missing, the database is built first with
``bench/load.py``'s ``build_database`` (some minutes for 100k events). The store migrates the
file to the latest revision when it opens it.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import SEARCH_WORDS, build_database, event_query

from rasd.store import EventFilters, Store
from rasd.store.database import (
    _SUMMARY_COLUMNS,
    DocumentSummary,
    EventSummary,
    _index_hint,
)
from rasd.store.models import DocumentRow, EventActorRow, EventDocumentRow, EventRow

Page = tuple[list[Any], int]


def baseline_count_index(f: EventFilters) -> str:
    """Migration 0005's choice of counting index (``_count_index`` before 0006)."""
    if f.country is not None and f.event_type is not None:
        return "ix_events_country_type"
    if f.admin1 is not None:
        return "ix_events_admin1_fatalities"
    if f.bbox is not None and f.bbox[0] <= f.bbox[2]:
        return "ix_events_lat_lon_status"
    return "ix_events_list"


def baseline_query_events(store: Store, f: EventFilters, limit: int, offset: int) -> Page:
    """``Store.query_events`` as of migration 0005: the conditions as they were, two hints."""
    c: list[Any] = []
    if f.date_from is not None:
        c.append(func.coalesce(EventRow.date_end, EventRow.date_start) >= f.date_from)
    if f.date_to is not None:
        c.append(EventRow.date_start <= f.date_to)
    for column, value in (
        (EventRow.country, f.country),
        (EventRow.admin1, f.admin1),
        (EventRow.event_type, f.event_type),
    ):
        if value is not None:
            c.append(column == value)
    c.append(EventRow.status != "rejected")
    if f.actor is not None:
        c.append(
            EventRow.id.in_(select(EventActorRow.event_id).where(EventActorRow.name == f.actor))
        )
    if f.fatalities_min is not None:
        c.append(EventRow.fatalities_best >= f.fatalities_min)
    if f.bbox is not None:
        west, south, east, north = f.bbox
        c.append(EventRow.latitude.between(south, north))
        c.append(EventRow.longitude.between(west, east))
    query = (
        select(*_SUMMARY_COLUMNS)
        .where(*c)
        .order_by(EventRow.date_start.is_(None), EventRow.date_start, EventRow.id)
        .limit(limit)
        .offset(offset)
        .with_hint(EventRow, _index_hint("ix_events_list"), "sqlite")
    )
    counter = (
        select(func.count())
        .select_from(EventRow)
        .where(*c)
        .with_hint(EventRow, _index_hint(baseline_count_index(f)), "sqlite")
    )
    with store.sessions() as session:
        total = session.scalar(counter) or 0
        rows = session.execute(query).all()
        ids = [r[0] for r in rows]
        links: dict[str, list[str]] = {i: [] for i in ids}
        if ids:
            for event_id, document_id in session.execute(
                select(EventDocumentRow.event_id, EventDocumentRow.document_id)
                .where(EventDocumentRow.event_id.in_(ids))
                .order_by(EventDocumentRow.document_id)
            ):
                links[event_id].append(document_id)
    return [EventSummary(**r._asdict(), document_ids=links[r[0]]) for r in rows], total


def baseline_list_documents(store: Store, q: str | None = None, limit: int = 50) -> Page:
    """``Store.list_documents`` as of migration 0005: each document's events counted inline."""
    condition, rank = store._text_match(q) if q is not None else (None, None)
    events = (
        select(func.count())
        .select_from(EventDocumentRow)
        .where(EventDocumentRow.document_id == DocumentRow.id)
        .scalar_subquery()
    )
    query = (
        select(
            DocumentRow.id,
            DocumentRow.lang,
            DocumentRow.title,
            DocumentRow.publisher,
            DocumentRow.url,
            DocumentRow.published,
            DocumentRow.path,
            DocumentRow.ingested_at,
            func.substr(DocumentRow.text, 1, 280),
            events,
        )
        .order_by(*([rank] if rank is not None else []), DocumentRow.ingested_at.desc())
        .order_by(DocumentRow.id)
        .limit(limit)
    )
    counter = select(func.count()).select_from(DocumentRow)
    if condition is not None:
        query, counter = query.where(condition), counter.where(condition)
    with store.sessions() as session:
        total = session.scalar(counter) or 0
        rows = session.execute(query).all()
    return [DocumentSummary(*r) for r in rows], total


def filters_of(params: dict[str, str]) -> tuple[EventFilters, int, int]:
    """``bench/load.py``'s query parameters as the store's filters, limit and offset."""
    limit, offset = int(params.pop("limit")), int(params.pop("offset", "0"))
    values: dict[str, Any] = dict(params)
    if "bbox" in values:
        west, south, east, north = (float(x) for x in values["bbox"].split(","))
        values["bbox"] = (west, south, east, north)
    if "fatalities_min" in values:
        values["fatalities_min"] = int(values["fatalities_min"])
    for key in ("date_from", "date_to"):
        if key in values:
            values[key] = date.fromisoformat(values[key])
    return EventFilters(**values), limit, offset


def timed(call: Callable[[], Page]) -> tuple[float, Page]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="SQLite file (built when missing)")
    parser.add_argument("--events", type=int, default=100_000, help="events when building")
    parser.add_argument("--queries", type=int, default=600, help="event queries of the mix")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp(prefix="rasd-queries-")) / "queries.db"
    if not path.exists():
        build_database(path, args.events)
    rng = random.Random(args.seed)
    times: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    differences = 0
    with Store(f"sqlite:///{path}") as store:
        print(f"{store.count_events()} events, {store.count_documents()} documents: {path}")
        jobs: list[tuple[str, Callable[[], Page], Callable[[], Page]]] = []
        for _ in range(args.queries):
            kind, params = event_query(rng)
            f, limit, offset = filters_of(params)
            jobs.append(
                (
                    kind,
                    lambda f=f, n=limit, o=offset: baseline_query_events(store, f, n, o),
                    lambda f=f, n=limit, o=offset: store.query_events(f, limit=n, offset=o),
                )
            )
        for _ in range(args.queries // 6):
            jobs.append(("documents", lambda: baseline_list_documents(store), store.list_documents))
            word = rng.choice(SEARCH_WORDS)
            jobs.append(
                (
                    "search",
                    lambda q=word: baseline_list_documents(store, q, 20),
                    lambda q=word: store.list_documents(q=q, limit=20),
                )
            )
        rng.shuffle(jobs)
        for kind, old, new in jobs:
            (old_s, old_page), (new_s, new_page) = timed(old), timed(new)
            times[kind][0].append(old_s)
            times[kind][1].append(new_s)
            if old_page != new_page:
                differences += 1
                print(f"DIFFERENT {kind}: totals {old_page[1]} / {new_page[1]}")
    print(f"{'kind':<20}{'n':>5}{'base p50':>10}{'p95':>8}{'now p50':>10}{'p95':>8}{'p50 x':>8}")
    for kind, (old_times, new_times) in sorted(times.items()):
        old50, new50 = percentile(old_times, 0.5), percentile(new_times, 0.5)
        print(
            f"{kind:<20}{len(new_times):>5}{old50 * 1000:>10.2f}"
            f"{percentile(old_times, 0.95) * 1000:>8.2f}{new50 * 1000:>10.2f}"
            f"{percentile(new_times, 0.95) * 1000:>8.2f}{old50 / new50:>8.1f}"
        )
    print(f"results differing from the baseline: {differences}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
