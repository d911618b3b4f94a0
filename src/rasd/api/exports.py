"""Export writers the API streams: each turns event records into chunks of text.

JSON Lines and GeoJSON are written here; ACLED CSV and UCDP GED CSV reuse ``rasd.export`` (the
writers behind ``rasd extract --format …``), one event at a time so a large export streams. Those
two need the report an event came from (publisher, URL, headline): the caller passes a lookup.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from rasd.document import Document
from rasd.events import CountryRow, load_countries
from rasd.jsontypes import JSONObject
from rasd.records import EventRecord
from rasd.resources import Resources

if TYPE_CHECKING:
    from rasd.store.database import EventFilters, Store

DocumentLookup = Callable[[str], Document | None]
ExportWriter = Callable[
    [Iterable[EventRecord], DocumentLookup, dict[str, CountryRow]], Iterator[str]
]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    media_type: str
    extension: str
    writer: ExportWriter


def write_jsonl(
    records: Iterable[EventRecord], _documents: DocumentLookup, _countries: dict[str, CountryRow]
) -> Iterator[str]:
    """One full event record per line (claims, evidence and flags included)."""
    for record in records:
        yield record.model_dump_json() + "\n"


def write_geojson(
    records: Iterable[EventRecord], _documents: DocumentLookup, _countries: dict[str, CountryRow]
) -> Iterator[str]:
    """A FeatureCollection (RFC 7946): Point ``[lon, lat]``; null geometry when not placed."""
    yield '{"type":"FeatureCollection","features":['
    first = True
    for record in records:
        feature = {"type": "Feature", "id": record.event_id, **_feature(record)}
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


def _feature(record: EventRecord) -> JSONObject:
    location = record.location
    geometry: JSONObject | None = None
    if location is not None and location.latitude is not None and location.longitude is not None:
        geometry = {"type": "Point", "coordinates": [location.longitude, location.latitude]}
    properties: JSONObject = {
        "rasd_event_id": record.event_id,
        "document_ids": list(record.document_ids),
        "event_type": record.event_type,
        "sub_event_type": record.sub_event_type,
        "date_start": record.date_start.isoformat() if record.date_start else None,
        "date_end": record.date_end.isoformat() if record.date_end else None,
        "date_precision": record.date_precision,
        "actor1": record.actor1.name if record.actor1 else None,
        "actor2": record.actor2.name if record.actor2 else None,
        "assoc_actors": [a.name for a in record.assoc_actors],
        "civilian_targeting": record.civilian_targeting,
        "country": location.country if location else None,
        "admin1": location.admin1 if location else None,
        "admin2": location.admin2 if location else None,
        "location": location.name if location else None,
        "geo_precision": location.precision if location else None,
        "geonames_id": location.geonames_id if location else None,
        "grade": record.grade,
        "flags": [flag.kind for flag in record.flags],
    }
    for quantity in ("fatalities", "injured", "detained"):
        figures = getattr(record, quantity)
        for bound in ("low", "best", "high"):
            properties[f"{quantity}_{bound}"] = getattr(figures, bound)
    return {"geometry": geometry, "properties": properties}


def _source(record: EventRecord, documents: DocumentLookup) -> Document | None:
    return documents(record.document_ids[0]) if record.document_ids else None


def _csv_line(row: dict[str, str | int | float], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n").writerow(row)
    return buffer.getvalue()


def write_acled(
    records: Iterable[EventRecord], documents: DocumentLookup, countries: dict[str, CountryRow]
) -> Iterator[str]:
    """ACLED's 31 columns by its coding rules; an event ACLED would not record yields no row."""
    from rasd.export.acled import COLUMNS, export_acled

    yield ",".join(COLUMNS) + "\n"
    timestamp = int(time.time())
    for record in records:
        for row in export_acled([(record, _source(record, documents))], countries, timestamp).rows:
            yield _csv_line(row, COLUMNS)


def write_ged(
    records: Iterable[EventRecord], documents: DocumentLookup, countries: dict[str, CountryRow]
) -> Iterator[str]:
    """UCDP GED columns; rows numbered across the whole export, deaths-only as GED requires."""
    from rasd.export.ucdp import COLUMNS, export_ged

    yield ",".join(COLUMNS) + "\n"
    number = 0
    for record in records:
        for row in export_ged([(record, _source(record, documents))], countries).rows:
            number += 1
            yield _csv_line({**row, "id": number}, COLUMNS)


def export_events(store: Store, export_format: str, filters: EventFilters, stream: TextIO) -> int:
    """Write the filtered events of a store in one format; returns how many events."""
    count = 0

    def counted() -> Iterator[EventRecord]:
        nonlocal count
        for stored in store.iter_events(filters):
            count += 1
            yield stored.record

    lookup = document_lookup(store)
    for chunk in WRITERS[export_format].writer(counted(), lookup, export_countries()):
        stream.write(chunk)
    return count


@functools.cache
def export_countries() -> dict[str, CountryRow]:
    """ISO names, regions and GW numbers for the CSV columns, read once per process."""
    return load_countries(Resources())


def document_lookup(store: Store) -> DocumentLookup:
    """The report behind an event, read once per export however many events it holds."""

    @functools.lru_cache(maxsize=256)
    def lookup(document_id: str) -> Document | None:
        stored = store.get_document(document_id)
        return stored.document if stored is not None else None

    return lookup


WRITERS: dict[str, ExportFormat] = {
    "jsonl": ExportFormat("application/x-ndjson; charset=utf-8", "jsonl", write_jsonl),
    "geojson": ExportFormat("application/geo+json; charset=utf-8", "geojson", write_geojson),
    "acled": ExportFormat("text/csv; charset=utf-8", "csv", write_acled),
    "ged": ExportFormat("text/csv; charset=utf-8", "csv", write_ged),
}
