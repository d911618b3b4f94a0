from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.evaluate import EvalOptions, get_scorer
from rasd.evaluate.places import same_admin1


def gold_line(text: str, span: str, **location: object) -> str:
    record = {
        "id": "t1",
        "lang": "ar",
        "text": text,
        "events": [{"location": {"span": span, **location}}],
    }
    return json.dumps(record, ensure_ascii=False)


def test_places_scorer_reports_each_measure(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    lines = [
        gold_line(
            "قتل مدنيون في مدينة مزار شريف عاصمة ولاية بلخ.",
            "مدينة مزار شريف",
            country="AF",
            admin1="Balkh",
            lat=36.709,
            lon=67.11,
            precision="city",
        ),
        gold_line(
            "وقع انفجار في قرية لا يعرفها أحد.",
            "قرية لا يعرفها أحد",
            country="AF",
            admin1=None,
            lat=None,
            lon=None,
            precision="city",
        ),
    ]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = get_scorer("places")(gold, EvalOptions(errors=True))
    assert report.figures["recall (location spans found)"] == 0.5
    assert report.figures["country accuracy"] == 1.0
    assert report.figures["within 25 km"] == 1.0
    assert report.figures["admin1 accuracy"] == 1.0
    assert report.figures["precision code accuracy"] == 1.0
    assert report.errors == ["t1: missed «قرية لا يعرفها أحد»"]


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("Al-Hasakah", "Hasakah", True),
        ("Balkh", "Balkh", True),
        ("Kasserine governorate", "Kasserine", True),
        ("Aleppo", "Idlib", False),
    ],
    ids=["article", "equal", "unit-word", "different"],
)
def test_admin1_names_compare_loosely(gold: str, predicted: str, same: bool) -> None:
    assert same_admin1(gold, predicted) is same
