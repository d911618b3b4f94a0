"""Places: find gazetteer names in the text, choose the place each one means, say how precise.

Matching looks up each word of the normalized text (hyphens read as spaces, "Mazar-i-Sharif") in
the index's key dict (``rasd.gazetteer.index``), whole and after each proclitic of the language's
segmenter data (بالموصل، للفلوجة), and extends it by the next words where a multi-word name starts
with it; because the unstripped word is tried first, names that begin with clitic letters (بلخ،
بنغازي، لحج) match whole. Villages and neighbourhoods are not matched everywhere: they are looked
up only after a cue word (قرية، بلدة، حي).

Choosing among homonyms scores each candidate: feature rank and population, the cue word before
it, the document's countries, containment stated in the same sentence («عاصمة ولاية بلخ»), and the
distance to the document's other places. Every mention lists the evidence, and ``by`` names the
factor that separated the winner from the runner-up.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

import regex
from pydantic import BaseModel

from rasd.document import Document, Mention
from rasd.errors import RasdError
from rasd.gazetteer.index import (
    INDEX_FILE,
    Gazetteer,
    PlaceAliases,
    PlaceRecord,
    load_gazetteer,
)
from rasd.gazetteer.keys import ARTICLE, MATCH_TABLE, fold
from rasd.jsontypes import JSONObject, JSONValue
from rasd.normalize import Charmap, load_charmap
from rasd.registry import StageFn, stage
from rasd.resources import Resources, data_root
from rasd.segment import load_segmenter


class FeatureCue(BaseModel):
    word: str
    features: list[str]
    facility: bool = False  # «مطار كابل»: a site named after its town


class RelationCue(BaseModel):
    word: str
    relation: str


class DistanceCue(BaseModel):
    before: list[str]
    units: list[str]
    after: list[str]


class CueFile(BaseModel):
    """``data/<lang>/place_cues.yaml``."""

    features: list[FeatureCue]
    after: list[FeatureCue] = []  # unit words written after the name («Balkh province»)
    units: list[str]
    relations: list[RelationCue]
    distance: DistanceCue
    same_precision: list[str]
    home_countries: list[str] = []
    capital_cue: str = ""
    capitals: dict[str, str] = {}


class Homonym(BaseModel):
    name: str
    allow: list[str]
    reject_proclitics: list[str] = []
    reject_before: list[str] = []


class HomonymFile(BaseModel):
    """``data/<lang>/place_homonyms.yaml``."""

    prepositions: list[str]
    common_words: list[str]
    homonyms: list[Homonym]


PRECISION = {
    "country": "country",
    "admin1": "admin1",
    "admin2": "admin2",
    "city": "city",
    "camp": "point",
    "site": "point",
    "mountain": "region",
    "river": "region",
    "valley": "region",
    "region": "region",
}
# A place described relative to an anchor is less precise than the anchor.
LOWERED = {
    "point": "city",
    "city": "admin2",
    "admin2": "admin1",
    "admin1": "region",
    "country": "region",
    "region": "region",
}
FEATURE_BASE = {
    "country": 10.0,
    "admin1": 5.0,  # below a same-named big city: a bare «هرات» is the city (ACLED's reading)
    "region": 5.0,
    "mountain": 5.0,
    "river": 5.0,
    "valley": 4.0,
    "admin2": 4.0,
    "camp": 3.0,
    "site": 1.5,
}
TOWN = 1000  # below this population a place needs a cue word or support from the document
CITY = 15000  # below this it needs a cue, a country already named, or a nearby place
BIG_CITY = 100000  # above this a city abroad is accepted in a report about another country
MAX_MEASURED = 10  # candidates whose distance to the anchors is measured (the best-known)
MAX_ANCHORS = 12  # places a candidate's distance is measured to (the first in the text)
MAX_CANDIDATES = 30  # the best-known first: rows are sorted by feature rank and population
EARTH_KM = 6371.0
URBAN_KM = 20  # a district whose point lies this close to a big city is one of its quarters


# What a word can start (``_word_plan``): (offset, key id or -1, next words) per proclitic split,
# whether one of them is a key itself, and every next word; () for a word that starts nothing.
Plan = tuple[tuple[tuple[int, int, frozenset[str]], ...], bool, frozenset[str]] | tuple[()]
HitKind = tuple[bool, bool, str | None, bool]  # cue word, relation word, demonym's country, name


@dataclass(frozen=True, slots=True)
class PlaceData:
    """Everything the stage needs for one language, built once per pipeline."""

    gazetteer: Gazetteer
    charmap: Charmap
    proclitics: frozenset[str]
    proclitics_by_length: tuple[tuple[int, frozenset[str]], ...]
    feature_cues: dict[str, tuple[str, ...]]
    after_cues: dict[str, tuple[str, ...]]
    facilities: frozenset[str]
    relation_cues: dict[str, str]
    unit_words: frozenset[str]
    same_precision: frozenset[str]
    home_countries: frozenset[str]
    distance: regex.Pattern[str]
    distance_after: tuple[str, ...]  # «من», «عن» (with a space before)
    distance_units: tuple[str, ...]
    homonyms: dict[str, Homonym]
    prepositions: frozenset[str]
    demonyms: dict[str, str]  # normalized form -> ISO country
    cue_words: frozenset[str]  # every word of a cue, relation or unit: never a name on its own
    capital_cue: str = ""
    capitals: dict[str, str] = field(default_factory=dict)  # ISO -> folded name of the capital
    # What each word seen so far can start (``_scan``): filled as documents are read.
    word_plans: dict[str, Plan] = field(default_factory=dict)
    hit_kinds: dict[tuple[str, str], HitKind] = field(default_factory=dict)  # (prefix, key)
    starters: set[str] = field(default_factory=set)  # the words of word_plans that start a key


@dataclass(slots=True)
class Hit:
    start: int  # normalized offsets of the name (proclitic excluded)
    end: int
    key: str
    prefix: str  # proclitic letters before the name in the same word
    places: list[PlaceRecord] = field(default_factory=list)
    key_id: int = -1  # in the key dict; places are read only for hits that survive
    demonym: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None  # a unit word after the name ends the mention there
    relation: str | None = None
    relation_start: int | None = None
    distance_km: float | None = None
    minor: bool = False
    units: frozenset[tuple[str, str, str]] | None = None  # admin units among its candidates


@dataclass(slots=True)
class Choice:
    place: PlaceRecord
    score: float
    parts: dict[str, float]


def load_gazetteer_for(resources: Resources) -> Gazetteer:
    """The shared index, with cue words and nationality adjectives added to its key dict."""

    def build() -> Gazetteer:
        charmap = load_charmap(resources)
        extra: set[str] = set()
        for lang in ("ar", "en"):
            cues = resources.model(CueFile, lang, "place_cues.yaml")
            extra.update(fold(c.word, charmap) for c in cues.features)
            extra.update(fold(c.word, charmap) for c in cues.relations)
        extra.update(_demonym_forms(resources, charmap))
        node = data_root() / "gazetteer" / INDEX_FILE
        return load_gazetteer(node, f"rasd/data/gazetteer/{INDEX_FILE}", sorted(extra))

    return resources.derived("gazetteer", build)


def _demonym_forms(resources: Resources, charmap: Charmap) -> dict[str, str]:
    aliases = resources.model(PlaceAliases, "ar", "place_aliases.yaml")
    forms: dict[str, str] = {}
    for demonym in aliases.demonyms:
        stem = fold(demonym.stem, charmap)
        for suffix in ("", "\u0647", "\u064a\u0646", "\u0648\u0646"):  # ـة (folded), ـين, ـون
            forms[stem + suffix] = demonym.country
    return forms


def load_place_data(resources: Resources, lang: str) -> PlaceData:
    def build() -> PlaceData:
        charmap = load_charmap(resources)
        cue_lang = lang if lang in ("ar", "en") else "ar"
        cues = resources.model(CueFile, cue_lang, "place_cues.yaml")
        homonyms = resources.model(HomonymFile, "ar", "place_homonyms.yaml")
        segmenter = load_segmenter(resources, lang)
        distance = _distance_pattern(cues, charmap)
        # ك "like" is almost never written before a place name (18 of 45,408 hits in the
        # patterns note) but makes «كبيرة» "big" into Piraeus; the other clitics stay.
        proclitics = [c for c in segmenter.proclitics if "\u0643" not in c]
        return PlaceData(
            gazetteer=load_gazetteer_for(resources),
            charmap=charmap,
            proclitics=frozenset(proclitics),
            proclitics_by_length=(
                (0, frozenset()),
                *(
                    (n, frozenset(c for c in proclitics if len(c) == n))
                    for n in sorted({len(c) for c in proclitics if 0 < len(c) <= 4})
                ),
            ),
            feature_cues={fold(c.word, charmap): tuple(c.features) for c in cues.features},
            facilities=frozenset(fold(c.word, charmap) for c in cues.features if c.facility),
            after_cues={fold(c.word, charmap): tuple(c.features) for c in cues.after},
            relation_cues={fold(c.word, charmap): c.relation for c in cues.relations},
            unit_words=frozenset(fold(u, charmap) for u in cues.units),
            same_precision=frozenset(cues.same_precision),
            home_countries=frozenset(cues.home_countries),
            distance=distance,
            distance_after=tuple(" " + fold(w, charmap) for w in cues.distance.after),
            distance_units=tuple(fold(w, charmap) for w in cues.distance.units),
            homonyms={
                **{fold(w, charmap): Homonym(name=w, allow=["cue"]) for w in homonyms.common_words},
                **{fold(h.name, charmap): h for h in homonyms.homonyms},
            },
            prepositions=frozenset(fold(p, charmap) for p in homonyms.prepositions),
            capital_cue=fold(cues.capital_cue, charmap) if cues.capital_cue else "",
            capitals={iso: fold(name, charmap) for iso, name in cues.capitals.items()},
            demonyms=_demonym_forms(resources, charmap),
            cue_words=frozenset(
                word
                for phrase in [
                    *(c.word for c in cues.features),
                    *(c.word for c in cues.relations),
                    *cues.units,
                ]
                for form in (fold(phrase, charmap),)
                for word in (
                    *form.split(" "),
                    *(w[2:] for w in form.split(" ") if w.startswith(ARTICLE)),
                    *(ARTICLE + w for w in form.split(" ")),
                )
            ),
        )

    return resources.derived(f"places:{lang}", build)


def _distance_pattern(cues: CueFile, charmap: Charmap) -> regex.Pattern[str]:
    def alternatives(words: list[str]) -> str:
        folded = sorted({fold(w, charmap) for w in words}, key=len, reverse=True)
        return "|".join(regex.escape(w) for w in folded) or "(?!)"

    # «على بعد (نحو) 20 كلم من» / «على بعد عشرة كيلومترات من»; the number may be a word.
    return regex.compile(
        rf"(?:{alternatives(cues.distance.before)})?\s*(?:\S+\s+)?(?P<num>\d+(?:\.\d+)?|\S+)\s*"
        rf"(?:{alternatives(cues.distance.units)})\s+(?:{alternatives(cues.distance.after)})\s*$"
    )


@stage("places", requires=("normalized", "tokens", "sentences"), provides=("places",))
def make_places(resources: Resources) -> StageFn:
    def run(doc: Document) -> Document:
        if doc.normalized is None:
            raise RasdError(f"document {doc.id}: places needs the normalize stage first")
        data = load_place_data(resources, doc.lang)
        doc.mentions.extend(find_places(doc, data))
        return doc

    return run


def find_places(doc: Document, data: PlaceData) -> list[Mention]:
    assert doc.normalized is not None
    text = doc.normalized.text.translate(MATCH_TABLE)
    hits, cues, relations = _scan(text, data)
    hits = _cue_lookups(text, hits, cues, data)
    hits = _non_overlapping(hits)
    for hit in hits:
        if hit.key_id >= 0 and not hit.places:
            hit.places = data.gazetteer.places_of(hit.key_id, MAX_CANDIDATES)
    for hit in hits:
        _attach_context(text, hit, cues, relations, data)
    hits = [h for h in hits if _homonym_allows(text, h, data, hits)]
    hits = _capital_hits(text, hits, cues, relations, data)
    return _resolve(doc, hits, data)


_BETWEEN = re.compile(r"(\W+)")  # after MATCH_TABLE, \w is exactly str.isalnum (no "_" is left)
_LETTERS = regex.compile(r"[^\W\d_]+")
_SPACES = regex.compile(r" +")
_NEXT_WORD = regex.compile(r" ([^\W\d_]+)")
MAX_PLANS = 400_000  # words remembered with what they can start: a news vocabulary fits


def _scan(
    text: str, data: PlaceData
) -> tuple[list[Hit], dict[int, tuple[int, str]], dict[int, tuple[int, str]]]:
    """Every name on word boundaries; cue and relation words by the offset they end at.

    A name starts a word or follows a proclitic of the word, and ends a word: so each word, and
    each of its proclitic-stripped remainders, is looked up in the key dict, and extended by
    the following words while they can still make a multi-word name. What a word can start is
    worked out once per distinct word (``_word_plan``) and remembered across documents.
    """
    ids = data.gazetteer.ids
    prefixes = data.gazetteer.prefixes
    plans = data.word_plans
    hits: list[Hit] = []
    cues: dict[int, tuple[int, str]] = {}
    relations: dict[int, tuple[int, str]] = {}
    # Words and the runs between them alternate; their lengths give every offset (all in C).
    parts = _BETWEEN.split(text)
    words = parts[::2]
    offsets = list(accumulate(map(len, parts), initial=0))
    count = len(words)
    local: dict[str, Plan] = {}
    for word in set(words).difference(plans):  # words not seen before (set algebra in C)
        plan = _word_plan(word, data)
        if plan:
            local[word] = plan
        if len(plans) < MAX_PLANS:
            plans[word] = plan
            if plan:
                data.starters.add(word)
    starters = data.starters
    hot = [i for i, word in enumerate(words) if word in starters or word in local]
    for index in hot:
        word = words[index]
        plan = local.get(word) or plans[word]
        if not plan:
            continue
        entries, direct, following = plan
        if not direct and (index + 1 == count or words[index + 1] not in following):
            continue  # «في», «من»: they start names, but not with the word after them here
        word_start, word_end = offsets[2 * index], offsets[2 * index + 1]
        for offset, key_id, nexts in entries:
            start = word_start + offset
            if key_id >= 0:
                _scan_hit(text, start, word_end, word_start, key_id, hits, cues, relations, data)
            if not nexts or index + 1 == count or words[index + 1] not in nexts:
                continue
            later = index + 1
            extends = True
            while extends and later < count:
                end = offsets[2 * later + 1]
                phrase = text[start:end]
                found = ids.get(phrase)
                if found is not None:
                    _scan_hit(text, start, end, word_start, found, hits, cues, relations, data)
                extends = phrase in prefixes
                later += 1
    return hits, cues, relations


def _word_plan(word: str, data: PlaceData) -> Plan:
    """Where in ``word`` a key can start (the ``Plan`` above).

    The next words are the second words of the multi-word names starting with the rest: most
    such firsts are function words («في», «من») and their next word rarely continues a name.
    """
    ids = data.gazetteer.ids
    prefixes = data.gazetteer.prefixes
    entries: list[tuple[int, int, frozenset[str]]] = []
    for length, clitics in data.proclitics_by_length:
        if length >= len(word):
            break
        if length and word[:length] not in clitics:
            continue
        rest = word[length:]
        key_id = ids.get(rest, -1)
        nexts = (
            frozenset(key[len(rest) + 1 :].split(" ", 1)[0] for key in data.gazetteer.phrases(rest))
            if rest in prefixes
            else frozenset()
        )
        if key_id >= 0 or nexts:
            entries.append((length, key_id, nexts))
    if not entries:
        return ()
    direct = any(key_id >= 0 for _, key_id, _ in entries)
    return tuple(entries), direct, frozenset().union(*(n for _, _, n in entries))


def _scan_hit(
    text: str,
    start: int,
    end: int,
    word_start: int,
    key_id: int,
    hits: list[Hit],
    cues: dict[int, tuple[int, str]],
    relations: dict[int, tuple[int, str]],
    data: PlaceData,
) -> None:
    """Sort one key found in the text: a cue or relation word, a demonym, or a name."""
    word = text[start:end]
    prefix = text[word_start:start]
    kind = data.hit_kinds.get((prefix, word))
    if kind is None:
        kind = _hit_kind(word, prefix, key_id, data)
        if len(data.hit_kinds) < MAX_PLANS:
            data.hit_kinds[(prefix, word)] = kind
    cue, relation, demonym, name = kind
    if cue:
        cues[end] = (word_start, word)
    if relation:
        known = relations.get(end)
        if known is None or len(known[1]) < len(word):  # «شمال شرق» over «شرق»
            relations[end] = (word_start, word)
    if demonym is not None:
        hits.append(Hit(start, end, word, prefix, demonym=demonym))
    elif name:
        hits.append(Hit(start, end, word, prefix, key_id=key_id))


def _hit_kind(word: str, prefix: str, key_id: int, data: PlaceData) -> HitKind:
    """What a key after a proclitic is: (cue word, relation word, demonym's country, name)."""
    # «الجبال» with the article is "the mountains", not a cue for the next word; cues that
    # take the article are listed with it («العاصمة»).
    cue = word in data.feature_cues and not prefix.endswith(ARTICLE)
    relation = word in data.relation_cues
    bare = word[2:] if word.startswith(ARTICLE) else word
    # A nationality adjective is never read as a place of the same spelling.
    demonym = data.demonyms.get(bare)
    name = (
        demonym is None
        and key_id < data.gazetteer.extra_base
        and (word not in data.cue_words if " " not in word else not _all_cues(word, data))
        and _article_ok(word, prefix, key_id, data.gazetteer)
    )
    return cue, relation, demonym, name


def _all_cues(phrase: str, data: PlaceData) -> bool:
    return all(w in data.cue_words for w in phrase.split(" "))


def _article_ok(word: str, prefix: str, key_id: int, gazetteer: Gazetteer) -> bool:
    """A key indexed without its article («رياض» for الرياض) needs the article in the text.

    «للرياض» is the city; bare «رياض» is another word (gardens, a first name).
    """
    if prefix.endswith((ARTICLE, "\u0644\u0644")):  # ال, لل
        return True
    with_article = gazetteer.key_id(ARTICLE + word)
    if with_article is None:
        return True
    return gazetteer.key_rows(with_article) != gazetteer.key_rows(key_id)


def _cue_lookups(
    text: str, hits: list[Hit], cues: dict[int, tuple[int, str]], data: PlaceData
) -> list[Hit]:
    """After a cue word, the next one to three words may name a village not matched everywhere."""
    covered = {h.start for h in hits if h.key_id >= 0}
    for cue_end in cues:
        words = list(_LETTERS.finditer(text[cue_end : cue_end + 60]))[:3]
        if not words or text[cue_end : cue_end + words[0].start()].strip():
            continue
        for count in (3, 2, 1):
            if len(words) < count:
                continue
            start = cue_end + words[0].start()
            end = cue_end + words[count - 1].end()
            phrase = text[start:end]
            first = phrase.split(" ")[0]
            bare = first[2:] if first.startswith(ARTICLE) else first
            if start in covered or first in data.cue_words or bare in data.demonyms:
                break
            if len(phrase.replace(" ", "")) < 3:
                continue
            places = data.gazetteer.lookup(phrase, minor=True, limit=MAX_CANDIDATES)
            if not places and phrase.startswith(ARTICLE):
                places = data.gazetteer.lookup(phrase[2:], minor=True, limit=MAX_CANDIDATES)
            if places:
                hits.append(Hit(start, end, phrase, "", places=places, minor=True))
                break
    return hits


def _capital_hits(
    text: str,
    hits: list[Hit],
    cues: dict[int, tuple[int, str]],
    relations: dict[int, tuple[int, str]],
    data: PlaceData,
) -> list[Hit]:
    """«في العاصمة الأفغانية اليوم»: the capital cue and an adjective with no name after them."""
    if not data.capital_cue:
        return hits
    starts = {h.start - len(h.prefix) for h in hits}
    added: list[Hit] = []
    for hit in hits:
        if not hit.demonym or hit.demonym not in data.capitals:
            continue
        cue = cues.get(_previous_end(text, hit.start - len(hit.prefix)))
        if cue is None or cue[1] != data.capital_cue:
            continue
        following = _SPACES.match(text[hit.end : hit.end + 4])
        if following is not None and hit.end + following.end() in starts:
            continue  # «العاصمة الأفغانية كابل»: the name follows and speaks for itself
        places = [
            p
            for p in data.gazetteer.lookup(data.capitals[hit.demonym])
            if p.country == hit.demonym and p.feature == "city"
        ]
        if places:
            places.sort(key=lambda p: -p.population)  # «واشنطن»: the capital, not a town
            capital = Hit(hit.start - len(hit.prefix), hit.end, hit.key, "", places=places[:1])
            _attach_context(text, capital, cues, relations, data)
            added.append(capital)
    return sorted(hits + added, key=lambda h: h.start)


def _non_overlapping(hits: list[Hit]) -> list[Hit]:
    """Longest names first; at equal length a whole word beats one after a proclitic."""
    chosen: list[Hit] = []
    taken = bytearray(max((h.end for h in hits), default=0))  # 1 where a chosen hit lies
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), len(h.prefix), h.start)):
        if hit.key_id >= 0 or hit.places or hit.demonym:
            begin = hit.start - len(hit.prefix)
            if taken.find(1, begin, hit.end) >= 0:
                continue
            taken[begin : hit.end] = b"\x01" * (hit.end - begin)
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def _previous_end(text: str, position: int) -> int:
    """Where the previous word ends, skipping spaces."""
    while position > 0 and text[position - 1] == " ":
        position -= 1
    return position


