"""Review and team use over a ``Store``: accounts, sessions, revisions, status, merge/split, audit.

Optimistic locking: every write names the event version it was based on; the row's version column
is SQLAlchemy's ``version_id_col``, so the UPDATE itself checks it and a second reviewer who saves
over an event that changed since they opened it gets ``VersionConflict``, never a lost update.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from pwdlib import PasswordHash
from pydantic import ValidationError
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rasd.errors import RasdError
from rasd.records import EventRecord
from rasd.store.accounts import (
    ROLES,
    ApiTokenRow,
    AuditRow,
    RetractionRow,
    RevisionRow,
    SessionRow,
    UserRow,
)
from rasd.store.database import Store, StoredEvent, event_row
from rasd.store.models import DocumentRow, EventDocumentRow, EventRow

SESSION_LIFETIME = timedelta(hours=12)
STATUSES = ("suggested", "reviewed", "published", "rejected")
# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("suggested", "reviewed"), "reviewed"),
    "publish": (("reviewed", "published"), "published"),
    "reject": (("suggested", "reviewed", "rejected"), "rejected"),
    "reopen": (("reviewed", "published", "rejected"), "suggested"),
}
REJECT_REASONS = ("not an event", "duplicate", "other")
# Fields a reviewer may change; the record's evidence, claims' spans and ids stay the machine's.
EDITABLE = (
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "location",
    "actor1",
    "actor2",
    "assoc_actors",
    "civilian_targeting",
    "fatalities",
    "injured",
    "detained",
    "claims",
    "summary",
)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")
MIN_PASSWORD = 8

_hasher = PasswordHash.recommended()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when a user does not exist: login time says nothing of names.

    Made on the first login, not when a command imports the store (it costs ~0.5 s).
    """
    return _hasher.hash("not-a-real-password")


class ReviewError(RasdError):
    """A review action that cannot be done as asked; ``status`` is the HTTP code it maps to."""

    status = 400


class NotFound(ReviewError):
    status = 404


class VersionConflict(ReviewError):
    status = 409

    def __init__(self, event_id: str, expected: int, current: int) -> None:
        self.current = current
        super().__init__(
            f"event {event_id} changed since version {expected} (now version {current}): "
            "reload it and apply your change again"
        )


