"""Merged figures: low = lowest claim, high = highest, best = most corroborated and specific."""

from __future__ import annotations

from datetime import date
from typing import Any

from reconcile_builders import claim, event, report

from rasd.reconcile import Report, reconcile
from rasd.records import Figures

DAY = date(2015, 7, 20)
TEXT = "قتل 30 شخصا. قتل 28 شخصا على الأقل. قتل 27 شخصا. عشرات القتلى. قتل 32 شخصا."


def one_report(doc: str, fragment: str, best: int, published: date, **kwargs: Any) -> Report:
    made = claim(doc, TEXT, fragment, best, **kwargs)
    return report(
        doc,
        [event(doc, 0, start=DAY, claims=(made,))],
        text=f"{doc} {TEXT}",
        publisher=f"Paper {doc}",
        published=published,
    )


def test_best_is_the_figure_most_independent_sources_allow() -> None:
    reports = [
        one_report("a", "قتل 27 شخصا", 27, date(2015, 7, 20)),
        one_report("b", "قتل 28 شخصا على الأقل", 28, date(2015, 7, 21), qualifier="at_least"),
        one_report("c", "قتل 30 شخصا", 30, date(2015, 7, 21)),
        one_report("d", "قتل 30 شخصا", 30, date(2015, 7, 22)),
    ]

    cluster = reconcile(reports).clusters[0]

    assert cluster.event.fatalities == Figures(low=27, best=30, high=30)
    (rule,) = cluster.figures
    assert rule.best_from == "30 fatalities (Paper d)"


def test_vague_words_are_a_lower_bound_not_the_best_estimate() -> None:
    reports = [
        one_report("a", "عشرات القتلى", 12, date(2015, 7, 20), qualifier="vague"),
        one_report("b", "قتل 30 شخصا", 30, date(2015, 7, 21)),
    ]

    figures = reconcile(reports).clusters[0].event.fatalities

    assert figures == Figures(low=12, best=30, high=30)


def test_an_official_figure_wins_over_the_papers_own_when_support_is_equal() -> None:
    reports = [
        one_report("a", "قتل 27 شخصا", 27, date(2015, 7, 21)),
        one_report("b", "قتل 32 شخصا", 32, date(2015, 7, 20), attributed_to="Ministry of Interior"),
    ]

    figures = reconcile(reports).clusters[0].event.fatalities

    assert figures == Figures(low=27, best=32, high=32)


def test_a_figure_nobody_gives_stays_unknown_not_zero() -> None:
    reports = [report(d, [event(d, 0, start=DAY)]) for d in ("a", "b")]

    cluster = reconcile(reports).clusters[0]

    assert cluster.event.fatalities == Figures()
    assert cluster.figures == []