def _attach_context(
    text: str,
    hit: Hit,
    cues: dict[int, tuple[int, str]],
    relations: dict[int, tuple[int, str]],
    data: PlaceData,
) -> None:
    """The cue word and the relation (direction, proximity, distance) right before a name."""
    after = _NEXT_WORD.match(text[hit.end : hit.end + 24])
    if after is not None and after.group(1) in data.after_cues and not hit.demonym:
        hit.cue = after.group(1)
        hit.cue_end = hit.end + after.end()
    position = _previous_end(text, hit.start - len(hit.prefix))
    cue = cues.get(position)
    if cue is None:
        # «العاصمة الأفغانية كابل»: one adjective may stand between the cue and the name.
        word_start = position
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        word = text[word_start:position]
        stripped = word[2:] if word.startswith(ARTICLE) else word
        if stripped in data.demonyms:
            cue = cues.get(_previous_end(text, word_start))
    if cue is not None and not hit.demonym:
        hit.cue_start, hit.cue = cue
        position = _previous_end(text, cue[0])
    relation = relations.get(position)
    if relation is not None:
        hit.relation_start, word = relation
        hit.relation = data.relation_cues[word]
        return
    before = text[max(0, position - 60) : position]
    # The pattern is only tried where a distance can end: after «من»/«عن» with a unit before.
    if not before.endswith(data.distance_after) or not any(
        u in before for u in data.distance_units
    ):
        return
    match = data.distance.search(text, max(0, position - 60), position)
    if match is not None:
        hit.relation = "distance_from"
        hit.relation_start = match.start()
        number = match.group("num")
        hit.distance_km = float(number) if number.replace(".", "", 1).isdecimal() else None


