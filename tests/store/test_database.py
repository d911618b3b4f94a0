"""The store on SQLite and on a PostgreSQL server started by the tests (``db_url`` runs both)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import rasd.store
from rasd.cli import app
from rasd.errors import StoreError
from rasd.pipeline import make_document
from rasd.records import Actor, EventRecord, Figures, Location
from rasd.store import EventFilters, Store
from rasd.store.review import Reviews
from seed_events import EXAMPLE, aleppo_document, seed_document

MIGRATIONS = Path(rasd.store.__file__).parent / "migrations" / "versions"


def test_a_new_database_is_migrated_to_the_latest_revision(store: Store) -> None:
    latest = max(path.name[:4] for path in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert store.revision() == Store.head_revision() == latest


def test_migrations_go_down_to_an_empty_database_and_up_again(store: Store) -> None:
    store.downgrade("base")
    assert store.revision() is None
    store.upgrade()
    assert store.revision() == Store.head_revision()
    assert store.ingest(seed_document()).created


def test_the_same_document_is_stored_once(store: Store) -> None:
    first = store.ingest(seed_document())
    again = store.ingest(seed_document())
    assert (first.created, first.events) == (True, 4)
    assert (again.created, again.events) == (False, 4)
    assert store.count_documents() == 1
    assert store.count_events() == 4


def test_a_stored_document_reads_back_with_its_text_mentions_and_events(store: Store) -> None:
    doc = seed_document()
    store.ingest(doc)
    stored = store.get_document(doc.id)
    assert stored is not None
    assert stored.document.text == doc.text
    assert stored.document.sentences == doc.sentences
    assert stored.document.mentions == doc.mentions
    assert stored.document.source == doc.source
    assert stored.event_ids == sorted(e.event_id for e in doc.events)


def test_an_event_reads_back_as_the_record_that_was_stored(store: Store) -> None:
    doc = seed_document()
    store.ingest(doc)
    massacre = doc.events[2]
    stored = store.get_event(massacre.event_id)
    assert stored is not None
    assert stored.record == massacre
    assert (stored.status, stored.version) == ("suggested", 1)
    assert stored.record.claims[1].attributed_to == "Human Rights Watch"
    assert stored.record.flags[0].kind == "figure_conflict"


def test_a_failing_document_is_rolled_back_and_earlier_ones_stay(store: Store) -> None:
    good = seed_document()
    store.ingest(good)
    broken = aleppo_document()
    # An event ending before it starts breaks a constraint: the whole document rolls back.
    broken.events[0] = broken.events[0].model_copy(update={"date_end": date(2016, 3, 1)})
    with pytest.raises(StoreError, match=r"aleppo\.ar\.txt: the database refused the document"):
        store.ingest(broken)
    assert store.get_document(broken.id) is None
    assert store.count_documents() == 1
    assert store.count_events() == 4
    assert store.search("حلب")[1] == 0
    assert store.ingest(aleppo_document()).created


@pytest.mark.parametrize(
    "query",
    ["مزار الشريف", "مزار شريف", "مَزار شريف", "مـزار  شريـف", "مدينه مزار شريف", "كابل"],
    ids=["with-article", "without-article", "with-diacritic", "tatweel", "ta-marbuta", "kabul"],
)
def test_spelling_variants_find_the_same_report(store: Store, query: str) -> None:
    doc = seed_document()
    store.ingest(doc)
    store.ingest(aleppo_document())
    found, total = store.search(query)
    assert total == 1
    assert [d.id for d in found] == [doc.id]
    assert found[0].events == 4


def test_latin_words_in_a_report_are_found_case_blind(store: Store) -> None:
    doc = aleppo_document()
    store.ingest(doc)
    assert [d.id for d in store.search("ALEPPO")[0]] == [doc.id]


@pytest.mark.parametrize(
    "query",
    [
        "'; DROP TABLE documents; --",
        '" OR 1=1 --',
        "مزار* OR NEAR(a b)",
        "body:مزار",
        "%' UNION SELECT text FROM documents --",
    ],
    ids=["drop-table", "or-true", "fts-operators", "fts-column-filter", "union"],
)
def test_sql_looking_search_strings_are_only_words(store: Store, query: str) -> None:
    store.ingest(seed_document())
    found, _ = store.search(query)
    assert found == []
    assert store.count_documents() == 1


def test_a_query_with_no_words_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="search query has no words"):
        store.search("«» -- ;")


SEED = seed_document()
E1, E2, E3, E4 = (f"{SEED.id}-e{i}" for i in range(1, 5))
E5 = f"{aleppo_document().id}-e1"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (EventFilters(), [E1, E4, E2, E3, E5]),
        (EventFilters(date_from=date(1998, 8, 10)), [E4, E3, E5]),
        (EventFilters(date_to=date(1995, 12, 31)), [E1]),
        (EventFilters(date_from=date(1998, 8, 9), date_to=date(1998, 8, 9)), [E4, E3]),
        (EventFilters(country="AF"), [E1, E4, E2, E3]),
        (EventFilters(country="IR"), []),
        (EventFilters(admin1="Balkh"), [E4, E2, E3]),
        (EventFilters(event_type="Battles"), [E2]),
        (EventFilters(actor="Northern Alliance"), [E2]),
        (EventFilters(actor="Journalists (International)"), [E4]),
        (EventFilters(fatalities_min=1000), [E2, E3]),
        (EventFilters(fatalities_max=100), [E4, E5]),
        (EventFilters(fatalities_min=1000, fatalities_max=5000), [E2]),
        (EventFilters(bbox=(68.0, 34.0, 70.0, 35.0)), [E1]),
        (EventFilters(bbox=(66.5, 36.0, 67.5, 37.0)), [E4, E2, E3]),
        (EventFilters(bbox=(170.0, -10.0, -170.0, 10.0)), []),
        (EventFilters(q="مزار الشريف"), [E1, E4, E2, E3]),
        (EventFilters(q="حلب", country="SY"), [E5]),
        (EventFilters(document_id=SEED.id, event_type="Violence against civilians"), [E4, E3]),
        (EventFilters(status="suggested", fatalities_min=5, fatalities_max=5), [E5]),
    ],
    ids=[
        "none",
        "date-from",
        "date-to",
        "date-overlap",
        "country",
        "other-country",
        "admin1",
        "event-type",
        "actor2",
        "associated-actor",
        "fatalities-min",
        "fatalities-max",
        "fatalities-range",
        "bbox-kabul",
        "bbox-mazar",
        "bbox-antimeridian",
        "text",
        "text-and-country",
        "document",
        "status",
    ],
)
def test_event_filters(store: Store, filters: EventFilters, expected: list[str]) -> None:
    store.ingest(seed_document())
    store.ingest(aleppo_document())
    found, total = store.query_events(filters)
    assert [e.id for e in found] == expected
    assert total == len(expected)


def test_events_page_through_in_a_stable_order(store: Store) -> None:
    store.ingest(seed_document())
    store.ingest(aleppo_document())
    first, total = store.query_events(EventFilters(), limit=2)
    second, _ = store.query_events(EventFilters(), limit=2, offset=2)
    third, _ = store.query_events(EventFilters(), limit=2, offset=4)
    assert total == 5
    assert [e.id for e in first + second + third] == [E1, E4, E2, E3, E5]


def test_exports_read_every_matching_record(store: Store) -> None:
    doc = seed_document()
    store.ingest(doc)
    records = [s.record for s in store.iter_events(EventFilters(admin1="Balkh"), batch=2)]
    expected: list[EventRecord] = sorted(doc.events[1:], key=lambda e: e.event_id)
    assert records == expected


def test_postgis_keeps_a_geography_point_per_event(db_url: str, store: Store) -> None:
    if not db_url.startswith("postgresql"):
        assert not store.has_geography
        return
    store.ingest(seed_document())
    assert store.has_geography
    with store.engine.connect() as connection:
        points = connection.execute(
            text("SELECT id, ST_Y(geog::geometry), ST_X(geog::geometry) FROM events ORDER BY id")
        ).all()
    assert [(round(lat, 3), round(lon, 3)) for _, lat, lon in points] == [
        (34.528, 69.172),
        (36.709, 67.110),
        (36.709, 67.110),
        (36.719, 67.110),
    ]


def planner_rows(store: Store, table: str) -> int:
    """How many rows the query planner believes ``table`` holds (-1: no statistics)."""
    with store.engine.connect() as connection:
        if store.dialect == "postgresql":
            query = text("SELECT reltuples FROM pg_class WHERE relname = :table")
            return int(connection.execute(query, {"table": table}).scalar_one())
        if connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).first():
            query = text("SELECT stat FROM sqlite_stat1 WHERE tbl = :table")
            stats = [str(row[0]) for row in connection.execute(query, {"table": table})]
            return max((int(stat.split()[0]) for stat in stats), default=-1)
        return -1


def more_events(count: int, start: int) -> list[EventRecord]:
    """Copies of a seed event under new ids, to grow the events table."""
    model = seed_document().events[0]
    return [
        model.model_copy(update={"event_id": f"grown-{n}"}) for n in range(start, start + count)
    ]


def test_after_optimize_the_planner_knows_the_size_of_the_tables(store: Store) -> None:
    store.ingest(seed_document())
    store.ingest(aleppo_document())
    assert planner_rows(store, "events") in (-1, 0)

    store.optimize()

    assert planner_rows(store, "events") == store.count_events() == 5
    assert planner_rows(store, "documents") == 2


def test_sqlite_statistics_are_refreshed_when_a_table_has_doubled(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'rasd.db'}") as store:
        doc = seed_document()
        store.ingest(doc)
        store.optimize()
        store.add_events(more_events(3, 0), doc.id)
        store.optimize()  # 7 events: under twice the 4 counted, the statistics stay
        assert planner_rows(store, "events") == 4
        store.add_events(more_events(2, 3), doc.id)
        store.optimize()  # 9 events: over twice, so ANALYZE runs again
        assert planner_rows(store, "events") == store.count_events() == 9


def test_rasd_ingest_leaves_the_planner_statistics_fresh(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rasd.db'}"
    result = CliRunner().invoke(app, ["ingest", str(EXAMPLE), "--db", url])
    assert result.exit_code == 0, result.output
    with Store(url) as store:
        assert store.count_events() > 0
        assert planner_rows(store, "events") == store.count_events()


# -- the list's query shapes against a plain reading of the filters ----------------------------
# Events written for the edge cases of the events list's queries (migration 0006): a long span
# a date window's lower bound must still reach, events without a start (one with an end),
# rejected and reviewed events, an actor in several roles of one event, the antimeridian.

ALEPPO_POINT = (36.20, 37.16)
LISTED_TEXT = "تقرير تجريبي عن أحداث في حلب وإدلب."
SECOND_TEXT = "تقرير ثان عن قصف في سوفا."
SECOND_REPORT = "the second report"  # its id, once stored


def listed_event(
    doc_id: str,
    name: str,
    start: date | None,
    end: date | None,
    actors: tuple[str | None, str | None] = ("Army", None),
    assoc: tuple[str, ...] = (),
    place: tuple[str, str, float, float] = ("SY", "Aleppo", *ALEPPO_POINT),
    dead: int | None = None,
    event_type: str = "Battles",
) -> EventRecord:
    country, admin1, lat, lon = place
    first, second = actors
    return EventRecord(
        event_id=f"{doc_id}-{name}",
        document_ids=[doc_id],
        event_type=event_type,
        date_start=start,
        date_end=end,
        actor1=Actor(name=first) if first else None,
        actor2=Actor(name=second) if second else None,
        assoc_actors=[Actor(name=a) for a in assoc],
        location=Location(
            name=admin1,
            country=country,
            admin1=admin1,
            latitude=lat,
            longitude=lon,
            precision="city",
        ),
        fatalities=Figures(low=dead, best=dead, high=dead),
    )


def listed_records(first: str, second: str) -> tuple[list[EventRecord], list[EventRecord]]:
    """Events of two reports; the last event of the first is reported by the second too."""
    fiji = ("FJ", "Central", -18.1, 178.4)
    tonga_side = ("FJ", "Lau", -17.9, -179.6)
    one = [
        listed_event(first, "long", date(2014, 1, 1), date(2015, 12, 31), ("ISIS", None)),
        listed_event(first, "inside", date(2015, 6, 10), date(2015, 6, 10), ("Army", "ISIS")),
        listed_event(first, "before", date(2015, 3, 1), date(2015, 3, 5), ("ISIS", None)),
        listed_event(first, "undated", None, None, ("Taliban", None), assoc=("ISIS",)),
        listed_event(first, "end-only", None, date(2015, 6, 20), ("Army", None)),
        listed_event(first, "rejected", date(2015, 6, 12), date(2015, 6, 12), ("ISIS", None)),
        listed_event(first, "reviewed", date(2015, 6, 15), None, ("Army", None), dead=40),
        listed_event(
            first, "every-role", date(2015, 6, 2), None, ("ISIS", "ISIS"), assoc=("ISIS", "Army")
        ),
        listed_event(first, "assoc-only", date(2015, 6, 3), None, ("Army", None), assoc=("ISIS",)),
        listed_event(first, "west-edge", date(2015, 7, 1), None, place=fiji, dead=5),
        listed_event(first, "east-edge", date(2015, 7, 2), None, place=tonga_side, dead=50),
    ]
    one += [
        listed_event(first, f"plain{n}", date(2015, 6, 1 + n), None, dead=n * 10) for n in range(4)
    ]
    shared = listed_event(first, "shared", date(2015, 6, 30), date(2015, 7, 30), ("ISIS", None))
    two = [listed_event(second, "sofa", date(2015, 8, 1), None, place=fiji), shared]
    return [*one, shared], two


Listed = dict[str, tuple[EventRecord, str, set[str]]]


def listed_store(store: Store) -> tuple[str, str, Listed]:
    """Store the two reports and their events: their ids, each event's record, status, reports."""
    first, second = make_document(LISTED_TEXT), make_document(SECOND_TEXT)
    for doc in (first, second):
        store.ingest(doc)
    records_one, records_two = listed_records(first.id, second.id)
    store.add_events(records_one, first.id)
    store.add_events(records_two, second.id)
    statuses = {f"{first.id}-rejected": "rejected", f"{first.id}-reviewed": "reviewed"}
    with store.engine.begin() as connection:
        for event_id, status in statuses.items():
            connection.execute(
                text("UPDATE events SET status = :status WHERE id = :id"),
                {"status": status, "id": event_id},
            )
    reports: dict[str, set[str]] = {}
    for doc, records in ((first, records_one), (second, records_two)):
        for record in records:
            reports.setdefault(record.event_id, set()).add(doc.id)
    stored = {
        r.event_id: (r, statuses.get(r.event_id, "suggested"), reports[r.event_id])
        for r in records_one + records_two
    }
    return first.id, second.id, stored


