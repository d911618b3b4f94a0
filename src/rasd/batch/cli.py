"""The ``rasd batch`` command; registered in ``rasd.cli``. Dask is imported only when it runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from rasd.batch import DEFAULT_PARTITION_SIZE
from rasd.ingest import DEFAULT_MAX_BYTES, IngestOptions

if TYPE_CHECKING:
    from rasd.batch.run import BatchSummary

_err = Console(stderr=True, highlight=False)


def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="JSON Lines (.jsonl, .jsonl.gz), Parquet (a text column) or report directories.",
            metavar="INPUT",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output directory (Parquet tables).")],
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Local cluster size (default: one per core); 0 runs in this process, no Dask.",
            min=0,
        ),
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Also load the results into this database URL.")
    ] = None,
    partition_size: Annotated[
        int, typer.Option("--partition-size", help="Documents per partition (task).", min=1)
    ] = DEFAULT_PARTITION_SIZE,
    max_size: Annotated[
        float, typer.Option("--max-size", help="Largest report accepted, in MB.", min=0.001)
    ] = DEFAULT_MAX_BYTES / (1024 * 1024),
) -> None:
    """Run the pipeline over a corpus on Dask and write Parquet; a rerun resumes."""
    from rasd.batch.run import BatchConfig, run_batch
    from rasd.batch.seams import require_store

    if scheduler is not None and workers is not None:
        raise typer.BadParameter(
            "--workers sizes the local cluster; with --scheduler the cluster's workers are used",
            param_hint="--workers",
        )
    if db is not None:
        require_store()
    config = BatchConfig(
        inputs=tuple(inputs),
        out=out,
        scheduler=scheduler,
        workers=workers,
        partition_size=partition_size,
        options=IngestOptions(max_bytes=int(max_size * 1024 * 1024)),
    )
    summary = run_batch(config, console=_err)
    _report(summary)
    if not summary.failed:
        from rasd.batch.seams import reconcile_documents_events, reconcile_output

        merged = reconcile_output(out, reconcile_documents_events)
        _err.print(
            f"reconciled: {merged} events across reports → {out / 'events_reconciled'}",
            markup=False,
            soft_wrap=True,
        )
    if db is not None:
        from rasd.batch.seams import load_into_store

        loaded = load_into_store(out, db)
        _err.print(f"loaded {loaded} documents into the database", markup=False, soft_wrap=True)
    if summary.errors or summary.failed:
        raise typer.Exit(1)


def _report(summary: BatchSummary) -> None:
    rate = summary.run_documents / summary.seconds if summary.seconds else 0.0
    _err.print(
        f"{summary.documents} documents, {summary.mentions} mentions, {summary.claims} claims, "
        f"{summary.events} events in {summary.partitions} partitions "
        f"({summary.skipped} already written) → {summary.out}",
        markup=False,
        soft_wrap=True,
    )
    _err.print(
        f"this run: {summary.run_documents} documents in {summary.seconds:.1f} s "
        f"({rate:.0f}/s on {summary.workers} worker{'' if summary.workers == 1 else 's'})",
        markup=False,
        soft_wrap=True,
    )
    if summary.errors:
        _err.print(
            f"{summary.errors} bad documents or inputs: see {summary.out / 'errors.jsonl'}",
            markup=False,
        )
    if summary.failed:
        _err.print(
            f"{summary.failed} partitions failed (listed in errors.jsonl); rerun to retry them",
            markup=False,
        )
