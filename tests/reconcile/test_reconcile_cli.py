"""``rasd reconcile``: documents with events in, clusters and flags out."""

from __future__ import annotations

import json
from pathlib import Path

from gold_builders import mazar_gold, write_jsonl
from reconcile_builders import mazar_reports
from typer.testing import CliRunner

from rasd.cli import app
from rasd.document import Document, Source
from rasd.reconcile import Report

runner = CliRunner()


def extracted(tmp_path: Path, reports: list[Report]) -> Path:
    """The reports as ``rasd extract --format jsonl`` writes them: one Document per line."""
    docs = [
        Document(
            text=r.text,
            id=r.document_id,
            source=Source(publisher=r.publisher, published=r.published),
            events=list(r.events),
        )
        for r in reports
    ]
    return write_jsonl(tmp_path / "docs.jsonl", [d.to_dict() for d in docs])


def test_table_lists_shared_events_and_both_sides_of_each_flag(tmp_path: Path) -> None:
    path = extracted(tmp_path, mazar_reports())

    result = runner.invoke(app, ["reconcile", str(path)])

    assert result.exit_code == 0, result.output
    assert "4 events, 2 flags" in result.output
    assert "same day and month, different year" in result.output
    assert (
        "    example: 1995-09-21 … 1995-09-30 — «أواخر شهر أيلول/سبتمبر عام 1995»" in result.output
    )
    assert "8000 fatalities attributed to Human Rights Watch" in result.output


def test_json_output_has_clusters_with_members_links_and_flags(tmp_path: Path) -> None:
    path = extracted(tmp_path, mazar_reports())

    result = runner.invoke(app, ["reconcile", "--format", "json", str(path)])

    data = json.loads(result.output)
    kabul = next(
        c
        for c in data["clusters"]
        if len(c["members"]) == 3 and c["event"]["event_type"] == "Battles"
    )
    assert kabul["event"]["date_start"] == "1996-09-27"
    assert [f["kind"] for f in kabul["flags"]] == ["date_conflict"]
    assert kabul["links"][0]["fields"].keys() == {"type", "date", "location", "actors"}


def test_from_gold_reconciles_the_annotated_events(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "gold.jsonl", mazar_gold())

    result = runner.invoke(app, ["reconcile", "--from-gold", "--format", "json", str(path)])

    clusters = json.loads(result.output)["clusters"]
    assert sorted(len(c["members"]) for c in clusters) == [3, 3]
    kinds = sorted(f["kind"] for c in clusters for f in c["flags"])
    assert kinds == ["date_conflict", "misattribution"]


def test_a_line_that_is_not_a_document_is_named_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x"}\n{"oops": 1}\n', encoding="utf-8")

    result = runner.invoke(app, ["reconcile", str(path)])

    assert result.exit_code == 1
    assert isinstance(result.exception, Exception)
    assert str(result.exception) == f"{path}:2: not a document with events ('text')"
