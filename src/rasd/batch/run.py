"""Drive a batch: plan partitions, skip the written ones, run the rest on Dask, tidy up.

The client keeps only a bounded window of partitions in flight (two per worker thread, plus two),
so memory stays flat however large the corpus is, and workers never wait for work. The client
reads the inputs and ships records to the workers, but the workers write the output themselves:
with ``--scheduler``, ``--out`` must be a directory every worker sees at the same path (a shared
volume), and the workers need the same version of Rasd installed.
"""

from __future__ import annotations

import logging
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from rasd.batch import DEFAULT_PARTITION_SIZE
from rasd.batch.inputs import InputProblem, Partition, count_partitions, expand_inputs, partitions
from rasd.batch.output import BadDocument, OutputDir, PartitionSummary
from rasd.batch.worker import PartitionJob, PipelinePlugin, process_partition, run_partition_task
from rasd.errors import RasdError
from rasd.ingest import IngestOptions
from rasd.pipeline import Pipeline

if TYPE_CHECKING:
    from distributed import Client


@dataclass(frozen=True, slots=True)
class BatchConfig:
    """One ``rasd batch`` run. ``workers=0`` runs in this process without Dask."""

    inputs: tuple[Path, ...]
    out: Path
    scheduler: str | None = None
    workers: int | None = None
    partition_size: int = DEFAULT_PARTITION_SIZE
    stages: tuple[str, ...] | None = None
    options: IngestOptions = field(default_factory=IngestOptions)
    dashboard: bool = True


@dataclass(slots=True)
class BatchSummary:
    """Totals over the whole output directory, and what this run did."""

    out: Path
    partitions: int = 0
    skipped: int = 0
    failed: int = 0
    documents: int = 0
    errors: int = 0
    mentions: int = 0
    claims: int = 0
    events: int = 0
    text_bytes: int = 0
    run_documents: int = 0
    run_text_bytes: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0
    workers: int = 0
    dashboard: str | None = None
    worker_peak_rss: dict[str, int] = field(default_factory=dict)
    worker_cpu_seconds: dict[str, float] = field(default_factory=dict)
    client_cpu_seconds: float = 0.0
    pipeline_build_seconds: dict[str, float] = field(default_factory=dict)

    def add(self, summary: PartitionSummary, *, new: bool) -> None:
        self.documents += summary.documents
        self.errors += summary.errors
        self.mentions += summary.mentions
        self.claims += summary.claims
        self.events += summary.events
        self.text_bytes += summary.text_bytes
        if new:
            self.run_documents += summary.documents
            self.run_text_bytes += summary.text_bytes


Submit = Callable[[PartitionJob], PartitionSummary]


def default_workers() -> int:
    return len(os.sched_getaffinity(0))


