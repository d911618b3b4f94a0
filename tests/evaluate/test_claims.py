"""``rasd eval claims``: gold claims matched to claim mentions by span overlap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.evaluate import EvalOptions, get_scorer

TEXT = "وقال مصدر أمني عراقي إن 9 أشخاص قتلوا في الانفجار وأصيب 12 آخرون."


def test_claims_scorer_compares_value_quantity_and_source(tmp_path: Path) -> None:
    record = {
        "id": "r1",
        "lang": "ar",
        "text": TEXT,
        "events": [
            {
                "claims": [
                    {
                        "quantity": "fatalities",
                        "span": "9 أشخاص قتلوا",
                        "low": 9,
                        "best": 9,
                        "high": 9,
                        "qualifier": "exact",
                        "attributed_to": "Iraqi security source",
                        "attribution_span": "مصدر أمني عراقي",
                    },
                    {
                        "quantity": "injured",
                        "span": "أصيب 12 آخرون",
                        "low": 12,
                        "best": 12,
                        "high": 12,
                        "qualifier": "exact",
                        # another source, not in the text: neither name nor span agrees
                        "attributed_to": "Iraqi police",
                        "attribution_span": None,
                    },
                ]
            }
        ],
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    figures = get_scorer("claims")(gold, EvalOptions()).figures
    assert (figures["recall"], figures["value_exact"], figures["quantity"]) == (1.0, 1.0, 1.0)
    assert (figures["attribution"], figures["attribution_span_overlap"]) == (0.5, 0.5)


def claim_record(attributed_to: str, attribution_span: str | None) -> dict[str, object]:
    claim = {
        "quantity": "fatalities",
        "span": "9 أشخاص قتلوا",
        "low": 9,
        "best": 9,
        "high": 9,
        "qualifier": "exact",
        "attributed_to": attributed_to,
        "attribution_span": attribution_span,
    }
    return {"id": "r2", "lang": "ar", "text": TEXT, "events": [{"claims": [claim]}]}


@pytest.mark.parametrize(
    ("attributed_to", "attribution_span", "agrees"),
    [
        ("Iraqi security source", None, 1.0),
        ("an Iraqi security source in Baghdad", None, 1.0),
        ("Ahmed Salih, Iraqi security official", "مصدر أمني عراقي", 1.0),
        ("Iraqi police", None, 0.0),
    ],
    ids=["same-name", "name-holds-ours", "same-words-other-name", "other-source"],
)
def test_a_source_agrees_by_name_or_by_its_words(
    tmp_path: Path, attributed_to: str, attribution_span: str | None, agrees: float
) -> None:
    gold = tmp_path / "gold.jsonl"
    record = claim_record(attributed_to, attribution_span)
    gold.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert get_scorer("claims")(gold, EvalOptions()).figures["attribution"] == agrees
