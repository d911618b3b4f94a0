"""Actors: armed groups, state forces and victim communities named in a report (``actor`` mentions).

Three sources, from ``data/<lang>/actors.yaml``: lexicon entries with their aliases («الحوثيين»,
«الخوارج»); noun phrases built on a head word for actors not in the lexicon («قوات» + a
nationality → Military Forces of X, «مسلحو» + «الحركة» or a bare «الحركة» → the last movement
named, «مسلحون مجهولون» → an unidentified armed group, «مدنيين» → civilians); and communities
named as victims («الهزارة»). Each mention gets a role in its event from the words just before
it: after «على يد» or «شنه» it is the perpetrator, after «ضد» or «استهداف» the target; otherwise
civilians and communities are targets and armed actors perpetrators (``role_cue`` says which).
The country of a bare «الجيش» or «مدنيين» is left to the ``events`` stage, which knows where the
event happened.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from rasd.document import Document, Mention
from rasd.jsontypes import JSONObject
from rasd.normalize import load_charmap
from rasd.recognize.phrases import PhraseMatch, PhraseMatcher, fold, normalized_offset
from rasd.registry import StageFn, stage
from rasd.resources import Resources

ActorKind = Literal[
    "state forces", "rebel group", "militia", "civilians", "protesters", "external", "other"
]


class ActorEntry(BaseModel):
    name: str
    kind: ActorKind
    wikidata: str | None = None
    country: str | None = None
    period: tuple[int, int] | None = None
    aliases: list[str]


class CommunityEntry(BaseModel):
    name: str
    wikidata: str | None = None
    aliases: list[str]


class Heads(BaseModel):
    military: list[str]
    # the military heads that name a state's own forces without a country («الجيش», "the army")
    military_bare: list[str] = Field(default_factory=list)
    police: list[str]
    members: list[str]
    anaphors: list[str]
    unidentified: list[str]
    protesters: list[str] = Field(default_factory=list)
    civilians: list[str]
    links: list[str] = Field(default_factory=list)


class Roles(BaseModel):
    perpetrator_before: list[str]
    target_before: list[str]
    source_before: list[str] = Field(default_factory=list)


class ActorFile(BaseModel):
    actors: list[ActorEntry]
    communities: list[CommunityEntry] = Field(default_factory=list)
    countries: dict[str, list[str]] = Field(default_factory=dict)
    heads: Heads
    roles: Roles


Category = Literal[
    "actor",
    "community",
    "country",
    "military",
    "police",
    "members",
    "anaphor",
    "unidentified",
    "protesters",
    "civilians",
    "link",
]


@dataclass(frozen=True, slots=True)
class Entry:
    category: Category
    index: int = -1
    code: str = ""


@dataclass(frozen=True, slots=True)
class ActorLexicon:
    data: ActorFile
    words: PhraseMatcher[Entry]
    roles: PhraseMatcher[str]
    military_bare: frozenset[str]


def load_actors(resources: Resources, lang: str) -> ActorLexicon:
    def build() -> ActorLexicon:
        charmap = load_charmap(resources)
        data = resources.model(ActorFile, lang, "actors.yaml")
        entries: list[tuple[str, Entry]] = []
        # Order matters only for identical forms: lexicon names beat generic heads («انتحاري»).
        for i, actor in enumerate(data.actors):
            entries.extend((alias, Entry("actor", i)) for alias in actor.aliases)
        for i, community in enumerate(data.communities):
            entries.extend((alias, Entry("community", i)) for alias in community.aliases)
        for code, forms in data.countries.items():
            entries.extend((form, Entry("country", code=code)) for form in forms)
        heads = data.heads
        for category, forms in (
            ("unidentified", heads.unidentified),
            ("protesters", heads.protesters),
            ("civilians", heads.civilians),
            ("police", heads.police),
            ("military", heads.military),
            ("anaphor", heads.anaphors),
            ("members", heads.members),
            ("link", heads.links),
        ):
            entries.extend(
                (form, Entry(category, code=category))  # type: ignore[arg-type]
                for form in forms
            )
        roles = [(f, "perpetrator") for f in data.roles.perpetrator_before]
        roles += [(f, "target") for f in data.roles.target_before]
        roles += [(f, "source") for f in data.roles.source_before]
        return ActorLexicon(
            data,
            PhraseMatcher(entries, charmap),
            PhraseMatcher(roles, charmap),
            frozenset(fold(f, charmap) for f in heads.military_bare),
        )

    return resources.derived(f"actors:{lang}", build)


@dataclass(slots=True)
class Found:
    start: int  # normalized offsets
    end: int
    value: JSONObject
    rule: str


_ARMED_KINDS = ("state forces", "rebel group", "militia", "external", "other")


def _actor_value(entry: ActorEntry) -> JSONObject:
    return {
        "name": entry.name,
        "kind": entry.kind,
        "wikidata": entry.wikidata,
        "group": "armed",
        "country": entry.country,
    }


def _generic(name: str, kind: str, group: str, country: str | None) -> JSONObject:
    return {"name": name, "kind": kind, "wikidata": None, "group": group, "country": country}


class _Reader:
    """Walks the word matches left to right and builds actor phrases from heads and names."""

    def __init__(self, lexicon: ActorLexicon, text: str) -> None:
        self.lexicon = lexicon
        self.text = text
        self.matches = list(lexicon.words.finditer(text))
        self.found: list[Found] = []

    def _adjacent(self, i: int, j: int) -> bool:
        """Match j follows match i with only spaces (or one closing quote) between them."""
        gap = self.text[self.matches[i].end : self.matches[j].start]
        return len(gap) <= 3 and not gap.strip(" \"'«»")

    def _next_name(self, i: int) -> int | None:
        """Index of the name a head at i governs, skipping link words («من قومية»)."""
        j = i + 1
        while j < len(self.matches) and self._adjacent(j - 1, j):
            if self.matches[j].payload.category != "link":
                return j
            j += 1
        return None

    def _last_armed(self) -> JSONObject | None:
        for found in reversed(self.found):
            if found.value.get("group") == "armed" and found.value.get("kind") in (
                "rebel group",
                "militia",
            ):
                return found.value
        return None

    def read(self) -> list[Found]:
        data = self.lexicon.data
        i = 0
        while i < len(self.matches):
            match: PhraseMatch[Entry] = self.matches[i]
            entry = match.payload
            j = self._next_name(i) if entry.category in ("military", "police", "members") else None
            name = self.matches[j] if j is not None else None
            value: JSONObject | None = None
            rule = ""
            if name is not None and j is not None:
                target = name.payload
                if target.category == "actor":
                    value, rule = _actor_value(data.actors[target.index]), "member_of"
                elif target.category == "country" and entry.category in ("military", "police"):
                    label = "Military" if entry.category == "military" else "Police"
                    value = _generic(f"{label} Forces", "state forces", "armed", target.code)
                    rule = f"{entry.category}_of_country"
                elif target.category == "community" and entry.category != "police":
                    community = data.communities[target.index]
                    value = _generic(f"{community.name} militia", "militia", "armed", None)
                    rule = "community_militia"
                elif target.category == "anaphor" and entry.category in ("members", "unidentified"):
                    last = self._last_armed()
                    if last is not None:
                        value, rule = dict(last), "anaphor"
            if value is None and entry.category == "anaphor":
                # the possessive before the head: "the movement's gunmen"
                k = i + 1
                if (
                    k < len(self.matches)
                    and self._adjacent(i, k)
                    and self.matches[k].payload.category in ("members", "unidentified", "military")
                ):
                    last = self._last_armed()
                    if last is not None:
                        value, name, j, rule = dict(last), self.matches[k], k, "anaphor"
            if value is None and entry.category == "anaphor":
                # «وسيطر التنظيم على المدينة»: the group named before, as the subject itself
                last = self._last_armed()
                if last is not None:
                    self.found.append(Found(match.start, match.end, dict(last), "anaphor_bare"))
                    i += 1
                    continue
            if value is None and entry.category == "country":
                # the nationality before the head: "Iraqi forces", "Afghan police"
                k = i + 1
                if k < len(self.matches) and self._adjacent(i, k):
                    head = self.matches[k].payload.category
                    if head in ("military", "police"):
                        label = "Military" if head == "military" else "Police"
                        value = _generic(f"{label} Forces", "state forces", "armed", entry.code)
                        name, j, rule = self.matches[k], k, f"{head}_of_country"
            if value is not None and name is not None and j is not None:
                self.found.append(Found(match.start, name.end, value, rule))
                i = j + 1
                continue
            value, rule = self._single(match)
            if value is not None:
                self.found.append(Found(match.start, match.end, value, rule))
            i += 1
        return self.found

    def _single(self, match: PhraseMatch[Entry]) -> tuple[JSONObject | None, str]:
        data = self.lexicon.data
        entry = match.payload
        if entry.category == "actor":
            return _actor_value(data.actors[entry.index]), "lexicon"
        if entry.category == "community":
            community = data.communities[entry.index]
            value = _generic(community.name, "civilians", "victim", None)
            value["wikidata"] = community.wikidata
            return value, "community"
        if entry.category == "unidentified":
            return _generic("Unidentified armed group", "other", "armed", None), "unidentified"
        if entry.category == "protesters":
            return _generic("Protesters", "protesters", "protesters", None), "protesters"
        if entry.category == "civilians":
            return _generic("Civilians", "civilians", "civilians", None), "civilians"
        if entry.category == "police":
            return _generic("Police Forces", "state forces", "armed", None), "police"
        if entry.category == "military" and match.form in self.lexicon.military_bare:
            return _generic("Military Forces", "state forces", "armed", None), "military"
        return None, ""


def _role(lexicon: ActorLexicon, text: str, start: int, clause_start: int) -> str | None:
    """Perpetrator, target or source from the nearest cue word in the few words before it."""
    window_start = max(clause_start, start - 40)
    cue: str | None = None
    for match in lexicon.roles.finditer(text, window_start, start):
        gap = len(text[match.end : start].split())
        # a speaker follows its verb at once («قالت الشرطة»); other cues reach a few words
        if gap <= (0 if match.payload == "source" else 3):
            cue = match.payload
    return cue


def _default_role(value: JSONObject) -> str:
    """With no cue word: civilians and communities are targets, armed actors perpetrators."""
    return "target" if value.get("group") in ("victim", "civilians") else "perpetrator"


@stage("actors", requires=("sentences",), provides=("actors",))
def make_actors(resources: Resources) -> StageFn:
    def run(doc: Document) -> Document:
        assert doc.normalized is not None
        lexicon = load_actors(resources, doc.lang)
        view = doc.normalized
        clause_starts = sorted(normalized_offset(doc, c.start) for c in doc.clauses)
        for found in _Reader(lexicon, view.text).read():
            position = bisect_right(clause_starts, found.start) - 1
            clause_start = clause_starts[position] if position >= 0 else 0
            role = _role(lexicon, view.text, found.start, clause_start)
            found.value["role"] = role or _default_role(found.value)
            # whether a word before it said the role («على يد», «ضد»), or its kind only
            found.value["role_cue"] = role is not None
            start, end = view.to_original(found.start, found.end)
            doc.mentions.append(Mention("actor", start, end, found.value, f"actors.{found.rule}"))
        return doc

    return run
