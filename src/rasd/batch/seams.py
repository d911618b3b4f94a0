"""Where the steps after the per-document pipeline plug in: the database and reconciliation.

Both read the written output rather than worker memory, so they can run (or rerun) after the
batch, on another machine, and a crash in either loses none of the per-document work.

- Database: ``documents_from_output`` rebuilds each ``Document`` (text, source, sentences,
  clauses, mentions, flags, events; not tokens, which ``segment`` recomputes) partition by
  partition, and ``load_into_store`` hands them to the store's bulk ingest.
- Reconciliation: ``shuffle_blocks`` files each document with events under the (country, month
  of ``date_start``) block of each of its events, and ``reconcile_output`` runs a reconciler over
  one block at a time and writes ``events_reconciled/``, so the cross-report step stays
  near-linear in corpus size. Events dated across a month boundary are only compared within
  their start month (a known limit of blocking).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from rasd.batch.output import MANIFEST, PartitionSummary, key_dir, write_atomic, write_table
from rasd.batch.tables import EVENTS, NULL_PARTITION, Rows, event_row, partition_key
from rasd.document import Document, Flag, Mention, Sentence, Source
from rasd.errors import RasdError
from rasd.records import EventRecord

BlockKey = tuple[str | None, str | None]  # (ISO country or None, "YYYY-MM" or None)
Reconcile = Callable[[list[Document]], list[EventRecord]]
BLOCKS = "_blocks"


def documents_from_output(out: Path) -> Iterator[Document]:
    """Every written document with its mentions and events, one partition in memory at a time."""
    for path in sorted((out / MANIFEST).glob("*.json")):
        summary = PartitionSummary.from_json(path.read_text(encoding="utf-8"))
        yield from _partition_documents(out, summary)


def _partition_documents(out: Path, summary: PartitionSummary) -> Iterator[Document]:
    def rows(table: str) -> list[dict[str, object]]:
        found: list[dict[str, object]] = []
        for relative in summary.files:
            if relative.startswith(f"{table}/"):
                found.extend(pq.read_table(out / relative).to_pylist())
        return found

    mentions: dict[tuple[object, object], list[Mention]] = defaultdict(list)
    for row in sorted(rows("mentions"), key=lambda r: (str(r["input"]), _int(r["seq"]))):
        mentions[(row["document_id"], row["input"])].append(
            Mention(
                kind=str(row["kind"]),
                start=_int(row["start"]),
                end=_int(row["end"]),
                value=json.loads(str(row["value"])),
                by=str(row["by"]),
            )
        )
    events: dict[object, list[EventRecord]] = defaultdict(list)
    for row in rows("events"):
        events[row["input"]].append(EventRecord.model_validate_json(str(row["record"])))
    for row in rows("documents"):
        key = (row["document_id"], row["input"])
        published = row["published"]
        yield Document(
            text=str(row["text"]),
            lang=str(row["lang"]),
            id=str(row["document_id"]),
            source=Source.from_dict(
                {
                    "publisher": row["publisher"],
                    "url": row["url"],
                    "published": published.isoformat() if published else None,  # type: ignore[attr-defined]
                    "title": row["title"],
                    "path": row["input"],
                    "external_id": row["external_id"],
                }
            ),
            sentences=[Sentence(s["start"], s["end"]) for s in _spans(row["sentences"])],
            clauses=[Sentence(s["start"], s["end"]) for s in _spans(row["clauses"])],
            mentions=mentions.get(key, []),
            flags=[Flag.from_dict(f) for f in json.loads(str(row["flags"]))],
            events=events.get(row["input"], []),
            stages=[str(s) for s in _list(row["stages"])],
        )


def _int(value: object) -> int:
    if not isinstance(value, int):
        raise RasdError(f"batch output: expected an integer, found {value!r}")
    return value


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _spans(value: object) -> list[dict[str, int]]:
    return [s for s in _list(value) if isinstance(s, dict)]


def require_store() -> None:
    """Fail before any work when ``--db`` is given but this build has no store to load into."""
    if importlib.util.find_spec("rasd.store") is None:
        raise RasdError(
            "--db needs the database store (rasd.store), which this build does not have; "
            "run without --db and load the Parquet output later"
        )


def load_into_store(out: Path, url: str) -> int:
    """Load a finished batch into the database at ``url``; returns the documents newly stored.

    The store's ingest is idempotent by content hash and one transaction per document, so
    loading the same output twice (after a crash, say) adds nothing twice and loses nothing.
    """
    require_store()
    from rasd.store.database import Store
    from rasd.store.reconcile import Block, Clusters, blocks_of

    created = 0
    touched: set[Block] = set()
    with Store(url) as store:
        for doc in documents_from_output(out):
            if store.ingest(doc).created:
                created += 1
                touched |= blocks_of(doc.events)
        Clusters(store).reconcile_blocks(touched)  # the blocks the new reports touched
    return created


def reconcile_documents_events(documents: list[Document]) -> list[EventRecord]:
    """The default reconciler: one merged event per cluster of ``rasd.reconcile``."""
    from rasd.reconcile import reconcile_documents

    return [cluster.event for cluster in reconcile_documents(documents).clusters]


def block_of(event: EventRecord) -> BlockKey:
    """(country, month of ``date_start``): events in different blocks are never compared."""
    location = event.location
    country = partition_key(location.country if location else None, None)[0]
    return country, event.date_start.strftime("%Y-%m") if event.date_start else None


def shuffle_blocks(out: Path) -> list[BlockKey]:
    """Write each document with events into the block of each of its events (with only those).

    A map step over the written partitions, one in memory at a time; the reduce step
    (``reconcile_output``) then reads one block at a time, so memory follows the largest block,
    not the corpus.
    """
    base = out / BLOCKS
    shutil.rmtree(base, ignore_errors=True)
    found: set[BlockKey] = set()
    for path in sorted((out / MANIFEST).glob("*.json")):
        summary = PartitionSummary.from_json(path.read_text(encoding="utf-8"))
        grouped: dict[BlockKey, list[str]] = defaultdict(list)
        for doc in _partition_documents(out, summary):
            by_block: dict[BlockKey, list[EventRecord]] = defaultdict(list)
            for event in doc.events:
                by_block[block_of(event)].append(event)
            for key, events in by_block.items():
                doc.events = events
                grouped[key].append(json.dumps(doc.to_dict(), ensure_ascii=False))
        for key, documents in grouped.items():
            table = pa.table({"document": pa.array(documents, pa.string())})
            target = base / _block_dir(key) / f"part-{summary.partition}.parquet"
            write_atomic(target, lambda tmp, t=table: pq.write_table(t, tmp))
            found.add(key)
    return sorted(found, key=lambda k: (k[0] or "", k[1] or ""))


def _block_dir(key: BlockKey) -> str:
    country, month = key
    return f"country={country or NULL_PARTITION}/month={month or NULL_PARTITION}"


def block_documents(out: Path, key: BlockKey) -> list[Document]:
    """The documents of one block, each with only its events of that block."""
    documents: list[Document] = []
    for path in sorted((out / BLOCKS / _block_dir(key)).glob("*.parquet")):
        for text in pq.read_table(path).column("document").to_pylist():
            documents.append(Document.from_dict(json.loads(text)))
    return documents


def reconcile_output(out: Path, reconcile: Reconcile) -> int:
    """Reconcile each block; write ``events_reconciled/`` (GeoParquet, the events schema).

    ``reconcile`` takes a block's documents and returns one merged event per real-world event,
    e.g. ``lambda docs: [c.event for c in reconcile_documents(docs).clusters]`` with
    ``rasd.reconcile``. Returns how many events were written.
    """
    target = out / "events_reconciled"
    shutil.rmtree(target, ignore_errors=True)
    written = 0
    for block in shuffle_blocks(out):
        merged = reconcile(block_documents(out, block))
        rows = Rows()
        for event in merged:
            location = event.location
            key = partition_key(location.country if location else None, event.date_start)
            rows.add("events", key, event_row(event, None))  # several reports: see document_ids
        country, month = block
        for key, table in rows.tables("events"):
            name = f"block-{country or 'none'}-{month or 'none'}.parquet"
            write_atomic(target / key_dir(key) / name, lambda tmp, t=table: write_table(t, tmp))
        written += len(merged)
    write_atomic(target / "_common_metadata", lambda tmp: pq.write_metadata(EVENTS, tmp))
    return written
