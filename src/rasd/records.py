"""The event record: the row a coder would otherwise type by hand, with its evidence.

Columns follow ``docs/design.md`` (ACLED / UCDP GED fields plus claims, evidence, flags and grade).
Inside Rasd unknown is ``None``, never 0; exports apply each standard's own rules. These are
pydantic models because they cross the edges: JSON output, the database, the API and the gold
format.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DatePrecision = Literal["day", "week", "month", "year"]
GeoPrecision = Literal["point", "city", "admin2", "admin1", "country", "region"]
Qualifier = Literal["exact", "approx", "at_least", "at_most", "range", "vague", "derived"]
Quantity = Literal[
    "fatalities",
    "injured",
    "detained",
    "missing",
    "displaced",
    "casualties",
    "participants",
    "survivors",
]
Role = Literal["perpetrator", "target", "associated"]
ActorKind = Literal[
    "state forces", "rebel group", "militia", "civilians", "protesters", "external", "other"
]
Grade = Literal["confirmed", "fair", "weak", "contested", "discounted"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpanRef(Record):
    """A span of one document's original text (0-based, end-exclusive code-point offsets)."""

    document_id: str
    start: int
    end: int
    text: str


class Evidence(Record):
    """Which span a field's value came from and the rule or model that made it."""

    field: str
    span: SpanRef
    by: str


class Figures(Record):
    low: int | None = None
    best: int | None = None
    high: int | None = None


class Claim(Record):
    """One figure as a report states it, with what it counts and who says so."""

    quantity: Quantity
    low: int | None
    best: int | None
    high: int | None
    qualifier: Qualifier
    span: SpanRef
    victims: str | None = None
    attributed_to: str | None = None
    attribution_span: SpanRef | None = None
    derivation: str | None = None
    parts: list[int] = Field(default_factory=list)
    by: str


class Actor(Record):
    """An actor as named in the lexicon (or built from a pattern), with its side in the event."""

    name: str
    kind: ActorKind | None = None
    wikidata: str | None = None
    role: Role | None = None
    country: str | None = None
    span: SpanRef | None = None


class EventFlag(Record):
    """A contradiction or failed check, with both sides' evidence."""

    kind: str
    message: str
    evidence: list[SpanRef] = Field(default_factory=list)
    by: str


class Location(Record):
    name: str
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: GeoPrecision
    geonames_id: int | None = None
    relation: str | None = None
    span: SpanRef | None = None


class EventRecord(Record):
    event_id: str
    document_ids: list[str]
    event_type: str
    sub_event_type: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    date_precision: DatePrecision | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc_actors: list[Actor] = Field(default_factory=list)
    civilian_targeting: bool = False
    location: Location | None = None
    fatalities: Figures = Field(default_factory=Figures)
    injured: Figures = Field(default_factory=Figures)
    detained: Figures = Field(default_factory=Figures)
    claims: list[Claim] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    flags: list[EventFlag] = Field(default_factory=list)
    grade: Grade | None = None
    confidence: float = 0.0
    summary: str | None = None
    disorder_type: str | None = None
