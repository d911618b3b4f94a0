"""``rasd ingest`` and ``rasd search``: store analysed reports, find them again."""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rasd.document import Document
from rasd.errors import InputError, RasdError
from rasd.ingest import DEFAULT_MAX_BYTES, IngestOptions, parse_published, read_paths
from rasd.pipeline import Pipeline, describe_crash
from rasd.resources import Resources
from rasd.store.database import ENV_URL, IngestResult, Store
from rasd.store.reconcile import Block, Clusters, ReconcileSummary, blocks_of

err = Console(stderr=True, highlight=False)

BATCH = 50  # documents per commit in `rasd ingest`
BATCH_SECONDS = 1.0

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=ENV_URL,
        help="Database URL (sqlite:///file.db, postgresql+psycopg://user@host/db); "
        "default: a SQLite file in the user data folder.",
        show_envvar=True,
    ),
]


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Report files (text, HTML, PDF, JSON Lines) or folders.")
    ],
    db: DbOpt = None,
    published: Annotated[
        str | None,
        typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs without one."),
    ] = None,
    max_size: Annotated[
        float, typer.Option("--max-size", help="Largest report accepted, in MB.", min=0.001)
    ] = DEFAULT_MAX_BYTES / (1024 * 1024),
    reconcile: Annotated[
        bool,
        typer.Option(
            "--reconcile/--no-reconcile",
            help="Reconcile the new reports' events with the stored ones (for a bulk load, "
            "skip it and run `rasd reconcile --db URL` once at the end).",
        ),
    ] = True,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="RASD_DEBUG",
            help="Print the traceback of a document that fails unexpectedly (a bug), not one line.",
        ),
    ] = False,
) -> None:
    """Extract events from reports and store them; a report already stored is skipped.

    Then the (country, month) blocks the new events fall in are reconciled once, for the batch.
    A document that fails, even by a bug in a stage, is reported in one line and the rest go on.
    """
    try:
        anchor = parse_published(published, "--published") if published else None
    except InputError as error:
        raise typer.BadParameter(error.problem) from None
    options = IngestOptions(published=anchor, max_bytes=int(max_size * 1024 * 1024))
    store = Store(db)
    pipeline = Pipeline()
    stored = skipped = events = 0
    failures: list[str] = []
    touched: set[Block] = set()
    batch: list[Document] = []
    batch_started = 0.0

    def store_batch() -> None:
        nonlocal stored, skipped, events, touched
        try:
            results: list[IngestResult | None] = list(store.ingest_many(batch))
        except Exception:  # refused (or a bug): one by one, so only that document fails
            results = [store_one(doc) for doc in batch]
        for doc, result in zip(batch, results, strict=True):
            if result is None:
                continue
            if result.created:
                stored += 1
                events += result.events
                touched |= blocks_of(doc.events)
            else:
                skipped += 1
        batch.clear()

    def store_one(doc: Document) -> IngestResult | None:
        name = doc.source.path or doc.id
        try:
            return store.ingest(doc)
        except RasdError as error:
            message = str(error)
            failures.append(message if message.startswith(name) else f"{name}: {message}")
        except Exception as error:  # a bug in storing: this document fails, the run goes on
            if debug:
                err.print("".join(traceback.format_exception(error)).rstrip(), markup=False)
            failures.append(f"{name}: {describe_crash(error, 'storing')}")
        return None

    for item in _unless_stored(store, read_paths(paths, options)):
        if item is None:
            skipped += 1
            continue
        if isinstance(item, InputError):
            failures.append(str(item))
            continue
        name = item.source.path or item.id
        try:
            doc = pipeline(item)
        except RasdError as error:
            message = str(error)
            failures.append(message if message.startswith(name) else f"{name}: {message}")
            continue
        except Exception as error:  # a stage's bug must not end the run
            if debug:
                err.print("".join(traceback.format_exception(error)).rstrip(), markup=False)
            failures.append(f"{name}: {describe_crash(error, 'storing')}")
            continue
        if not batch:
            batch_started = time.monotonic()
        batch.append(doc)
        # A batch is one commit; it is closed after a second too, so a slow run still commits
        # steadily and a crash redoes at most a second's work.
        if len(batch) >= BATCH or time.monotonic() - batch_started > BATCH_SECONDS:
            store_batch()
    store_batch()
    sys.stdout.write(
        f"stored {stored} document(s) with {events} event(s); "
        f"{skipped} already stored; {len(failures)} failed\n"
    )
    if reconcile and touched:
        summary = reconcile_stored(store, touched, pipeline.resources)
        failures += [f"reconciliation failed for {f}" for f in summary.failures]
        if summary.failures:
            failures.append(
                "the stored documents are kept; run `rasd reconcile --db URL` to reconcile them"
            )
    if stored:
        store.optimize()  # planner statistics for the filters, now that the tables have grown
    store.close()
    for failure in failures:
        err.print(f"rasd: {failure}", markup=False, soft_wrap=True)
    if failures:
        raise typer.Exit(1)


def _unless_stored(
    store: Store, items: Iterable[Document | InputError], batch: int = 200
) -> Iterator[Document | InputError | None]:
    """The inputs, with None for each one already stored, looked up ``batch`` at a time.

    A rerun over a folder (after a crash, or with new files added) then skips what is stored
    without extracting it again: the content hash is known before the pipeline runs.
    """
    pending: list[Document | InputError] = []

    def flush() -> Iterator[Document | InputError | None]:
        ids = [item.id for item in pending if isinstance(item, Document)]
        stored = store.stored_ids(ids) if ids else set()
        for item in pending:
            yield None if isinstance(item, Document) and item.id in stored else item
        pending.clear()

    for item in items:
        pending.append(item)
        if len(pending) >= batch:
            yield from flush()
    yield from flush()


def search(
    query: Annotated[str, typer.Argument(help="Words to find; spelling variants match.")],
    db: DbOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
) -> None:
    """Full-text search over stored reports («مزار الشريف» finds «مَزار شريف»)."""
    with Store(db) as store:
        found, total = store.search(query, limit=limit)
    sys.stdout.write(f"{total} document(s)\n")
    for doc in found:
        label = doc.title or doc.path or ""
        date = doc.published.isoformat() if doc.published else "-"
        excerpt = " ".join(doc.excerpt.split())[:100]
        sys.stdout.write(f"{doc.id}\t{date}\t{label}\t{excerpt}\n")


def reconcile_stored(store: Store, blocks: set[Block], resources: Resources) -> ReconcileSummary:
    """Reconcile the blocks an ingest touched and say so in one line."""
    summary = Clusters(store, resources).reconcile_blocks(blocks)
    sys.stdout.write(
        f"reconciled {summary.blocks} block(s) into {summary.clusters} event(s), "
        f"{summary.changed} new or changed\n"
    )
    return summary
