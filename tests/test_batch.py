"""``rasd batch``: a corpus through the pipeline on a real Dask LocalCluster, into Parquet."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster

from rasd.batch import BatchConfig, read_table, run_batch
from rasd.batch.inputs import expand_inputs, partitions
from rasd.batch.output import OutputDir, PartitionSummary
from rasd.batch.seams import documents_from_output, reconcile_output
from rasd.batch.tables import TABLES, Rows, add_document
from rasd.batch.worker import PartitionJob, process_partition
from rasd.document import Document, Mention, Source
from rasd.errors import InputError
from rasd.ingest import IngestOptions, read_paths
from rasd.pipeline import Pipeline
from rasd.records import Claim, EventRecord, Figures, Location, SpanRef

FIXTURES = Path(__file__).parent / "fixtures" / "batch"
REPORTS = FIXTURES / "reports.jsonl"
BAD = FIXTURES / "bad.jsonl"


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """A real two-process Dask cluster, shared by the tests of this module."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def rows_of(out: Path, table: str) -> list[str]:
    """A table's rows as sorted JSON lines, so two outputs compare regardless of file order."""
    data = read_table(out, table).drop_columns(["country", "year"])
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in data.to_pylist())


def single_process_rows(path: Path) -> dict[str, list[str]]:
    """What one process makes of the same input: rasd.ingest, the pipeline, the same rows."""
    pipeline = Pipeline()
    rows = Rows()
    for item in read_paths([path], IngestOptions()):
        assert isinstance(item, Document)
        add_document(rows, pipeline(item), item.source.path or "")
    result: dict[str, list[str]] = {}
    for table in TABLES:
        listed = [row for _, t in rows.tables(table) for row in t.to_pylist()]
        result[table] = sorted(json.dumps(r, sort_keys=True, default=str) for r in listed)
    return result


def replicate(source: Path, target: Path, copies: int) -> Path:
    """The fixture corpus repeated with distinct ids and texts, for a run with many partitions."""
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    with target.open("w", encoding="utf-8") as stream:
        for copy in range(copies):
            for record in records:
                replica = {**record, "id": f"{record['id']}-{copy}"}
                replica["text"] = f"{record['text']} (نسخة {copy})"
                stream.write(json.dumps(replica, ensure_ascii=False) + "\n")
    return target


@pytest.mark.timeout(120)
def test_cluster_output_equals_single_process_output(cluster: LocalCluster, tmp_path: Path) -> None:
    summary = run_batch(
        BatchConfig(
            inputs=(REPORTS,),
            out=tmp_path / "out",
            scheduler=cluster.scheduler_address,
            partition_size=5,
        )
    )

    assert (summary.partitions, summary.documents, summary.errors) == (5, 24, 0)
    assert summary.workers == 2
    expected = single_process_rows(REPORTS)
    for table in TABLES:
        assert rows_of(tmp_path / "out", table) == expected[table], table
    assert len(expected["documents"]) == 24


