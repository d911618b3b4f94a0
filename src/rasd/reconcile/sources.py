"""How many independent sources tell an event: copies of one wire story count once.

Two reports are one source when their normalized texts share most word shingles (Jaccard over
word 5-grams of the folded text, so spelling variants of hamza or ta marbuta do not hide a copy),
or when one publisher printed both (one newsroom is one source). Only reports inside one cluster
are compared, so the cost follows the cluster sizes, not the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rasd.reconcile.model import Report
from rasd.reconcile.settings import Settings

WORD = re.compile(r"\w+")


def shingles(text: str, settings: Settings) -> frozenset[int]:
    words = WORD.findall(settings.fold(text).lower())
    size = settings.data.shingle_size
    if len(words) < size:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def source_groups(reports: Sequence[Report], settings: Settings) -> list[int]:
    """For each report, the number of its source group (copies and one publisher share a group)."""
    if len(reports) == 1:
        return [0]
    parent = list(range(len(reports)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sets = [shingles(r.text, settings) for r in reports]
    for i, a in enumerate(reports):
        for j in range(i + 1, len(reports)):
            b = reports[j]
            same_publisher = bool(a.publisher) and settings.key(a.publisher) == settings.key(
                b.publisher
            )
            if same_publisher or jaccard(sets[i], sets[j]) >= settings.data.duplicate_jaccard:
                parent[find(j)] = find(i)
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(reports))]
