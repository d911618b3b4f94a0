"""``rasd eval GOLD.jsonl`` on a small gold file written for the test."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasd.cli import app
from rasd.evaluate import EvalOptions
from rasd.evaluate.events import evaluate

TEXT = "انفجرت سيارة مفخخة في سوق شعبي، ما أسفر عن مقتل 5 أشخاص."
GOLD = {
    "id": "t-1",
    "lang": "ar",
    "source": {"published": "2015-07-20"},
    "text": TEXT,
    "events": [
        {
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Remote explosive/landmine/IED",
            "date": {"start": "2015-07-18", "end": "2015-07-20", "precision": "week", "span": None},
            "location": {
                "span": "سوق شعبي",
                "name": "X",
                "country": "IQ",
                "admin1": "Baghdad",
                "lat": 33.3,
                "lon": 44.4,
                "precision": "point",
            },
            "actor1": None,
            "actor2": None,
            "fatalities": {"low": 5, "best": 5, "high": 5},
            "claims": [],
            "evidence": TEXT,
        }
    ],
}


def write_gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_pairs_events_and_scores_fields(tmp_path: Path) -> None:
    report = evaluate(write_gold(tmp_path), EvalOptions(errors=True))
    assert report.figures["paired"] == 1
    assert report.figures["type"] == 1.0
    assert report.figures["sub_type"] == 1.0
    assert report.figures["date_exact"] == 1.0
    # no places stage in this pipeline yet: the location cannot match, so neither does the event
    assert report.figures["within_25km"] == 0.0
    assert any("within_25km" in line for line in report.errors)


def test_cli_prints_table_and_json(tmp_path: Path) -> None:
    path = write_gold(tmp_path)
    table = CliRunner().invoke(app, ["eval", str(path)])
    assert table.exit_code == 0
    assert "event F1" in table.stdout
    as_json = CliRunner().invoke(app, ["eval", str(path), "--json"])
    assert json.loads(as_json.stdout)["gold_events"] == 1


STRIKE = "شنت طائرات التحالف غارات على مواقع الحوثيين في محافظة صعدة اليوم الاثنين."


def province_gold(admin1: str, lat: float, lon: float) -> dict[str, object]:
    return {
        "id": "t-2",
        "lang": "ar",
        "source": {"published": "2015-07-20"},
        "text": STRIKE,
        "events": [
            {
                "event_type": "Explosions/Remote violence",
                "sub_event_type": "Air/drone strike",
                "date": {"start": "2015-07-20", "end": "2015-07-20", "precision": "day"},
                # the province's point written as some other place in it, > 25 km from ours
                "location": {
                    "span": "محافظة صعدة",
                    "name": "Saada governorate",
                    "country": "YE",
                    "admin1": admin1,
                    "lat": lat,
                    "lon": lon,
                    "precision": "admin1",
                },
                "evidence": STRIKE,
            }
        ],
    }


@pytest.mark.parametrize(
    ("admin1", "lat", "lon", "matched"),
    [("Saada", 17.5, 44.1, 1), ("Sa'dah Governorate", 17.5, 44.1, 1), ("Hajjah", 15.7, 43.6, 0)],
    ids=["same-province-other-spelling", "with-unit-word", "another-province"],
)
def test_a_province_matches_by_name_not_by_its_point(
    tmp_path: Path, admin1: str, lat: float, lon: float, matched: int
) -> None:
    path = tmp_path / "gold.jsonl"
    gold = province_gold(admin1, lat, lon)
    path.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    report = evaluate(path, EvalOptions())
    assert report.figures["matched"] == matched
    assert report.figures["admin1"] == float(matched)
