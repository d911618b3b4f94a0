"""The Mazar-i-Sharif reports as fixtures (builders: ``reconcile_builders``)."""

from __future__ import annotations

from datetime import date

import pytest
from reconcile_builders import (
    CONSULATE,
    Actor,
    Report,
    claim,
    event,
    example_text,
    kabul_falls,
    read_fixture,
    report,
    span,
)


@pytest.fixture
def example_report() -> Report:
    """The example report: Kabul's fall in late Sept 1995, ~8,000 killed "according to HRW"."""
    doc, text = "example", example_text()
    massacre = event(
        doc,
        1,
        start=date(1998, 8, 8),
        end=date(1998, 8, 15),
        precision="week",
        claims=(
            claim(
                doc,
                text,
                "مقتل نحو 8 آلاف شخص",
                8000,
                qualifier="approx",
                attributed_to="Human Rights Watch",
                attribution="هيومن رايتس ووتش",
            ),
            claim(doc, text, "المئات من الذكور", 100, qualifier="vague", victims="الذكور"),
        ),
        date_span=span(doc, text, "يوم 8 آب/أغسطس 1998"),
    )
    fall_of_mazar = event(
        doc,
        2,
        start=date(1998, 8, 8),
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        actor2=Actor(name="Hazara fighters", kind="militia"),
        claims=(
            claim(
                doc,
                text,
                "لم يتمكن سوى 100 مقاتل",
                1400,
                qualifier="derived",
                victims="مقاتل",
                derivation="about 1,500 fighters, only 100 survived",
            ),
        ),
    )
    consulate = event(
        doc,
        3,
        start=date(1998, 8, 8),
        location=CONSULATE,
        actor2=Actor(name="Iranian diplomats", kind="civilians"),
        claims=(claim(doc, text, "مقتل 11 شخصا", 11, parts=[10, 1]),),
    )
    kabul = kabul_falls(
        doc, 0, text, "أواخر شهر أيلول/سبتمبر عام 1995", date(1995, 9, 21), date(1995, 9, 30)
    )
    return report(doc, [kabul, massacre, fall_of_mazar, consulate], text=text)


@pytest.fixture
def gazette_report() -> Report:
    """A newspaper: Kabul fell on 27 Sept 1996; HRW counted "at least 2,000"."""
    doc, text = "gazette", read_fixture("kabul-mazar-gazette.ar.txt")
    kabul = kabul_falls(doc, 0, text, "27 أيلول/سبتمبر 1996", date(1996, 9, 27), date(1996, 9, 27))
    massacre = event(
        doc,
        1,
        start=date(1998, 8, 8),
        claims=(
            claim(
                doc,
                text,
                "ما لا يقل عن 2000 مدني",
                2000,
                qualifier="at_least",
                attributed_to="Human Rights Watch",
                attribution="هيومن رايتس ووتش",
            ),
        ),
        date_span=span(doc, text, "8 آب/أغسطس 1998"),
    )
    return report(
        doc, [kabul, massacre], text=text, publisher="Gazette", published=date(1999, 1, 10)
    )


@pytest.fixture
def ngo_report() -> Report:
    """Human Rights Watch's own report: at least 2,000 killed, in its own voice."""
    doc, text = "hrw", read_fixture("mazar-ngo-report.ar.txt")
    massacre = event(
        doc,
        0,
        start=date(1998, 8, 8),
        end=date(1998, 8, 12),
        precision="week",
        claims=(claim(doc, text, "مقتل ما لا يقل عن 2000 شخص", 2000, qualifier="at_least"),),
        date_span=span(doc, text, "8 آب/أغسطس 1998"),
    )
    kabul = kabul_falls(
        doc, 1, text, "ليلة 26 إلى 27 أيلول/سبتمبر 1996", date(1996, 9, 26), date(1996, 9, 27)
    )
    return report(
        doc,
        [massacre, kabul],
        text=text,
        publisher="Human Rights Watch",
        published=date(1998, 11, 15),
    )
