"""Which events of different reports are one event: dates, places, types, actors, blocking."""

from __future__ import annotations

from datetime import date

import pytest
from reconcile_builders import CIVILIANS, KABUL, MAZAR, event, report

from rasd.reconcile import reconcile
from rasd.reconcile.match import actor_score, gap_days, year_shift
from rasd.reconcile.settings import Settings
from rasd.records import Actor, EventRecord, Location

AUG_8 = date(1998, 8, 8)


def clustered(*reports_events: tuple[str, list]) -> list[list[str]]:  # type: ignore[type-arg]
    result = reconcile([report(doc, events) for doc, events in reports_events])
    return sorted(sorted(m.event_id for m in c.members) for c in result.clusters)


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        ((date(1998, 8, 1), date(1998, 8, 31)), (AUG_8, AUG_8), 0),
        ((AUG_8, AUG_8), (date(1998, 8, 10), date(1998, 8, 10)), 2),
        ((date(1998, 1, 1), date(1998, 12, 31)), (AUG_8, AUG_8), 0),
    ],
    ids=["month-contains-day", "two-days-apart", "year-contains-day"],
)
def test_gap_between_date_ranges_respects_precision(
    a: tuple[date, date], b: tuple[date, date], gap: int
) -> None:
    assert gap_days(a, b) == gap


def test_same_day_and_month_a_year_apart_is_a_year_shift() -> None:
    late_sept_1995 = (date(1995, 9, 21), date(1995, 9, 30))
    sept_27_1996 = (date(1996, 9, 27), date(1996, 9, 27))

    assert year_shift(late_sept_1995, sept_27_1996, most=2) == 1
    assert year_shift((date(1995, 3, 1), date(1995, 3, 1)), sept_27_1996, most=2) is None


def test_month_precision_report_joins_a_day_inside_that_month() -> None:
    month = event("a", 0, start=date(1998, 8, 1), end=date(1998, 8, 31), precision="month")
    day = event("b", 0, start=AUG_8)

    assert clustered(("a", [month]), ("b", [day])) == [["a#0", "b#0"]]


def test_reports_a_week_apart_are_different_events() -> None:
    first = event("a", 0, start=AUG_8)
    later = event("b", 0, start=date(1998, 8, 20))

    assert clustered(("a", [first]), ("b", [later])) == [["a#0"], ["b#0"]]


@pytest.mark.parametrize(
    ("precision", "km_north", "same"),
    [
        ("city", 10, True),
        ("city", 60, False),
        ("admin1", 60, True),
        ("admin1", 400, False),
    ],
    ids=["city-near", "city-far", "province-near", "province-far"],
)
def test_allowed_distance_grows_with_the_coarser_precision(
    precision: str, km_north: float, same: bool
) -> None:
    assert MAZAR.latitude is not None
    moved = MAZAR.model_copy(
        update={"latitude": MAZAR.latitude + km_north / 111.0, "precision": precision}
    )
    a = event("a", 0, start=AUG_8)
    b = event("b", 0, start=AUG_8, location=moved)

    assert (clustered(("a", [a]), ("b", [b])) == [["a#0", "b#0"]]) is same


def test_places_in_different_countries_never_merge() -> None:
    elsewhere = Location(
        name="Termez", country="UZ", latitude=37.22, longitude=67.28, precision="city"
    )
    a = event("a", 0, start=AUG_8)
    b = event("b", 0, start=AUG_8, location=elsewhere)

    assert clustered(("a", [a]), ("b", [b])) == [["a#0"], ["b#0"]]


