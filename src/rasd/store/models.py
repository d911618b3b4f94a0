"""Tables of the store: documents, their mentions and flags, events with claims, evidence and flags.

The schema itself is made by the Alembic migrations in ``migrations/versions``; these classes map it
for queries. An event keeps its whole ``EventRecord`` as JSON (``record``) so nothing the pipeline
produced is lost, and copies the fields people filter and sort by into plain columns. ``status`` and
``version`` are there for review (suggested → reviewed → published, optimistic locking).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # content hash
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)  # normalized, articles stripped (store.search)
    publisher: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    stages: Mapped[list[Any]] = mapped_column(JSON)
    sentences: Mapped[list[Any]] = mapped_column(JSON)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    mentions: Mapped[list[MentionRow]] = relationship(
        back_populates="document", order_by="MentionRow.position", cascade="all, delete-orphan"
    )
    flags: Mapped[list[DocumentFlagRow]] = relationship(
        order_by="DocumentFlagRow.position", cascade="all, delete-orphan"
    )


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    by: Mapped[str] = mapped_column(String(128))

    document: Mapped[DocumentRow] = relationship(back_populates="mentions")


class DocumentFlagRow(Base):
    __tablename__ = "document_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    spans: Mapped[list[Any]] = mapped_column(JSON)
    by: Mapped[str] = mapped_column(String(128))


class EventDocumentRow(Base):
    """Which documents report an event (an event reconciled across reports has several)."""

    __tablename__ = "event_documents"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)  # EventRecord.event_id
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    sub_event_type: Mapped[str | None] = mapped_column(String(128))
    date_start: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[str | None] = mapped_column(String(16))
    actor1: Mapped[str | None] = mapped_column(Text)
    actor2: Mapped[str | None] = mapped_column(Text)
    civilian_targeting: Mapped[bool] = mapped_column(Boolean)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    admin1: Mapped[str | None] = mapped_column(Text, index=True)
    admin2: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[str | None] = mapped_column(String(16))
    geonames_id: Mapped[int | None] = mapped_column(Integer)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_best: Mapped[int | None] = mapped_column(Integer, index=True)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    injured_low: Mapped[int | None] = mapped_column(Integer)
    injured_best: Mapped[int | None] = mapped_column(Integer)
    injured_high: Mapped[int | None] = mapped_column(Integer)
    detained_low: Mapped[int | None] = mapped_column(Integer)
    detained_best: Mapped[int | None] = mapped_column(Integer)
    detained_high: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    summary: Mapped[str | None] = mapped_column(Text)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    claims: Mapped[list[ClaimRow]] = relationship(
        order_by="ClaimRow.position", cascade="all, delete-orphan"
    )
    evidence: Mapped[list[EvidenceRow]] = relationship(
        order_by="EvidenceRow.position", cascade="all, delete-orphan"
    )
    flags: Mapped[list[EventFlagRow]] = relationship(
        order_by="EventFlagRow.position", cascade="all, delete-orphan"
    )
    actors: Mapped[list[EventActorRow]] = relationship(cascade="all, delete-orphan")
    documents: Mapped[list[EventDocumentRow]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class EventActorRow(Base):
    """Every actor of an event by role, so "actor X" filters one indexed column."""

    __tablename__ = "event_actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # actor1 / actor2 / assoc
    name: Mapped[str] = mapped_column(Text, index=True)
    kind: Mapped[str | None] = mapped_column(String(32))


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[str] = mapped_column(String(32))
    low: Mapped[int | None] = mapped_column(Integer)
    best: Mapped[int | None] = mapped_column(Integer)
    high: Mapped[int | None] = mapped_column(Integer)
    qualifier: Mapped[str] = mapped_column(String(16))
    victims: Mapped[str | None] = mapped_column(Text)
    attributed_to: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(128))


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(128))


class EventFlagRow(Base):
    __tablename__ = "event_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    by: Mapped[str] = mapped_column(String(128))


class ClusterBlockRow(Base):
    """One (country, month) block of reconciliation: the unit recomputed after an ingest.

    Its row is written first in each recomputation, so two writers of one block queue up (a row
    lock on PostgreSQL, the write lock on SQLite) instead of racing each other's results.
    """

    __tablename__ = "cluster_blocks"

    key: Mapped[str] = mapped_column(String(16), primary_key=True)  # "AF/1998-08", "-/-"
    country: Mapped[str | None] = mapped_column(String(2))
    month: Mapped[str | None] = mapped_column(String(7))
    events: Mapped[int] = mapped_column(Integer)
    clusters: Mapped[int] = mapped_column(Integer)
    reconciled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClusterRow(Base):
    """One real-world event reconciled across reports (``rasd.reconcile.Cluster``).

    ``record`` is the merged ``EventRecord``; ``flags``, ``links`` and ``figures`` keep the
    contradictions with both sides, the merge explanation and the figure rule as JSON, so the
    whole cluster reads back; the plain columns are what lists filter and sort by. ``digest``
    lets a recomputation keep an unchanged cluster (and its ``updated_at``) as it is.
    """

    __tablename__ = "clusters"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    block: Mapped[str] = mapped_column(
        ForeignKey("cluster_blocks.key", ondelete="CASCADE"), index=True
    )
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    event_type: Mapped[str] = mapped_column(String(64))
    sub_event_type: Mapped[str | None] = mapped_column(String(128))
    date_start: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(Text)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(16), index=True)
    grade_reason: Mapped[str] = mapped_column(Text)
    independent_sources: Mapped[int] = mapped_column(Integer)
    reports: Mapped[int] = mapped_column(Integer)
    flag_count: Mapped[int] = mapped_column(Integer, index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    flags: Mapped[list[Any]] = mapped_column(JSON)
    links: Mapped[list[Any]] = mapped_column(JSON)
    figures: Mapped[list[Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClusterEventRow(Base):
    """A member of a cluster: one stored event as told by one document."""

    __tablename__ = "cluster_events"

    cluster_id: Mapped[str] = mapped_column(
        ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    source_group: Mapped[int] = mapped_column(Integer)


class UploadRow(Base):
    """An uploaded report waiting for, or done by, a worker (the queue of ``rasd worker``).

    The raw text and source are kept until the document is stored, so an upload acknowledged
    with 202 survives a restart of the server or the worker; ``claimed_at`` is the lease a killed
    worker leaves behind, after which another worker takes the row again.
    """

    __tablename__ = "upload_queue"

    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # queued / working / done / failed
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer)
    events: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
