"""Fold Arabic text for matching, keeping an exact map back to the original.

Diacritics, tatweel and invisible controls are removed; alef forms, alef maksura, ta marbuta,
Persian letters, digits and punctuation are folded (table: ``data/charmap.yaml``). Most characters
are folded 1:1 with ``str.translate`` (fast); only deletions and ligature expansions add
offset breakpoints.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex
from pydantic import BaseModel

from rasd.document import Document, NormalizedView, OffsetMap
from rasd.registry import StageFn, stage
from rasd.resources import Resources


class CharmapFile(BaseModel):
    delete: list[tuple[str, str]]
    fold: dict[str, str]
    fold_ranges: list[tuple[str, str, str]]
    expand_nfkc: list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Charmap:
    """The compiled table: 1:1 folds for ``str.translate``, a pattern for the other characters."""

    table: dict[int, int]
    special: regex.Pattern[str]
    expansions: dict[str, str]


def _code(hex_code: str) -> int:
    return int(hex_code, 16)


def compile_charmap(data: CharmapFile) -> Charmap:
    table: dict[int, int] = {_code(k): _code(v) for k, v in data.fold.items()}
    for first, last, target in data.fold_ranges:
        for offset in range(_code(last) - _code(first) + 1):
            table[_code(first) + offset] = _code(target) + offset
    expansions: dict[str, str] = {}
    for first, last in data.delete:
        for code in range(_code(first), _code(last) + 1):
            expansions[chr(code)] = ""
    for first, last in data.expand_nfkc:
        for code in range(_code(first), _code(last) + 1):
            char = chr(code)
            if unicodedata.category(char) == "Cn":
                continue
            folded = unicodedata.normalize("NFKC", char)
            if folded != char:
                # Presentation forms carry diacritics too (ﱞ = shadda form); drop those parts.
                expansions[char] = "".join(c for c in folded if c not in expansions)
    special = regex.compile("[" + _char_ranges(sorted(expansions)) + "]+")
    return Charmap(table=table, special=special, expansions=expansions)


def _char_ranges(chars: list[str]) -> str:
    """A character class body with runs written as ranges.

    A class of thousands of single characters is several times slower to match than the same
    class written as a few ranges.
    """
    parts: list[str] = []
    index = 0
    while index < len(chars):
        last = index
        while last + 1 < len(chars) and ord(chars[last + 1]) == ord(chars[last]) + 1:
            last += 1
        first_char, last_char = regex.escape(chars[index]), regex.escape(chars[last])
        parts.append(first_char if last == index else f"{first_char}-{last_char}")
        index = last + 1
    return "".join(parts)


def load_charmap(resources: Resources) -> Charmap:
    return resources.derived(
        "charmap", lambda: compile_charmap(resources.model(CharmapFile, "charmap.yaml"))
    )


def normalize_text(text: str, charmap: Charmap) -> NormalizedView:
    """The folded view of ``text``; each normalized index maps back to its original character."""
    pieces: list[str] = []
    breaks: list[int] = [0]
    deltas: list[int] = [0]
    position = 0  # in the original
    out = 0  # in the normalized text
    for match in charmap.special.finditer(text):
        kept = text[position : match.start()]
        pieces.append(kept)
        out += len(kept)
        for index in range(match.start(), match.end()):
            replacement = charmap.expansions[text[index]]
            for char in replacement:
                pieces.append(char)
                _add_break(breaks, deltas, out, index - out)
                out += 1
        position = match.end()
        _add_break(breaks, deltas, out, position - out)
    pieces.append(text[position:])
    folded = "".join(pieces).translate(charmap.table)
    return NormalizedView(text=folded, offsets=OffsetMap(tuple(breaks), tuple(deltas)))


def _add_break(breaks: list[int], deltas: list[int], at: int, delta: int) -> None:
    if deltas[-1] == delta:
        return
    if breaks[-1] == at:
        deltas[-1] = delta
        if len(deltas) > 1 and deltas[-2] == delta:
            breaks.pop()
            deltas.pop()
        return
    breaks.append(at)
    deltas.append(delta)


@stage("normalize", provides=("normalized",))
def make_normalize(resources: Resources) -> StageFn:
    charmap = load_charmap(resources)

    def run(doc: Document) -> Document:
        doc.normalized = normalize_text(doc.text, charmap)
        return doc

    return run
