"""Phrase lists from data files compiled into one pattern over the normalized text.

Trigger and actor lexicons are lists of word forms; a form matches at a word start after optional
proclitics (و ف ب ل ك and the article), so «وبالغارات» finds «غارات*». A trailing ``*`` lets the
last word take any ending; otherwise the form must end a word. Longest forms are tried first, so
«سيارة مفخخة» wins over «مفخخ*».
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from sys import intern
from typing import Any, Generic, TypeVar

import regex

from rasd.document import Document
from rasd.normalize import Charmap, normalize_text

T = TypeVar("T")

# Proclitics a form may carry in running text: conjunction, then preposition, then the article.
# Written as escapes: و ف ب ل ك, لل, ال. Forms that already start with the article keep it.
_CONJUNCTIONS = ("\u0648", "\u0641")
_PREPOSITIONS = ("\u0644\u0644", "\u0628", "\u0644", "\u0643")
_ARTICLE = "\u0627\u0644"
_PROCLITICS = f"(?:(?:{'|'.join(_CONJUNCTIONS)})?(?:{'|'.join(_PREPOSITIONS)})?(?:{_ARTICLE})?)"
# Every string _PROCLITICS can match, for the word filter in PhraseMatcher.
_PROCLITIC_STRINGS = frozenset(
    c + p + a for c in ("", *_CONJUNCTIONS) for p in ("", *_PREPOSITIONS) for a in ("", _ARTICLE)
)
_PROCLITIC_MAX = max(map(len, _PROCLITIC_STRINGS))
_PROCLITIC_INITIALS = frozenset(s[0] for s in _PROCLITIC_STRINGS if s)
_LETTER = r"[^\W\d_]"
_LETTERS = regex.compile(rf"{_LETTER}+")
# Words looked up per matcher. News vocabulary is Zipfian: the first words seen are most of the
# running text, so a small cache catches most lookups; words are interned because every matcher
# keeps the same ones (about 1 MB per matcher at the limit).
WORD_CACHE_LIMIT = 20_000


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
    """Forms → payloads, compiled once per language (cache it with ``Resources.derived``).

    Semantics are those of one regex: at each position not preceded by a letter, optional
    proclitics (tried in the pattern's order), then the longest exact form that ends a word, else
    the longest ``*`` form; matches are leftmost and non-overlapping. The alternations are written
    as tries (same longest-first order, one branch per next character), and the pattern is only
    tried at the start of words whose letters could begin a form, which a dictionary check on the
    word decides: scanning every character with the regex cost a quarter of the pipeline.
    """

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
            rf"(?:(?P<exact>{_trie_alternation(self._exact)})(?!{_LETTER})"
            rf"|(?P<prefix>{_trie_alternation(self._prefix)}){_LETTER}*)"
        )
        # A form can only start in a word (after its proclitics) where: the rest of the word is
        # the form (exact, letters only) or its first word (forms going on after a non-letter),
        # or begins with the form (``*`` forms of letters only). Forms starting with a non-letter
        # could match outside words: those matchers scan every position.
        self._whole: set[str] = set()
        self._stems: set[str] = set()
        self._by_word = True
        for forms, is_prefix in ((self._exact, False), (self._prefix, True)):
            for form in forms:
                head = _LETTERS.match(form)
                if head is None:
                    self._by_word = False
                elif head.end() == len(form) and is_prefix:
                    self._stems.add(form)
                else:
                    self._whole.add(head.group())
        self._stem_lengths = sorted({len(stem) for stem in self._stems})
        self._stem_heads = {stem[:2] for stem in self._stems}
        self._word_cache: dict[str, bool] = {}

    def finditer(
        self, text: str, start: int = 0, end: int | None = None
    ) -> Iterator[PhraseMatch[T]]:
        stop = len(text) if end is None else end
        for match in self._matches(text, start, stop):
            if match.group("exact") is not None:
                group = "exact"
                payload = self._exact[" ".join(match.group("exact").split())]
            else:
                group = "prefix"
                payload = self._prefix[" ".join(match.group("prefix").split())]
            yield PhraseMatch(
                match.start(), match.start(group), match.end(), match.group(group), payload
            )

    def _matches(self, text: str, start: int, stop: int) -> Iterator[regex.Match[str]]:
        """The pattern's ``finditer`` matches, trying it only where one could start.

        A match starts with a letter (a proclitic or a form) not preceded by one, so at the start
        of a run of letters; it ends before a non-letter (or at ``stop``), so the next one starts
        in a later run. The window bounds the runs as it bounds the pattern.
        """
        if not self._by_word:
            yield from self._pattern.finditer(text, start, stop)
            return
        pattern = self._pattern
        cache = self._word_cache
        resume = start
        for word in _LETTERS.finditer(text, start, stop):
            letters = word.group()
            possible = cache.get(letters)
            if possible is None:
                possible = self._could_start(letters)
                if len(cache) < WORD_CACHE_LIMIT:
                    cache[intern(letters)] = possible
            if not possible:
                continue
            at = word.start()
            if at < resume:
                continue
            match = pattern.match(text, at, stop)
            if match is not None:
                yield match
                resume = match.end()

    def _could_start(self, letters: str) -> bool:
        skips = (
            range(min(len(letters), _PROCLITIC_MAX + 1))
            if letters[0] in _PROCLITIC_INITIALS
            else (0,)
        )
        for skip in skips:
            if skip and letters[:skip] not in _PROCLITIC_STRINGS:
                continue
            rest = letters[skip:]
            if rest in self._whole:
                return True
            if rest[:2] in self._stem_heads or rest[:1] in self._stem_heads:
                for length in self._stem_lengths:
                    if length > len(rest):
                        break
                    if rest[:length] in self._stems:
                        return True
        return False


def _trie_alternation(forms: Iterable[str]) -> str:
    """Forms as one nested alternation; a space matches any run of whitespace.

    Forms that match at one place are prefixes of each other, so trying a longer continuation
    before ending at a shorter form finds the same one as trying forms longest first; the engine
    then picks a branch by its next character instead of trying each form in turn.
    """
    root: dict[str, dict[str, Any]] = {}
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    if not root:
        return "(?!)"
    return _trie_pattern(root)


def _trie_pattern(node: dict[str, dict[str, Any]]) -> str:
    branches = [
        (r"\s+" if char == " " else regex.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if "" in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def original_span(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Normalized offsets → original offsets (the view must exist)."""
    assert doc.normalized is not None
    return doc.normalized.to_original(start, end)


def normalized_offset(doc: Document, original: int) -> int:
    """The normalized index of an original offset (the first one at or after it); O(log n)."""
    assert doc.normalized is not None
    return doc.normalized.offsets.normalized(original)
