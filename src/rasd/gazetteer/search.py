"""Place search for people: a coder types «مزار» or "Mazar" and picks the place from a short list.

The matcher finds places in running text; this answers a typed query instead, so it also takes
prefixes (type-ahead) and ranks what it finds the way a coder expects: whole-name matches first,
then bigger units and bigger towns.
"""

from __future__ import annotations

from rasd.gazetteer.index import Gazetteer, PlaceRecord
from rasd.gazetteer.keys import ARTICLE, fold
from rasd.normalize import Charmap

# Keys looked at per query: enough for every spelling of a prefix, bounded for one-letter queries.
_MAX_KEYS = 200
_FEATURE_RANK = {"country": 0, "admin1": 1, "admin2": 2, "city": 3, "town": 4}


def search_places(
    gazetteer: Gazetteer, charmap: Charmap, query: str, limit: int = 10
) -> list[PlaceRecord]:
    """Places whose name (Arabic, Persian or English spelling) is or starts with ``query``."""
    key = fold(query, charmap)
    if not key:
        return []
    exact: dict[int, PlaceRecord] = {}
    for variant in (key, key.removeprefix(ARTICLE), ARTICLE + key):
        for place in gazetteer.lookup(variant, minor=True):
            exact.setdefault(place.row, place)
    prefixed: dict[int, PlaceRecord] = {}
    for found in gazetteer.keys_with_prefix(key, _MAX_KEYS):
        key_id = gazetteer.key_id(found)
        if key_id is None:
            continue  # a cue word or nationality adjective, not a place name
        for place in gazetteer.places_of(key_id):
            if place.row not in exact:
                prefixed.setdefault(place.row, place)
    ranked = sorted(exact.values(), key=_rank) + sorted(prefixed.values(), key=_rank)
    return ranked[:limit]


def _rank(place: PlaceRecord) -> tuple[int, int]:
    return _FEATURE_RANK.get(place.feature, 5), -place.population
