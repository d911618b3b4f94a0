"""The ``rasd`` command. Files, printing and exit codes live here; the pipeline stays pure.

Exit codes: 0 all inputs processed, 1 some inputs failed (each named on stderr), 2 usage error.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from rasd.document import Document
from rasd.errors import InputError, RasdError
from rasd.ingest import DEFAULT_MAX_BYTES, IngestOptions, parse_published, read_paths
from rasd.pipeline import Pipeline, describe_crash

app = typer.Typer(
    name="rasd",
    help="Rasd (رصد): turn narrative reports of violence into event records with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per error, never wrapped


@app.callback()
def _root() -> None:
    """Rasd (رصد): turn narrative reports of violence into event records with evidence."""


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    acled_csv = "acled-csv"
    ged_csv = "ged-csv"
    geojson = "geojson"


def _published_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_published(value, "--published")
    except InputError as error:
        raise typer.BadParameter(error.problem) from None


PathsArg = Annotated[
    list[Path], typer.Argument(help="Report files (text, HTML, PDF, JSON Lines) or directories.")
]
PublishedOpt = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date (YYYY-MM-DD) for inputs whose metadata has none; anchors «أمس».",
    ),
]
MaxSizeOpt = Annotated[
    float, typer.Option("--max-size", help="Largest report accepted, in MB.", min=0.001)
]
DebugOpt = Annotated[
    bool,
    typer.Option(
        "--debug",
        envvar="RASD_DEBUG",
        help="Print the traceback of a document that fails unexpectedly (a bug), not one line.",
    ),
]


def show_traceback(error: BaseException) -> None:
    """For ``--debug``: the whole traceback of a crash, which the one-line report leaves out."""
    err.print("".join(traceback.format_exception(error)).rstrip(), markup=False, highlight=False)


@contextmanager
def _open_output(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    try:
        stream = output.open("w", encoding="utf-8")
    except OSError as error:
        raise RasdError(f"{output}: cannot write output ({error.strerror or error})") from None
    with stream:
        yield stream


def _progress(total_hint: int) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=total_hint <= 1 or not err.is_terminal,
    )


def process(
    paths: list[Path], options: IngestOptions, pipeline: Pipeline, *, debug: bool = False
) -> Iterator[Document | InputError]:
    """Documents through the pipeline in input order; errors pass through to be reported.

    A stage that crashes on one document (a bug) fails that document only: one line names it and
    the stage, and the run goes on, as a batch of thousands must.
    """
    for item in read_paths(paths, options):
        if isinstance(item, InputError):
            if debug and item.__cause__ is not None:
                show_traceback(item.__cause__)  # a reader's bug, not a bad input
            yield item
            continue
        try:
            yield pipeline(item)
        except RasdError as error:
            yield InputError(item.source.path or item.id, str(error))
        except Exception as error:  # a stage's bug must not end the run
            if debug:
                show_traceback(error)
            yield InputError(item.source.path or item.id, describe_crash(error))


@app.command()
def extract(
    paths: PathsArg,
    published: PublishedOpt = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    max_size: MaxSizeOpt = DEFAULT_MAX_BYTES / (1024 * 1024),
    debug: DebugOpt = False,
    mentions: Annotated[
        bool, typer.Option("--mentions", help="Table format: also list every mention found.")
    ] = False,
) -> None:
    """Read reports and print the events found in each, every value with its evidence."""
    options = IngestOptions(
        published=_published_option(published), max_bytes=int(max_size * 1024 * 1024)
    )
    pipeline = Pipeline()
    failures = 0
    collected: list[Document] = []
    with _open_output(output) as stream, _progress(len(paths)) as progress:
        task = progress.add_task("extracting", total=None)
        for item in process(paths, options, pipeline, debug=debug):
            progress.advance(task)
            if isinstance(item, InputError):
                failures += 1
                err.print(f"rasd: {item}", markup=False, soft_wrap=True)
                continue
            if output_format is OutputFormat.jsonl:
                stream.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
            else:
                collected.append(item)
        if output_format is OutputFormat.json:
            payload = (
                collected[0].to_dict()
                if len(collected) == 1 and len(paths) == 1 and not paths[0].is_dir()
                else [d.to_dict() for d in collected]
            )
            stream.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        elif output_format is OutputFormat.table:
            from rasd.terminal import print_document

            for doc in collected:
                print_document(doc, stream, mentions=mentions)
        elif output_format is not OutputFormat.jsonl:
            from rasd.export import render

            warn = lambda message: err.print(f"rasd: warning: {message}", markup=False)  # noqa: E731
            stream.write(render(output_format.value, collected, warn, pipeline.resources))
    if failures:
        raise typer.Exit(1)


@app.command("eval")
def eval_command(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            help="GOLD.jsonl (events), or a kind and a path: temporal DIR, numbers DIR, … "
            "(none with --db)",
            metavar="[KIND] PATH",
        ),
    ] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List every error per report.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print figures as JSON.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N.")] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Score against every reviewed event in this database."),
    ] = None,
) -> None:
    """Score extraction against annotated data and print a per-field table."""
    from rasd.evaluate import SCORERS, EvalOptions, get_scorer

    args = list(args or [])
    if db is not None:
        if args not in ([], ["events"]):
            raise typer.BadParameter("--db scores events: give no PATH", param_hint="--db")
        args = ["events", _reviewed_gold(db)]
    if len(args) == 2 and args[0] in SCORERS:
        kind, target = args[0], args[1]
    elif len(args) == 1:
        kind, target = "events", args[0]
    else:
        raise typer.BadParameter("expected GOLD.jsonl or KIND PATH", param_hint="[KIND] PATH")
    path = Path(target)
    if not path.exists():
        raise RasdError(f"{path}: no such file or directory")
    report = get_scorer(kind)(path, EvalOptions(errors=errors, limit=limit))
    if as_json:
        sys.stdout.write(json.dumps(report.figures, ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write(f"{report.title}\n{report.table}\n")
    if errors:
        for line in report.errors:
            sys.stdout.write(line + "\n")


from rasd.api.cli import serve as _serve  # noqa: E402
from rasd.store.cli import ingest as _ingest  # noqa: E402
from rasd.store.cli import search as _search  # noqa: E402

app.command("ingest")(_ingest)
app.command("search")(_search)
app.command("serve")(_serve)

from rasd.store.review_cli import export_app as _export_app  # noqa: E402
from rasd.store.review_cli import user_app as _user_app  # noqa: E402

app.add_typer(_user_app, name="user")
app.add_typer(_export_app, name="export")


def _reviewed_gold(db: str) -> str:
    """The reviewed events of a database as a temporary gold file, for ``rasd eval --db``."""
    import tempfile

    from rasd.store.database import Store
    from rasd.store.review import Reviews
    from rasd.store.review_cli import write_gold

    descriptor, name = tempfile.mkstemp(suffix=".jsonl", prefix="rasd-gold-")
    os.close(descriptor)
    with Store(db) as store:
        count = write_gold(Reviews(store), ("reviewed", "published"), Path(name))
    if count == 0:
        raise RasdError(f"{db}: no reviewed reports to score against (review some events first)")
    return name


from rasd.batch.cli import batch as _batch  # noqa: E402  (registered after the built-in commands)

app.command("batch")(_batch)


def main() -> None:
    """Console entry point: a RasdError is one line on stderr, never a traceback."""
    try:
        app()
    except RasdError as error:
        err.print(f"rasd: {error}", markup=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("rasd: interrupted", markup=False)
        sys.exit(130)


from rasd.gazetteer.cli import app as gazetteer_app  # noqa: E402

app.add_typer(gazetteer_app, name="gazetteer")

from rasd.reconcile.cli import reconcile_command  # noqa: E402  (registered last: merges stay trivial)

app.command("reconcile")(reconcile_command)

from rasd.store.worker import worker as _worker  # noqa: E402  (uploads queued by `rasd serve`)

app.command("worker")(_worker)
