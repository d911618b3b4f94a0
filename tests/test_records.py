"""The published JSON schema (docs/record-schema.json) is the EventRecord model's own."""

import json
from pathlib import Path

from rasd.records import EventRecord

SCHEMA = Path(__file__).parents[1] / "docs" / "record-schema.json"


def test_published_schema_matches_the_model() -> None:
    published = json.loads(SCHEMA.read_text(encoding="utf-8"))
    published.pop("$schema")
    published.pop("$id")
    assert published == EventRecord.model_json_schema()
