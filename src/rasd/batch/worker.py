"""What runs on a worker: one partition through the per-document pipeline, written to the output.

The pipeline (its data files, compiled patterns, gazetteer) is built once per worker process by
``PipelinePlugin`` when the worker joins, so tasks only run documents. The same
``process_partition`` runs in a plain loop in one process (``--workers 0``), which is how tests
and the bench compare Dask against the single-process result.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import Worker, WorkerPlugin, get_worker

from rasd.batch.inputs import Item, Partition
from rasd.batch.output import BadDocument, OutputDir, PartitionSummary
from rasd.batch.tables import Rows, add_document
from rasd.document import Document
from rasd.errors import InputError, RasdError
from rasd.ingest import IngestOptions, document_from_bytes, document_from_record
from rasd.pipeline import Pipeline

PLUGIN_NAME = "rasd-pipeline"
Process = Callable[[Document], Document]


@dataclass(frozen=True, slots=True)
class PartitionJob:
    """Everything a task needs besides the pipeline; small and picklable."""

    partition: Partition
    out: str
    options: IngestOptions


def parse_record(item: Item) -> dict[str, Any]:
    try:
        record = json.loads(item.data)
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(item.where, f"not valid JSON ({error})") from None
    if not isinstance(record, dict):
        raise InputError(item.where, 'a JSON Lines record must be an object with a "text" field')
    return record


def process_partition(job: PartitionJob, process: Process) -> PartitionSummary:
    """Run every document of the partition; a bad one is recorded and the others go on."""
    started = time.perf_counter()
    partition = job.partition
    summary = PartitionSummary(partition.id, partition.first, partition.last, len(partition.items))
    rows = Rows()
    errors: list[BadDocument] = []
    for item in partition.items:
        doc_id: str | None = None  # the record's own id where it has one, else the content id
        try:
            if item.is_file:
                suffix = Path(item.where).suffix.lower()
                doc = document_from_bytes(item.data, item.where, job.options, extension=suffix)
            else:
                record = parse_record(item)
                doc_id = _record_id(record)
                doc = document_from_record(record, item.where, job.options)
            doc_id = doc_id or doc.id
            doc = process(doc)
            add_document(rows, doc, item.where)
        except InputError as error:
            errors.append(BadDocument(doc_id, item.where, error.problem))
            continue
        except RasdError as error:
            errors.append(BadDocument(doc_id, item.where, str(error)))
            continue
        except Exception as error:  # a stage's bug must not cost the whole batch
            errors.append(BadDocument(doc_id, item.where, _bug(error)))
            continue
        summary.text_bytes += len(doc.text.encode("utf-8"))
    summary.documents = rows.count("documents")
    summary.mentions = rows.count("mentions")
    summary.claims = rows.count("claims")
    summary.events = rows.count("events")
    summary.errors = len(errors)
    summary.seconds = round(time.perf_counter() - started, 6)
    return OutputDir(Path(job.out)).write_partition(summary, rows, errors)


def _record_id(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    return str(value) if isinstance(value, str | int) and str(value).strip() else None


def _bug(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"pipeline failed: {type(error).__name__}: {text}".rstrip(": ")


class PipelinePlugin(WorkerPlugin):
    """A Dask worker plugin that builds the pipeline when the worker starts, once per process."""

    name = PLUGIN_NAME

    def __init__(self, stages: tuple[str, ...] | None) -> None:
        self.stages = stages
        self.pipeline: Pipeline | None = None
        self.build_seconds = 0.0

    def setup(self, worker: Worker) -> None:  # noqa: ARG002  (the Dask plugin signature)
        started = time.perf_counter()
        self.pipeline = Pipeline(self.stages)
        self.build_seconds = time.perf_counter() - started

    def teardown(self, worker: Worker) -> None:  # noqa: ARG002  (the Dask plugin signature)
        self.pipeline = None


def run_partition_task(job: PartitionJob) -> PartitionSummary:
    """The Dask task: the worker's own pipeline, built by ``PipelinePlugin``."""
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, PipelinePlugin) or plugin.pipeline is None:
        raise RasdError("the worker has no Rasd pipeline (PipelinePlugin was not registered)")
    return process_partition(job, plugin.pipeline)
