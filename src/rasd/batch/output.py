"""The output directory: Hive-partitioned Parquet tables, a manifest, and the errors file.

Layout (``country`` is ISO 3166-1 alpha-2, unknown values are ``__HIVE_DEFAULT_PARTITION__``)::

    OUT/_batch.json                         what wrote this directory (stages, partition size)
    OUT/documents/country=SY/year=2015/part-<partition id>.parquet
    OUT/mentions/…  OUT/claims/…  OUT/events/… (GeoParquet)
    OUT/<table>/_common_metadata            the schema, so an empty table can still be read
    OUT/_manifest/<partition id>.json       written last: the partition is complete
    OUT/_errors/<partition id>.jsonl        bad documents of that partition
    OUT/errors.jsonl                        all bad documents and inputs, rebuilt after each run

Every file is written under a temporary name and renamed when complete, and a partition counts
as done only once its manifest entry exists; files of a partition without one are left-overs of
a killed run and are removed before the next run, so a rerun never duplicates rows.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from rasd.batch.tables import (
    NULL_PARTITION,
    PARTITIONING,
    SCHEMAS,
    TABLES,
    PartitionKey,
    Rows,
    geo_metadata,
    points_bbox,
)
from rasd.errors import InputError

FORMAT_VERSION = 1
MANIFEST = "_manifest"
ERRORS_DIR = "_errors"
ERRORS_FILE = "errors.jsonl"
SETTINGS_FILE = "_batch.json"
_TMP = ".tmp-"


@dataclass(frozen=True, slots=True)
class BadDocument:
    """A document or input that produced no rows, and why: one line of the errors file."""

    id: str | None
    input: str
    reason: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


@dataclass(slots=True)
class PartitionSummary:
    """What one partition produced; also its manifest entry."""

    partition: str
    first: str
    last: str
    items: int = 0
    documents: int = 0
    errors: int = 0
    mentions: int = 0
    claims: int = 0
    events: int = 0
    text_bytes: int = 0
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PartitionSummary:
        data: dict[str, Any] = json.loads(text)
        return cls(**data)


def write_atomic(path: Path, write: Any) -> None:
    """``write(temporary_path)`` then rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}{_TMP}{uuid.uuid4().hex}")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def key_dir(key: PartitionKey) -> str:
    country, year = key
    return f"country={country or NULL_PARTITION}/year={NULL_PARTITION if year is None else year}"