def _homonym_allows(text: str, hit: Hit, data: PlaceData, hits: list[Hit]) -> bool:
    # «بيان إن» is "a statement that", not ب + a place «يان إن»; «اليوم» is "today": a whole
    # word listed as a common word follows its own rule, whatever the name after its first letters
    whole = hit.prefix + hit.key.split(" ")[0] if hit.prefix else ""
    rule = (
        data.homonyms.get(whole)
        or data.homonyms.get(hit.key)
        or data.homonyms.get(ARTICLE + hit.key)
    )
    if rule is None or hit.demonym:
        return True
    if hit.prefix and hit.prefix in set(rule.reject_proclitics):
        return False
    before_end = _previous_end(text, hit.start - len(hit.prefix))
    before_start = before_end
    while before_start > 0 and text[before_start - 1].isalpha():
        before_start -= 1
    before = text[before_start:before_end]
    if before in rule.reject_before:
        return False
    allow = set(rule.allow)
    if "cue" in allow and hit.cue:
        return True
    if "relation" in allow and hit.relation:
        return True
    if "preposition" in allow and before in data.prepositions:
        return True
    if "context" in allow:
        countries = {p.country for p in hit.places}
        others = {h.demonym or h.places[0].country for h in hits if h is not hit}
        return bool(countries & others)
    return False


