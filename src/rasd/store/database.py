"""The store: open a database by URL, migrate it, ingest documents, query events and documents.

A laptop needs no set-up (a SQLite file in the user's data directory); a team sets one URL
(``postgresql+psycopg://…``). Every value from a report reaches SQL as a bound parameter; the only
SQL text built here is fixed fragments chosen by the code, never by input.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Engine,
    Select,
    String,
    and_,
    bindparam,
    create_engine,
    event,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from rasd.document import Document, Flag, Mention, Sentence, Source
from rasd.errors import StoreError
from rasd.records import EventRecord
from rasd.resources import Resources
from rasd.store.models import (
    ClaimRow,
    DocumentFlagRow,
    DocumentRow,
    EventActorRow,
    EventDocumentRow,
    EventFlagRow,
    EventRow,
    EvidenceRow,
    MentionRow,
)
from rasd.store.search import SearchForms, load_search_forms

if TYPE_CHECKING:  # alembic loads when a schema is read or changed, not with every command
    from alembic.config import Config

ENV_URL = "RASD_DATABASE_URL"


def default_database_url() -> str:
    """``$RASD_DATABASE_URL``, else a SQLite file in the user's data directory."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    folder = Path(platformdirs.user_data_dir("rasd", appauthor=False))
    return f"sqlite:///{folder / 'rasd.db'}"


@dataclass(frozen=True, slots=True)
class EventFilters:
    """What the events list, the map and the exports can be narrowed by; all optional, ANDed."""

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    q: str | None = None
    document_id: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class IngestResult:
    document_id: str
    created: bool
    events: int


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: str
    lang: str
    title: str | None
    publisher: str | None
    url: str | None
    published: date | None
    path: str | None
    ingested_at: datetime
    excerpt: str
    events: int = 0


@dataclass(frozen=True, slots=True)
class StoredDocument:
    document: Document
    ingested_at: datetime
    event_ids: list[str]


@dataclass(frozen=True, slots=True)
class EventSummary:
    """The columns a list, a timeline or a map needs, read without parsing the stored record."""

    id: str
    event_type: str
    sub_event_type: str | None
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    actor1: str | None
    actor2: str | None
    country: str | None
    admin1: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: str | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    grade: str | None
    status: str
    document_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    record: EventRecord
    status: str
    version: int


# The events table again, for the longest span inside a query on events (not correlated to it).
_SPANS = EventRow.__table__.alias("spans")

# An actor's page reads the list index, about (offset + limit) * events / total entries at
# ~0.05 us each, unless its matches are so few that reading each one (~1.6 us: found in an actor
# index, read by id, sorted) costs less; measured with bench/queries.py.
_WALK_COST = 1 / 32

