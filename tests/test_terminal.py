"""The terminal view: events first, every value beside the words it came from."""

from __future__ import annotations

import io
from datetime import date

from rasd.document import Document, Mention
from rasd.records import Claim, EventRecord, Evidence, Figures, Location, SpanRef
from rasd.terminal import print_document

TEXT = "قتل ما لا يقل عن 12 شخصا في قصف على مدينة حلب يوم 14 تموز 2015."


def span(doc: Document, words: str) -> SpanRef:
    start = doc.text.index(words)
    return SpanRef(document_id=doc.id, start=start, end=start + len(words), text=words)


def shelled_aleppo() -> Document:
    doc = Document(text=TEXT)
    count = span(doc, "ما لا يقل عن 12 شخصا")
    doc.mentions = [Mention("place", 41, 44, {"name": "Aleppo"}, "places.gazetteer")]
    doc.events = [
        EventRecord(
            event_id="ev-1",
            document_ids=[doc.id],
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            date_start=date(2015, 7, 14),
            date_end=date(2015, 7, 14),
            date_precision="day",
            location=Location(
                name="Aleppo", country="SY", precision="city", span=span(doc, "مدينة حلب")
            ),
            fatalities=Figures(low=12, best=12),
            claims=[
                Claim(
                    quantity="fatalities",
                    low=12,
                    best=12,
                    high=None,
                    qualifier="at_least",
                    span=count,
                    by="claims.count",
                )
            ],
            evidence=[
                Evidence(field="event_type", span=span(doc, "قصف"), by="events.trigger"),
                Evidence(field="date", span=span(doc, "14 تموز 2015"), by="dates.day_month"),
            ],
        )
    ]
    return doc


def shown(doc: Document, *, mentions: bool = False) -> str:
    stream = io.StringIO()
    print_document(doc, stream, mentions=mentions)
    return stream.getvalue()


def test_each_field_is_printed_beside_its_evidence() -> None:
    lines = shown(shelled_aleppo()).splitlines()

    def row(label: str) -> str:
        return next(line for line in lines if line.startswith(f"│ {label} "))

    assert "1 events" in lines[0]
    assert "Shelling/artillery/missile attack" in row("type")
    assert "قصف" in row("type")
    assert "2015-07-14 · day" in row("date")
    assert "14 تموز 2015" in row("date")
    assert "Aleppo, SY · city" in row("place")
    assert "مدينة حلب" in row("place")
    assert "at least 12" in row("claim")
    assert "ما لا يقل عن 12 شخصا" in row("claim")


def test_mentions_are_listed_only_on_request() -> None:
    doc = shelled_aleppo()
    assert "places.gazetteer" not in shown(doc)
    assert "places.gazetteer" in shown(doc, mentions=True)
