"""The committed place index, loaded once per pipeline.

``rasd/data/gazetteer/places.tsv.gz`` is UTF-8 text, gzip-compressed: a header line
``#rasd-gazetteer-1<TAB>places<TAB>keys``, then one line per place (id, feature, country, admin-1
code, admin-2 name, lat, lon, bbox ``w,s,e,n``, population, English name, Arabic name), then one
line per key (a normalized name, then the comma-separated row numbers of the places it names).
Place rows are parsed only when a key names them, so loading is one decompression, one split and
one automaton build. Rebuild it with ``rasd gazetteer build`` (see ``rasd.gazetteer.build``).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from importlib.resources.abc import Traversable
from itertools import accumulate
from pathlib import Path

import ahocorasick
from pydantic import BaseModel

from rasd.errors import DataFileError

FORMAT = "rasd-gazetteer-1"
# Automaton values pack a key's id and its length (``id << 6 | length``): the matcher needs the
# length to find where a hit starts, and ints keep the automaton small and picklable.
VALUE_SHIFT = 6
MAX_KEY = (1 << VALUE_SHIFT) - 1
INDEX_FILE = "places.tsv.gz"
REBUILD = (
    "rebuild it with `uv sync --group build && uv run rasd gazetteer build` "
    "(inputs: ../shared/data/gazetteer/)"
)


class AliasEntry(BaseModel):
    name: str
    place: str


class CuratedPlace(BaseModel):
    id: str
    names: list[str]
    name_en: str
    feature: str
    country: str
    admin1: str = ""
    lat: float
    lon: float


class Demonym(BaseModel):
    stem: str
    country: str


class PlaceAliases(BaseModel):
    """``data/ar/place_aliases.yaml``: curated spellings, places and nationality adjectives."""

    aliases: list[AliasEntry]
    places: list[CuratedPlace]
    demonyms: list[Demonym]


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    row: int
    id: str
    feature: str
    country: str
    admin1: str
    admin2: str
    lat: float
    lon: float
    bbox: tuple[float, float, float, float] | None
    population: int
    name_en: str
    name_ar: str

    @property
    def geonames_id(self) -> int | None:
        return int(self.id[3:]) if self.id.startswith("gn:") else None


class Gazetteer:
    """Major keys in an Aho-Corasick automaton; minor keys (villages) in a sorted block.

    The minor block is searched only after a cue word, and place rows are parsed on demand: the
    text stays one string, so memory is the automaton plus the file's size.
    """

    def __init__(
        self,
        source: str,
        rows: Lines,
        major: Lines,
        minor: Lines,
        extra_keys: Sequence[str] = (),
    ) -> None:
        self.source = source
        self._rows = rows
        self._major = major
        self._minor = minor
        self._parsed: dict[int, PlaceRecord] = {}
        self._admin1: dict[tuple[str, str], PlaceRecord] | None = None
        self._countries: dict[str, PlaceRecord] | None = None
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self.extra_base = len(major)
        self.extra_keys = list(extra_keys)

    def __len__(self) -> int:
        return len(self._rows)

    def place(self, row: int) -> PlaceRecord:
        record = self._parsed.get(row)
        if record is None:
            record = self._parse(row)
            self._parsed[row] = record
        return record

    def _parse(self, row: int) -> PlaceRecord:
        fields = self._rows[row].split("\t")
        if len(fields) != 11:
            raise DataFileError(f"{self.source}: place row {row} is malformed; {REBUILD}")
        try:
            bbox = None
            if fields[7]:
                w, s, e, n = (float(b) for b in fields[7].split(","))
                bbox = (w, s, e, n)
            return PlaceRecord(
                row=row,
                id=fields[0],
                feature=fields[1],
                country=fields[2],
                admin1=fields[3],
                admin2=fields[4],
                lat=float(fields[5]),
                lon=float(fields[6]),
                bbox=bbox,
                population=int(fields[8] or 0),
                name_en=fields[9],
                name_ar=fields[10],
            )
        except ValueError:
            raise DataFileError(f"{self.source}: place row {row} is malformed; {REBUILD}") from None

    def lookup(self, key: str, *, minor: bool = False) -> list[PlaceRecord]:
        """Places a normalized key names; ``minor`` also searches the villages block."""
        value = self.automaton.get(key, -1)
        if 0 <= value < self.extra_base << VALUE_SHIFT:
            return self.places_of(value >> VALUE_SHIFT)
        if minor:
            ids = self._minor.find(key)
            if ids is not None:
                return [self.place(int(r)) for r in ids.split(",")]
        return []

    def key_id(self, key: str) -> int | None:
        value = self.automaton.get(key, -1)
        return value >> VALUE_SHIFT if 0 <= value < self.extra_base << VALUE_SHIFT else None

    def key_rows(self, key_id: int) -> str:
        """The row numbers of a major key, as stored (compare them without parsing rows)."""
        return self._major.value(key_id)

    def places_of(self, key_id: int) -> list[PlaceRecord]:
        return [self.place(int(r)) for r in self._major.value(key_id).split(",")]

    def admin1(self, country: str, code: str) -> PlaceRecord | None:
        if self._admin1 is None:
            self._index_top()
        assert self._admin1 is not None
        return self._admin1.get((country, code))

    def country(self, code: str) -> PlaceRecord | None:
        if self._countries is None:
            self._index_top()
        assert self._countries is not None
        return self._countries.get(code)

    def _index_top(self) -> None:
        """Countries and admin-1 units come first in the file (sorted by feature rank)."""
        self._admin1, self._countries = {}, {}
        for row in range(len(self._rows)):
            feature = self._rows[row].split("\t", 2)[1]
            if feature not in ("country", "admin1"):
                break
            record = self.place(row)
            if feature == "country":
                self._countries[record.country] = record
            elif record.admin1:
                self._admin1.setdefault((record.country, record.admin1), record)


class Lines:
    """Lines ``first .. first+count`` of one text, kept as the text plus line starts.

    No str per line, so the whole index costs about its decompressed size in memory.
    """

    def __init__(self, text: str, starts: array[int], first: int, count: int) -> None:
        if first + count >= len(starts):
            raise ValueError("block shorter than its header says")
        self.text = text
        self.starts = starts
        self.first = first
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> str:
        line = self.first + index
        return self.text[self.starts[line] : self.starts[line + 1] - 1]

    def value(self, index: int) -> str:
        """The part after the first tab (a key line's row numbers)."""
        line = self.first + index
        begin = self.text.find("\t", self.starts[line]) + 1
        return self.text[begin : self.starts[line + 1] - 1]

    def find(self, key: str) -> str | None:
        """The value of ``key<TAB>value`` in a block sorted by key (binary search)."""
        low, high = 0, self.count
        text, starts = self.text, self.starts
        while low < high:
            middle = (low + high) // 2
            begin = starts[self.first + middle]
            tab = text.find("\t", begin)
            current = text[begin:tab]
            if current == key:
                return text[tab + 1 : starts[self.first + middle + 1] - 1]
            if current < key:
                low = middle + 1
            else:
                high = middle
        return None


def load_gazetteer(
    node: Traversable, source: str, extra_keys: Sequence[str] = (), cache: Path | None = None
) -> Gazetteer:
    """Read and check the index; a missing or damaged file says how to rebuild it.

    ``extra_keys`` (nationality adjectives) join the automaton with ids after the major keys.
    The built automaton is saved under ``cache`` (a directory; None = no cache), keyed by the
    index's hash, so later loads skip the build (``make_automaton`` is most of a cold load).
    """
    try:
        raw = node.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{source} is missing; {REBUILD}") from None
    except OSError as exc:
        raise DataFileError(f"{source} cannot be read ({exc}); {REBUILD}") from None
    digest = hashlib.sha256(raw + "\n".join(extra_keys).encode("utf-8")).hexdigest()[:20]
    cached = cache / f"gazetteer-{digest}-{_ahocorasick_version()}.bin" if cache else None
    restored = _restore(cached) if cached is not None else None
    if restored is not None:
        automaton, starts, data = restored
    else:
        try:
            data = gzip.decompress(raw).decode("utf-8")
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise DataFileError(f"{source} is corrupt ({exc}); {REBUILD}") from None
    first = data.find("\n")
    header = data[:first].split("\t")
    if len(header) != 4 or header[0] != "#" + FORMAT:
        raise DataFileError(f"{source} is not a {FORMAT} index; {REBUILD}")
    try:
        n_places, n_major, n_minor = (int(h) for h in header[1:])
    except ValueError:
        raise DataFileError(f"{source} has a malformed header; {REBUILD}") from None
    if restored is None:
        # Line starts from line lengths: split, len and accumulate all run in C.
        starts = array("L", accumulate((len(x) + 1 for x in data.split("\n")), initial=0))
    try:
        rows = Lines(data, starts, 1, n_places)
        major = Lines(data, starts, 1 + n_places, n_major)
        minor = Lines(data, starts, 1 + n_places + n_major, n_minor)
    except ValueError:
        raise DataFileError(f"{source} is truncated or malformed; {REBUILD}") from None
    gazetteer = Gazetteer(source, rows, major, minor, extra_keys)
    if restored is not None:
        gazetteer.automaton = automaton
        return gazetteer
    add = gazetteer.automaton.add_word
    for index in range(n_major):
        line = major[index]
        tab = line.find("\t")
        if tab <= 0:
            raise DataFileError(f"{source}: key line {index} is malformed; {REBUILD}")
        add(line[:tab], (index << VALUE_SHIFT) | min(tab, MAX_KEY))
    exists = gazetteer.automaton.exists
    for offset, key in enumerate(gazetteer.extra_keys):
        if not exists(key):  # a cue word that is also a name stays a name; the text tells
            add(key, (n_major << VALUE_SHIFT) + offset)
    gazetteer.automaton.make_automaton()
    if cached is not None:
        _save((gazetteer.automaton, starts, data), cached)
    return gazetteer


def _restore(path: Path) -> tuple[ahocorasick.Automaton, array[int], str] | None:
    """The automaton, line starts and text saved by an earlier load of the same index, if any.

    The text is kept too because unpickling it is cheaper than decompressing the index again.
    """
    try:
        # The cache is the user's own file, written by _save from this same index.
        loaded = pickle.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        return None  # no cache yet, or a damaged one: rebuilt and saved again
    if (
        isinstance(loaded, tuple)
        and len(loaded) == 3
        and isinstance(loaded[0], ahocorasick.Automaton)
        and isinstance(loaded[1], array)
        and isinstance(loaded[2], str)
    ):
        return loaded[0], loaded[1], loaded[2]
    return None


def _ahocorasick_version() -> str:
    try:
        return metadata.version("pyahocorasick")
    except metadata.PackageNotFoundError:
        return "unknown"


def _save(payload: tuple[ahocorasick.Automaton, array[int], str], path: Path) -> None:
    """Best effort: a read-only cache directory only costs the next load its build time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
        for stale in path.parent.glob("gazetteer-*.bin"):
            if stale != path:  # built from an older index: about 50 MB each
                stale.unlink(missing_ok=True)
    except OSError:
        return
