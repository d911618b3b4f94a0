"""Assembly: trigger, date, place, actor and claim mentions → ``EventRecord``s on the Document.

The rules, in the order they apply (docs/events.md says the same with examples):

1. **Triggers.** Trigger words (``data/<lang>/triggers.yaml``) become ``trigger`` mentions. A
   trigger in a background clause («تشكل منذ العام 1996») or a pluperfect sentence («وكان … قد») is
   dropped; so is one inside a non-event phrase («حكم بالإعدام»), one denied («لم يحدث», «نفت
   الشرطة وقوع»), and every trigger of a clause told as ongoing for long («وتتواصل الغارات منذ
   سنوات») or as a month or more ago («قبل عام»). A sentence dated over a month before publication
   retells context («وفي فبراير خطف …» in an August report): no event. A trigger a few words after
   a time word («الأسبوع الذي تلا سقوط …») refers to an event already told when the document has
   one of its type, or when its sentence tells a happening of its own in a standalone word («اعتقلت
   … بعد ساعات على تفجيرات»). A weapon seized («ضبطت عبوات») is a disrupted weapons use; what is
   feared or threatened («يخشون القتل») is no event. Lines of page furniture («رابط الخبر», «سمات»)
   are skipped.
2. **Event sentences.** A sentence states an event when it has a standalone trigger, or a weak one
   («مقتل», «هجوم») with a casualty claim, an actor or a second trigger. A sentence about an
   accident, a disaster, a court or a statistic with no strong trigger is not one. A headline
   line with weak words only («8 آلاف قتيل بأسبوع») announces the event told next.
3. **Context governs.** A date or place stated once governs the following sentences until another
   appears. A sentence's place is its most precise one in the report's home countries (named as a
   country, or holding two places), a named place before one located by a direction word; a
   nationality adjective («الإيرانية») or a word read as a group («يهود») is no place; a country
   after a town inside it keeps the town; a dateline's place («عين اليوم - بيروت») is the last
   resort. A date after «الصادر/نشر/تقرير» dates a document, one right after a speech verb
   («أعلن مسؤولون يوم أمس») the statement, and an event of its sentence that has no other date;
   a dateline's date governs nothing. An undated event: ``published - 2 days … published``,
   precision ``week``.
   A clause after «فيما/بينما» is read as a sentence of its own when it has a standalone trigger,
   or a trigger, a toll and a place of its own; after «حيث» only when it tells another kind of
   happening with its own toll. Such a clause is dated as its sentence (a speaker's day
   included) and, with no place of its own, happened at the place named last before it.
   A sentence whose standalone trigger happened at towns it lists («في كابل، وفي مزار شريف،
   فضلا عن هرات»: only list words between them) is one event per town, unless it gives one toll
   for them all (a tally); the figures stay with the first.
4. **One event, several sentences.** A sentence joins the event of its type unless they conflict:
   two towns more than 25 km apart (a province or country holding the other is no conflict), or
   dates that do not overlap (a date anchored on the event's own and starting right after it,
   «وخلال الأيام التالية», extends the event instead), or an opener of another incident («إضافة
   لذلك», «وفي حادث آخر», «أيضا،», «كما»). Another type joins only the event told last: in its
   paragraph with weak words, as reported speech («وقال …»), or sharing a stated death toll. A
   claim of responsibility («وأعلن داعش مسؤوليته») joins the event told last and names its author.
   Civilians made the target do not join a battle. Distinct events stay distinct.
5. **Claims without a trigger** belong to the previous event in their paragraph; in a headline,
   to the next event.
6. **Type.** The trigger with the highest priority decides (ties: ACLED's hierarchy); an event
   typed by a weak word takes a strong specific one told later; remote violence in the sentence
   that also names the fighting is the battle (ACLED); ``if_*`` alternatives apply when
   the perpetrator is a state force, the target civilians, or the target armed.
7. **Actors.** actor1 is the perpetrator a word names as such («على يد», «شنه») before one armed by
   its kind only, a named movement before «مسلحون», then the one named most often (ties: first),
   else the last one named earlier in the paragraph; actor2 the first target of another name (in a
   battle, the other armed side); communities are associated actors on the target side; speakers
   («قالت الشرطة») are sources, not parties. A group a casualty claim counts («خمسة جنود قتلوا») is
   the target. In a protest or riot the crowd is actor1 (named or not) and the force that met it
   actor2. In a bombing, state forces no word makes its authors are its targets; violence against
   civilians targets civilians even when none is named. A country-level place takes the next finer
   place told before the next event.
8. **Figures.** Per quantity (fatalities, injured, detained): ``best`` is the first most specific
   claim (exact, approximate, range, at least, at most, derived), ``low`` the lowest specific
   claim, ``high`` the highest stated figure; vague words («المئات») only give ``low`` = ``best``
   when nothing specific exists.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from pydantic import BaseModel

from rasd.document import Document, Mention
from rasd.normalize import load_charmap, normalize_text
from rasd.recognize.phrases import normalized_offset
from rasd.recognize.triggers import (
    Taxonomy,
    TriggerLexicon,
    find_triggers,
    load_taxonomy,
    load_triggers,
)
from rasd.records import (
    Actor,
    Claim,
    DatePrecision,
    EventFlag,
    EventRecord,
    Evidence,
    Figures,
    GeoPrecision,
    Location,
    Qualifier,
    SpanRef,
)
from rasd.registry import StageFn, stage
from rasd.resources import Resources

_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4}
_GEO_RANK = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "region": 4, "country": 5}
_QUALIFIER_RANK = {"exact": 0, "approx": 1, "range": 2, "at_least": 3, "at_most": 4, "derived": 5}
_FIGURE_QUANTITIES = ("fatalities", "injured", "detained")
# the claims whose victims were hit (an actor counted among them is the target)
_VICTIM_QUANTITIES = ("fatalities", "injured", "casualties")
# A report tells recent happenings; one dated over a month before the newest happening it tells
# is retold as context (the dev set's reviewers: "recent and specific = event").
_RETOLD_DAYS = 30
# sub-types of bombings, which armed groups carry out (ACLED)
_BOMBINGS = ("Suicide bomb", "Remote explosive/landmine/IED", "Grenade")
# «تعز (جنوب غرب)»: a bracketed aside between listed places; punctuation between them
_PARENTHESES = re.compile(r"\([^()]*\)")
_LIST_PUNCTUATION = re.compile(r"[,;:.\-\u2013\"'«»]")
# events whose actor1 is the crowd (ACLED: protesters or rioters, named or not)
_CROWD_TYPES = ("Protests", "Riots")
# characters between a claim's victims and a group named right after them (a space, «من »)
_VICTIM_GAP = 4
# A trigger this many tokens after a time word is a reference to an event already told.
_REFERENCE_WINDOW = 4
# Weak triggers only: priority below this never starts an event alone.
_STRONG_PRIORITY = 60
_NEAR_KM = 25.0
# Triggers this specific name the weapon («غارة», «عبوة ناسفة», «قذائف»): two of them of different
# sub-types are two events.
_SPECIFIC_PRIORITY = 80
# A first line this short, with no trigger, is a dateline («إسلام آباد 25 شوال 1436 هـ الموافق
# 10 أغسطس 2015 م واس» is 12 words).
_DATELINE_WORDS = 14


class CountryRow(BaseModel):
    name: str
    numeric: int
    region: str | None = None
    gw: int | None = None


class CountryFile(BaseModel):
    note: str = ""
    countries: dict[str, CountryRow]


def load_countries(resources: Resources) -> dict[str, CountryRow]:
    return resources.model(CountryFile, "countries.json").countries


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    aside: bool = False  # cut off its sentence by «فيما/بينما …»


@dataclass(slots=True)
class Unit:
    """One sentence with the mentions inside it."""

    index: int
    start: int
    end: int
    paragraph: int
    headline: bool
    triggers: list[Mention] = field(default_factory=list)
    references: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    statement_dates: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    actors: list[Mention] = field(default_factory=list)
    sources: list[Mention] = field(default_factory=list)
    claims: list[Mention] = field(default_factory=list)
    new_event: bool = False
    continuation: bool = False
    responsibility: bool = False
    furniture: bool = False
    not_event: bool = False
    summary: bool = False  # a tally of many events («في تقريرها نصف السنوي»)
    aside: bool = False  # a clause «فيما …» cut off its sentence
    date: Mention | None = None
    place: Mention | None = None


@dataclass(slots=True)
class Draft:
    """An event being assembled from one or more units."""

    units: list[Unit]
    triggers: list[Mention]
    date: Mention | None
    date_rule: str
    place: Mention | None
    place_rule: str
    claims: list[Mention] = field(default_factory=list)
    actors: list[Mention] = field(default_factory=list)
    # dates that carry the story on («وخلال الأيام التالية»): the event's range grows to hold them
    extensions: list[Mention] = field(default_factory=list)

    @property
    def event_type(self) -> str:
        return str(_value(self.best_trigger)["event_type"])

    @property
    def best_trigger(self) -> Mention:
        return self.triggers[0]


def _date_end(mention: Mention) -> date | None:
    value = _value(mention)
    end = value.get("end") or value.get("start")
    return date.fromisoformat(end) if isinstance(end, str) else None


def _value(mention: Mention) -> dict[str, Any]:
    return cast(dict[str, Any], mention.value)


def _as_victim(mention: Mention, victim_spans: list[tuple[int, int]]) -> Mention:
    """A group a casualty claim counts is the target, whatever word comes before it.

    «خمسة جنود قتلوا», «مقتل اثنين من قادة التنظيم»: the dead and wounded are the side hit.
    """
    value = _value(mention)
    # the victims' words may stop short of the group («مقتل اثنين من كبار قادة | تنظيم داعش»)
    if value.get("role") == "target" or not any(
        mention.start < e + _VICTIM_GAP and s < mention.end for s, e in victim_spans
    ):
        return mention
    changed = {**value, "role": "target"}
    return Mention(mention.kind, mention.start, mention.end, changed, mention.by)


def _as_target(mention: Mention) -> Mention:
    """A state force a perpetrator by its kind only, made the target."""
    value = _value(mention)
    if (
        value.get("kind") != "state forces"
        or value.get("role") != "perpetrator"
        or value.get("role_cue", True)
    ):
        return mention
    changed = {**value, "role": "target"}
    return Mention(mention.kind, mention.start, mention.end, changed, mention.by)


def _inside(mention: Mention, start: int, end: int) -> bool:
    return start <= mention.start < end


def _paragraph_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")
    return starts


def _trigger_order(taxonomy: Taxonomy) -> Any:
    def key(mention: Mention) -> tuple[int, int, int]:
        value = _value(mention)
        return (-int(value["priority"]), taxonomy.rank[value["sub_event_type"]], mention.start)

    return key


class Assembler:
    def __init__(self, doc: Document, resources: Resources) -> None:
        assert doc.normalized is not None
        self.doc = doc
        self.view = doc.normalized
        self.lexicon: TriggerLexicon = load_triggers(resources, doc.lang)
        self.taxonomy = load_taxonomy(resources)
        self.countries = load_countries(resources)
        self.charmap = load_charmap(resources)
        self.dateline_place: Mention | None = None
        self.newest: date | None = (
            None  # the newest happening told: what retold context is older than
        )
        self.event_starts: set[int] = set()
        self.clause_starts = [c.start for c in doc.clauses]

    # -- per-sentence facts ------------------------------------------------------------------------
    def _norm_span(self, start: int, end: int) -> tuple[int, int]:
        """Normalized offsets of an original span."""
        return normalized_offset(self.doc, start), normalized_offset(self.doc, end)

    def _background_spans(self) -> list[tuple[int, int]]:
        """Original spans of clauses that tell background («منذ العام 1996»)."""
        pattern = self.lexicon.background
        whole = self.lexicon.background_clause
        spans = []
        for clause in self.doc.clauses:
            lo, hi = self._norm_span(clause.start, clause.end)
            if whole is not None and whole.search(self.view.text, lo, hi) is not None:
                # «وتتواصل غارات … منذ سنوات», «ردا على مقتل … قبل عام»: the verb comes first
                spans.append((clause.start, clause.end))
                continue
            if pattern is None:
                continue
            match = pattern.search(self.view.text, lo, hi)
            if match is not None:
                # from the background word to the clause end: «… التي تشكل منذ العام 1996 ضد …»
                spans.append((self.view.offsets.original(match.start()), clause.end))
        return spans

    def _is_report_date(self, mention: Mention) -> bool:
        lo, _ = self._norm_span(mention.start, mention.end)
        window = self.view.text[max(0, lo - 30) : lo]
        return any(
            len(window[m.end :].split()) <= 3
            for m in self.lexicon.report_date_words.finditer(window)
        )

    def _with_protesters(self, trigger: Mention) -> Mention:
        """The trigger as its ``if_protesters`` sub-type, when it has one."""
        value = _value(trigger)
        sub_type = value.get("if_protesters")
        if not sub_type:
            return trigger
        changed = {
            **value,
            "sub_event_type": sub_type,
            "event_type": self.taxonomy.type_of[str(sub_type)],
        }
        return Mention(trigger.kind, trigger.start, trigger.end, changed, trigger.by)

    def _pieces(self, triggers: list[Mention]) -> list[_Span]:
        """Sentences, cut before «فيما/بينما/في حين …» when what follows tells its own happening.

        «ردت المدفعية على مصدر القذائف، فيما شنت الطائرات غارات على مواقعهم»: two events in one
        sentence; the part after the opener is read as a sentence of its own.
        """
        pieces: list[_Span] = []
        openers = self.lexicon.clause_openers
        toll_openers = self.lexicon.toll_openers
        tolls = [
            c
            for c in self.doc.mentions_of("claim")
            if _value(c).get("quantity") in _VICTIM_QUANTITIES
        ]
        claims = [c.start for c in tolls]
        places = [p.start for p in self.doc.mentions_of("place")]

        def own_happening(lo: int, hi: int, toll_needed: bool, start: int) -> bool:
            # «…، فيما قتل 9 من المسلحين في هجوم بمأرب»: a toll and a place of its own make a
            # weak trigger's clause a happening of its own
            if toll_needed:
                # «غارات على …، حيث قتل 47 في معارك»: another kind of happening, with its toll
                kinds = {_value(t)["sub_event_type"] for t in triggers if start <= t.start < lo}
                # a toll repeating a figure told before it counts the same victims («إعدام عشرة
                # … حيث تم زرع عبوات وإجلاس الضحايا العشرة فوقها»): it describes how
                told = _stated_fatalities([c for c in tolls if start <= c.start < lo])
                return any(
                    lo <= t.start < hi
                    and _value(t)["standalone"]
                    and _value(t)["sub_event_type"] not in kinds
                    for t in triggers
                ) and any(
                    lo <= c.start < hi and not (_stated_fatalities([c]) & told) for c in tolls
                )
            if any(lo <= t.start < hi and _value(t)["standalone"] for t in triggers):
                return True
            return (
                any(lo <= t.start < hi for t in triggers)
                and any(lo <= c < hi for c in claims)
                and any(lo <= p < hi for p in places)
            )

        for sentence in self.doc.sentences:
            start = sentence.start
            if openers is not None:
                lo, hi = self._norm_span(sentence.start, sentence.end)
                cuts = [
                    (self.view.to_original(m.start, m.start)[0], m.payload in toll_openers)
                    for m in openers.finditer(self.view.text, lo, hi)
                    if m.start > lo
                    and not self.view.text[m.start - 1].isalnum()
                    and not self.view.text.startswith(self.lexicon.not_openers, m.start)
                ]
                for position, (cut, toll_needed) in enumerate(cuts):
                    stop = cuts[position + 1][0] if position + 1 < len(cuts) else sentence.end
                    if own_happening(cut, stop, toll_needed, start) and any(
                        start <= t.start < cut for t in triggers
                    ):
                        pieces.append(_Span(start, cut, aside=start != sentence.start))
                        start = cut
            pieces.append(_Span(start, sentence.end, aside=start != sentence.start))
        return pieces

    def _after_from(self, mention: Mention) -> bool:
        """Whether the word right before a place is «من» ("from")."""
        lo, _ = self._norm_span(mention.start, mention.end)
        before = self.view.text[max(0, lo - 12) : lo].split()
        return bool(before) and before[-1] in self.lexicon.from_words

    def _is_statement_date(self, mention: Mention) -> bool:
        """«أعلن الجيش اليوم مقتل …»: the day a speaker spoke, right after the speech verb."""
        words = self.lexicon.statement_words
        if words is None:
            return False
        lo, _ = self._norm_span(mention.start, mention.end)
        window = self.view.text[max(0, lo - 30) : lo]
        return any(len(window[m.end :].split()) <= 3 for m in words.finditer(window))

    def _retold(self, mention: Mention) -> bool:
        """A date that ends more than ``_RETOLD_DAYS`` before the newest happening the report tells.

        The newest happening, not publication: a news report about today's attack retells
        February's as context, but an NGO report published in December about August's killings
        tells August's killings.
        """
        end = _date_end(mention)
        return (
            end is not None
            and self.newest is not None
            and end < self.newest - timedelta(days=_RETOLD_DAYS)
        )

    def _newest_happening(self, units: list[Unit]) -> date | None:
        """The latest day a sentence with an event word is dated, when that is news.

        None (nothing is retold) when the report is no news report: its publication unknown,
        or its newest happening over a month before it (a retrospective, an NGO's review), where
        every happening told is what the report is about.
        """
        published = self.doc.source.published
        if published is None:
            return None
        ends = [
            end
            for unit in units
            if unit.triggers and unit.dates
            for end in [_date_end(unit.dates[0])]
            if end is not None and end <= published
        ]
        newest = max(ends, default=published)
        return newest if newest >= published - timedelta(days=_RETOLD_DAYS) else None

    def _is_reference(self, trigger: Mention) -> bool:
        lo, _ = self._norm_span(trigger.start, trigger.end)
        position = bisect_right(self.clause_starts, trigger.start) - 1
        clause_start = self.clause_starts[position] if position >= 0 else 0
        c_lo, _ = self._norm_span(clause_start, clause_start)
        window_start = max(c_lo, lo - 60)
        for match in self.lexicon.time_reference.finditer(self.view.text, window_start, lo):
            between = self.view.text[match.end : lo].split()
            if len(between) <= _REFERENCE_WINDOW - 1:
                return True
        return False

    def units(self, triggers: list[Mention]) -> list[Unit]:
        doc = self.doc
        paragraphs = _paragraph_starts(doc.text)
        background = self._background_spans()

        def in_background(mention: Mention) -> bool:
            return any(s <= mention.start < e for s, e in background)

        sentences_per_paragraph = Counter(
            bisect_right(paragraphs, s.start) - 1 for s in doc.sentences
        )
        ordered = sorted(doc.mentions, key=lambda m: m.start)
        actors = doc.mentions_of("actor")
        victim_spans = [
            (int(span[0]), int(span[1]))
            for claim in doc.mentions_of("claim")
            if _value(claim).get("quantity") in _VICTIM_QUANTITIES
            and isinstance(span := _value(claim).get("victims_span"), list)
            and len(span) == 2
        ]
        starts = [m.start for m in ordered]
        home = _home_countries(doc)
        main = _main_country(doc)
        units: list[Unit] = []
        for index, sentence in enumerate(self._pieces(triggers)):
            paragraph = bisect_right(paragraphs, sentence.start) - 1
            text = doc.text[sentence.start : sentence.end]
            headline = (
                sentences_per_paragraph[paragraph] == 1
                and len(text.split()) <= 10
                and not text.rstrip().endswith((".", "!", "?", "\u061f"))
            )
            unit = Unit(index, sentence.start, sentence.end, paragraph, headline)
            unit.aside = sentence.aside
            lo, hi = self._norm_span(sentence.start, sentence.end)
            head = self.view.text[lo : min(hi, lo + 40)]
            unit.new_event = any(m.start == 0 for m in self.lexicon.new_event.finditer(head))
            unit.continuation = any(m.start == 0 for m in self.lexicon.continuation.finditer(head))
            if any(m.start == 0 for m in self.lexicon.background_openers.finditer(head)):
                # «وكان التنظيم قد …»: what had happened before, told as background
                background.append((sentence.start, sentence.end))
            unit.responsibility = any(
                True for _ in self.lexicon.responsibility.finditer(self.view.text, lo, hi)
            )
            line_start = self.doc.text.rfind("\n", 0, sentence.start) + 1
            l_lo, _ = self._norm_span(line_start, line_start)
            unit.furniture = any(
                m.start == at
                for at in {l_lo, lo}
                for m in self.lexicon.furniture.finditer(self.view.text, at, at + 30)
            )
            blocked = [
                self.view.to_original(m.start, m.end)
                for m in self.lexicon.not_events.finditer(self.view.text, lo, hi)
            ]
            unit.not_event = bool(blocked)
            summary = self.lexicon.summary
            unit.summary = summary is not None and any(
                True for _ in summary.finditer(self.view.text, lo, hi)
            )
            first = bisect_left(starts, sentence.start)
            last_index = bisect_left(starts, sentence.end)
            for mention in ordered[first:last_index]:
                if in_background(mention):
                    continue
                if mention.kind == "date" and _value(mention).get("start"):
                    if not self._is_report_date(mention):
                        unit.dates.append(mention)
                    elif self._is_statement_date(mention):
                        unit.statement_dates.append(mention)
                elif (
                    mention.kind == "place"
                    and _value(mention).get("relation") != "demonym"
                    and not any(a.start < mention.end and mention.start < a.end for a in actors)
                ):
                    # a word read both as a group and as a place («يهود», «الحوثي») is the group
                    # «الإيرانية» in «القنصلية الإيرانية» names a nationality, not where it happened
                    unit.places.append(mention)
                elif mention.kind == "actor" and _value(mention).get("role") == "source":
                    # «قالت الشرطة»: the police speak as the source, they are no party
                    unit.sources.append(mention)
                elif mention.kind == "actor":
                    unit.actors.append(_as_victim(mention, victim_spans))
                elif mention.kind == "claim":
                    unit.claims.append(mention)
            for trigger in triggers:
                # a trigger inside a non-event phrase («حكم بالإعدام») is that phrase's word
                inside_blocked = any(s <= trigger.start < e for s, e in blocked)
                if (
                    _inside(trigger, sentence.start, sentence.end)
                    and not in_background(trigger)
                    and not inside_blocked
                    # «وقرر قاضي المحكمة إعدام …»: a sentence passed, not an execution
                    and not (unit.not_event and _value(trigger).get("judicial"))
                ):
                    unit.triggers.append(trigger)
            if unit.summary:
                # a tally states no event, and its figures count many events, not one
                unit.triggers, unit.claims = [], []
            if any(_value(a).get("kind") == "protesters" for a in unit.actors + unit.sources):
                # «اشتبكت الشرطة مع متظاهرين»: police against protesters is no battle (ACLED)
                unit.triggers = [self._with_protesters(t) for t in unit.triggers]
            unit.dates.sort(key=lambda m: (_DATE_RANK.get(_value(m)["precision"], 9), m.start))
            # «بلدة المحفد محافظة أبين»: a province named in the sentence holds its towns, so a
            # town read in another province is the weaker reading
            provinces = {
                (_value(m).get("country"), _value(m).get("admin1"))
                for m in unit.places
                if _value(m).get("precision") == "admin1" and _value(m).get("admin1")
            }
            unit.places.sort(
                key=lambda m: (
                    _value(m).get("country") not in home,
                    bool(provinces)
                    and _value(m).get("precision") != "admin1"
                    and (_value(m).get("country"), _value(m).get("admin1")) not in provinces,
                    # «في قضاء البعاج شمال غرب الموصل»: the named place is the scene, the one
                    # after a direction word only locates it; «وسط X» is inside X
                    _value(m).get("relation") not in (None, "near", "centre_of"),
                    # «قادمة من مدينة المكلا»: where someone came from, not where it happened
                    self._after_from(m),
                    _GEO_RANK.get(str(_value(m).get("precision")), 9),
                    m.start,
                )
            )
            if home:
                # a place abroad named once is more often a misread word than the scene
                unit.places = [m for m in unit.places if _value(m).get("country") in home]
            if main is not None and any(
                _value(m).get("country") == main and _value(m).get("precision") != "country"
                for m in unit.places
            ):
                # a town of the country the report is about is the scene; a town elsewhere in the
                # same sentence is where a government sits or a speaker is («… من الرياض»), or a
                # word read as a place abroad
                unit.places = [
                    m
                    for m in unit.places
                    if _value(m).get("country") == main or _value(m).get("precision") == "country"
                ]
            units.append(unit)
        return units

    # -- which sentences state events ------------------------------------------------------------
    def _states_event(self, unit: Unit, triggers: list[Mention]) -> bool:
        if not triggers:
            return False
        strongest = max(int(_value(t)["priority"]) for t in triggers)
        if unit.not_event and strongest < _STRONG_PRIORITY:
            return False
        if any(_value(t)["standalone"] for t in triggers):
            return True
        casualty_claim = any(
            _value(c).get("quantity") in ("fatalities", "injured", "casualties", "detained")
            for c in unit.claims
        )
        return casualty_claim or bool(unit.actors) or len(triggers) > 1

    # -- assembly -------------------------------------------------------------------------------
    def drafts(self, units: list[Unit]) -> list[Draft]:
        order = _trigger_order(self.taxonomy)
        self.newest = self._newest_happening(units)
        drafts: list[Draft] = []
        current_date: Mention | None = None
        current_place: Mention | None = None
        pending_claims: list[Mention] = []
        last: Draft | None = None  # the event told most recently
        # each unit with the one read just before it
        for unit, before in zip(units, [None, *units][: len(units)], strict=True):
            if unit.furniture:
                continue
            if (
                unit.index == 0
                and not unit.triggers
                and len(self.doc.text[unit.start : unit.end].split()) <= _DATELINE_WORDS
                and self.doc.text[unit.end : unit.end + 3].lstrip(" ").startswith("\n")
            ):
                # a dateline («عين اليوم - بيروت», «إسلام آباد 25 شوال … واس»): where and when the
                # report was filed, not where the event happened; its place is a last resort
                self.dateline_place = unit.places[0] if unit.places else None
                continue
            if unit.responsibility and last is not None:
                # «وأعلن داعش مسؤوليته عن الهجوم»: about the event just told, naming its author
                last.units.append(unit)
                last.claims.extend(unit.claims)
                last.actors.extend(
                    Mention(m.kind, m.start, m.end, {**_value(m), "role": "perpetrator"}, m.by)
                    for m in unit.actors + unit.sources
                    if _value(m).get("group") == "armed"
                )
                # «… إن أحد عناصره قام بتفجير سيارته المفخخة»: the claim may say how, which makes
                # the event's kind more specific (never another type of event)
                kept = last.event_type
                how = [
                    t
                    for t in unit.triggers
                    if _value(t)["event_type"] == kept and _value(t)["standalone"]
                ]
                last.triggers = sorted(last.triggers + how, key=_trigger_order(self.taxonomy))
                last.triggers.sort(key=lambda t: _value(t)["event_type"] != kept)
                continue
            told_types = {d.event_type for d in drafts}
            own: list[Mention] = []
            referring = {t.start for t in unit.triggers if self._is_reference(t)}
            for trigger in unit.triggers:
                # a weak word after a time word («عقب تسليم», «منذ احراق») names an earlier
                # happening even when the report has not told one of its type; so does any word
                # there when the sentence tells a happening of its own in a word that stands
                # alone («اعتقلت عددا من النشطاء بعد ساعات على تفجيرات …»; «قتل 9 إثر انفجارات»
                # tells the blasts)
                if trigger.start in referring and (
                    _value(trigger)["event_type"] in told_types
                    or not _value(trigger)["standalone"]
                    or any(
                        t.start not in referring and _value(t)["standalone"] for t in unit.triggers
                    )
                ):
                    unit.references.append(trigger)
                else:
                    own.append(trigger)
            unit.date = unit.dates[0] if unit.dates else None
            unit.place = unit.places[0] if unit.places else None
            if (
                unit.place is not None
                and current_place is not None
                and _GEO_RANK.get(str(_value(unit.place).get("precision")), 9)
                > _GEO_RANK.get(str(_value(current_place).get("precision")), 9)
                and _contains(unit.place, current_place)
            ):
                # «في أفغانستان» after «في كابل»: the finer place stated before still governs
                unit.place = None
            # a headline («8 آلاف قتيل بأسبوع») with only weak words announces the event told next
            headline_only = unit.headline and all(not _value(t)["standalone"] for t in own)
            if unit.date is not None and self._retold(unit.date):
                # «وفي فبراير خطف مقاتلو التنظيم 250 مسيحيا» in an August report: a happening
                # dated weeks before publication is retold as context; its date governs nothing
                continue
            if unit.aside and before is not None and before.end == unit.start:
                # «…، فيما قتل 9 في هجوم بمأرب»: a clause cut off its sentence is told on the
                # day its sentence gives, even a speaker's («أعلنت المقاومة اليوم …»); «حيث …»
                # with no place of its own happened at the place named last before it
                if unit.date is None and not unit.statement_dates:
                    unit.statement_dates = before.statement_dates
                if unit.place is None and before.places:
                    unit.place = max(before.places, key=lambda m: m.start)
            if not headline_only and self._states_event(unit, own):
                own.sort(key=order)
                # «كما قتل شخص بتفجير مماثل …»: the incident named as another sets the type
                own.sort(key=lambda t: not _value(t).get("another"))
                draft = Draft(
                    units=[unit],
                    triggers=own,
                    date=unit.date or current_date,
                    date_rule="sentence" if unit.date else "governing",
                    place=unit.place or current_place,
                    place_rule="sentence" if unit.place else "governing",
                    claims=list(unit.claims),
                    actors=list(unit.actors),
                )
                if draft.date is None and unit.statement_dates:
                    # «أعلن الجيش اليوم مقتل 10 مسلحين» with no date of the event anywhere: the
                    # day it was announced dates the event (a date governs nothing after it)
                    draft.date, draft.date_rule = unit.statement_dates[0], "statement"
                if draft.date is None:
                    draft.date_rule = "none"
                if draft.place is None:
                    draft.place_rule = "none"
                # «كما أشار مسؤول …» reports on, «كما قتل …» tells another incident
                new_event = (
                    (unit.new_event and not unit.continuation)
                    or any(_value(t).get("another") for t in own)
                    # «…، فيما شنت الطائرات غارات»: another kind of happening beside the last
                    or (
                        unit.aside
                        and last is not None
                        and _value(own[0])["sub_event_type"]
                        != _value(last.best_trigger)["sub_event_type"]
                    )
                )
                target = None if new_event else self._merge_target(draft, unit, drafts, last)
                if target is None:
                    draft.claims = pending_claims + draft.claims
                    drafts.append(draft)
                    last = draft
                    listed = self._listed_places(unit, own)
                    if unit.place in listed:
                        # «غارات على مواقعهم في العند، وفي الحوطة، فضلا عن تعز»: what the
                        # sentence says happened at each place is one event per place; the
                        # figures stay with the first, which the sentence does not share out
                        draft.place = listed[0]
                        for place in listed[1:]:
                            drafts.append(
                                Draft(
                                    units=[unit],
                                    triggers=list(own),
                                    date=draft.date,
                                    date_rule=draft.date_rule,
                                    place=place,
                                    place_rule="listed",
                                    actors=list(unit.actors),
                                )
                            )
                else:
                    self._merge(target, draft, unit)
                    target.claims.extend(pending_claims)
                    last = target
                pending_claims = []
            elif unit.claims:
                previous = next(
                    (d for d in reversed(drafts) if d.units[-1].paragraph == unit.paragraph), None
                )
                if unit.headline or (previous is None and not drafts):
                    pending_claims.extend(unit.claims)
                elif previous is not None:
                    previous.claims.extend(unit.claims)
                else:
                    pending_claims.extend(unit.claims)
            if unit.date is not None:
                current_date = unit.date
            if unit.place is not None:
                current_place = unit.place
        if pending_claims and drafts:
            drafts[-1].claims.extend(pending_claims)
        return drafts

    def _listed_places(self, unit: Unit, triggers: list[Mention]) -> list[Mention]:
        """Towns a sentence lists as where its happening took place, in their order.

        Two or more towns 25 km apart or more, with nothing between them but list words («و»,
        «وفي», «فضلا عن») and places holding them («الحوطة في محافظة لحج»), in a sentence whose
        trigger stands alone. A sentence giving one toll for them all («مقتل 51 بغارات على دير
        الزور والحسكة والرقة») sums up its happenings as one: nothing is listed then.
        """
        words = self.lexicon.place_list_words
        if (
            not words
            or not any(_value(t)["standalone"] for t in triggers)
            or any(_value(c).get("quantity") in _VICTIM_QUANTITIES for c in unit.claims)
        ):
            return []
        towns = sorted(
            (
                m
                for m in unit.places
                if _GEO_RANK.get(str(_value(m).get("precision")), 9) <= _GEO_RANK["admin2"]
                and _value(m).get("relation") in (None, "centre_of")
            ),
            key=lambda m: m.start,
        )
        listed: list[Mention] = []
        for town in towns:
            if not listed:
                listed.append(town)
                continue
            before = listed[-1]
            if not self._places_conflict(before, town):
                continue
            lo, _ = self._norm_span(before.end, before.end)
            hi, _ = self._norm_span(town.start, town.start)
            between = self.view.text[lo:hi]
            for other in unit.places:  # places holding a town («في محافظة لحج») are list words
                if before.end <= other.start and other.end <= town.start:
                    o_lo, o_hi = self._norm_span(other.start, other.end)
                    between = between.replace(self.view.text[o_lo:o_hi], " ")
            between = _PARENTHESES.sub(" ", between)
            if all(w in words for w in _LIST_PUNCTUATION.sub(" ", between).split()):
                listed.append(town)
            elif len(listed) == 1:
                listed = [town]
            else:
                break
        return listed if len(listed) > 1 else []

    def _places_conflict(self, a: Mention, b: Mention) -> bool:
        """Whether two places cannot be where one event happened.

        A province or a country holding the other is no conflict; two towns 25 km apart are.
        """
        va, vb = _value(a), _value(b)
        if va.get("geonames_id") and va.get("geonames_id") == vb.get("geonames_id"):
            return False
        if va.get("name") and va.get("name") == vb.get("name"):
            return False
        if _contains(a, b) or _contains(b, a):
            return False
        coords = (va.get("lat"), va.get("lon"), vb.get("lat"), vb.get("lon"))
        if all(isinstance(c, int | float) for c in coords):
            return distance_km(*cast(tuple[float, float, float, float], coords)) > _NEAR_KM
        return True

    def _merge_target(
        self, draft: Draft, unit: Unit, drafts: list[Draft], last: Draft | None
    ) -> Draft | None:
        best: tuple[int, int] | None = None
        chosen: Draft | None = None
        figures = _stated_fatalities(draft.claims)
        kind = _value(draft.best_trigger)
        for position, other in enumerate(drafts):
            known = _value(other.best_trigger)
            if (
                int(kind["priority"]) >= _SPECIFIC_PRIORITY
                and int(known["priority"]) >= _SPECIFIC_PRIORITY
                and kind["sub_event_type"] != known["sub_event_type"]
                and frozenset((kind["sub_event_type"], known["sub_event_type"]))
                not in self.lexicon.same_weapon
            ):
                # an air strike and a car bomb, shelling and an air strike: two weapons named
                # for what they did are two events, even when one report tells both
                continue
            own_places = [u.place for u in other.units if u.place is not None]
            shared = bool(figures & _stated_fatalities(other.claims))
            if (
                unit.place is not None
                and own_places
                and not (shared and other.event_type == draft.event_type)
                # reported speech about the event just told may name another place in its
                # country (where the speaker is, where victims were taken)
                and not (
                    unit.continuation
                    and other is last
                    and _value(unit.place).get("country") == _value(own_places[-1]).get("country")
                )
                and self._places_conflict(unit.place, own_places[-1])
            ):
                continue
            own_dates = [u.date for u in other.units if u.date is not None]
            if (
                unit.date is not None
                and own_dates
                and not any(_dates_overlap(unit.date, d) for d in own_dates)
                and not _continues(unit.date, own_dates[-1])
            ):
                continue
            same_place = (
                unit.place is not None
                and bool(own_places)
                and not self._places_conflict(unit.place, own_places[-1])
            )
            if not (shared or same_place or other is last):
                continue
            # another type joins only the event just told, in its paragraph or as reported speech
            # about it («وقال مسؤول إن …»), or an event sharing one of its figures
            strongest = max(int(_value(t)["priority"]) for t in draft.triggers)
            follows = other is last and (
                unit.continuation
                or (other.units[-1].paragraph == unit.paragraph and strongest < _STRONG_PRIORITY)
            )
            weak = all(not _value(t)["standalone"] for t in draft.triggers)
            if other.event_type != draft.event_type and not (
                shared or follows or (weak and other is last)
            ):
                continue
            # civilians made the target are not part of a battle (ACLED: violence against them
            # is its own event)
            if (
                other.event_type == "Battles" != draft.event_type
                and not shared
                and any(
                    _value(a).get("role") == "target"
                    and _value(a).get("group") in ("civilians", "victim")
                    for a in unit.actors
                )
            ):
                continue
            score = (3 * shared + 2 * same_place + (other.event_type == draft.event_type), position)
            if best is None or score > best:
                best, chosen = score, other
        return chosen

    def _merge(self, target: Draft, draft: Draft, unit: Unit) -> None:
        target.units.append(unit)
        order = _trigger_order(self.taxonomy)
        if all(not _value(t)["standalone"] for t in target.triggers):
            # an event typed by a weak word («هجوم») takes a specific one told next («انتحاري»)
            strong = [
                t
                for t in draft.triggers
                if _value(t)["standalone"] and int(_value(t)["priority"]) >= _STRONG_PRIORITY
            ]
            target.triggers = sorted(target.triggers + strong, key=order)
        elif _value(draft.best_trigger)["event_type"] == target.event_type or all(
            not _value(t)["standalone"] for t in draft.triggers
        ):
            # keep the event's type: a weak trigger never changes it
            kept = target.event_type
            target.triggers = sorted(target.triggers + draft.triggers, key=order)
            target.triggers.sort(key=lambda t: _value(t)["event_type"] != kept)
        target.claims.extend(draft.claims)
        target.actors.extend(draft.actors)
        if (
            unit.date is not None
            and target.date is not None
            and target.date_rule == "sentence"
            and not _dates_overlap(unit.date, target.date)
            and _continues(unit.date, target.date)
        ):
            target.extensions.append(unit.date)
        elif unit.date is not None and (
            target.date_rule != "sentence"
            or _DATE_RANK.get(_value(unit.date)["precision"], 9)
            < _DATE_RANK.get(_value(target.date)["precision"] if target.date else "decade", 9)
        ):
            target.date, target.date_rule = unit.date, "sentence"
        if unit.place is not None and (
            target.place_rule not in ("sentence", "listed")
            or (target.place is not None and _contains(target.place, unit.place))
        ):
            # a finer place inside the one stated («في سوريا» … «في الحسكة») names the scene
            target.place, target.place_rule = unit.place, "sentence"

    # -- records --------------------------------------------------------------------------------
    def span(self, start: int, end: int) -> SpanRef:
        return SpanRef(document_id=self.doc.id, start=start, end=end, text=self.doc.text[start:end])

    def mention_span(self, mention: Mention) -> SpanRef:
        return self.span(mention.start, mention.end)

    def record(self, draft: Draft, number: int) -> EventRecord:
        doc = self.doc
        evidence: list[Evidence] = [
            Evidence(field="event", span=self.span(u.start, u.end), by="events.sentence")
            for u in draft.units
        ]
        trigger = draft.best_trigger
        evidence.append(
            Evidence(field="event_type", span=self.mention_span(trigger), by=trigger.by)
        )
        location = self._location(draft, evidence)
        country = location.country if location else None
        actor1, actor2, assoc = self._actors(draft, country, evidence)
        sub_type = self._sub_type(draft, actor1, actor2)
        event_type = self.taxonomy.type_of[sub_type]
        if event_type == "Violence against civilians" and actor2 is None:
            # ACLED: violence against civilians has civilians as its target, named or not
            # («أعدم التنظيم عشرة أفغان»)
            label = self.countries[country].name if country in self.countries else None
            actor2 = Actor(
                name="Civilians" + (f" ({label})" if label else ""),
                kind="civilians",
                role="target",
                country=country,
                span=self.mention_span(trigger),
            )
            evidence.append(
                Evidence(field="actor2", span=self.mention_span(trigger), by="events.civilians")
            )
        date_start, date_end, precision = self._date(draft, evidence)
        claims = [self._claim(c) for c in _unique(draft.claims)]
        figures = {
            q: figures_from_claims([c for c in claims if c.quantity == q])
            for q in _FIGURE_QUANTITIES
        }
        sides = None
        if event_type == "Battles":
            sides = self._sides([c for c in claims if c.quantity == "fatalities"])
            if sides is not None:
                figures["fatalities"] = sides
        for quantity in _FIGURE_QUANTITIES:
            for claim in claims:
                if claim.quantity == quantity:
                    evidence.append(Evidence(field=quantity, span=claim.span, by=claim.by))
        flags = self._flags(claims, precision, draft)
        if sides is not None:
            # the two sides' figures count different dead: they do not conflict
            flags = [f for f in flags if f.kind != "figure_conflict"]
        civilian_targeting = event_type == "Violence against civilians" or (
            actor2 is not None and actor2.kind == "civilians"
        )
        confidence = 0.2
        confidence += 0.2 if draft.date_rule == "sentence" else 0.1 if draft.date else 0.0
        confidence += (
            0.2 if draft.place_rule in ("sentence", "listed") else 0.1 if draft.place else 0.0
        )
        confidence += 0.15 if actor1 else 0.0
        confidence += 0.15 if claims else 0.0
        confidence += 0.1 if _value(trigger)["standalone"] else 0.0
        seed = f"{doc.id}:{draft.units[0].start}:{trigger.start}"
        if draft.place_rule == "listed" and draft.place is not None:
            seed += f":{draft.place.start}"  # one sentence, one event per place it lists
        return EventRecord(
            event_id="rasd-" + hashlib.sha1(seed.encode()).hexdigest()[:12],
            document_ids=[doc.id],
            event_type=event_type,
            sub_event_type=sub_type,
            disorder_type=self.taxonomy.disorder_of[sub_type],
            date_start=date_start,
            date_end=date_end,
            date_precision=precision,
            actor1=actor1,
            actor2=actor2,
            assoc_actors=assoc,
            civilian_targeting=civilian_targeting,
            location=location,
            fatalities=figures["fatalities"],
            injured=figures["injured"],
            detained=figures["detained"],
            claims=claims,
            evidence=evidence,
            flags=flags,
            confidence=round(min(confidence, 1.0), 2),
            summary=_summary(sub_type, actor1, actor2, location, date_start, number),
        )

    def _sub_type(self, draft: Draft, actor1: Actor | None, actor2: Actor | None) -> str:
        value = _value(draft.best_trigger)
        sub_type = str(value["sub_event_type"])
        if value["event_type"] == "Explosions/Remote violence":
            # ACLED: shelling or a bombing inside a battle is part of the battle, when the
            # sentence that tells the event names the fighting too
            lede = draft.units[0]
            clash = [
                t
                for t in draft.triggers
                if _value(t)["sub_event_type"] == "Armed clash"
                and _value(t)["standalone"]
                and lede.start <= t.start < lede.end
            ]
            if clash:
                return "Armed clash"
        if actor1 is not None and actor1.kind == "state forces" and value.get("if_state_actor"):
            sub_type = str(value["if_state_actor"])
        elif (
            actor1 is not None and actor1.kind != "state forces" and value.get("if_nonstate_actor")
        ):
            sub_type = str(value["if_nonstate_actor"])
        elif actor2 is not None and actor2.kind == "civilians" and value.get("if_civilian_target"):
            sub_type = str(value["if_civilian_target"])
        elif (
            actor2 is not None
            and actor2.kind not in ("civilians", None)
            and value.get("if_armed_target")
        ):
            sub_type = str(value["if_armed_target"])
        return sub_type

    def _date(
        self, draft: Draft, evidence: list[Evidence]
    ) -> tuple[date | None, date | None, DatePrecision | None]:
        if draft.date is not None:
            value = _value(draft.date)
            precision = value["precision"] if value["precision"] != "decade" else "year"
            evidence.append(
                Evidence(
                    field="date",
                    span=self.mention_span(draft.date),
                    by=f"events.date_{draft.date_rule}",
                )
            )
            start = date.fromisoformat(value["start"])
            end = date.fromisoformat(value["end"]) if value.get("end") else start
            for extension in draft.extensions:
                extra = _value(extension)
                end = max(end, date.fromisoformat(extra.get("end") or extra["start"]))
                evidence.append(
                    Evidence(
                        field="date",
                        span=self.mention_span(extension),
                        by="events.date_extended",
                    )
                )
            if draft.extensions:
                span = (end - start).days
                precision = "day" if span == 0 else "week" if span <= 7 else "month"
            return start, end, cast(DatePrecision, precision)
        published = self.doc.source.published
        if published is None:
            return None, None, None
        # an undated event in a news report: the days just before publication
        return published - timedelta(days=2), published, "week"

    def finer_place_after(self, draft: Draft, units: list[Unit]) -> None:
        """No place, or only a country or region: the next finer place before the next event.

        Reports often name the country first and the town a sentence later («قتل 5 في سوريا.
        وقال المرصد إن الغارة استهدفت بلدة …»).
        """
        if (
            draft.place is not None
            and _GEO_RANK.get(str(_value(draft.place).get("precision")), 9) < _GEO_RANK["admin1"]
        ):
            return
        last = draft.units[-1]
        for unit in units[last.index + 1 :]:
            if unit.index in self.event_starts:
                break  # the next event's own places are its own
            for place in unit.places:
                if draft.place is None or _contains(draft.place, place):
                    draft.place, draft.place_rule = place, "following"
                    return
        if draft.place is None and self.dateline_place is not None:
            draft.place, draft.place_rule = self.dateline_place, "dateline"

    def _location(self, draft: Draft, evidence: list[Evidence]) -> Location | None:
        if draft.place is None:
            return None
        value = _value(draft.place)
        evidence.append(
            Evidence(
                field="location",
                span=self.mention_span(draft.place),
                by=f"events.place_{draft.place_rule}",
            )
        )
        precision = value.get("precision") or "city"
        return Location(
            name=str(value.get("name") or self.doc.text[draft.place.start : draft.place.end]),
            country=value.get("country"),
            admin1=value.get("admin1"),
            admin2=value.get("admin2"),
            latitude=value.get("lat"),
            longitude=value.get("lon"),
            precision=cast(GeoPrecision, precision),
            geonames_id=value.get("geonames_id"),
            relation=value.get("relation"),
            span=self.mention_span(draft.place),
        )

    def _actor(self, mention: Mention, country: str | None) -> Actor:
        value = _value(mention)
        name = str(value["name"])
        own_country = value.get("country")
        where = own_country or country
        label = self.countries[where].name if where in self.countries else None
        kind = value.get("kind")
        if name in ("Military Forces", "Police Forces"):
            article = "the " if where in self.taxonomy.the_countries else ""
            name = f"{name} of {article}{label}" if label else name
        elif name in ("Civilians", "Unidentified armed group", "Protesters") and label:
            name = f"{name} ({label})"
        if kind == "state forces" and own_country and country and own_country != country:
            kind = "external"
        return Actor(
            name=name,
            kind=kind,
            wikidata=value.get("wikidata"),
            role=value.get("role"),
            country=where,
            span=self.mention_span(mention),
        )

    def _actors(
        self, draft: Draft, country: str | None, evidence: list[Evidence]
    ) -> tuple[Actor | None, Actor | None, list[Actor]]:
        mentions = _unique(draft.actors)
        if _value(draft.best_trigger)["sub_event_type"] in _BOMBINGS:
            # bombs are set off by armed groups (ACLED): police or soldiers named in a bombing with
            # no word making them its authors were hit or came after it
            mentions = [_as_target(m) for m in mentions]
        if not any(_value(m).get("role") == "perpetrator" for m in mentions):
            inherited = self._actor_from_context(draft)
            if inherited is not None:
                mentions = [inherited, *mentions]
        perpetrators = [m for m in mentions if _value(m).get("role") == "perpetrator"]
        if _value(draft.best_trigger)["event_type"] in _CROWD_TYPES:
            return self._crowd_actors(draft, mentions, country, evidence)
        counts = Counter(_value(m)["name"] for m in perpetrators)
        # a perpetrator a word names as such («على يد مسلحين») beats one that is only armed
        # (police who found the bodies); a group named beats «مسلحون» («مسلحين يشتبه بأنهم من
        # جماعة بوكو حرام»); then the one named most often, then the first
        actor1_mention = (
            max(
                perpetrators,
                key=lambda m: (
                    bool(_value(m).get("role_cue")),
                    _value(m).get("kind") in ("rebel group", "militia"),
                    counts[_value(m)["name"]],
                    -m.start,
                ),
            )
            if perpetrators
            else None
        )
        actor1 = self._actor(actor1_mention, country) if actor1_mention else None
        first_name = _value(actor1_mention)["name"] if actor1_mention else None
        others = [m for m in mentions if _value(m)["name"] != first_name]
        targets = [m for m in others if _value(m).get("role") == "target"]
        ordered = [m for m in targets if _value(m).get("group") != "victim"]
        if _value(draft.best_trigger)["event_type"] == "Battles":
            # in a battle the other armed side is actor2 even when no word marks it as the target
            ordered += [m for m in others if _value(m).get("group") == "armed" and m not in targets]
        actor2_mention = ordered[0] if ordered else None
        victims = [m for m in others if _value(m).get("group") == "victim"]
        actor2: Actor | None
        if actor2_mention is None and victims:
            actor2 = Actor(
                name="Civilians"
                + (f" ({self.countries[country].name})" if country in self.countries else ""),
                kind="civilians",
                role="target",
                country=country,
                span=self.mention_span(victims[0]),
            )
        else:
            actor2 = self._actor(actor2_mention, country) if actor2_mention else None
        seen = {a.name for a in (actor1, actor2) if a is not None}
        assoc: list[Actor] = []
        for mention in others:
            if mention is actor2_mention:
                continue
            actor = self._actor(mention, country)
            if actor.name in seen:
                continue
            seen.add(actor.name)
            actor.role = "associated" if actor.role == "perpetrator" else actor.role
            assoc.append(actor)
        for field_name, chosen in (("actor1", actor1_mention), ("actor2", actor2_mention)):
            if chosen is not None:
                evidence.append(
                    Evidence(field=field_name, span=self.mention_span(chosen), by=chosen.by)
                )
        return actor1, actor2, assoc

    def _crowd_actors(
        self, draft: Draft, mentions: list[Mention], country: str | None, evidence: list[Evidence]
    ) -> tuple[Actor | None, Actor | None, list[Actor]]:
        """A protest or a riot (ACLED): the crowd is actor1, the force that met it actor2.

        The crowd need not be named («خرج الآلاف في مظاهرة»); no one else is a party.
        """
        crowd = next((m for m in mentions if _value(m).get("kind") == "protesters"), None)
        force = next((m for m in mentions if _value(m).get("kind") == "state forces"), None)
        label = self.countries[country].name if country in self.countries else None
        trigger = draft.best_trigger
        actor1 = (
            self._actor(crowd, country)
            if crowd is not None
            else Actor(
                name="Protesters" + (f" ({label})" if label else ""),
                kind="protesters",
                role="perpetrator",
                country=country,
                span=self.mention_span(trigger),
            )
        )
        actor1.role = "perpetrator"
        actor2 = self._actor(force, country) if force is not None else None
        if actor2 is not None:
            actor2.role = "target"
        evidence.append(
            Evidence(
                field="actor1",
                span=actor1.span or self.mention_span(trigger),
                by=crowd.by if crowd is not None else "events.crowd",
            )
        )
        if force is not None:
            evidence.append(Evidence(field="actor2", span=self.mention_span(force), by=force.by))
        return actor1, actor2, []

    def _actor_from_context(self, draft: Draft) -> Mention | None:
        """The last perpetrator named earlier in the event's first paragraph."""
        first = draft.units[0]
        paragraph_start = max(p for p in _paragraph_starts(self.doc.text) if p <= first.start)
        earlier = [
            m
            for m in self.doc.mentions_of("actor")
            if paragraph_start <= m.start < first.start and _value(m).get("role") == "perpetrator"
        ]
        return earlier[-1] if earlier else None

    def _sides(self, claims: list[Claim]) -> Figures | None:
        """A battle's toll over both sides (ACLED): «قتل 40 متمردا و6 من قوات الجيش» is 46.

        Only when every specific claim counts fighters of one side, and both sides are counted.
        """
        specific = [c for c in claims if c.qualifier != "vague" and c.best is not None]
        groups: dict[str, list[Claim]] = {"state": [], "armed": []}
        state, armed = self.lexicon.state_side, self.lexicon.armed_side
        if state is None or armed is None:
            return None
        for claim in specific:
            folded = normalize_text(claim.victims or "", self.charmap).text
            found = [
                name
                for name, matcher in (("state", state), ("armed", armed))
                if any(True for _ in matcher.finditer(folded))
            ]
            if len(found) != 1:
                return None  # generic victims («أشخاص») or both sides in one figure
            groups[found[0]].append(claim)
        if not groups["state"] or not groups["armed"]:
            return None
        parts = [figures_from_claims(g) for g in groups.values()]
        if any(p.best is None or p.low is None for p in parts):
            return None
        highs = [p.high for p in parts]
        return Figures(
            low=sum(p.low or 0 for p in parts),
            best=sum(p.best or 0 for p in parts),
            high=sum(h or 0 for h in highs) if all(h is not None for h in highs) else None,
        )

    def _claim(self, mention: Mention) -> Claim:
        value = _value(mention)
        attribution = value.get("attribution_span")
        quantity = value.get("quantity", "fatalities")
        qualifier = value.get("qualifier") or "exact"
        if value.get("derived") or qualifier == "derived":
            qualifier = "derived"
        return Claim(
            quantity=quantity,
            low=_int(value.get("low")),
            best=_int(value.get("best")),
            high=_int(value.get("high")),
            qualifier=cast(Qualifier, qualifier),
            span=self.mention_span(mention),
            victims=value.get("victims"),
            attributed_to=value.get("attributed_to"),
            attribution_span=self.span(*attribution) if attribution else None,
            derivation=value.get("derivation"),
            parts=[int(p) for p in value.get("parts") or []],
            by=mention.by,
        )

    def _flags(
        self, claims: list[Claim], precision: DatePrecision | None, draft: Draft
    ) -> list[EventFlag]:
        flags: list[EventFlag] = []
        if precision == "year" and draft.date is not None:
            flags.append(
                EventFlag(
                    kind="year_only",
                    message="the text dates this event to a year only: no ACLED row",
                    evidence=[self.mention_span(draft.date)],
                    by="events.flag_year_only",
                )
            )
        for claim in claims:
            if claim.parts and claim.best is not None and sum(claim.parts) != claim.best:
                flags.append(
                    EventFlag(
                        kind="breakdown_mismatch",
                        message=(
                            f"parts {claim.parts} add up to {sum(claim.parts)}, not {claim.best}"
                        ),
                        evidence=[claim.span],
                        by="events.flag_breakdown",
                    )
                )
        stated = [
            c
            for c in claims
            if c.quantity == "fatalities" and c.qualifier in ("exact", "approx") and c.best
        ]
        values = sorted({c.best for c in stated if c.best is not None})
        if len(values) > 1 and values[-1] > values[0] * 1.1:
            flags.append(
                EventFlag(
                    kind="figure_conflict",
                    message=f"fatality figures differ: {', '.join(str(v) for v in values)}",
                    evidence=[c.span for c in stated],
                    by="events.flag_figures",
                )
            )
        return flags


def figures_from_claims(claims: list[Claim]) -> Figures:
    """low/best/high over one quantity's claims (module docstring, rule 8)."""
    if not claims:
        return Figures()
    specific = [c for c in claims if c.qualifier != "vague" and c.best is not None]
    if not specific:
        low = max((c.low or c.best or 0) for c in claims) or None
        return Figures(low=low, best=low, high=None)
    chosen = min(specific, key=lambda c: (_QUALIFIER_RANK.get(c.qualifier, 9), c.span.start))
    lows = [c.low if c.low is not None else c.best for c in specific]
    highs = [c.high if c.high is not None else c.best for c in specific]
    return Figures(
        low=min(v for v in lows if v is not None),
        best=chosen.best,
        high=max(v for v in highs if v is not None),
    )


def _home_countries(doc: Document) -> set[str]:
    """The countries a report is about: named as a country, or holding two places or more.

    A place in another country named once («كالة» read as Calais) is more likely a misread
    word than the scene of the event, so a sentence's place is taken from these countries first.
    """
    counts: Counter[str] = Counter()
    named: set[str] = set()
    for mention in doc.mentions_of("place"):
        country = _value(mention).get("country")
        if not country:
            continue
        counts[country] += 1
        if _value(mention).get("precision") == "country":
            named.add(country)
    return named | {c for c, n in counts.items() if n >= 2}


def _main_country(doc: Document) -> str | None:
    """The country named most often (places and nationality adjectives), if one leads."""
    counts = Counter(
        str(_value(m)["country"]) for m in doc.mentions_of("place") if _value(m).get("country")
    )
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _contains(wide: Mention, narrow: Mention) -> bool:
    """Whether a country, region or province holds a finer place (by country and admin1)."""
    vw, vn = _value(wide), _value(narrow)
    rank_w = _GEO_RANK.get(str(vw.get("precision")), 9)
    if rank_w <= _GEO_RANK["city"] or rank_w <= _GEO_RANK.get(str(vn.get("precision")), 9):
        return False
    if not vw.get("country") or vw.get("country") != vn.get("country"):
        return False
    if vw.get("precision") == "admin2":
        # a district holds the towns filed under it or lying at its point, not every town of
        # its province («قضاء البعاج» does not hold «الموصل»)
        if vn.get("admin2") and str(vn.get("admin2")).casefold() == str(vw.get("name")).casefold():
            return True
        coords = (vw.get("lat"), vw.get("lon"), vn.get("lat"), vn.get("lon"))
        return all(isinstance(c, int | float) for c in coords) and (
            distance_km(*cast(tuple[float, float, float, float], coords)) <= _NEAR_KM
        )
    if vw.get("precision") == "admin1":
        return bool(vw.get("admin1")) and vw.get("admin1") == vn.get("admin1")
    return True


def _stated_fatalities(claims: list[Mention]) -> set[int]:
    """Death tolls stated as figures (not vague words): the same toll twice is the same event."""
    return {
        int(_value(c)["best"])
        for c in claims
        if _value(c).get("quantity") == "fatalities"
        and _value(c).get("qualifier") != "vague"
        and isinstance(_value(c).get("best"), int | float)
    }


def _int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return round(value)
    return None


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[str, int, int]] = set()
    result = []
    for mention in sorted(mentions, key=lambda m: m.start):
        key = (mention.kind, mention.start, mention.end)
        if key not in seen:
            seen.add(key)
            result.append(mention)
    return result