def plainly_matches(
    record: EventRecord, status: str, reports: set[str], f: EventFilters, texts: set[str]
) -> bool:
    """The filters as the API documents them, read one event at a time."""
    place = record.location
    names = {a.name for a in (record.actor1, record.actor2, *record.assoc_actors) if a}
    last = record.date_end or record.date_start
    checks = [
        f.date_from is None or (last is not None and last >= f.date_from),
        f.date_to is None or (record.date_start is not None and record.date_start <= f.date_to),
        f.country is None or (place is not None and place.country == f.country),
        f.admin1 is None or (place is not None and place.admin1 == f.admin1),
        f.event_type is None or record.event_type == f.event_type,
        f.actor is None or f.actor in names,
        f.fatalities_min is None
        or (record.fatalities.best is not None and record.fatalities.best >= f.fatalities_min),
        f.document_id is None or f.document_id in reports,
        f.q is None or bool(texts & reports),
    ]
    if f.status is None:
        checks.append(status != "rejected")
    elif f.status == "reviewed":
        checks.append(status in ("reviewed", "published"))
    else:
        checks.append(status == f.status)
    if f.bbox is not None:
        west, south, east, north = f.bbox
        lat, lon = (place.latitude, place.longitude) if place else (None, None)
        inside = lat is not None and lon is not None and south <= lat <= north
        if west <= east:
            inside = inside and lon is not None and west <= lon <= east
        else:
            inside = inside and lon is not None and (lon >= west or lon <= east)
        checks.append(inside)
    return all(checks)


