"""GeoJSON FeatureCollection (RFC 7946): one Point per located event, ``[longitude, latitude]``.

There is no official UCDP GeoJSON; ours carries the GED columns as properties (null for blank)
plus ``rasd_event_id``, ``grade`` and ``flags`` (docs/field-standards.md §2). Events with no
coordinates are left out, since a Feature without geometry maps nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from rasd.document import Document
from rasd.events import CountryRow
from rasd.export.ucdp import COLUMNS, export_ged
from rasd.jsontypes import JSONObject, JSONValue
from rasd.records import EventRecord


def export_geojson(
    events: Iterable[tuple[EventRecord, Document | None]], countries: dict[str, CountryRow]
) -> JSONObject:
    features: list[JSONValue] = []
    for event, doc in events:
        location = event.location
        if location is None or location.latitude is None or location.longitude is None:
            continue
        ged = export_ged([(event, doc)], countries).rows
        properties: dict[str, JSONValue] = {
            column: (None if not ged or ged[0][column] == "" else ged[0][column])
            for column in COLUMNS
        }
        properties.update(
            {
                "rasd_event_id": event.event_id,
                "event_type": event.event_type,
                "sub_event_type": event.sub_event_type,
                "location": location.name,
                "date_start": event.date_start.isoformat() if event.date_start else None,
                "date_end": event.date_end.isoformat() if event.date_end else None,
                "fatalities_low": event.fatalities.low,
                "fatalities_best": event.fatalities.best,
                "fatalities_high": event.fatalities.high,
                "grade": event.grade,
                "flags": [flag.kind for flag in event.flags],
            }
        )
        features.append(
            {
                "type": "Feature",
                "id": event.event_id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [location.longitude, location.latitude],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}
