"""Contradictions between and within reports, each flag with both sides' evidence."""

from __future__ import annotations

from datetime import date

import pytest
from reconcile_builders import claim, event, report

from rasd.reconcile import reconcile
from rasd.records import Qualifier

DAY = date(2015, 8, 7)
TEXT = (
    "قتل 8 أشخاص بحسب مسؤول في الإسعاف. وقال مصدر في الشرطة إن 20 طالبا قتلوا. "
    "قتل 11 شخصا بينهم 10 دبلوماسيين ومراسلان. كان في الموقع 1500 مقاتل لم ينج منهم سوى 100 مقاتل."
)


def test_toll_that_differs_widely_between_reports_is_flagged_with_the_spread() -> None:
    early = event("a", 0, start=DAY, claims=(claim("a", TEXT, "قتل 8 أشخاص", 8),))
    later = event("b", 0, start=DAY, claims=(claim("b", TEXT, "20 طالبا قتلوا", 20),))
    reports = [
        report("a", [early], publisher="Paper A", published=DAY),
        report("b", [later], publisher="Paper B", published=date(2015, 8, 8)),
    ]

    (flag,) = reconcile(reports).flags

    assert flag.kind == "figure_conflict"
    assert flag.spread == (8, 20)
    assert (
        flag.message == "fatalities range from 8 to 20 across reports (rising with later reports)"
    )
    assert [(s.publisher, s.says) for s in flag.sides] == [
        ("Paper A", "8 fatalities"),
        ("Paper B", "20 fatalities"),
    ]
    assert [s.evidence[0].text for s in flag.sides] == ["قتل 8 أشخاص", "20 طالبا قتلوا"]


@pytest.mark.parametrize(
    ("first", "second", "qualifier"),
    [(8, 9, "exact"), (25, 20, "at_least")],
    ids=["close-figures", "at-least-bound-allows-it"],
)
def test_figures_that_can_both_hold_are_not_flagged(
    first: int, second: int, qualifier: Qualifier
) -> None:
    a = event("a", 0, start=DAY, claims=(claim("a", TEXT, "قتل 8 أشخاص", first),))
    b_claim = claim("b", TEXT, "20 طالبا قتلوا", second, qualifier=qualifier)
    b = event("b", 0, start=DAY, claims=(b_claim,))

    assert reconcile([report("a", [a]), report("b", [b])]).flags == []


def test_report_dated_days_away_from_the_others_is_flagged() -> None:
    reports = [
        report(d, [event(d, 0, start=day)], publisher=d)
        for d, day in (("a", date(2015, 8, 3)), ("b", date(2015, 8, 3)), ("c", date(2015, 8, 4)))
    ]

    (flag,) = reconcile(reports).flags

    assert flag.kind == "date_conflict"
    assert flag.by == "reconcile.date_gap"
    assert flag.message == "dated 2015-08-04 here, 1 day(s) from 2015-08-03 in 2 other report(s)"
    assert [s.document_id for s in flag.sides] == ["c", "a", "b"]


def test_breakdown_larger_than_its_total_is_flagged() -> None:
    consulate = claim("a", TEXT, "قتل 11 شخصا", 11, parts=[10, 2])

    (flag,) = reconcile([report("a", [event("a", 0, start=DAY, claims=(consulate,))])]).flags

    assert flag.kind == "breakdown_mismatch"
    assert flag.message == "parts 10 + 2 = 12 exceed the stated total 11 fatalities"


def test_breakdown_that_adds_up_is_not_flagged() -> None:
    consulate = claim("a", TEXT, "قتل 11 شخصا", 11, parts=[10, 1])

    assert reconcile([report("a", [event("a", 0, start=DAY, claims=(consulate,))])]).flags == []


def test_toll_derived_from_survivors_that_contradicts_the_stated_toll_is_flagged() -> None:
    derived = claim(
        "a",
        TEXT,
        "لم ينج منهم سوى 100 مقاتل",
        1400,
        qualifier="derived",
        victims="مقاتل",
        derivation="1500 fighters, 100 survived",
    )
    stated = claim("a", TEXT, "قتل 8 أشخاص", 300, victims="مقاتل")

    (flag,) = reconcile([report("a", [event("a", 0, start=DAY, claims=(derived, stated))])]).flags

    assert flag.kind == "internal_inconsistency"
    assert flag.message.startswith("a derived toll contradicts a stated one: 1400")
    assert {s.document_id for s in flag.sides} == {"a"}


def test_parts_of_one_toll_told_in_the_papers_own_voice_are_not_rivals() -> None:
    recruits = claim("a", TEXT, "20 طالبا قتلوا", 20)
    workers = claim("a", TEXT, "قتل 8 أشخاص", 8)

    flags = reconcile([report("a", [event("a", 0, start=DAY, claims=(recruits, workers))])]).flags

    assert flags == []


def test_two_named_sources_that_disagree_in_one_report_are_flagged() -> None:
    ambulance = claim(
        "a",
        TEXT,
        "قتل 8 أشخاص",
        8,
        attributed_to="Ambulance official",
        attribution="مسؤول في الإسعاف",
    )
    police = claim(
        "a", TEXT, "20 طالبا قتلوا", 20, attributed_to="Police source", attribution="مصدر في الشرطة"
    )

    (flag,) = reconcile([report("a", [event("a", 0, start=DAY, claims=(ambulance, police))])]).flags

    assert flag.kind == "internal_inconsistency"
    assert flag.message == (
        "sources disagree: 8 (Ambulance official) vs 20 (Police source) in one report"
    )
    assert [e.text for s in flag.sides for e in s.evidence] == [
        "قتل 8 أشخاص",
        "مسؤول في الإسعاف",
        "20 طالبا قتلوا",
        "مصدر في الشرطة",
    ]
