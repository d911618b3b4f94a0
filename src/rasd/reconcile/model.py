"""What reconciliation reads (reports with their events) and what it returns (clusters and flags).

``Report`` is the seam for callers that do not hold ``Document`` objects (the store, a batch
worker): a report is its id, text, publisher, publication date and extracted events. Output models
are pydantic because they leave the process (JSON, the store, the API).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rasd.document import Document
from rasd.records import EventRecord, GeoPrecision, Grade, SpanRef

FlagKind = Literal[
    "date_conflict",
    "figure_conflict",
    "misattribution",
    "breakdown_mismatch",
    "internal_inconsistency",
]


@dataclass(frozen=True, slots=True)
class Report:
    """One report as reconciliation needs it: enough to cite, date and compare the text."""

    document_id: str
    text: str
    events: tuple[EventRecord, ...]
    publisher: str | None = None
    published: date | None = None
    title: str | None = None

    @classmethod
    def from_document(cls, doc: Document) -> Report:
        return cls(
            document_id=doc.id,
            text=doc.text,
            events=tuple(doc.events),
            publisher=doc.source.publisher,
            published=doc.source.published,
            title=doc.source.title,
        )


@dataclass(frozen=True, slots=True)
class Item:
    """One event of one report, the unit that is clustered; ``index`` is its position in the run."""

    index: int
    report: Report
    event: EventRecord
    block_months: tuple[tuple[int, int], ...] = field(default=())

    @property
    def document_id(self) -> str:
        return self.report.document_id


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Member(Model):
    """An event of one report inside a cluster."""

    document_id: str
    event_id: str
    publisher: str | None = None
    published: date | None = None
    source_group: int = Field(description="Reports in one group are copies of one story.")


class Link(Model):
    """Why two events were merged: the score of each field and the total."""

    document_ids: tuple[str, str]
    event_ids: tuple[str, str]
    score: float
    fields: dict[str, float]
    notes: list[str] = Field(default_factory=list)


class FlagSide(Model):
    """One side of a contradiction: who says what, where."""

    document_id: str
    publisher: str | None = None
    published: date | None = None
    says: str
    evidence: list[SpanRef] = Field(default_factory=list)


class ReconcileFlag(Model):
    kind: FlagKind
    message: str
    sides: list[FlagSide]
    quantity: str | None = None
    spread: tuple[int, int] | None = None
    by: str


class FigureRule(Model):
    """How a merged figure was chosen, so a reader can check it."""

    quantity: str
    low: int | None
    best: int | None
    high: int | None
    best_from: str | None = None
    claims_used: int = 0


class Cluster(Model):
    cluster_id: str
    event: EventRecord
    members: list[Member]
    links: list[Link] = Field(default_factory=list)
    flags: list[ReconcileFlag] = Field(default_factory=list)
    independent_sources: int
    grade: Grade
    grade_reason: str
    figures: list[FigureRule] = Field(default_factory=list)
    location_precision: GeoPrecision | None = None


class Reconciliation(Model):
    clusters: list[Cluster]

    @property
    def flags(self) -> list[ReconcileFlag]:
        return [flag for cluster in self.clusters for flag in cluster.flags]

    def cluster_of(self, document_id: str, event_id: str) -> Cluster:
        for cluster in self.clusters:
            for member in cluster.members:
                if member.document_id == document_id and member.event_id == event_id:
                    return cluster
        raise KeyError((document_id, event_id))
