"""The upload queue: uploads are stored raw at once and extracted later by a worker process.

Extraction and reconciliation are CPU-bound Python; run inside the API process they held the
GIL and the threadpool, so a few uploads made every query wait seconds. The API now only writes
the raw report here (one short transaction) and answers 202; ``rasd worker`` (started by
``rasd serve``) claims rows, extracts, stores and reconciles them.

A claim is one ``UPDATE … RETURNING`` over the oldest claimable rows (``FOR UPDATE SKIP LOCKED``
on PostgreSQL, the write lock on SQLite), so two workers never take the same row. A claim is a
lease: a worker killed mid-batch leaves rows ``working`` with an old ``claimed_at``; they are
taken again when the lease runs out, or at once by a worker that starts on the same host and
finds the claiming process gone. Storing is idempotent (the content hash is the document's
identity), so a row done twice is stored once. A row whose claims keep dying (a report that
crashes the worker process itself) fails after ``MAX_ATTEMPTS`` instead of looping forever.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Update, and_, func, or_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from rasd.document import Document, Source
from rasd.errors import StoreError
from rasd.store.database import Store
from rasd.store.models import DocumentRow, EventDocumentRow, UploadRow

LEASE = timedelta(minutes=2)  # a claim not renewed for this long belongs to a dead worker
MAX_ATTEMPTS = 3
PENDING = ("queued", "working")


@dataclass(frozen=True, slots=True)
class UploadState:
    """Where one upload stands, as the status endpoint and the page show it."""

    document_id: str
    status: str  # queued / working / done / failed
    events: int | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed row: the raw document as it was uploaded."""

    document_id: str
    lang: str
    text: str
    source: Source

    def document(self) -> Document:
        return Document(text=self.text, lang=self.lang, source=self.source, id=self.document_id)


