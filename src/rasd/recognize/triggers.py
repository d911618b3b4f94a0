"""Event trigger words → ACLED sub-types, from ``data/<lang>/triggers.yaml``.

The ``events`` stage calls :func:`find_triggers` and stores the matches as ``trigger`` mentions;
the taxonomy (types, sub-types, hierarchy order, disorder type) is ``data/acled.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from pydantic import BaseModel, Field

from rasd.document import Document, Mention
from rasd.errors import DataFileError
from rasd.normalize import load_charmap
from rasd.recognize.phrases import PhraseMatch, PhraseMatcher, fold
from rasd.resources import Resources

_ARTICLE = "\u0627\u0644"  # ال
_LAM = "\u0644"  # ل


class AcledType(BaseModel):
    name: str
    disorder: str
    sub_types: list[str]


class AcledTaxonomyFile(BaseModel):
    types: list[AcledType]
    disorder_overrides: dict[str, str] = Field(default_factory=dict)
    the_countries: list[str] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Sub-type → type, disorder type and rank in ACLED's hierarchy (lower rank wins)."""

    type_of: dict[str, str]
    disorder_of: dict[str, str]
    rank: dict[str, int]
    # ISO codes of the countries named with "the" in state actor names
    the_countries: frozenset[str] = frozenset()

    def check(self, sub_type: str, where: str) -> str:
        if sub_type not in self.type_of:
            raise DataFileError(f"{where}: {sub_type!r} is not an ACLED sub-type (data/acled.yaml)")
        return sub_type


def load_taxonomy(resources: Resources) -> Taxonomy:
    def build() -> Taxonomy:
        data = resources.model(AcledTaxonomyFile, "acled.yaml")
        type_of: dict[str, str] = {}
        disorder_of: dict[str, str] = {}
        rank: dict[str, int] = {}
        for acled_type in data.types:
            for sub_type in acled_type.sub_types:
                type_of[sub_type] = acled_type.name
                disorder_of[sub_type] = data.disorder_overrides.get(sub_type, acled_type.disorder)
                rank[sub_type] = len(rank)
        return Taxonomy(type_of, disorder_of, rank, frozenset(data.the_countries))

    return resources.derived("acled-taxonomy", build)


class TriggerEntry(BaseModel):
    sub_type: str
    priority: int
    standalone: bool = True
    forms: list[str]
    if_state_actor: str | None = None
    if_nonstate_actor: str | None = None
    if_civilian_target: str | None = None
    if_armed_target: str | None = None
    if_protesters: str | None = None
    followed_by: list[str] = Field(default_factory=list)
    # how many words after the trigger may hold a ``followed_by`` word ("entered the Afghan city")
    followed_within: int = 1
    # an execution word in a sentence about a court («قرر القاضي إعدام …») is the sentence's
    judicial: bool = False


