"""Reconciled events in the store: clusters of one real-world event, recomputed group by group.

The store keeps reconciliation's result per (country, month of ``date_start``) block, the
blocking of ``rasd batch`` (``rasd.batch.seams.block_of``), so that an ingest recomputes only what
it touches. Reconciliation in memory also compares events of two blocks: across a month's end
(the date slack) and a year apart (a report with the year wrong), as ``rasd.reconcile.match``'s
``block_keys`` pairs them. So a block is recomputed with its *group*: the blocks linked to it,
directly or through others, by a pair of events that share a ``block_keys`` key and score as a
merge, or by a stored cluster holding events of both (see ``_Group``). The group's events are
reconciled together and the clusters of all its blocks replaced in one transaction that first
claims the group's block rows in sorted order (a row lock on PostgreSQL, the write lock on
SQLite), so concurrent writers queue up instead of deadlocking; the group is found after the
claims and, when it turns out larger than claimed, the transaction is redone with all of it.
The reconciliation itself is worked out before the transaction and kept only if the group's
events are unchanged by then (``_Ahead``), so the write lock is not held while it runs.
Each cluster is kept under the earliest block of its members. A rerun over unchanged data writes
nothing (each cluster's ``digest`` and block are compared), so it is idempotent and
``updated_at`` says when a cluster last changed. Undated events (block month ``None``) are
compared only with one another (in memory they are placed in the week before their report).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from rasd.document import Document
from rasd.errors import RasdError, StoreError
from rasd.reconcile import Cluster, Member, Reconciliation, Report, reconcile
from rasd.reconcile.match import (
    WIDE_RANGE_DAYS,
    BlockKey,
    TextIndex,
    block_keys,
    date_range,
    score_pair,
    shift_years,
)
from rasd.reconcile.model import Item
from rasd.reconcile.settings import Settings
from rasd.records import EventRecord, Grade
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
MAX_ATTEMPTS = 8  # a group found larger than claimed is claimed again; it settles in one or two
CACHE_SIZE = 200_000  # parsed records kept between the groups of one recomputation

log = logging.getLogger(__name__)


def block_of(event: EventRecord) -> Block:
    """The block an event is reconciled in: its country and the month it starts."""
    location = event.location
    return _event_block(location.country if location is not None else None, event.date_start)


def blocks_of(events: Iterable[EventRecord]) -> set[Block]:
    return {block_of(event) for event in events}


def block_key(block: Block) -> str:
    country, month = block
    return f"{country or '-'}/{month or '-'}"


def _order(block: Block) -> tuple[str, str]:
    return block[0] or "", block[1] or ""


def _event_block(country: str | None, start: date | None) -> Block:
    return country or None, start.strftime("%Y-%m") if start else None


def _parse_key(key: str) -> Block:
    country, month = key.split("/", 1)
    return None if country == "-" else country, None if month == "-" else month


def _country_condition(country: str | None) -> ColumnElement[bool]:
    if country is None:
        return or_(EventRow.country.is_(None), EventRow.country == "")
    return EventRow.country == country


def _block_conditions(block: Block, *, live: bool = True) -> list[ColumnElement[bool]]:
    country, month = block
    conditions = [_country_condition(country)]
    if live:
        conditions.append(EventRow.status != "rejected")
    if month is None:
        conditions.append(EventRow.date_start.is_(None))
    else:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
        after = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
        conditions += [EventRow.date_start >= first, EventRow.date_start < after]
    return conditions


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A stored event's record, read once per (id, version), with its ``block_keys``."""

    record: EventRecord
    keys: frozenset[BlockKey]


@dataclass(frozen=True, slots=True)
class _Stored:
    event_id: str
    version: int
    block: Block
    document_id: str
    parsed: _Parsed | str  # the reason when the stored record is not a valid one

    @property
    def record(self) -> EventRecord:
        if isinstance(self.parsed, str):
            raise StoreError(self.parsed)
        return self.parsed.record


Cache = dict[tuple[str, int], _Parsed | str]


class _Grew(Exception):
    """A group found larger than what was claimed (control flow inside ``reconcile_group``)."""

    def __init__(self, blocks: frozenset[Block]) -> None:
        super().__init__()
        self.blocks = blocks