LISTED_FILTERS = [
    EventFilters(),
    EventFilters(status="rejected"),
    EventFilters(status="reviewed"),
    EventFilters(date_from=date(2015, 6, 1), date_to=date(2015, 6, 30)),
    EventFilters(date_from=date(2015, 6, 18)),
    EventFilters(date_from=date(2015, 6, 11), admin1="Aleppo"),
    EventFilters(date_to=date(2015, 6, 2)),
    EventFilters(date_from=date(2015, 6, 11), date_to=date(2015, 6, 11), status="suggested"),
    EventFilters(actor="ISIS"),
    EventFilters(actor="ISIS", country="SY"),
    EventFilters(actor="ISIS", date_from=date(2015, 6, 5), date_to=date(2015, 7, 1)),
    EventFilters(actor="ISIS", status="rejected"),
    EventFilters(actor="Taliban"),
    EventFilters(actor="Army", fatalities_min=20),
    EventFilters(actor="nobody"),
    EventFilters(bbox=(178.0, -19.0, -179.0, -17.0)),
    EventFilters(bbox=(36.0, 36.0, 38.0, 37.0), date_to=date(2015, 6, 5)),
    EventFilters(country="SY", event_type="Battles", fatalities_min=10),
    EventFilters(admin1="Aleppo", fatalities_min=20),
    EventFilters(q="سوفا"),
    EventFilters(q="سوفا", actor="ISIS"),
    EventFilters(document_id=SECOND_REPORT, actor="ISIS"),
    EventFilters(document_id=SECOND_REPORT, bbox=(178.0, -19.0, 179.0, -17.0)),
]
LISTED_IDS = [
    "none",
    "rejected",
    "reviewed",
    "window",
    "from-only",
    "from-and-admin1",
    "to-only",
    "one-day-inside-a-long-event",
    "actor-in-every-role",
    "actor-and-country",
    "actor-and-window",
    "actor-rejected",
    "actor-only-undated",
    "actor-and-fatalities",
    "unknown-actor",
    "bbox-antimeridian",
    "bbox-and-date-to",
    "country-type-fatalities",
    "admin1-fatalities",
    "text",
    "text-and-actor",
    "document-and-actor",
    "document-and-bbox",
]