class TriggerFile(BaseModel):
    triggers: list[TriggerEntry]
    not_events: list[str] = Field(default_factory=list)
    background_patterns: list[str] = Field(default_factory=list)
    background_clause_patterns: list[str] = Field(default_factory=list)
    negations: list[str] = Field(default_factory=list)
    report_date_words: list[str] = Field(default_factory=list)
    continuation_words: list[str] = Field(default_factory=list)
    time_reference_words: list[str] = Field(default_factory=list)
    new_event_words: list[str] = Field(default_factory=list)
    responsibility_words: list[str] = Field(default_factory=list)
    background_openers: list[str] = Field(default_factory=list)
    furniture_words: list[str] = Field(default_factory=list)
    aim_sub_types: list[str] = Field(default_factory=list)
    aim_words: list[str] = Field(default_factory=list)
    summary_words: list[str] = Field(default_factory=list)
    object_words: list[str] = Field(default_factory=list)
    statement_words: list[str] = Field(default_factory=list)
    another_words: list[str] = Field(default_factory=list)
    past_words: list[str] = Field(default_factory=list)
    from_words: list[str] = Field(default_factory=list)
    state_side: list[str] = Field(default_factory=list)
    armed_side: list[str] = Field(default_factory=list)
    clause_openers: list[str] = Field(default_factory=list)
    toll_openers: list[str] = Field(default_factory=list)
    place_list_words: list[str] = Field(default_factory=list)
    not_openers: list[str] = Field(default_factory=list)
    seizure_words: list[str] = Field(default_factory=list)
    seized_sub_type: str | None = None
    same_weapon: list[list[str]] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TriggerLexicon:
    matcher: PhraseMatcher[TriggerEntry]
    not_events: PhraseMatcher[str]
    background: regex.Pattern[str] | None
    background_clause: regex.Pattern[str] | None
    negations: frozenset[tuple[str, ...]]
    report_date_words: PhraseMatcher[str]
    continuation: PhraseMatcher[str]
    time_reference: PhraseMatcher[str]
    new_event: PhraseMatcher[str]
    followed_by: dict[int, tuple[int, tuple[str, ...]]]
    responsibility: PhraseMatcher[str]
    background_openers: PhraseMatcher[str]
    furniture: PhraseMatcher[str]
    aim_sub_types: frozenset[str] = frozenset()
    aim_words: frozenset[str] = frozenset()
    summary: PhraseMatcher[str] | None = None
    object_words: frozenset[str] = frozenset()
    statement_words: PhraseMatcher[str] | None = None
    another_words: frozenset[str] = frozenset()
    past_words: frozenset[str] = frozenset()
    from_words: frozenset[str] = frozenset()
    state_side: PhraseMatcher[str] | None = None
    armed_side: PhraseMatcher[str] | None = None
    clause_openers: PhraseMatcher[str] | None = None
    toll_openers: frozenset[str] = frozenset()
    place_list_words: frozenset[str] = frozenset()
    not_openers: tuple[str, ...] = ()
    seizure_words: frozenset[str] = frozenset()
    seized_sub_type: str | None = None
    same_weapon: frozenset[frozenset[str]] = frozenset()


def load_triggers(resources: Resources, lang: str) -> TriggerLexicon:
    def build() -> TriggerLexicon:
        charmap = load_charmap(resources)
        taxonomy = load_taxonomy(resources)
        data = resources.model(TriggerFile, lang, "triggers.yaml")
        where = f"data file rasd/data/{lang}/triggers.yaml"
        for entry in data.triggers:
            for sub_type in (
                entry.sub_type,
                entry.if_state_actor,
                entry.if_nonstate_actor,
                entry.if_civilian_target,
                entry.if_armed_target,
                entry.if_protesters,
            ):
                if sub_type is not None:
                    taxonomy.check(sub_type, where)
        background = (
            regex.compile("|".join(fold(p, charmap) for p in data.background_patterns))
            if data.background_patterns
            else None
        )
        background_clause = (
            regex.compile("|".join(fold(p, charmap) for p in data.background_clause_patterns))
            if data.background_clause_patterns
            else None
        )
        return TriggerLexicon(
            matcher=PhraseMatcher(
                ((form, entry) for entry in data.triggers for form in entry.forms), charmap
            ),
            not_events=PhraseMatcher(((f, f) for f in data.not_events), charmap),
            background=background,
            background_clause=background_clause,
            negations=frozenset(tuple(fold(n, charmap).split()) for n in data.negations),
            report_date_words=PhraseMatcher(((f, f) for f in data.report_date_words), charmap),
            continuation=PhraseMatcher(((f, f) for f in data.continuation_words), charmap),
            time_reference=PhraseMatcher(((f, f) for f in data.time_reference_words), charmap),
            new_event=PhraseMatcher(((f, f) for f in data.new_event_words), charmap),
            responsibility=PhraseMatcher(((f, f) for f in data.responsibility_words), charmap),
            background_openers=PhraseMatcher(((f, f) for f in data.background_openers), charmap),
            furniture=PhraseMatcher(((f, f) for f in data.furniture_words), charmap),
            aim_sub_types=frozenset(taxonomy.check(t, where) for t in data.aim_sub_types),
            aim_words=frozenset(fold(w, charmap) for w in data.aim_words),
            summary=PhraseMatcher(((f, f) for f in data.summary_words), charmap),
            object_words=frozenset(fold(w, charmap) for w in data.object_words),
            statement_words=PhraseMatcher(((f, f) for f in data.statement_words), charmap),
            another_words=frozenset(fold(w, charmap) for w in data.another_words),
            past_words=frozenset(fold(w, charmap) for w in data.past_words),
            from_words=frozenset(fold(w, charmap) for w in data.from_words),
            state_side=PhraseMatcher(((f, f) for f in data.state_side), charmap),
            armed_side=PhraseMatcher(((f, f) for f in data.armed_side), charmap),
            clause_openers=PhraseMatcher(
                ((f, f) for f in [*data.clause_openers, *data.toll_openers]), charmap
            ),
            place_list_words=frozenset(fold(w, charmap) for w in data.place_list_words),
            not_openers=tuple(fold(w, charmap) for w in data.not_openers),
            seizure_words=frozenset(fold(w, charmap) for w in data.seizure_words),
            seized_sub_type=(
                taxonomy.check(data.seized_sub_type, where) if data.seized_sub_type else None
            ),
            toll_openers=frozenset(data.toll_openers),  # as written: the payloads above
            same_weapon=frozenset(
                frozenset(taxonomy.check(t, where) for t in pair) for pair in data.same_weapon
            ),
            followed_by={
                id(entry): (
                    entry.followed_within,
                    tuple(fold(f, charmap) for f in entry.followed_by),
                )
                for entry in data.triggers
                if entry.followed_by
            },
        )

    return resources.derived(f"triggers:{lang}", build)


