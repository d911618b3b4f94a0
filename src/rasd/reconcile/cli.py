"""``rasd reconcile``: read documents with events (JSON Lines) and print clusters and flags."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table

from rasd.document import Document
from rasd.errors import InputError, RasdError
from rasd.reconcile.core import reconcile
from rasd.reconcile.gold import read_gold
from rasd.reconcile.model import Cluster, Reconciliation, Report


class ReconcileFormat(StrEnum):
    table = "table"
    json = "json"


def read_reports(path: Path) -> Iterator[Report]:
    """Reports from the output of ``rasd extract --format jsonl`` (one Document per line)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(str(path), f"cannot read ({error.strerror or error})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield Report.from_document(Document.from_dict(json.loads(line)))
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(f"{path}:{number}", f"not a document with events ({error})") from None


def load_reports(paths: list[Path], *, from_gold: bool) -> list[Report]:
    reports: list[Report] = []
    for path in paths:
        if from_gold:
            reports.extend(gold.report for gold in read_gold(path))
        else:
            reports.extend(read_reports(path))
    return reports


def reconcile_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="JSON Lines of documents with events (rasd extract -f jsonl)."),
    ] = None,
    from_gold: Annotated[
        bool,
        typer.Option("--from-gold", help="Inputs are gold files: use their annotated events."),
    ] = False,
    output_format: Annotated[
        ReconcileFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReconcileFormat.table,
    all_clusters: Annotated[
        bool, typer.Option("--all", help="Also list events told by one report and not flagged.")
    ] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Instead of files: recompute every block of this database (sqlite:///file.db, "
            "postgresql+psycopg://user@host/db), store the clusters and print them.",
        ),
    ] = None,
) -> None:
    """Group events that several reports tell into one, keep every claim, flag contradictions."""
    if db is not None:
        if paths or from_gold:
            raise typer.BadParameter("give files or --db, not both")
        result = reconcile_database(db)
    elif not paths:
        raise typer.BadParameter("give JSON Lines files of documents, or --db URL")
    else:
        result = reconcile(load_reports(paths, from_gold=from_gold))
    if output_format is ReconcileFormat.json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    print_table(result, sys.stdout, all_clusters=all_clusters)


def reconcile_database(url: str) -> Reconciliation:
    """Recompute all blocks of a store and read back every cluster it then holds."""
    from rasd.store import Store  # the store (SQLAlchemy, Alembic) only when asked for
    from rasd.store.reconcile import Clusters

    with Store(url) as store:
        clusters = Clusters(store)
        summary = clusters.reconcile_all()
        if summary.failures:
            raise RasdError("; ".join(summary.failures))
        return clusters.reconciliation()


def _figures(cluster: Cluster) -> str:
    f = cluster.event.fatalities
    if f.best is None and f.low is None:
        return ""
    return f"{f.low}/{f.best}/{f.high}"


def print_table(result: Reconciliation, stream: TextIO, *, all_clusters: bool = False) -> None:
    console = Console(file=stream, highlight=False, width=140)
    shown = [c for c in result.clusters if all_clusters or len(c.members) > 1 or c.flags]
    table = Table(title=f"{len(result.clusters)} events, {len(result.flags)} flags")
    for column in ("cluster", "grade", "type", "date", "place", "killed l/b/h", "reports", "flags"):
        table.add_column(column, overflow="fold")
    for cluster in shown:
        event = cluster.event
        date = "" if event.date_start is None else str(event.date_start)
        if event.date_end and event.date_end != event.date_start:
            date += f" … {event.date_end}"
        table.add_row(
            cluster.cluster_id,
            cluster.grade,
            event.sub_event_type or event.event_type,
            date,
            event.location.name if event.location else "",
            _figures(cluster),
            f"{len(cluster.members)} ({cluster.independent_sources} independent)",
            str(len(cluster.flags)),
        )
    console.print(table)
    for cluster in shown:
        for flag in cluster.flags:
            console.print(f"{flag.kind} {cluster.cluster_id}: {flag.message}", markup=False)
            for side in flag.sides:
                quotes = " | ".join(span.text for span in side.evidence if span.text)
                who = side.publisher or side.document_id
                quoted = f" — «{quotes}»" if quotes else ""
                console.print(f"    {who}: {side.says}{quoted}", markup=False)
