"""UCDP GED CSV: the 49 columns (order from two public parsers; docs/field-standards.md §2).

GED records armed force by an organized actor with at least one direct death at one place and
date, so protests, riots, strategic developments and events without a known death get no row.
type_of_violence: civilians targeted → 3 (one-sided); a state force on a side → 1; else 2.
date_prec day→1 (2 for a 2-6 day span), week→3, month→4, year→5; where_prec point/city→1,
near→2, admin2→3, admin1→4, region→5, country→6.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rasd.document import Document
from rasd.events import CountryRow
from rasd.records import EventRecord

COLUMNS = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id",
    "side_b", "number_of_sources", "source_article", "source_office", "source_date",
    "source_headline", "source_original", "where_prec", "where_coordinates", "where_description",
    "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country",
    "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a",
    "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip

_WHERE_PREC = {"point": 1, "city": 1, "admin2": 3, "admin1": 4, "region": 5, "country": 6}
_DATE_PREC = {"week": 3, "month": 4, "year": 5}
_GED_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
# GED's own region names, from ACLED's finer ones
_GED_REGION = {
    "Middle East": "Middle East",
    "Northern Africa": "Africa",
    "Western Africa": "Africa",
    "Middle Africa": "Africa",
    "Eastern Africa": "Africa",
    "Southern Africa": "Africa",
    "Europe": "Europe",
    "North America": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Caribbean": "Americas",
}


@dataclass(slots=True)
class GedExport:
    rows: list[dict[str, str | int | float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _type_of_violence(event: EventRecord) -> int:
    if event.civilian_targeting or event.event_type == "Violence against civilians":
        return 3
    kinds = {a.kind for a in (event.actor1, event.actor2) if a is not None}
    return 1 if "state forces" in kinds or "external" in kinds else 2


def _date_prec(event: EventRecord) -> int:
    if event.date_precision == "day":
        span = (
            (event.date_end - event.date_start).days if event.date_end and event.date_start else 0
        )
        return 2 if 1 <= span <= 5 else 1
    return _DATE_PREC.get(event.date_precision or "year", 5)


def export_ged(
    events: Iterable[tuple[EventRecord, Document | None]], countries: dict[str, CountryRow]
) -> GedExport:
    out = GedExport()
    for number, (event, doc) in enumerate(events, start=1):
        best = event.fatalities.best
        if event.event_type not in _GED_TYPES or not best:
            out.warnings.append(
                f"{event.event_id}: no GED row (needs organized violence and ≥1 death)"
            )
            continue
        location = event.location
        country = countries.get(location.country or "") if location else None
        violence = _type_of_violence(event)
        attributed = sorted({c.attributed_to for c in event.claims if c.attributed_to})
        lat = location.latitude if location else None
        lon = location.longitude if location else None
        side_a = event.actor1.name if event.actor1 else ""
        side_b = event.actor2.name if event.actor2 else ("Civilians" if violence == 3 else "")
        source = doc.source if doc else None
        out.rows.append(
            {
                "id": number,
                "relid": "",
                "year": event.date_start.year if event.date_start else "",
                "active_year": "",
                "code_status": "",
                "type_of_violence": violence,
                "conflict_dset_id": "",
                "conflict_new_id": "",
                "conflict_name": "",
                "dyad_dset_id": "",
                "dyad_new_id": "",
                "dyad_name": f"{side_a} - {side_b}" if side_b else side_a,
                "side_a_dset_id": "",
                "side_a_new_id": "",
                "side_a": side_a,
                "side_b_dset_id": "",
                "side_b_new_id": "",
                "side_b": side_b,
                "number_of_sources": len(event.document_ids),
                "source_article": (source.url or "") if source else "",
                "source_office": (source.publisher or "") if source else "",
                "source_date": source.published.isoformat() if source and source.published else "",
                "source_headline": (source.title or "") if source else "",
                "source_original": "; ".join(a for a in attributed if a),
                "where_prec": (
                    2
                    if location and location.relation == "near"
                    else _WHERE_PREC.get(location.precision, 6)
                    if location
                    else 6
                ),
                "where_coordinates": location.name if location else "",
                "where_description": location.span.text if location and location.span else "",
                "adm_1": (location.admin1 or "") if location else "",
                "adm_2": (location.admin2 or "") if location else "",
                "latitude": lat if lat is not None else "",
                "longitude": lon if lon is not None else "",
                "geom_wkt": f"POINT ({lon} {lat})" if lat is not None and lon is not None else "",
                "priogrid_gid": "",
                "country": country.name if country else "",
                "country_id": (country.gw or "") if country else "",
                "region": _GED_REGION.get(country.region or "", "Asia") if country else "",
                "event_clarity": 1,
                "date_prec": _date_prec(event),
                "date_start": event.date_start.isoformat() if event.date_start else "",
                "date_end": event.date_end.isoformat() if event.date_end else "",
                "deaths_a": 0,
                "deaths_b": 0,
                "deaths_civilians": best if violence == 3 else 0,
                "deaths_unknown": best if violence != 3 else 0,
                "best": best,
                "high": event.fatalities.high if event.fatalities.high is not None else best,
                "low": event.fatalities.low if event.fatalities.low is not None else best,
                "gwnoa": "",
                "gwnob": "",
            }
        )
    return out
