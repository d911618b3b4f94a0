"""What the API sends and accepts: pydantic models, so ``/docs`` shows every field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from rasd.records import EventRecord

EventType = Literal[
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Riots",
    "Protests",
    "Strategic developments",
]
EventStatus = Literal["suggested", "reviewed", "published"]


class SourceOut(BaseModel):
    publisher: str | None
    url: str | None
    published: date | None
    title: str | None
    path: str | None
    external_id: str | None


class DocumentItem(BaseModel):
    id: str
    lang: str
    title: str | None
    publisher: str | None
    url: str | None
    published: date | None
    path: str | None
    ingested_at: datetime
    excerpt: str
    events: int


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentItem]


class MentionOut(BaseModel):
    kind: str
    start: int
    end: int
    text: str
    value: JsonValue
    by: str


class FlagOut(BaseModel):
    kind: str
    message: str
    spans: list[tuple[int, int]]
    by: str


class DocumentOut(BaseModel):
    id: str
    lang: str
    source: SourceOut
    text: str
    ingested_at: datetime
    stages: list[str]
    sentences: list[tuple[int, int]]
    mentions: list[MentionOut]
    flags: list[FlagOut]
    event_ids: list[str]


class EventItem(BaseModel):
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
    document_ids: list[str]


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EventItem]


class EventOut(BaseModel):
    """One event: the full record (claims, evidence, flags) and its review state."""

    status: str
    version: int
    event: EventRecord


class UploadJSON(BaseModel):
    """A report sent as JSON; the same fields as one line of a JSON Lines input."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    published: date | None = None
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=4000)
    publisher: str | None = Field(default=None, max_length=1000)
    lang: Literal["ar", "en"] | None = None


class UploadStatus(BaseModel):
    """Where an upload stands: queued → working → done (events stored) or failed (why)."""

    id: str
    status: Literal["queued", "working", "done", "failed"]
    status_url: str
    document_url: str | None = None  # once done
    events: int | None = None  # once done
    error: str | None = None  # when failed


class ErrorOut(BaseModel):
    detail: str
