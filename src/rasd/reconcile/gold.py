"""Event records built from gold annotations, so clustering is measured apart from extraction.

A gold report (``docs/gold-format.md``) gives spans as copied text; here they become offsets
(the first occurrence in the text), so flags built from gold events carry real evidence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rasd.document import content_id
from rasd.errors import InputError
from rasd.reconcile.model import Report
from rasd.records import Actor, Claim, EventRecord, Evidence, Figures, Location, SpanRef

BY = "gold"


def _span(text: str, doc_id: str, fragment: str | None) -> SpanRef | None:
    if not fragment:
        return None
    start = text.find(fragment)
    if start < 0:
        return None
    return SpanRef(document_id=doc_id, start=start, end=start + len(fragment), text=fragment)


def _figures(data: dict[str, Any] | None) -> Figures:
    if not data:
        return Figures()
    return Figures(low=data.get("low"), best=data.get("best"), high=data.get("high"))


def _actor(text: str, doc_id: str, data: dict[str, Any] | None) -> Actor | None:
    if not data:
        return None
    return Actor(
        name=data["name"], kind=data.get("kind"), span=_span(text, doc_id, data.get("span"))
    )


def _gold_event(text: str, doc_id: str, n: int, data: dict[str, Any]) -> EventRecord:
    """One gold event as an EventRecord; its id is ``<doc id>#<n>``."""
    when = data.get("date") or {}
    where = data.get("location")
    evidence: list[Evidence] = []
    for field, fragment in (
        ("date", when.get("span")),
        ("location", where.get("span") if where else None),
        ("evidence", data.get("evidence")),
    ):
        span = _span(text, doc_id, fragment)
        if span is not None:
            evidence.append(Evidence(field=field, span=span, by=BY))
    claims = []
    for claim in data.get("claims") or []:
        span = _span(text, doc_id, claim["span"]) or SpanRef(
            document_id=doc_id, start=0, end=0, text=""
        )
        claims.append(
            Claim(
                quantity=claim["quantity"],
                low=claim.get("low"),
                best=claim.get("best"),
                high=claim.get("high"),
                qualifier=claim["qualifier"],
                span=span,
                attributed_to=claim.get("attributed_to"),
                attribution_span=_span(text, doc_id, claim.get("attribution_span")),
                by=BY,
            )
        )
    location = None
    if where:
        location = Location(
            name=where["name"],
            country=where.get("country"),
            admin1=where.get("admin1"),
            latitude=where.get("lat"),
            longitude=where.get("lon"),
            precision=where["precision"],
            geonames_id=where.get("geonames_id"),
            span=_span(text, doc_id, where.get("span")),
        )
    actor2 = _actor(text, doc_id, data.get("actor2"))
    return EventRecord(
        event_id=f"{doc_id}#{n}",
        document_ids=[doc_id],
        event_type=data["event_type"],
        sub_event_type=data.get("sub_event_type"),
        date_start=date.fromisoformat(when["start"]) if when.get("start") else None,
        date_end=date.fromisoformat(when["end"]) if when.get("end") else None,
        date_precision=when.get("precision"),
        actor1=_actor(text, doc_id, data.get("actor1")),
        actor2=actor2,
        civilian_targeting=actor2 is not None and actor2.kind == "civilians",
        location=location,
        fatalities=_figures(data.get("fatalities")),
        injured=_figures(data.get("injured")),
        detained=_figures(data.get("detained")),
        claims=claims,
        evidence=evidence,
    )


def _gold_report(record: dict[str, Any]) -> Report:
    text = record["text"]
    doc_id = record.get("id") or content_id(text)
    source = record.get("source") or {}
    published = source.get("published")
    return Report(
        document_id=doc_id,
        text=text,
        events=tuple(_gold_event(text, doc_id, n, e) for n, e in enumerate(record["events"])),
        publisher=source.get("publisher"),
        published=date.fromisoformat(published) if published else None,
        title=source.get("title"),
    )


@dataclass(frozen=True, slots=True)
class GoldReport:
    """A gold line: the report built from its events, and what the scorers need besides."""

    report: Report
    lang: str
    clusters: tuple[str | None, ...]  # the gold ``cluster`` of each event, in order
    notes: str


def read_gold(path: Path) -> Iterator[GoldReport]:
    """Each gold line as a report; a bad line names the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror or error})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            yield GoldReport(
                report=_gold_report(record),
                lang=record.get("lang", "ar"),
                clusters=tuple(e.get("cluster") for e in record["events"]),
                notes=record.get("notes") or "",
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InputError(f"{path}:{number}", f"not a gold report ({error})") from None