@pytest.mark.timeout(120)
def test_cluster_and_in_process_runs_write_the_same_tables(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    corpus = replicate(REPORTS, tmp_path / "corpus.jsonl", copies=3)
    run_batch(
        BatchConfig(
            (corpus,), tmp_path / "dask", scheduler=cluster.scheduler_address, partition_size=7
        )
    )
    run_batch(BatchConfig((corpus,), tmp_path / "local", workers=0, partition_size=7))

    for table in TABLES:
        assert rows_of(tmp_path / "dask", table) == rows_of(tmp_path / "local", table), table
    assert sorted(p.name for p in (tmp_path / "dask" / "_manifest").iterdir()) == sorted(
        p.name for p in (tmp_path / "local" / "_manifest").iterdir()
    )


def test_documents_are_partitioned_by_country_and_year(tmp_path: Path) -> None:
    run_batch(BatchConfig((REPORTS,), tmp_path, workers=0))

    documents = read_table(tmp_path, "documents")
    years = sorted(set(documents.column("year").to_pylist()), key=lambda y: y or 0)
    assert years == [None, 2015, 2016]  # r17 has no publication date
    folders = list((tmp_path / "documents").glob("country=*/year=*"))
    assert {p.name for p in folders} == {
        "year=2015",
        "year=2016",
        "year=__HIVE_DEFAULT_PARTITION__",
    }
    # A report goes under the country of its events; one without a placed event under none.
    countries = {p.parent.name for p in folders}
    assert {"country=SY", "country=__HIVE_DEFAULT_PARTITION__"} <= countries


@pytest.mark.timeout(180)
def test_killed_run_resumes_with_the_same_output_and_no_duplicates(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    corpus = replicate(REPORTS, tmp_path / "corpus.jsonl", copies=10)  # 240 partitions of 1
    out = tmp_path / "out"
    rasd = Path(sys.executable).with_name("rasd")
    command = [str(rasd), "batch", str(corpus), "--out", str(out), "--workers", "2"]
    process = subprocess.Popen(
        [*command, "--partition-size", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the client, nannies and workers
    )
    manifest = out / "_manifest"
    try:
        while process.poll() is None and (
            not manifest.is_dir() or len(list(manifest.glob("*.json"))) < 5
        ):
            time.sleep(0.01)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    written = len(list(manifest.glob("*.json")))
    assert 5 <= written < 240, "the run was not killed mid-way"

    resumed = run_batch(
        BatchConfig((corpus,), out, scheduler=cluster.scheduler_address, partition_size=1)
    )
    run_batch(BatchConfig((corpus,), tmp_path / "clean", workers=0, partition_size=1))

    assert resumed.skipped >= written - 2  # a partition may be half-written when killed
    assert resumed.partitions == 240
    for table in TABLES:
        assert rows_of(out, table) == rows_of(tmp_path / "clean", table), table
    inputs = read_table(out, "documents").column("input").to_pylist()
    assert len(inputs) == len(set(inputs)) == 240
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]


@pytest.mark.timeout(120)
def test_bad_documents_are_listed_in_the_errors_file(cluster: LocalCluster, tmp_path: Path) -> None:
    summary = run_batch(
        BatchConfig((BAD,), tmp_path, scheduler=cluster.scheduler_address, partition_size=3)
    )

    errors = [json.loads(line) for line in (tmp_path / "errors.jsonl").read_text().splitlines()]
    assert [(e["id"], e["input"].rsplit(":", 1)[1]) for e in errors] == [
        (None, "2"),
        (None, "3"),
        ("b04", "4"),
        ("b05", "5"),
        ("b06", "6"),
    ]
    assert errors[0]["reason"].startswith("not valid JSON (")
    assert [e["reason"] for e in errors[1:]] == [
        'a JSON Lines record must be an object with a "text" field',
        'record has no "text" string',
        "record text is empty",
        "publication date 'yesterday' is not a date (use YYYY-MM-DD)",
    ]
    assert sorted(read_table(tmp_path, "documents").column("external_id").to_pylist()) == [
        "b01",
        "b08",
    ]
    assert (summary.documents, summary.errors) == (2, 5)


def test_a_failing_stage_fails_only_its_document(tmp_path: Path) -> None:
    pipeline = Pipeline()

    def fragile(doc: Document) -> Document:
        if "ليلة" in doc.text:
            raise IndexError("list index out of range")
        return pipeline(doc)

    OutputDir(tmp_path).prepare({"stages": ["test"], "partition_size": 100})
    (partition,) = partitions(expand_inputs([REPORTS]), 100, [])
    summary = process_partition(PartitionJob(partition, str(tmp_path), IngestOptions()), fragile)

    assert (summary.documents, summary.errors) == (22, 2)
    errors = (tmp_path / "_errors" / f"{partition.id}.jsonl").read_text().splitlines()
    assert [json.loads(e)["id"] for e in errors] == ["r13", "r22"]
    assert json.loads(errors[0])["reason"] == "pipeline failed: IndexError: list index out of range"


def test_rerun_with_another_partition_size_is_refused(tmp_path: Path) -> None:
    run_batch(BatchConfig((REPORTS,), tmp_path, workers=0, partition_size=10))

    with pytest.raises(InputError) as error:
        run_batch(BatchConfig((REPORTS,), tmp_path, workers=0, partition_size=8))

    assert error.value.problem == (
        "output directory was written with other settings (partition_size was 10, now 8); "
        "rerun with the same settings or choose a new --out"
    )


def test_leftovers_of_an_unfinished_partition_are_replaced(tmp_path: Path) -> None:
    """Files renamed into place before the kill, but no manifest entry: the rerun redoes them."""
    run_batch(BatchConfig((REPORTS,), tmp_path, workers=0, partition_size=10))
    expected = rows_of(tmp_path, "documents")
    manifest = sorted((tmp_path / "_manifest").glob("*.json"))[0]
    summary = PartitionSummary.from_json(manifest.read_text())
    manifest.unlink()
    stray = tmp_path / summary.files[0]
    (stray.parent / f"{stray.name}.tmp-0123").write_bytes(b"half a file")

    rerun = run_batch(BatchConfig((REPORTS,), tmp_path, workers=0, partition_size=10))

    assert (rerun.skipped, rerun.run_documents) == (2, summary.documents)
    assert rows_of(tmp_path, "documents") == expected
    assert not [p for p in tmp_path.rglob("*") if ".tmp-" in p.name]


@pytest.mark.timeout(120)
def test_rerun_of_a_finished_batch_processes_nothing(cluster: LocalCluster, tmp_path: Path) -> None:
    config = BatchConfig(
        (REPORTS,), tmp_path, scheduler=cluster.scheduler_address, partition_size=10
    )
    first = run_batch(config)
    again = run_batch(config)

    assert (first.run_documents, first.workers) == (24, 2)
    assert (again.run_documents, again.skipped, again.documents) == (0, 3, 24)
    assert again.workers == 0  # it did not even connect to the cluster


@pytest.mark.parametrize(
    "form", ["jsonl.gz", "parquet", "directory"], ids=["gzip", "parquet", "dir"]
)
def test_other_input_forms_give_the_same_documents(form: str, tmp_path: Path) -> None:
    records = [json.loads(line) for line in REPORTS.read_text(encoding="utf-8").splitlines()]
    if form == "jsonl.gz":
        corpus = tmp_path / "reports.jsonl.gz"
        corpus.write_bytes(gzip.compress(REPORTS.read_bytes()))
    elif form == "parquet":
        corpus = tmp_path / "reports.parquet"
        for record in records:
            record["published"] = date.fromisoformat(record.get("published") or "2015-01-01")
        pq.write_table(pa.Table.from_pylist(records), corpus)
    else:
        corpus = tmp_path / "reports"
        corpus.mkdir()
        for record in records:
            (corpus / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")

    run_batch(BatchConfig((corpus,), tmp_path / "out", workers=0))

    documents = read_table(tmp_path / "out", "documents")
    texts = sorted(documents.column("text").to_pylist())
    assert texts == sorted(r["text"] for r in records)


def test_partition_ids_do_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(REPORTS, tmp_path / "reports.jsonl")
    absolute = [p.id for p in partitions(expand_inputs([tmp_path / "reports.jsonl"]), 5, [])]
    monkeypatch.chdir(tmp_path)
    relative = [p.id for p in partitions(expand_inputs([Path("reports.jsonl")]), 5, [])]

    assert absolute == relative
    assert len(set(absolute)) == 5


def test_a_missing_input_stops_the_run_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        run_batch(BatchConfig((REPORTS, tmp_path / "nope.jsonl"), tmp_path / "out", workers=0))

    assert str(error.value) == f"{tmp_path / 'nope.jsonl'}: no such file or directory"
    assert not (tmp_path / "out").exists()


def event_document() -> Document:
    """A processed report as later stages will leave it: places, a claim and one event."""
    text = "قتل 12 شخصا في قصف على مدينة حلب يوم 14 تموز 2015."
    doc = Document(text=text, source=Source(published=date(2015, 7, 15)))
    span = SpanRef(document_id=doc.id, start=4, end=11, text=text[4:11])
    place = {"name": "Aleppo", "country": "SY", "lat": 36.2, "lon": 37.16}
    doc.mentions = [
        Mention("place", 24, 27, place, "places.gazetteer"),
        Mention(
            "claim",
            4,
            11,
            {"quantity": "fatalities", "low": 12, "best": 12, "high": 12, "qualifier": "exact"},
            "claims.count",
        ),
    ]
    claim = Claim(
        quantity="fatalities",
        low=12,
        best=12,
        high=12,
        qualifier="exact",
        span=span,
        by="claims.count",
    )
    doc.events = [
        EventRecord(
            event_id="ev-1",
            document_ids=[doc.id],
            event_type="Explosions/Remote violence",
            date_start=date(2015, 7, 14),
            date_end=date(2015, 7, 14),
            location=Location(
                name="Aleppo", country="SY", latitude=36.2, longitude=37.16, precision="city"
            ),
            fatalities=Figures(low=12, best=12, high=12),
            claims=[claim],
        )
    ]
    return doc


def write_one(tmp_path: Path, doc: Document) -> None:
    output = OutputDir(tmp_path)
    output.prepare({"stages": ["test"], "partition_size": 1})
    rows = Rows()
    add_document(rows, doc, "report.txt")
    output.write_partition(PartitionSummary("p1", "report.txt", "report.txt"), rows, [])


def test_events_are_geoparquet_points_under_their_country_and_year(tmp_path: Path) -> None:
    write_one(tmp_path, event_document())

    (path,) = (tmp_path / "events").rglob("*.parquet")
    assert path.relative_to(tmp_path).as_posix() == "events/country=SY/year=2015/part-p1.parquet"
    table = pq.read_table(path)
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    assert geo["columns"]["geometry"]["bbox"] == [37.16, 36.2, 37.16, 36.2]
    assert struct.unpack("<BIdd", table.column("geometry")[0].as_py()) == (1, 1, 37.16, 36.2)
    assert table.column("fatalities_best").to_pylist() == [12]


def test_claims_link_to_the_event_that_uses_them(tmp_path: Path) -> None:
    write_one(tmp_path, event_document())

    claims = read_table(tmp_path, "claims").to_pylist()
    assert [(c["event_id"], c["quantity"], c["best"], c["text"], c["country"]) for c in claims] == [
        ("ev-1", "fatalities", 12, "12 شخصا", "SY")
    ]
    mentions = read_table(tmp_path, "mentions")
    assert mentions.column("kind").to_pylist() == ["place", "claim"]


def test_written_documents_come_back_for_the_database(tmp_path: Path) -> None:
    doc = event_document()
    write_one(tmp_path, doc)

    (back,) = documents_from_output(tmp_path)

    assert (back.id, back.text, back.source.published) == (doc.id, doc.text, doc.source.published)
    assert back.mentions == doc.mentions
    assert back.events == doc.events


def test_reconciliation_sees_one_country_and_month_at_a_time(tmp_path: Path) -> None:
    doc = event_document()
    august = doc.events[0].model_copy(
        update={"event_id": "ev-2", "date_start": date(2015, 8, 2), "date_end": date(2015, 8, 2)}
    )
    doc.events.append(august)
    write_one(tmp_path, doc)
    seen: list[list[str]] = []

    def one_event_per_block(documents: list[Document]) -> list[EventRecord]:
        events = [event for document in documents for event in document.events]
        seen.append([event.event_id for event in events])
        return [events[0].model_copy(update={"summary": f"{len(events)} merged"})]

    written = reconcile_output(tmp_path, one_event_per_block)

    assert (written, seen) == (2, [["ev-1"], ["ev-2"]])
    merged = read_table(tmp_path, "events_reconciled")
    assert sorted(merged.column("event_id").to_pylist()) == ["ev-1", "ev-2"]
    assert set(merged.column("country").to_pylist()) == {"SY"}


def test_a_finished_batch_loads_into_the_database_once(tmp_path: Path) -> None:
    from rasd.batch.seams import load_into_store
    from rasd.store.database import Store
    from rasd.store.reconcile import Clusters

    out = tmp_path / "out"
    summary = run_batch(BatchConfig((REPORTS,), out, workers=0))
    url = f"sqlite:///{tmp_path / 'rasd.db'}"

    first, again = load_into_store(out, url), load_into_store(out, url)

    with Store(url) as store:
        assert (first, again) == (summary.documents, 0)
        assert store.count_documents() == summary.documents
        assert store.count_events() == summary.events
        clustered = {
            m.event_id for c in Clusters(store).reconciliation().clusters for m in c.members
        }
        assert len(clustered) == summary.events  # every loaded event is in a cluster


def test_the_default_reconciler_merges_one_report_told_twice() -> None:
    from rasd.batch.seams import reconcile_documents_events

    doc = event_document()
    copy = event_document()
    copy.text = copy.text.replace("12", "14")
    copy.id = "another-report"

    merged = reconcile_documents_events([doc, copy])

    assert len(merged) == 1
    assert merged[0].fatalities.low == 12