# how many words before a weapon a seizure verb governs it («صادرت سلاحا وثلاثة مخازن وقنابل»)
_SEIZURE_WORDS = 8
# a seizure is a disrupted weapons use as specific as a defused bomb
_SEIZED_PRIORITY = 62


def find_triggers(doc: Document, resources: Resources) -> list[Mention]:
    """Every trigger word in the document, as ``trigger`` mentions (original offsets)."""
    assert doc.normalized is not None
    lexicon = load_triggers(resources, doc.lang)
    taxonomy = load_taxonomy(resources)
    view = doc.normalized
    found: list[Mention] = []
    place_starts = sorted(m.start for m in doc.mentions if m.kind == "place")
    object_end = -1  # where the last trigger read as the object of a protest or charge ends
    for match in lexicon.matcher.finditer(view.text):
        entry = match.payload
        before = [
            _without_conjunction(w)
            for w in view.text[max(0, match.start - 40) : match.start].split()[-2:]
        ]
        next_word = view.text[match.end : match.end + 16].split()[:1]
        if next_word and next_word[0].strip('.,:;"') in lexicon.past_words:
            # «في إعداماته السابقة», «هجمات سابقة»: events told before, not this report's
            continue
        conjoined = (
            object_end >= 0
            and not view.text[object_end : match.start].strip()
            and view.text[match.start : match.form_start].startswith("\u0648")  # و
        )
        if _negated(view.text, match.start, lexicon.negations):
            # «لم يحدث تبادل لإطلاق النار», «نفت وقوع هجوم»: said not to have happened
            continue
        if conjoined or any(word in lexicon.object_words for word in before):
            # «احتجاجا على قتل …», «المتهم بقتل …», «تمهيدا لتنفيذ عمليات اغتيال وتفجيرات»:
            # an event named as the reason, the charge or the plan, not one reported
            object_end = match.end
            continue
        start, end = view.to_original(match.start, match.end)
        needed = lexicon.followed_by.get(id(entry))
        # «سقوط» takes a place («سقوط مدينة», «سقوط مزار شريف»), not «سقوط قتلى»
        if (
            needed
            and not _followed(view.text[match.end : match.end + 40], *needed)
            and not any(end <= p <= end + 2 for p in place_starts)
        ):
            continue
        if entry.sub_type in lexicon.aim_sub_types and _states_aim(view.text, match, lexicon):
            continue
        sub_type, priority = entry.sub_type, entry.priority
        if (
            lexicon.seized_sub_type is not None
            and taxonomy.type_of[sub_type] == "Explosions/Remote violence"
            and _after_seizure(view.text, match.start, lexicon.seizure_words)
        ):
            # «وصادرت سلاحا وثلاثة مخازن وقنابل يدوية»: weapons seized, not set off (ACLED:
            # disrupted weapons use)
            sub_type, priority = lexicon.seized_sub_type, _SEIZED_PRIORITY
        found.append(
            Mention(
                kind="trigger",
                start=start,
                end=end,
                value={
                    "event_type": taxonomy.type_of[sub_type],
                    "sub_event_type": sub_type,
                    "priority": priority,
                    "standalone": entry.standalone,
                    "if_state_actor": entry.if_state_actor,
                    "if_nonstate_actor": entry.if_nonstate_actor,
                    "if_civilian_target": entry.if_civilian_target,
                    "if_armed_target": entry.if_armed_target,
                    "if_protesters": entry.if_protesters,
                    "form": match.form,
                    "judicial": entry.judicial,
                    # «في تفجير آخر», «بتفجير مماثل»: another incident of the same kind
                    "another": bool(
                        (after := view.text[match.end : match.end + 16].split()[:1])
                        and after[0].strip('.,:;"') in lexicon.another_words
                    ),
                },
                by="events.trigger",
            )
        )
    return found


