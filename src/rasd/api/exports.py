"""Export writers the API streams: each turns event records into chunks of text.

JSON Lines and GeoJSON are written here. ACLED CSV and UCDP GED CSV belong to ``rasd.export`` (the
writers behind ``rasd extract --format …``): **seam** — when that package is merged, add its
writers to ``WRITERS`` below (adapting each to ``ExportWriter``: records in, text chunks out) and
the API serves them with no other change. Until then those formats answer 501, saying why.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rasd.jsontypes import JSONObject
from rasd.records import EventRecord

ExportWriter = Callable[[Iterable[EventRecord]], Iterator[str]]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    media_type: str
    extension: str
    writer: ExportWriter | None  # None: known format, writer not in this build


def write_jsonl(records: Iterable[EventRecord]) -> Iterator[str]:
    """One full event record per line (claims, evidence and flags included)."""
    for record in records:
        yield record.model_dump_json() + "\n"


def write_geojson(records: Iterable[EventRecord]) -> Iterator[str]:
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


WRITERS: dict[str, ExportFormat] = {
    "jsonl": ExportFormat("application/x-ndjson; charset=utf-8", "jsonl", write_jsonl),
    "geojson": ExportFormat("application/geo+json; charset=utf-8", "geojson", write_geojson),
    # Seam for rasd.export (see the module docstring).
    "acled": ExportFormat("text/csv; charset=utf-8", "csv", None),
    "ged": ExportFormat("text/csv; charset=utf-8", "csv", None),
}
