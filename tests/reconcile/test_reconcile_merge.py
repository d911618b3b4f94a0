"""The merged record: the tightest date range and the most precise place the reports allow."""

from __future__ import annotations

from datetime import date

from reconcile_builders import CONSULATE, MAZAR, event, report

from rasd.reconcile import reconcile
from rasd.records import Location

AUG_8 = date(1998, 8, 8)
BALKH = Location(
    name="Balkh", country="AF", admin1="Balkh", latitude=36.75, longitude=66.9, precision="admin1"
)


def test_merged_place_is_the_most_precise_one_the_others_allow() -> None:
    reports = [
        report(doc, [event(doc, 0, start=AUG_8, location=place)])
        for doc, place in (("a", BALKH), ("b", MAZAR), ("c", CONSULATE))
    ]

    (cluster,) = reconcile(reports).clusters

    assert cluster.event.location == CONSULATE
    assert cluster.location_precision == "point"


def test_merged_dates_are_the_common_part_of_all_ranges() -> None:
    reports = [
        report(
            "a", [event("a", 0, start=date(1998, 8, 1), end=date(1998, 8, 31), precision="month")]
        ),
        report(
            "b", [event("b", 0, start=date(1998, 8, 6), end=date(1998, 8, 9), precision="week")]
        ),
        report(
            "c", [event("c", 0, start=date(1998, 8, 8), end=date(1998, 8, 12), precision="week")]
        ),
    ]

    (cluster,) = reconcile(reports).clusters

    assert (cluster.event.date_start, cluster.event.date_end) == (
        date(1998, 8, 8),
        date(1998, 8, 9),
    )
    assert cluster.event.date_precision == "week"
    assert cluster.flags == []


def test_merged_record_keeps_every_report_and_a_stable_id() -> None:
    reports = [report(d, [event(d, 0, start=AUG_8)]) for d in ("a", "b")]

    first, again = reconcile(reports).clusters[0], reconcile(list(reversed(reports))).clusters[0]

    assert first.event.document_ids == ["a", "b"]
    assert first.cluster_id == again.cluster_id
    assert first.cluster_id.startswith("c-")
