"""The four output tables (documents, mentions, claims, events) as Arrow schemas and rows.

A processed ``Document`` becomes rows here; nothing in this module touches files. Values whose
shape depends on the mention kind (``Mention.value``, flags, the full event record) are kept as
JSON strings so that no column type has to guess at other stages' future keys. Events carry a WKB
point geometry so that the events table is GeoParquet (written in ``output``).
"""

from __future__ import annotations

import json
import re
import struct
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa

from rasd.document import Document
from rasd.jsontypes import JSONValue
from rasd.records import Claim, EventRecord, Figures

TABLES = ("documents", "mentions", "claims", "events")

_SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32())])

DOCUMENTS = pa.schema(
    [
        ("document_id", pa.string()),
        ("input", pa.string()),
        ("external_id", pa.string()),
        ("lang", pa.string()),
        ("publisher", pa.string()),
        ("url", pa.string()),
        ("published", pa.date32()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("sentences", pa.list_(_SPAN)),
        ("clauses", pa.list_(_SPAN)),
        ("n_tokens", pa.int32()),
        ("stages", pa.list_(pa.string())),
        ("flags", pa.string()),
    ]
)

MENTIONS = pa.schema(
    [
        ("document_id", pa.string()),
        ("input", pa.string()),
        ("seq", pa.int32()),
        ("kind", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
        ("value", pa.string()),
        ("by", pa.string()),
    ]
)

CLAIMS = pa.schema(
    [
        ("document_id", pa.string()),
        ("input", pa.string()),
        ("seq", pa.int32()),
        ("event_id", pa.string()),
        ("quantity", pa.string()),
        ("low", pa.int64()),
        ("best", pa.int64()),
        ("high", pa.int64()),
        ("qualifier", pa.string()),
        ("victims", pa.string()),
        ("attributed_to", pa.string()),
        ("derivation", pa.string()),
        ("parts", pa.list_(pa.int64())),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text", pa.string()),
        ("by", pa.string()),
    ]
)

_EVENT_COLUMNS: list[tuple[str, pa.DataType]] = [
    ("event_id", pa.string()),
    ("document_ids", pa.list_(pa.string())),
    ("input", pa.string()),
    ("event_type", pa.string()),
    ("sub_event_type", pa.string()),
    ("date_start", pa.date32()),
    ("date_end", pa.date32()),
    ("date_precision", pa.string()),
    ("actor1", pa.string()),
    ("actor1_kind", pa.string()),
    ("actor2", pa.string()),
    ("actor2_kind", pa.string()),
    ("assoc_actors", pa.list_(pa.string())),
    ("civilian_targeting", pa.bool_()),
    ("location", pa.string()),
    ("admin1", pa.string()),
    ("admin2", pa.string()),
    ("latitude", pa.float64()),
    ("longitude", pa.float64()),
    ("geo_precision", pa.string()),
    ("geonames_id", pa.int64()),
]
for _quantity in ("fatalities", "injured", "detained"):
    _EVENT_COLUMNS += [(f"{_quantity}_{part}", pa.int64()) for part in ("low", "best", "high")]
_EVENT_COLUMNS += [
    ("n_claims", pa.int32()),
    ("grade", pa.string()),
    ("confidence", pa.float64()),
    ("summary", pa.string()),
    ("record", pa.string()),
    ("geometry", pa.binary()),
]
GEOMETRY_COLUMN = "geometry"


def geo_metadata(bbox: tuple[float, float, float, float] | None = None) -> bytes:
    """GeoParquet 1.1 file metadata; no ``crs`` means OGC:CRS84 (longitude, latitude)."""
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if bbox is not None:
        column["bbox"] = list(bbox)
    meta = {"version": "1.1.0", "primary_column": GEOMETRY_COLUMN, "columns": {"geometry": column}}
    return json.dumps(meta).encode("utf-8")


EVENTS = pa.schema(_EVENT_COLUMNS, metadata={b"geo": geo_metadata()})

SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "mentions": MENTIONS,
    "claims": CLAIMS,
    "events": EVENTS,
    "events_reconciled": EVENTS,  # written by rasd.batch.seams.reconcile_output
}

# Hive partition keys; both are written into the directory names, not into the files.
PARTITIONING = pa.schema([("country", pa.string()), ("year", pa.int32())])
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
_COUNTRY = re.compile(r"[A-Z]{2}")

PartitionKey = tuple[str | None, int | None]
Row = dict[str, Any]


def wkb_point(longitude: float, latitude: float) -> bytes:
    """ISO WKB for a 2D point, little-endian: byte order, type 1 (Point), x, y."""
    return struct.pack("<BIdd", 1, 1, longitude, latitude)


def partition_key(country: str | None, when: date | None) -> PartitionKey:
    """A (country, year) directory key; a value that is not an ISO code is unknown, not a path."""
    code = country.upper() if isinstance(country, str) else None
    return (code if code and _COUNTRY.fullmatch(code) else None, when.year if when else None)


def document_country(doc: Document) -> str | None:
    """The country a report is mostly about: the most frequent country among its places."""
    counts = Counter(
        m.value["country"]
        for m in doc.mentions
        if m.kind == "place"
        and isinstance(m.value, dict)
        and isinstance(m.value.get("country"), str)
    )
    if not counts:
        return None
    country, _ = counts.most_common(1)[0]
    return str(country)


@dataclass(slots=True)
class Rows:
    """Rows of every table from some documents, grouped by (country, year) partition key."""

    groups: dict[str, dict[PartitionKey, list[Row]]] = field(
        default_factory=lambda: {name: {} for name in TABLES}
    )

    def add(self, table: str, key: PartitionKey, row: Row) -> None:
        self.groups[table].setdefault(key, []).append(row)

    def count(self, table: str) -> int:
        return sum(len(rows) for rows in self.groups[table].values())

    def tables(self, table: str) -> Iterable[tuple[PartitionKey, pa.Table]]:
        for key, rows in sorted(self.groups[table].items(), key=_key_order):
            yield key, pa.Table.from_pylist(rows, schema=SCHEMAS[table])


def _key_order(item: tuple[PartitionKey, object]) -> tuple[str, int]:
    (country, year), _ = item
    return (country or "", year or 0)


def add_document(rows: Rows, doc: Document, where: str) -> None:
    """All rows one processed document contributes; its mentions and claims follow its key."""
    key = partition_key(document_country(doc), doc.source.published)
    rows.add("documents", key, document_row(doc, where))
    for seq, mention in enumerate(doc.mentions):
        rows.add(
            "mentions",
            key,
            {
                "document_id": doc.id,
                "input": where,
                "seq": seq,
                "kind": mention.kind,
                "start": mention.start,
                "end": mention.end,
                "text": doc.text[mention.start : mention.end],
                "value": _json(mention.value),
                "by": mention.by,
            },
        )
    for row in claim_rows(doc, where):
        rows.add("claims", key, row)
    for event in doc.events:
        location = event.location
        event_key = partition_key(location.country if location else None, event.date_start)
        rows.add("events", event_key, event_row(event, where))


def document_row(doc: Document, where: str) -> Row:
    return {
        "document_id": doc.id,
        "input": where,
        "external_id": doc.source.external_id,
        "lang": doc.lang,
        "publisher": doc.source.publisher,
        "url": doc.source.url,
        "published": doc.source.published,
        "title": doc.source.title,
        "text": doc.text,
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
        "clauses": [{"start": c.start, "end": c.end} for c in doc.clauses],
        "n_tokens": len(doc.tokens),
        "stages": list(doc.stages),
        "flags": _json([f.to_dict() for f in doc.flags]),
    }


def claim_rows(doc: Document, where: str) -> list[Row]:
    """Claims as the ``claims`` stage states them, linked to the event that uses each one.

    An event's claims that no ``claim`` mention states (an events stage may derive some) are
    added after the mentions, so no figure in the output is lost.
    """
    by_span: dict[tuple[int, int, str], tuple[str, Claim]] = {}
    for event in doc.events:
        for claim in event.claims:
            if claim.span.document_id == doc.id:
                by_span.setdefault(
                    (claim.span.start, claim.span.end, claim.quantity), (event.event_id, claim)
                )
    rows: list[Row] = []
    used: set[tuple[int, int, str]] = set()
    for mention in doc.mentions:
        if mention.kind != "claim" or not isinstance(mention.value, dict):
            continue
        value = mention.value
        quantity = value.get("quantity")
        span_key = (mention.start, mention.end, str(quantity))
        linked = by_span.get(span_key)
        used.add(span_key)
        rows.append(
            {
                "document_id": doc.id,
                "input": where,
                "seq": len(rows),
                "event_id": linked[0] if linked else None,
                "quantity": _str_or_none(quantity),
                "low": _int_or_none(value.get("low")),
                "best": _int_or_none(value.get("best")),
                "high": _int_or_none(value.get("high")),
                "qualifier": _str_or_none(value.get("qualifier")),
                "victims": _str_or_none(value.get("victims")),
                "attributed_to": _str_or_none(value.get("attributed_to")),
                "derivation": _str_or_none(value.get("derivation")),
                "parts": [p for p in map(_int_or_none, _list(value.get("parts"))) if p is not None],
                "start": mention.start,
                "end": mention.end,
                "text": doc.text[mention.start : mention.end],
                "by": mention.by,
            }
        )
    for span_key, (event_id, claim) in by_span.items():
        if span_key in used:
            continue
        rows.append(
            {
                "document_id": doc.id,
                "input": where,
                "seq": len(rows),
                "event_id": event_id,
                "quantity": claim.quantity,
                "low": claim.low,
                "best": claim.best,
                "high": claim.high,
                "qualifier": claim.qualifier,
                "victims": claim.victims,
                "attributed_to": claim.attributed_to,
                "derivation": claim.derivation,
                "parts": list(claim.parts),
                "start": claim.span.start,
                "end": claim.span.end,
                "text": claim.span.text,
                "by": claim.by,
            }
        )
    return rows


def event_row(event: EventRecord, where: str | None) -> Row:
    location = event.location
    latitude = location.latitude if location else None
    longitude = location.longitude if location else None
    row: Row = {
        "event_id": event.event_id,
        "document_ids": list(event.document_ids),
        "input": where,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date_start": event.date_start,
        "date_end": event.date_end,
        "date_precision": event.date_precision,
        "actor1": event.actor1.name if event.actor1 else None,
        "actor1_kind": event.actor1.kind if event.actor1 else None,
        "actor2": event.actor2.name if event.actor2 else None,
        "actor2_kind": event.actor2.kind if event.actor2 else None,
        "assoc_actors": [a.name for a in event.assoc_actors],
        "civilian_targeting": event.civilian_targeting,
        "location": location.name if location else None,
        "admin1": location.admin1 if location else None,
        "admin2": location.admin2 if location else None,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": location.precision if location else None,
        "geonames_id": location.geonames_id if location else None,
        "n_claims": len(event.claims),
        "grade": event.grade,
        "confidence": event.confidence,
        "summary": event.summary,
        "record": event.model_dump_json(),
        "geometry": (
            wkb_point(longitude, latitude)
            if latitude is not None and longitude is not None
            else None
        ),
    }
    for quantity in ("fatalities", "injured", "detained"):
        figures: Figures = getattr(event, quantity)
        row[f"{quantity}_low"] = figures.low
        row[f"{quantity}_best"] = figures.best
        row[f"{quantity}_high"] = figures.high
    return row


def points_bbox(table: pa.Table) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of the rows with a geometry, for GeoParquet's bbox."""
    pairs = [
        (lon, lat)
        for lon, lat in zip(
            table.column("longitude").to_pylist(), table.column("latitude").to_pylist(), strict=True
        )
        if lon is not None and lat is not None
    ]
    if not pairs:
        return None
    lons = [p[0] for p in pairs]
    lats = [p[1] for p in pairs]
    return (min(lons), min(lats), max(lons), max(lats))


def _json(value: JSONValue) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int_or_none(value: object) -> int | None:
    """A count as an int; a non-integral or non-numeric value is unknown rather than truncated."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
