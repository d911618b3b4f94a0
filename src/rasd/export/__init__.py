"""Exports: event records written as the files coders already load (ACLED, UCDP GED, GeoJSON).

Each writer follows its standard's own coding rules (docs/field-standards.md): Rasd keeps unknown
as ``None`` inside, ACLED writes 0, GED writes no row without a death.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable

from rasd.document import Document
from rasd.events import load_countries
from rasd.resources import Resources

FORMATS = ("acled-csv", "ged-csv", "geojson")


def render(
    fmt: str,
    documents: Iterable[Document],
    warn: Callable[[str], None],
    resources: Resources | None = None,
) -> str:
    """The text of one export file over all documents' events; warnings name skipped events."""
    from rasd.export.acled import COLUMNS as ACLED_COLUMNS
    from rasd.export.acled import export_acled, write_csv
    from rasd.export.geojson import export_geojson
    from rasd.export.ucdp import COLUMNS as GED_COLUMNS
    from rasd.export.ucdp import export_ged

    countries = load_countries(resources or Resources())
    pairs = [(event, doc) for doc in documents for event in doc.events]
    if fmt == "acled-csv":
        acled = export_acled(pairs, countries, int(time.time()))
        for message in acled.warnings:
            warn(message)
        return write_csv(acled.rows, ACLED_COLUMNS)
    if fmt == "ged-csv":
        ged = export_ged(pairs, countries)
        for message in ged.warnings:
            warn(message)
        return write_csv(ged.rows, GED_COLUMNS)
    if fmt == "geojson":
        return json.dumps(export_geojson(pairs, countries), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r}")
