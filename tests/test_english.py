"""An English report of the same events yields the same records as the Arabic one.

tests/fixtures/mazar-i-sharif-1998.en.txt is our own English rendering of the example report.
"""

from pathlib import Path

import pytest

from rasd.document import Document
from rasd.pipeline import Pipeline
from rasd.records import EventRecord

# (Arabic phrase, English phrase) of a sentence telling each event
EVENTS = [
    ("دخلت قوات طالبان العاصمة", "Taliban forces entered the Afghan capital"),
    ("تمكن عناصر حركة طالبان من دخول", "managed to enter the city of Mazar-i-Sharif"),
    ("أعدم أفراد حركة طالبان", "executed hundreds of Hazara males"),
    ("حاويات مغلقة", "sealed containers"),
    ("القنصلية الإيرانية", "Iranian consulate"),
]


@pytest.fixture(scope="module")
def both(mazar_text: str) -> tuple[list[EventRecord], list[EventRecord]]:
    english = (Path(__file__).parent / "fixtures" / "mazar-i-sharif-1998.en.txt").read_text(
        encoding="utf-8"
    )
    pipeline = Pipeline()
    return (
        pipeline(Document(mazar_text, lang="ar")).events,
        pipeline(Document(english, lang="en")).events,
    )


def _told_in(events: list[EventRecord], phrase: str) -> EventRecord:
    for event in events:
        if any(phrase in e.span.text for e in event.evidence if e.field == "event"):
            return event
    raise AssertionError(f"no event told with «{phrase}»")


def _key(event: EventRecord) -> tuple[object, ...]:
    return (
        event.sub_event_type,
        event.actor1.name if event.actor1 else None,
        event.date_start,
        event.date_end,
        event.date_precision,
    )


@pytest.mark.parametrize(
    ("arabic", "english"),
    EVENTS,
    ids=["kabul", "mazar-takeover", "massacre", "containers", "consulate"],
)
def test_same_record_in_both_languages(
    both: tuple[list[EventRecord], list[EventRecord]], arabic: str, english: str
) -> None:
    ar_events, en_events = both
    assert _key(_told_in(en_events, english)) == _key(_told_in(ar_events, arabic))