def _resolve(doc: Document, hits: list[Hit], data: PlaceData) -> list[Mention]:
    votes = _country_votes(hits)
    anchors = _anchors(hits)
    assert doc.normalized is not None
    view = doc.normalized
    chosen: list[tuple[Hit, Choice, list[Choice], list[str]]] = []
    for hit in hits:
        if hit.demonym:
            continue
        ranked = _rank(hit, hits, votes, anchors, data)
        if not ranked:
            continue
        # The best-scored candidate the gate lets through («المزاريب»: the Lebanese village is
        # refused in a report about Syria, so the Syrian town is taken).
        for position, best in enumerate(ranked):
            reasons = _gate(hit, best.place, best.parts, votes, anchors, data.home_countries)
            if reasons is not None:
                chosen.append((hit, best, ranked[position:], reasons))
                break
    mentions: list[Mention] = []
    for hit in hits:
        if hit.demonym:
            country = data.gazetteer.country(hit.demonym)
            if country is not None:
                start, end = view.to_original(hit.start - len(hit.prefix), hit.end)
                mentions.append(_demonym_mention(hit, country, start, end, data))
    for hit, best, ranked, reasons in chosen:
        begin = min(x for x in (hit.relation_start, hit.cue_start, hit.start) if x is not None)
        if begin == hit.start and hit.prefix.endswith(ARTICLE):
            begin -= len(ARTICLE)  # «الخرطوم» matched as خرطوم: the article is part of the name
        start, end = view.to_original(begin, hit.cue_end or hit.end)
        city = None if hit.cue else _city_around(best.place, anchors)
        mentions.append(_mention(hit, best, ranked, reasons, start, end, data, city))
    return sorted(mentions, key=lambda m: m.start)


