"""``rasd ingest`` killed with SIGKILL mid-batch, then restarted: every report stored exactly once.

10,000 small reports are generated in a temporary folder; ingest is killed at random points
(once during start-up, then while it writes), restarted each time, and finally run to the end.
The database must then hold each report once, with all of its mentions (one transaction per
document: never half of one), and pass SQLite's ``PRAGMA integrity_check`` and foreign-key check,
or PostgreSQL's constraints and an orphan check.
"""

from __future__ import annotations

import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from tally import tried

from rasd.document import content_id
from rasd.pipeline import Pipeline, extract

RASD = Path(sys.executable).with_name("rasd")
DOCUMENTS = 10_000
KILL_ROUNDS = 5
RUN_LIMIT_S = 900
CHILD_TABLES = ("mentions", "document_flags", "event_documents")

PLACES = ["حلب", "إدلب", "حمص", "درعا", "الرقة", "دير الزور", "حماة", "اللاذقية"]


def report(number: int) -> str:
    """A short report, unique by its number, with a date and a count for the stages to find."""
    rng = random.Random(number)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return (
        f"قصفت طائرات حربية القرية رقم {number} قرب {rng.choice(PLACES)} يوم "
        f"{day}/{month}/2016، ما أدى إلى مقتل {rng.randint(2, 40)} مدنيين بينهم أطفال."
    )


def write_reports(folder: Path) -> dict[str, str]:
    """The reports as files, 100 per subfolder; returns id -> text."""
    texts: dict[str, str] = {}
    for number in range(DOCUMENTS):
        sub = folder / f"batch-{number // 100:03d}"
        sub.mkdir(exist_ok=True)
        body = report(number)
        (sub / f"report-{number:05d}.txt").write_text(body, encoding="utf-8")
        texts[content_id(body)] = body
    assert len(texts) == DOCUMENTS
    return texts


def stored(engine: Engine) -> int:
    """Documents committed so far, read by a separate connection; 0 before the schema exists."""
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM documents")).scalar_one())
    except SQLAlchemyError:
        return 0


def start_ingest(folder: Path, url: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as stream:
        return subprocess.Popen(
            [str(RASD), "ingest", str(folder), "--db", url], stdout=stream, stderr=stream
        )


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + RUN_LIMIT_S
    while not ready():
        assert process.poll() is None, "ingest ended before the kill point"
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()


def kill_restart_rounds(folder: Path, url: str, log: Path, seed: int) -> list[int]:
    """Kill once during start-up, then at rising random document counts; return the counts."""
    rng = random.Random(seed)
    counts: list[int] = []
    engine = create_engine(url)  # one pooled connection polls, not a new one every 20 ms
    try:
        process = start_ingest(folder, url, log)
        started = time.monotonic()
        startup_kill = rng.uniform(0.2, 1.5)
        kill_when(process, lambda: time.monotonic() - started > startup_kill)
        counts.append(stored(engine))
        step = DOCUMENTS // (KILL_ROUNDS + 1)
        for round_number in range(1, KILL_ROUNDS + 1):
            target = rng.randint((round_number - 1) * step + 1, round_number * step)
            process = start_ingest(folder, url, log)
            kill_when(process, lambda target=target: stored(engine) >= max(target, counts[-1] + 1))
            counts.append(stored(engine))
    finally:
        engine.dispose()
    return counts


def final_run(folder: Path, url: str) -> tuple[int, int]:
    done = subprocess.run(
        [str(RASD), "ingest", str(folder), "--db", url],
        capture_output=True,
        text=True,
        timeout=RUN_LIMIT_S,
    )
    assert (done.returncode, done.stderr) == (0, "")
    summary = re.match(
        r"stored (\d+) document\(s\) .*; (\d+) already stored; 0 failed", done.stdout
    )
    assert summary is not None, done.stdout
    return int(summary.group(1)), int(summary.group(2))


def check_every_report_stored_once(url: str, texts: dict[str, str], pipeline: Pipeline) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, text FROM documents")).all()
            assert len(rows) == DOCUMENTS
            assert {row.id: row.text for row in rows} == texts
            for table in CHILD_TABLES:
                orphans = connection.execute(
                    text(
                        f"SELECT count(*) FROM {table} c LEFT JOIN documents d "
                        "ON c.document_id = d.id WHERE d.id IS NULL"
                    )
                ).scalar_one()
                assert orphans == 0, f"{orphans} orphan rows in {table}"
            # Half a document would show as fewer mentions than a fresh extraction gives.
            for doc_id in random.Random(7).sample(sorted(texts), 100):
                count = connection.execute(
                    text("SELECT count(*) FROM mentions WHERE document_id = :id"), {"id": doc_id}
                ).scalar_one()
                assert count == len(extract(texts[doc_id], pipeline=pipeline).mentions)
    finally:
        engine.dispose()


def check_sqlite_integrity(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        indexed = connection.execute(
            "SELECT count(*), count(DISTINCT document_id) FROM document_search"
        ).fetchone()
        assert indexed == (DOCUMENTS, DOCUMENTS), "search index does not hold each report once"


def check_postgres_constraints(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            unvalidated = connection.execute(
                text("SELECT conname FROM pg_constraint WHERE NOT convalidated")
            ).all()
            assert unvalidated == []
            # Rebuilding an index fails on a duplicate key that a damaged index would hide.
            for table in ("documents", *CHILD_TABLES):
                connection.execute(text(f"REINDEX TABLE {table}"))
    finally:
        engine.dispose()


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ingest_killed_at_random_points_stores_every_report_exactly_once(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, pipeline: Pipeline
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    texts = write_reports(folder)
    if backend == "sqlite":
        database = tmp_path / "rasd.db"
        url = f"sqlite:///{database}"
    else:
        url = request.getfixturevalue("postgres").new_database()

    counts = kill_restart_rounds(folder, url, tmp_path / "ingest.log", seed=DOCUMENTS)
    created, skipped = final_run(folder, url)
    print(f"{backend}: reports stored when killed: {counts}; final run stored {created} more")

    tried(f"crash safety: reports ingested under SIGKILL ({backend})", DOCUMENTS)
    tried(f"crash safety: kill-restart rounds ({backend})", len(counts))
    assert counts == sorted(counts), f"a kill lost committed reports: {counts}"
    assert (created + skipped, skipped) == (DOCUMENTS, counts[-1])
    check_every_report_stored_once(url, texts, pipeline)
    if backend == "sqlite":
        check_sqlite_integrity(database)
    else:
        check_postgres_constraints(url)