# The documents of a page of events; one expanding parameter (an id list as literals costs
# SQLAlchemy a bound parameter object per id).
_PAGE_LINKS = (
    select(EventDocumentRow.event_id, EventDocumentRow.document_id)
    .where(EventDocumentRow.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(EventDocumentRow.document_id)
)

# How many events each document of a page reports.
_DOCUMENT_EVENTS = (
    select(EventDocumentRow.document_id, func.count())
    .where(EventDocumentRow.document_id.in_(bindparam("ids", expanding=True)))
    .group_by(EventDocumentRow.document_id)
)

# The role of an associated actor's ``event_actors`` row; actor1 and actor2 also have a column.
ASSOCIATED_ROLE = "assoc"

# The table's own columns, not the mapped class's: a cached statement's result map is then
# reused as it is, where each query's fresh ORM-annotated columns were matched to it one by one
# (~0.2 ms a query).
_SUMMARY_COLUMNS = tuple(
    EventRow.__table__.c[field.name]
    for field in fields(EventSummary)
    if field.name != "document_ids"
)


class Store:
    """One database. Open it with a URL (or the default), use it from threads via sessions."""

    def __init__(
        self,
        url: str | None = None,
        *,
        migrate: bool = True,
        resources: Resources | None = None,
        echo: bool = False,
    ) -> None:
        self.url = url or default_database_url()
        self.engine = _create_engine(self.url, echo=echo)
        self.dialect = self.engine.dialect.name
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.forms: SearchForms = load_search_forms(resources or Resources())
        try:
            if migrate:
                self.upgrade()
            self.has_geography = self._has_geography()
        except DBAPIError as error:
            self.engine.dispose()
            raise StoreError(f"cannot open database {_redact(self.url)}: {_short(error)}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with the migrations shipped in the package."""
        from alembic import command

        with self.engine.begin() as connection:
            command.upgrade(_alembic_config(connection), revision)

    def downgrade(self, revision: str) -> None:
        from alembic import command

        with self.engine.begin() as connection:
            command.downgrade(_alembic_config(connection), revision)

    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def head_revision() -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()

    def _has_geography(self) -> bool:
        if self.dialect != "postgresql":
            return False
        query = text(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'events' AND column_name = 'geog'"
        )
        with self.engine.connect() as connection:
            return connection.execute(query).first() is not None

    # -- planner statistics ---------------------------------------------------------------

    def optimize(self) -> None:
        """Refresh the query planner's statistics after a batch of writes (``rasd ingest``).

        Without statistics the planner guesses how selective each index is and may drive a
        filtered query (an actor, a country and a year over 100k events) through the wrong one.
        PostgreSQL's ANALYZE samples a fixed number of rows, so it runs every time. SQLite's
        reads every index, so it runs when the statistics are missing or count a table at under
        half or over twice its rows (SQLite 3.40's ``PRAGMA optimize`` only looks at tables this
        connection has queried, which after an ingest leaves out the events); ``PRAGMA optimize``
        runs after it for whatever else SQLite judges stale.
        """
        tables = [row.__tablename__ for row in _ANALYZED]
        try:
            with self.engine.begin() as connection:
                if self.dialect == "postgresql":
                    connection.execute(text("ANALYZE " + ", ".join(tables)))  # fixed names
                elif self.dialect == "sqlite":
                    if self._sqlite_stats_stale(connection):
                        connection.execute(text("ANALYZE"))
                    connection.execute(text("PRAGMA optimize"))
        except DBAPIError as error:
            raise StoreError(
                f"cannot update the planner statistics of {_redact(self.url)}: {_short(error)}"
            ) from None

    @staticmethod
    def _sqlite_stats_stale(connection: Any) -> bool:
        exists = text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if connection.execute(exists).first() is None:
            return True
        counted: dict[str, int] = {}
        for table, stat in connection.execute(text("SELECT tbl, stat FROM sqlite_stat1")):
            if stat and stat.split()[0].isdigit():  # "rows [rows per key ...]"
                counted[table] = max(counted.get(table, 0), int(stat.split()[0]))
        for row in _ANALYZED:
            rows = connection.execute(select(func.count()).select_from(row)).scalar_one()
            known = counted.get(row.__tablename__, 0)
            if rows > 2 * known or 2 * rows < known:
                return True
        return False

    # -- ingest ---------------------------------------------------------------------------

    @staticmethod
    def _event_count(session: Session, document_id: str) -> int:
        query = select(func.count()).where(EventDocumentRow.document_id == document_id)
        return session.scalar(query) or 0

    def ingest(self, doc: Document) -> IngestResult:
        """Store one analysed document and its events in one transaction; a stored one is kept.

        The content hash is the identity, so ingesting the same report again changes nothing and
        reports ``created=False``; a failure rolls this document back and leaves the rest intact.
        """
        try:
            with self.sessions.begin() as session:
                if session.get(DocumentRow, doc.id) is not None:
                    return IngestResult(
                        doc.id, created=False, events=self._event_count(session, doc.id)
                    )
                search_text = self.forms(doc.text)
                session.add(self._document_row(doc, search_text))
                if self.dialect == "sqlite":
                    session.execute(_INSERT_SEARCH, {"id": doc.id, "body": search_text})
                self._add_events(session, doc.events, doc.id)
            return IngestResult(doc.id, created=True, events=len(doc.events))
        except IntegrityError as error:
            # Another process stored the same document between our check and our insert.
            with self.sessions() as session:
                if session.get(DocumentRow, doc.id) is not None:
                    return IngestResult(
                        doc.id, created=False, events=self._event_count(session, doc.id)
                    )
            raise StoreError(
                f"{doc.source.path or doc.id}: the database refused the document ({_short(error)})"
            ) from None
        except DBAPIError as error:
            raise StoreError(
                f"{doc.source.path or doc.id}: database error ({_short(error)})"
            ) from None

    def ingest_many(self, docs: Sequence[Document]) -> list[IngestResult]:
        """Store analysed documents in one transaction: a bulk load pays one commit per batch.

        Each document is whole or absent (a crash loses the open batch, never half a document).
        A refusal (one document breaks a constraint, another process stored one meanwhile)
        rolls the whole batch back as a StoreError: store them one by one to isolate it.
        """
        if not docs:
            return []
        try:
            with self.sessions.begin() as session:
                ids = [doc.id for doc in docs]
                stored = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids))))
                results: list[IngestResult] = []
                for doc in docs:
                    if doc.id in stored:
                        count = self._event_count(session, doc.id)
                        results.append(IngestResult(doc.id, created=False, events=count))
                        continue
                    search_text = self.forms(doc.text)
                    session.add(self._document_row(doc, search_text))
                    if self.dialect == "sqlite":
                        session.execute(_INSERT_SEARCH, {"id": doc.id, "body": search_text})
                    self._add_events(session, doc.events, doc.id)
                    session.flush()  # the next document's event lookup sees this one's events
                    stored.add(doc.id)
                    results.append(IngestResult(doc.id, created=True, events=len(doc.events)))
            return results
        except DBAPIError as error:
            raise StoreError(f"database error ({_short(error)})") from None

    def stored_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these document ids are stored: `rasd ingest` skips them before extracting."""
        found: set[str] = set()
        try:
            with self.engine.connect() as connection:
                for start in range(0, len(ids), 500):
                    chunk = list(ids[start : start + 500])
                    query = select(DocumentRow.id).where(DocumentRow.id.in_(chunk))
                    found.update(connection.scalars(query))
        except DBAPIError as error:
            raise StoreError(f"database error ({_short(error)})") from None
        return found

    def _document_row(self, doc: Document, search_text: str) -> DocumentRow:
        row = DocumentRow(
            id=doc.id,
            lang=doc.lang,
            text=doc.text,
            search_text=search_text,
            publisher=doc.source.publisher,
            url=doc.source.url,
            published=doc.source.published,
            title=doc.source.title,
            path=doc.source.path,
            external_id=doc.source.external_id,
            stages=list(doc.stages),
            sentences=[[s.start, s.end] for s in doc.sentences],
            ingested_at=datetime.now(UTC),
        )
        row.mentions = [
            MentionRow(position=i, kind=m.kind, start=m.start, end=m.end, value=m.value, by=m.by)
            for i, m in enumerate(doc.mentions)
        ]
        row.flags = [
            DocumentFlagRow(
                position=i,
                kind=f.kind,
                message=f.message,
                spans=[[s, e] for s, e in f.spans],
                by=f.by,
            )
            for i, f in enumerate(doc.flags)
        ]
        return row

    def _add_events(
        self, session: Session, records: Sequence[EventRecord], document_id: str
    ) -> None:
        """Insert new events; an id already stored (reconciled upstream) is linked, not replaced.

        One query finds the stored ids, so a document's events cost no per-event round trip.
        """
        ids = list(dict.fromkeys(r.event_id for r in records))
        if not ids:
            return
        with session.no_autoflush:
            stored = set(session.scalars(select(EventRow.id).where(EventRow.id.in_(ids))))
        added: set[str] = set()
        for record in records:
            if record.event_id in stored:
                linked = session.get(EventDocumentRow, (record.event_id, document_id))
                if linked is None:
                    session.add(EventDocumentRow(event_id=record.event_id, document_id=document_id))
                    stored.discard(record.event_id)
                    added.add(record.event_id)
            elif record.event_id not in added:
                session.add(event_row(record, document_id))
                added.add(record.event_id)

    def add_events(self, records: Sequence[EventRecord], document_id: str) -> None:
        """Attach events to a stored document (a later events run, or a bulk load for benches)."""
        with self.sessions.begin() as session:
            if session.get(DocumentRow, document_id) is None:
                raise StoreError(f"document {document_id} is not in the database")
            self._add_events(session, records, document_id)

    # -- documents ------------------------------------------------------------------------

    def count_documents(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(DocumentRow)) or 0

    def list_documents(
        self, *, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[DocumentSummary], int]:
        """Documents newest first, or the ones matching a full-text query, best match first.

        Each listed document's events are counted after the page is chosen, so a text query
        with many matches counts the events of one page, not of every match before sorting.
        """
        condition, rank = self._text_match(q) if q is not None else (None, None)
        query = select(
            DocumentRow.id,
            DocumentRow.lang,
            DocumentRow.title,
            DocumentRow.publisher,
            DocumentRow.url,
            DocumentRow.published,
            DocumentRow.path,
            DocumentRow.ingested_at,
            func.substr(DocumentRow.text, 1, 280),
        )
        counter = select(func.count()).select_from(DocumentRow)
        if condition is not None:
            query = query.where(condition)
            counter = counter.where(condition)
        order = [rank] if rank is not None else []
        query = (
            query.order_by(*order, DocumentRow.ingested_at.desc(), DocumentRow.id)
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as connection:
            total = connection.execute(counter).scalar() or 0
            rows = connection.execute(query).all()
            events: dict[str, int] = {}
            if rows:
                ids = {"ids": [r[0] for r in rows]}
                events = dict(connection.execute(_DOCUMENT_EVENTS, ids).all())
        return [
            DocumentSummary(
                id=r[0],
                lang=r[1],
                title=r[2],
                publisher=r[3],
                url=r[4],
                published=r[5],
                path=r[6],
                ingested_at=r[7],
                excerpt=r[8],
                events=events.get(r[0], 0),
            )
            for r in rows
        ], total

    def search(
        self, q: str, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[DocumentSummary], int]:
        return self.list_documents(q=q, limit=limit, offset=offset)

    def _text_match(self, q: str) -> tuple[ColumnElement[bool], ColumnElement[Any] | None]:
        """A condition on ``documents.id`` for a full-text query, and a rank to order by."""
        words = self.forms.words(q)
        if not words:
            raise StoreError("search query has no words to look for")
        if self.dialect == "sqlite":
            # Each word quoted: FTS5 query syntax (AND, NEAR, *, column filters) is not exposed.
            match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            matching = text(
                "SELECT document_id FROM document_search WHERE document_search MATCH :match"
            ).bindparams(match=match)
            return DocumentRow.id.in_(matching.columns(document_id=String)), None
        if self.dialect == "postgresql":
            vector = func.to_tsvector(literal_column("'simple'"), DocumentRow.search_text)
            query = func.plainto_tsquery(literal_column("'simple'"), " ".join(words))
            return vector.op("@@")(query), func.ts_rank(vector, query).desc()
        # Any other database: a plain substring match on the search form.
        pattern = "%" + " ".join(words) + "%"
        return DocumentRow.search_text.like(pattern), None

    def get_document(self, document_id: str) -> StoredDocument | None:
        with self.sessions() as session:
            row = session.get(
                DocumentRow,
                document_id,
                options=[selectinload(DocumentRow.mentions), selectinload(DocumentRow.flags)],
            )
            if row is None:
                return None
            event_ids = list(
                session.scalars(
                    select(EventDocumentRow.event_id)
                    .where(EventDocumentRow.document_id == document_id)
                    .order_by(EventDocumentRow.event_id)
                )
            )
            doc = Document(
                text=row.text,
                lang=row.lang,
                id=row.id,
                source=Source(
                    publisher=row.publisher,
                    url=row.url,
                    published=row.published,
                    title=row.title,
                    path=row.path,
                    external_id=row.external_id,
                ),
                sentences=[Sentence(s, e) for s, e in row.sentences],
                mentions=[Mention(m.kind, m.start, m.end, m.value, m.by) for m in row.mentions],
                flags=[
                    Flag(f.kind, f.message, tuple((s, e) for s, e in f.spans), f.by)
                    for f in row.flags
                ],
                stages=list(row.stages),
            )
            return StoredDocument(document=doc, ingested_at=row.ingested_at, event_ids=event_ids)

    # -- events ---------------------------------------------------------------------------

    def query_events(
        self, filters: EventFilters, *, limit: int = 100, offset: int = 0
    ) -> tuple[list[EventSummary], int]:
        """One page of matching events in the list's order, and how many match in all.

        The total is counted first: it says whether an actor's page is found faster by reading
        the list in order or from the actor's own events.
        """
        conditions = self._event_conditions(filters)
        with self.engine.connect() as connection:
            counts = connection.execute(self._event_counter(filters, conditions)).one()
            total, events, undated = (int(n or 0) for n in counts)
            rows: Sequence[Any]  # Row tuples of the summary's columns
            if _from_only(filters):
                dated = total - undated
                rows = self._from_page(connection, filters, conditions, dated, limit, offset)
            else:
                page = self._events_page(filters, conditions, total, events, limit, offset)
                rows = connection.execute(page).all()
            links: dict[str, list[str]] = {r[0]: [] for r in rows}
            if links:
                for event_id, document_id in connection.execute(
                    _PAGE_LINKS, {"ids": list(links)}
                ).all():
                    links[event_id].append(document_id)
        # Positional: the columns are the summary's fields in order (a dict per row costs more).
        summaries = [EventSummary(*r, document_ids=links[r[0]]) for r in rows]  # type: ignore[misc]
        return summaries, total

    def _events_page(
        self,
        f: EventFilters,
        conditions: list[ColumnElement[bool]],
        total: int,
        events: int,
        limit: int,
        offset: int,
    ) -> Select[*tuple[Any, ...]]:
        """The page's query, on the path that reads least for these filters and counts."""
        # Events without a start come last; a window's end leaves them out, and then the list
        # index (its first column equal for all) gives the order without sorting the matches.
        order: list[Any] = [EventRow.date_start, EventRow.id]
        if f.date_to is None:
            order.insert(0, EventRow.date_start.is_(None))
        query = select(*_SUMMARY_COLUMNS).order_by(*order).limit(limit).offset(offset)
        if f.document_id is not None or f.q is not None:
            return query.where(*conditions)  # a handful of events: the planner's choice
        if f.actor is not None and total * total < _WALK_COST * (offset + limit) * events:
            return self._actor_page(f.actor, f, order, limit, offset)
        # SQLite's planner takes a one-column index (country, bbox) and then reads each wide
        # row; the list index answers alone, in the list's order, and stops after
        # ``offset + limit`` matches: about (offset + limit) * events / total entries.
        if f.actor is not None:
            # Probed per listed row (a subquery condition runs after the cheap ones), so a
            # page costs the rows it reads, not a list of all the actor's events.
            conditions = [*self._event_conditions(replace(f, actor=None)), _has_actor(f.actor)]
        query = query.where(*conditions)
        return query.with_hint(EventRow, _index_hint("ix_events_list"), "sqlite")

    def _event_counter(
        self, f: EventFilters, conditions: list[ColumnElement[bool]]
    ) -> Select[*tuple[Any, ...]]:
        """One statement (one snapshot): the matches' count, and all events' for an actor's page.

        SQLite counts a whole table from its b-tree pages without reading rows, so there the
        unfiltered list is all events less the rejected ones, and an actor's page weighs its
        matches against all events. PostgreSQL reads every row to count a table: there the
        second count is 0 (an actor's page reads the list). An actor is counted from the
        event's own actor columns (``_actor_parts``); other filters count a narrow index.
        """
        cheap = self.dialect == "sqlite"
        everything = select(func.count()).select_from(EventRow).scalar_subquery()
        events = everything if cheap and f.actor is not None else literal(0)
        if f.document_id is not None or f.q is not None:
            counted = select(func.count()).select_from(EventRow).where(*conditions)
            return select(counted.scalar_subquery(), events, literal(0))
        if f.actor is not None:
            first, second, third = (
                part.scalar_subquery() for part in self._actor_parts(f.actor, f, [func.count()])
            )
            return select(first + second + third, events, literal(0))
        if f == EventFilters() and cheap:
            rejected = select(func.count()).select_from(EventRow)
            rejected = rejected.where(EventRow.status == "rejected").with_hint(
                EventRow, _index_hint("ix_events_status"), "sqlite"
            )
            return select(everything - rejected.scalar_subquery(), events, literal(0))
        if _from_only(f):
            dated, undated = (
                select(func.count())
                .select_from(EventRow)
                .where(*part)
                .with_hint(EventRow, _index_hint("ix_events_list"), "sqlite")
                .scalar_subquery()
                for part in self._from_parts(f, conditions)
            )
            return select(dated + undated, events, undated)
        counted = select(func.count()).select_from(EventRow).where(*conditions)
        counted = counted.with_hint(EventRow, _index_hint(_count_index(f)), "sqlite")
        return select(counted.scalar_subquery(), events, literal(0))

    def _from_parts(
        self, f: EventFilters, conditions: list[ColumnElement[bool]]
    ) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
        """Events since ``date_from`` with a start (a range of the list index) and without one.

        The list puts every event without a start after the others; apart, each is a range
        of the list index to seek, where together they were a scan from its first entry.
        """
        assert f.date_from is not None
        dated = [*conditions, EventRow.date_start.is_(None) == false()]
        undated = [*conditions, EventRow.date_start.is_(None) == true()]
        return [*dated, *self._window_start(f.date_from)], undated

    def _from_page(
        self,
        connection: Connection,
        f: EventFilters,
        conditions: list[ColumnElement[bool]],
        dated: int,
        limit: int,
        offset: int,
    ) -> list[Any]:
        """A page of events since ``date_from``: the dated ones, then those without a start."""
        with_start, without_start = self._from_parts(f, conditions)
        rows: list[Any] = []  # Row tuples
        for part, skip in ((with_start, offset), (without_start, max(0, offset - dated))):
            wanted = limit - len(rows)
            if wanted <= 0 or (part is with_start and offset >= dated):
                continue
            query = (
                select(*_SUMMARY_COLUMNS)
                .where(*part)
                .order_by(EventRow.date_start, EventRow.id)
                .limit(wanted)
                .offset(skip)
                .with_hint(EventRow, _index_hint("ix_events_list"), "sqlite")
            )
            rows += connection.execute(query).all()
        return rows

    def _actor_page(
        self, actor: str, f: EventFilters, order: list[Any], limit: int, offset: int
    ) -> Select[*tuple[Any, ...]]:
        """A page of a rare actor's events: its matches from ``_actor_parts``, sorted."""
        matches = union_all(*self._actor_parts(actor, f, _SUMMARY_COLUMNS)).subquery("matches")
        by_name = {column.key: matches.c[column.key] for column in _SUMMARY_COLUMNS}
        sort: list[Any] = [by_name["date_start"], by_name["id"]]
        if len(order) == 3:
            sort.insert(0, by_name["date_start"].is_(None))
        return select(*matches.c).order_by(*sort).limit(limit).offset(offset)

    def _actor_parts(
        self, actor: str, f: EventFilters, columns: Sequence[Any]
    ) -> list[Select[*tuple[Any, ...]]]:
        """The events of ``actor`` that pass the other filters, as three disjoint selects.

        Every event's ``actor1``/``actor2`` columns and its ``event_actors`` rows of those
        roles come from the same record (``event_row`` writes both, review rewrites both), so an
        actor's events are those with it as actor1, else as actor2, else as an associated actor.
        The first two are read from an index holding every filtered column; looking each of
        the actor's events up by id instead costs a seek per event (~10 ms for 17k events).
        """
        rest = self._event_conditions(replace(f, actor=None))
        not_first = EventRow.actor1.is_distinct_from(actor)
        not_second = EventRow.actor2.is_distinct_from(actor)
        associated = EventRow.id.in_(
            select(EventActorRow.event_id).where(
                EventActorRow.name == actor, EventActorRow.role == ASSOCIATED_ROLE
            )
        )
        parts = [
            ("ix_events_actor1", [EventRow.actor1 == actor]),
            ("ix_events_actor2", [EventRow.actor2 == actor, not_first]),
            ("sqlite_autoindex_events_1", [associated, not_first, not_second]),
        ]
        return [
            select(*columns)
            .select_from(EventRow)
            .where(*own, *rest)
            .with_hint(EventRow, _index_hint(index), "sqlite")
            for index, own in parts
        ]

    def iter_events(self, filters: EventFilters, *, batch: int = 500) -> Iterator[StoredEvent]:
        """Every matching event's full record, for exports; read in batches by id."""
        conditions = self._event_conditions(filters)
        last: str | None = None
        while True:
            query = select(EventRow.id, EventRow.record, EventRow.status, EventRow.version)
            query = query.where(*conditions)
            if last is not None:
                query = query.where(EventRow.id > last)
            with self.sessions() as session:
                rows = session.execute(query.order_by(EventRow.id).limit(batch)).all()
            for row in rows:
                yield StoredEvent(EventRecord.model_validate(row[1]), row[2], row[3])
            if len(rows) < batch:
                return
            last = rows[-1][0]

    def get_event(self, event_id: str) -> StoredEvent | None:
        with self.sessions() as session:
            row = session.get(EventRow, event_id)
            if row is None:
                return None
            return StoredEvent(EventRecord.model_validate(row.record), row.status, row.version)

    def count_events(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(EventRow)) or 0

    def _event_conditions(self, f: EventFilters) -> list[ColumnElement[bool]]:
        c: list[ColumnElement[bool]] = []
        if f.date_from is not None:
            c.append(func.coalesce(EventRow.date_end, EventRow.date_start) >= f.date_from)
        if f.date_to is not None:
            # An event without a start is out; saying so lets the list index (which puts them
            # last) seek the window's range.
            c.append(EventRow.date_start <= f.date_to)
            c.append(EventRow.date_start.is_(None) == false())
            if f.date_from is not None:
                c.extend(self._window_start(f.date_from))
        if f.country is not None:
            c.append(EventRow.country == f.country)
        if f.admin1 is not None:
            c.append(EventRow.admin1 == f.admin1)
        if f.event_type is not None:
            c.append(EventRow.event_type == f.event_type)
        # A rejected event (not an event, or a duplicate merged away) is shown only when asked
        # for; "reviewed" includes published, which is reviewed and released.
        if f.status is None:
            c.append(EventRow.status != "rejected")
        elif f.status == "reviewed":
            c.append(EventRow.status.in_(("reviewed", "published")))
        else:
            c.append(EventRow.status == f.status)
        # IN (subquery), not a correlated EXISTS: SQLite would run the EXISTS once per candidate
        # row through the name index (seconds over 100k events); IN runs the subquery once.
        if f.actor is not None:
            c.append(
                EventRow.id.in_(select(EventActorRow.event_id).where(EventActorRow.name == f.actor))
            )
        if f.fatalities_min is not None:
            c.append(EventRow.fatalities_best >= f.fatalities_min)
        if f.fatalities_max is not None:
            c.append(EventRow.fatalities_best <= f.fatalities_max)
        if f.bbox is not None:
            c.append(self._in_bbox(*f.bbox))
        if f.document_id is not None:
            c.append(
                EventRow.id.in_(
                    select(EventDocumentRow.event_id).where(
                        EventDocumentRow.document_id == f.document_id
                    )
                )
            )
        if f.q is not None:
            condition, _ = self._text_match(f.q)
            linked = select(EventDocumentRow.event_id).join(
                DocumentRow, DocumentRow.id == EventDocumentRow.document_id
            )
            c.append(EventRow.id.in_(linked.where(condition)))
        return c

    def _window_start(self, date_from: date) -> list[ColumnElement[bool]]:
        """Where the events overlapping a window from ``date_from`` can start: a range to seek.

        An event overlaps when it ends on or after ``date_from``, so it starts no earlier than
        ``date_from`` less the longest span stored, read from its own index in the same
        statement (a day more covers rounding).
        """
        spans = _SPANS
        start: ColumnElement[Any]
        if self.dialect == "sqlite":
            span = func.julianday(spans.c.date_end) - func.julianday(spans.c.date_start)
            days = func.max(func.coalesce(select(func.max(span)).scalar_subquery(), 0), 0) + 1
            start = func.date(literal(date_from, Date), func.printf("-%d days", days))
        elif self.dialect == "postgresql":
            span = spans.c.date_end - spans.c.date_start
            days = func.greatest(func.coalesce(select(func.max(span)).scalar_subquery(), 0), 0)
            start = literal(date_from, Date) - (days + 1)
        else:
            return []
        return [EventRow.date_start >= start]

    def _in_bbox(self, west: float, south: float, east: float, north: float) -> ColumnElement[bool]:
        latitude = EventRow.latitude.between(south, north)
        longitude: ColumnElement[bool]
        if west <= east:
            longitude = EventRow.longitude.between(west, east)
        else:  # the box crosses the antimeridian
            longitude = or_(EventRow.longitude >= west, EventRow.longitude <= east)
        if self.has_geography and west <= east:
            # The GiST index narrows the candidates; the lat/lon test keeps the box's edges exact
            # (a geography box's edges are great circles, not parallels).
            envelope = text(
                "events.geog && "
                "ST_MakeEnvelope(:bbox_w, :bbox_s, :bbox_e, :bbox_n, 4326)::geography"
            ).bindparams(bbox_w=west, bbox_s=south, bbox_e=east, bbox_n=north)
            return and_(envelope, latitude, longitude)
        return and_(latitude, longitude)