def _country_votes(hits: list[Hit]) -> Counter[str]:
    """Countries the document names, outright or through a place only one country has.

    Country names, nationality adjectives, and names whose well-known candidates (admin units,
    towns of 15,000 and more) all lie in one country vote, if a cue word introduces them or one
    of them is a province or a big city. Common words that are also names («كان» is Caen) were
    dropped before this, so they do not vote.
    """
    votes: Counter[str] = Counter()
    for hit in hits:
        if hit.demonym:
            votes[hit.demonym] += 1
            continue
        top = hit.places[0]
        if top.feature == "country":
            votes[top.country] += 2
            continue
        known = [
            p
            for p in hit.places[:MAX_CANDIDATES]
            if p.feature in ("admin1", "admin2") or p.population >= CITY
        ]
        countries = {p.country for p in known}
        if len(countries) == 1 and (
            hit.cue or any(p.feature == "admin1" or p.population >= BIG_CITY for p in known)
        ):
            votes[countries.pop()] += 1
    return votes


def _anchors(hits: list[Hit]) -> list[tuple[Hit, PlaceRecord]]:
    """Places sure enough to measure distances from: a cue word or a big place, countries aside."""
    anchors: list[tuple[Hit, PlaceRecord]] = []
    for hit in hits:
        if hit.places and hit.places[0].feature != "country":
            top = max(hit.places[:MAX_CANDIDATES], key=lambda p: p.population)
            if hit.cue or top.population >= 100000 or top.feature == "admin1":
                anchors.append((hit, top))
    return anchors


