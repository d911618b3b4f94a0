"""``rasd ingest`` and ``rasd search``: store analysed reports, find them again."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rasd.errors import InputError, RasdError
from rasd.ingest import DEFAULT_MAX_BYTES, IngestOptions, parse_published, read_paths
from rasd.pipeline import Pipeline, describe_crash
from rasd.resources import Resources
from rasd.store.database import ENV_URL, Store
from rasd.store.reconcile import Block, Clusters, ReconcileSummary, blocks_of

err = Console(stderr=True, highlight=False)

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
    for item in read_paths(paths, options):
        if isinstance(item, InputError):
            failures.append(str(item))
            continue
        name = item.source.path or item.id
        try:
            doc = pipeline(item)
            result = store.ingest(doc)
        except RasdError as error:
            message = str(error)
            failures.append(message if message.startswith(name) else f"{name}: {message}")
            continue
        except Exception as error:  # a stage's bug must not end the run
            if debug:
                err.print("".join(traceback.format_exception(error)).rstrip(), markup=False)
            failures.append(f"{name}: {describe_crash(error, 'storing')}")
            continue
        if result.created:
            stored += 1
            events += result.events
            touched |= blocks_of(doc.events)
        else:
            skipped += 1
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