def event_row(record: EventRecord, document_id: str) -> EventRow:
    """The row (and child rows) storing one event record, linked to the document it came from."""
    location = record.location
    actors = [("actor1", record.actor1), ("actor2", record.actor2)]
    actors += [(ASSOCIATED_ROLE, a) for a in record.assoc_actors]
    row = EventRow(
        id=record.event_id,
        event_type=record.event_type,
        sub_event_type=record.sub_event_type,
        date_start=record.date_start,
        date_end=record.date_end,
        date_precision=record.date_precision,
        actor1=record.actor1.name if record.actor1 else None,
        actor2=record.actor2.name if record.actor2 else None,
        civilian_targeting=record.civilian_targeting,
        country=location.country if location else None,
        admin1=location.admin1 if location else None,
        admin2=location.admin2 if location else None,
        location=location.name if location else None,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        geo_precision=location.precision if location else None,
        geonames_id=location.geonames_id if location else None,
        fatalities_low=record.fatalities.low,
        fatalities_best=record.fatalities.best,
        fatalities_high=record.fatalities.high,
        injured_low=record.injured.low,
        injured_best=record.injured.best,
        injured_high=record.injured.high,
        detained_low=record.detained.low,
        detained_best=record.detained.best,
        detained_high=record.detained.high,
        grade=record.grade,
        confidence=record.confidence,
        summary=record.summary,
        record=record.model_dump(mode="json"),
        status="suggested",
        created_at=datetime.now(UTC),
    )
    row.actors = [
        EventActorRow(role=role, name=actor.name, kind=actor.kind)
        for role, actor in actors
        if actor is not None
    ]
    row.claims = [
        ClaimRow(
            position=i,
            quantity=claim.quantity,
            low=claim.low,
            best=claim.best,
            high=claim.high,
            qualifier=claim.qualifier,
            victims=claim.victims,
            attributed_to=claim.attributed_to,
            document_id=claim.span.document_id,
            start=claim.span.start,
            end=claim.span.end,
            text=claim.span.text,
            by=claim.by,
        )
        for i, claim in enumerate(record.claims)
    ]
    row.evidence = [
        EvidenceRow(
            position=i,
            field=item.field,
            document_id=item.span.document_id,
            start=item.span.start,
            end=item.span.end,
            text=item.span.text,
            by=item.by,
        )
        for i, item in enumerate(record.evidence)
    ]
    row.flags = [
        EventFlagRow(
            position=i,
            kind=flag.kind,
            message=flag.message,
            evidence=[span.model_dump(mode="json") for span in flag.evidence],
            by=flag.by,
        )
        for i, flag in enumerate(record.flags)
    ]
    row.documents = [EventDocumentRow(document_id=document_id)]
    return row


