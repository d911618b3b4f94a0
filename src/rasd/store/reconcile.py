"""Reconciled events in the store: clusters of one real-world event, recomputed block by block.

Reconciliation (``rasd.reconcile``) only ever compares events of one country and one month, so
the store keeps its result per (country, month of ``date_start``) block, the blocking of
``rasd batch`` (``rasd.batch.seams.block_of``): after an ingest only the blocks the new documents
touch are recomputed, each from every stored (not rejected) event of the block, in one
transaction that replaces the block's clusters. A rerun over unchanged data writes nothing (each
cluster's ``digest`` is compared), so it is idempotent and ``updated_at`` says when a cluster
last changed. Known limit, shared with the batch: events of one real event dated in two months
(across a month's end, or a report with the year wrong) are in two blocks and are not merged;
``rasd reconcile FILE`` over exported documents compares them.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Connection, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from rasd.document import Document
from rasd.errors import RasdError, StoreError
from rasd.reconcile import Cluster, Member, Reconciliation, Report, reconcile
from rasd.records import EventRecord
from rasd.resources import Resources
from rasd.store.database import IngestResult, Store
from rasd.store.models import (
    ClusterBlockRow,
    ClusterEventRow,
    ClusterRow,
    DocumentRow,
    EventDocumentRow,
    EventRow,
)

Block = tuple[str | None, str | None]  # (ISO country or None, "YYYY-MM" of date_start or None)
CHUNK = 500  # ids per IN (...) list: far below every database's bound-parameter limit

log = logging.getLogger(__name__)


def block_of(event: EventRecord) -> Block:
    """The block an event is reconciled in: its country and the month it starts."""
    location = event.location
    country = location.country if location is not None and location.country else None
    return country, event.date_start.strftime("%Y-%m") if event.date_start else None


def blocks_of(events: Iterable[EventRecord]) -> set[Block]:
    return {block_of(event) for event in events}


def block_key(block: Block) -> str:
    country, month = block
    return f"{country or '-'}/{month or '-'}"


def _block_conditions(block: Block) -> list[ColumnElement[bool]]:
    country, month = block
    conditions: list[ColumnElement[bool]] = [EventRow.status != "rejected"]
    if country is None:
        conditions.append(or_(EventRow.country.is_(None), EventRow.country == ""))
    else:
        conditions.append(EventRow.country == country)
    if month is None:
        conditions.append(EventRow.date_start.is_(None))
    else:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
        after = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
        conditions += [EventRow.date_start >= first, EventRow.date_start < after]
    return conditions


@dataclass(frozen=True, slots=True)
class ReconcileSummary:
    """What a recomputation did: blocks done, clusters in them, clusters written anew."""

    blocks: int = 0
    clusters: int = 0
    changed: int = 0
    failures: list[str] = field(default_factory=list)

    def __add__(self, other: ReconcileSummary) -> ReconcileSummary:
        return ReconcileSummary(
            self.blocks + other.blocks,
            self.clusters + other.clusters,
            self.changed + other.changed,
            self.failures + other.failures,
        )


@dataclass(frozen=True, slots=True)
class ClusterFilters:
    """What the clusters list can be narrowed by; all optional, ANDed."""

    country: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    grade: str | None = None
    flagged: bool = False
    min_reports: int | None = None
    document_id: str | None = None  # clusters this report is a member of
    event_id: str | None = None  # the cluster a stored event is in


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    id: str
    grade: str
    event_type: str
    sub_event_type: str | None
    date_start: date | None
    date_end: date | None
    country: str | None
    location: str | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    independent_sources: int
    reports: int
    flag_count: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class MemberDocument:
    """A member event with the document that tells it, as a reader needs to open it."""

    document_id: str
    event_id: str
    source_group: int
    publisher: str | None
    published: date | None
    title: str | None
    path: str | None


@dataclass(frozen=True, slots=True)
class StoredCluster:
    cluster: Cluster
    members: list[MemberDocument]
    updated_at: datetime


_SUMMARY_COLUMNS = (
    ClusterRow.id,
    ClusterRow.grade,
    ClusterRow.event_type,
    ClusterRow.sub_event_type,
    ClusterRow.date_start,
    ClusterRow.date_end,
    ClusterRow.country,
    ClusterRow.location,
    ClusterRow.fatalities_low,
    ClusterRow.fatalities_best,
    ClusterRow.fatalities_high,
    ClusterRow.independent_sources,
    ClusterRow.reports,
    ClusterRow.flag_count,
    ClusterRow.updated_at,
)


class Clusters:
    """The reconciled events of one store: recompute blocks, list and read clusters."""

    def __init__(self, store: Store, resources: Resources | None = None) -> None:
        self.store = store
        self.resources = resources or Resources()  # one instance: settings load once

    # -- recompute -------------------------------------------------------------------------

    def ingest(self, doc: Document) -> IngestResult:
        """Store a document, then reconcile the blocks of its events (for one upload).

        The document is committed first; a failure of reconciliation is logged and leaves it
        stored (``rasd reconcile --db`` recomputes later).
        """
        result = self.store.ingest(doc)
        if result.created:
            summary = self.reconcile_blocks(blocks_of(doc.events))
            for failure in summary.failures:
                log.warning("reconciliation after storing %s failed: %s", doc.id, failure)
        return result

    def reconcile_blocks(self, blocks: Iterable[Block]) -> ReconcileSummary:
        """Recompute each block in its own transaction; a failing block is reported, not raised."""
        summary = ReconcileSummary()
        for block in sorted(set(blocks), key=lambda b: (b[0] or "", b[1] or "")):
            try:
                summary += self.reconcile_block(block)
            except RasdError as error:
                summary += ReconcileSummary(failures=[f"block {block_key(block)}: {error}"])
        return summary

    def reconcile_all(self) -> ReconcileSummary:
        """Every block that has events or clusters (a block whose events all went is emptied)."""
        return self.reconcile_blocks(self.all_blocks())

    def all_blocks(self) -> set[Block]:
        found: set[Block] = set()
        with self.store.engine.connect() as connection:
            rows = connection.execute(
                select(EventRow.country, EventRow.date_start)
                .where(EventRow.status != "rejected")
                .distinct()
            )
            for country, start in rows:
                found.add((country or None, start.strftime("%Y-%m") if start else None))
            for country, month in connection.execute(
                select(ClusterBlockRow.country, ClusterBlockRow.month)
            ):
                found.add((country, month))
        return found

    def reconcile_block(self, block: Block) -> ReconcileSummary:
        """Replace one block's clusters with a fresh reconciliation of its stored events."""
        key = block_key(block)
        now = datetime.now(UTC)
        try:
            with self.store.engine.begin() as connection:
                # Written first: a concurrent recomputation of this block waits for this one.
                self._claim(connection, key, block, now)
                reports, events = self._reports(connection, block)
                result = reconcile(reports, self.resources)
                changed = self._replace(connection, key, block, result.clusters, now)
                connection.execute(
                    update(ClusterBlockRow)
                    .where(ClusterBlockRow.key == key)
                    .values(events=events, clusters=len(result.clusters))
                )
        except DBAPIError as error:
            raise StoreError(f"database error ({_short(error)})") from None
        return ReconcileSummary(blocks=1, clusters=len(result.clusters), changed=changed)

    def _claim(self, connection: Connection, key: str, block: Block, now: datetime) -> None:
        values = {
            "key": key,
            "country": block[0],
            "month": block[1],
            "events": 0,
            "clusters": 0,
            "reconciled_at": now,
        }
        dialect = connection.dialect.name
        if dialect in ("postgresql", "sqlite"):
            module: Any = postgresql if dialect == "postgresql" else sqlite
            statement = module.insert(ClusterBlockRow).values(values)
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[ClusterBlockRow.key], set_={"reconciled_at": now}
                )
            )
            return
        claimed = connection.execute(
            update(ClusterBlockRow).where(ClusterBlockRow.key == key).values(reconciled_at=now)
        )
        if claimed.rowcount == 0:
            connection.execute(insert(ClusterBlockRow).values(values))

    def _reports(self, connection: Connection, block: Block) -> tuple[list[Report], int]:
        """The block's stored events grouped into one report per document (in id order).

        An event linked to several documents (merged in review) is read once, with the first.
        """
        conditions = _block_conditions(block)
        records: dict[str, dict[str, Any]] = {
            row.id: row.record
            for row in connection.execute(select(EventRow.id, EventRow.record).where(*conditions))
        }
        owner = select(
            EventDocumentRow.event_id, func.min(EventDocumentRow.document_id).label("document_id")
        ).join(EventRow, EventRow.id == EventDocumentRow.event_id)
        owner = owner.where(*conditions).group_by(EventDocumentRow.event_id)
        events_of: dict[str, list[EventRecord]] = defaultdict(list)
        for event_id, document_id in connection.execute(owner.order_by(EventDocumentRow.event_id)):
            try:
                events_of[document_id].append(EventRecord.model_validate(records[event_id]))
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "record"
                raise StoreError(
                    f"stored event {event_id} is not a valid record ({where}: {first['msg']})"
                ) from None
        reports: list[Report] = []
        for ids in _chunks(sorted(events_of)):
            for row in connection.execute(
                select(
                    DocumentRow.id,
                    DocumentRow.text,
                    DocumentRow.publisher,
                    DocumentRow.published,
                    DocumentRow.title,
                )
                .where(DocumentRow.id.in_(ids))
                .order_by(DocumentRow.id)
            ):
                reports.append(
                    Report(
                        document_id=row.id,
                        text=row.text,
                        events=tuple(events_of[row.id]),
                        publisher=row.publisher,
                        published=row.published,
                        title=row.title,
                    )
                )
        return reports, sum(len(r.events) for r in reports)

    def _replace(
        self,
        connection: Connection,
        key: str,
        block: Block,
        clusters: Sequence[Cluster],
        now: datetime,
    ) -> int:
        """Delete the block's clusters that changed or went, insert the new ones: how many new."""
        stored = dict(
            connection.execute(
                select(ClusterRow.id, ClusterRow.digest).where(ClusterRow.block == key)
            ).all()
        )
        fresh = {c.cluster_id: (c, _digest(c)) for c in clusters}
        stale = [i for i, digest in stored.items() if i not in fresh or fresh[i][1] != digest]
        for ids in _chunks(stale):
            connection.execute(delete(ClusterEventRow).where(ClusterEventRow.cluster_id.in_(ids)))
            connection.execute(delete(ClusterRow).where(ClusterRow.id.in_(ids)))
        new = [(c, d) for i, (c, d) in fresh.items() if stored.get(i) != d]
        if new:
            connection.execute(
                insert(ClusterRow), [_cluster_values(c, d, key, block, now) for c, d in new]
            )
            connection.execute(
                insert(ClusterEventRow),
                [
                    {
                        "cluster_id": c.cluster_id,
                        "position": n,
                        "document_id": m.document_id,
                        "event_id": m.event_id,
                        "source_group": m.source_group,
                    }
                    for c, _ in new
                    for n, m in enumerate(c.members)
                ],
            )
        return len(new)

    # -- read -------------------------------------------------------------------------------

    def query(
        self, filters: ClusterFilters, *, limit: int = 100, offset: int = 0
    ) -> tuple[list[ClusterSummary], int]:
        conditions = _filter_conditions(filters)
        query = (
            select(*_SUMMARY_COLUMNS)
            .where(*conditions)
            .order_by(ClusterRow.date_start.is_(None), ClusterRow.date_start, ClusterRow.id)
            .limit(limit)
            .offset(offset)
        )
        counter = select(func.count()).select_from(ClusterRow).where(*conditions)
        with self.store.sessions() as session:
            total = session.scalar(counter) or 0
            rows = session.execute(query).all()
        return [ClusterSummary(**row._asdict()) for row in rows], total

    def get(self, cluster_id: str) -> StoredCluster | None:
        found = self._read([ClusterRow.id == cluster_id])
        return found[0] if found else None

    def reconciliation(self) -> Reconciliation:
        """Every stored cluster in date order, as ``rasd.reconcile`` returns them."""
        return Reconciliation(clusters=[s.cluster for s in self._read([])])

    def _read(self, conditions: list[ColumnElement[bool]]) -> list[StoredCluster]:
        with self.store.sessions() as session:
            rows = session.scalars(
                select(ClusterRow)
                .where(*conditions)
                .order_by(ClusterRow.date_start.is_(None), ClusterRow.date_start, ClusterRow.id)
            ).all()
            members: dict[str, list[MemberDocument]] = defaultdict(list)
            for ids in _chunks([r.id for r in rows]):
                for link in session.execute(
                    select(
                        ClusterEventRow.cluster_id,
                        ClusterEventRow.document_id,
                        ClusterEventRow.event_id,
                        ClusterEventRow.source_group,
                        DocumentRow.publisher,
                        DocumentRow.published,
                        DocumentRow.title,
                        DocumentRow.path,
                    )
                    .join(DocumentRow, DocumentRow.id == ClusterEventRow.document_id)
                    .where(ClusterEventRow.cluster_id.in_(ids))
                    .order_by(ClusterEventRow.cluster_id, ClusterEventRow.position)
                ):
                    members[link.cluster_id].append(
                        MemberDocument(
                            document_id=link.document_id,
                            event_id=link.event_id,
                            source_group=link.source_group,
                            publisher=link.publisher,
                            published=link.published,
                            title=link.title,
                            path=link.path,
                        )
                    )
        return [_stored(row, members[row.id]) for row in rows]


