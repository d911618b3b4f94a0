"""``rasd extract --format acled-csv | ged-csv | geojson | jsonl`` on a report file."""

import json
from pathlib import Path

from typer.testing import CliRunner

from rasd.cli import app


def test_jsonl_has_one_document_per_line_with_events(tmp_path: Path, mazar_text: str) -> None:
    report = tmp_path / "report.txt"
    report.write_text(mazar_text, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(report), "--format", "jsonl"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["events"]


def test_acled_csv_header_and_geojson(tmp_path: Path, mazar_text: str) -> None:
    report = tmp_path / "report.txt"
    report.write_text(mazar_text, encoding="utf-8")
    acled = CliRunner().invoke(app, ["extract", str(report), "--format", "acled-csv"])
    assert acled.exit_code == 0
    assert acled.stdout.splitlines()[0].startswith("event_id_cnty,event_date,year,")
    geojson = CliRunner().invoke(app, ["extract", str(report), "--format", "geojson"])
    assert json.loads(geojson.stdout)["type"] == "FeatureCollection"