class _Group:
    """The blocks whose events must be reconciled together, found from some of them.

    Two blocks are linked when an event of one and an event of the other would be compared by
    reconciliation in memory (they share a key of ``rasd.reconcile.match.block_keys``: a month
    within the date slack, or the same month of the year for a report with the year wrong) and
    score as a merge, or when a stored cluster holds events of both (it must be rewritten when
    they part). A group is closed under both links, so reconciling its events alone finds what
    reconciling every stored event would find for them, and no cluster crosses two groups.
    """

    def __init__(self, connection: Connection, cache: Cache, settings: Settings) -> None:
        self.connection, self.cache, self.settings = connection, cache, settings
        self.blocks: frozenset[Block] = frozenset()
        self._events: dict[Block, list[_Stored]] = {}
        self._block_of: dict[str, Block] = {}

    def close(self, seeds: Iterable[Block]) -> frozenset[Block]:
        found = set(seeds)
        frontier = sorted(found, key=_order)
        while frontier:
            for other in self._linked(frontier.pop(), found):
                if other not in found:
                    found.add(other)
                    frontier.append(other)
        self.blocks = frozenset(found)
        return self.blocks

    def events(self) -> list[_Stored]:
        """Every live event of the group's blocks (raises on one whose record is not valid)."""
        found = [e for b in sorted(self.blocks, key=_order) for e in self._events[b]]
        for event in found:
            _ = event.record
        return found

    def block_of_member(self, event_id: str) -> Block:
        return self._block_of[event_id]

    def _linked(self, block: Block, found: set[Block]) -> set[Block]:
        events = self._read(_block_conditions(block))
        self._events[block] = events
        for event in events:
            self._block_of[event.event_id] = block
        linked = self._stored_links(block)
        if block[1] is None:
            return linked  # undated events are compared only with one another
        own = [e for e in events if isinstance(e.parsed, _Parsed)]
        partners = [
            e
            for e in self._read(self._partner_conditions(block, own))
            if e.block not in found and e.block not in linked and isinstance(e.parsed, _Parsed)
        ]
        if not own or not partners:
            return linked
        items = [
            Item(index=n, report=Report(e.document_id, "", ()), event=e.record)
            for n, e in enumerate(own + partners)
        ]
        mine, theirs = items[: len(own)], items[len(own) :]
        # Rare shared words count only where a place is missing (``score_pair``).
        unplaced = any(item.event.location is None for item in items)
        text = TextIndex(items, self.settings) if unplaced else None
        threshold = self.settings.data.merge_threshold
        for item, partner in zip(theirs, partners, strict=True):
            if partner.block in linked:
                continue
            keys = _keys(partner)
            for candidate, event in zip(mine, own, strict=True):
                if candidate.document_id == item.document_id or not keys & _keys(event):
                    continue
                link = score_pair(candidate, item, self.settings, text)
                if link is not None and link.score >= threshold:
                    linked.add(partner.block)
                    break
        return linked

    def _partner_conditions(self, block: Block, own: list[_Stored]) -> list[ColumnElement[bool]]:
        """Events that may share a key with one of ``own``.

        The months around theirs (date slack) and the same months up to ``year_shift_max`` years
        away.
        """
        spans = [
            span
            for e in own
            if (span := date_range(e.record)) is not None
            and (span[1] - span[0]).days <= WIDE_RANGE_DAYS
        ]
        if not spans:
            return [false()]
        slack = timedelta(days=self.settings.data.date_slack_days + 1)
        low, high = min(s[0] for s in spans) - slack, max(s[1] for s in spans) + slack
        most = self.settings.data.year_shift_max
        # An event that starts more than WIDE_RANGE_DAYS before a window and reaches into it is
        # too wide to be blocked by month: the lower bound keeps the index range short.
        wide = timedelta(days=WIDE_RANGE_DAYS)
        windows = [
            and_(
                EventRow.date_start <= shift_years(high, years),
                EventRow.date_start >= shift_years(low, years) - wide,
                func.coalesce(EventRow.date_end, EventRow.date_start) >= shift_years(low, years),
            )
            for years in range(-most, most + 1)
        ]
        return [
            EventRow.status != "rejected",
            _country_condition(block[0]),
            EventRow.date_start.is_not(None),
            or_(*windows),
        ]

    def _stored_links(self, block: Block) -> set[Block]:
        """Blocks of the stored clusters that hold an event of ``block`` or are kept in it."""
        member = (
            select(ClusterEventRow.cluster_id)
            .join(EventRow, EventRow.id == ClusterEventRow.event_id)
            .where(*_block_conditions(block, live=False))
        )
        held = select(ClusterRow.id).where(ClusterRow.block == block_key(block))
        ids = member.union(held).scalar_subquery()
        linked = {
            _parse_key(k)
            for k in self.connection.scalars(select(ClusterRow.block).where(ClusterRow.id.in_(ids)))
        }
        for country, start in self.connection.execute(
            select(EventRow.country, EventRow.date_start)
            .join(ClusterEventRow, ClusterEventRow.event_id == EventRow.id)
            .where(ClusterEventRow.cluster_id.in_(ids), EventRow.status != "rejected")
            .distinct()
        ):
            linked.add(_event_block(country, start))
        linked.discard(block)
        return linked

    def _read(self, conditions: list[ColumnElement[bool]]) -> list[_Stored]:
        """Stored events with the first document that tells each (one read per id and version).

        An event linked to several documents (merged in review) is read once, with the first.
        """
        rows = self.connection.execute(
            select(
                EventRow.id,
                EventRow.version,
                EventRow.country,
                EventRow.date_start,
                func.min(EventDocumentRow.document_id),
            )
            .join(EventDocumentRow, EventDocumentRow.event_id == EventRow.id)
            .where(*conditions)
            .group_by(EventRow.id, EventRow.version, EventRow.country, EventRow.date_start)
            .order_by(EventRow.id)
        ).all()
        if len(self.cache) > CACHE_SIZE:
            self.cache.clear()
        missing = [row[0] for row in rows if (row[0], row[1]) not in self.cache]
        fresh: dict[str, _Parsed | str] = {}
        for chunk in _chunks(missing):
            for event_id, version, record in self.connection.execute(
                select(EventRow.id, EventRow.version, EventRow.record).where(EventRow.id.in_(chunk))
            ):
                fresh[event_id] = self.cache[(event_id, version)] = self._parse(event_id, record)
        return [
            _Stored(
                event_id=event_id,
                version=version,
                block=_event_block(country, start),
                document_id=document_id,
                parsed=fresh.get(event_id) or self.cache[(event_id, version)],
            )
            for event_id, version, country, start, document_id in rows
        ]

    def _parse(self, event_id: str, record: dict[str, Any]) -> _Parsed | str:
        try:
            event = EventRecord.model_validate(record)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "record"
            return f"stored event {event_id} is not a valid record ({where}: {first['msg']})"
        same, cross = block_keys(Item(0, Report(event_id, "", ()), event), self.settings)
        return _Parsed(event, frozenset(same + cross))