def _rank(
    hit: Hit,
    hits: list[Hit],
    votes: Counter[str],
    anchors: list[tuple[Hit, PlaceRecord]],
    data: PlaceData,
) -> list[Choice]:
    total = sum(votes.values())
    allowed = data.feature_cues.get(hit.cue or "", ()) or data.after_cues.get(hit.cue or "", ())
    choices: list[Choice] = []
    neighbours = [
        h for h in hits if h.key != hit.key and h.places and abs(h.start - hit.start) < 300
    ]
    units = _containers(neighbours)
    # Other mentions of the same name are no evidence for where this one is.
    nearby = [(h, o) for h, o in anchors if h.key != hit.key][:MAX_ANCHORS]
    # A bare name shared by an admin unit and its seat town means the town (ACLED's reading):
    # a province and a city of 15,000 or more, or a district and a town within 30 km of it.
    towns = [p for p in hit.places if p.feature == "city"]
    located = _located_by(hit, hits) if len(hit.places) > 1 else None
    for rank, place in enumerate(hit.places[:MAX_CANDIDATES]):
        parts: dict[str, float] = {}
        if place.feature == "city":
            parts["population"] = 2.0 + math.log10(place.population + 1)
        else:
            parts["feature"] = FEATURE_BASE.get(place.feature, 2.0) + (
                0.3 * math.log10(place.population + 1) if place.population else 0.0
            )
        if not allowed and place.feature in ("admin1", "admin2") and _has_seat(place, towns):
            parts["seat_town"] = -5.0  # a rule more than a weight: the town must win
        if place.id.startswith("rasd:"):
            parts["curated"] = 3.0  # a hand-made entry is there because the sources got it wrong
        if allowed:
            if place.feature in allowed:
                parts["cue"] = 4.0 if place.feature == allowed[0] else 2.0
            else:
                parts["cue"] = -4.0
        if total:
            share = votes[place.country] / total
            parts["country_context"] = 3.0 * share - (1.0 if share == 0 else 0.0)
        if located is not None and _km(place.lat, place.lon, located.lat, located.lon) <= 100:
            parts["located_by"] = 4.0
        contained = _containment(place, units)
        if contained:
            parts["containment"] = 3.0
        closest = (
            _closest_km(place, nearby) if len(hit.places) > 1 and rank < MAX_MEASURED else None
        )
        if closest is not None:
            if closest <= 50:
                parts["distance"] = 2.0
            elif closest <= 300:
                parts["distance"] = 1.0
        choices.append(Choice(place, round(sum(parts.values()), 2), parts))
    choices.sort(key=lambda c: (-c.score, -c.place.population, c.place.row))
    return choices


def _has_seat(unit: PlaceRecord, towns: list[PlaceRecord]) -> bool:
    for town in towns:
        if town.country != unit.country:
            continue
        if unit.feature == "admin1" and town.population >= CITY:
            return True
        if unit.feature == "admin2" and _km(unit.lat, unit.lon, town.lat, town.lon) <= 30:
            return True
    return False