def test_arrests_after_a_bombing_are_not_the_bombing() -> None:
    bombing = event(
        "a", 0, start=AUG_8, event_type="Explosions/Remote violence", sub_event_type="Suicide bomb"
    )
    arrests = event(
        "b", 0, start=AUG_8, event_type="Strategic developments", sub_event_type="Arrests"
    )

    assert clustered(("a", [bombing]), ("b", [arrests])) == [["a#0"], ["b#0"]]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("Strategic developments", "Looting/property destruction"),
            ("Violence against civilians", "Attack"),
        ),
        (
            ("Strategic developments", "Arrests"),
            ("Violence against civilians", "Abduction/forced disappearance"),
        ),
    ],
    ids=["house-burnt-with-family-inside", "arrest-told-as-abduction"],
)
def test_listed_sub_types_of_different_types_can_be_one_event(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    a = event("a", 0, start=AUG_8, event_type=first[0], sub_event_type=first[1])
    b = event("b", 0, start=AUG_8, event_type=second[0], sub_event_type=second[1])

    assert clustered(("a", [a]), ("b", [b])) == [["a#0", "b#0"]]


def test_two_events_of_one_report_stay_apart_and_each_finds_its_match() -> None:
    academy = Location(
        name="Police academy, Kabul",
        country="AF",
        latitude=34.489,
        longitude=69.128,
        precision="point",
    )
    police = Actor(name="Police", kind="state forces")
    kwargs = {"event_type": "Explosions/Remote violence", "actor2": None}
    truck = event("a", 0, start=AUG_8, location=KABUL, actor1=None, sub_event_type="IED", **kwargs)
    raid = event(
        "a", 1, start=AUG_8, location=academy, sub_event_type="Suicide bomb", **kwargs
    ).model_copy(update={"actor2": police})
    truck_b = event(
        "b", 0, start=AUG_8, location=KABUL, actor1=None, sub_event_type="IED", **kwargs
    )
    raid_b = event(
        "c", 0, start=AUG_8, location=academy, sub_event_type="Suicide bomb", **kwargs
    ).model_copy(update={"actor2": police})

    result = clustered(("a", [truck, raid]), ("b", [truck_b]), ("c", [raid_b]))

    assert result == [["a#0", "b#0"], ["a#1", "c#0"]]


FIGHTERS = Actor(name="Hazara fighters", kind="militia")
ALLIANCE = Actor(name="Northern Alliance", kind="militia")


@pytest.mark.parametrize(
    ("victims_a", "victims_b", "score"),
    [
        (CIVILIANS, CIVILIANS, 1.0),
        (CIVILIANS, None, 0.75),
        (FIGHTERS, ALLIANCE, 0.6),
        (CIVILIANS, FIGHTERS, 0.5),
    ],
    ids=["same-victims", "victims-unknown", "two-armed-groups", "fighters-not-civilians"],
)
def test_actor_score_compares_perpetrators_and_victim_groups(
    victims_a: Actor, victims_b: Actor | None, score: float
) -> None:
    a = event("a", 0, start=AUG_8, actor2=victims_a)
    b = event("b", 0, start=AUG_8, actor2=victims_b)

    assert actor_score(a, b, Settings.load()) == score


def test_each_merge_says_which_fields_matched_and_the_score() -> None:
    a = event("a", 0, start=AUG_8)
    b = event("b", 0, start=date(1998, 8, 1), end=date(1998, 8, 31), precision="month")

    (link,) = reconcile([report("a", [a]), report("b", [b])]).cluster_of("a", "a#0").links

    assert link.document_ids == ("a", "b")
    assert set(link.fields) == {"type", "date", "location", "actors"}
    assert link.fields["location"] == 1.0
    assert link.notes[0] == "dates overlap"
    assert 0.62 <= link.score <= 1.0


def undated(doc_id: str) -> EventRecord:
    return event(doc_id, 0, start=AUG_8).model_copy(
        update={"date_start": None, "date_end": None, "date_precision": None}
    )


def test_undated_events_of_undated_reports_are_never_one_event() -> None:
    # The same attack on the same town, with no day anywhere: nothing ties the two together.
    result = reconcile([report("a", [undated("a")]), report("b", [undated("b")])])

    assert sorted(len(c.members) for c in result.clusters) == [1, 1]


def test_undated_events_join_through_their_reports_publication_days() -> None:
    told = [report(d, [undated(d)], published=date(1998, 8, 10)) for d in ("a", "b")]

    assert [len(c.members) for c in reconcile(told).clusters] == [2]
