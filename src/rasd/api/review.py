"""Review endpoints: queue, edits, accept/reject/publish, merge, split, history, gold, audit.

Every write names the event version it is based on (optimistic locking: a stale one is a 409).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rasd.api.auth import Auth
from rasd.errors import RasdError
from rasd.gazetteer.index import PlaceRecord
from rasd.recognize.places import PRECISION, load_gazetteer_for
from rasd.records import EventRecord
from rasd.resources import Resources
from rasd.store import Store, StoredEvent
from rasd.store.review import EDITABLE, REJECT_REASONS, ReviewError, User


class ReviewedEvent(BaseModel):
    status: str
    version: int
    event: EventRecord


class EditIn(BaseModel):
    version: int = Field(ge=1)
    changes: dict[str, Any] = Field(description=f"fields to change: {', '.join(EDITABLE)}")
    reason: str | None = Field(default=None, max_length=2000)


class ActionIn(BaseModel):
    version: int = Field(ge=1)
    reason: str | None = Field(default=None, max_length=2000)


class MergeIn(BaseModel):
    keep: str = Field(max_length=128)
    keep_version: int = Field(ge=1)
    drop: str = Field(max_length=128)
    drop_version: int = Field(ge=1)


class SplitIn(BaseModel):
    version: int = Field(ge=1)
    claims: list[int] = Field(min_length=1, max_length=1000)


class RevisionOut(BaseModel):
    version: int
    username: str
    at: datetime
    field: str
    old: Any
    new: Any
    reason: str | None


class QueueItem(BaseModel):
    id: str
    status: str
    version: int
    event_type: str
    sub_event_type: str | None
    date_start: str | None
    location: str | None
    fatalities_best: int | None


class PlaceOut(BaseModel):
    """A gazetteer place as the review form takes it."""

    id: str
    name: str
    name_ar: str
    feature: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    precision: str
    geonames_id: int | None


class RetractIn(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)


_log = logging.getLogger(__name__)


def _out(stored: StoredEvent) -> ReviewedEvent:
    return ReviewedEvent(status=stored.status, version=stored.version, event=stored.record)


async def _run(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return await run_in_threadpool(function, *args, **kwargs)
    except ReviewError as error:
        raise HTTPException(error.status, str(error)) from None


def _search_places(query: str, limit: int) -> list[PlaceRecord]:
    from rasd.gazetteer.search import search_places
    from rasd.normalize import load_charmap

    resources = _resources()
    return search_places(load_gazetteer_for(resources), load_charmap(resources), query, limit)


@functools.cache
def _resources() -> Resources:
    return Resources()


def _admin1_name(place: PlaceRecord) -> str:
    """The admin-1 unit's English name, as event records hold it (not its code)."""
    if place.feature == "country" or not place.admin1:
        return ""
    unit = load_gazetteer_for(_resources()).admin1(place.country, place.admin1)
    return (unit.name_en or unit.name_ar) if unit is not None else place.admin1


def _recluster(store: Store, records: list[EventRecord | None]) -> None:
    """After a coder's change, the blocks the event left and entered are reconciled again.

    The change is already committed; a failure here is logged and the next ingest or
    ``rasd reconcile --db`` catches up, so the coder's work is never refused for it.
    """
    from rasd.store.reconcile import Clusters, blocks_of

    try:
        Clusters(store).reconcile_blocks(blocks_of(r for r in records if r is not None))
    except RasdError as error:
        _log.warning("reconciliation after a review change failed: %s", error)


def _record_of(store: Store, event_id: str) -> EventRecord | None:
    stored = store.get_event(event_id)
    return stored.record if stored is not None else None


def review_page_router() -> APIRouter:
    """``/review``: the page itself is public (it holds no report data; its API calls are not)."""
    router = APIRouter()
    page = Path(str(resources.files("rasd.web") / "static" / "review.html"))

    @router.get("/review", include_in_schema=False)
    def review_page() -> FileResponse:
        return FileResponse(page, media_type="text/html; charset=utf-8")

    return router