def _city_around(place: PlaceRecord, anchors: list[tuple[Hit, PlaceRecord]]) -> PlaceRecord | None:
    """A big city the document names that this district, named bare, is part of.

    «دار سعد» alone is a quarter of Aden, coded as the city by ACLED and UCDP; with a unit word
    («قضاء المحمودية», «مديرية كريتر») the report means the district, and it stays admin2.
    """
    if place.feature != "admin2":
        return None
    for _, other in anchors:
        if (
            other.feature == "city"
            and other.population >= BIG_CITY
            and other.country == place.country
            and _km(place.lat, place.lon, other.lat, other.lon) <= URBAN_KM
        ):
            return other
    return None


def _located_by(hit: Hit, hits: list[Hit]) -> PlaceRecord | None:
    """«منطقة الدورة جنوبي بغداد»: a relation and a place right after a name say where it lies.

    The anchor is its best-known candidate (the most populous), as for distances.
    """
    end = hit.cue_end or hit.end
    for other in hits:
        if (
            other.relation is not None
            and other.relation_start is not None
            and 0 < other.relation_start - end <= 2
            and other.places
            and other.places[0].feature != "country"
        ):
            return max(other.places[:MAX_CANDIDATES], key=lambda p: p.population)
    return None


def _seat_town(unit: PlaceRecord, candidates: list[PlaceRecord]) -> PlaceRecord | None:
    """The town a district is named after: same name, country and province, within 60 km.

    GeoNames puts a district's point at its middle; ACLED and UCDP code an event known only by
    its district at the district's seat, which is the town of the same name where there is one.
    """
    if unit.feature != "admin2":
        return None
    towns = [
        p
        for p in candidates
        if p.feature == "city"
        and p.country == unit.country
        and p.admin1 == unit.admin1
        and _km(unit.lat, unit.lon, p.lat, p.lon) <= 60
    ]
    return max(towns, key=lambda p: p.population) if towns else None


def _containers(neighbours: list[Hit]) -> set[tuple[str, str, str]]:
    """The admin units named nearby, as (feature, country, code or name) to test parents."""
    units: set[tuple[str, str, str]] = set()
    for other in neighbours:
        if other.units is None:  # worked out once per hit, not once per neighbour
            other.units = frozenset(
                (candidate.feature, candidate.country, code)
                for candidate in other.places
                for code in (
                    candidate.admin1 if candidate.feature == "admin1" else "",
                    candidate.admin2 if candidate.feature == "admin2" else "",
                )
                if code
            )
        units.update(other.units)
    return units


def _containment(place: PlaceRecord, units: set[tuple[str, str, str]]) -> bool:
    """Another name nearby is this place's admin-1 or admin-2 («… عاصمة ولاية بلخ»)."""
    if (
        place.feature not in ("admin1", "country")
        and place.admin1
        and ("admin1", place.country, place.admin1) in units
    ):
        return True
    return (
        place.feature in ("city", "site", "camp")
        and bool(place.admin2)
        and ("admin2", place.country, place.admin2) in units
    )


def _gate(
    hit: Hit,
    place: PlaceRecord,
    parts: dict[str, float],
    votes: Counter[str],
    anchors: list[tuple[Hit, PlaceRecord]],
    home_countries: frozenset[str],
) -> list[str] | None:
    """Small places need support; the reasons that let this one through (None: rejected).

    A cue word or a relation word always does. Otherwise a town (≥ 1,000 people) needs its
    country named in the document, and a village also a named place within 60 km; a city
    (≥ 15,000) needs only that it is in a named country, or that the document names no country.
    """
    if hit.cue and parts.get("cue", 0.0) < 0:
        return None  # «جبال» before a river's name: the cue and the gazetteer disagree
    if place.feature == "country":
        return []
    if votes and not votes[place.country]:
        if place.population >= BIG_CITY:
            return [f"a big {place.feature} abroad ({place.country} is not named otherwise)"]
        return None  # a town abroad: «وادي المدام» in a report about Yemen is not in the UAE
    if hit.cue:
        return [f"cue word «{hit.cue}» introduces it"]
    if hit.relation:
        return [f"relation word before it ({hit.relation})"]
    if place.feature not in ("city", "site", "camp"):
        return [f"the document names {place.country}"] if votes else []
    home = place.country in home_countries
    if place.population >= (CITY if votes or home else BIG_CITY):
        # With no country named at all, a bare name is a town of the region the news covers,
        # or a big city: GeoNames gives small towns far away Arabic names that are also words
        # («كلينتون»).
        return [f"the document names {place.country}"] if votes else []
    if parts.get("containment"):
        return ["its province or district is named in the same passage"]
    if any(
        p.feature in ("admin1", "admin2")
        and p.country == place.country
        and _km(p.lat, p.lon, place.lat, place.lon) <= 30
        for p in hit.places
    ):
        return ["the seat of the district of the same name"]
    close = [
        other.name_en
        for h, other in anchors
        if h.key != hit.key and _km(place.lat, place.lon, other.lat, other.lon) <= 60
    ]
    if votes and (place.population >= TOWN or close):
        reasons = [f"the document names {place.country}"]
        return reasons + ([f"within 60 km of {close[0]}, also named"] if close else [])
    return None


