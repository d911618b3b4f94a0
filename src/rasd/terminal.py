"""The terminal view of one analysed report: its event records first, each value with its evidence.

A coder reads this to check Rasd's work, so every field is followed by the words it came from; the
raw mentions (every date, number, place … found, used or not) are listed only on request.
"""

from __future__ import annotations

import json
from typing import TextIO

from rich.console import Console
from rich.table import Table

from rasd.document import Document
from rasd.records import Actor, EventRecord, Figures


def print_document(doc: Document, stream: TextIO, *, mentions: bool = False) -> None:
    console = Console(file=stream, highlight=False, width=120)
    published = doc.source.published.isoformat() if doc.source.published else "unknown"
    console.print(
        f"{doc.source.path or doc.id} · {doc.lang} · published {published} · "
        f"{len(doc.sentences)} sentences · {len(doc.events)} events",
        markup=False,
        style="bold",
    )
    for number, event in enumerate(doc.events, 1):
        _print_event(console, number, event)
    for flag in doc.flags:
        console.print(f"flag {flag.kind}: {flag.message}", markup=False)
    if mentions:
        _print_mentions(console, doc)


def _print_event(console: Console, number: int, event: EventRecord) -> None:
    table = Table(
        title=f"event {number} · {event.event_id}", title_justify="left", show_header=False
    )
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("from the text", overflow="fold")
    evidence = {item.field: item.span.text for item in event.evidence}
    table.add_row(
        "type",
        f"{event.event_type} / {event.sub_event_type or '—'}",
        evidence.get("event_type", ""),
    )
    table.add_row("date", _date(event), evidence.get("date", ""))
    location = event.location
    if location is not None:
        where = ", ".join(p for p in (location.name, location.admin1, location.country) if p)
        coordinates = (
            f" ({location.latitude:.3f}, {location.longitude:.3f})"
            if location.latitude is not None and location.longitude is not None
            else ""
        )
        span = location.span.text if location.span else ""
        table.add_row("place", f"{where}{coordinates} · {location.precision}", span)
    for label, actor in (("actor 1", event.actor1), ("actor 2", event.actor2)):
        if actor is not None:
            table.add_row(label, _actor(actor), actor.span.text if actor.span else "")
    for actor in event.assoc_actors:
        table.add_row("associated", _actor(actor), actor.span.text if actor.span else "")
    for quantity in ("fatalities", "injured", "detained"):
        figures: Figures = getattr(event, quantity)
        if figures.low is not None or figures.best is not None or figures.high is not None:
            table.add_row(
                quantity, f"low {figures.low} · best {figures.best} · high {figures.high}"
            )
    for claim in event.claims:
        source = f" according to {claim.attributed_to}" if claim.attributed_to else ""
        victims = f" {claim.victims}" if claim.victims else ""
        table.add_row(
            "claim",
            f"{claim.quantity}{victims}: {_bounds(claim.low, claim.best, claim.high)} "
            f"({claim.qualifier}){source}",
            claim.span.text,
        )
    for flag in event.flags:
        table.add_row(
            "flag", f"{flag.kind}: {flag.message}", " | ".join(s.text for s in flag.evidence)
        )
    console.print(table)


def _date(event: EventRecord) -> str:
    if event.date_start is None:
        return "unknown"
    text = event.date_start.isoformat()
    if event.date_end is not None and event.date_end != event.date_start:
        text += f" … {event.date_end.isoformat()}"
    return f"{text} · {event.date_precision or '?'}"


def _actor(actor: Actor) -> str:
    details = ", ".join(d for d in (actor.role, actor.kind, actor.wikidata) if d)
    return f"{actor.name} ({details})" if details else actor.name


def _bounds(low: int | None, best: int | None, high: int | None) -> str:
    if low == best == high:
        return str(best)
    if high is None:
        return f"at least {low}" if best in (None, low) else f"at least {low} (best {best})"
    return f"{low} to {high} (best {best})"


def _print_mentions(console: Console, doc: Document) -> None:
    table = Table(title="mentions", title_justify="left")
    for column in ("kind", "text", "value", "by"):
        table.add_column(column, overflow="fold")
    for mention in doc.mentions:
        table.add_row(
            mention.kind,
            doc.text[mention.start : mention.end],
            json.dumps(mention.value, ensure_ascii=False),
            mention.by,
        )
    console.print(table)