@dataclass(frozen=True, slots=True)
class _Ahead:
    """A group's reconciliation computed outside the write transaction, and what it read."""

    blocks: frozenset[Block]
    fingerprint: tuple[tuple[str, int, str], ...]
    result: Reconciliation

    def fits(self, blocks: frozenset[Block], events: Sequence[_Stored]) -> bool:
        return blocks == self.blocks and _fingerprint(events) == self.fingerprint


def _fingerprint(events: Sequence[_Stored]) -> tuple[tuple[str, int, str], ...]:
    """What reconciliation reads of a group: each event's id, version and document."""
    return tuple(sorted((e.event_id, e.version, e.document_id) for e in events))


def _keys(event: _Stored) -> frozenset[BlockKey]:
    return event.parsed.keys if isinstance(event.parsed, _Parsed) else frozenset()


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
    grade: Grade
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
        self._cache: Cache = {}
        self._settings_cache: Settings | None = None

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
        """Recompute the group of each block (once per group); a failing group is reported."""
        summary = ReconcileSummary()
        done: set[Block] = set()
        for block in sorted(set(blocks), key=_order):
            if block in done:
                continue
            try:
                group, part = self.reconcile_group(block)
            except RasdError as error:
                summary += ReconcileSummary(failures=[f"block {block_key(block)}: {error}"])
                continue
            done |= group
            summary += part
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
                found.add(_event_block(country, start))
            for country, month in connection.execute(
                select(ClusterBlockRow.country, ClusterBlockRow.month)
            ):
                found.add((country, month))
        return found

    def reconcile_block(self, block: Block) -> ReconcileSummary:
        """Recompute the group of one block (see ``reconcile_group``)."""
        return self.reconcile_group(block)[1]

    def reconcile_group(self, block: Block) -> tuple[frozenset[Block], ReconcileSummary]:
        """Replace the clusters of a block and of every block linked to it, in one transaction.

        The group is found inside the transaction after its block rows are claimed (in sorted
        order, so two writers never wait on each other crosswise); when it turns out larger than
        what was claimed, the transaction is rolled back and redone with the larger group.
        """
        ahead = self._precompute(block)
        claimed = ahead.blocks if ahead is not None else frozenset({block})
        for _ in range(MAX_ATTEMPTS):
            now = datetime.now(UTC)
            try:
                with self.store.engine.begin() as connection:
                    for member in sorted(claimed, key=_order):
                        self._claim(connection, block_key(member), member, now)
                    group = _Group(connection, self._cache, self._settings())
                    found = group.close(claimed)
                    if found != claimed:
                        raise _Grew(found)  # rolls back: claim the whole group in order
                    return claimed, self._recompute(connection, group, now, ahead)
            except _Grew as grown:
                claimed = grown.blocks
            except DBAPIError as error:
                raise StoreError(f"database error ({_short(error)})") from None
        raise StoreError(f"the group of blocks kept growing ({len(claimed)} blocks)")

    def _precompute(self, block: Block) -> _Ahead | None:
        """The group's reconciliation, worked out before the write transaction begins.

        On SQLite a write transaction locks out every other writer (an upload waiting to be
        queued, a reviewer's save) for as long as it lasts; reconciling a block takes most of
        that time. The result is used inside the transaction only if the group's events are
        still exactly those it was computed from (same ids, versions and documents); else the
        transaction reconciles again, as it always did.
        """
        try:
            with self.store.engine.connect() as connection:
                group = _Group(connection, self._cache, self._settings())
                group.close({block})
                events = group.events()
                result = reconcile(self._reports(connection, events), self.resources)
                return _Ahead(group.blocks, _fingerprint(events), result)
        except (RasdError, DBAPIError):
            return None  # the transaction meets the same problem and reports it

    def _settings(self) -> Settings:
        if self._settings_cache is None:
            self._settings_cache = Settings.load(self.resources)
        return self._settings_cache

    def _recompute(
        self, connection: Connection, group: _Group, now: datetime, ahead: _Ahead | None = None
    ) -> ReconcileSummary:
        stored = group.events()
        if ahead is not None and ahead.fits(group.blocks, stored):
            result = ahead.result
        else:
            result = reconcile(self._reports(connection, stored), self.resources)
        homes: dict[str, Block] = {}
        for cluster in result.clusters:
            homes[cluster.cluster_id] = min(
                (group.block_of_member(m.event_id) for m in cluster.members), key=_order
            )
        changed = self._replace(connection, group.blocks, result.clusters, homes, now)
        events: Counter[Block] = Counter(e.block for e in stored)
        clusters: Counter[Block] = Counter(homes.values())
        for member in group.blocks:
            connection.execute(
                update(ClusterBlockRow)
                .where(ClusterBlockRow.key == block_key(member))
                .values(events=events[member], clusters=clusters[member])
            )
        return ReconcileSummary(
            blocks=len(group.blocks), clusters=len(result.clusters), changed=changed
        )

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

    def _reports(self, connection: Connection, events: Iterable[_Stored]) -> list[Report]:
        """The group's events as one report per document (documents and events in id order)."""
        events_of: dict[str, list[_Stored]] = defaultdict(list)
        for event in events:
            events_of[event.document_id].append(event)
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
                told = sorted(events_of[row.id], key=lambda e: e.event_id)
                reports.append(
                    Report(
                        document_id=row.id,
                        text=row.text,
                        events=tuple(e.record for e in told),
                        publisher=row.publisher,
                        published=row.published,
                        title=row.title,
                    )
                )
        return reports

    def _replace(
        self,
        connection: Connection,
        blocks: Iterable[Block],
        clusters: Sequence[Cluster],
        homes: dict[str, Block],
        now: datetime,
    ) -> int:
        """Delete the group's clusters that changed or went, insert the new ones: how many new."""
        stored: dict[str, tuple[str, str]] = {}  # id: (digest, block), as fresh ones are keyed
        for keys in _chunks(sorted(block_key(b) for b in blocks)):
            for row in connection.execute(
                select(ClusterRow.id, ClusterRow.digest, ClusterRow.block).where(
                    ClusterRow.block.in_(keys)
                )
            ):
                stored[row.id] = (row.digest, row.block)
        fresh = {c.cluster_id: (c, (_digest(c), block_key(homes[c.cluster_id]))) for c in clusters}
        stale = [i for i, digest in stored.items() if i not in fresh or fresh[i][1] != digest]
        for ids in _chunks(stale):
            connection.execute(delete(ClusterEventRow).where(ClusterEventRow.cluster_id.in_(ids)))
            connection.execute(delete(ClusterRow).where(ClusterRow.id.in_(ids)))
        new = [(c, d) for i, (c, d) in fresh.items() if stored.get(i) != d]
        if new:
            connection.execute(
                insert(ClusterRow),
                [_cluster_values(c, d[0], homes[c.cluster_id], now) for c, d in new],
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


def _cluster_values(cluster: Cluster, digest: str, block: Block, now: datetime) -> dict[str, Any]:
    event = cluster.event
    return {
        "id": cluster.cluster_id,
        "block": block_key(block),
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