@pytest.mark.parametrize("filters", LISTED_FILTERS, ids=LISTED_IDS)
def test_every_page_of_the_events_list_is_the_filters_read_plainly(
    store: Store, filters: EventFilters
) -> None:
    _, second, stored = listed_store(store)
    if filters.document_id == SECOND_REPORT:
        filters = replace(filters, document_id=second)
    texts = {second} if filters.q else set()  # the word is in the second report only
    expected = sorted(
        (
            r
            for r, status, docs in stored.values()
            if plainly_matches(r, status, docs, filters, texts)
        ),
        key=lambda r: (r.date_start is None, r.date_start or date.min, r.event_id),
    )
    # On SQLite a page of one walks the list; a page of 100 takes a rare actor's own events.
    for limit in (1, 3, 100):
        pages, totals = [], set()
        for offset in range(0, len(expected) + 1, limit):
            found, total = store.query_events(filters, limit=limit, offset=offset)
            pages += found
            totals.add(total)
        assert [e.id for e in pages] == [r.event_id for r in expected]
        assert totals == {len(expected)}
    assert expected or filters.actor == "nobody"


def test_an_event_reported_twice_lists_both_documents(store: Store) -> None:
    first, second, _ = listed_store(store)
    found, _ = store.query_events(EventFilters(document_id=second))
    assert [(e.id, e.document_ids) for e in found] == [
        (f"{first}-shared", sorted([first, second])),
        (f"{second}-sofa", [second]),
    ]