_INSERT_SEARCH = text("INSERT INTO document_search (document_id, body) VALUES (:id, :body)")


def _count_index(f: EventFilters) -> str:
    """The index of migration 0005 that counts the matches of these filters with least reading."""
    if f.country is not None and f.event_type is not None:
        return "ix_events_country_type"
    if f.admin1 is not None:
        return "ix_events_admin1_fatalities"
    if f.bbox is not None and f.bbox[0] <= f.bbox[2]:
        return "ix_events_lat_lon_status"
    if replace(f, status=None) == EventFilters():
        return "ix_events_status"
    return "ix_events_list"  # every filtered column, in one pass


def _from_only(f: EventFilters) -> bool:
    """Events since a day, with no end to the window, no actor, no document and no text."""
    return (
        f.date_from is not None
        and f.date_to is None
        and f.actor is None
        and f.document_id is None
        and f.q is None
    )


def _has_actor(name: str) -> ColumnElement[bool]:
    """Whether a listed event has ``name`` among its actors: one index probe per row."""
    return (
        select(EventActorRow.id)
        .where(EventActorRow.event_id == EventRow.id, EventActorRow.name == name)
        .exists()
    )


def _index_hint(name: str) -> str:
    return f"INDEXED BY {name}"  # fixed names chosen above, never input


