"""Grades in the spirit of Airwars: independent sources, acknowledgement, conflicts."""

from __future__ import annotations

from datetime import date

import pytest
from reconcile_builders import TALIBAN, claim, event, report

from rasd.reconcile import Report, reconcile
from rasd.records import Actor, Grade

DAY = date(2015, 8, 7)
TEXT = "أعلنت الحركة مسؤوليتها عن الهجوم الذي قتل 20 شخصا."
ISLAMIC_STATE = Actor(name="Islamic State", kind="rebel group")
FIGHTERS = Actor(name="Police cadets", kind="state forces")


def told_by(*publishers: str, **changes: object) -> list[Report]:
    docs = [(f"r{n}-{p}", p) for n, p in enumerate(publishers)]
    return [
        report(doc, [event(doc, 0, start=DAY).model_copy(update=changes)], publisher=p)
        for doc, p in docs
    ]


def acknowledged(by: str) -> Report:
    made = claim("ack", TEXT, "قتل 20 شخصا", 20, attributed_to=by)
    return report("ack", [event("ack", 0, start=DAY, claims=(made,))], publisher="Agency")


@pytest.mark.parametrize(
    ("reports", "grade", "reason"),
    [
        (told_by("Paper A"), "weak", "a single source"),
        (told_by("Paper A", "Paper B"), "fair", "2 independent sources"),
        (told_by("Paper A", "Paper A"), "weak", "a single source"),
        ([*told_by("Paper A"), acknowledged("Taliban")], "confirmed", "acknowledged by Taliban"),
        (
            [*told_by("Paper A"), acknowledged("Ministry of Interior")],
            "confirmed",
            "acknowledged by Ministry of Interior",
        ),
        (
            [*told_by("Paper A"), *told_by("Paper B", actor1=ISLAMIC_STATE)],
            "contested",
            "competing perpetrators: Taliban, Islamic State",
        ),
        (
            told_by("Paper A", "Paper B", actor2=FIGHTERS),
            "discounted",
            "the victims are named as combatants",
        ),
    ],
    ids=[
        "one-report",
        "two-papers",
        "one-publisher-twice",
        "perpetrator-claims-it",
        "official-acknowledges",
        "competing-perpetrators",
        "victims-were-fighters",
    ],
)
def test_grade_of_an_event(reports: list[Report], grade: Grade, reason: str) -> None:
    (cluster,) = reconcile(reports).clusters

    assert (cluster.grade, cluster.grade_reason) == (grade, reason)
    assert cluster.event.grade == grade


def test_an_unidentified_attacker_does_not_contest_a_named_perpetrator() -> None:
    unknown = Actor(name="Unidentified gunmen", kind="other")
    reports = [
        report("a", [event("a", 0, start=DAY, actor1=TALIBAN)], publisher="A"),
        report("b", [event("b", 0, start=DAY, actor1=unknown)], publisher="B"),
    ]

    (cluster,) = reconcile(reports).clusters

    assert cluster.grade == "fair"
