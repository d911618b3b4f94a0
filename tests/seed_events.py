"""The seed report (examples/mazar-i-sharif-1998.ar.txt) with event records written by hand.

Until the ``events`` stage lands, these stand in for its output: real ``EventRecord``s whose
evidence spans are found in the report's own text, so highlighting is checked against real offsets.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rasd.document import Document, Source
from rasd.pipeline import Pipeline, make_document
from rasd.records import (
    Actor,
    Claim,
    EventFlag,
    EventRecord,
    Evidence,
    Figures,
    Location,
    SpanRef,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "mazar-i-sharif-1998.ar.txt"

MAZAR = {"name": "Mazar-i-Sharif", "country": "AF", "admin1": "Balkh"}
MAZAR_POINT = (36.709, 67.110)
KABUL_POINT = (34.528, 69.172)


def span(doc: Document, needle: str, nth: int = 0) -> SpanRef:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    return SpanRef(document_id=doc.id, start=start, end=start + len(needle), text=needle)


def seed_document(text: str | None = None) -> Document:
    doc = make_document(
        text if text is not None else EXAMPLE.read_text(encoding="utf-8"),
        Source(path="mazar-i-sharif-1998.ar.txt", publisher="example", title="مذبحة مزار شريف"),
    )
    doc = Pipeline()(doc)
    doc.events = seed_events(doc)
    return doc


def seed_events(doc: Document) -> list[EventRecord]:
    taliban = Actor(name="Taliban", kind="rebel group", span=span(doc, "قوات طالبان"))
    kabul = EventRecord(
        event_id=f"{doc.id}-e1",
        document_ids=[doc.id],
        event_type="Strategic developments",
        sub_event_type="Non-violent transfer of territory",
        date_start=date(1995, 9, 21),
        date_end=date(1995, 9, 30),
        date_precision="week",
        actor1=taliban,
        location=Location(
            name="Kabul",
            country="AF",
            admin1="Kabul",
            latitude=KABUL_POINT[0],
            longitude=KABUL_POINT[1],
            precision="city",
            span=span(doc, "كابل"),
        ),
        evidence=[
            Evidence(
                field="date",
                span=span(doc, "أواخر شهر أيلول/سبتمبر عام 1995"),
                by="dates.vague_part_of_month",
            ),
            Evidence(field="location", span=span(doc, "كابل"), by="places.gazetteer"),
            Evidence(field="actor1", span=span(doc, "قوات طالبان"), by="actors.lexicon"),
        ],
        confidence=0.6,
    )
    battle = EventRecord(
        event_id=f"{doc.id}-e2",
        document_ids=[doc.id],
        event_type="Battles",
        sub_event_type="Armed clash",
        date_start=date(1998, 8, 8),
        date_end=date(1998, 8, 8),
        date_precision="day",
        actor1=Actor(name="Taliban", kind="rebel group"),
        actor2=Actor(
            name="Northern Alliance", kind="rebel group", span=span(doc, "جبهة التحالف الشمالي")
        ),
        location=Location(
            **MAZAR,
            latitude=MAZAR_POINT[0],
            longitude=MAZAR_POINT[1],
            precision="city",
            span=span(doc, "مزار شريف", 2),
        ),
        fatalities=Figures(low=1400, best=1400, high=1400),
        claims=[
            Claim(
                quantity="fatalities",
                low=1400,
                best=1400,
                high=1400,
                qualifier="derived",
                span=span(doc, "لم يتمكن سوى 100 مقاتل"),
                victims="مقاتل من قومية الهزارة",
                derivation="نحو 1500 مقاتل − 100 ناجٍ",
                by="claims.survivors",
            ),
        ],
        evidence=[
            Evidence(field="date", span=span(doc, "يوم 8 آب/أغسطس 1998"), by="dates.month_pair"),
            Evidence(field="location", span=span(doc, "مزار شريف", 2), by="places.gazetteer"),
            Evidence(field="fatalities", span=span(doc, "نحو 1500 مقاتل"), by="claims.survivors"),
            Evidence(field="actor2", span=span(doc, "جبهة التحالف الشمالي"), by="actors.lexicon"),
        ],
        confidence=0.7,
    )
    massacre = EventRecord(
        event_id=f"{doc.id}-e3",
        document_ids=[doc.id],
        event_type="Violence against civilians",
        sub_event_type="Attack",
        date_start=date(1998, 8, 8),
        date_end=date(1998, 8, 15),
        date_precision="week",
        actor1=Actor(name="Taliban", kind="rebel group"),
        actor2=Actor(name="Civilians (Afghanistan)", kind="civilians"),
        civilian_targeting=True,
        location=Location(
            **MAZAR,
            latitude=MAZAR_POINT[0],
            longitude=MAZAR_POINT[1],
            precision="city",
            span=span(doc, "مزار شريف", 5),
        ),
        fatalities=Figures(low=100, best=8000, high=8000),
        claims=[
            Claim(
                quantity="fatalities",
                low=100,
                best=None,
                high=None,
                qualifier="vague",
                span=span(doc, "المئات من الذكور"),
                victims="الذكور",
                by="claims.vague",
            ),
            Claim(
                quantity="fatalities",
                low=8000,
                best=8000,
                high=8000,
                qualifier="approx",
                span=span(doc, "نحو 8 آلاف شخص"),
                attributed_to="Human Rights Watch",
                attribution_span=span(doc, "هيومن رايتس ووتش", 1),
                by="claims.attributed",
            ),
        ],
        evidence=[
            Evidence(field="date", span=span(doc, "الأسبوع الأول"), by="dates.week_after"),
            Evidence(field="fatalities", span=span(doc, "نحو 8 آلاف شخص"), by="claims.attributed"),
            Evidence(field="actor1", span=span(doc, "حركة طالبان", 9), by="actors.lexicon"),
        ],
        flags=[
            EventFlag(
                kind="figure_conflict",
                message="«المئات» and «نحو 8 آلاف» count the same killings differently",
                evidence=[span(doc, "المئات من الذكور"), span(doc, "نحو 8 آلاف شخص")],
                by="reconcile.figures",
            ),
        ],
        grade="fair",
        confidence=0.8,
    )
    consulate = EventRecord(
        event_id=f"{doc.id}-e4",
        document_ids=[doc.id],
        event_type="Violence against civilians",
        sub_event_type="Attack",
        date_start=date(1998, 8, 1),
        date_end=date(1998, 8, 31),
        date_precision="month",
        actor1=Actor(name="Taliban", kind="rebel group"),
        actor2=Actor(name="Civilians (Iran)", kind="civilians"),
        assoc_actors=[Actor(name="Journalists (International)", kind="civilians")],
        civilian_targeting=True,
        location=Location(
            **MAZAR,
            latitude=MAZAR_POINT[0] + 0.01,
            longitude=MAZAR_POINT[1],
            precision="point",
            span=span(doc, "القنصلية الإيرانية"),
        ),
        fatalities=Figures(low=11, best=11, high=11),
        claims=[
            Claim(
                quantity="fatalities",
                low=11,
                best=11,
                high=11,
                qualifier="exact",
                span=span(doc, "مقتل 11 شخصا"),
                parts=[10, 1],
                by="claims.breakdown",
            ),
        ],
        evidence=[
            Evidence(field="location", span=span(doc, "القنصلية الإيرانية"), by="places.site"),
            Evidence(field="fatalities", span=span(doc, "مقتل 11 شخصا"), by="claims.breakdown"),
        ],
        confidence=0.7,
    )
    return [kabul, battle, massacre, consulate]


ALEPPO_TEXT = (
    "قصفت القوات الحكومية المدينة القديمة في حلب (Aleppo) يوم 3 آذار/مارس 2016، "
    "ما أسفر عن مقتل 5 أشخاص، حسب مرصد محلي."
)


def aleppo_document() -> Document:
    """A second report (written for the tests), so filters and search have two to tell apart."""
    doc = Pipeline()(make_document(ALEPPO_TEXT, Source(path="aleppo.ar.txt")))
    doc.events = [
        EventRecord(
            event_id=f"{doc.id}-e1",
            document_ids=[doc.id],
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
            date_start=date(2016, 3, 3),
            date_end=date(2016, 3, 3),
            date_precision="day",
            location=Location(
                name="Aleppo",
                country="SY",
                admin1="Aleppo",
                latitude=36.202,
                longitude=37.134,
                precision="city",
                span=span(doc, "حلب"),
            ),
            fatalities=Figures(low=5, best=5, high=5),
            claims=[
                Claim(
                    quantity="fatalities",
                    low=5,
                    best=5,
                    high=5,
                    qualifier="exact",
                    span=span(doc, "مقتل 5 أشخاص"),
                    attributed_to="مرصد محلي",
                    by="claims.exact",
                )
            ],
            evidence=[
                Evidence(field="fatalities", span=span(doc, "مقتل 5 أشخاص"), by="claims.exact")
            ],
            confidence=0.5,
        )
    ]
    return doc


PAYLOAD_HOST = "http://198.51.100.7"  # TEST-NET-2: nothing answers there; a request to it is a leak
HOSTILE_TEXT = (
    "قتل 3 أشخاص في هجوم <script>window.__pwned = 'script'; alert('script')</script> "
    f'على قرية <img src="{PAYLOAD_HOST}/img.png" onerror="window.__pwned = \'img\'"> '
    "وفق بيان <a href=\"javascript:window.__pwned='link'\">اضغط هنا</a> "
    "ونص معكوس \u202eتيبثت\u202c ثم \u2067عزل\u2069 يوم 5 أيار/مايو 2020."
)


def hostile_document() -> Document:
    """A report that tries to run script in a reader's browser, with an event pointing into it."""
    source = Source(path="hostile.ar.txt", title="<b>x</b>")
    doc = Pipeline()(make_document(HOSTILE_TEXT, source, "ar"))
    payload_name = f'<img src="{PAYLOAD_HOST}/actor.png" onerror="window.__pwned=\'actor\'">'
    doc.events = [
        EventRecord(
            event_id=f"{doc.id}-e1",
            document_ids=[doc.id],
            event_type="Violence against civilians",
            sub_event_type="Attack",
            date_start=date(2020, 5, 5),
            date_end=date(2020, 5, 5),
            date_precision="day",
            actor1=Actor(name=payload_name, kind="other"),
            location=Location(
                name="<script>window.__pwned='place'</script>",
                country="SY",
                latitude=35.0,
                longitude=38.0,
                precision="city",
            ),
            fatalities=Figures(low=3, best=3, high=3),
            claims=[
                Claim(
                    quantity="fatalities",
                    low=3,
                    best=3,
                    high=3,
                    qualifier="exact",
                    span=span(doc, "قتل 3 أشخاص"),
                    attributed_to="<svg onload=alert(1)>",
                    by="claims.exact",
                )
            ],
            evidence=[
                Evidence(field="event_type", span=span(doc, "<script>"), by="events.trigger"),
                Evidence(field="actor1", span=span(doc, "<img src="), by="actors.lexicon"),
                Evidence(field="location", span=span(doc, "javascript:"), by="places.gazetteer"),
                Evidence(field="date", span=span(doc, "\u202eتيبثت\u202c"), by="dates.month_pair"),
            ],
            flags=[
                EventFlag(
                    kind="<i>odd</i>",
                    message="<script>alert('flag')</script>",
                    by="reconcile.figures",
                )
            ],
        )
    ]
    return doc


SEED_ID = seed_document().id
HOSTILE_ID = hostile_document().id
