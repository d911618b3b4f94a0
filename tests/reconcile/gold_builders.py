"""Gold-format records (docs/gold-format.md) of the Mazar-i-Sharif reports, written for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reconcile_builders import example_text, read_fixture

KABUL = {
    "span": "كابل",
    "name": "Kabul",
    "country": "AF",
    "admin1": "Kabul",
    "lat": 34.53,
    "lon": 69.17,
    "precision": "city",
}
MAZAR = {
    "span": "مزار شريف",
    "name": "Mazar-i-Sharif",
    "country": "AF",
    "admin1": "Balkh",
    "lat": 36.709,
    "lon": 67.11,
    "precision": "city",
}
TALIBAN = {"span": "طالبان", "name": "Taliban", "kind": "rebel group"}


def _event(
    cluster: str,
    kind: str,
    start: str,
    end: str,
    precision: str,
    date_span: str,
    claims: list[dict[str, Any]],
) -> dict[str, Any]:
    battle = kind == "kabul"
    return {
        "cluster": cluster,
        "event_type": "Battles" if battle else "Violence against civilians",
        "sub_event_type": "Non-state actor overtakes territory" if battle else "Attack",
        "date": {"start": start, "end": end, "precision": precision, "span": date_span},
        "location": KABUL if battle else MAZAR,
        "actor1": TALIBAN,
        "actor2": None,
        "fatalities": None,
        "claims": claims,
        "evidence": date_span,
    }


def _claim(
    span: str, value: int, qualifier: str, source: str | None, source_span: str | None
) -> dict[str, Any]:
    return {
        "quantity": "fatalities",
        "span": span,
        "low": value,
        "best": value,
        "high": None if qualifier == "at_least" else value,
        "qualifier": qualifier,
        "attributed_to": source,
        "attribution_span": source_span,
    }


def mazar_gold() -> list[dict[str, Any]]:
    hrw = "Human Rights Watch"
    return [
        {
            "id": "example",
            "lang": "ar",
            "text": example_text(),
            "source": {"publisher": "Example", "published": None, "url": None, "licence": None},
            "events": [
                _event(
                    "kabul-1996",
                    "kabul",
                    "1995-09-21",
                    "1995-09-30",
                    "month",
                    "أواخر شهر أيلول/سبتمبر عام 1995",
                    [],
                ),
                _event(
                    "mazar-1998",
                    "mazar",
                    "1998-08-08",
                    "1998-08-15",
                    "week",
                    "يوم 8 آب/أغسطس 1998",
                    [_claim("مقتل نحو 8 آلاف شخص", 8000, "approx", hrw, "هيومن رايتس ووتش")],
                ),
            ],
            "notes": "DATE differs: Kabul fell in 1996. MISATTRIBUTION: HRW documented 2,000.",
        },
        {
            "id": "gazette",
            "lang": "ar",
            "text": read_fixture("kabul-mazar-gazette.ar.txt"),
            "source": {
                "publisher": "Gazette",
                "published": "1999-01-10",
                "url": None,
                "licence": None,
            },
            "events": [
                _event(
                    "kabul-1996",
                    "kabul",
                    "1996-09-27",
                    "1996-09-27",
                    "day",
                    "27 أيلول/سبتمبر 1996",
                    [],
                ),
                _event(
                    "mazar-1998",
                    "mazar",
                    "1998-08-08",
                    "1998-08-08",
                    "day",
                    "8 آب/أغسطس 1998",
                    [_claim("ما لا يقل عن 2000 مدني", 2000, "at_least", hrw, "هيومن رايتس ووتش")],
                ),
            ],
            "notes": "",
        },
        {
            "id": "hrw",
            "lang": "ar",
            "text": read_fixture("mazar-ngo-report.ar.txt"),
            "source": {"publisher": hrw, "published": "1998-11-15", "url": None, "licence": None},
            "events": [
                _event(
                    "mazar-1998",
                    "mazar",
                    "1998-08-08",
                    "1998-08-12",
                    "week",
                    "8 آب/أغسطس 1998",
                    [_claim("مقتل ما لا يقل عن 2000 شخص", 2000, "at_least", None, None)],
                ),
                _event(
                    "kabul-1996",
                    "kabul",
                    "1996-09-26",
                    "1996-09-27",
                    "day",
                    "ليلة 26 إلى 27 أيلول/سبتمبر 1996",
                    [],
                ),
            ],
            "notes": "",
        },
    ]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path