def review_router(store: Store, auth: Auth) -> APIRouter:
    reviews = auth.reviews
    router = APIRouter(prefix="/api", tags=["review"])
    viewer = Depends(auth.require("viewer", "coder"))
    coder = Depends(auth.require("coder", "coder"))
    admin = Depends(auth.require("admin", "admin"))

    @router.get(
        "/places",
        response_model=list[PlaceOut],
        summary="Search the gazetteer by Arabic, Persian or English name (or its start)",
    )
    async def places(
        q: Annotated[str, Query(min_length=1, max_length=100)],
        _user: User = viewer,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> list[PlaceOut]:
        found = await run_in_threadpool(_search_places, q, limit)
        return [
            PlaceOut(
                id=p.id,
                name=p.name_en or p.name_ar,
                name_ar=p.name_ar,
                feature=p.feature,
                country=p.country,
                admin1=_admin1_name(p),
                latitude=p.lat,
                longitude=p.lon,
                precision=PRECISION.get(p.feature, "city"),
                geonames_id=p.geonames_id,
            )
            for p in found
        ]

    @router.get("/review/queue", response_model=list[QueueItem], summary="Events to review")
    def queue(
        _user: User = viewer,
        status: Annotated[
            Literal["suggested", "reviewed", "published", "rejected"] | None, Query()
        ] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[QueueItem]:
        items = []
        for event_id in reviews.queue(status=status, limit=limit, offset=offset):
            stored = store.get_event(event_id)
            if stored is None:
                continue
            record = stored.record
            items.append(
                QueueItem(
                    id=event_id,
                    status=stored.status,
                    version=stored.version,
                    event_type=record.event_type,
                    sub_event_type=record.sub_event_type,
                    date_start=record.date_start.isoformat() if record.date_start else None,
                    location=record.location.name if record.location else None,
                    fatalities_best=record.fatalities.best,
                )
            )
        return items

    @router.patch(
        "/events/{event_id}", response_model=ReviewedEvent, summary="Correct an event's fields"
    )
    async def edit(event_id: str, body: EditIn, user: User = coder) -> ReviewedEvent:
        before = await run_in_threadpool(_record_of, store, event_id)
        stored = await _run(
            reviews.update,
            event_id,
            body.changes,
            version=body.version,
            username=user.username,
            reason=body.reason,
        )
        await run_in_threadpool(_recluster, store, [before, stored.record])
        return _out(stored)

    @router.post(
        "/events/{event_id}/split",
        response_model=list[ReviewedEvent],
        summary="Move some claims to a new event",
    )
    async def split(event_id: str, body: SplitIn, user: User = coder) -> list[ReviewedEvent]:
        kept, new = await _run(
            reviews.split, event_id, body.claims, version=body.version, username=user.username
        )
        await run_in_threadpool(_recluster, store, [kept.record, new.record])
        return [_out(kept), _out(new)]

    @router.post(
        "/events/{event_id}/{action}",
        response_model=ReviewedEvent,
        summary=f"accept / publish / reject (reason: {' | '.join(REJECT_REASONS)}) / reopen",
    )
    async def act(
        event_id: str,
        action: Literal["accept", "publish", "reject", "reopen"],
        body: ActionIn,
        user: User = coder,
    ) -> ReviewedEvent:
        stored = await _run(
            reviews.transition,
            event_id,
            action,
            version=body.version,
            username=user.username,
            reason=body.reason,
        )
        if action in ("reject", "reopen"):  # rejected events leave their cluster
            await run_in_threadpool(_recluster, store, [stored.record])
        return _out(stored)

    @router.post("/review/merge", response_model=ReviewedEvent, summary="Merge two events")
    async def merge(body: MergeIn, user: User = coder) -> ReviewedEvent:
        dropped = await run_in_threadpool(_record_of, store, body.drop)
        stored = await _run(
            reviews.merge,
            body.keep,
            body.drop,
            versions=(body.keep_version, body.drop_version),
            username=user.username,
        )
        await run_in_threadpool(_recluster, store, [dropped, stored.record])
        return _out(stored)

    @router.get(
        "/events/{event_id}/history",
        response_model=list[RevisionOut],
        summary="Every change to an event: who, when, old and new value, reason",
    )
    def history(event_id: str, _user: User = viewer) -> list[RevisionOut]:
        if store.get_event(event_id) is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return [RevisionOut(**asdict(r)) for r in reviews.history(event_id)]

    @router.get("/review/gold", summary="Reviewed events as gold JSON Lines")
    def gold(
        user: User = coder,
        status: Annotated[Literal["reviewed", "published"], Query()] = "reviewed",
    ) -> StreamingResponse:
        statuses = ("reviewed", "published") if status == "reviewed" else ("published",)
        reviews.audit(user.username, "export", "gold", {"status": status})

        def lines() -> Iterator[bytes]:
            for record in reviews.gold(statuses):
                yield (json.dumps(record, ensure_ascii=False) + "\n").encode()

        return StreamingResponse(
            lines(),
            media_type="application/x-ndjson",
            headers={"content-disposition": 'attachment; filename="rasd-gold.jsonl"'},
        )

    @router.get("/audit", summary="The audit log (admins)")
    def audit(
        _user: User = admin, limit: Annotated[int, Query(ge=1, le=5000)] = 200
    ) -> list[dict[str, Any]]:
        return reviews.audit_log(limit)

    @router.post(
        "/documents/{document_id}/retract",
        status_code=204,
        summary="Withdraw a report (admins): kept, hidden from review, logged",
    )
    async def retract(document_id: str, body: RetractIn, user: User = admin) -> None:
        await _run(reviews.retract, document_id, username=user.username, reason=body.reason)

    return router
