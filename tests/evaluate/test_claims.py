"""``rasd eval claims``: gold claims matched to claim mentions by span overlap."""

from __future__ import annotations

import json
from pathlib import Path

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
                        "attributed_to": "Iraqi police",
                        "attribution_span": "مصدر أمني عراقي",
                    },
                ]
            }
        ],
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    figures = get_scorer("claims")(gold, EvalOptions()).figures
    assert (figures["recall"], figures["value_exact"], figures["quantity"]) == (1.0, 1.0, 1.0)
    assert (figures["attribution"], figures["attribution_span_overlap"]) == (0.5, 1.0)