def _continues(later: Mention, earlier: Mention) -> bool:
    """A date anchored on an earlier one and starting right after it carries the story on."""
    vl, ve = _value(later), _value(earlier)
    if vl.get("anchor") != "mention":
        return False
    gap = date.fromisoformat(vl["start"]) - date.fromisoformat(ve.get("end") or ve["start"])
    return timedelta(0) <= gap <= timedelta(days=1)


def _dates_overlap(a: Mention, b: Mention) -> bool:
    va, vb = _value(a), _value(b)
    a_end = va.get("end") or va["start"]
    b_end = vb.get("end") or vb["start"]
    return bool(va["start"] <= b_end and vb["start"] <= a_end)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _summary(
    sub_type: str,
    actor1: Actor | None,
    actor2: Actor | None,
    location: Location | None,
    start: date | None,
    number: int,
) -> str:
    parts = [f"#{number} {sub_type}"]
    if actor1:
        parts.append(f"by {actor1.name}")
    if actor2:
        parts.append(f"against {actor2.name}")
    if location:
        parts.append(f"in {location.name}")
    if start:
        parts.append(f"on {start.isoformat()}")
    return " ".join(parts)


@stage("events", requires=("sentences",), provides=("events",))
def make_events(resources: Resources) -> StageFn:
    def run(doc: Document) -> Document:
        doc.mentions = [m for m in doc.mentions if m.kind != "trigger"]
        triggers = find_triggers(doc, resources)
        doc.mentions.extend(triggers)
        assembler = Assembler(doc, resources)
        units = assembler.units(triggers)
        drafts = assembler.drafts(units)
        assembler.event_starts = {d.units[0].index for d in drafts}
        for draft in drafts:
            assembler.finer_place_after(draft, units)
        doc.events = [assembler.record(d, n) for n, d in enumerate(drafts, start=1)]
        return doc

    return run
