"""Casualty claims: each count a report states, what it counts, of whom, and who says so.

A ``number`` mention becomes a ``claim`` when a trigger fixes what it counts: a trigger before it
(«مقتل 43», «إصابة نحو 100»), a counting noun after it («20 قتيلا»), or a verb closing its noun
phrase («5 أشخاص لقوا حتفهم»). Breakdowns («11 شخصا بينهم 10 دبلوماسيين ومراسل») are checked,
revised tolls supersede earlier ones, and a survivor count set against a counted force gives a
derived toll. Sources are found next to attribution frames («وقال مصدر أمني عراقي») and named in
English by pattern, so that two reports of one event name the same source alike. Data:
``casualties.yaml`` and ``sources.yaml`` per language.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import regex
from pydantic import BaseModel, Field

from rasd.document import Document, Flag, Mention
from rasd.errors import RasdError
from rasd.jsontypes import JSONObject, JSONValue
from rasd.normalize import Charmap, load_charmap, normalize_text
from rasd.recognize.numbers import original_span, to_normalized
from rasd.registry import StageFn, stage
from rasd.resources import Resources

COUNTABLE_TYPES = {"cardinal"}
ALEF = "\u0627"  # arabic letter alef
HEH = "\u0647"  # arabic letter heh (ta marbuta folds to it)


class CasualtyData(BaseModel):
    """The schema of ``casualties.yaml``."""

    before: dict[str, list[str]]
    after_nouns: dict[str, list[str]]
    duals: dict[str, list[str]] = Field(default_factory=dict)
    after_verbs: dict[str, list[str]] = Field(default_factory=dict)
    need_after: list[str] = Field(default_factory=list)
    need_after_words: list[str] = Field(default_factory=list)
    need_noun: list[str] = Field(default_factory=list)
    context_required: list[str] = Field(default_factory=list)
    violence_context: list[str] = Field(default_factory=list)
    combined_joiner: str
    breakdown: list[str] = Field(default_factory=list)
    breakdown_exhaustive: list[str] = Field(default_factory=list)
    revised: list[str] = Field(default_factory=list)
    rest_words: list[str] = Field(default_factory=list)
    shares: dict[str, list[str]] = Field(default_factory=dict)
    share_frames: dict[str, list[str]] = Field(default_factory=dict)
    person_nouns: list[str] = Field(default_factory=list)
    person_duals: list[str] = Field(default_factory=list)
    force_nouns: list[str] = Field(default_factory=list)
    not_people: list[str] = Field(default_factory=list)
    victim_stops: list[str] = Field(default_factory=list)
    far_verbs: dict[str, list[str]] = Field(default_factory=dict)
    fillers: list[str] = Field(default_factory=list)
    clitics: str = ""  # a regex fragment: the proclitics a trigger may carry
    conjunction_clitics: str = ""  # the subset that joins («و», «ف»)
    preposition_clitics: str = ""  # letters: the proclitics that are prepositions («ب», «ل»)
    article: str = ""
    partitive: str = ""
    plural_suffixes: list[str] = Field(default_factory=list)
    breakdown_lead: list[str] = Field(default_factory=list)
    carrier_nouns: list[str] = Field(default_factory=list)
    carrier_clitic: str = ""  # «لوكالة …»: the agency the words were told to


class NamedSource(BaseModel):
    name: str
    type: str
    forms: list[str]


class HeadEntry(BaseModel):
    en: str
    type: str
    of: bool = False
    ministry: bool = False
    ministry_of: str | None = None
    anaphor: bool = False
    national: bool = False  # «مسؤولون» in a report about Afghanistan: "Afghan officials"


class Nationality(BaseModel):
    en: str
    iso: str
    forms: list[str]
    country: list[str] = Field(default_factory=list)


class SourcesData(BaseModel):
    """The schema of ``sources.yaml``."""

    frames_before: list[str]
    frames_after: list[str] = Field(default_factory=list)
    frames_post: list[str] = Field(default_factory=list)
    continuation: list[str] = Field(default_factory=list)
    named: list[NamedSource] = Field(default_factory=list)
    heads: dict[str, HeadEntry] = Field(default_factory=dict)
    modifiers: dict[str, list[str]] = Field(default_factory=dict)
    modifiers_first: bool = False  # English: «Iraqi security source»
    ministries: dict[str, list[str]] = Field(default_factory=dict)
    nationalities: list[Nationality] = Field(default_factory=list)
    ministry_pattern: str = "{nationality} Ministry of {what}"
    spokesman_pattern: str = "{of} spokesman"
    joiner_en: str = " and "
    # «قالت وكالة إدارة الطوارئ إن …», «وقال الحسيني إن …»: whoever stands between a speech verb
    # and «إن/أن» is the speaker, named as written when no head word or named source covers it
    speech_verbs: list[str] = Field(default_factory=list)
    speech_that: list[str] = Field(default_factory=list)
    speaker_stops: list[str] = Field(default_factory=list)
    speaker_words: int = 6
    # frames ending in a lam written on the source («وفقا لرويترز», «طبقا لوكالة الأنباء»)
    lam_frames: list[str] = Field(default_factory=list)
    list_nouns: list[str] = Field(default_factory=list)


_SPACES = re.compile(r"\s+")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
_ADJECTIVE = re.compile(r"\s+([^\W\d_]+)")


def _space(form: str) -> str:
    return " ".join(form.split()) if " " in form or "\n" in form or "\t" in form else form


def _firsts(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(f.split(" ")[0] for f in forms if f)


_WORD = re.compile(r"[^\W\d_]+")
_NEVER = regex.compile(r"(?!)")  # a pattern for a list the data file leaves empty
_FULL_STOP = re.compile(r"[.!?](?=\s*[^\W\d_])")


def _alt(forms: Iterable[str]) -> str:
    ordered = sorted({f for f in forms if f}, key=len, reverse=True)
    return "|".join(regex.escape(f).replace(r"\ ", r"\s+") for f in ordered) or "(?!)"


@dataclass(frozen=True, slots=True)
class ClaimLexicon:
    """Patterns and tables compiled once per pipeline and language.

    ``firsts`` holds, per pattern, the first words its forms can start with: a document is scanned
    word by word and a pattern is tried only where its first word stands, which is much faster than
    running each large alternation over every position of the text.
    """

    before: regex.Pattern[str]
    before_quantity: dict[str, str]
    after_noun: regex.Pattern[str]
    partitive_noun: regex.Pattern[str]
    joined_noun: regex.Pattern[str]
    noun_before: regex.Pattern[str]
    after_noun_quantity: dict[str, str]
    after_verb: regex.Pattern[str]
    after_verb_quantity: dict[str, str]
    duals: regex.Pattern[str]
    dual_quantity: dict[str, str]
    need_after: frozenset[str]
    need_after_words: regex.Pattern[str]
    need_noun: frozenset[str]
    context_required: frozenset[str]
    violence: regex.Pattern[str]
    breakdown: regex.Pattern[str]
    revised: regex.Pattern[str]
    rest: regex.Pattern[str]
    person: regex.Pattern[str]
    person_nouns: frozenset[str]
    implicit: regex.Pattern[str]
    implicit_dual: regex.Pattern[str]
    force_nouns: frozenset[str]
    not_people: frozenset[str]
    victim_stops: frozenset[str]
    far_verbs: regex.Pattern[str]
    far_verb_quantity: dict[str, str]
    words: regex.Pattern[str]
    clitic_re: regex.Pattern[str]
    article: str
    joiner: str
    partitive: str
    carrier_clitic: str
    carried_by: regex.Pattern[str]
    gap: regex.Pattern[str]
    definite_before: regex.Pattern[str]
    # sources
    named: regex.Pattern[str]
    named_entry: dict[str, NamedSource]
    source_of: regex.Pattern[str]
    joined_head: regex.Pattern[str]
    heads: regex.Pattern[str]
    head_entry: dict[str, HeadEntry]
    modifier_of: dict[str, str]
    modifiers: regex.Pattern[str]
    modifiers_before: regex.Pattern[str] | None
    ministry: regex.Pattern[str]
    ministry_of: dict[str, str]
    nationality_of: dict[str, str]
    nationality_any: regex.Pattern[str]
    countries: frozenset[str]
    firsts: dict[str, frozenset[str]]
    first_index: dict[str, tuple[str, ...]]
    first_endings: frozenset[str]  # the last two letters of every key of first_index
    frames_before: regex.Pattern[str]
    frames_after: regex.Pattern[str]
    frames_post: regex.Pattern[str]
    continuation: regex.Pattern[str]
    ministry_pattern: str
    spokesman_pattern: str
    joiner_en: str
    speaker: regex.Pattern[str] | None = None
    speaker_stops: frozenset[str] = frozenset()
    lam_frames: regex.Pattern[str] = _NEVER
    speaker_first: regex.Pattern[str] = _NEVER
    list_nouns: frozenset[str] = frozenset()
    share_frames: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    share_of: dict[str, str] = field(default_factory=dict)
    prepositions: str = ""  # proclitic letters that are prepositions («ب», «ل»)
    # first words of after_verb's forms: a word that is none of them (after one conjunction
    # letter) cannot start a match, so the pattern is not tried there
    verb_firsts: frozenset[str] = frozenset()


def build_claim_lexicon(cas: CasualtyData, src: SourcesData, charmap: Charmap) -> ClaimLexicon:
    def norm(form: str) -> str:
        return _space(normalize_text(form, charmap).text)

    def table(groups: dict[str, list[str]]) -> dict[str, str]:
        return {norm(f): key for key, forms in groups.items() for f in forms}

    cl = cas.clitics
    b = r"(?:^|(?<=[\s\W]))"
    e = r"(?![^\W\d_])"
    before_q = table(cas.before)
    fillers = _alt(norm(f) for f in cas.fillers)
    before = regex.compile(
        rf"{b}{cl}(?:({_alt(before_q)})\s+{regex.escape(norm(cas.combined_joiner))})?"
        rf"({_alt(before_q)})(?:\s+(?:{fillers}))?\s*$"
    )
    after_noun_q = table(cas.after_nouns)
    art = regex.escape(norm(cas.article)) if cas.article else "(?!)"
    conj = f"(?:{cas.conjunction_clitics})?" if cas.conjunction_clitics else ""
    joiner = regex.escape(norm(cas.combined_joiner))
    after_noun = regex.compile(rf"\s*(?:{art})?({_alt(after_noun_q)}){e}")
    after_verb_q = table(cas.after_verbs)
    after_verb = regex.compile(rf"{b}{conj}({_alt(after_verb_q)}){e}")
    dual_q = table(cas.duals)
    far_q = table(cas.far_verbs)
    person_nouns = frozenset(
        form
        for f in cas.person_nouns
        for form in (norm(f), norm(f) + ALEF)  # tanween alif is written in the accusative
        if not norm(f).endswith((ALEF, HEH)) or form == norm(f)
    )
    person_alt = _alt(person_nouns)
    person = regex.compile(rf"\s*{conj}(?:{art})?({person_alt}){e}")
    implicit = regex.compile(
        # up to two words of the first noun's phrase before «و» + the next («ضابط شرطة مصري ومجند»)
        rf"{b}{cl}({_alt(before_q)})\s+({person_alt})(?:\s+(?!{joiner})[^\W\d_]+){{0,2}}"
        rf"((?:\s+{joiner}(?:{person_alt}))*){e}"
    )

    named_entry: dict[str, NamedSource] = {}
    for entry in src.named:
        for form in entry.forms:
            named_entry[norm(form)] = entry
    head_entry = {norm(k): v for k, v in src.heads.items()}
    modifier_of = table(src.modifiers)
    # plural adjectives follow plural heads: «مسؤولون طبيون فلسطينيون», «مصادر أمنية»
    for form, key in list(modifier_of.items()):
        if cas.article and not form.startswith(norm(cas.article)):
            for suffix in cas.plural_suffixes:
                modifier_of.setdefault(form + suffix, key)
    nationality_of: dict[str, str] = {}
    country_forms: list[str] = []
    for nat in src.nationalities:
        for form in nat.forms:
            nationality_of[norm(form)] = nat.en
            if cas.article and not norm(form).startswith(norm(cas.article)):
                for suffix in cas.plural_suffixes:
                    nationality_of.setdefault(norm(form) + suffix, nat.en)
        for form in nat.country:
            nationality_of[norm(form)] = nat.en
            country_forms.append(norm(form))
    ministry_of = table(src.ministries)
    mod_alt = _alt([*modifier_of, *(f for f in nationality_of if f not in country_forms)])
    share_of = table(cas.shares)
    share_alt = _alt(share_of)
    share_frames: dict[str, regex.Pattern[str]] = {}
    share_firsts: set[str] = set()
    for quantity, frames in cas.share_frames.items():
        alts = []
        for frame in frames:
            head, _, tail = norm(frame).partition("{share}")
            alts.append(rf"{regex.escape(head)}(?P<share>{share_alt}){regex.escape(tail)}")
            share_firsts.update(share_of if not head.strip() else [head.split()[0]])
        share_frames[quantity] = regex.compile(rf"{b}{conj}(?:{'|'.join(alts)}){e}")
    firsts = {
        "shares": frozenset(share_firsts),
        "before": _firsts(before_q),
        "duals": _firsts(dual_q),
        "named": _firsts(named_entry),
        "heads": _firsts(head_entry),
        "nationality": _firsts(nationality_of),
        "rest": _firsts(norm(f) for f in cas.rest_words),
        "speech": _firsts(norm(f) for f in src.speech_verbs),
    }
    first_index: dict[str, tuple[str, ...]] = {}
    for name, words in firsts.items():
        for word in words:
            first_index[word] = (*first_index.get(word, ()), name)
    return ClaimLexicon(
        # a one-letter first word («د ب أ») ends every word that ends in its letter
        first_endings=frozenset(word[-2:] for word in first_index),
        before=before,
        before_quantity=before_q,
        after_noun=after_noun,
        joined_noun=regex.compile(rf"\s+{joiner}(?:{art})?({_alt(after_noun_q)}){e}"),
        noun_before=regex.compile(rf"{b}{cl}{art}({_alt(after_noun_q)})\s+$"),
        partitive_noun=regex.compile(
            rf"(?:\s+[^\W\d_]+)?\s+{regex.escape(norm(cas.partitive))}\s+(?:{art})?({_alt(after_noun_q)}){e}"
        ),
        after_noun_quantity=after_noun_q,
        after_verb=after_verb,
        after_verb_quantity=after_verb_q,
        duals=regex.compile(rf"{b}{cl}({_alt(dual_q)}){e}"),
        dual_quantity=dual_q,
        need_after=frozenset(norm(f) for f in cas.need_after),
        need_after_words=regex.compile(rf"{b}({_alt(norm(f) for f in cas.need_after_words)}){e}"),
        need_noun=frozenset(norm(f) for f in cas.need_noun),
        context_required=frozenset(norm(f) for f in cas.context_required),
        violence=regex.compile(
            rf"{b}{cl}(?:{art})?(?:{_alt(norm(f) for f in cas.violence_context)})"
        ),
        breakdown=regex.compile(
            rf"\s*,?\s*(?:(?:{_alt(norm(f) for f in cas.breakdown_lead)})\s+)?"
            rf"(?:{_alt(norm(f) for f in cas.breakdown)}|(?P<all>"
            rf"{_alt(norm(f) for f in cas.breakdown_exhaustive)})){e}"
        ),
        revised=regex.compile(rf"{b}{cl}(?:{_alt(norm(f) for f in cas.revised)}){e}"),
        rest=regex.compile(rf"{b}{conj}(?:{_alt(norm(f) for f in cas.rest_words)}){e}"),
        person=person,
        person_nouns=person_nouns,
        implicit=implicit,
        implicit_dual=regex.compile(
            rf"{b}{cl}({_alt(before_q)})\s+({_alt(norm(f) for f in cas.person_duals)}){e}"
        ),
        force_nouns=frozenset(norm(f) for f in cas.force_nouns),
        not_people=frozenset(norm(f) for f in cas.not_people),
        victim_stops=frozenset(norm(f) for f in cas.victim_stops),
        far_verbs=regex.compile(rf"{b}{conj}({_alt(far_q)}){e}"),
        far_verb_quantity=far_q,
        words=regex.compile(r"[^\W\d_]+|\d+|[^\s\w]"),
        clitic_re=regex.compile(rf"^{cas.clitics}" if cas.clitics else r"(?!)"),
        article=norm(cas.article) if cas.article else "",
        joiner=norm(cas.combined_joiner),
        partitive=norm(cas.partitive),
        carrier_clitic=norm(cas.carrier_clitic) if cas.carrier_clitic else "",
        carried_by=regex.compile(
            rf"{regex.escape(norm(cas.carrier_clitic))}"
            rf"(?:{_alt(norm(f) for f in cas.carrier_nouns)})\s*$"
            if cas.carrier_clitic
            else r"(?!)"
        ),
        gap=regex.compile(rf"[\s,]*(?:{joiner}\s+)?"),
        definite_before=regex.compile(rf"\s+{art}[^\W\d_]+\s*$"),
        named=regex.compile(rf"{b}{cl}({_alt(named_entry)}){e}"),
        named_entry=named_entry,
        joined_head=regex.compile(
            rf"\s+{regex.escape(norm(cas.combined_joiner))}\s*({_alt(head_entry)}){e}"
        ),
        source_of=regex.compile(
            rf"\s+{regex.escape(norm(cas.partitive))}\s+"
            rf"(?:(?:{_alt(norm(f) for f in cas.carrier_nouns)})\s+)?\"?\s*"
            rf"({_alt(named_entry)}){e}"
        ),
        heads=regex.compile(rf"{b}{cl}({_alt(head_entry)}){e}"),
        head_entry=head_entry,
        modifier_of=modifier_of,
        modifiers=regex.compile(rf"\s+({joiner})?({mod_alt}){e}"),
        modifiers_before=regex.compile(rf"((?:{b}(?:{mod_alt})\s+)+)$")
        if src.modifiers_first
        else None,
        ministry=regex.compile(rf"\s+({_alt(ministry_of)}){e}"),
        ministry_of=ministry_of,
        nationality_of=nationality_of,
        countries=frozenset(country_forms),
        firsts=firsts,
        first_index=first_index,
        nationality_any=regex.compile(rf"{b}{cl}({_alt(nationality_of)}){e}"),
        frames_before=regex.compile(
            rf"{b}{conj}(?:{_alt(norm(f) for f in src.frames_before)})"
            # «ووفقا لإحصاء رويترز»: the frame's lam may carry the next word
            rf"[^\W\d_]*(?:\s+[^\W\d_]+){{0,2}}\s*\"?\s*$"
        ),
        # «لكن المتحدث باسم حاكم الولاية أحمد علي قال إن …»: the source first, its verb later
        speaker_first=regex.compile(
            rf"(?:\s+[^\W\d_]+){{0,6}}?\s+{conj}(?:{_alt(norm(f) for f in src.speech_verbs)})"
            rf"\s+(?:{_alt(norm(f) for f in src.speech_that)}){e}"
        )
        if src.speech_verbs and src.speech_that
        else _NEVER,
        list_nouns=frozenset(norm(f) for f in src.list_nouns),
        share_frames=share_frames,
        share_of=share_of,
        prepositions=cas.preposition_clitics,
        verb_firsts=_firsts(after_verb_q),
        lam_frames=regex.compile(
            rf"{b}{conj}(?:{_alt(norm(f) for f in src.lam_frames)})\s*$"
            if src.lam_frames
            else r"(?!)"
        ),
        frames_after=regex.compile(
            rf"\s*\"?(?:\s*,)?(?:\s+[^\W\d_]+){{0,3}}?\s+{conj}"
            rf"(?:{_alt(norm(f) for f in src.frames_after)}){e}"
        ),
        # no «و» here: «… وأعلنت مصادر» opens a new statement rather than sourcing the one before
        frames_post=regex.compile(rf"{b}(?:{_alt(norm(f) for f in src.frames_post)})"),
        continuation=regex.compile(rf"^\W*(?:{_alt(norm(f) for f in src.continuation)}){e}"),
        ministry_pattern=src.ministry_pattern,
        spokesman_pattern=src.spokesman_pattern,
        joiner_en=src.joiner_en,
        speaker=regex.compile(
            rf"{b}{conj}(?:{_alt(norm(f) for f in src.speech_verbs)})\s+"
            rf"(?P<np>[^\W\d_]+(?:\s+[^\W\d_]+){{0,{src.speaker_words - 1}}}?)"
            # «… في بيان: إن»: what carried the words may stand before «إن»
            rf"(?:\s+في\s+(?:بيان|تصريح|تصريحات|تغريده)[^\W\d_]*)?"
            # «إن» stands as a word: «أفغانستان» does not end in one
            rf"(?:\s*:\s*|\s+)(?:{_alt(norm(f) for f in src.speech_that)}){e}"
        )
        if src.speech_verbs and src.speech_that
        else None,
        speaker_stops=frozenset(norm(w) for w in src.speaker_stops),
    )


def load_claim_lexicon(resources: Resources, lang: str) -> ClaimLexicon:
    return resources.derived(
        f"claims:{lang}",
        lambda: build_claim_lexicon(
            resources.model(CasualtyData, lang, "casualties.yaml"),
            resources.model(SourcesData, lang, "sources.yaml"),
            load_charmap(resources),
        ),
    )


@dataclass(slots=True)
class Source:
    start: int  # normalized
    end: int
    name: str
    type: str
    head: str
    sentence: int


@dataclass(slots=True)
class Claim:
    start: int  # normalized
    end: int
    quantity: str
    low: float | None
    best: float | None
    high: float | None
    qualifier: str
    number_span: tuple[int, int] | None
    by: str
    sentence: int
    victims: tuple[int, int] | None = None
    parts: list[float] | None = None
    parts_check: str | None = None
    extra: dict[str, JSONValue] = field(default_factory=dict)
    source: Source | None = None


@dataclass(slots=True)
class Count:
    start: int
    end: int
    value: JSONObject
    used: bool = False


class _Claims:
    def __init__(self, doc: Document, lex: ClaimLexicon):
        assert doc.normalized is not None
        self.doc = doc
        self.lex = lex
        self.view = doc.normalized
        self.norm = doc.normalized.text
        offsets = doc.normalized.offsets
        self.sent_starts = [to_normalized(offsets, s.start) for s in doc.sentences] or [0]
        self.sent_ends = [to_normalized(offsets, s.end) for s in doc.sentences] or [len(self.norm)]
        self.counts: list[Count] = []
        for m in doc.mentions:
            if m.kind != "number" or not isinstance(m.value, dict):
                continue
            self.counts.append(
                Count(to_normalized(offsets, m.start), to_normalized(offsets, m.end), m.value)
            )
        self.counts.sort(key=lambda c: c.start)
        # a relative ordinal («الهجوم الأخير») is no count: a victim phrase runs through it
        self.count_starts = {c.start for c in self.counts if c.value.get("relative_to") is None}
        self.starts: dict[str, list[int]] = {}
        first_index, endings = lex.first_index, lex.first_endings
        for word_match in _WORD.finditer(self.norm):
            word = word_match.group()
            if word[-2:] not in endings and word[-1:] not in endings:
                continue  # no pattern's first word ends like this one (most words)
            names = (
                first_index.get(word)
                or first_index.get(word[1:])
                or first_index.get(word[2:])
                or first_index.get(word[3:])
            )
            if names:
                for name in names:
                    self.starts.setdefault(name, []).append(word_match.start())
        self.claims: list[Claim] = []
        self.pending: list[Claim] = []
        self.sources: list[Source] = []
        self.flags: list[Flag] = []

    def scan(self, pattern: regex.Pattern[str], firsts: str) -> Iterator[regex.Match[str]]:
        """Matches of ``pattern`` starting at words that can begin one (see ClaimLexicon)."""
        last_end = -1
        for start in self.starts.get(firsts, ()):
            if start < last_end:
                continue
            m = pattern.match(self.norm, start)
            if m is not None:
                last_end = m.end()
                yield m

    def sentence_of(self, index: int) -> int:
        return max(bisect_right(self.sent_starts, index) - 1, 0)

    def sentence_bounds(self, index: int) -> tuple[int, int]:
        k = self.sentence_of(index)
        return self.sent_starts[k], self.sent_ends[k] if k < len(self.sent_ends) else len(self.norm)

    # --- claims ------------------------------------------------------------------------------
    def run(self) -> None:
        for count in self.counts:
            if count.used:
                continue
            value = count.value
            if value.get("type") not in COUNTABLE_TYPES:
                continue
            claim = self.attach(count)
            if claim is not None:
                self.claims.append(claim)
                self.claims.extend(self.pending)
                self.pending.clear()
        self.implicit_counts()
        self.claims.sort(key=lambda c: c.start)
        self.derive()
        self.shares()
        self.revise()

    def attach(self, count: Count) -> Claim | None:
        lex, norm = self.lex, self.norm
        s_start, s_end = self.sentence_bounds(count.start)
        value = count.value
        quantity: str | None = None
        start, end, by = count.start, count.end, "claims.trigger_before"
        combined = False
        noun = lex.after_noun.match(norm, count.end) or lex.partitive_noun.match(norm, count.end)
        trigger = lex.before.search(norm, max(s_start, count.start - 60), count.start)
        if trigger is None and lex.article and norm.startswith(lex.article, count.start):
            # «مقتل الأشخاص الأربعة»: the definite noun stands between trigger and number
            noun_before = lex.definite_before.search(
                norm[max(s_start, count.start - 30) : count.start]
            )
            if noun_before is not None:
                at = count.start - len(noun_before.group())
                trigger = lex.before.search(norm, max(s_start, at - 60), at)
        if (
            noun is None
            and trigger is None
            and lex.article
            and norm.startswith(lex.article, count.start)
        ):
            # «المصابين الثلاثة»: a definite casualty noun before a definite number
            noun = lex.noun_before.search(norm, max(s_start, count.start - 30), count.start)
            if noun is not None:
                start = noun.start(1)
        trigger_word = _space(trigger.group(2)) if trigger is not None else ""
        if (
            noun is not None
            and trigger is not None
            and lex.after_noun_quantity[_space(noun.group(1))] not in {"fatalities", "injured"}
            and lex.before_quantity[trigger_word] not in {"participants", "survivors"}
        ):
            noun = None  # «لقي 3 لاجئين مصرعهم»: refugees killed, the trigger decides
        if noun is not None:
            quantity = lex.after_noun_quantity[_space(noun.group(1))]
            end, by = max(noun.end(1), count.end), "claims.counting_noun"
            second = lex.joined_noun.match(norm, noun.end(1))
            # a vague word distributes over both nouns («عدد من القتلى والجرحى»: some of each)
            if second is not None and value.get("qualifier") != "vague":
                other = lex.after_noun_quantity[_space(second.group(1))]
                if {quantity, other} == {"fatalities", "injured"}:
                    # «أكثر من 50 قتيلا وجريحا»: one total for both kinds
                    quantity, combined, end = "casualties", True, second.end(1)
            if trigger is not None:
                start = trigger.start(2) if trigger.group(1) is None else trigger.start(1)
                q2 = lex.before_quantity[trigger_word]
                if q2 in {"participants", "survivors"}:
                    start = count.start
        if quantity is None and trigger is not None:
            if trigger_word in lex.need_noun:
                trigger = None
            elif trigger_word in lex.need_after:
                closing = lex.need_after_words.search(norm, count.end, min(s_end, count.end + 60))
                if closing is None:
                    trigger = None
                else:
                    end = closing.end(1)
            elif trigger_word in lex.context_required and not lex.violence.search(
                norm, s_start, s_end
            ):
                trigger = None
            if trigger is not None:
                quantity = lex.before_quantity[trigger_word]
                start = trigger.start(2)
                previous_end = self.claims[-1].end if self.claims else -1
                if trigger.group(1) is not None and trigger.start(1) >= previous_end:
                    first = lex.before_quantity[_space(trigger.group(1))]
                    if first != quantity:
                        quantity, combined = "casualties", True
                        start = trigger.start(1)
        if quantity is None:
            verb = self.closing_verb(count.end, s_end)
            if verb is not None:
                quantity, end = verb
                by = "claims.verb_after"
        if quantity is None:
            far = self.far_verb(count.start)
            if far is not None:
                quantity, start = far
                by = "claims.verb_before"
        victims = self.victims(
            max(count.end, noun.end(1)) if noun is not None else count.end, s_end
        )
        if quantity is None:
            head = self.first_word(count.end, s_end)
            if head is not None and head[2] in lex.force_nouns:
                quantity, by = "participants", "claims.force_noun"
            else:
                return None
        if victims is not None and noun is None:
            first = norm[victims[0] : victims[1]].split()[0] if victims[1] > victims[0] else ""
            if lex.clitic_re.sub("", first) in lex.not_people or first in lex.not_people:
                return None
        if value.get("qualifier") == "vague":
            low, best, high = value.get("low"), value.get("value"), None
        else:
            low, best, high = value.get("low"), value.get("value"), value.get("high")
        if victims is not None and victims[0] - max(end, count.end) <= 1:
            end = max(end, victims[1])
        claim = Claim(
            start=min(start, count.start),
            end=max(end, count.end),
            quantity=quantity,
            low=_num(low),
            best=_num(best),
            high=_num(high),
            qualifier=str(value.get("qualifier", "exact")),
            number_span=(count.start, count.end),
            by=by,
            sentence=self.sentence_of(count.start),
            victims=victims,
        )
        if combined:
            claim.extra["combined"] = ["fatalities", "injured"]
        if value.get("vague"):
            claim.extra["vague"] = value["vague"]
        count.used = True
        self.coordinated(claim, s_end)
        self.breakdown(claim, max(victims[1] if victims else 0, claim.end), s_end)
        return claim

    def sibling(self, claim: Claim, count: Count, victims: tuple[int, int]) -> Claim:
        count.used = True
        value = count.value
        return Claim(
            start=count.start,
            end=victims[1],
            quantity=claim.quantity,
            low=_num(value.get("low")),
            best=_num(value.get("value")),
            high=_num(value.get("high")),
            qualifier=str(value.get("qualifier", "exact")),
            number_span=(count.start, count.end),
            by="claims.coordinated",
            sentence=claim.sentence,
            victims=victims,
        )

    def combatants(self, victims: tuple[int, int] | None) -> bool:
        """Victims named as fighters or as part of a force («من القوات»)."""
        if victims is None:
            return False
        words = self.norm[victims[0] : victims[1]].split()
        if not words:
            return False
        first = self.lex.clitic_re.sub("", words[0]) if len(words[0]) > 3 else words[0]
        return (
            words[0] in self.lex.force_nouns
            or first in self.lex.force_nouns
            or words[0] == self.lex.partitive
        )

    def coordinated(self, claim: Claim, s_end: int) -> None:
        """«ستة أطفال وثلاثة بالغين»: counts joined by «و» with no trigger of their own add up."""
        lex, norm = self.lex, self.norm
        if claim.best is None or claim.qualifier not in {"exact", "approx", "at_least"}:
            return
        position = claim.victims[1] if claim.victims else claim.end
        parts = [claim.best]
        while True:
            gap = norm[position : position + 3]
            following = next(
                (
                    c
                    for c in self.counts
                    if not c.used
                    and position < c.start <= position + 3
                    and c.value.get("type") == "cardinal"
                    and c.value.get("qualifier") == "exact"
                ),
                None,
            )
            if following is None or lex.joiner not in gap:
                break
            if lex.after_noun.match(norm, following.end) or lex.partitive_noun.match(
                norm, following.end
            ):
                break  # «27 قتيلا و100 جريح»: a count of its own kind
            victims = self.victims(following.end, s_end, stop_at_and=True)
            if victims is None:
                break
            if self.combatants(victims) or self.combatants(claim.victims):
                # «قتل 47 متمردا و5 من القوات»: fighters of two sides are two counts, one trigger
                self.pending.append(self.sibling(claim, following, victims))
                break
            value = _num(following.value.get("value"))
            if value is None:
                break
            following.used = True
            parts.append(value)
            position = victims[1]
        if len(parts) > 1:
            total = sum(parts)
            claim.best = total
            claim.low = total
            if claim.high is not None:
                claim.high = total
            claim.parts = parts
            claim.parts_check = "sum"
            claim.end = max(claim.end, position)

    def far_verb(self, before: int) -> tuple[str, int] | None:
        """«أعدم أفراد الحركة بشكل عشوائي المئات»: a verb opening the clause, its object later."""
        lex, norm = self.lex, self.norm
        c_start = max(self.sentence_bounds(before)[0], norm.rfind(",", 0, before) + 1)
        best: regex.Match[str] | None = None
        for m in lex.far_verbs.finditer(norm, max(c_start, before - 70), before):
            best = m
        if best is None:
            return None
        between = norm[best.end() : before]
        if any(ch.isdecimal() for ch in between) or len(between.split()) > 7:
            return None
        if any(c.start < before and c.end > best.end() for c in self.counts):
            return None
        return lex.far_verb_quantity[_space(best.group(1))], best.start(1)

    def closing_verb(self, after: int, s_end: int) -> tuple[str, int] | None:
        """«5 أشخاص لقوا حتفهم»: a verb within a few words after the counted noun phrase."""
        words = 0
        for m in self.lex.words.finditer(self.norm, after, s_end):
            token = m.group()
            if token.isdecimal():
                return None
            if token.isalpha():
                words += 1
                if words > 10:
                    return None
                verb = (
                    self.lex.after_verb.match(self.norm, m.start())
                    if token in self.lex.verb_firsts or token[1:] in self.lex.verb_firsts
                    else None
                )
                if verb is not None:
                    return self.lex.after_verb_quantity[_space(verb.group(1))], verb.end(1)
                bare = self.lex.clitic_re.sub("", token) if len(token) > 3 else token
                if words > 1 and (
                    token in self.lex.before_quantity or bare in self.lex.before_quantity
                ):
                    return None  # another trigger starts another claim
        return None

    def first_word(self, after: int, s_end: int) -> tuple[int, int, str] | None:
        m = _NEXT_WORD.match(self.norm, after, s_end)
        if m is None:
            return None
        word = m.group(1)
        stem = self.lex.clitic_re.sub("", word) if len(word) > 3 else word
        article = self.lex.article
        if article and stem.startswith(article) and stem[len(article) :] in self.lex.force_nouns:
            stem = stem[len(article) :]
        return m.start(1), m.end(1), word if word in self.lex.force_nouns else stem

    def victims(
        self, after: int, s_end: int, *, stop_at_and: bool = False
    ) -> tuple[int, int] | None:
        """The noun phrase after a count, up to a preposition, trigger or punctuation."""
        lex, norm = self.lex, self.norm
        start = end = -1
        words = 0
        for m in lex.words.finditer(norm, after, min(s_end, after + 80)):
            token = m.group()
            if not token.isalpha():
                if token == '"' and words == 0:
                    continue
                break
            if words == 0 and m.start() - after > 2:
                break
            bare = lex.clitic_re.sub("", token) if len(token) > 3 else token
            if bare != token and token[0] in lex.prepositions and bare in lex.not_people:
                break  # «8 آلاف قتيل بأسبوع»: a time or a place after the count, not its victims
            if (
                token in lex.victim_stops
                or bare in lex.before_quantity
                or token in lex.before_quantity
                or (
                    (token in lex.verb_firsts or token[1:] in lex.verb_firsts)
                    and lex.after_verb.match(norm, m.start())
                )
                or lex.breakdown.match(norm, m.start() - 1)
                or (words > 0 and token.startswith(lex.joiner) and bare in lex.before_quantity)
            ):
                break
            if words > 0 and stop_at_and and token.startswith(lex.joiner):
                break
            if m.start() in self.count_starts or m.start() + 1 in self.count_starts:
                break  # another count: «ستة أطفال وثلاثة بالغين»
            if start < 0:
                start = m.start()
            end = m.end()
            words += 1
            if words >= 4 or (
                words >= 2
                and token != lex.partitive
                and not norm.startswith(" " + lex.partitive + " ", end)
                and not norm[max(0, m.start() - 4) : m.start()].endswith(lex.partitive + " ")
            ):
                break
        if start < 0:
            return None
        return start, end

    def breakdown(self, claim: Claim, after: int, s_end: int) -> None:
        """«11 شخصا كان من بينهم 10 دبلوماسيين ومراسل صحافي» → parts [10, 1], checked."""
        lex, norm = self.lex, self.norm
        cue = lex.breakdown.match(norm, after, s_end)
        if cue is None:
            return
        position = cue.end()
        parts: list[float] = []
        spans: list[tuple[int, int]] = []
        groups: list[tuple[int, int] | None] = []  # each part's victim group
        while position < s_end:
            gap = lex.gap.match(norm, position, s_end)
            position = gap.end() if gap else position
            count = next(
                (c for c in self.counts if position <= c.start <= position + 1 and not c.used),
                None,
            )
            if count is not None and count.value.get("type") == "cardinal":
                value = _num(count.value.get("value"))
                if value is None:
                    break
                count.used = True
                parts.append(value)
                spans.append((count.start, count.end))
                victims = self.victims(count.end, s_end, stop_at_and=True)
                groups.append(victims)
                position = victims[1] if victims else count.end
                continue
            word = lex.person.match(norm, position)
            if word is not None:
                parts.append(1)
                spans.append((word.start(1), word.end(1)))
                position = word.end()
                adjective = _ADJECTIVE.match(norm, position, s_end)
                if (
                    adjective is not None
                    and not adjective.group(1).startswith(lex.joiner)
                    and (adjective.group(1) not in lex.victim_stops)
                ):
                    position = adjective.end()
                groups.append((word.start(1), position))  # «ومراسل صحافي»: one reporter
                continue
            break
        if not parts:
            return
        claim.parts = parts
        claim.extra["parts_spans"] = [list(self.view.to_original(s, e)) for s, e in spans]
        claim.extra["breakdown"] = [
            self.part(value, span, group)
            for value, span, group in zip(parts, spans, groups, strict=True)
        ]
        total = claim.best
        if total is None:
            return
        share = sum(parts)
        if share == total:
            claim.parts_check = "adds_up"
        elif share < total:
            claim.parts_check = "partial"
        else:
            claim.parts_check = "exceeds"
        unread = any(
            position <= c.start < s_end and c.value.get("type") == "cardinal" for c in self.counts
        )
        if claim.parts_check == "partial" and cue.group("all") and not unread:
            # «11 شخصا هم 10 دبلوماسيين ومراسل»: parts that say "they are" must make the total
            # (unless the list goes on in a shape not read here: more counts later on)
            claim.parts_check = "short"
        if claim.parts_check in {"exceeds", "short"}:
            verb = "exceed" if claim.parts_check == "exceeds" else "fall short of"
            self.flags.append(
                Flag(
                    "breakdown_mismatch",
                    f"the parts {' + '.join(_fmt(p) for p in parts)} = {_fmt(share)} {verb} the "
                    f"stated total {_fmt(total)}",
                    tuple(
                        self.view.to_original(s, e) for s, e in [(claim.start, claim.end), *spans]
                    ),
                    "claims.breakdown",
                )
            )

    def part(
        self, value: float, span: tuple[int, int], group: tuple[int, int] | None
    ) -> JSONObject:
        """One part of a breakdown as coders read it: how many, of whom, and where it stands."""
        text, view = self.doc.text, self.view
        start, end = original_span(text, view, *span)
        out: JSONObject = {
            "value": value,
            "span": [start, end],
            "victims": None,
            "victims_span": None,
        }
        if group is not None:
            g_start, g_end = original_span(text, view, *group)
            out["victims"], out["victims_span"] = text[g_start:g_end], [g_start, g_end]
        return out

    def implicit_counts(self) -> None:
        """«مقتل شخص», «استشهاد نقيب ومجند», «قتيلان»: counts written without a number."""
        lex, norm = self.lex, self.norm
        taken = [(c.start, c.end) for c in self.claims]
        for m in self.scan(lex.implicit, "before"):
            start, end = m.start(1), m.end()
            if any(s < end and start < e for s, e in taken):
                continue
            if any(
                start <= c.start <= end + 2 and c.value.get("type") == "cardinal"
                for c in self.counts
            ):
                continue
            trigger = _space(m.group(1))
            if trigger in lex.need_noun or trigger in lex.need_after:
                if trigger in lex.need_after:
                    closing = lex.need_after_words.search(
                        norm, m.end(2), min(len(norm), m.end(2) + 40)
                    )
                    if closing is None:
                        continue
                    end = closing.end(1)
                else:
                    continue
            quantity = lex.before_quantity[trigger]
            if quantity in {"participants", "survivors"}:
                continue
            if trigger in lex.context_required:
                s_start, s_end = self.sentence_bounds(start)
                if not lex.violence.search(norm, s_start, s_end):
                    continue
            value = 1 + len((m.group(3) or "").split()) if m.group(3) else 1
            claim = Claim(
                start,
                end,
                quantity,
                value,
                value,
                value,
                "exact",
                None,
                "claims.implicit_count",
                self.sentence_of(start),
                victims=(m.start(2), m.end()),
            )
            self.claims.append(claim)
            taken.append((start, end))
        for m in self.scan(lex.implicit_dual, "before"):
            start, end = m.start(1), m.end(2)
            quantity = lex.before_quantity[_space(m.group(1))]
            if any(s < end and start < e for s, e in taken) or quantity in {
                "participants",
                "survivors",
            }:
                continue
            claim = Claim(
                start,
                end,
                quantity,
                2,
                2,
                2,
                "exact",
                None,
                "claims.implicit_dual",
                self.sentence_of(start),
                victims=(m.start(2), m.end(2)),
            )
            self.claims.append(claim)
            taken.append((start, end))
        for m in self.scan(lex.duals, "duals"):
            start, end = m.start(1), m.end(1)
            if any(s < end and start < e for s, e in taken):
                continue
            quantity = lex.dual_quantity[m.group(1)]
            claim = Claim(
                start, end, quantity, 2, 2, 2, "exact", None, "claims.dual", self.sentence_of(start)
            )
            self.claims.append(claim)
            taken.append((start, end))

    def derive(self) -> None:
        """A counted force minus its survivors, where the text says the rest were killed."""
        lex, norm = self.lex, self.norm
        for m in self.scan(lex.rest, "rest"):
            s_start, s_end = self.sentence_bounds(m.start())
            closing = lex.after_verb.search(norm, m.end(), min(s_end, m.end() + 50))
            killed = (
                closing is not None
                and lex.after_verb_quantity[_space(closing.group(1))] == "fatalities"
            )
            if not killed:
                continue
            sentence = self.sentence_of(m.start())
            survivors = [
                c
                for c in self.claims
                if c.quantity == "survivors"
                and sentence - 1 <= c.sentence <= sentence
                and c.start < m.start()
            ]
            forces = [
                c
                for c in self.claims
                if c.quantity == "participants"
                and sentence - 2 <= c.sentence <= sentence
                and c.start < m.start()
            ]
            if not survivors or not forces:
                continue
            survivor, force = survivors[-1], forces[-1]
            if force.best is None or survivor.best is None or survivor.best >= force.best:
                continue
            value = force.best - survivor.best
            assert closing is not None
            trigger = lex.before.search(norm, max(s_start, m.start() - 20), m.start())
            start = trigger.start(2) if trigger is not None else m.start()
            claim = Claim(
                start,
                closing.end(1),
                "fatalities",
                value,
                value,
                value,
                "derived",
                None,
                "claims.derived",
                sentence,
            )
            claim.extra["derivation"] = (
                f"{_fmt(force.best)} ({force.quantity}) - {_fmt(survivor.best)} (survivors) = "
                f"{_fmt(value)}"
                + (" (approximate)" if "approx" in {force.qualifier, survivor.qualifier} else "")
            )
            claim.extra["derived_from"] = [
                list(self.view.to_original(force.start, force.end)),
                list(self.view.to_original(survivor.start, survivor.end)),
            ]
            if "approx" in {force.qualifier, survivor.qualifier}:
                claim.extra["approx"] = True
            claim.victims = force.victims
            self.claims.append(claim)
        self.claims.sort(key=lambda c: c.start)

    def shares(self) -> None:
        """«اعتقال العديد من المعارضين … فارق أغلبهم الحياة»: a share of a group counted before.

        The group is the nearest claim before the share in its sentence or the one before, or
        else the nearest count before it in its sentence. All of a group is its figure; most of
        it is more than half (a range up to the whole); some of it is a vague few. A group
        counted vaguely («العديد») leaves the share vague at the vague word's low figure.
        """
        lex = self.lex
        found: list[Claim] = []
        for quantity, pattern in lex.share_frames.items():
            for m in self.scan(pattern, "shares"):
                start, end = m.start(), m.end()
                if any(c.start < end and start < c.end for c in [*self.claims, *found]):
                    continue
                sentence = self.sentence_of(start)
                group = self.share_group(start, sentence)
                if group is None:
                    continue
                size, span, group_quantity, victims = group
                share = lex.share_of[_space(m.group("share"))]
                claim = self.share_claim(quantity, share, size, start, end, sentence)
                claim.victims = victims
                claim.extra["share"] = share
                claim.extra["derived_from"] = [list(self.view.to_original(*span))]
                claim.extra["derivation"] = f"{share} of {_describe(size)} ({group_quantity})"
                found.append(claim)
        if found:
            self.claims.extend(found)
            self.claims.sort(key=lambda c: c.start)

    def share_group(
        self, before: int, sentence: int
    ) -> tuple[JSONObject, tuple[int, int], str, tuple[int, int] | None] | None:
        """The counted group a share word points back to: its figure, span, kind and victims."""
        earlier = [
            c
            for c in self.claims
            if c.end <= before
            and sentence - 1 <= c.sentence <= sentence
            and c.by not in {"claims.share_of", "claims.derived"}
            and c.best is not None
        ]
        if earlier:
            c = earlier[-1]
            size: JSONObject = {
                "low": c.low,
                "best": c.best,
                "high": c.high,
                "qualifier": c.qualifier,
                "vague": c.extra.get("vague"),
            }
            return size, (c.start, c.end), c.quantity, c.victims
        s_start = self.sent_starts[sentence]
        counts = [
            c
            for c in self.counts
            if s_start <= c.start and c.end <= before and c.value.get("type") == "cardinal"
        ]
        if not counts:
            return None
        count = counts[-1]
        value = count.value
        size = {
            "low": value.get("low"),
            "best": value.get("value"),
            "high": value.get("high"),
            "qualifier": value.get("qualifier"),
            "vague": value.get("vague"),
        }
        return size, (count.start, count.end), "people", self.victims(count.end, before)

    def share_claim(
        self, quantity: str, share: str, size: JSONObject, start: int, end: int, sentence: int
    ) -> Claim:
        low, best, high = _num(size.get("low")), _num(size.get("best")), _num(size.get("high"))
        qualifier = str(size.get("qualifier") or "exact")
        vague = size.get("vague")
        if share == "most" and qualifier != "vague" and best is not None:
            # more than half of the group, and at most all of it
            low, high, qualifier = float(int(best) // 2 + 1), best, "range"
            best = low
        elif share == "some":
            cap = best if best is not None else low
            low = best = min(3.0, cap) if cap is not None else 3.0
            high = cap if qualifier != "vague" else None
            qualifier, vague = "vague", "some"
        claim = Claim(
            start,
            end,
            quantity,
            _int(low),
            _int(best),
            _int(high),
            qualifier,
            None,
            "claims.share_of",
            sentence,
        )
        if vague:
            claim.extra["vague"] = vague
        return claim

    def revise(self) -> None:
        """«ارتفع عدد القتلى إلى 600»: the later toll supersedes earlier ones of that kind."""
        lex, norm = self.lex, self.norm
        for claim in self.claims:
            window = norm[max(0, claim.start - 40) : claim.start + 1]
            if claim.number_span is None or not lex.revised.search(window):
                continue
            claim.extra["revised"] = True
            for earlier in self.claims:
                if (
                    earlier is claim
                    or earlier.start >= claim.start
                    or earlier.quantity != claim.quantity
                ):
                    continue
                if earlier.best != claim.best:
                    earlier.extra["superseded"] = True

    # --- sources -----------------------------------------------------------------------------
    def find_sources(self) -> None:
        lex, norm = self.lex, self.norm
        taken: list[tuple[int, int]] = []
        for m in self.scan(lex.named, "named"):
            named = lex.named_entry[_space(m.group(1))]
            start, end = m.start(1), m.end(1)
            prefix = norm[m.start() : start]
            # «وفقا لرويترز»: the lam belongs to the frame, and the agency is the source
            by_frame = lex.lam_frames.search(norm, max(0, m.start() - 16), start) is not None
            if (
                named.type in {"agency", "media"}
                and not by_frame
                and (
                    (lex.carrier_clitic and prefix.endswith(lex.carrier_clitic))
                    or lex.carried_by.search(norm, max(0, start - 12), start) is not None
                )
            ):
                continue  # «قال … لوكالة فرانس برس»: the agency carried the words
            if not self.framed(start, end, wide=True):
                continue
            self.sources.append(
                Source(start, end, named.name, named.type, "named", self.sentence_of(start))
            )
            taken.append((start, end))
        fallback = self.document_nationality()
        for m in self.scan(lex.heads, "heads"):
            start, end = m.start(1), m.end(1)
            if any(s <= start < e for s, e in taken):
                continue
            head = _space(m.group(1))
            entry = lex.head_entry[head]
            # a conjoined group («مسؤولون وشهود») gets no guessed nationality: it may not share one
            alone = lex.joined_head.match(norm, end) is None
            name, end = self.pattern_name(entry, start, end, fallback if alone else None)
            if name is None:
                continue
            joined = lex.joined_head.match(norm, end)
            if joined is not None and not entry.ministry:
                # «مسؤولون وشهود عيان» -> "officials and eyewitnesses"
                other = lex.head_entry[_space(joined.group(1))]
                other_name, other_end = self.pattern_name(
                    other, joined.start(1), joined.end(1), None
                )
                if other_name is not None and not other.anaphor:
                    name, end = f"{name}{lex.joiner_en}{other_name}", other_end
            carrier = lex.source_of.match(norm, end)
            if carrier is not None and not entry.ministry:
                # «شاهد من وكالة رويترز» -> "Reuters witness"
                named_of = lex.named_entry[_space(carrier.group(1))]
                name, end = f"{named_of.name} {name}", carrier.end(1)
                taken.append((carrier.start(1), carrier.end(1)))
                self.sources = [
                    s
                    for s in self.sources
                    if not (s.start < carrier.end(1) and carrier.start(1) < s.end)
                ]
            if not self.framed(start, end, wide=False):
                continue
            if entry.anaphor:
                resolved = self.resolve(entry, start)
                if resolved is not None:
                    name = resolved.name
            self.sources.append(
                Source(start, end, name, entry.type, entry.en, self.sentence_of(start))
            )
            taken.append((start, end))
        self.speakers(taken)
        self.sources.sort(key=lambda s: s.start)

    def speakers(self, taken: list[tuple[int, int]]) -> None:
        """«قالت وكالة … إن»: the words between a speech verb and «إن» name who speaks."""
        pattern = self.lex.speaker
        if pattern is None:
            return
        for m in self.scan(pattern, "speech"):
            words = list(_WORD.finditer(m.group("np")))
            kept = []
            for word in words:
                if word.group() in self.lex.speaker_stops:
                    break  # «قالت الوزارة اليوم الاثنين إن»: time words end the speaker
                kept.append(word)
            if not kept:
                continue
            start = m.start("np") + kept[0].start()
            end = m.start("np") + kept[-1].end()
            if any(s < end and start < e for s, e in taken):
                continue
            o_start, o_end = self.view.to_original(start, end)
            self.sources.append(
                Source(
                    start,
                    end,
                    self.doc.text[o_start:o_end],
                    "speaker",
                    "speaker",
                    self.sentence_of(start),
                )
            )
            taken.append((start, end))

    def framed(self, start: int, end: int, *, wide: bool) -> bool:
        lex, norm = self.lex, self.norm
        s_start, s_end = self.sentence_bounds(start)
        if lex.frames_before.search(norm, max(s_start, start - (60 if wide else 40)), start):
            return True
        if lex.frames_after.match(norm, end, min(s_end, end + 40)):
            return True
        if lex.speaker_first.match(norm, end, min(s_end, end + 80)):
            return True
        return wide and bool(lex.frames_before.search(norm, s_start, start))

    def pattern_name(
        self, entry: HeadEntry, start: int, end: int, fallback: str | None
    ) -> tuple[str | None, int]:
        lex, norm = self.lex, self.norm
        before: list[str] = []
        if lex.modifiers_before is not None:
            m_before = lex.modifiers_before.search(norm, max(0, start - 60), start)
            if m_before is not None:
                before = m_before.group(1).split()
        nationality: str | None = None
        if entry.ministry_of is not None:
            nationality = next(
                (lex.nationality_of[w] for w in before if w in lex.nationality_of), None
            )
            nationality = nationality or fallback
            return lex.ministry_pattern.format(
                nationality=nationality or "", what=entry.ministry_of
            ).strip(), end
        if entry.ministry:
            m = lex.ministry.match(norm, end)
            if m is None:
                return None, end
            what = lex.ministry_of[_space(m.group(1))]
            end = m.end(1)
            nat = lex.modifiers.match(norm, end)
            if nat is not None and _space(nat.group(2)) in lex.nationality_of:
                nationality = lex.nationality_of[_space(nat.group(2))]
                end = nat.end(2)
            nationality = nationality or fallback
            name = lex.ministry_pattern.format(nationality=nationality or "", what=what).strip()
            return name, end
        if entry.of:
            # «المتحدث باسم وزارة الداخلية»: the spokesman of the source that follows
            inner_named = lex.named.match(norm, end + 1)
            if inner_named is not None:
                of = lex.named_entry[_space(inner_named.group(1))].name
                return lex.spokesman_pattern.format(of=of), inner_named.end(1)
            inner = lex.heads.match(norm, end + 1)
            if inner is not None:
                inner_entry = lex.head_entry[_space(inner.group(1))]
                inner_name, inner_end = self.pattern_name(
                    inner_entry, inner.start(1), inner.end(1), fallback
                )
                if inner_name is not None:
                    return lex.spokesman_pattern.format(of=inner_name), inner_end
            return entry.en, end
        mods: list[str] = []
        for word in before:
            if word in lex.modifier_of and lex.modifier_of[word] not in mods:
                mods.append(lex.modifier_of[word])
            elif word in lex.nationality_of and nationality is None:
                nationality = lex.nationality_of[word]
        position = end
        while True:
            m = lex.modifiers.match(norm, position)
            if m is None:
                break
            word = _space(m.group(2))
            if word in lex.modifier_of and lex.modifier_of[word] not in mods:
                mods.append(lex.modifier_of[word])
            elif word in lex.nationality_of and nationality is None:
                nationality = lex.nationality_of[word]
            position = m.end(2)
        if nationality is None and not mods and entry.national:
            nationality = fallback
        words = [
            w for w in (nationality, lex.joiner_en.join(mods) if mods else None, entry.en) if w
        ]
        return " ".join(words), position

    def document_nationality(self) -> str | None:
        """The nationality a report is mostly about, for «وزارة الداخلية» without one."""
        named = [(m.start(1), m.end(1)) for m in self.scan(self.lex.named, "named")]
        counts: Counter[str] = Counter()
        for m in self.scan(self.lex.nationality_any, "nationality"):
            if any(a <= m.start(1) < b for a, b in named):
                continue  # «وكالة الصحافة الفرنسية» is not about France
            form = _space(m.group(1))
            # a country's name says more about what a report is about than an adjective
            counts[self.lex.nationality_of[form]] += 2 if form in self.lex.countries else 1
        if not counts:
            return None
        (top, n), *rest = counts.most_common(2)
        if rest and rest[0][1] == n:
            return None
        return top

    def resolve(self, entry: HeadEntry, before: int) -> Source | None:
        for source in reversed(self.sources):
            if source.start >= before:
                continue
            if (
                source.head == entry.en
                or (entry.en == "agency" and source.type == "agency")
                or (entry.en == "Ministry" and "Ministry" in source.name)
            ):
                return source
        return None

    def list_goes_on(self, sentence: str) -> bool:
        """A sentence that opens with «و» and a casualty word, and no verb of its own."""
        words = sentence.split()
        if not words or not words[0].startswith("\u0648"):  # و
            return False
        return words[0][1:] in self.lex.list_nouns

    def attribute(self) -> None:
        lex, norm = self.lex, self.norm
        for claim in self.claims:
            k = claim.sentence
            same = [s for s in self.sources if s.sentence == k]
            # a full stop glued to the next word («الحادث.ويأتي») still ends what the source said
            before = [
                s
                for s in same
                if s.end <= claim.start and not _FULL_STOP.search(norm, s.end, claim.start)
            ]
            after = [s for s in same if s.start >= claim.end]
            after = [
                s
                for s in after
                if s.start - claim.end < 300
                and (
                    lex.frames_post.search(norm, claim.end, s.start)
                    # «…، Human Rights Watch said»: the source and its verb close the sentence
                    or ("," in norm[claim.end : s.start] and lex.frames_after.match(norm, s.end))
                )
            ]
            if before:
                claim.source = before[-1]
            elif after:
                claim.source = after[0]
            else:
                s_start = self.sent_starts[k]
                sentence = norm[
                    s_start : self.sent_ends[k] if k < len(self.sent_ends) else len(norm)
                ]
                # a sentence that continues the previous speaker («وأضاف أن …») keeps its source;
                # otherwise a figure with no source in its own sentence is the report's own voice
                previous = [s for s in self.sources if k - 2 <= s.sentence < k]
                if previous and lex.continuation.search(sentence):
                    claim.source = previous[-1]
                elif previous and previous[-1].sentence == k - 1 and self.list_goes_on(sentence):
                    # «… ليصبح إجمالي الوفيات 13. وإصابة تسعة آخرين»: a full stop inside a list
                    # of figures; the fragment goes on with what the source said
                    claim.source = previous[-1]

    # --- output ------------------------------------------------------------------------------
    def mentions(self) -> list[Mention]:
        out: list[Mention] = []
        for source in self.sources:
            start, end = original_span(self.doc.text, self.view, source.start, source.end)
            out.append(
                Mention(
                    "source",
                    start,
                    end,
                    {"name": source.name, "type": source.type},
                    f"claims.source_{'named' if source.head == 'named' else 'pattern'}",
                )
            )
        for claim in self.claims:
            start, end = original_span(self.doc.text, self.view, claim.start, claim.end)
            value: JSONObject = {
                "quantity": claim.quantity,
                "low": claim.low,
                "best": claim.best,
                "high": claim.high,
                "qualifier": claim.qualifier,
                "victims": None,
                "victims_span": None,
                "attributed_to": None,
                "attribution_span": None,
                "parts": list(claim.parts) if claim.parts is not None else None,
                "derivation": None,
                "number_span": None,
            }
            if claim.victims is not None:
                vs, ve = original_span(self.doc.text, self.view, *claim.victims)
                value["victims"] = self.doc.text[vs:ve]
                value["victims_span"] = [vs, ve]
            if claim.number_span is not None:
                value["number_span"] = list(self.view.to_original(*claim.number_span))
            if claim.source is not None:
                value["attributed_to"] = claim.source.name
                value["attribution_span"] = list(
                    self.view.to_original(claim.source.start, claim.source.end)
                )
            if claim.parts_check is not None:
                value["parts_check"] = claim.parts_check
            derivation = claim.extra.pop("derivation", None)
            if derivation is not None:
                value["derivation"] = derivation
            value.update(claim.extra)
            out.append(Mention("claim", start, end, value, claim.by))
        return out


def _num(value: JSONValue) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _int(value: float | None) -> float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _describe(size: JSONObject) -> str:
    """«many», «about 30», «30»: how the group a share comes from was counted."""
    if size.get("vague"):
        return str(size["vague"])
    best = _num(size.get("best"))
    text = _fmt(best) if best is not None else "?"
    return f"about {text}" if size.get("qualifier") == "approx" else text


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def find_claims(doc: Document, lex: ClaimLexicon) -> tuple[list[Mention], list[Flag]]:
    finder = _Claims(doc, lex)
    finder.run()
    finder.find_sources()
    finder.attribute()
    return finder.mentions(), finder.flags


@stage("claims", requires=("numbers",), provides=("claims",))
def make_claims(resources: Resources) -> StageFn:
    def run(doc: Document) -> Document:
        if doc.normalized is None:
            raise RasdError(f"document {doc.id}: claims needs the normalize stage first")
        lex = load_claim_lexicon(resources, doc.lang)
        mentions, flags = find_claims(doc, lex)
        doc.mentions.extend(mentions)
        doc.flags.extend(flags)
        return doc

    return run
