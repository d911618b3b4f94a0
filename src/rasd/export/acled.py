"""ACLED CSV: the 31 columns of the 2023- codebook, in order, filled by ACLED's coding rules.

Rules (docs/field-standards.md §1): one row per day x place x actor pair, so an event dated to a
range of at most a week with day precision gets a row per day; ``fatalities`` is the lowest
reported figure and 0 when unknown; time_precision day→1, week→2 (dated at the middle), month→3
(mid-month); a year-only or undated event and a country-level location get no row but a warning.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from rasd.document import Document
from rasd.events import CountryRow
from rasd.records import Actor, EventRecord

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# ACLED's actor types, 1-8 in codebook order; rasd kinds map onto them (field-standards.md §1).
INTER_LABELS = (
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)
_KIND_TO_INTER = {
    "state forces": 1,
    "rebel group": 2,
    "militia": 3,
    "protesters": 6,
    "civilians": 7,
    "external": 8,
    "other": 3,  # an unidentified armed group is a political militia in ACLED
}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
_GEO_PRECISION = {"point": 1, "city": 1, "admin2": 2, "admin1": 3, "region": 3}
_MAX_DAY_ROWS = 7


@dataclass(slots=True)
class AcledExport:
    rows: list[dict[str, str | int | float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _inter(actor: Actor | None) -> int | None:
    if actor is None or actor.kind is None:
        return None
    if actor.kind == "militia" and actor.name.endswith("militia"):
        return 4  # a community's fighters: identity militia
    return _KIND_TO_INTER.get(actor.kind)


def _interaction(inter1: int | None, inter2: int | None) -> str:
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{INTER_LABELS[inter1 - 1]} only"
    low, high = sorted((inter1, inter2))
    return f"{INTER_LABELS[low - 1]}-{INTER_LABELS[high - 1]}"


def _days(event: EventRecord) -> list[tuple[date, int]]:
    """(event_date, time_precision) rows for an event; empty when ACLED records none."""
    start, end, precision = (
        event.date_start,
        event.date_end or event.date_start,
        event.date_precision,
    )
    if start is None or end is None or precision not in _TIME_PRECISION:
        return []
    span = (end - start).days
    if precision == "day" and span < _MAX_DAY_ROWS:
        return [(start + timedelta(days=i), 1) for i in range(span + 1)]
    if precision == "month":
        # mid-month; the first or last day for "beginning of" / "end of" (ACLED codebook)
        if span > 20:
            return [(date(start.year, start.month, 15), 3)]
        return [(start if start.day <= 10 else end, 3)]
    return [(start + timedelta(days=span // 2), 2)]


def _notes(event: EventRecord) -> str:
    parts = [event.summary or ""]
    for claim in event.claims:
        source = f" ({claim.attributed_to})" if claim.attributed_to else ""
        parts.append(f"{claim.quantity}: «{claim.span.text}»{source}")
    if event.injured.best is not None:
        parts.append(f"injured: {event.injured.best}")
    if event.detained.best is not None:
        parts.append(f"detained: {event.detained.best}")
    parts.extend(f"[{flag.kind}] {flag.message}" for flag in event.flags)
    return "; ".join(p for p in parts if p)


def export_acled(
    events: Iterable[tuple[EventRecord, Document | None]],
    countries: dict[str, CountryRow],
    timestamp: int,
    *,
    numeric_inter: bool = False,
) -> AcledExport:
    out = AcledExport()
    for event, doc in events:
        location = event.location
        days = _days(event)
        if not days:
            out.warnings.append(
                f"{event.event_id}: dated to {event.date_precision or 'no date'}, "
                "ACLED records no event vaguer than a month"
            )
            continue
        if location is None or location.precision == "country":
            out.warnings.append(f"{event.event_id}: no location finer than a country, no ACLED row")
            continue
        country = countries.get(location.country or "")
        inter1, inter2 = _inter(event.actor1), _inter(event.actor2)
        side1 = [a.name for a in event.assoc_actors if a.role != "target"]
        side2 = [a.name for a in event.assoc_actors if a.role == "target"]
        fatalities = event.fatalities.low
        for number, (day, precision) in enumerate(days):
            # a total over several days is split evenly, the remainder on day one
            share = 0
            if fatalities:
                share = fatalities // len(days) + (fatalities % len(days) if number == 0 else 0)
            suffix = f"-{number + 1}" if len(days) > 1 else ""
            out.rows.append(
                {
                    "event_id_cnty": f"{event.event_id}{suffix}",
                    "event_date": day.isoformat(),
                    "year": day.year,
                    "time_precision": precision,
                    "disorder_type": event.disorder_type or "",
                    "event_type": event.event_type,
                    "sub_event_type": event.sub_event_type or "",
                    "actor1": event.actor1.name if event.actor1 else "",
                    "assoc_actor_1": "; ".join(side1),
                    "inter1": _inter_text(inter1, numeric_inter),
                    "actor2": event.actor2.name if event.actor2 else "",
                    "assoc_actor_2": "; ".join(side2),
                    "inter2": _inter_text(inter2, numeric_inter) if event.actor2 else "",
                    "interaction": _interaction_value(inter1, inter2, numeric_inter),
                    "civilian_targeting": "Civilians targeted" if event.civilian_targeting else "",
                    "iso": country.numeric if country else "",
                    "region": (country.region or "") if country else "",
                    "country": country.name if country else "",
                    "admin1": location.admin1 or "",
                    "admin2": location.admin2 or "",
                    "admin3": "",
                    "location": location.name,
                    "latitude": round(location.latitude, 4)
                    if location.latitude is not None
                    else "",
                    "longitude": round(location.longitude, 4)
                    if location.longitude is not None
                    else "",
                    "geo_precision": _GEO_PRECISION.get(location.precision, 3),
                    "source": (doc.source.publisher or "") if doc else "",
                    "source_scale": "",
                    "notes": _notes(event),
                    "fatalities": share,
                    "tags": "",
                    "timestamp": timestamp,
                }
            )
    return out


def _inter_text(inter: int | None, numeric: bool) -> str | int:
    if inter is None:
        return ""
    return inter if numeric else INTER_LABELS[inter - 1]


def _interaction_value(inter1: int | None, inter2: int | None, numeric: bool) -> str | int:
    if not numeric:
        return _interaction(inter1, inter2)
    if inter1 is None:
        return ""
    low, high = sorted((inter1, inter2 or 0))
    return low * 10 + high if low else high * 10


def write_csv(rows: list[dict[str, str | int | float]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
