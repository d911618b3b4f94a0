"""``rasd.extract``: the Python entry point, as the README shows it."""

from __future__ import annotations

from datetime import date

import pytest

import rasd
from rasd.pipeline import Pipeline

SENTENCE = "قالت مصادر طبية إن 11 شخصا قتلوا أمس في قصف على حلب."


def test_a_publication_date_anchors_yesterday(pipeline: Pipeline) -> None:
    doc = rasd.extract(SENTENCE, published="2016-03-04", pipeline=pipeline)

    assert doc.source.published == date(2016, 3, 4)
    [event] = doc.events
    assert (event.date_start, event.date_precision) == (date(2016, 3, 3), "day")
    assert event.fatalities.best == 11
    assert event.location is not None
    assert event.location.country == "SY"


def test_a_bad_publication_date_is_refused(pipeline: Pipeline) -> None:
    with pytest.raises(ValueError, match="Invalid isoformat"):
        rasd.extract(SENTENCE, published="4/3/2016", pipeline=pipeline)
