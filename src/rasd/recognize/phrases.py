"""Phrase lists from data files compiled into one pattern over the normalized text.

Trigger and actor lexicons are lists of word forms; a form matches at a word start after optional
proclitics (و ف ب ل ك and the article), so «وبالغارات» finds «غارات*». A trailing ``*`` lets the
last word take any ending; otherwise the form must end a word. Longest forms are tried first, so
«سيارة مفخخة» wins over «مفخخ*».
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

import regex

from rasd.document import Document
from rasd.normalize import Charmap, normalize_text

T = TypeVar("T")

# Proclitics a form may carry in running text: conjunction, then preposition, then the article.
# Written as escapes: و ف ب ل ك, لل, ال. Forms that already start with the article keep it.
_PROCLITICS = "(?:[\u0648\u0641]?(?:\u0644\u0644|[\u0628\u0644\u0643])?(?:\u0627\u0644)?)"
_LETTER = r"[^\W\d_]"


def fold(form: str, charmap: Charmap) -> str:
    """A data-file form as it appears in the normalized view (hamza, ta marbuta, case folded)."""
    return " ".join(normalize_text(form, charmap).text.split())


@dataclass(frozen=True, slots=True)
class PhraseMatch(Generic[T]):
    """A match in normalized offsets: ``form_start`` skips the proclitics."""

    start: int
    form_start: int
    end: int
    form: str
    payload: T


class PhraseMatcher(Generic[T]):
    """Forms → payloads, compiled once per language (cache it with ``Resources.derived``)."""

    def __init__(self, entries: Iterable[tuple[str, T]], charmap: Charmap) -> None:
        self._exact: dict[str, T] = {}
        self._prefix: dict[str, T] = {}
        for form, payload in entries:
            folded = fold(form.rstrip("*"), charmap)
            if not folded:
                continue
            target = self._prefix if form.endswith("*") else self._exact
            target.setdefault(folded, payload)
        self._pattern = regex.compile(
            rf"(?<!{_LETTER}){_PROCLITICS}??"
            rf"(?:(?P<exact>{self._alternation(self._exact)})(?!{_LETTER})"
            rf"|(?P<prefix>{self._alternation(self._prefix)}){_LETTER}*)"
        )

    @staticmethod
    def _alternation(forms: dict[str, T]) -> str:
        if not forms:
            return "(?!)"
        ordered = sorted(forms, key=len, reverse=True)
        return "|".join(regex.escape(f).replace("\\ ", " ").replace(" ", r"\s+") for f in ordered)

    def finditer(
        self, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[PhraseMatch[T]]:
        stop = len(text) if end is None else end
        for match in self._pattern.finditer(text, start, stop, overlapped=False):
            if match.group("exact") is not None:
                group = "exact"
                payload = self._exact[" ".join(match.group("exact").split())]
            else:
                group = "prefix"
                payload = self._prefix[" ".join(match.group("prefix").split())]
            yield PhraseMatch(
                match.start(), match.start(group), match.end(), match.group(group), payload
            )


def original_span(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Normalized offsets → original offsets (the view must exist)."""
    assert doc.normalized is not None
    return doc.normalized.to_original(start, end)


def normalized_offset(doc: Document, original: int) -> int:
    """The normalized index of an original offset (the first one at or after it); O(log n).

    The offset map is monotone: segment k maps normalized ``n`` to ``n + deltas[k]`` from
    ``breaks[k]`` on, so the segment holding an original offset is found by bisection.
    """
    assert doc.normalized is not None
    offsets = doc.normalized.offsets
    starts = [b + d for b, d in zip(offsets.breaks, offsets.deltas, strict=True)]
    k = max(bisect_right(starts, original) - 1, 0)
    index = original - offsets.deltas[k]
    if k + 1 < len(offsets.breaks):
        index = min(index, offsets.breaks[k + 1])
    return max(index, 0)