def test_the_documents_list_counts_the_events_of_each_document(store: Store) -> None:
    first, second, _ = listed_store(store)
    empty = make_document("تقرير بلا أحداث.")
    store.ingest(empty)
    found, total = store.list_documents()
    assert total == 3
    assert {d.id: d.events for d in found} == {empty.id: 0, second: 2, first: 16}
    assert found[0].id == empty.id  # newest first
    assert [(d.id, d.events) for d in store.list_documents(q="سوفا")[0]] == [(second, 2)]


@pytest.mark.parametrize("limit", [1, 100], ids=["walking-the-list", "actor-events-first"])
def test_the_actor_filter_follows_a_reviewers_change_of_roles(store: Store, limit: int) -> None:
    first, _, _ = listed_store(store)
    long_id = f"{first}-long"
    stored = store.get_event(long_id)
    assert stored is not None
    Reviews(store).update(
        long_id,
        {"actor1": {"name": "Houthis"}, "assoc_actors": [{"name": "ISIS"}]},
        version=stored.version,
        username="coder1",
    )

    found, total = store.query_events(EventFilters(actor="Houthis"), limit=limit)
    assert ([e.id for e in found], total) == ([long_id], 1)
    before_2015 = EventFilters(actor="ISIS", date_to=date(2014, 12, 31))
    found, total = store.query_events(before_2015, limit=limit)
    assert ([e.id for e in found], total) == ([long_id], 1)  # an associated actor now