class InvalidChange(ReviewError):
    status = 422


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str

    def may(self, role: str) -> bool:
        """Roles are ordered: an admin may do what a coder may, a coder what a viewer may."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True, slots=True)
class Revision:
    version: int
    username: str
    at: datetime
    field: str
    old: Any
    new: Any
    reason: str | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Reviews:
    """The review and accounts service over one store (used by the API and the CLI)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- accounts -------------------------------------------------------------------------

    def add_user(self, username: str, password: str, role: str, *, by: str | None = None) -> User:
        if not _USERNAME.match(username):
            raise InvalidChange(
                f"username {username!r}: use 2-64 lower-case letters, digits, '.', '_' or '-'"
            )
        if len(password) < MIN_PASSWORD:
            raise InvalidChange(f"password too short: use at least {MIN_PASSWORD} characters")
        self._check_role(role)
        row = UserRow(
            username=username, password_hash=_hasher.hash(password), role=role, created_at=_now()
        )
        try:
            with self.store.sessions.begin() as session:
                session.add(row)
                session.flush()
                self._audit(session, by, "user.add", username, {"role": role})
        except IntegrityError:
            raise InvalidChange(f"user {username!r} already exists") from None
        return User(row.id, username, role)

    def set_role(self, username: str, role: str, *, by: str | None = None) -> User:
        self._check_role(role)
        with self.store.sessions.begin() as session:
            row = self._user_row(session, username)
            old = row.role
            row.role = role
            self._audit(session, by, "user.role", username, {"old": old, "new": role})
            return User(row.id, row.username, role)

    def users(self) -> list[User]:
        with self.store.sessions() as session:
            rows = session.scalars(select(UserRow).order_by(UserRow.username)).all()
            return [User(r.id, r.username, r.role) for r in rows]

    def authenticate(self, username: str, password: str) -> User | None:
        with self.store.sessions.begin() as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username))
            ok = _hasher.verify(password, row.password_hash if row else _dummy_hash())
            self._audit(session, username, "login" if ok and row else "login.failed", None, None)
            if not ok or row is None:
                return None
            return User(row.id, row.username, row.role)

    def start_session(self, user: User) -> tuple[str, str]:
        """A new browser session: (session id for the cookie, CSRF token for the page)."""
        session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.store.sessions.begin() as session:
            session.add(
                SessionRow(
                    id_hash=_digest(session_id),
                    user_id=user.id,
                    csrf_token=csrf,
                    created_at=_now(),
                    expires_at=_now() + SESSION_LIFETIME,
                )
            )
        return session_id, csrf

    def session_user(self, session_id: str) -> tuple[User, str] | None:
        with self.store.sessions() as session:
            found = session.execute(
                select(SessionRow, UserRow)
                .join(UserRow, UserRow.id == SessionRow.user_id)
                .where(SessionRow.id_hash == _digest(session_id))
            ).first()
            if found is None:
                return None
            row, user = found
            if _aware(row.expires_at) < _now():
                return None
            return User(user.id, user.username, user.role), row.csrf_token

    def end_session(self, session_id: str) -> None:
        with self.store.sessions.begin() as session:
            row = session.get(SessionRow, _digest(session_id))
            if row is not None:
                session.delete(row)

    def create_token(self, username: str, name: str = "cli") -> str:
        token = "rasd_" + secrets.token_urlsafe(32)
        with self.store.sessions.begin() as session:
            user = self._user_row(session, username)
            session.add(
                ApiTokenRow(
                    token_hash=_digest(token), user_id=user.id, name=name, created_at=_now()
                )
            )
            self._audit(session, username, "token.create", name, None)
        return token

    def token_user(self, token: str) -> User | None:
        with self.store.sessions() as session:
            user = session.scalar(
                select(UserRow)
                .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
                .where(ApiTokenRow.token_hash == _digest(token))
            )
            return User(user.id, user.username, user.role) if user else None

    # -- audit ----------------------------------------------------------------------------

    def audit(self, username: str | None, action: str, target: str | None, details: Any) -> None:
        with self.store.sessions.begin() as session:
            self._audit(session, username, action, target, details)

    def audit_log(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.store.sessions() as session:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)).all()
            return [
                {
                    "at": _aware(r.at).isoformat(),
                    "username": r.username,
                    "action": r.action,
                    "target": r.target,
                    "details": r.details,
                }
                for r in rows
            ]

    # -- review ---------------------------------------------------------------------------

    def queue(self, *, status: str | None = None, limit: int = 100, offset: int = 0) -> list[str]:
        """Event ids to review: unreviewed first, then by date; optionally one status only."""
        order = case((EventRow.status == "suggested", 0), else_=1)
        query = select(EventRow.id).order_by(order, EventRow.date_start, EventRow.id)
        if status is not None:
            query = query.where(EventRow.status == status)
        with self.store.sessions() as session:
            return list(session.scalars(query.limit(limit).offset(offset)))

    def update(
        self,
        event_id: str,
        changes: Mapping[str, Any],
        *,
        version: int,
        username: str,
        reason: str | None = None,
    ) -> StoredEvent:
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise InvalidChange(
                f"cannot edit {', '.join(unknown)} (editable: {', '.join(EDITABLE)})"
            )
        with self.store.sessions.begin() as session:
            row = self._event_row(session, event_id, version)
            old = EventRecord.model_validate(row.record)
            data = old.model_dump(mode="json")
            data.update(changes)
            try:
                new = EventRecord.model_validate(data)
            except ValidationError as error:
                raise InvalidChange(_describe(error)) from None
            if new.date_start and new.date_end and new.date_start > new.date_end:
                raise InvalidChange("date_start is after date_end")
            changed = {
                name: (getattr(old, name), getattr(new, name))
                for name in changes
                if getattr(old, name) != getattr(new, name)
            }
            if not changed:
                return StoredEvent(old, row.status, row.version)
            _copy_record(row, new)
            self._flush(session, event_id, version)
            for name, (before, after) in changed.items():
                session.add(
                    RevisionRow(
                        event_id=event_id,
                        version=row.version,
                        username=username,
                        at=_now(),
                        field=name,
                        old=_json(before),
                        new=_json(after),
                        reason=reason,
                    )
                )
            self._audit(session, username, "review.edit", event_id, {"fields": sorted(changed)})
            return StoredEvent(new, row.status, row.version)

    def transition(
        self,
        event_id: str,
        action: str,
        *,
        version: int,
        username: str,
        reason: str | None = None,
    ) -> StoredEvent:
        if action not in TRANSITIONS:
            raise InvalidChange(f"unknown action {action!r} (known: {', '.join(TRANSITIONS)})")
        allowed, target = TRANSITIONS[action]
        if action == "reject" and reason not in REJECT_REASONS:
            raise InvalidChange(f"reject needs a reason: one of {', '.join(REJECT_REASONS)}")
        with self.store.sessions.begin() as session:
            row = self._event_row(session, event_id, version)
            if row.status not in allowed:
                raise InvalidChange(f"cannot {action} an event that is {row.status}")
            before = row.status
            row.status = target
            self._flush(session, event_id, version)
            session.add(
                RevisionRow(
                    event_id=event_id,
                    version=row.version,
                    username=username,
                    at=_now(),
                    field="status",
                    old=before,
                    new=target,
                    reason=reason,
                )
            )
            self._audit(session, username, f"review.{action}", event_id, {"reason": reason})
            return StoredEvent(EventRecord.model_validate(row.record), row.status, row.version)

    def merge(
        self,
        keep_id: str,
        drop_id: str,
        *,
        versions: tuple[int, int],
        username: str,
    ) -> StoredEvent:
        """One real event told twice: ``keep`` takes the other's claims and reports.

        The other one is then rejected as a duplicate pointing at ``keep``.
        """
        if keep_id == drop_id:
            raise InvalidChange("cannot merge an event with itself")
        with self.store.sessions.begin() as session:
            keep = self._event_row(session, keep_id, versions[0])
            drop = self._event_row(session, drop_id, versions[1])
            kept = EventRecord.model_validate(keep.record)
            dropped = EventRecord.model_validate(drop.record)
            claims = kept.claims + [c for c in dropped.claims if c not in kept.claims]
            documents = kept.document_ids + [
                d for d in dropped.document_ids if d not in kept.document_ids
            ]
            merged = kept.model_copy(
                update={
                    "claims": claims,
                    "document_ids": documents,
                    "evidence": kept.evidence + list(dropped.evidence),
                    "fatalities": _bounds(kept.fatalities, dropped.fatalities),
                    "injured": _bounds(kept.injured, dropped.injured),
                    "detained": _bounds(kept.detained, dropped.detained),
                }
            )
            _copy_record(keep, merged)
            linked = {d.document_id for d in keep.documents}
            for document_id in documents:
                if document_id not in linked:
                    session.add(EventDocumentRow(event_id=keep_id, document_id=document_id))
            drop.status = "rejected"
            self._flush(session, keep_id, versions[0])
            now = _now()
            session.add_all(
                [
                    RevisionRow(
                        event_id=keep_id, version=keep.version, username=username, at=now,
                        field="merged_from", old=None, new=drop_id, reason="duplicate",
                    ),
                    RevisionRow(
                        event_id=drop_id, version=drop.version, username=username, at=now,
                        field="status", old="suggested", new="rejected",
                        reason=f"duplicate of {keep_id}",
                    ),
                ]
            )  # fmt: skip
            self._audit(session, username, "review.merge", keep_id, {"merged": drop_id})
            return StoredEvent(merged, keep.status, keep.version)

    def split(
        self,
        event_id: str,
        claim_indexes: Iterable[int],
        *,
        version: int,
        username: str,
    ) -> tuple[StoredEvent, StoredEvent]:
        """Two real events told as one: the chosen claims move to a new event.

        The new event is suggested, so it is reviewed in turn; the other claims stay.
        """
        chosen = sorted(set(claim_indexes))
        with self.store.sessions.begin() as session:
            row = self._event_row(session, event_id, version)
            record = EventRecord.model_validate(row.record)
            if not chosen or any(i < 0 or i >= len(record.claims) for i in chosen):
                raise InvalidChange(
                    f"split needs claim indexes between 0 and {len(record.claims) - 1}"
                )
            moved = [c for i, c in enumerate(record.claims) if i in chosen]
            kept = [c for i, c in enumerate(record.claims) if i not in chosen]
            number = 1 + (
                session.scalar(select(func.count()).where(EventRow.id.like(f"{event_id}-split-%")))
                or 0
            )
            new_id = f"{event_id}-split-{number}"
            new_record = record.model_copy(update={"event_id": new_id, "claims": moved})
            _copy_record(row, record.model_copy(update={"claims": kept}))
            self._flush(session, event_id, version)
            new_row = event_row(new_record, record.document_ids[0])
            new_row.documents = [EventDocumentRow(document_id=d) for d in record.document_ids]
            session.add(new_row)
            session.add(
                RevisionRow(
                    event_id=event_id,
                    version=row.version,
                    username=username,
                    at=_now(),
                    field="split_into",
                    old=None,
                    new=new_id,
                    reason=None,
                )
            )
            self._audit(session, username, "review.split", event_id, {"new": new_id})
            session.flush()
            return (
                StoredEvent(EventRecord.model_validate(row.record), row.status, row.version),
                StoredEvent(new_record, new_row.status, new_row.version),
            )

    def history(self, event_id: str) -> list[Revision]:
        with self.store.sessions() as session:
            rows = session.scalars(
                select(RevisionRow).where(RevisionRow.event_id == event_id).order_by(RevisionRow.id)
            ).all()
            return [
                Revision(r.version, r.username, _aware(r.at), r.field, r.old, r.new, r.reason)
                for r in rows
            ]

    def retract(self, document_id: str, *, username: str, reason: str | None) -> None:
        """An admin withdraws a report: it is kept (never deleted), marked, and audited.

        Its events are rejected so that they leave the queue and the gold export.
        """
        with self.store.sessions.begin() as session:
            if session.get(DocumentRow, document_id) is None:
                raise NotFound(f"no document {document_id!r}")
            if session.get(RetractionRow, document_id) is not None:
                return
            session.add(
                RetractionRow(document_id=document_id, username=username, at=_now(), reason=reason)
            )
            linked = select(EventDocumentRow.event_id).where(
                EventDocumentRow.document_id == document_id
            )
            for row in session.scalars(select(EventRow).where(EventRow.id.in_(linked))):
                row.status = "rejected"
            self._audit(session, username, "document.retract", document_id, {"reason": reason})

    def retracted(self) -> set[str]:
        with self.store.sessions() as session:
            return set(session.scalars(select(RetractionRow.document_id)))

    # -- gold -----------------------------------------------------------------------------

    def gold(
        self, statuses: tuple[str, ...] = ("reviewed", "published")
    ) -> Iterator[dict[str, Any]]:
        """Reviewed events as gold records (``docs/gold-format.md``), one per report.

        A report appears once all its events are reviewed (rejected ones included), so a
        report whose events were all rejected as "not an event" becomes a negative example.
        """
        retracted = self.retracted()
        with self.store.sessions() as session:
            pairs = session.execute(
                select(EventDocumentRow.document_id, EventRow.status, EventRow.record)
                .join(EventRow, EventRow.id == EventDocumentRow.event_id)
                .order_by(EventDocumentRow.document_id, EventRow.date_start, EventRow.id)
            ).all()
        by_document: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for document_id, status, record in pairs:
            by_document.setdefault(document_id, []).append((status, record))
        for document_id, events in by_document.items():
            if document_id in retracted or any(s not in (*statuses, "rejected") for s, _ in events):
                continue
            stored = self.store.get_document(document_id)
            if stored is None:
                continue
            doc = stored.document
            yield {
                "id": doc.source.external_id or doc.id,
                "lang": doc.lang,
                "source": {
                    "url": doc.source.url,
                    "publisher": doc.source.publisher,
                    "published": doc.source.published.isoformat() if doc.source.published else None,
                },
                "text": doc.text,
                "events": [
                    gold_event(EventRecord.model_validate(r), doc.id)
                    for s, r in events
                    if s in statuses
                ],
                "notes": "exported from reviewed events by rasd export gold",
            }

    # -- helpers --------------------------------------------------------------------------

    def _event_row(self, session: Session, event_id: str, version: int) -> EventRow:
        row = session.get(EventRow, event_id)
        if row is None:
            raise NotFound(f"no event {event_id!r}")
        if row.version != version:
            raise VersionConflict(event_id, version, row.version)
        return row

    def _flush(self, session: Session, event_id: str, version: int) -> None:
        try:
            session.flush()
        except StaleDataError:
            current = self.store.get_event(event_id)
            raise VersionConflict(event_id, version, current.version if current else -1) from None

    def _user_row(self, session: Session, username: str) -> UserRow:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise NotFound(f"no user {username!r}")
        return row

    @staticmethod
    def _check_role(role: str) -> None:
        if role not in ROLES:
            raise InvalidChange(f"unknown role {role!r} (roles: {', '.join(ROLES)})")

    @staticmethod
    def _audit(
        session: Session, username: str | None, action: str, target: str | None, details: Any
    ) -> None:
        session.add(
            AuditRow(at=_now(), username=username, action=action, target=target, details=details)
        )


