"""Builders for reconciliation tests: event records written by hand, as the events stage would.

The example report is ``examples/mazar-i-sharif-1998.ar.txt``; the two other reports are texts
written for these tests (``tests/fixtures/reconcile/``). Their events are built here directly, as
the events stage would, with spans located in the texts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rasd.reconcile import Report
from rasd.records import (
    Actor,
    Claim,
    DatePrecision,
    EventRecord,
    Evidence,
    Figures,
    Location,
    Qualifier,
    Quantity,
    SpanRef,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "reconcile"

KABUL = Location(
    name="Kabul", country="AF", admin1="Kabul", latitude=34.53, longitude=69.17, precision="city"
)
MAZAR = Location(
    name="Mazar-i-Sharif",
    country="AF",
    admin1="Balkh",
    latitude=36.709,
    longitude=67.110,
    precision="city",
)
CONSULATE = Location(
    name="Iranian consulate, Mazar-i-Sharif",
    country="AF",
    admin1="Balkh",
    latitude=36.712,
    longitude=67.105,
    precision="point",
)
TALIBAN = Actor(name="Taliban", kind="rebel group")
MASSOUD = Actor(name="Forces of Ahmad Shah Massoud", kind="state forces")
CIVILIANS = Actor(name="Civilians (Afghanistan)", kind="civilians")


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def example_text() -> str:
    return (ROOT / "examples" / "mazar-i-sharif-1998.ar.txt").read_text(encoding="utf-8")


def span(doc_id: str, text: str, fragment: str, occurrence: int = 1) -> SpanRef:
    start = -1
    for _ in range(occurrence):
        start = text.index(fragment, start + 1)
    return SpanRef(document_id=doc_id, start=start, end=start + len(fragment), text=fragment)


def claim(
    doc_id: str,
    text: str,
    fragment: str,
    best: int,
    *,
    quantity: Quantity = "fatalities",
    qualifier: Qualifier = "exact",
    attributed_to: str | None = None,
    attribution: str | None = None,
    occurrence: int = 1,
    **extra: Any,
) -> Claim:
    bounded = qualifier in ("at_least", "vague", "derived")
    return Claim(
        quantity=quantity,
        low=best,
        best=best,
        high=None if bounded else best,
        qualifier=qualifier,
        span=span(doc_id, text, fragment, occurrence),
        attributed_to=attributed_to,
        attribution_span=span(doc_id, text, attribution, occurrence) if attribution else None,
        by="test",
        **extra,
    )


def event(
    doc_id: str,
    n: int,
    *,
    start: date,
    end: date | None = None,
    precision: DatePrecision = "day",
    event_type: str = "Violence against civilians",
    sub_event_type: str = "Attack",
    location: Location | None = MAZAR,
    actor1: Actor | None = TALIBAN,
    actor2: Actor | None = CIVILIANS,
    claims: tuple[Claim, ...] = (),
    fatalities: Figures | None = None,
    date_span: SpanRef | None = None,
) -> EventRecord:
    if fatalities is None:
        values = [c for c in claims if c.quantity == "fatalities"]
        fatalities = Figures(
            low=min((c.low for c in values if c.low is not None), default=None),
            best=max((c.best for c in values if c.best is not None), default=None),
            high=max((c.high for c in values if c.high is not None), default=None),
        )
    return EventRecord(
        event_id=f"{doc_id}#{n}",
        document_ids=[doc_id],
        event_type=event_type,
        sub_event_type=sub_event_type,
        date_start=start,
        date_end=end or start,
        date_precision=precision,
        actor1=actor1,
        actor2=actor2,
        location=location,
        fatalities=fatalities,
        claims=list(claims),
        evidence=[Evidence(field="date", span=date_span, by="test")] if date_span else [],
    )


def report(
    doc_id: str,
    events: list[EventRecord],
    *,
    text: str = "",
    publisher: str | None = None,
    published: date | None = None,
) -> Report:
    return Report(
        document_id=doc_id,
        text=text or f"report {doc_id}",
        events=tuple(events),
        publisher=publisher,
        published=published,
    )


def kabul_falls(
    doc_id: str, n: int, text: str, fragment: str, start: date, end: date
) -> EventRecord:
    return event(
        doc_id,
        n,
        start=start,
        end=end,
        precision="month" if (end - start).days > 7 else "day",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        location=KABUL,
        actor2=MASSOUD,
        date_span=span(doc_id, text, fragment),
    )
