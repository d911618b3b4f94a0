"""Sentences, clauses and tokens, found on the normalized view and stored as original offsets.

Sentences end at ``. ! ? ;`` (Arabic ؟ ؛ are folded to ASCII) followed by a space or the end, and
at line breaks; a period inside a number (1.5, 8.8.1998) or after an abbreviation or an initial
does not end one. Clauses split sentences at commas (Arabic ، included) outside numbers, because a
date or a place stated in one clause often does not govern the next. Tokens are words and
numbers; proclitics are not split into new strings, a token only records where its stem starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex
from pydantic import BaseModel

from rasd.document import Document, NormalizedView, Sentence, Token
from rasd.errors import RasdError
from rasd.registry import StageFn, stage
from rasd.resources import Resources


class SegmentData(BaseModel):
    abbreviations: list[str]
    proclitics: list[str]
    min_stem: int


@dataclass(frozen=True, slots=True)
class Segmenter:
    abbreviations: frozenset[str]
    proclitics: tuple[str, ...]
    min_stem: int
    # Word -> stem offset. News vocabulary is Zipfian, so a per-word cache removes most clitic work.
    stem_cache: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


STEM_CACHE_LIMIT = 500_000


# A sentence boundary candidate: terminal punctuation (closing quotes and brackets stay with the
# sentence) followed by whitespace or the end, or a line break. The run is matched possessively and
# only from its first character: backtracking could never end it at a space anyway, and without
# this a long run of «!?!?…» not followed by a space took quadratic time (10 s for 16k characters).
_BOUNDARY = regex.compile(r"(?<![.!?;])[.!?;]++[\"')\]]*+(?=\s|$)|\n+")
_CLAUSE = regex.compile(r"(?<!\d),|,(?!\d)|:(?!\d)")
_TOKEN = regex.compile(r"\d+(?:[.,/:\-]\d+)*|[^\W\d_]+")
_WORD_BEFORE = regex.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")


def load_segmenter(resources: Resources, lang: str) -> Segmenter:
    def build() -> Segmenter:
        data = resources.model(SegmentData, lang, "segment.yaml")
        return Segmenter(
            abbreviations=frozenset(a.replace(" ", "") for a in data.abbreviations),
            proclitics=tuple(sorted(data.proclitics, key=len, reverse=True)),
            min_stem=data.min_stem,
        )

    return resources.derived(f"segmenter:{lang}", build)


def split_sentences(norm: str, segmenter: Segmenter) -> list[tuple[int, int]]:
    """Sentence spans over the normalized text, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(norm):
        if match.group().startswith(".") and _is_abbreviation(norm, match.start(), segmenter):
            continue
        end = match.start() if match.group().startswith("\n") else match.end()
        _append_trimmed(spans, norm, start, end)
        start = match.end()
    _append_trimmed(spans, norm, start, len(norm))
    return spans


def _is_abbreviation(norm: str, period: int, segmenter: Segmenter) -> bool:
    before = _WORD_BEFORE.search(norm, max(0, period - 24), period + 1)
    if before is None:
        return False
    word = before.group(1)
    return len(word) == 1 or word.replace(".", "") in segmenter.abbreviations


def _append_trimmed(spans: list[tuple[int, int]], norm: str, start: int, end: int) -> None:
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def split_clauses(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = start
    for match in _CLAUSE.finditer(norm, start, end):
        _append_trimmed(spans, norm, position, match.start())
        position = match.end()
    _append_trimmed(spans, norm, position, end)
    return spans


def stem_offset(word: str, segmenter: Segmenter) -> int:
    """How many leading characters of a normalized word are proclitics (0 if none can be split)."""
    for clitic in segmenter.proclitics:
        if word.startswith(clitic) and len(word) - len(clitic) >= segmenter.min_stem:
            return len(clitic)
    return 0


def tokenize(view: NormalizedView, segmenter: Segmenter) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    offsets = view.offsets
    # Most reports have no diacritics or controls: then normalized and original offsets coincide.
    identity = offsets.breaks == (0,) and offsets.deltas == (0,)
    cache = segmenter.stem_cache
    for match in _TOKEN.finditer(view.text):
        word = match.group()
        skip = cache.get(word)
        if skip is None:
            skip = 0 if word[0].isdecimal() else stem_offset(word, segmenter)
            if len(cache) < STEM_CACHE_LIMIT:
                cache[word] = skip
        start, end = match.span()
        if identity:
            append(Token(start, end, start + skip))
        else:
            o_start, o_end = offsets.span(start, end)
            append(Token(o_start, o_end, offsets.original(start + skip) if skip else o_start))
    return tokens


@stage("segment", requires=("normalized",), provides=("sentences", "clauses", "tokens"))
def make_segment(resources: Resources) -> StageFn:
    def run(doc: Document) -> Document:
        if doc.normalized is None:
            raise RasdError(f"document {doc.id}: segment needs the normalize stage first")
        segmenter = load_segmenter(resources, doc.lang)
        view = doc.normalized
        norm = view.text
        doc.sentences = []
        doc.clauses = []
        for s_start, s_end in split_sentences(norm, segmenter):
            doc.sentences.append(Sentence(*view.to_original(s_start, s_end)))
            doc.clauses.extend(
                Sentence(*view.to_original(c_start, c_end))
                for c_start, c_end in split_clauses(norm, s_start, s_end)
            )
        doc.tokens = tokenize(view, segmenter)
        return doc

    return run
