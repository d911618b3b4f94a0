"""Inputs split into partitions whose ids stay the same from one run to the next.

The client reads the inputs and ships each partition's raw records to a worker, because a gzip
stream cannot be split by byte range and the workers of a remote cluster (Kubernetes, a job queue)
often do not see the client's files. Records stay raw bytes until a worker parses them, so one
malformed line becomes one entry in the errors file, not a failed run.

A partition id hashes the input's stable name (its file name, or its path inside a directory given
on the command line), the index of its first record and the records' bytes: rerunning the same
command, from another working directory too, finds the same ids and skips what is written.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from rasd.errors import InputError
from rasd.ingest import DEFAULT_MAX_BYTES

InputKind = Literal["jsonl", "parquet", "report"]
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_BATCH = 4096


@dataclass(frozen=True, slots=True)
class Item:
    """One record: a JSON object's bytes (JSON Lines, Parquet rows) or a whole report file."""

    where: str
    data: bytes
    is_file: bool = False


@dataclass(frozen=True, slots=True)
class Partition:
    id: str
    items: tuple[Item, ...]

    @property
    def first(self) -> str:
        return self.items[0].where if self.items else ""

    @property
    def last(self) -> str:
        return self.items[-1].where if self.items else ""


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    kind: InputKind
    key: str  # stable name for partition ids


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input (or part of one) the client could not read; it goes to the errors file."""

    where: str
    reason: str


def expand_inputs(paths: list[Path]) -> list[InputFile]:
    """Every input file, directories walked in sorted order; a missing path stops the run early."""
    found: list[InputFile] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
            if not files:
                raise InputError(str(path), "directory holds no files")
            found.extend(
                InputFile(f, _kind(f), f"{path.name}/{f.relative_to(path).as_posix()}")
                for f in files
            )
        elif path.is_file():
            found.append(InputFile(path, _kind(path), path.name))
        else:
            raise InputError(str(path), "no such file or directory")
    return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _kind(path: Path) -> InputKind:
    name = path.name.lower()
    if name.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    return "report"


def count_partitions(inputs: list[InputFile], size: int) -> int:
    """How many partitions ``partitions`` will yield (a quick pass, for the progress bar)."""
    total = 0
    reports = 0
    for item in inputs:
        if item.kind == "report":
            reports += 1
            continue
        try:
            if item.kind == "parquet":
                records = pq.ParquetFile(item.path).metadata.num_rows
            else:
                with _open_lines(item.path) as stream:
                    records = sum(1 for line in stream if line.strip())
        except (OSError, EOFError, zlib.error, pa.ArrowException):
            records = 0  # reported when the partitions are read
        total += -(-records // size)
    return total + -(-reports // size)


def partitions(
    inputs: list[InputFile],
    size: int,
    problems: list[InputProblem],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Partition]:
    """Partitions of at most ``size`` records, in input order; unreadable inputs go to problems."""
    reports: list[Item] = []
    report_key = ""
    for item in inputs:
        if item.kind == "report":
            if not reports:
                report_key = item.key
            file_item = _read_report(item, problems, max_bytes)
            if file_item is not None:
                reports.append(file_item)
            if len(reports) == size:
                yield _partition(report_key, 0, reports)
                reports = []
            continue
        records = _jsonl_records(item) if item.kind == "jsonl" else _parquet_records(item)
        chunk: list[Item] = []
        start = 0
        try:
            for index, record in enumerate(records):
                chunk.append(record)
                if len(chunk) == size:
                    yield _partition(item.key, start, chunk)
                    chunk = []
                    start = index + 1
        except InputError as error:
            problems.append(InputProblem(error.source, error.problem))
        if chunk:
            yield _partition(item.key, start, chunk)
    if reports:
        yield _partition(report_key, 0, reports)


def _partition(key: str, start: int, items: list[Item]) -> Partition:
    digest = hashlib.blake2b(digest_size=10)
    digest.update(f"{key}\0{start}\0{len(items)}\0".encode())
    for item in items:
        digest.update(b"F" if item.is_file else b"R")
        digest.update(len(item.data).to_bytes(8, "little"))
        digest.update(item.data)
    return Partition(digest.hexdigest(), tuple(items))


def _open_lines(path: Path) -> gzip.GzipFile | BinaryIO:
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.open(path, "rb")
    return path.open("rb")


def _jsonl_records(item: InputFile) -> Iterator[Item]:
    name = str(item.path)
    number = 0
    try:
        with _open_lines(item.path) as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    yield Item(f"{name}:{number}", line)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(name, f"unreadable after line {number} ({error})") from None


def _parquet_records(item: InputFile) -> Iterator[Item]:
    """Rows as JSON objects, so a worker parses them exactly like JSON Lines records."""
    name = str(item.path)
    row = 0
    try:
        parquet = pq.ParquetFile(item.path)
        if "text" not in parquet.schema_arrow.names:
            raise InputError(name, 'Parquet input has no "text" column')
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH):
            for record in batch.to_pylist():
                row += 1
                data = json.dumps(record, ensure_ascii=False, default=_json_default)
                yield Item(f"{name}:{row}", data.encode("utf-8"))
    except (OSError, pa.ArrowException) as error:
        raise InputError(name, f"unreadable Parquet after row {row} ({error})") from None


def _json_default(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)  # Decimal, time, intervals: metadata only; the text column is a string


def _read_report(item: InputFile, problems: list[InputProblem], max_bytes: int) -> Item | None:
    try:
        size = item.path.stat().st_size
        if size > max_bytes:
            problems.append(
                InputProblem(
                    str(item.path),
                    f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.1f} MB limit",
                )
            )
            return None
        return Item(str(item.path), item.path.read_bytes(), is_file=True)
    except OSError as error:
        problems.append(InputProblem(str(item.path), f"cannot read file ({error.strerror})"))
        return None
