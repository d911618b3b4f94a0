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


def example_report() -> Report:
    """The example report: Kabul's fall in late Sept 1995, ~8,000 killed "according to HRW"."""
    doc, text = "example", example_text()
    massacre = event(
        doc,
        1,
        start=date(1998, 8, 8),
        end=date(1998, 8, 15),
        precision="week",
        claims=(
            claim(
                doc,
                text,
                "مقتل نحو 8 آلاف شخص",
                8000,
                qualifier="approx",
                attributed_to="Human Rights Watch",
                attribution="هيومن رايتس ووتش",
            ),
            claim(doc, text, "المئات من الذكور", 100, qualifier="vague", victims="الذكور"),
        ),
        date_span=span(doc, text, "يوم 8 آب/أغسطس 1998"),
    )
    fall_of_mazar = event(
        doc,
        2,
        start=date(1998, 8, 8),
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        actor2=Actor(name="Hazara fighters", kind="militia"),
        claims=(
            claim(
                doc,
                text,
                "لم يتمكن سوى 100 مقاتل",
                1400,
                qualifier="derived",
                victims="مقاتل",
                derivation="about 1,500 fighters, only 100 survived",
            ),
        ),
    )
    consulate = event(
        doc,
        3,
        start=date(1998, 8, 8),
        location=CONSULATE,
        actor2=Actor(name="Iranian diplomats", kind="civilians"),
        claims=(claim(doc, text, "مقتل 11 شخصا", 11, parts=[10, 1]),),
    )
    kabul = kabul_falls(
        doc, 0, text, "أواخر شهر أيلول/سبتمبر عام 1995", date(1995, 9, 21), date(1995, 9, 30)
    )
    return report(doc, [kabul, massacre, fall_of_mazar, consulate], text=text)


def gazette_report() -> Report:
    """A newspaper: Kabul fell on 27 Sept 1996; HRW counted "at least 2,000"."""
    doc, text = "gazette", read_fixture("kabul-mazar-gazette.ar.txt")
    kabul = kabul_falls(doc, 0, text, "27 أيلول/سبتمبر 1996", date(1996, 9, 27), date(1996, 9, 27))
    massacre = event(
        doc,
        1,
        start=date(1998, 8, 8),
        claims=(
            claim(
                doc,
                text,
                "ما لا يقل عن 2000 مدني",
                2000,
                qualifier="at_least",
                attributed_to="Human Rights Watch",
                attribution="هيومن رايتس ووتش",
            ),
        ),
        date_span=span(doc, text, "8 آب/أغسطس 1998"),
    )
    return report(
        doc, [kabul, massacre], text=text, publisher="Gazette", published=date(1999, 1, 10)
    )


def ngo_report() -> Report:
    """Human Rights Watch's own report: at least 2,000 killed, in its own voice."""
    doc, text = "hrw", read_fixture("mazar-ngo-report.ar.txt")
    massacre = event(
        doc,
        0,
        start=date(1998, 8, 8),
        end=date(1998, 8, 12),
        precision="week",
        claims=(claim(doc, text, "مقتل ما لا يقل عن 2000 شخص", 2000, qualifier="at_least"),),
        date_span=span(doc, text, "8 آب/أغسطس 1998"),
    )
    kabul = kabul_falls(
        doc, 1, text, "ليلة 26 إلى 27 أيلول/سبتمبر 1996", date(1996, 9, 26), date(1996, 9, 27)
    )
    return report(
        doc,
        [massacre, kabul],
        text=text,
        publisher="Human Rights Watch",
        published=date(1998, 11, 15),
    )


def mazar_reports() -> list[Report]:
    """The example report and the two written to retell its events correctly."""
    return [example_report(), gazette_report(), ngo_report()]
