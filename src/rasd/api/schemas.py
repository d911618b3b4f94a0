"""What the API sends and accepts: pydantic models, so ``/docs`` shows every field.

A page of events or documents holds the store's own summaries (dataclasses pydantic reads as
they are): one definition of a list row, and no copy into a model per row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from rasd.records import EventRecord
from rasd.store.database import DocumentSummary, EventSummary

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


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


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


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EventSummary]


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
