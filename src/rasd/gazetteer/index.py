"""The committed place index, loaded once per pipeline.

``rasd/data/gazetteer/places.idx`` holds one header line of UTF-8 text, then zlib-compressed
blocks, each compressed on its own so that a load inflates only what it needs:
``#rasd-gazetteer-2<TAB>places<TAB>major keys<TAB>minor keys<TAB>block sizes<TAB>row chunk sizes``
(sizes comma-separated).
The blocks, in order (lines joined by newlines):

- ``major_keys``: the normalized names matched everywhere, sorted;
- ``major_rows``: per major key, the comma-separated row numbers of the places it names;
- ``prefixes``: the word prefixes of multi-word major keys («مزار» of «مزار شريف»): the matcher
  extends a phrase by the next word only while it is such a prefix;
- ``rows``: one line per place (id, feature, country, admin-1 code, admin-2 name, lat, lon, bbox
  ``w,s,e,n``, population, English name, Arabic name), countries and admin-1 first, compressed
  in chunks of ``ROW_CHUNK`` rows so that a report inflates only the chunks its candidates are in;
- ``minor_keys`` and ``minor_rows``: villages and neighbourhoods, looked up after a cue word only.

Loading reads the major keys into one dict (a split and a zip, both in C); the other blocks are
inflated on first use and place rows are parsed on demand. Rebuild it with ``rasd gazetteer
build`` (see ``rasd.gazetteer.build``); ``write_index`` writes the format.
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import BaseModel

from rasd.errors import DataFileError

FORMAT = "rasd-gazetteer-2"
MAX_KEY = 63  # characters: longer names are not indexed
INDEX_FILE = "places.idx"
ROW_CHUNK = 2048
BLOCKS = ("major_keys", "major_rows", "prefixes", "rows", "minor_keys", "minor_rows")
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
    """Major keys in one dict (name -> key id); villages, rows and row lists inflated lazily.

    ``ids`` also holds the ``extra_keys`` (cue words, nationality adjectives) with ids from
    ``extra_base`` on, so one lookup per word tells a name from a cue. ``prefixes`` holds the
    first words of multi-word names (all but the last word, and shorter), to extend phrases.
    """

    def __init__(
        self,
        source: str,
        blocks: dict[str, bytes],
        counts: tuple[int, int, int],
        extra_keys: Sequence[str] = (),
        chunks: Sequence[bytes] = (),
    ) -> None:
        self.source = source
        self._blocks = blocks
        self._places, n_major, self._n_minor = counts
        self.keys: list[str] = self._lines("major_keys", n_major)
        self.ids: dict[str, int] = dict(zip(self.keys, range(n_major), strict=True))
        self.extra_base = n_major
        self.extra_keys = list(extra_keys)
        for offset, key in enumerate(self.extra_keys):
            # A cue word that is also a name stays a name; the text around it tells.
            self.ids.setdefault(key, n_major + offset)
        self.prefixes: set[str] = set(self._lines("prefixes", None))
        self._extra_phrases: dict[str, list[str]] = {}
        for key in self.extra_keys:
            words = key.split(" ")  # «شمال شرق»: a cue phrase starts here too
            self.prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))
            if len(words) > 1:
                self._extra_phrases.setdefault(words[0], []).append(key)
        self._key_rows: list[str] | None = None
        self._chunks = list(chunks)
        self._chunk_rows: list[list[bytes] | None] = [None] * len(self._chunks)
        if len(self._chunks) != -(-self._places // ROW_CHUNK):
            raise DataFileError(f"{source} is truncated or malformed (rows); {REBUILD}")
        self._minor: tuple[list[str], list[str]] | None = None
        self._parsed: dict[int, PlaceRecord] = {}
        self._admin1: dict[tuple[str, str], int] | None = None  # (country, code) -> row
        self._countries: dict[str, int] | None = None

    def __len__(self) -> int:
        return self._places

    def _inflate(self, name: str) -> bytes:
        try:
            return zlib.decompress(self._blocks[name])
        except zlib.error as exc:
            raise DataFileError(f"{self.source} is corrupt ({name}: {exc}); {REBUILD}") from None

    def _lines(self, name: str, count: int | None) -> list[str]:
        try:
            text = self._inflate(name).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataFileError(f"{self.source} is corrupt ({name}: {exc}); {REBUILD}") from None
        lines = text.split("\n") if text or count != 0 else []
        if count is not None and len(lines) != count:
            raise DataFileError(f"{self.source} is truncated or malformed ({name}); {REBUILD}")
        return lines

    def place(self, row: int) -> PlaceRecord:
        record = self._parsed.get(row)
        if record is None:
            record = self._parse(row)
            self._parsed[row] = record
        return record

    def _row(self, row: int) -> bytes:
        chunk, line = divmod(row, ROW_CHUNK)
        rows = self._chunk_rows[chunk] if 0 <= chunk < len(self._chunks) else []
        if rows is None:
            try:
                rows = zlib.decompress(self._chunks[chunk]).split(b"\n")
            except zlib.error as exc:
                raise DataFileError(f"{self.source} is corrupt (rows: {exc}); {REBUILD}") from None
            expected = min(ROW_CHUNK, self._places - chunk * ROW_CHUNK)
            if len(rows) != expected:
                raise DataFileError(f"{self.source} is truncated or malformed (rows); {REBUILD}")
            self._chunk_rows[chunk] = rows
        return rows[line] if line < len(rows) else b""

    def _parse(self, row: int) -> PlaceRecord:
        try:
            fields = self._row(row).decode("utf-8").split("\t")
        except UnicodeDecodeError:
            fields = []
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

    def lookup(
        self, key: str, *, minor: bool = False, limit: int | None = None
    ) -> list[PlaceRecord]:
        """Places a normalized key names, best-known first; ``minor`` also searches villages."""
        key_id = self.key_id(key)
        if key_id is not None:
            return self.places_of(key_id, limit)
        if minor:
            if self._minor is None:  # sorted: searched by bisection, no dict to build
                names = self._lines("minor_keys", self._n_minor)
                self._minor = (names, self._lines("minor_rows", self._n_minor))
            names, values = self._minor
            index = bisect.bisect_left(names, key)
            if index < len(names) and names[index] == key:
                ids = values[index]
                found = ids.split(",", -1 if limit is None else limit)[:limit]
                return [self.place(int(r)) for r in found]
        return []

    def key_id(self, key: str) -> int | None:
        """The id of a major key (None for a cue word or a name not matched everywhere)."""
        key_id = self.ids.get(key)
        return key_id if key_id is not None and key_id < self.extra_base else None

    def key_rows(self, key_id: int) -> str:
        """The row numbers of a major key, as stored (compare them without parsing rows)."""
        if self._key_rows is None:
            self._key_rows = self._lines("major_rows", self.extra_base)
        return self._key_rows[key_id]

    def places_of(self, key_id: int, limit: int | None = None) -> list[PlaceRecord]:
        """The places a key names, best-known first (rows are sorted); ``limit`` caps them."""
        rows = self.key_rows(key_id).split(",", -1 if limit is None else limit)
        return [self.place(int(r)) for r in rows[:limit]]

    def keys_with_prefix(self, prefix: str, limit: int) -> Iterator[str]:
        """Major keys that start with ``prefix``, in sorted order (for type-ahead search)."""
        start = bisect.bisect_left(self.keys, prefix)
        for key in self.keys[start : start + limit]:
            if not key.startswith(prefix):
                return
            yield key

    def phrases(self, first: str) -> Iterator[str]:
        """Multi-word keys (names, cue phrases) whose first word is ``first``."""
        head = first + " "
        keys = self.keys
        index = bisect.bisect_left(keys, head)
        while index < len(keys) and keys[index].startswith(head):
            yield keys[index]
            index += 1
        yield from self._extra_phrases.get(first, ())

    def admin1(self, country: str, code: str) -> PlaceRecord | None:
        if self._admin1 is None:
            self._index_top()
        assert self._admin1 is not None
        row = self._admin1.get((country, code))
        return None if row is None else self.place(row)

    def country(self, code: str) -> PlaceRecord | None:
        if self._countries is None:
            self._index_top()
        assert self._countries is not None
        row = self._countries.get(code)
        return None if row is None else self.place(row)

    def _index_top(self) -> None:
        """Countries and admin-1 units come first in the rows (sorted by feature rank)."""
        self._admin1, self._countries = {}, {}
        for row in range(self._places):
            fields = self._row(row).split(b"\t", 4)
            if len(fields) < 5 or fields[1] not in (b"country", b"admin1"):
                break
            country = fields[2].decode("utf-8")
            if fields[1] == b"country":
                self._countries[country] = row
            elif fields[3]:
                self._admin1.setdefault((country, fields[3].decode("utf-8")), row)


def write_index(
    path: Path, rows: Sequence[str], major: dict[str, str], minor: dict[str, str]
) -> None:
    """Write the format above; the same arguments give the same bytes (no time stamps)."""
    keys = sorted(major)
    prefixes: set[str] = set()
    for key in keys:
        words = key.split(" ")
        prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))
    minor_keys = sorted(minor)
    chunks = [
        zlib.compress("\n".join(rows[i : i + ROW_CHUNK]).encode("utf-8"), 9)
        for i in range(0, len(rows), ROW_CHUNK)
    ]
    texts = {
        "major_keys": keys,
        "major_rows": [major[k] for k in keys],
        "prefixes": sorted(prefixes),
        "minor_keys": minor_keys,
        "minor_rows": [minor[k] for k in minor_keys],
    }
    blocks = [
        b"".join(chunks)
        if name == "rows"
        else zlib.compress("\n".join(texts[name]).encode("utf-8"), 9)
        for name in BLOCKS
    ]
    sizes = ",".join(str(len(b)) for b in blocks)
    chunk_sizes = ",".join(str(len(c)) for c in chunks)
    header = f"#{FORMAT}\t{len(rows)}\t{len(keys)}\t{len(minor_keys)}\t{sizes}\t{chunk_sizes}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode("utf-8") + b"".join(blocks))


def load_gazetteer(node: Traversable, source: str, extra_keys: Sequence[str] = ()) -> Gazetteer:
    """Read and check the index; a missing or damaged file says how to rebuild it.

    ``extra_keys`` (cue words, nationality adjectives) join the key dict with ids after the
    major keys.
    """
    try:
        raw = node.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"{source} is missing; {REBUILD}") from None
    except OSError as exc:
        raise DataFileError(f"{source} cannot be read ({exc}); {REBUILD}") from None
    newline = raw.find(b"\n", 0, 65536)
    try:
        header = raw[:newline].decode("utf-8").split("\t") if newline > 0 else []
    except UnicodeDecodeError:
        header = []
    if len(header) != 6 or header[0] != "#" + FORMAT:
        raise DataFileError(f"{source} is not a {FORMAT} index; {REBUILD}")
    try:
        counts = (int(header[1]), int(header[2]), int(header[3]))
        sizes = [int(s) for s in header[4].split(",")]
        chunk_sizes = [int(s) for s in header[5].split(",") if s]
    except ValueError:
        raise DataFileError(f"{source} has a malformed header; {REBUILD}") from None
    rows_size = sizes[BLOCKS.index("rows")] if len(sizes) == len(BLOCKS) else -1
    if (
        len(sizes) != len(BLOCKS)
        or newline + 1 + sum(sizes) != len(raw)
        or sum(chunk_sizes) != rows_size
    ):
        raise DataFileError(f"{source} is truncated or malformed; {REBUILD}")
    blocks: dict[str, bytes] = {}
    offset = newline + 1
    for name, size in zip(BLOCKS, sizes, strict=True):
        blocks[name] = raw[offset : offset + size]
        offset += size
    chunks: list[bytes] = []
    offset = 0
    for size in chunk_sizes:
        chunks.append(blocks["rows"][offset : offset + size])
        offset += size
    return Gazetteer(source, blocks, counts, extra_keys, chunks)
