"""ACLED, GED and GeoJSON exports follow each standard's own coding rules."""

import csv
import io
from datetime import date

import pytest

from rasd.events import load_countries
from rasd.export.acled import COLUMNS as ACLED_COLUMNS
from rasd.export.acled import export_acled, write_csv
from rasd.export.geojson import export_geojson
from rasd.export.ucdp import COLUMNS as GED_COLUMNS
from rasd.export.ucdp import export_ged
from rasd.records import Actor, EventRecord, Figures, Location
from rasd.resources import Resources


@pytest.fixture(scope="module")
def countries():  # type: ignore[no-untyped-def]
    return load_countries(Resources())


def event(**changes: object) -> EventRecord:
    base = EventRecord(
        event_id="rasd-test1",
        document_ids=["doc"],
        event_type="Violence against civilians",
        sub_event_type="Attack",
        disorder_type="Political violence",
        date_start=date(1998, 8, 8),
        date_end=date(1998, 8, 8),
        date_precision="day",
        actor1=Actor(name="Taliban", kind="rebel group", role="perpetrator"),
        actor2=Actor(name="Civilians (Afghanistan)", kind="civilians", role="target"),
        assoc_actors=[Actor(name="Hazara", kind="civilians", role="target")],
        civilian_targeting=True,
        location=Location(
            name="Mazar-i-Sharif",
            country="AF",
            admin1="Balkh",
            latitude=36.70904,
            longitude=67.11087,
            precision="city",
        ),
        fatalities=Figures(low=100, best=2000, high=8000),
    )
    return base.model_copy(update=changes)


def test_acled_row_has_31_columns_in_order(countries) -> None:  # type: ignore[no-untyped-def]
    out = export_acled([(event(), None)], countries, 0)
    header = write_csv(out.rows, ACLED_COLUMNS).splitlines()[0].split(",")
    assert len(header) == 31
    assert header[:4] == ["event_id_cnty", "event_date", "year", "time_precision"]
    assert header[-3:] == ["fatalities", "tags", "timestamp"]


def test_acled_fatalities_is_the_lowest_figure(countries) -> None:  # type: ignore[no-untyped-def]
    row = export_acled([(event(), None)], countries, 0).rows[0]
    assert row["fatalities"] == 100
    assert (row["iso"], row["country"], row["region"]) == (4, "Afghanistan", "South Asia")
    assert (row["latitude"], row["geo_precision"]) == (36.709, 1)
    assert row["interaction"] == "Rebel group-Civilians"
    assert row["assoc_actor_2"] == "Hazara"
    assert row["civilian_targeting"] == "Civilians targeted"


def test_acled_unknown_fatalities_are_zero(countries) -> None:  # type: ignore[no-untyped-def]
    row = export_acled([(event(fatalities=Figures()), None)], countries, 0).rows[0]
    assert row["fatalities"] == 0


def test_acled_year_only_event_gets_no_row_but_a_warning(countries) -> None:  # type: ignore[no-untyped-def]
    out = export_acled(
        [
            (
                event(
                    date_precision="year", date_start=date(1998, 1, 1), date_end=date(1998, 12, 31)
                ),
                None,
            )
        ],
        countries,
        0,
    )
    assert out.rows == []
    assert out.warnings == ["rasd-test1: dated to year, ACLED records no event vaguer than a month"]


@pytest.mark.parametrize(
    ("start", "end", "coded"),
    [
        (date(1995, 9, 1), date(1995, 9, 30), "1995-09-15"),
        (date(1995, 9, 21), date(1995, 9, 30), "1995-09-30"),
        (date(1995, 9, 1), date(1995, 9, 10), "1995-09-01"),
    ],
    ids=["month", "end-of-month", "beginning-of-month"],
)
def test_acled_month_is_dated_mid_month_or_at_its_named_end(  # type: ignore[no-untyped-def]
    countries, start: date, end: date, coded: str
) -> None:
    late = event(date_precision="month", date_start=start, date_end=end)
    row = export_acled([(late, None)], countries, 0).rows[0]
    assert (row["event_date"], row["time_precision"]) == (coded, 3)


def test_acled_day_range_is_a_row_per_day_with_the_toll_split(countries) -> None:  # type: ignore[no-untyped-def]
    spread = event(date_end=date(1998, 8, 10), fatalities=Figures(low=10, best=10, high=10))
    rows = export_acled([(spread, None)], countries, 0).rows
    assert [(r["event_date"], r["fatalities"]) for r in rows] == [
        ("1998-08-08", 4),
        ("1998-08-09", 3),
        ("1998-08-10", 3),
    ]


def test_ged_one_sided_violence_puts_best_in_civilian_deaths(countries) -> None:  # type: ignore[no-untyped-def]
    out = export_ged([(event(), None)], countries)
    row = out.rows[0]
    assert len(GED_COLUMNS) == 49
    assert (row["type_of_violence"], row["deaths_civilians"], row["best"]) == (3, 2000, 2000)
    assert (row["low"], row["high"], row["date_prec"], row["where_prec"]) == (100, 8000, 1, 1)
    assert row["country_id"] == 700


def test_ged_needs_a_death(countries) -> None:  # type: ignore[no-untyped-def]
    out = export_ged([(event(fatalities=Figures()), None)], countries)
    assert out.rows == []


def test_geojson_is_a_feature_collection_of_points(countries) -> None:  # type: ignore[no-untyped-def]
    collection = export_geojson([(event(), None)], countries)
    feature = collection["features"][0]  # type: ignore[index]
    assert collection["type"] == "FeatureCollection"
    assert feature["geometry"] == {"type": "Point", "coordinates": [67.11087, 36.70904]}
    assert feature["properties"]["rasd_event_id"] == "rasd-test1"
    assert feature["properties"]["best"] == 2000


def test_acled_csv_parses_back(countries) -> None:  # type: ignore[no-untyped-def]
    text = write_csv(export_acled([(event(), None)], countries, 0).rows, ACLED_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["actor1"] == "Taliban"
