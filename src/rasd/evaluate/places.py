"""``rasd eval places GOLD.jsonl``: score the places stage on the events' location annotations.

The place gold is derived here, at run time, from each event's ``location`` (span, country,
admin1, lat/lon, precision; ``docs/gold-format.md``), so no copy of the annotated data is kept.
A gold location is *found* when a place mention overlaps one occurrence of its span in the text;
the found ones are then scored for country, admin-1, distance (≤ 25 km) and precision code.
Admin-1 names are compared loosely (accents, articles and unit words dropped) because the gold
writes them as English prose («Nineveh», «Amanat al-Asimah») and GeoNames transliterates.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import regex

from rasd.document import Mention, Source
from rasd.errors import InputError
from rasd.evaluate import EvalOptions, EvalReport
from rasd.gazetteer.index import Gazetteer
from rasd.gazetteer.keys import fold
from rasd.normalize import Charmap, load_charmap
from rasd.pipeline import Pipeline, make_document
from rasd.recognize.places import load_gazetteer_for
from rasd.resources import Resources

GOALS = {"country": 0.97, "within_25km": 0.9, "admin1": 0.9, "precision": 0.85}
_NOISE = regex.compile(
    r"\b(?:al|el|ad|an|ar|as|ash|at|az|governorate|province|district|state|region|"
    r"muhafazat|wilayat|of|the)\b|[^a-z]"
)


@dataclass(frozen=True, slots=True)
class GoldPlace:
    doc: str
    span: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _fold_admin(name: str) -> str:
    ascii_name = "".join(
        c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c)
    )
    return _NOISE.sub("", ascii_name)


def same_admin1(gold: str, predicted: str | None) -> bool:
    if not predicted:
        return False
    a, b = _fold_admin(gold), _fold_admin(predicted)
    if not a or not b:
        return False
    return a == b or a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.75


def _occurrences(text: str, span: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    start = text.find(span)
    while start >= 0:
        found.append((start, start + len(span)))
        start = text.find(span, start + 1)
    return found


def _best_overlap(mentions: list[Mention], spans: list[tuple[int, int]]) -> Mention | None:
    """The place mention that overlaps a gold span most; a real place beats a nationality word."""
    best: tuple[int, int, Mention] | None = None
    for mention in mentions:
        value = mention.value if isinstance(mention.value, dict) else {}
        real = 0 if value.get("relation") == "demonym" else 1
        for start, end in spans:
            overlap = min(end, mention.end) - max(start, mention.start)
            if overlap > 0 and (best is None or (real, overlap) > best[:2]):
                best = (real, overlap, mention)
    return best[2] if best else None


def _gold(record: dict[str, Any], path: Path, line: int) -> list[GoldPlace]:
    places: list[GoldPlace] = []
    for event in record.get("events") or []:
        location = event.get("location")
        if not isinstance(location, dict) or not location.get("span"):
            continue
        places.append(
            GoldPlace(
                doc=str(record.get("id", line)),
                span=str(location["span"]),
                country=location.get("country"),
                admin1=location.get("admin1"),
                lat=location.get("lat"),
                lon=location.get("lon"),
                precision=location.get("precision"),
            )
        )
    if not isinstance(record.get("text"), str):
        raise InputError(f"{path}:{line}", "a gold record needs a text")
    return places


def evaluate(path: Path, options: EvalOptions) -> EvalReport:
    resources = Resources()
    pipeline = Pipeline(["normalize", "segment", "places"], resources=resources)
    resolver = Admin1Resolver(load_gazetteer_for(resources), load_charmap(resources))
    counts = {"gold": 0, "found": 0, "country": 0, "admin1_gold": 0, "admin1": 0}
    counts |= {"coords_gold": 0, "within_25km": 0, "precision_gold": 0, "precision": 0}
    errors: list[str] = []
    with path.open(encoding="utf-8") as stream:
        for line_number, line in enumerate(stream, 1):
            if options.limit is not None and line_number > options.limit:
                break
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{line_number}", f"not JSON ({exc.msg})") from None
            gold = _gold(record, path, line_number)
            if not gold:
                continue
            text = record["text"]
            published = (record.get("source") or {}).get("published")
            source = Source.from_dict({"published": published})
            doc = pipeline(make_document(text, source, record.get("lang")))
            mentions = doc.mentions_of("place")
            for place in gold:
                counts["gold"] += 1
                mention = _best_overlap(mentions, _occurrences(text, place.span))
                if mention is None or not isinstance(mention.value, dict):
                    errors.append(f"{place.doc}: missed «{place.span}»")
                    continue
                counts["found"] += 1
                _score(place, mention, counts, errors, text, resolver)
    return _report(path, counts, errors)


@dataclass(frozen=True, slots=True)
class Admin1Resolver:
    """The GeoNames admin-1 codes the gold's English admin-1 name can mean in its country.

    The gold writes names as prose («Nineveh», «Deir ez-Zor»); the index knows the English names
    and aliases of every admin-1 unit, so the name is resolved there first.
    """

    gazetteer: Gazetteer
    charmap: Charmap

    def codes(self, place: GoldPlace) -> set[str]:
        if not place.admin1:
            return set()
        key = fold(place.admin1, self.charmap)
        found = self.gazetteer.lookup(key) or self.gazetteer.lookup(_strip_unit(key))
        return {p.admin1 for p in found if p.feature == "admin1" and p.country == place.country}


def _strip_unit(key: str) -> str:
    return regex.sub(r"\s+(?:governorate|province|district|region|state)$", "", key)


def _score(
    place: GoldPlace,
    mention: Mention,
    counts: dict[str, int],
    errors: list[str],
    text: str,
    resolver: Admin1Resolver,
) -> None:
    value = mention.value
    assert isinstance(value, dict)
    said = f"{place.doc}: «{place.span}» → «{text[mention.start : mention.end]}» {value['name']}"
    if value.get("country") == place.country:
        counts["country"] += 1
    else:
        errors.append(f"{said}: country {value.get('country')} ≠ {place.country}")
    if place.admin1:
        counts["admin1_gold"] += 1
        admin1 = value.get("admin1")
        codes = resolver.codes(place)
        if (codes and value.get("admin1_code") in codes) or same_admin1(
            place.admin1, admin1 if isinstance(admin1, str) else None
        ):
            counts["admin1"] += 1
        else:
            errors.append(f"{said}: admin1 {admin1} ≠ {place.admin1}")
    lat, lon = value.get("lat"), value.get("lon")
    if place.lat is not None and place.lon is not None:
        counts["coords_gold"] += 1
        if isinstance(lat, float | int) and isinstance(lon, float | int):
            distance = _km(float(lat), float(lon), place.lat, place.lon)
            if distance <= 25:
                counts["within_25km"] += 1
            else:
                errors.append(f"{said}: {distance:.0f} km off")
    if place.precision:
        counts["precision_gold"] += 1
        if value.get("precision") == place.precision:
            counts["precision"] += 1
        else:
            errors.append(f"{said}: precision {value.get('precision')} ≠ {place.precision}")


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def _report(path: Path, counts: dict[str, int], errors: list[str]) -> EvalReport:
    rows = [
        ("recall (location spans found)", counts["found"], counts["gold"], None),
        ("country accuracy", counts["country"], counts["found"], GOALS["country"]),
        ("within 25 km", counts["within_25km"], counts["coords_gold"], GOALS["within_25km"]),
        ("admin1 accuracy", counts["admin1"], counts["admin1_gold"], GOALS["admin1"]),
        ("precision code accuracy", counts["precision"], counts["precision_gold"], None),
    ]
    rows[-1] = (*rows[-1][:3], GOALS["precision"])
    lines = [f"{'measure':<32}{'score':>8}{'n':>8}{'goal':>8}"]
    figures: dict[str, Any] = {"counts": dict(counts)}
    for label, hits, total, goal in rows:
        score = _ratio(hits, total)
        figures[label] = score
        shown = "-" if score is None else f"{score:.3f}"
        lines.append(f"{label:<32}{shown:>8}{total:>8}{'' if goal is None else goal:>8}")
    lines.append("(accuracies over found spans; recall over all gold location spans)")
    return EvalReport(
        title=f"places: {path} ({counts['gold']} gold locations)",
        table="\n".join(lines),
        figures=figures,
        errors=errors,
    )
