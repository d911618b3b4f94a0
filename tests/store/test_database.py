"""The store on SQLite and on a PostgreSQL server started by the tests (``db_url`` runs both)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

import rasd.store
from rasd.cli import app
from rasd.errors import StoreError
from rasd.records import EventRecord
from rasd.store import EventFilters, Store
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
