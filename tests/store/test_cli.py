"""``rasd ingest`` and ``rasd search`` as a user runs them, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fragile_stage import fragile_stage
from rasd.cli import app
from rasd.errors import StoreError
from rasd.pipeline import Pipeline, extract
from rasd.store import Store
from seed_events import EXAMPLE

runner = CliRunner()


def test_ingest_stores_good_files_reports_bad_ones_and_skips_stored_ones(
    tmp_path: Path, db_url: str
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a-mazar.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b-picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (folder / "c-aleppo.txt").write_text(
        "قصفت القوات الحكومية حيا سكنيا في حلب يوم 3 آذار/مارس 2016.", encoding="utf-8"
    )
    first = runner.invoke(app, ["ingest", str(folder), "--db", db_url])
    assert first.exit_code == 1
    assert first.stdout.startswith("stored 2 document(s) with ")
    assert "event(s); 0 already stored; 1 failed" in first.stdout
    assert f"rasd: {folder / 'b-picture.txt'}: binary file (PNG image), not a text report" in (
        first.stderr
    )
    again = runner.invoke(app, ["ingest", str(folder / "a-mazar.txt"), "--db", db_url])
    assert again.exit_code == 0
    assert again.stdout == "stored 0 document(s) with 0 event(s); 1 already stored; 0 failed\n"
    with Store(db_url) as store:
        assert store.count_documents() == 2


def test_a_stage_crash_fails_only_its_document_and_the_rest_are_stored(
    tmp_path: Path, db_url: str
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in (
        ("a.txt", "قتل جندي."),
        ("b.txt", "أصيب مدني ليلة الأحد."),
        ("c.txt", "قتل شرطي."),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    with fragile_stage("dates", marker="ليلة"):
        result = runner.invoke(app, ["ingest", str(folder), "--db", db_url])

    assert result.exit_code == 1
    summary = result.stdout.splitlines()[0]
    assert summary.startswith("stored 2 document(s)")
    assert summary.endswith("; 0 already stored; 1 failed")
    assert result.stderr.splitlines() == [
        f"rasd: {folder / 'b.txt'}: stage 'dates' failed (IndexError: list index out of range)"
    ]
    with Store(db_url) as store:
        found, total = store.list_documents(limit=10)
    assert total == 2
    assert sorted(d.path or "" for d in found) == [str(folder / "a.txt"), str(folder / "c.txt")]


def test_search_prints_matching_reports(db_url: str) -> None:
    runner.invoke(app, ["ingest", str(EXAMPLE), "--db", db_url])
    result = runner.invoke(app, ["search", "مزار الشريف", "--db", db_url])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1 document(s)"
    assert lines[1].split("\t")[3].startswith("أواخر شهر أيلول/سبتمبر")


def test_the_database_url_can_come_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    result = runner.invoke(app, ["ingest", str(EXAMPLE)], env={"RASD_DATABASE_URL": url})
    assert result.exit_code == 0
    assert (tmp_path / "from-env.db").exists()


def test_an_unreachable_database_is_one_clear_error() -> None:
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"
    result = runner.invoke(app, ["ingest", str(EXAMPLE), "--db", url])
    assert result.exit_code == 1
    assert "cannot open database postgresql+psycopg://nobody:***@127.0.0.1:1/none" in str(
        result.exception
    )


def test_a_rerun_skips_stored_reports_without_extracting_them_again(
    tmp_path: Path, db_url: str
) -> None:
    report = tmp_path / "report.txt"
    report.write_text("أصيب مدني ليلة الأحد في قصف على قرية صغيرة.", encoding="utf-8")
    runner.invoke(app, ["ingest", str(report), "--db", db_url])

    # A stage that would crash on this report shows whether the rerun extracts it again.
    with fragile_stage("dates", marker="ليلة"):
        again = runner.invoke(app, ["ingest", str(report), "--db", db_url])

    assert again.exit_code == 0, again.stderr
    assert again.stdout == "stored 0 document(s) with 0 event(s); 1 already stored; 0 failed\n"


def test_a_batch_stores_new_documents_and_skips_stored_ones(
    db_url: str, pipeline: Pipeline
) -> None:
    docs = [extract(f"قتل {n} مدنيين في قصف على قرية صغيرة.", pipeline=pipeline) for n in (2, 3, 4)]
    with Store(db_url) as store:
        store.ingest(docs[1])
        results = store.ingest_many(docs)
        stored = store.count_documents()

    assert [(r.document_id, r.created) for r in results] == [
        (docs[0].id, True),
        (docs[1].id, False),
        (docs[2].id, True),
    ]
    assert stored == 3


def test_a_document_the_database_refuses_rolls_back_its_whole_batch(
    db_url: str, pipeline: Pipeline
) -> None:
    good = extract("قتل مدنيان في قصف على قرية صغيرة.", pipeline=pipeline)
    refused = extract("قتل جندي في اشتباك.", pipeline=pipeline)
    refused.lang = None  # type: ignore[assignment]  # a NOT NULL column
    with Store(db_url) as store:
        with pytest.raises(StoreError, match="database error"):
            store.ingest_many([good, refused])
        assert store.count_documents() == 0
