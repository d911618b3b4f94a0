"""The one object that flows through every stage: the report as received plus what stages found.

Offsets everywhere are 0-based, end-exclusive Python ``str`` (code point) indices into the original
text, the convention of PLOVER/NGEC; JavaScript (UTF-16) or byte offsets differ for Arabic text.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rasd.jsontypes import JSONObject, JSONValue
from rasd.records import EventRecord

SCHEMA_VERSION = 1


def content_id(text: str) -> str:
    """A document's identity is its content, so the same report ingested twice is one document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a report came from; ``published`` anchors relative dates such as «أمس»."""

    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    title: str | None = None
    path: str | None = None
    external_id: str | None = None

    def to_dict(self) -> JSONObject:
        return {
            "publisher": self.publisher,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "title": self.title,
            "path": self.path,
            "external_id": self.external_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        published = data.get("published")
        return cls(
            publisher=data.get("publisher"),
            url=data.get("url"),
            published=date.fromisoformat(published) if published else None,
            title=data.get("title"),
            path=data.get("path"),
            external_id=data.get("external_id"),
        )


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps a normalized index to an original index with a few breakpoints, not one int per char.

    At normalized index ``breaks[k]`` and after, ``original = normalized + deltas[k]`` until the
    next breakpoint; deletions (diacritics, tatweel, bidi marks) and expansions (ligatures) add
    breakpoints.
    """

    breaks: tuple[int, ...] = (0,)
    deltas: tuple[int, ...] = (0,)
    # Original index of each breakpoint, for the way back; kept so lookups do not rebuild it.
    starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = tuple(b + d for b, d in zip(self.breaks, self.deltas, strict=True))
        object.__setattr__(self, "starts", starts)

    def original(self, index: int) -> int:
        return index + self.deltas[bisect_right(self.breaks, index) - 1]

    def normalized(self, original: int) -> int:
        """The normalized index of an original offset (the first one at or after it); O(log n).

        The map is monotone: segment k maps normalized ``n`` to ``n + deltas[k]`` from
        ``breaks[k]`` on, so the segment holding an original offset is found by bisection.
        """
        k = max(bisect_right(self.starts, original) - 1, 0)
        index = original - self.deltas[k]
        if k + 1 < len(self.breaks):
            index = min(index, self.breaks[k + 1])
        return max(index, 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of a normalized span; an empty span maps to an empty span."""
        # Inlined ``original``: stages map hundreds of thousands of spans per thousand reports.
        breaks, deltas = self.breaks, self.deltas
        first = start + deltas[bisect_right(breaks, start) - 1]
        if end <= start:
            return first, first
        return first, end + deltas[bisect_right(breaks, end - 1) - 1]


@dataclass(frozen=True, slots=True)
class NormalizedView:
    """Text folded for matching (see ``normalize``), with the way back to the original."""

    text: str
    offsets: OffsetMap

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span(start, end)

    def to_dict(self) -> JSONObject:
        return {
            "text": self.text,
            "breaks": [
                [b, d] for b, d in zip(self.offsets.breaks, self.offsets.deltas, strict=True)
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NormalizedView:
        pairs = data["breaks"]
        return cls(
            text=data["text"],
            offsets=OffsetMap(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)),
        )


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    """A word or number; ``stem_start`` skips proclitics (و ف ب ل ك ال …) for matching."""

    start: int
    end: int
    stem_start: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed span of the original text, its resolved value, and the rule or model that made it."""

    kind: str
    start: int
    end: int
    value: JSONValue
    by: str

    def to_dict(self, text: str) -> JSONObject:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": text[self.start : self.end],
            "value": self.value,
            "by": self.by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(
            kind=data["kind"],
            start=int(data["start"]),
            end=int(data["end"]),
            value=data.get("value"),
            by=data["by"],
        )


@dataclass(frozen=True, slots=True)
class Flag:
    """A failed check: a weekday that does not match its date, a breakdown that does not add up."""

    kind: str
    message: str
    spans: tuple[tuple[int, int], ...]
    by: str

    def to_dict(self) -> JSONObject:
        return {
            "kind": self.kind,
            "message": self.message,
            "spans": [[s, e] for s, e in self.spans],
            "by": self.by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Flag:
        return cls(
            kind=data["kind"],
            message=data["message"],
            spans=tuple((int(s), int(e)) for s, e in data.get("spans", [])),
            by=data["by"],
        )


@dataclass(slots=True)
class Document:
    """A report: the original text is never modified; stages add views, mentions and flags."""

    text: str
    lang: str = "ar"
    source: Source = field(default_factory=Source)
    id: str = ""
    normalized: NormalizedView | None = None
    sentences: list[Sentence] = field(default_factory=list)
    clauses: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence holding an original offset (the last starting at or before it)."""
        starts = [s.start for s in self.sentences]
        return max(bisect_right(starts, offset) - 1, 0)

    def to_dict(self, *, include_normalized: bool = False) -> JSONObject:
        data: JSONObject = {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "lang": self.lang,
            "source": self.source.to_dict(),
            "text": self.text,
            "stages": list(self.stages),
            "sentences": [[s.start, s.end] for s in self.sentences],
            "clauses": [[c.start, c.end] for c in self.clauses],
            "tokens": [[t.start, t.end, t.stem_start] for t in self.tokens],
            "mentions": [m.to_dict(self.text) for m in self.mentions],
            "flags": [f.to_dict() for f in self.flags],
            "events": [e.model_dump(mode="json") for e in self.events],
        }
        if include_normalized and self.normalized is not None:
            data["normalized"] = self.normalized.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        normalized = data.get("normalized")
        return cls(
            text=data["text"],
            lang=data.get("lang", "ar"),
            source=Source.from_dict(data.get("source") or {}),
            id=data.get("id") or "",
            normalized=NormalizedView.from_dict(normalized) if normalized else None,
            sentences=[Sentence(s, e) for s, e in data.get("sentences", [])],
            clauses=[Sentence(s, e) for s, e in data.get("clauses", [])],
            tokens=[Token(s, e, st) for s, e, st in data.get("tokens", [])],
            mentions=[Mention.from_dict(m) for m in data.get("mentions", [])],
            flags=[Flag.from_dict(f) for f in data.get("flags", [])],
            events=[EventRecord.model_validate(e) for e in data.get("events", [])],
            stages=list(data.get("stages", [])),
        )