def worker_name() -> str:
    """``host:pid``: lets a worker starting on the same host release a dead one's claims."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


class UploadQueue:
    def __init__(self, store: Store) -> None:
        self.store = store

    def enqueue(self, doc: Document) -> UploadState:
        """Queue an uploaded document; a stored, queued or done one is reported as it stands.

        A failed one is queued again: the upload is the user's way to retry (after a fix).
        """
        now = datetime.now(UTC)
        try:
            with self.store.sessions.begin() as session:
                row = session.get(UploadRow, doc.id)
                if row is None:
                    if session.get(DocumentRow, doc.id) is not None:  # stored by `rasd ingest`
                        return UploadState(doc.id, "done", _event_count(session, doc.id))
                    session.add(
                        UploadRow(
                            document_id=doc.id,
                            status="queued",
                            lang=doc.lang,
                            text=doc.text,
                            source=doc.source.to_dict(),
                            attempts=0,
                            queued_at=now,
                        )
                    )
                    return UploadState(doc.id, "queued")
                if row.status == "failed":
                    row.status, row.attempts, row.error = "queued", 0, None
                    row.text, row.lang, row.source = doc.text, doc.lang, doc.source.to_dict()
                    row.queued_at, row.claimed_at, row.claimed_by = now, None, None
                    row.finished_at = None
                return _state(row)
        except IntegrityError:  # the same report uploaded twice at once: the other one won
            state = self.status(doc.id)
            if state is None:
                raise StoreError(f"{doc.id}: the upload could not be queued") from None
            return state
        except DBAPIError as error:
            raise StoreError(f"{doc.id}: cannot queue the upload ({_short(error)})") from None

    def status(self, document_id: str) -> UploadState | None:
        with self.store.sessions() as session:
            row = session.get(UploadRow, document_id)
            if row is not None:
                return _state(row)
            if session.get(DocumentRow, document_id) is not None:
                return UploadState(document_id, "done", _event_count(session, document_id))
        return None

    def pending(self) -> int:
        with self.store.sessions() as session:
            query = select(func.count()).where(UploadRow.status.in_(PENDING))
            return session.scalar(query) or 0

    def claim(self, worker: str, limit: int, lease: timedelta = LEASE) -> list[Claimed]:
        """Take up to ``limit`` of the oldest queued rows, or rows whose lease ran out."""
        try:
            return self._claim(worker, limit, lease)
        except DBAPIError as error:
            raise StoreError(f"cannot claim uploads ({_short(error)})") from None

    def _claim(self, worker: str, limit: int, lease: timedelta) -> list[Claimed]:
        now = datetime.now(UTC)
        expired = and_(UploadRow.status == "working", UploadRow.claimed_at < now - lease)
        claimable = or_(UploadRow.status == "queued", expired)
        with self.store.engine.begin() as connection:
            connection.execute(
                update(UploadRow)
                .where(expired, UploadRow.attempts >= MAX_ATTEMPTS)
                .values(
                    status="failed",
                    text="",
                    finished_at=now,
                    error=f"upload: extraction stopped the worker {MAX_ATTEMPTS} times "
                    "(killed or out of memory); the server log has the details",
                )
            )
            oldest = (
                select(UploadRow.document_id)
                .where(claimable)
                .order_by(UploadRow.queued_at)
                .limit(limit)
            )
            chosen: Any = oldest
            if self.store.dialect == "postgresql":
                # Locked and listed first: as a subquery, PostgreSQL may run the SKIP LOCKED
                # select again per row and so claim more than ``limit`` rows.
                locked = oldest.with_for_update(skip_locked=True)
                chosen = list(connection.scalars(locked))
            rows = connection.execute(
                update(UploadRow)
                .where(UploadRow.document_id.in_(chosen), claimable)
                .values(
                    status="working",
                    claimed_at=now,
                    claimed_by=worker,
                    attempts=UploadRow.attempts + 1,
                )
                .returning(UploadRow.document_id, UploadRow.lang, UploadRow.text, UploadRow.source)
            ).all()
        claimed = [Claimed(r[0], r[1], r[2], Source.from_dict(r[3])) for r in rows]
        return sorted(claimed, key=lambda c: c.document_id)

    def renew(self, worker: str, document_ids: Sequence[str]) -> None:
        """Extend this worker's lease on rows it still works on (between two documents)."""
        if document_ids:
            self._update(worker, document_ids, claimed_at=datetime.now(UTC))

    def finish(self, worker: str, done: Iterable[tuple[str, int]]) -> None:
        """Mark stored documents done with their event counts; the raw text is not kept twice."""
        now = datetime.now(UTC)
        try:
            with self.store.engine.begin() as connection:
                for document_id, events in done:
                    connection.execute(
                        _mine(worker, [document_id]).values(
                            status="done", events=events, text="", finished_at=now, error=None
                        )
                    )
        except DBAPIError as error:
            raise StoreError(f"cannot update the upload queue ({_short(error)})") from None

    def fail(self, worker: str, document_id: str, error: str) -> None:
        self._update(
            worker,
            [document_id],
            status="failed",
            error=error,
            text="",
            finished_at=datetime.now(UTC),
        )

    def release(self, worker: str, document_ids: Sequence[str]) -> None:
        """Give rows back to the queue (the database failed under the worker, not the report)."""
        if document_ids:
            self._update(worker, document_ids, status="queued", claimed_at=None, claimed_by=None)

    def recover(self) -> int:
        """Queue again the rows claimed by processes of this host that are gone (a crash)."""
        host = socket.gethostname()[:40]
        with self.store.sessions() as session:
            claims = session.execute(
                select(UploadRow.document_id, UploadRow.claimed_by).where(
                    UploadRow.status == "working", UploadRow.claimed_by.like(f"{host}:%")
                )
            ).all()
        dead: dict[str, list[str]] = {}
        for document_id, worker in claims:
            pid = str(worker).rsplit(":", 1)[-1]
            if pid.isdecimal() and not _alive(int(pid)):
                dead.setdefault(str(worker), []).append(document_id)
        for worker, ids in dead.items():
            self.release(worker, ids)
        return sum(len(ids) for ids in dead.values())

    def _update(self, worker: str, document_ids: Sequence[str], **values: object) -> None:
        try:
            with self.store.engine.begin() as connection:
                connection.execute(_mine(worker, document_ids).values(**values))
        except DBAPIError as error:
            raise StoreError(f"cannot update the upload queue ({_short(error)})") from None


def _mine(worker: str, document_ids: Sequence[str]) -> Update:
    """Rows this worker still holds: a row whose lease another worker took is left to it."""
    return update(UploadRow).where(
        UploadRow.document_id.in_(list(document_ids)),
        UploadRow.status == "working",
        UploadRow.claimed_by == worker,
    )


def _state(row: UploadRow) -> UploadState:
    return UploadState(row.document_id, row.status, row.events, row.error)


def _event_count(session: Session, document_id: str) -> int:
    query = select(func.count()).where(EventDocumentRow.document_id == document_id)
    return session.scalar(query) or 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _short(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
