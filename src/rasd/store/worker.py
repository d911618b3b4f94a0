"""``rasd worker``: extract, store and reconcile the uploads the API queued.

``rasd serve`` starts one as a child process, so uploads never run the pipeline inside the API
(the GIL would stall every query); ``rasd worker --db URL`` runs more of them, on this host or
another, over the same database. Each round claims a few rows, runs each document through the
pipeline and stores it in its own transaction, reconciles the blocks the round touched once,
then marks the rows done. A kill at any point loses nothing: the rows stay claimed until the
lease runs out (or a worker on this host sees the claimer gone) and are done again, and storing
a document twice stores it once.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable
from types import FrameType
from typing import Annotated

import typer

from rasd.errors import DataFileError, InputError, RasdError, StoreError
from rasd.pipeline import Pipeline, failed_stage
from rasd.store.cli import DbOpt
from rasd.store.database import Store
from rasd.store.queue import Claimed, UploadQueue, worker_name
from rasd.store.reconcile import Block, Clusters, blocks_of

log = logging.getLogger("rasd.worker")

BATCH = 8  # documents per round: one reconciliation per touched block serves them all
POLL_S = 0.2  # an idle worker looks at the queue this often


class Worker:
    def __init__(self, store: Store, pipeline: Pipeline | None = None, *, batch: int = BATCH):
        self.store = store
        self.pipeline = pipeline or Pipeline()
        self.queue = UploadQueue(store)
        self.clusters = Clusters(store, self.pipeline.resources)
        self.batch = batch
        self.name = worker_name()

    def run_once(self) -> int:
        """One round: claim, extract and store, reconcile, mark done; returns rows handled."""
        claimed = self.queue.claim(self.name, self.batch)
        done: list[tuple[str, int]] = []
        touched: set[Block] = set()
        for number, item in enumerate(claimed):
            try:
                doc = self.pipeline(item.document())
                result = self.store.ingest(doc)
            except Exception as error:  # one report's failure fails that report only
                self.queue.fail(self.name, item.document_id, _message(item, error))
            else:
                done.append((doc.id, result.events))
                touched |= blocks_of(doc.events)
            self.queue.renew(self.name, [c.document_id for c in claimed[number + 1 :]])
        if touched:
            summary = self.clusters.reconcile_blocks(touched)
            for failure in summary.failures:
                log.warning("reconciliation after an upload failed: %s", failure)
        self.queue.finish(self.name, done)
        return len(claimed)

    def drain(self) -> int:
        """Handle every queued row, then return how many (tests; a one-off catch-up)."""
        total = 0
        while handled := self.run_once():
            total += handled
        return total

    def run(self, stop: Callable[[], bool], poll: float = POLL_S) -> None:
        """Work until ``stop()``; an idle round sleeps, a database failure waits and retries."""
        self.queue.recover()
        while not stop():
            try:
                handled = self.run_once()
            except StoreError as error:
                log.warning("upload worker: %s; retrying in 5 s", error)
                time.sleep(5)
                continue
            except Exception:  # a bug outside one report's work must not end the worker
                log.exception("upload worker: round failed; retrying in 5 s")
                time.sleep(5)
                continue
            if not handled:
                time.sleep(poll)


def _message(item: Claimed, error: Exception) -> str:
    """The one line the uploader sees, as the API gave it when uploads ran in the API."""
    name = item.source.path or "upload"
    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, DataFileError):
        return f"server misconfigured: {error}"
    if isinstance(error, RasdError):
        return f"{name}: {error}"
    log.error("upload %s failed", item.document_id, exc_info=error)
    stage = failed_stage(error)
    where = f"in stage {stage!r} " if stage else ""
    return (
        f"{name}: extraction failed {where}({type(error).__name__}), "
        "a bug in Rasd; the server log has the details"
    )


def worker(
    db: DbOpt = None,
    parent: Annotated[
        int | None,
        typer.Option("--parent", hidden=True, help="Stop when this process (rasd serve) is gone."),
    ] = None,
    nice: Annotated[
        int,
        typer.Option(
            "--nice",
            help="Lower this process's CPU priority by N (0-19): extraction yields the CPU to "
            "the API's queries on a shared host (`rasd serve` starts its workers with 10).",
            min=0,
            max=19,
        ),
    ] = 0,
) -> None:
    """Extract, store and reconcile the reports uploaded to `rasd serve` (it starts one itself)."""
    logging.basicConfig(level=logging.WARNING, format="rasd worker: %(message)s")
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    stopping = False

    def on_term(_signal: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    with Store(db) as store:
        Worker(store).run(lambda: stopping or (parent is not None and os.getppid() != parent))
