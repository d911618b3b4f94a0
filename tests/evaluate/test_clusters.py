"""``rasd eval clusters``: pairwise scores over reports that share a gold cluster id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rasd.evaluate import EvalOptions, get_scorer

SUQ = {
    "span": "سوق المدينة",
    "name": "Market",
    "country": "YE",
    "admin1": "Aden",
    "lat": 12.8,
    "lon": 45.03,
    "precision": "point",
}
PORT = {
    "span": "الميناء",
    "name": "Port",
    "country": "YE",
    "admin1": "Aden",
    "lat": 12.79,
    "lon": 44.98,
    "precision": "point",
}


def gold_event(cluster: str, day: str, place: dict[str, Any], sub_type: str) -> dict[str, Any]:
    return {
        "cluster": cluster,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": sub_type,
        "date": {"start": day, "end": day, "precision": "day", "span": None},
        "location": place,
        "actor1": None,
        "actor2": None,
        "fatalities": None,
        "claims": [],
        "evidence": place["span"],
    }


def record(doc: str, text: str, events: list[dict[str, Any]], notes: str = "") -> dict[str, Any]:
    return {
        "id": doc,
        "lang": "ar",
        "text": text,
        "events": events,
        "notes": notes,
        "source": {"publisher": doc, "published": None, "url": None, "licence": None},
    }


def write_gold(tmp_path: Path) -> Path:
    records = [
        record(
            "a",
            "انفجرت عبوة في سوق المدينة.",
            [gold_event("market", "2015-07-01", SUQ, "Remote explosive/landmine/IED")],
        ),
        record(
            "b",
            "قتل ثلاثة في انفجار سوق المدينة.",
            [gold_event("market", "2015-07-02", SUQ, "Remote explosive/landmine/IED")],
            notes="DATE differs: a day later than the other report.",
        ),
        record(
            "c",
            "قصف الميناء، وانفجار في سوق المدينة.",
            [
                gold_event("port", "2015-07-01", PORT, "Shelling/artillery/missile attack"),
                gold_event("market", "2015-07-01", SUQ, "Remote explosive/landmine/IED"),
            ],
        ),
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_gold_events_are_scored_pairwise_by_report_and_by_event(tmp_path: Path) -> None:
    report = get_scorer("clusters")(write_gold(tmp_path), EvalOptions())

    gold = report.figures["gold_events"]
    assert isinstance(gold, dict)
    assert report.figures["gold_report_pairs"] == 3
    assert (gold["precision"], gold["recall"], gold["f1"]) == (1.0, 1.0, 1.0)
    assert gold["event_f1"] == 1.0
    assert report.table.splitlines()[1].startswith("gold events")


def test_a_contradiction_noted_in_gold_is_found_by_the_flag_it_names(tmp_path: Path) -> None:
    report = get_scorer("clusters")(write_gold(tmp_path), EvalOptions(errors=True))

    gold = report.figures["gold_events"]
    assert isinstance(gold, dict)
    assert (gold["gold_flags"], gold["flag_recall"], gold["flag_precision"]) == (1, 1.0, 1.0)
    # Errors of the gold-event mode only; "[pipeline]" lines score extraction, not reconciliation.
    assert [e for e in report.errors if not e.startswith("[pipeline]")] == []