def _stored(row: ClusterRow, members: list[MemberDocument]) -> StoredCluster:
    event = EventRecord.model_validate(row.record)
    cluster = Cluster.model_validate(
        {
            "cluster_id": row.id,
            "event": event,
            "members": [
                Member(
                    document_id=m.document_id,
                    event_id=m.event_id,
                    publisher=m.publisher,
                    published=m.published,
                    source_group=m.source_group,
                )
                for m in members
            ],
            "links": row.links,
            "flags": row.flags,
            "independent_sources": row.independent_sources,
            "grade": row.grade,
            "grade_reason": row.grade_reason,
            "figures": row.figures,
            "location_precision": event.location.precision if event.location else None,
        }
    )
    return StoredCluster(cluster=cluster, members=members, updated_at=row.updated_at)


def _filter_conditions(f: ClusterFilters) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.country is not None:
        c.append(ClusterRow.country == f.country)
    if f.date_from is not None:
        c.append(func.coalesce(ClusterRow.date_end, ClusterRow.date_start) >= f.date_from)
    if f.date_to is not None:
        c.append(ClusterRow.date_start <= f.date_to)
    if f.grade is not None:
        c.append(ClusterRow.grade == f.grade)
    if f.flagged:
        c.append(ClusterRow.flag_count > 0)
    if f.min_reports is not None:
        c.append(ClusterRow.reports >= f.min_reports)
    if f.document_id is not None:
        members = select(ClusterEventRow.cluster_id).where(
            ClusterEventRow.document_id == f.document_id
        )
        c.append(ClusterRow.id.in_(members))
    if f.event_id is not None:
        members = select(ClusterEventRow.cluster_id).where(ClusterEventRow.event_id == f.event_id)
        c.append(ClusterRow.id.in_(members))
    return c


def _cluster_values(
    cluster: Cluster, digest: str, key: str, block: Block, now: datetime
) -> dict[str, Any]:
    event = cluster.event
    return {
        "id": cluster.cluster_id,
        "block": key,
        "country": block[0],
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "location": event.location.name if event.location else None,
        "fatalities_low": event.fatalities.low,
        "fatalities_best": event.fatalities.best,
        "fatalities_high": event.fatalities.high,
        "grade": cluster.grade,
        "grade_reason": cluster.grade_reason,
        "independent_sources": cluster.independent_sources,
        "reports": len({m.document_id for m in cluster.members}),
        "flag_count": len(cluster.flags),
        "record": event.model_dump(mode="json"),
        "flags": [f.model_dump(mode="json") for f in cluster.flags],
        "links": [link.model_dump(mode="json") for link in cluster.links],
        "figures": [rule.model_dump(mode="json") for rule in cluster.figures],
        "digest": digest,
        "updated_at": now,
    }


def _digest(cluster: Cluster) -> str:
    return hashlib.sha256(cluster.model_dump_json().encode()).hexdigest()


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _short(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