def run_batch(config: BatchConfig, console: Console | None = None) -> BatchSummary:
    """Process every input into ``config.out``; safe to rerun after an interruption."""
    if config.partition_size < 1:
        raise RasdError("--partition-size must be at least 1")
    started = time.perf_counter()
    stages = config.stages if config.stages is not None else tuple(Pipeline().names)
    inputs = expand_inputs(list(config.inputs))
    output = OutputDir(config.out)
    output.prepare({"stages": list(stages), "partition_size": config.partition_size})
    done = output.done()
    total = count_partitions(inputs, config.partition_size)
    summary = BatchSummary(out=config.out)
    problems: list[InputProblem] = []
    order: list[str] = []
    seen: set[str] = set()
    failures: list[BadDocument] = []
    with _progress(console) as progress:
        task = progress.add_task("partitions", total=total, docs=0)

        def finished(result: PartitionSummary, *, new: bool) -> None:
            summary.add(result, new=new)
            progress.update(task, advance=1, docs=summary.documents)

        def pending() -> Iterator[Partition]:
            for partition in partitions(
                inputs, config.partition_size, problems, config.options.max_bytes
            ):
                if partition.id in seen:  # the same file given twice: same rows, same files
                    summary.skipped += 1
                    progress.update(task, advance=1)
                    continue
                seen.add(partition.id)
                order.append(partition.id)
                if partition.id in done:
                    summary.skipped += 1
                    finished(done[partition.id], new=False)
                else:
                    yield partition

        out = str(config.out.resolve())  # workers may run in another directory
        jobs = (PartitionJob(p, out, config.options) for p in pending())
        if config.workers == 0 and config.scheduler is None:
            summary.workers = 1
            pipeline = Pipeline(stages)
            summary.startup_seconds = time.perf_counter() - started
            cpu = _cpu_seconds()
            for job in jobs:
                finished(process_partition(job, pipeline), new=True)
            summary.worker_peak_rss = {"local": _peak_rss()}
            summary.worker_cpu_seconds = {"local": _cpu_seconds() - cpu}
        elif (first := next(jobs, None)) is not None:  # start no cluster for a finished run
            with _dask_client(config) as client:
                summary.dashboard = _dashboard(client)
                if console is not None and summary.dashboard:
                    console.print(f"Dask dashboard: {summary.dashboard}", soft_wrap=True)
                client.register_plugin(PipelinePlugin(stages))
                summary.workers = len(client.scheduler_info(n_workers=-1)["workers"])
                summary.pipeline_build_seconds = client.run(_build_seconds)
                summary.startup_seconds = time.perf_counter() - started
                worker_cpu = client.run(_cpu_seconds)
                client_cpu = _cpu_seconds()
                threads = client.nthreads()  # type: ignore[no-untyped-call]
                window = 2 * sum(threads.values()) + 2
                for result in _run_on_dask(client, chain([first], jobs), window):
                    if isinstance(result, BadDocument):
                        failures.append(result)
                        summary.failed += 1
                        progress.update(task, advance=1)
                    else:
                        finished(result, new=True)
                summary.worker_peak_rss = client.run(_peak_rss)
                summary.worker_cpu_seconds = {
                    worker: seconds - worker_cpu.get(worker, 0.0)
                    for worker, seconds in client.run(_cpu_seconds).items()
                }
                summary.client_cpu_seconds = _cpu_seconds() - client_cpu
    summary.partitions = len(order)
    input_errors = [BadDocument(None, p.where, p.reason) for p in problems]
    output.write_errors([*input_errors, *failures], order)
    summary.errors += len(input_errors)
    summary.seconds = time.perf_counter() - started
    return summary


def _run_on_dask(
    client: Client, jobs: Iterator[PartitionJob], window: int
) -> Iterator[PartitionSummary | BadDocument]:
    """Results as they complete; a failed partition is reported and retried by the next run."""
    from distributed import as_completed

    running = as_completed()  # type: ignore[no-untyped-call]
    described: dict[str, PartitionJob] = {}

    def submit(job: PartitionJob) -> None:
        key = f"rasd-partition-{job.partition.id}"
        described[key] = job
        future = client.submit(run_partition_task, job, key=key, pure=False)
        running.add(future)  # type: ignore[no-untyped-call]

    def collect() -> PartitionSummary | BadDocument:
        future = next(running)
        job = described.pop(future.key)
        try:
            result: PartitionSummary = future.result()
        except Exception as error:  # a worker lost or a disk full: that partition only
            partition = job.partition
            reason = f"partition failed: {type(error).__name__}: {error}"
            return BadDocument(None, f"{partition.first} … {partition.last}", reason)
        finally:
            future.release()
        return result

    for job in jobs:
        while running.count() >= window:  # type: ignore[no-untyped-call]
            yield collect()
        submit(job)
    while running.count():  # type: ignore[no-untyped-call]
        yield collect()


@contextmanager
def _dask_client(config: BatchConfig) -> Iterator[Client]:
    from distributed import Client, LocalCluster

    if config.scheduler is not None:
        try:
            client = Client(config.scheduler, timeout="15s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as error:
            raise RasdError(
                f"cannot reach the Dask scheduler at {config.scheduler} ({error})"
            ) from None
        with client:
            yield client
        return
    import dask

    # Dask's per-worker statistical profiler samples every thread every 10 ms; on this pipeline
    # it cost ~8 % of worker CPU (bench/README.md), so the local cluster runs without it.
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=config.workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0" if config.dashboard else None,
            silence_logs=logging.CRITICAL,  # task errors come back through the futures
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _dashboard(client: Client) -> str | None:
    try:
        link = client.dashboard_link
    except (KeyError, AttributeError):
        return None
    return str(link) if link else None


def _peak_rss() -> int:
    """Peak resident memory of this process in bytes (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _cpu_seconds() -> float:
    """CPU time of this process (user + system): how busy a worker was, whatever the load."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _build_seconds(dask_worker: object) -> float:
    plugins = getattr(dask_worker, "plugins", {})
    plugin = plugins.get(PipelinePlugin.name)
    return plugin.build_seconds if isinstance(plugin, PipelinePlugin) else float("nan")


@contextmanager
def _progress(console: Console | None) -> Iterator[Progress]:
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[docs]} documents"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=console is None,
        transient=True,
    )
    with progress:
        yield progress