def _copy_record(row: EventRow, record: EventRecord) -> None:
    """Point an event row at a new record: plain columns and child rows follow the record."""
    fresh = event_row(record, record.document_ids[0] if record.document_ids else "")
    for column in EventRow.__table__.columns:
        if column.key not in ("id", "status", "version", "created_at"):
            setattr(row, column.key, getattr(fresh, column.key))
    row.actors = fresh.actors
    row.claims = fresh.claims
    row.evidence = fresh.evidence
    row.flags = fresh.flags


def _bounds(one: Any, two: Any) -> Any:
    lows = [v for v in (one.low, two.low) if v is not None]
    highs = [v for v in (one.high, two.high) if v is not None]
    return one.model_copy(
        update={
            "low": min(lows) if lows else None,
            "high": max(highs) if highs else None,
            "best": one.best if one.best is not None else two.best,
        }
    )


def _json(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_json(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _describe(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())


def _span_text(record: EventRecord, field: str, document_id: str) -> str | None:
    for item in record.evidence:
        if item.field == field and item.span.document_id == document_id:
            return item.span.text
    return None


def gold_event(record: EventRecord, document_id: str) -> dict[str, Any]:
    """One reviewed record in the gold format; spans come from the record's evidence."""
    location = record.location
    event: dict[str, Any] = {
        "event_type": record.event_type,
        "sub_event_type": record.sub_event_type,
        "date": {
            "start": record.date_start.isoformat() if record.date_start else None,
            "end": record.date_end.isoformat() if record.date_end else None,
            "precision": record.date_precision,
            "span": _span_text(record, "date", document_id),
        },
        "location": None
        if location is None
        else {
            "span": location.span.text
            if location.span
            else _span_text(record, "location", document_id),
            "name": location.name,
            "country": location.country,
            "admin1": location.admin1,
            "lat": location.latitude,
            "lon": location.longitude,
            "precision": location.precision,
            "geonames_id": location.geonames_id,
        },
        "fatalities": record.fatalities.model_dump(),
        "injured": record.injured.model_dump(),
        "detained": record.detained.model_dump(),
        "claims": [
            {
                "quantity": c.quantity,
                "span": c.span.text,
                "low": c.low,
                "best": c.best,
                "high": c.high,
                "qualifier": c.qualifier,
                "attributed_to": c.attributed_to,
                "attribution_span": c.attribution_span.text if c.attribution_span else None,
            }
            for c in record.claims
            if c.span.document_id == document_id
        ],
        "evidence": " ".join(
            e.span.text
            for e in record.evidence
            if e.field == "event" and e.span.document_id == document_id
        )
        or None,
    }
    for key in ("actor1", "actor2"):
        actor = getattr(record, key)
        event[key] = (
            None
            if actor is None
            else {
                "span": actor.span.text if actor.span else None,
                "name": actor.name,
                "kind": actor.kind,
            }
        )
    return event