def _closest_km(place: PlaceRecord, others: list[tuple[Hit, PlaceRecord]]) -> float | None:
    """The distance to the nearest other place (``_km``, one cosine for all of them)."""
    scale = math.cos(math.radians(place.lat))
    lat, lon = place.lat, place.lon
    degrees = min(
        (math.hypot((o.lon - lon) * scale, o.lat - lat) for _, o in others if o.id != place.id),
        default=None,
    )
    return None if degrees is None else math.radians(degrees) * EARTH_KM


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: within 1 % of great-circle at the 50-300 km scales used here."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_KM * math.hypot(x, y)


def _relative_precision(precision: str, hit: Hit, same: frozenset[str]) -> str:
    """The precision of a place described relative to an anchor.

    Countryside is an area (``region``). A stated distance beyond 25 km (UCDP's radius for a
    point) lowers the anchor one step. A direction or «near» lowers an area one step (the north
    of a province is a part of it, not the province) but keeps a town: ACLED and UCDP code
    "north of Gaza city" to the town. «وسط» (centre of) never lowers.
    """
    if hit.relation == "countryside_of":
        return "region"
    if hit.relation in same:
        return precision
    if hit.relation == "distance_from":
        return LOWERED[precision] if hit.distance_km is None or hit.distance_km > 25 else precision
    return precision if precision in ("city", "point") else LOWERED[precision]


def _describe(place: PlaceRecord) -> str:
    population = f", pop. {place.population}" if place.population else ""
    return f"{place.name_en} ({place.feature}, {place.country}{population})"


def _mention(
    hit: Hit,
    best: Choice,
    ranked: list[Choice],
    reasons: list[str],
    start: int,
    end: int,
    data: PlaceData,
    city: PlaceRecord | None = None,
) -> Mention:
    place = best.place
    evidence: list[JSONValue] = [f"name «{hit.key}» matched {len(hit.places)} gazetteer entries"]
    if hit.prefix:
        evidence.append(f"proclitic «{hit.prefix}» before the name")
    if hit.minor:
        evidence.append("looked up among villages because a cue word precedes it")
    for part, points in sorted(best.parts.items(), key=lambda kv: -kv[1]):
        evidence.append(f"{part} {points:+.1f}")
    evidence.extend(reasons)
    rule = "unique"
    if len(ranked) > 1:
        runner = ranked[1]
        evidence.append(f"beats {_describe(runner.place)} by {best.score - runner.score:.1f}")
        gains = {
            k: v - runner.parts.get(k, 0.0)
            for k, v in best.parts.items()
            if k not in ("population", "feature")
        }
        gains["rank"] = best.parts.get("population", best.parts.get("feature", 0.0)) - (
            runner.parts.get("population", runner.parts.get("feature", 0.0))
        )
        rule = max(gains, key=lambda k: gains[k])
        if rule == "rank":
            rule = "population" if place.feature == "city" else "feature_rank"
    precision = PRECISION.get(place.feature, "city")
    if city is not None:
        precision = "city"
        evidence.append(f"a district of {city.name_en} (named too), coded as the city")
    if hit.cue in data.facilities and place.feature == "city":
        precision = "point"
        evidence.append(f"«{hit.cue}» names a site in this town; the coordinates are the town's")
    if hit.relation:
        precision = _relative_precision(precision, hit, data.same_precision)
        evidence.append(f"relation {hit.relation}: the anchor place with lowered precision")
        rule = "relative"
    lat, lon = place.lat, place.lon
    seat = _seat_town(place, hit.places)
    if seat is not None:
        lat, lon = seat.lat, seat.lon
        evidence.append(f"coordinates of its seat town {seat.name_en}, as ACLED codes a district")
    admin1 = data.gazetteer.admin1(place.country, place.admin1) if place.admin1 else None
    value: JSONObject = {
        "name": place.name_en,
        "name_ar": place.name_ar or None,
        "geonames_id": place.geonames_id,
        "place_id": place.id,
        "country": place.country or None,
        "admin1": admin1.name_en
        if admin1 is not None and place.feature != "admin1"
        else (place.name_en if place.feature == "admin1" else None),
        "admin2": place.admin2 or None,
        "admin1_code": place.admin1 or None,
        "lat": lat,
        "lon": lon,
        "bbox": list(place.bbox) if place.bbox else None,
        "population": place.population or None,
        "feature": place.feature,
        "precision": precision,
        "relation": hit.relation,
        "distance_km": hit.distance_km,
        "score": best.score,
        "evidence": evidence,
    }
    return Mention("place", start, end, value, f"places.{rule}")


def _demonym_mention(
    hit: Hit, country: PlaceRecord, start: int, end: int, data: PlaceData
) -> Mention:
    del data
    value: JSONObject = {
        "name": country.name_en,
        "name_ar": country.name_ar or None,
        "geonames_id": country.geonames_id,
        "place_id": country.id,
        "country": country.country,
        "admin1": None,
        "admin2": None,
        "lat": country.lat,
        "lon": country.lon,
        "bbox": list(country.bbox) if country.bbox else None,
        "population": country.population or None,
        "feature": "country",
        "precision": "country",
        "relation": "demonym",
        "distance_km": None,
        "score": 1.0,
        "evidence": [f"nationality adjective «{hit.key}» names {country.name_en}"],
    }
    return Mention("place", start, end, value, "places.demonym")