class OutputDir:
    """One batch's output directory; safe to reopen after a crash (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    # -- set-up and resume -------------------------------------------------------------------

    def prepare(self, settings: dict[str, Any]) -> None:
        """Create the layout, or check that an existing one was written with the same settings.

        A different pipeline or partition size would give other rows or other partition ids, and
        mixing them in one directory would duplicate documents.
        """
        settings = {"format": FORMAT_VERSION, **settings}
        path = self.root / SETTINGS_FILE
        if path.exists():
            try:
                found = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise InputError(str(path), f"unreadable batch settings ({error})") from None
            if found != settings:
                changed = ", ".join(
                    f"{k} was {found.get(k)!r}, now {settings.get(k)!r}"
                    for k in sorted(set(found) | set(settings))
                    if found.get(k) != settings.get(k)
                )
                raise InputError(
                    str(self.root),
                    f"output directory was written with other settings ({changed}); "
                    "rerun with the same settings or choose a new --out",
                )
        else:
            self.root.mkdir(parents=True, exist_ok=True)
            write_text_atomic(path, json.dumps(settings, indent=2) + "\n")
        for name in TABLES:
            schema = SCHEMAS[name]
            target = self.root / name / "_common_metadata"
            if not target.exists():
                write_atomic(target, lambda tmp, s=schema: pq.write_metadata(s, tmp))
        (self.root / MANIFEST).mkdir(exist_ok=True)
        (self.root / ERRORS_DIR).mkdir(exist_ok=True)

    def done(self) -> dict[str, PartitionSummary]:
        """Complete partitions; removes files of incomplete ones (left by a killed run)."""
        summaries: dict[str, PartitionSummary] = {}
        for path in sorted((self.root / MANIFEST).glob("*.json")):
            try:
                summaries[path.stem] = PartitionSummary.from_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError, TypeError):
                path.unlink()  # a manifest is written atomically; this one is not ours
        present = {p.relative_to(self.root).as_posix() for p in self._data_files()}
        for pid, summary in list(summaries.items()):
            if not all(f in present for f in summary.files):
                (self.root / MANIFEST / f"{pid}.json").unlink()
                del summaries[pid]
        for path in self._data_files():
            pid = _partition_of(path)
            if _TMP in path.name or pid not in summaries:
                path.unlink()
        for path in (self.root / MANIFEST).iterdir():
            if _TMP in path.name:
                path.unlink()
        return summaries

    def _data_files(self) -> Iterator[Path]:
        for name in (*TABLES, ERRORS_DIR):
            base = self.root / name
            if base.is_dir():
                yield from (p for p in base.rglob("*") if p.is_file() and p.name[0] != "_")

    # -- one partition ------------------------------------------------------------------------

    def write_partition(
        self, summary: PartitionSummary, rows: Rows, errors: list[BadDocument]
    ) -> PartitionSummary:
        """Data files first, the errors file next, the manifest entry last."""
        pid = summary.partition
        for name in TABLES:
            for key, table in rows.tables(name):
                relative = f"{name}/{key_dir(key)}/part-{pid}.parquet"
                write_atomic(self.root / relative, lambda tmp, t=table: write_table(t, tmp))
                summary.files.append(relative)
        if errors:
            relative = f"{ERRORS_DIR}/{pid}.jsonl"
            text = "".join(e.to_json() + "\n" for e in errors)
            write_text_atomic(self.root / relative, text)
            summary.files.append(relative)
        write_text_atomic(self.root / MANIFEST / f"{pid}.json", summary.to_json() + "\n")
        return summary

    # -- after the run ------------------------------------------------------------------------

    def write_errors(self, input_problems: Iterable[BadDocument], order: Iterable[str]) -> int:
        """Rebuild ``errors.jsonl``: unreadable inputs, then bad documents in partition order."""
        lines = [p.to_json() + "\n" for p in input_problems]
        for pid in order:
            path = self.root / ERRORS_DIR / f"{pid}.jsonl"
            if path.exists():
                lines.extend(path.read_text(encoding="utf-8").splitlines(keepends=True))
        write_text_atomic(self.root / ERRORS_FILE, "".join(lines))
        return len(lines)


def _partition_of(path: Path) -> str:
    """``part-<id>.parquet`` and ``<id>.jsonl`` (and their temporary names) → the id."""
    name = path.name.split(_TMP)[0]
    stem = name.split(".")[0]
    return stem.removeprefix("part-")


def write_table(table: pa.Table, path: Path) -> None:
    if "geometry" in table.column_names:
        metadata = dict(table.schema.metadata or {})
        metadata[b"geo"] = geo_metadata(points_bbox(table))
        table = table.replace_schema_metadata(metadata)
    pq.write_table(table, path, compression="zstd")


def read_table(root: Path, name: str) -> pa.Table:
    """A whole output table with its ``country`` and ``year`` columns back from the paths."""
    base = root / name
    schema: pa.Schema = SCHEMAS[name]
    for part in PARTITIONING:
        schema = schema.append(part)
    files = (
        sorted(p for p in base.rglob("*.parquet") if _TMP not in p.name) if base.is_dir() else []
    )
    if not files:
        return schema.empty_table()
    dataset = ds.dataset(
        [str(f) for f in files],
        schema=schema,
        format="parquet",
        partitioning=ds.partitioning(PARTITIONING, flavor="hive"),
        partition_base_dir=str(base),
    )
    return dataset.to_table()