def _sqlite_from_hint(_compiler: SQLiteCompiler, _table: object, hint: str | None) -> str | None:
    """SQLAlchemy drops table hints on SQLite; SQLite reads ``INDEXED BY`` after the table."""
    return hint


SQLiteCompiler.get_from_hint_text = _sqlite_from_hint  # type: ignore[method-assign, assignment]

# The tables `rasd ingest` fills and the filters read, whose statistics `Store.optimize` refreshes.
_ANALYZED = (DocumentRow, MentionRow, EventRow, EventDocumentRow, EventActorRow)


def _create_engine(url: str, *, echo: bool) -> Engine:
    try:
        if url.startswith("sqlite"):
            _make_sqlite_folder(url)
            # Up to a connection per API thread (anyio runs 40): waiting for one of the 15
            # pooled by default took a tenth of the server's time under 50 clients.
            pool: dict[str, int] = {} if _in_memory(url) else {"pool_size": 20, "max_overflow": 30}
            engine = create_engine(url, echo=echo, connect_args={"timeout": 30}, **pool)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, echo=echo, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as error:
        raise StoreError(f"cannot use database URL {_redact(url)!r}: {error}") from None


def _in_memory(url: str) -> bool:
    return url.rstrip("/") in ("sqlite:", "sqlite:/") or ":memory:" in url or "mode=memory" in url


def _make_sqlite_folder(url: str) -> None:
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:" and not path.startswith("file:"):
        try:
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the folder for {path} ({error.strerror or error})"
            ) from None


def _sqlite_pragmas(connection: Any, _record: object) -> None:
    """Foreign keys on (cascades), WAL so the server reads while ``rasd ingest`` writes."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # Reads: the events list scans its index (some MB at 100k events) on every page; memory-
    # mapped reads and a 16 MB page cache per connection keep that off the read() path.
    cursor.execute("PRAGMA cache_size = -16384")
    cursor.execute("PRAGMA mmap_size = 268435456")
    cursor.close()


def _alembic_config(connection: Any) -> Config:
    from alembic.config import Config

    folder = resources.files("rasd.store") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(folder))
    config.attributes["connection"] = connection
    return config


def _short(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__


def _redact(url: str) -> str:
    """A URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