def _states_aim(text: str, match: PhraseMatch[TriggerEntry], lexicon: TriggerLexicon) -> bool:
    """«للسيطرة على», «محاولة السيطرة», «تحت سيطرة»: an aim or a standing state, not a take-over.

    The purpose lam (ل, لل; not the article's lam) on the word, or an aim or state word among the
    two words before it.
    """
    proclitic = text[match.start : match.form_start]
    if proclitic.endswith(_ARTICLE):
        proclitic = proclitic[: -len(_ARTICLE)]
    if _LAM in proclitic:
        return True
    before = text[max(0, match.start - 40) : match.start].split()[-2:]
    return any(_without_conjunction(word) in lexicon.aim_words for word in before)


def _negated(text: str, start: int, negations: frozenset[tuple[str, ...]]) -> bool:
    """Whether the words right before a trigger deny it («لم تقع», «ولم يحدث», «نفت الشرطة وقوع»).

    A ``*`` in a listed phrase stands for any one word (the subject: «نفت * وقوع»).
    """
    words = [w.strip("\"'()") for w in text[max(0, start - 60) : start].split()]
    if not words or not negations:
        return False
    last = words[-1]
    for phrase in negations:
        if phrase[-1] != last and len(phrase) > 1:
            continue
        if len(phrase) > len(words):
            continue
        tail = words[len(words) - len(phrase) :]
        first = tail[0]
        # «ولم», «فلم»: a leading conjunction
        firsts = {first, first[1:]} if first[:1] in "\u0648\u0641" else {first}
        if phrase[0] not in firsts and phrase[0] != "*":
            continue
        if all(p in ("*", w) for p, w in zip(phrase[1:], tail[1:], strict=True)):
            return True
    return False


def _after_seizure(text: str, start: int, words: frozenset[str]) -> bool:
    """A seizure verb among the words before a weapon, in its sentence («ضبطت … عبوات»)."""
    if not words:
        return False
    before = text[max(0, start - 80) : start]
    before = before[max(before.rfind("."), before.rfind("\n")) + 1 :]
    return any(_without_conjunction(w) in words for w in before.split()[-_SEIZURE_WORDS:])


def _without_conjunction(word: str) -> str:
    """«وتنديدا» → «تنديدا»: a word list entry matches after the conjunction و or ف."""
    return word[1:] if len(word) > 3 and word[0] in "\u0648\u0641" else word


def _followed(after: str, within: int, forms: tuple[str, ...]) -> bool:
    words = after.split()[:within]
    # with or without the Arabic article
    return any(word.startswith((f, "\u0627\u0644" + f)) for word in words for f in forms)
