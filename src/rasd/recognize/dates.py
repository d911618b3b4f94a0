"""Date expressions: found on the normalized view, resolved to a range with a precision.

Word lists (month names in every naming set, weekdays, relative words, fuzzy parts, year cues,
decades, holidays, particles) live in ``data/<lang>/months.yaml`` and ``dates.yaml``; this module
holds the grammar that combines them. Each rule is compiled once per pipeline into one small
pattern (word lists as prefix trees), and a document is scanned once, word by word: each word is
tried only against the rules it can start, in grammar order, first match wins.

Resolution anchors relative dates on the publication date (``doc.source.published``), else on a
dated dateline at the head of the text; without either a relative date keeps ``start``/``end`` null,
``unresolved: true`` and a precision one step coarser. Nothing is ever resolved against today.
"""

from __future__ import annotations

import calendar as calendar_module
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import regex
from hijridate import Gregorian, Hijri
from pydantic import BaseModel

from rasd.document import Document, Flag, Mention
from rasd.errors import DataFileError
from rasd.jsontypes import JSONObject
from rasd.normalize import Charmap, load_charmap, normalize_text
from rasd.registry import StageFn, stage
from rasd.resources import Resources

Prefer = Literal["past", "future"]
COARSER: dict[str, str] = {
    "day": "week",
    "week": "month",
    "month": "year",
    "year": "decade",
    "decade": "decade",
}


# ---------------------------------------------------------------------------------------------
# Data files


class MonthEntry(BaseModel):
    month: int
    set: str = ""
    forms: list[str]
    ambiguous: bool = False
    bare_only: bool = False


class MonthsData(BaseModel):
    gregorian: list[MonthEntry]
    hijri: list[MonthEntry]
    month_words: list[str]


class UnitForms(BaseModel):
    singular: list[str]
    dual: list[str]
    plural: list[str]
    definite: list[str]
    definite_plural: list[str]
    definite_dual: list[str] = []


class RelativeDay(BaseModel):
    key: str
    offsets: tuple[int, int]
    forms: list[str]


class Daypart(BaseModel):
    kind: str
    forms: list[str]
    weekday_offsets: tuple[int, int] = (0, 0)
    relative_offsets: tuple[int, int] = (0, 0)


class VagueCount(BaseModel):
    forms: list[str]
    low: int
    high: int


class Decade(BaseModel):
    decade: int
    forms: list[str]


class AnchoredFollowing(BaseModel):
    key: str
    unit: Literal["day", "week", "month"]
    forms: list[str]


class AnchoredPrevious(BaseModel):
    key: str
    days: tuple[int, int]
    forms: list[str]


class Season(BaseModel):
    key: str
    start: tuple[int, int]
    end: tuple[int, int]
    forms: list[str]


class Holiday(BaseModel):
    key: str
    calendar: Literal["gregorian", "hijri", "easter"]
    month: int
    day: int
    days: int
    forms: list[str]


class YearPart(BaseModel):
    key: str
    parts: int
    forms: list[str]


class YearWords(BaseModel):
    """Number words a year is spelled with («ألفين وأربعة عشر», «تسعة عشر تسعة وتسعون»)."""

    thousands: dict[int, list[str]]
    hundreds: dict[int, list[str]]
    tens: dict[int, list[str]]
    units: dict[int, list[str]]
    ten: list[str]
    conjunction: str


class DatesData(BaseModel):
    proclitics: str
    direction_first: bool = False
    weekdays: dict[int, list[str]]
    weekday_words: list[str]
    ordinal_units: dict[int, list[str]]
    ordinal_ten: list[str]
    ordinal_teen_suffix: list[str]
    ordinal_tens: dict[int, list[str]]
    day_suffixes: list[str] = []
    cardinals: dict[int, list[str]]
    vague_counts: list[VagueCount]
    units: dict[Literal["day", "week", "month", "year", "decade"], UnitForms]
    directions: dict[int, list[str]]
    this_words: list[str]
    relative_days: list[RelativeDay]
    dayparts: list[Daypart]
    ago_words: list[str]
    rest_words: list[str] = []
    counted_anchors: list[str] = []
    day_prepositions: list[str] = []
    after_words: list[str]
    ago_after_words: list[str] = []
    from_now: list[str]
    fuzzy: dict[Literal["early", "mid", "late"], list[str]]
    fuzzy_day: dict[str, Literal["first", "last"]]
    year_cues: list[str]
    era_suffixes: dict[Literal["hijri", "gregorian"], list[str]]
    year_prepositions: list[str]
    decades: list[Decade]
    decade_century: int
    century_words: dict[int, list[str]]
    range_openers: list[str]
    range_joiners: list[str]
    since_words: list[str]
    anchored_following: list[AnchoredFollowing]
    anchored_previous: list[AnchoredPrevious]
    hour_words: list[str]
    genitive: list[str]
    in_words: list[str]
    during_words: list[str]
    equals_words: list[str]
    ordinal_joiners: list[str]
    list_joiners: list[str]
    definite_prefix: str
    last_words: list[str]
    day_of_month_words: list[str]
    of_words: list[str]
    of_glued: str
    seasons: list[Season]
    holidays: list[Holiday]
    year_parts: list[YearPart]
    year_words: YearWords | None = None


# ---------------------------------------------------------------------------------------------
# The compiled grammar


@dataclass(frozen=True, slots=True)
class MonthName:
    month: int
    calendar: Literal["gregorian", "hijri"]
    ambiguous: bool


@dataclass(slots=True)
class Grammar:
    """One language's compiled pattern and the lookups that turn matched words into values."""

    rules: tuple[str, ...] = ()
    patterns: tuple[regex.Pattern[str], ...] = ()
    by_word: dict[str, tuple[int, ...]] = field(default_factory=dict)
    digit_rules: tuple[int, ...] = ()
    # Every lead word also with one or two glued proclitics («وأمس», «وبعد»): the letters to skip
    # and the rules to try, in skip order, so that a word costs one lookup.
    glued: dict[str, tuple[tuple[int, tuple[int, ...]], ...]] = field(default_factory=dict)
    # What must surround a number for any digit rule to match there (a separator, a joiner, a
    # month, a unit, an era, a clause end, «منذ» before): most numbers in news are counts, and
    # this one test spares them the dozen rules that would each fail.
    digit_gate: regex.Pattern[str] = field(default_factory=lambda: regex.compile(r"\d"))
    # The same for a preposition that only leads rules through longer forms («في وقت متأخر من»)
    # or a number after it («في الـ 24 ساعة»): the next word must be one of those.
    word_gates: dict[str, regex.Pattern[str]] = field(default_factory=dict)
    months: dict[str, MonthName] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    ordinals: dict[str, int] = field(default_factory=dict)
    cardinals: dict[str, int] = field(default_factory=dict)
    vague: dict[str, tuple[int, int]] = field(default_factory=dict)
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # form -> (unit, number)
    directions: dict[str, int] = field(default_factory=dict)
    relative_days: dict[str, RelativeDay] = field(default_factory=dict)
    dayparts: dict[str, Daypart] = field(default_factory=dict)
    fuzzy: dict[str, str] = field(default_factory=dict)
    fuzzy_day: dict[str, str] = field(default_factory=dict)
    eras: dict[str, str] = field(default_factory=dict)
    decades: dict[str, int] = field(default_factory=dict)
    decade_century: int = 1900
    # number word -> value; ``ten_words`` make a teen after a unit («تسعة عشر» = 19)
    year_numbers: dict[str, int] = field(default_factory=dict)
    ten_words: frozenset[str] = frozenset()
    centuries: dict[str, int] = field(default_factory=dict)
    weekdays_bare: dict[str, int] = field(default_factory=dict)
    seasons: dict[str, Season] = field(default_factory=dict)
    year_parts: dict[str, YearPart] = field(default_factory=dict)
    holidays: dict[str, Holiday] = field(default_factory=dict)
    last_words: frozenset[str] = frozenset()
    following: dict[str, AnchoredFollowing] = field(default_factory=dict)
    previous: dict[str, AnchoredPrevious] = field(default_factory=dict)
    proclitics: str = ""
    list_joiners: frozenset[str] = frozenset()
    offset_words: frozenset[str] = frozenset()
    since_words: frozenset[str] = frozenset()
    joiner: regex.Pattern[str] = field(default_factory=lambda: regex.compile(r"\A\s*-\s*\Z"))
    opener: regex.Pattern[str] = field(default_factory=lambda: regex.compile(r"(?!)"))
    since: regex.Pattern[str] = field(default_factory=lambda: regex.compile(r"(?!)"))
    # A preposition of time right before a word («في رمضان», «منذ رجب»): a month name that is
    # also a common word or a first name counts as a month after one.
    time_preposition: regex.Pattern[str] = field(default_factory=lambda: regex.compile(r"(?!)"))
    # «في»/«خلال» right before a part of a period or a span of days: it joins the span («في أواخر
    # آذار», «خلال الأيام الثلاثة الماضية»), as the public suites mark it.
    in_before: regex.Pattern[str] = field(default_factory=lambda: regex.compile(r"(?!)"))
    # «بعد أربعة أعوام من الانتفاضة», «قبل ساعات على التفجير»: counted from another event
    counted_anchor: regex.Pattern[str] = field(default_factory=lambda: regex.compile(r"(?!)"))


def _key(form: str) -> str:
    return " ".join(form.split())


class _Lexicon:
    """Normalizes data forms and builds alternations (longest first) plus the form lookups."""

    def __init__(self, charmap: Charmap) -> None:
        self.charmap = charmap

    def norm(self, form: str) -> str:
        return _key(normalize_text(form, self.charmap).text)

    def alt(self, forms: Iterable[str]) -> str:
        """An alternation of the forms as a prefix tree.

        A flat list of hundreds of words is tried word by word at every position; a tree fails
        at the first letter.
        """
        keys = {self.norm(f) for f in forms if f.strip()}
        if not keys:
            return "(?!)"
        return _trie_pattern(keys)


_END = ""


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching exactly ``words`` (spaces match any whitespace), longest first."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = []
        for char in sorted(c for c in node if c != _END):
            head = r"\s+" if char == " " else regex.escape(char)
            branches.append(head + emit(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if _END in node:
            return f"(?:{body})?"
        return body

    return "(?:" + emit(root) + ")"


def build_grammar(months: MonthsData, data: DatesData, charmap: Charmap) -> Grammar:
    lex = _Lexicon(charmap)
    norm = lex.norm
    g = Grammar()

    month_forms: list[str] = []
    bare_forms: list[str] = []
    sets: tuple[tuple[list[MonthEntry], Literal["gregorian", "hijri"]], ...] = (
        (months.gregorian, "gregorian"),
        (months.hijri, "hijri"),
    )
    for entries, cal in sets:
        for entry in entries:
            for form in entry.forms:
                g.months[norm(form)] = MonthName(entry.month, cal, entry.ambiguous)
                (bare_forms if entry.bare_only else month_forms).append(form)
    for weekday, forms in data.weekdays.items():
        for form in forms:
            g.weekdays[norm(form)] = weekday
    units_ordinal: dict[str, int] = {}
    for value, forms in data.ordinal_units.items():
        for form in forms:
            units_ordinal[norm(form)] = value
    for form, value in units_ordinal.items():
        g.ordinals[form] = value
        for teen in data.ordinal_teen_suffix:
            g.ordinals[f"{form} {norm(teen)}"] = 10 + value
        for tens, tens_forms in data.ordinal_tens.items():
            for tens_form in tens_forms:
                for joiner in data.ordinal_joiners:
                    g.ordinals[f"{form} {norm(joiner)}{norm(tens_form)}"] = tens + value
                    g.ordinals[f"{form} {norm(joiner)} {norm(tens_form)}"] = tens + value
    for form in data.ordinal_ten:
        g.ordinals[norm(form)] = 10
    for tens, tens_forms in data.ordinal_tens.items():
        for form in tens_forms:
            g.ordinals[norm(form)] = tens
    article = norm(data.definite_prefix) if data.definite_prefix else ""
    for value, forms in data.cardinals.items():
        for form in forms:
            g.cardinals[norm(form)] = value
            if article:
                g.cardinals[article + norm(form)] = value
    bare_weekdays: dict[str, int] = {}
    for form, weekday_no in g.weekdays.items():
        if article and form.startswith(article):
            bare_weekdays[form[len(article) :]] = weekday_no
    g.weekdays_bare = bare_weekdays
    for season_entry in data.seasons:
        for form in season_entry.forms:
            g.seasons[norm(form)] = season_entry
    for part_entry in data.year_parts:
        for form in part_entry.forms:
            g.year_parts[norm(form)] = part_entry
    for holiday_entry in data.holidays:
        for form in holiday_entry.forms:
            g.holidays[norm(form)] = holiday_entry
    g.last_words = frozenset(norm(w) for w in data.last_words)
    for vague in data.vague_counts:
        for form in vague.forms:
            g.vague[norm(form)] = (vague.low, vague.high)
    for unit, unit_forms in data.units.items():
        for number in (
            "singular",
            "dual",
            "plural",
            "definite",
            "definite_plural",
            "definite_dual",
        ):
            for form in getattr(unit_forms, number):
                g.units.setdefault(norm(form), (unit, number))
    for offset, forms in data.directions.items():
        for form in forms:
            g.directions[norm(form)] = offset
    for this in data.this_words:
        g.directions.setdefault(norm(this), 0)
    for rel in data.relative_days:
        for form in rel.forms:
            g.relative_days[norm(form)] = rel
    for part in data.dayparts:
        for form in part.forms:
            g.dayparts[norm(form)] = part
    for kind, forms in data.fuzzy.items():
        for form in forms:
            g.fuzzy[norm(form)] = kind
    g.fuzzy_day = {norm(k): v for k, v in data.fuzzy_day.items()}
    for era_name, forms in data.era_suffixes.items():
        for form in forms:
            g.eras[norm(form)] = era_name
    for decade_entry in data.decades:
        for form in decade_entry.forms:
            g.decades[norm(form)] = decade_entry.decade
    g.decade_century = data.decade_century
    spelled_any, spelled_compound = "(?!)", "(?!)"
    # Years in words are defined once per rule pattern and called by name: a rule may hold a
    # year several times, and inlined they made the grammar slow to compile.
    spelled_define = ""
    if data.year_words is not None:
        any_form, compound_form = _spelled_year_patterns(g, data.year_words, lex)
        spelled_define = rf"(?(DEFINE)(?P<_spelled>{any_form})(?P<_compound>{compound_form}))"
        spelled_any, spelled_compound = "(?&_spelled)", "(?&_compound)"
    for century_start, forms in data.century_words.items():
        for form in forms:
            g.centuries[norm(form)] = century_start
    for following_entry in data.anchored_following:
        for form in following_entry.forms:
            g.following[norm(form)] = following_entry
    for previous_entry in data.anchored_previous:
        for form in previous_entry.forms:
            g.previous[norm(form)] = previous_entry

    # Building blocks. ``B`` starts a word (after a space or glued proclitics, which stay outside
    # the span); ``E`` ends one.
    pro = regex.escape(norm(data.proclitics)) if data.proclitics else ""
    B = rf"(?<=^|[^\w]|(?:^|[^\w])[{pro}]{{1,2}})" if pro else r"(?<![\w])"
    B_BARE = r"(?<![\w])"
    glue = rf"[{pro}]{{0,2}}" if pro else ""  # proclitics inside a pattern: «لعام», «بشهر»
    E = r"(?![^\W_])"
    S = r"\s+"
    O = r"\s*"  # noqa: E741 - S and O read as the regex classes they stand for
    suffix = lex.alt(data.day_suffixes) if data.day_suffixes else "(?!)"
    month_alt = lex.alt(month_forms)
    bare_alt = lex.alt(bare_forms) if bare_forms else "(?!)"
    month_word = lex.alt(months.month_words)
    wd = lex.alt(g.weekdays)
    wd_word = lex.alt(data.weekday_words)
    # The ordinals as their parts (unit, then a teen suffix or «و» + tens), not the ~500 forms
    # they make: the same words, a pattern an eighth the size in every rule that holds a day.
    ordinal_unit = lex.alt(f for forms in data.ordinal_units.values() for f in forms)
    ordinal_tens = lex.alt(f for forms in data.ordinal_tens.values() for f in forms)
    ordinal = (
        rf"(?:{ordinal_unit}(?:\s+(?:{lex.alt(data.ordinal_teen_suffix)}"
        rf"|{lex.alt(data.ordinal_joiners)}\s*{ordinal_tens}))?"
        rf"|{lex.alt(data.ordinal_ten)}|{ordinal_tens})"
    )
    this = lex.alt(data.this_words)
    direction = lex.alt(g.directions)
    cue = lex.alt(data.year_cues)
    era = lex.alt(g.eras)
    joiners = lex.alt(data.range_joiners)
    gen = lex.alt(data.genitive)
    inw = lex.alt(data.in_words)
    during = lex.alt(data.during_words)
    gen_in = lex.alt(data.genitive + data.in_words)
    equals = lex.alt(data.equals_words)
    article = regex.escape(norm(data.definite_prefix)) if data.definite_prefix else "(?!)"
    openers = lex.alt(data.range_openers)

    # «شهر 3», «شهر عشرة»: a month by its number (Iraqi and Gulf usage)
    month_numbers = lex.alt(f for f, v in g.cardinals.items() if 1 <= v <= 12)

    def month(name: str) -> str:
        # A month name, optionally paired with its other-set name: «آب/أغسطس», «أيلول (سبتمبر)».
        one = rf"(?:{B}{month_alt}|{B_BARE}{bare_alt}){E}"
        two = rf"(?:{month_alt}|{bare_alt}){E}"
        return (
            rf"(?:(?:{month_word}{S})?(?P<{name}>{one})"
            rf"(?:{O}[/\-(]{O}(?P<{name}_pair>{two})(?:{O}\))?|{S}(?P<{name}_pair>{two}))?"
            rf"|{B}{month_word}{S}(?P<{name}_num>1[0-2]|0?[1-9]|{month_numbers}){E}(?!{O}[/\-.]))"
        )

    def day(name: str) -> str:
        return (
            rf"(?:(?P<{name}>\d{{1,2}})(?:{suffix})?(?!\d)(?![.,/]\d)"
            rf"|(?P<{name}_ord>{B}(?>{ordinal})){E})"  # atomic: «الحادي والثلاثين» is one day
        )

    def year(name: str, *, cue_required: bool = False) -> str:
        cue_given = rf"(?:(?:{gen_in}{S})?{B}{glue}{cue}{O})"
        # figures (a cue optional unless required), or a spelled year: any after a cue, a
        # compound one after a month or «من»
        figures = rf"(?P<{name}>\d{{4}}|\d{{3}}(?={O}{era}{E}))(?!\d)"
        words = rf"(?P<{name}_words>{spelled_any})"
        compound = rf"{B}(?P<{name}_words>{spelled_compound})"
        body = (
            rf"{cue_given}(?:{figures}|{words})"
            if cue_required
            else rf"(?:{cue_given}(?:{figures}|{words})|{figures}|{compound})"
        )
        if cue_required:
            body = rf"(?:{body}|{compound})"
        return rf"(?:{body}(?:{O}(?P<{name}_era>{era}){E}\.?)?)"

    year_after = rf"(?:{O}[,.]?{O}(?:{gen}{S})?{year('y')})"
    # «آذار من العام الماضي», «يونيو العام المقبل»
    year_relative = (
        rf"(?:{S}(?:{gen}{S})?(?:(?P<ythis>{lex.alt(data.this_words)}){S})?"
        rf"(?P<yunit>{lex.alt(f for u in data.units.values() for f in u.definite)})"
        rf"(?![^\W_])(?:{S}(?P<ydir>{lex.alt(g.directions)})(?![^\W_]))?)"
    )
    weekday_lead = rf"(?:(?P<wd>{B}{wd}){E}{O}[,(]?{O}(?:(?:{inw}|{equals}){S})?)"
    daypart = lex.alt(g.dayparts)
    daypart_lead = rf"(?:(?P<dp>{B}{daypart}){E}{S})"
    rel_day = lex.alt(g.relative_days)
    unit_def = lex.alt(f for u in data.units.values() for f in u.definite)
    unit_def_pl = lex.alt(
        f for u in data.units.values() for f in u.definite_plural + u.definite_dual
    )
    unit_any = lex.alt(f for u in data.units.values() for f in u.singular + u.dual + u.plural)
    count = lex.alt(list(g.cardinals) + list(g.vague))
    fuzzy = lex.alt(g.fuzzy)
    decade = lex.alt(g.decades)
    century = lex.alt(f for forms in data.century_words.values() for f in forms)
    since = lex.alt(data.since_words)
    ago = lex.alt(data.ago_words + data.after_words)
    ago_after = lex.alt(data.ago_after_words)
    from_now = lex.alt(data.from_now)
    hours = lex.alt(data.hour_words)
    following = lex.alt(g.following)
    previous = lex.alt(g.previous)
    num_sep = r"[/\-.]"
    last = lex.alt(data.last_words)
    nth = rf"(?:(?P<nth>{B}{ordinal})|(?P<last>{B}{last})){E}"
    glued = regex.escape(norm(data.of_glued)) if data.of_glued else "(?!)"
    of = rf"(?:{O}(?:{lex.alt(data.of_words)}){S}|{S}{glued}|{S})"
    wd_bare = lex.alt(list(g.weekdays_bare) + list(g.weekdays))
    week_word = lex.alt(f for f in data.units["week"].singular + data.units["week"].definite)
    dom_word = lex.alt(data.day_of_month_words)
    month_target = (
        rf"(?:{month('m')}(?:{year_after}|{year_relative})?"
        rf"|(?:(?P<this>{this}){S})?(?P<munit>{unit_def}){E}(?:{S}(?P<dir>{direction}){E})?"
        rf"|{year('y', cue_required=True)})"
    )
    season = lex.alt(g.seasons)
    holiday = lex.alt(g.holidays)

    joiner_and = lex.alt(data.ordinal_joiners) if data.ordinal_joiners else "(?!)"
    amount = rf"(?:(?:\d{{1,2}}(?!\d){O}|{B}{count}{S})?{B}{unit_any}{E})"

    rules: list[tuple[str, str]] = [
        ("following", rf"{B}(?P<follow>{following}){E}"),
        ("previous", rf"(?:{during}{S})?(?:{daypart_lead})?{B}(?P<prev>{previous}){E}"),
        # «من 8 إلى 15 آب/أغسطس 1998», «بين 4-22 يناير 2017», «13 الى 15 تموز»
        (
            "day_range",
            rf"(?:{B}{openers}{S})?{day('d1')}{O}{joiners}{O}{day('d2')}{O}(?:{gen}{S})?"
            rf"{month('m')}{year_after}?",
        ),
        # «تموز 13 الى 15», «يوليو 13-15»
        (
            "month_day_range",
            rf"{month('m')}{O}(?:{B}{openers}{S})?{day('d1')}{O}{joiners}{O}{day('d2')}{year_after}?",
        ),
        # «من 4 إلى 22 هذا الشهر», «بين 4 و 22 من الشهر المقبل»
        (
            "day_range_relative",
            rf"(?:{B}{openers}{S})?{day('d1')}{O}{joiners}{O}{day('d2')}{O}(?:{gen_in}{S})?"
            rf"(?:(?P<this>{this}){S})?(?P<munit>{unit_def}){E}(?:{S}(?P<dir>{direction}){E})?",
        ),
        # «ثالث ثلاثاء من شهر أيلول 2014», «الاثنين الأخير من شهر آذار», «أول جمعة من رمضان»
        (
            "nth_weekday",
            rf"(?:{nth}{S}(?:{wd_word}{S})?(?P<wd>{B}{wd_bare}){E}"
            rf"|(?P<wd>{B}{wd}){E}{S}{nth}){of}{month_target}",
        ),
        # «الأسبوع الأول من شهر تشرين الأول 2014», «آخر أسبوع في سبتمبر», «الأسبوع الثالث من عام»
        (
            "week_of",
            rf"(?:{nth}{S}(?P<wk>{B}{week_word}){E}|(?P<wk>{B}{week_word}){E}{S}{nth}){of}{month_target}",
        ),
        # «اليوم الأول من رمضان», «آخر يوم من شهر أكتوبر», «اليوم الأخير من شهر عشرة»
        (
            "day_of",
            rf"(?:(?P<dom>{B}{dom_word}){S}{nth}|{nth}{S}(?P<dom>{wd_word})){E}{of}{month_target}",
        ),
        # «النصف الأول من العام», «الربع الثالث من عام 2016», «الربع الثالث 2016»
        (
            "year_part",
            rf"(?P<yp>{B}{lex.alt(g.year_parts)}){E}{S}{nth}"
            rf"(?:{of}(?:{year('y', cue_required=True)}"
            rf"|(?:(?P<this>{this}){S})?(?P<munit>{unit_def}){E}(?:{S}(?P<dir>{direction}){E})?)"
            rf"|{S}{year('y')})",
        ),
        # «عيد الفطر», «عيد الأضحى 2013»
        ("holiday", rf"(?P<hol>{B}{holiday}){E}(?:{year_after})?"),
        # «صيف 2016», «هذا الصيف», «الربيع القادم»
        (
            "season",
            rf"(?:(?P<this>{B}{this}){S}(?P<season>{season}){E}(?:{year_after})?"
            rf"|(?P<season>{B}{season}){E}(?:{S}(?P<dir>{direction}){E}|{year_after}))",
        ),
        # «8 آب/أغسطس 1998», «الاثنين 12 يناير 2016», «الرابع من مايو», «2. أكتوبر»: «يوم» before
        # a date stays outside the span, as before a weekday (the public suites mark it so)
        (
            "day_month",
            rf"(?:{daypart_lead})?(?:{weekday_lead}|(?P<day_word>{B}{dom_word}){S})?"
            rf"{day('d')}"
            rf"{O}(?:[\-/.]{O})?(?:{gen_in}{S})?{month('m')}"
            rf"(?:{year_after}|{year_relative}|{S}(?P<dir>{direction}){E})?",
        ),
        # «يناير 1», «سبتمبر الحادي والعشرين من 1978», «مايو الحادي عشر»
        (
            "month_day",
            rf"(?:{weekday_lead})?{month('m')}{O}-?{O}{day('d')}(?:{O},?{O}(?:{gen}{S})?{year('y')})?",
        ),
        # 1998-08-08, 2016/02/22
        (
            "numeric_ymd",
            rf"(?:{weekday_lead})?(?<![\d.,/])(?P<ny>\d{{4}}){O}(?P<s1>{num_sep}){O}(?P<nm>\d{{1,2}})"
            rf"{O}(?P=s1){O}(?P<nd>\d{{1,2}})(?![\d/])(?:{O}(?P<y_era>{era}){E}\.?)?",
        ),
        # 8/8/1998, 8.8.1998, 18-9-15, 11/12, 2016
        (
            "numeric_dmy",
            rf"(?:{weekday_lead})?(?<![\d.,/])(?P<na>\d{{1,2}})(?P<s1>{num_sep})(?P<nb>\d{{1,2}})"
            rf"(?:(?P=s1)|,{O})(?P<ny>\d{{4}}|\d{{2}})(?![\d/]|\.\d)(?:{O}(?P<y_era>{era}){E}\.?)?",
        ),
        # 3/2015, 2015/3: a month of a year
        (
            "numeric_my",
            r"(?<![\d.,/])(?:(?P<nm>\d{1,2})[/\-](?P<ny>\d{4})|(?P<ny>\d{4})[/.](?P<nm>\d{1,2}))"
            r"(?![\d/]|\.\d)",
        ),
        # 04/22, 22/04: day and month with a slash (a dash or a dot is a score or a decimal)
        (
            "numeric_dm",
            rf"(?:{weekday_lead})?(?<![\d.,/])(?P<na>\d{{1,2}})/(?P<nb>\d{{1,2}})(?![\d/]|[.,]\d)"
            # after «في» a dash or a dot too, closing a clause («عاد في 22-4.»): a range of counts
            # has its noun after it («في 2-3 هجمات»)
            rf"|(?<={B}{lex.alt(data.day_prepositions)}{S})(?P<na>\d{{1,2}})[.\-](?P<nb>\d{{1,2}})"
            rf"(?=\s*(?:[,;:!?)\"\n]|\.(?!\d)|$))",
        ),
        # «أواخر شهر أيلول/سبتمبر عام 1995», «منتصف آذار»
        ("fuzzy_month", rf"(?P<fz>{B}{fuzzy}){E}{O}(?:{gen}{S})?{month('m')}{year_after}?"),
        # «أواخر عام 1995», «مطلع العام الماضي», «نهاية الأسبوع المقبل»
        (
            "fuzzy_year",
            rf"(?P<fz>{B}{fuzzy}){E}{O}(?:{gen}{S})?{year('y', cue_required=True)}",
        ),
        (
            "fuzzy_relative",
            rf"(?P<fz>{B}{fuzzy}){E}{O}(?:{gen}{S})?(?:(?P<this>{this}){S})?(?P<unit>{unit_def}){E}"
            rf"(?:{S}(?P<dir>{direction}){E})?",
        ),
        # «شهر تشرين الثاني/نوفمبر 1998», «هذا يناير», «سبتمبر الماضي»
        (
            "month",
            rf"(?:(?P<this>{B}{this}){S})?{month('m')}"
            rf"(?:{year_after}|{year_relative}|{S}(?P<dir>{direction}){E})?",
        ),
        # «عام 1998», «1419 هـ», «بين عامي 2011 و2014»
        (
            "year",
            rf"{B}(?:{openers}{S})?(?:{gen}{S})?{cue}{O}"
            rf"(?:(?P<y>\d{{3,4}})(?!\d)|{B}(?P<y_words>{spelled_any}))(?:{O}(?P<y_era>{era}){E}\.?)?"
            rf"(?:{O}{joiners}{O}(?:{cue}{O})?(?P<y2>\d{{4}})(?!\d))?",
        ),
        # «من 2014 إلى 2018», «2011-2014»
        (
            "year_range",
            rf"(?:{B}{openers}{S})?(?<![\d.,/])(?P<y>1[89]\d\d|20\d\d){O}{joiners}{O}"
            rf"(?P<y2>1[89]\d\d|20\d\d)(?![\d/]|[.,]\d)",
        ),
        ("year_era", rf"(?<![\d.,/])(?P<y>\d{{3,4}}){O}(?P<y_era>{era}){E}\.?"),
        (
            "year_prep",
            rf"(?<={B}{lex.alt(data.year_prepositions)}{S})(?P<y>1[89]\d\d|20\d\d)(?=\s*(?:[,.;:!?)\"\n]|$))",
        ),
        # «منذ 2011 قُتل …»: after «منذ» a modern year needs no cue (a count would have a unit)
        (
            "year_since",
            rf"(?<={B}{since}{S})(?P<y>1[89]\d\d|20\d\d)(?!\d)(?![.,/]\d)(?!{O}{unit_any}{E})",
        ),
        ("decade", rf"(?P<dec>{B}{decade}){E}(?:{S}(?P<cent>{century}){E})?"),
        # «اليوم (الاثنين)», «أمس الأحد», «مساء أمس», «فجر اليوم»
        (
            "relative_day",
            rf"(?:{daypart_lead})?(?P<rel>{B}{rel_day}){E}(?:{O}\(?{O}(?P<wd>{wd}){E}(?:{O}\))?)?",
        ),
        # «3 أيام القادمة», «الثلاثة عقود الماضية», «آخر 3 سنوات»: a counted span from the anchor
        (
            "counted_span",
            rf"(?:(?:(?P<n>\d{{1,2}})(?!\d)|(?P<cnt>{B}{count}){E}){S}"
            rf"(?P<unit>{unit_any}|{unit_def_pl}){E}{S}(?P<dir>{direction}){E}"
            rf"|(?P<last>{B}{last}){E}{S}(?:(?P<n>\d{{1,2}})(?!\d)|(?P<cnt>{count}){E}){S}"
            rf"(?P<unit>{unit_any}){E})",
        ),
        # «بقية الأسبوع», «باقي هذا الشهر»: from the anchor to the end of the period
        (
            "rest",
            rf"(?P<rest>{B}{lex.alt(data.rest_words)}){E}{S}(?:{gen}{S})?(?:(?P<this>{this}){S})?"
            rf"(?P<unit>{unit_def}){E}(?:{S}(?P<dir>{direction}){E})?",
        ),
        # «قبل ثلاثة أيام», «بعد يومين», «منذ أسبوع», «قبل أيام», «3 days ago»
        (
            "counted",
            rf"(?P<ago>{B}{ago}){E}{S}(?:(?P<n>\d{{1,2}})(?!\d){O}|(?P<cnt>{count}){E}{S})?"
            rf"(?P<unit>{unit_any}){E}(?!{S}\d{{4}}(?!\d))(?:{S}{from_now}{E})?"  # «منذ عام 2009»
            rf"(?!{O}[,،]?{O}(?:{joiner_and}|,){O}{amount})",  # «منذ شهر و21 يوما»: compound
        ),
        (
            "counted_after",
            rf"(?:(?P<n>\d{{1,2}})(?!\d){O}|(?P<cnt>{B}{count}){E}{S})(?P<unit>{unit_any}){E}{S}"
            rf"(?P<ago_after>{ago_after}){E}",
        ),
        # «الأيام القليلة الماضية», «الأسابيع الثلاثة الماضية», «خلال الـ24 ساعة الماضية»  # noqa: RUF003
        (
            "past_span",
            rf"(?:{during}{S})?{B}(?P<unit>{unit_def_pl}){E}{S}"
            rf"(?:(?P<cnt>{count}){E}{S}|(?P<n>\d{{1,2}})(?!\d){S})?"
            rf"(?P<dir>{direction}){E}",
        ),
        (
            "hours",
            rf"(?:{inw}{S})(?:{article})?[\u0640\s]*(?P<n>\d{{1,3}}){O}(?P<unit>{hours}){E}"
            rf"(?:{S}(?P<dir>{direction}){E})?",
        ),
        # «الأسبوع المقبل بين الأربعاء والجمعة», «هذا الأسبوع من الثلاثاء إلى الخميس»
        (
            "week_weekdays",
            rf"(?:(?P<this>{B}{this}){S})?(?P<unit>{B}{week_word}){E}(?:{S}(?P<dir>{direction}){E})?"
            rf"{S}{openers}{S}(?P<wd>{wd}){E}{O}{joiners}{O}(?P<wd2>{wd}){E}",
        ),
        # «الخميس الماضي», «يوم الجمعة», «الأحد من الأسبوع الماضي», «الأسبوع المقبل يوم الجمعة»,
        # «الخميس 21». «يوم» before a weekday stays outside the span, as the public suites mark it.
        (
            "weekday",
            rf"(?:{daypart_lead})?(?:(?P<this>{B}{this}){S}(?:{wd_word}{S})?)?"
            rf"(?:(?:(?P<pthis>{B}{this}){S})?(?P<punit>{B}{unit_def}){E}(?:{S}(?P<pdir>{direction}){E})?"
            rf"{S}(?:{wd_word}{S})?)?"
            rf"(?P<wd>{B}{wd}){E}"
            rf"(?:{S}(?:{gen}{S})?(?:(?P<wthis>{this}){S})?(?P<unit>{unit_def}){E}(?:{S}(?P<wdir>{direction}){E})?"
            rf"|{S}(?P<dir>{direction}){E}"
            rf"|{O},?{O}(?:{inw}{S})?(?P<d>\d{{1,2}})(?!\d)(?![.,/]\d)"
            rf"|{S}(?:{inw}{S})?(?P<d_ord>(?>{ordinal})){E})?",
        ),
        # «20 من الشهر القادم», «العشرين من هذا الشهر»
        (
            "day_of_relative_month",
            rf"{day('d')}{O}{gen}{S}(?:(?P<this>{this}){S})?(?P<unit>{unit_def}){E}(?:{S}(?P<dir>{direction}){E})?",
        ),
        # «الأسبوع الماضي», «هذا الشهر», «العام المقبل», «last week»
        (
            "relative_unit",
            rf"(?:(?P<this>{B}{this}){S}(?P<unit>{unit_def}){E}(?:{S}(?P<dir>{direction}){E})?"
            rf"|(?P<unit>{B}{unit_def}){E}{S}(?P<dir>{direction}){E}"
            rf"|(?P<dir>{B}{direction}){E}{S}(?P<unit>{unit_def}){E})",
        ),
        # «1 شهر و 21 يوما من الآن»: several units counted from the anchor (back unless «بعد»)
        (
            "compound_offset",
            rf"(?P<parts>{amount}(?:{O}[,،]?{O}{joiner_and}{O}{amount}|{O},{O}{amount}|{S}{amount})+)"
            rf"(?:{S}(?P<now>{from_now}){E})?",
        ),
        # «عاد في 27.», «وصل في الثاني والعشرين.»: a day of the anchor's month closing a sentence
        (
            "day_prep",
            rf"(?<={B}{lex.alt(data.day_prepositions)}{S})"
            rf"(?:(?P<d>[1-9]|[12]\d|3[01])(?![\d.,/]\d)|(?P<d_ord>(?>{ordinal}))){E}"
            r"(?=\s*(?:[.!?]|$))",
        ),
        # «يوم 27»: a day of the anchor's month
        (
            "day_of_month",
            rf"(?P<day_word>{B}{wd_word}){S}(?P<d>\d{{1,2}})(?!\d)(?![.,/]\d)(?!{O}{unit_any})"
            rf"(?!{O}(?:[\-/.]{O})?(?:{gen_in}{S})?{month('m')})",  # «يوم 8 آب» is day_month's
        ),
    ]
    if not data.direction_first:
        rules = [r for r in rules if r[0] != "counted_after"]
    g.proclitics = norm(data.proclitics) if data.proclitics else ""
    g.list_joiners = frozenset({"", *(norm(w) for w in data.list_joiners)})
    g.offset_words = frozenset(norm(w) for w in data.ago_words + data.after_words)
    g.since_words = frozenset(norm(w) for w in data.since_words)

    # The words each rule can start with (any optional lead included), so that a word is tried
    # only against the rules it can start: one small pattern per rule, not one alternation.
    def words(*groups: Iterable[str]) -> set[str]:
        return {norm(f).split()[0] for group in groups for f in group if norm(f).split()}

    openers_w = words(data.range_openers)
    parts_w = words(g.dayparts)
    ordinal_w = words(g.ordinals)
    month_w = words(g.months, months.month_words)
    weekday_w = words(g.weekdays)
    this_w = words(data.this_words)
    last_w = words(data.last_words)
    unit_def_w = words(*(u.definite for u in data.units.values()))
    digit = "0"
    leads: dict[str, set[str]] = {
        "following": words(g.following),
        "previous": words(data.during_words, g.dayparts, g.previous),
        "day_range": openers_w | ordinal_w | {digit},
        "month_day_range": month_w,
        "day_range_relative": openers_w | ordinal_w | {digit},
        "nth_weekday": ordinal_w | last_w | weekday_w | words(g.weekdays_bare),
        "week_of": ordinal_w
        | last_w
        | words(data.units["week"].singular, data.units["week"].definite),
        "day_of": words(data.day_of_month_words) | ordinal_w | last_w,
        "holiday": words(g.holidays),
        "year_part": words(g.year_parts),
        "season": this_w | words(g.seasons),
        "day_month": parts_w | weekday_w | words(data.day_of_month_words) | ordinal_w | {digit},
        "month_day": weekday_w | month_w,
        "numeric_ymd": weekday_w | {digit},
        "numeric_dmy": weekday_w | {digit},
        "numeric_my": {digit},
        "numeric_dm": weekday_w | {digit},
        "fuzzy_month": words(g.fuzzy),
        "fuzzy_year": words(g.fuzzy),
        "fuzzy_relative": words(g.fuzzy),
        "month": this_w | month_w,
        "year": openers_w | words(data.genitive, data.year_cues),
        "year_range": openers_w | {digit},
        "year_era": {digit},
        "year_prep": {digit},
        "day_prep": {digit} | ordinal_w,
        "year_since": {digit},
        "decade": words(g.decades),
        "relative_day": parts_w | words(g.relative_days),
        "counted": words(data.ago_words, data.after_words),
        "counted_after": words(g.cardinals, g.vague) | {digit},
        "past_span": words(
            data.during_words, *(u.definite_plural + u.definite_dual for u in data.units.values())
        ),
        "hours": words(data.in_words),
        "weekday": parts_w | this_w | unit_def_w | weekday_w,
        "day_of_relative_month": ordinal_w | {digit},
        "relative_unit": this_w | unit_def_w | words(g.directions),
        "counted_span": {digit} | words(g.cardinals, g.vague) | last_w,
        "rest": words(data.rest_words),
        "week_weekdays": this_w | words(data.units["week"].singular, data.units["week"].definite),
        "day_of_month": words(data.weekday_words),
        "compound_offset": {digit}
        | words(g.cardinals, g.vague)
        | words(*(u.singular + u.dual + u.plural for u in data.units.values())),
    }
    g.rules = tuple(name for name, _ in rules)
    g.patterns = tuple(
        regex.compile(pattern + (spelled_define if "(?&_" in pattern else ""), regex.V0)
        for _, pattern in rules
    )
    by_word: dict[str, list[int]] = {}
    for index, (name, _) in enumerate(rules):
        for word in leads[name]:
            by_word.setdefault(word, []).append(index)
    g.by_word = {word: tuple(indexes) for word, indexes in by_word.items()}
    g.digit_rules = g.by_word.pop(digit, ())
    follows = "|".join(
        (joiners, gen_in, era, month_word, month_alt, bare_alt, unit_any, unit_def_pl)
    )
    forms_lists: list[Iterable[str]] = [
        g.dayparts,
        g.previous,
        g.fuzzy,
        g.relative_days,
        g.following,
        g.holidays,
        g.seasons,
        g.decades,
        g.year_parts,
        g.months,
        g.weekdays,
        g.ordinals,
        g.cardinals,
        g.vague,
        g.units,
        g.directions,
        g.centuries,
    ]
    all_forms = [form for forms in forms_lists for form in forms]
    for word in {norm(w) for w in data.in_words} - {norm(w) for w in data.during_words}:
        if any(form == word for form in all_forms):
            continue  # a whole form: any rule may follow
        seconds = {f.split()[1] for f in all_forms if len(f.split()) > 1 and f.split()[0] == word}
        number = rf"(?:{article})?[\u0640\s]*\d"  # «في الـ 24 ساعة» (the hours rule)
        g.word_gates[word] = regex.compile(
            rf"[^\W\d_]+{S}(?:{_trie_pattern(seconds) if seconds else '(?!)'}|{number})",
            regex.V0,
        )
    # «من», «بين» open a day range or a year («من 8 إلى 15 آب», «بين عامي 2011 و2014»)
    openers_gen = {norm(w) for w in data.range_openers + data.genitive}
    for word in openers_gen - set(g.word_gates) - {norm(w) for w in data.during_words}:
        if any(form == word for form in all_forms):
            continue
        seconds = {f.split()[1] for f in all_forms if len(f.split()) > 1 and f.split()[0] == word}
        more = rf"|{_trie_pattern(seconds)}" if seconds else ""
        g.word_gates[word] = regex.compile(
            rf"[^\W\d_]+{S}(?:\d|{ordinal}|{cue}|{gen}|{openers}{more})", regex.V0
        )
    g.digit_gate = regex.compile(
        rf"(?<=(?:{since}){S})|\d+(?:{suffix})?"
        rf"(?:{O}[/\-.,:;!?)\"\n]|{O}\Z|{O}(?:{follows}))",
        regex.V0,
    )
    lead_tries: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
    clitics = g.proclitics
    for word, indexes in g.by_word.items():
        lead_tries.setdefault(word, []).append((0, indexes))
        for first in clitics:
            lead_tries.setdefault(first + word, []).append((1, indexes))
            for second in clitics:
                lead_tries.setdefault(first + second + word, []).append((2, indexes))
    g.glued = {word: tuple(sorted(entries)) for word, entries in lead_tries.items()}
    # «الجمعة حتى يوم الثلاثاء»: «يوم» before the second weekday stays outside both spans
    g.joiner = regex.compile(rf"\A{O}(?:{joiners}){O}(?:{wd_word}{S})?\Z")
    g.opener = regex.compile(rf"(?:{openers}){O}\Z")
    g.since = regex.compile(rf"(?:{since}){S}\Z")
    if data.counted_anchors:
        # «من قبل» after an offset is the passive's agent («خطف قبل يومين من قبل مسلحين»)
        g.counted_anchor = regex.compile(
            rf"{S}(?:{lex.alt(data.counted_anchors)}){E}(?!{S}{ago}{E})", regex.V0
        )
    g.in_before = regex.compile(rf"{B}(?:{inw}){S}\Z", regex.V0)
    g.time_preposition = regex.compile(
        rf"{B}{glue}(?:{lex.alt(data.year_prepositions)}){S}\Z", regex.V0
    )
    return g


def _spelled_year_patterns(g: Grammar, words: YearWords, lex: _Lexicon) -> tuple[str, str]:
    """Patterns of a year in words: any form, and only compound forms (safe without a cue).

    «ألفين» alone is as often a count as a year, so it needs «عام»; «ألفين وأربعة عشر» after a
    month does not. Century pairs («تسعة عشر ثمانية وعشرون» = 1928) are compound.
    """
    conj = lex.norm(words.conjunction)
    word_end = r"(?![^\W_])"

    def alt(groups: dict[int, list[str]]) -> str:
        for value, forms in groups.items():
            for form in forms:
                g.year_numbers[lex.norm(form)] = value
        return lex.alt(f for forms in groups.values() for f in forms) + word_end

    thousands, units = alt(words.thousands), alt(words.units)
    alt(words.hundreds)
    alt(words.tens)
    modern = (
        rf"(?:{lex.alt(words.thousands.get(2000, []))}{word_end}"
        rf"|{lex.alt(words.thousands.get(1000, []))}\s+{conj}\s*"
        rf"{lex.alt(words.hundreds.get(900, []))}{word_end})"
    )
    g.ten_words = frozenset(lex.norm(f) for f in words.ten)
    ten = lex.alt(words.ten) + word_end
    # One alternation of every number word, repeated: compiled patterns stay small (a year is
    # in many rules), and ``_spelled_year`` reads the value back.
    number = lex.alt([*g.year_numbers, *g.ten_words]) + word_end
    sequence = rf"{number}(?:\s+(?:{conj}\s*)?{number}){{0,6}}"
    compound = (
        # without a cue only a modern year: «ألفين …», «ألف وتسعمائة …», «تسعة عشر …»; «آذار ألف
        # وخمسمائة متظاهر» is a count
        rf"(?:(?={modern}|{units}\s+{ten})"
        rf"{number}(?:\s+(?:{conj}\s*)?{number}){{1,6}}"
        rf"|{thousands}(?=\s*(?:[,.;:!?)\"\n]|$)))"  # «العاشر من سبتمبر، ألفين.»
    )
    return sequence, compound


def _spelled_year(g: Grammar, text: str) -> int:
    """The value of a year in words: a sum, or a century pair («تسعة عشر تسعة وتسعون» = 1999)."""
    values: list[int] = []
    big = False
    for token in text.split():
        if token not in g.year_numbers and token not in g.ten_words and token[:1] == "\u0648":
            token = token[1:]  # waw: «وأربعة»
        if not token:
            continue
        if token in g.ten_words:
            if values and values[-1] < 10:
                values[-1] += 10  # «تسعة عشر»
            else:
                values.append(10)
            continue
        value = g.year_numbers.get(token)
        if value is None:
            continue
        big = big or value >= 100
        values.append(value)
    if not big and len(values) > 1 and 10 <= values[0] <= 20:
        return values[0] * 100 + sum(values[1:])
    return sum(values)


def load_grammar(resources: Resources, lang: str) -> Grammar | None:
    """The language's compiled grammar, or None when it has no date data."""

    def build() -> Grammar | None:
        try:
            months = resources.model(MonthsData, lang, "months.yaml")
        except DataFileError:  # a language without date data simply gets no dates
            return None
        data = resources.model(DatesData, lang, "dates.yaml")
        return build_grammar(months, data, load_charmap(resources))

    return resources.derived(f"dates:{lang}", build)


# ---------------------------------------------------------------------------------------------
# Resolution


@dataclass(slots=True)
class Resolved:
    """A date found in the text, before it becomes a Mention."""

    start: int
    end: int
    rule: str
    first: date | None
    last: date | None
    precision: str
    calendar: str = "gregorian"
    relative: str | None = None
    anchor: str | None = None
    unresolved: bool = False
    timex: str | None = None
    mod: str | None = None
    weekday: int | None = None
    weekday_span: tuple[int, int] | None = None
    eve: bool = False  # a night daypart moved the start to the eve («ليلة الجمعة»)

    def value(self) -> JSONObject:
        return {
            "start": self.first.isoformat() if self.first else None,
            "end": self.last.isoformat() if self.last else None,
            "precision": self.precision,
            "calendar": self.calendar,
            "relative": self.relative,
            "anchor": self.anchor,
            "unresolved": self.unresolved,
            "timex": self.timex,
            "mod": self.mod,
        }


class Invalid(Exception):
    """A date that cannot exist (31 شباط, 99/99/9999): flagged, not a mention."""


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar_module.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar_module.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def make_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12 or year < 1:
        raise Invalid(f"no month {month}" if not 1 <= month <= 12 else f"no year {year}")
    try:
        return date(year, month, day)
    except ValueError:
        raise Invalid(f"{year:04d}-{month:02d} has no day {day}") from None


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    try:
        hijri = Hijri(year, month, day)
        return hijri.to_gregorian()
    except (ValueError, OverflowError) as error:
        raise Invalid(f"Hijri date {year}-{month}-{day}: {error}") from None


def hijri_month_range(year: int, month: int) -> tuple[date, date]:
    first = hijri_to_gregorian(year, month, 1)
    length = Hijri(year, month, 1).month_length()
    return first, first + timedelta(days=int(length) - 1)


def hijri_year_of(day: date) -> int:
    try:
        return int(Gregorian(day.year, day.month, day.day).to_hijri().year)
    except (ValueError, OverflowError) as error:  # the Umm al-Qura tables cover 1924-2077
        raise Invalid(f"no Hijri year for {day.isoformat()}: {error}") from None


def easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


# A year above this next to a Hijri month is Gregorian («رمضان 2019»); Hijri years are now ~1450.
# A bare numeric date with a year from HIJRI_YEAR_FIRST to HIJRI_YEAR_LIMIT is Hijri: the Umm
# al-Qura tables cover 1343-1500, and modern reports do not write 1343-1600 AD dates in figures.
HIJRI_YEAR_FIRST = 1343
HIJRI_YEAR_LIMIT = 1600


def hijri_year_starting_in(gregorian_year: int, month: int) -> int:
    """The Hijri year whose ``month`` begins in the Gregorian year (the first if two do)."""
    guess = hijri_year_of(date(gregorian_year, 1, 1))
    for year in (guess, guess + 1):
        if hijri_to_gregorian(year, month, 1).year == gregorian_year:
            return year
    return guess


def expand_year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        return 2000 + value if value < 50 else 1900 + value
    return value


class Resolver:
    """Turns one match into a Resolved date, given the anchor date (or None)."""

    def __init__(self, grammar: Grammar, after_words: frozenset[str], prefer: Prefer) -> None:
        self.g = grammar
        self.after_words = after_words
        self.prefer = prefer

    def resolve(
        self, match: regex.Match[str], rule: str, anchor: date | None, anchor_kind: str | None
    ) -> Resolved | None:
        handler: Callable[[regex.Match[str], Resolved, date | None], Resolved | None] = getattr(
            self, f"rule_{rule}"
        )
        start, end = match.span()
        base = Resolved(start, end, rule, None, None, "day", anchor=None)
        result = handler(match, base, anchor)
        if result is None:
            return None
        if result.relative is not None and result.anchor is None:
            if anchor is None:
                result.unresolved = True
                result.first = result.last = None
                result.precision = COARSER[result.precision]
            else:
                result.anchor = anchor_kind
        wd = self._get(match, "wd")
        if wd and result.weekday is None:
            result.weekday = self.g.weekdays.get(_key(wd))
            result.weekday_span = match.span("wd")
        return result

    # -- pieces -----------------------------------------------------------------------------

    def _get(self, match: regex.Match[str], name: str) -> str | None:
        try:
            value = match.group(name)
        except IndexError:  # a group of a rule this language does not have
            return None
        return _key(value) if value else None

    def _day_of(self, match: regex.Match[str], name: str) -> int | None:
        digits = self._get(match, name)
        if digits:
            return int(digits)
        word = self._get(match, f"{name}_ord")
        if word:
            return self.g.ordinals.get(word)
        return None

    def _month_of(self, match: regex.Match[str], name: str) -> tuple[int, str, str | None]:
        number = self._get(match, f"{name}_num")
        if number is not None:
            value = int(number) if number.isdecimal() else self.g.cardinals[number]
            return value, "gregorian", None
        first = self.g.months[self._get(match, name) or ""]
        pair = self._get(match, f"{name}_pair")
        if pair is not None:
            second = self.g.months.get(pair)
            if second is not None and second.month != first.month:
                raise Invalid(f"paired month names disagree: {first.month} and {second.month}")
        return first.month, first.calendar, pair

    def _year_of(self, match: regex.Match[str], name: str) -> tuple[int | None, str | None]:
        text = self._get(match, name)
        era = self._get(match, f"{name}_era")
        era_name = self.g.eras.get(era) if era else None
        if text is None:
            words = self._get(match, f"{name}_words")
            if words is None:
                return None, None
            return _spelled_year(self.g, words), era_name
        return int(text), era_name

    def _infer_year(self, month: int, day: int, anchor: date | None) -> int | None:
        """A day-month without a year: the latest one up to a week after the anchor.

        News reports past events, so the year is the anchor's or the one before.
        """
        if anchor is None:
            return None
        year = anchor.year
        try:
            if self.prefer == "future":
                return year + 1 if date(year, month, min(day, 28)) < anchor else year
            if date(year, month, min(day, 28)) > anchor + timedelta(days=7):
                year -= 1
        except ValueError:
            return None
        return year

    def _calendar_date(
        self,
        base: Resolved,
        anchor: date | None,
        month: int,
        cal: str,
        day: int | None,
        year: int | None,
        era: str | None,
    ) -> Resolved:
        """A day (or a whole month when ``day`` is None) of a month, in either calendar."""
        if era == "hijri":
            cal = "hijri"
        base.calendar = cal
        stated = year is not None
        if cal == "hijri":
            if year is not None and era != "hijri" and year > HIJRI_YEAR_LIMIT:
                year = hijri_year_starting_in(year, month)  # «رمضان 2019»: a Gregorian year
            if year is None and anchor is not None:
                year = hijri_year_of(anchor)
            if year is None:
                base.timex = f"XXXX-H{month:02d}" + (f"-{day:02d}" if day else "")
                base.precision = "day" if day else "month"
                base.unresolved = True
                return base
            if day is None:
                base.first, base.last = hijri_month_range(year, month)
                base.precision = "month"
            else:
                if not 1 <= day <= 30:
                    raise Invalid(f"no day {day} in a Hijri month")
                base.first = base.last = hijri_to_gregorian(year, month, day)
                base.precision = "day"
            base.timex = f"{year:04d}-H{month:02d}" + (f"-{day:02d}" if day else "")
            if not stated:
                base.timex = "XXXX" + base.timex[4:]
            return base
        if not 1 <= month <= 12 or (  # «31/0», «32/31»: no such month
            day is not None and not 1 <= day <= calendar_module.monthrange(2000, month)[1]
        ):
            raise Invalid(f"month {month} has no day {day}")
        inferred = year if year is not None else self._infer_year(month, day or 1, anchor)
        base.timex = (f"{year:04d}" if year is not None else "XXXX") + f"-{month:02d}"
        if day is not None:
            base.timex += f"-{day:02d}"
        base.precision = "day" if day is not None else "month"
        if inferred is None:
            base.unresolved = True
            return base
        if day is not None:
            base.first = base.last = make_date(inferred, month, day)
        else:
            base.first, base.last = date(inferred, month, 1), month_end(inferred, month)
        return base

    def _unit_period(self, unit: str, anchor: date, offset: int) -> tuple[date, date]:
        if unit == "day":
            day = anchor + timedelta(days=offset)
            return day, day
        if unit == "week":
            first = week_start(anchor) + timedelta(weeks=offset)
            return first, first + timedelta(days=6)
        if unit == "month":
            first = add_months(anchor.replace(day=1), offset)
            return first, month_end(first.year, first.month)
        if unit == "decade":
            year = anchor.year // 10 * 10 + 10 * offset
            return date(year, 1, 1), date(year + 9, 12, 31)
        year = anchor.year + offset
        return date(year, 1, 1), date(year, 12, 31)

    # -- rules ------------------------------------------------------------------------------

    def rule_following(
        self, match: regex.Match[str], base: Resolved, _anchor: date | None
    ) -> Resolved:
        # Resolved later against the next date in the sentence (see ``_anchor_following``).
        base.relative = self.g.following[self._get(match, "follow") or ""].key
        base.anchor = "mention"
        base.precision = "week"
        return base

    def rule_previous(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        entry = self.g.previous[self._get(match, "prev") or ""]
        base.relative = entry.key
        base.precision = "day" if entry.days[0] == entry.days[1] else "week"
        if anchor is not None:
            base.first = anchor + timedelta(days=entry.days[0])
            base.last = anchor + timedelta(days=entry.days[1])
        return base

    def rule_day_range(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        month, cal, _ = self._month_of(match, "m")
        d1, d2 = self._day_of(match, "d1"), self._day_of(match, "d2")
        year, era = self._year_of(match, "y")
        if d1 is None or d2 is None or d1 >= d2:
            raise Invalid("day range must go forward")
        first = self._calendar_date(base, anchor, month, cal, d1, year, era)
        low, timex_low = first.first, first.timex
        self._calendar_date(base, anchor, month, cal, d2, year, era)
        base.first = low
        base.timex = f"({timex_low},{base.timex})"
        base.precision = "week" if d2 - d1 <= 8 else "month"
        return base

    rule_month_day_range = rule_day_range

    def _relative_year(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> int | None:
        """The year of «من العام الماضي» after a month; marks the date relative."""
        unit_word = self._get(match, "yunit")
        if unit_word is None or self.g.units[unit_word][0] != "year":
            return None
        direction = self._get(match, "ydir")
        offset = self.g.directions.get(direction, 0) if direction else 0
        base.relative = f"year_{offset:+d}"
        return anchor.year + offset if anchor is not None else None

    def rule_day_month(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        month, cal, _ = self._month_of(match, "m")
        day = self._day_of(match, "d")
        if day is None:
            return base
        year, era = self._year_of(match, "y")
        if year is None:
            year = self._relative_year(match, base, anchor)
        direction = self._get(match, "dir")
        if year is None and direction is not None and cal == "gregorian":
            # «14 تموز الجاري» (this year's), «3 آذار الماضي» (the last one before the anchor)
            base.relative = f"day_month_{self.g.directions.get(direction, 0):+d}"
            year = self._year_for(month, day, self.g.directions.get(direction, 0), anchor)
        if year is not None and not 1 <= year <= 2200 and era is None:
            raise Invalid(f"no year {year}")
        return self._calendar_date(base, anchor, month, cal, day, year, era)

    def _year_for(self, month: int, day: int, offset: int, anchor: date | None) -> int | None:
        """The year of a day-month said to be this (0), the last (-1) or the next (+1) one."""
        if anchor is None:
            return None
        year = anchor.year
        try:
            stated = date(year, month, day)
        except ValueError:
            return year
        if offset < 0 and stated >= anchor:
            year -= 1
        elif offset > 0 and stated <= anchor:
            year += 1
        return year

    rule_month_day = rule_day_month

    def _numeric(
        self, match: regex.Match[str], base: Resolved, year: int, month: int, day: int
    ) -> Resolved:
        """A numeric date, converted when its year is Hijri.

        Hijri: with «هـ» («1436/10/15 هـ»), or any year in the Hijri range of modern news.
        """
        era = self._get(match, "y_era")
        hijri = (era is not None and self.g.eras.get(era) == "hijri") or (
            era is None and HIJRI_YEAR_FIRST <= year <= HIJRI_YEAR_LIMIT
        )
        if hijri:
            if not (1 <= month <= 12 and 1 <= day <= 30):
                raise Invalid(f"no Hijri date {year}/{month}/{day}")
            base.calendar = "hijri"
            base.first = base.last = hijri_to_gregorian(year, month, day)
            base.timex = f"{year:04d}-H{month:02d}-{day:02d}"
            return base
        base.first = base.last = make_date(year, month, day)
        base.timex = base.first.isoformat()
        return base

    def rule_numeric_ymd(
        self, match: regex.Match[str], base: Resolved, _anchor: date | None
    ) -> Resolved:
        year, month, day = (int(match.group(n)) for n in ("ny", "nm", "nd"))
        return self._numeric(match, base, year, month, day)

    def rule_numeric_dmy(
        self, match: regex.Match[str], base: Resolved, _anchor: date | None
    ) -> Resolved:
        a, b = int(match.group("na")), int(match.group("nb"))
        year = expand_year(match.group("ny"))
        # Day first unless it cannot be; «8/12, 2015» with a comma before the year is the
        # English month/day order.
        month_first = (b > 12 >= a) or ("," in match.group(0) and a <= 12)
        day, month = (b, a) if month_first else (a, b)
        return self._numeric(match, base, year, month, day)

    def rule_numeric_my(
        self, match: regex.Match[str], base: Resolved, _anchor: date | None
    ) -> Resolved | None:
        year, month = int(match.group("ny")), int(match.group("nm"))
        if not 1 <= month <= 12:
            return None  # «45/2015» numbers a law or a case, not a month
        base.first, base.last = date(year, month, 1), month_end(year, month)
        base.precision = "month"
        base.timex = f"{year:04d}-{month:02d}"
        return base

    def rule_numeric_dm(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        a, b = int(match.group("na")), int(match.group("nb"))
        day, month = (b, a) if b > 12 >= a else (a, b)
        return self._calendar_date(base, anchor, month, "gregorian", day, None, None)

    def _fuzzy_bounds(self, kind: str, first: date, last: date, unit: str) -> tuple[date, date]:
        if unit == "month":
            if kind == "early":
                return first, first + timedelta(days=9)
            if kind == "mid":
                return first + timedelta(days=10), first + timedelta(days=19)
            return first + timedelta(days=20), last
        if unit == "year":
            y = first.year
            if kind == "early":
                return date(y, 1, 1), date(y, 4, 30)
            if kind == "mid":
                return date(y, 5, 1), date(y, 8, 31)
            return date(y, 9, 1), date(y, 12, 31)
        # a week
        if kind == "early":
            return first, first + timedelta(days=2)
        if kind == "mid":
            return first + timedelta(days=2), first + timedelta(days=4)
        return first + timedelta(days=4), last

    def rule_fuzzy_month(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        word = self._get(match, "fz") or ""
        month, cal, _ = self._month_of(match, "m")
        year, era = self._year_of(match, "y")
        exact = self.g.fuzzy_day.get(word)
        self._calendar_date(base, anchor, month, cal, None, year, era)
        if base.first is None or base.last is None:
            base.timex = f"{base.timex}-{self.g.fuzzy[word][0].upper()}"
            return base
        if exact == "first":
            base.last = base.first
            base.precision = "day"
        elif exact == "last":
            base.first = base.last
            base.precision = "day"
        else:
            base.first, base.last = self._fuzzy_bounds(
                self.g.fuzzy[word], base.first, base.last, "month"
            )
        return base

    def rule_fuzzy_year(
        self, match: regex.Match[str], base: Resolved, _anchor: date | None
    ) -> Resolved:
        kind = self.g.fuzzy[self._get(match, "fz") or ""]
        year, era = self._year_of(match, "y")
        assert year is not None
        self._year_value(base, year, era)
        if base.first is not None and base.last is not None and era != "hijri":
            base.first, base.last = self._fuzzy_bounds(kind, base.first, base.last, "year")
            base.precision = "month"
        return base

    def rule_fuzzy_relative(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        kind = self.g.fuzzy[self._get(match, "fz") or ""]
        unit, _ = self.g.units[self._get(match, "unit") or ""]
        direction = self._get(match, "dir")
        offset = self.g.directions.get(direction, 0) if direction else 0
        if unit == "day":
            return None
        base.relative = f"{kind}_{unit}_{offset:+d}"
        base.precision = "week" if unit == "week" else "month"
        if anchor is not None:
            first, last = self._unit_period(unit, anchor, offset)
            base.first, base.last = self._fuzzy_bounds(kind, first, last, unit)
        return base

    def _year_value(self, base: Resolved, year: int, era: str | None) -> Resolved:
        if era == "hijri":
            base.calendar = "hijri"
            first, _ = hijri_month_range(year, 1)
            _, last = hijri_month_range(year, 12)
            base.first, base.last = first, last
            base.timex = f"{year:04d}-H"
        else:
            if not 1 <= year <= 2200:
                raise Invalid(f"no year {year}")
            base.first, base.last = date(year, 1, 1), date(year, 12, 31)
            base.timex = f"{year:04d}"
        base.precision = "year"
        return base

    def rule_month(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        entry = self.g.months.get(self._get(match, "m") or "")
        year, era = self._year_of(match, "y")
        if (
            entry
            and entry.ambiguous
            and year is None
            and match.start("m") == match.start()
            and not (self._get(match, "m_pair") or self._get(match, "dir"))
            and not self.g.time_preposition.search(
                match.string, max(0, match.start() - 12), match.start()
            )
        ):
            return None  # «رجب» alone is a name; «شهر رجب», «في رجب» or «رجب 1436» is the month
        month, cal, _ = self._month_of(match, "m")
        if year is None:
            year = self._relative_year(match, base, anchor)
        direction = self._get(match, "dir")
        this = self._get(match, "this")
        if year is None and anchor is not None and cal == "gregorian" and (direction or this):
            offset = self.g.directions.get(direction, 0) if direction else 0
            year = anchor.year
            if offset < 0 and month >= anchor.month:
                year -= 1
            elif offset > 0 and month <= anchor.month:
                year += 1
            self._calendar_date(base, anchor, month, cal, None, year, era)
            base.timex = "XXXX" + (base.timex or "")[4:]
            return base
        return self._calendar_date(base, anchor, month, cal, None, year, era)

    def rule_year(self, match: regex.Match[str], base: Resolved, _anchor: date | None) -> Resolved:
        year, era = self._year_of(match, "y")
        assert year is not None
        self._year_value(base, year, era)
        second = self._get(match, "y2")
        if second is not None:
            last = int(second)
            if last <= year:
                raise Invalid("year range must go forward")
            base.last = date(last, 12, 31)
            base.timex = f"({year:04d},{last:04d})"
        return base

    rule_year_era = rule_year
    rule_year_range = rule_year
    rule_year_since = rule_year
    rule_year_prep = rule_year

    def rule_decade(
        self, match: regex.Match[str], base: Resolved, _anchor: date | None
    ) -> Resolved:
        decade = self.g.decades[self._get(match, "dec") or ""]
        century = self.g.centuries.get(self._get(match, "cent") or "", self.g.decade_century)
        first = decade if decade >= 100 else century + decade
        base.first, base.last = date(first, 1, 1), date(first + 9, 12, 31)
        base.precision = "decade"
        base.timex = f"{first // 10:03d}X"
        return base

    def _count(self, match: regex.Match[str]) -> tuple[int, int]:
        digits = self._get(match, "n")
        if digits:
            return int(digits), int(digits)
        word = self._get(match, "cnt")
        unit_word = self._get(match, "unit") or ""
        number = self.g.units[unit_word][1]
        if word in self.g.cardinals:
            value = self.g.cardinals[word]
            return value, value
        if word in self.g.vague:
            return self.g.vague[word]
        if number in ("dual", "definite_dual"):
            return 2, 2
        if number in ("plural", "definite_plural"):
            return 2, 7  # «قبل أيام»: a few
        return 1, 1

    def _shift(self, anchor: date, unit: str, amount: int) -> date:
        if unit == "day":
            return anchor + timedelta(days=amount)
        if unit == "week":
            return anchor + timedelta(weeks=amount)
        if unit == "month":
            return add_months(anchor, amount)
        if unit == "decade":
            return add_months(anchor, 120 * amount)
        return add_months(anchor, 12 * amount)

    def rule_counted(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        word = self._get(match, "ago") or self._get(match, "ago_after") or ""
        sign = 1 if word in self.after_words else -1
        unit, _ = self.g.units[self._get(match, "unit") or ""]
        low, high = self._count(match)
        base.relative = f"{'after' if sign > 0 else 'ago'}_{low}_{unit}" + (
            f"_{high}" if high != low else ""
        )
        base.precision = unit if low == high else COARSER[unit]
        if unit == "day" and low != high:
            base.precision = "week"
        if word not in self.g.since_words and self.g.counted_anchor.match(
            match.string, match.end()
        ):
            # counted from the event named next, not from publication: left for a reader
            base.anchor, base.unresolved = "mention", True
            base.precision = COARSER[base.precision]
            return base
        if anchor is not None:
            near = self._shift(anchor, unit, sign * low)
            far = self._shift(anchor, unit, sign * high)
            base.first, base.last = min(near, far), max(near, far)
        return base

    rule_counted_after = rule_counted

    def rule_past_span(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        unit, _ = self.g.units[self._get(match, "unit") or ""]
        direction = self.g.directions.get(self._get(match, "dir") or "", 0)
        _, high = self._count(match)
        if direction == 0 or self._get(match, "last"):
            direction = -1
        base.relative = f"{'past' if direction < 0 else 'next'}_{high}_{unit}"
        base.precision = "week" if unit in ("day", "week") else COARSER[unit]
        if anchor is not None:
            if direction < 0:
                base.first, base.last = self._shift(anchor, unit, -high), anchor
            else:
                base.first = anchor + timedelta(days=1)
                base.last = self._shift(anchor, unit, high)
        return base

    rule_counted_span = rule_past_span

    def rule_rest(self, match: regex.Match[str], base: Resolved, anchor: date | None) -> Resolved:
        unit, _ = self.g.units[self._get(match, "unit") or ""]
        direction = self._get(match, "dir")
        offset = self.g.directions.get(direction, 0) if direction else 0
        base.relative = f"rest_{unit}_{offset:+d}"
        base.precision = "week" if unit in ("day", "week") else unit
        if anchor is not None:
            first, last = self._unit_period(unit, anchor, offset)
            base.first, base.last = max(first, anchor), last
        return base

    def rule_week_weekdays(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        first_day = self.g.weekdays[self._get(match, "wd") or ""]
        last_day = self.g.weekdays[self._get(match, "wd2") or ""]
        direction = self._get(match, "dir")
        offset = self.g.directions.get(direction, 0) if direction else 0
        if last_day <= first_day:
            return None
        base.relative = f"weekdays_week_{offset:+d}"
        base.precision = "week"
        base.timex = f"(XXXX-WXX-{first_day},XXXX-WXX-{last_day})"
        if anchor is not None:
            monday = week_start(anchor) + timedelta(weeks=offset)
            base.first = monday + timedelta(days=first_day - 1)
            base.last = monday + timedelta(days=last_day - 1)
        return base

    def rule_hours(self, match: regex.Match[str], base: Resolved, anchor: date | None) -> Resolved:
        hours = int(self._get(match, "n") or "0")
        days = max(1, -(-hours // 24))
        base.relative = f"past_{hours}_hours"
        base.precision = "week"
        if anchor is not None:
            base.first, base.last = anchor - timedelta(days=days), anchor
        return base

    def _apply_daypart(self, match: regex.Match[str], base: Resolved, weekday: bool) -> None:
        part = self._get(match, "dp")
        if part is None or base.first is None or base.last is None:
            return
        entry = self.g.dayparts[part]
        low, high = entry.weekday_offsets if weekday else entry.relative_offsets
        base.first += timedelta(days=low)
        base.last += timedelta(days=high)
        base.eve = low < 0
        if base.first != base.last:
            base.precision = "week"

    def rule_relative_day(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        entry = self.g.relative_days[self._get(match, "rel") or ""]
        base.relative = entry.key
        base.precision = "day" if entry.offsets[0] == entry.offsets[1] else "week"
        if anchor is not None:
            base.first = anchor + timedelta(days=entry.offsets[0])
            base.last = anchor + timedelta(days=entry.offsets[1])
            self._apply_daypart(match, base, weekday=False)
        return base

    def rule_weekday(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        weekday = self.g.weekdays[self._get(match, "wd") or ""]
        base.weekday = weekday
        base.weekday_span = match.span("wd")
        base.timex = f"XXXX-WXX-{weekday}"
        day = self._day_of(match, "d")
        ordinal = day is not None and self._get(match, "d") is None
        linked = ordinal and bool(match.string[match.end("wd") : match.start("d_ord")].strip())
        if ordinal and not linked and day is not None and 5 < day <= 10:
            # «الأحد السادس»: past five a one-word ordinal is no week of the month and too small
            # to say a day plainly; the weekday stands alone («السبت السادس عشر» is the 16th)
            base.end = match.end("wd")
            day = None
        if ordinal and not linked and day is not None and day <= 5:
            # «الأحد الثاني»: the second Sunday of the anchor's month
            base.relative = "nth_weekday_of_month"
            base.timex = f"XXXX-XX-WXX-{weekday}-#{day}"
            if anchor is not None:
                first = anchor.replace(day=1)
                found = first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (day - 1))
                if found.month != first.month:
                    raise Invalid(f"no weekday number {day} in {first:%Y-%m}")
                base.first = base.last = found
            return base
        if day is not None:
            # «الخميس 21», «السبت السادس عشر»: a day of the anchor's month, weekday checked
            base.relative = "weekday_of_month"
            if anchor is not None:
                base.first = base.last = self._nearest_day_of_month(day, anchor, weekday)
            return base
        unit = self._get(match, "unit") or self._get(match, "punit")
        direction_word = (
            self._get(match, "dir") or self._get(match, "wdir") or self._get(match, "pdir")
        )
        offset = self.g.directions.get(direction_word, 0) if direction_word else None
        this = self._get(match, "this") or self._get(match, "wthis") or self._get(match, "pthis")
        if unit is not None:
            # «الأحد من الأسبوع الماضي»: the weekday of that week
            base.relative = f"weekday_week_{offset or 0:+d}"
            if anchor is not None:
                first = week_start(anchor) + timedelta(weeks=offset or 0)
                base.first = base.last = first + timedelta(days=weekday - 1)
        elif offset is not None and offset != 0:
            base.relative = f"weekday_{'last' if offset < 0 else 'next'}"
            if anchor is not None:
                delta = (anchor.isoweekday() - weekday) % 7 or 7
                day_date = (
                    anchor - timedelta(days=delta)
                    if offset < 0
                    else anchor + timedelta(days=(weekday - anchor.isoweekday()) % 7 or 7)
                )
                base.first = base.last = day_date
        elif this is not None or offset == 0:
            base.relative = "weekday_this_week"
            if anchor is not None:
                base.first = base.last = week_start(anchor) + timedelta(days=weekday - 1)
        else:
            # News tells past events: a bare weekday is the latest such day up to publication.
            base.relative = "weekday"
            if anchor is not None and self.prefer == "future":
                delta = (weekday - anchor.isoweekday()) % 7 or 7
                base.first = base.last = anchor + timedelta(days=delta)
            elif anchor is not None:
                delta = (anchor.isoweekday() - weekday) % 7
                base.first = base.last = anchor - timedelta(days=delta)
        self._apply_daypart(match, base, weekday=True)
        return base

    def _nearest_day_of_month(self, day: int, anchor: date, weekday: int | None = None) -> date:
        """The latest ``day`` of a month up to a week after the anchor (reading forward: the next).

        With a weekday, the nearest such day that falls on it wins, even a little further away:
        «الثلاثاء 15» said on Monday the 7th is the 15th of this month, if that is a Tuesday.
        """
        month_start = anchor.replace(day=1)
        candidates: list[date] = []
        for shift in (1, 0, -1, -2, -3):
            try:
                candidates.append(add_months(month_start, shift).replace(day=day))
            except ValueError:
                continue
        if self.prefer == "future":
            preferred = sorted(c for c in candidates if c >= anchor)
        else:
            preferred = sorted(
                (c for c in candidates if c <= anchor + timedelta(days=7)), reverse=True
            )
        others = sorted(
            (c for c in candidates if c not in preferred), key=lambda c: abs((c - anchor).days)
        )
        ordered = preferred + others
        if not ordered:
            raise Invalid(f"no day {day} near the anchor")
        matching = [c for c in ordered if weekday is not None and c.isoweekday() == weekday]
        if matching and abs((matching[0] - anchor).days) <= 45:
            return matching[0]
        return ordered[0]

    def _target(
        self, match: regex.Match[str], anchor: date | None
    ) -> tuple[date, date, str] | None:
        """The month or year a «من شهر …» / «من عام …» tail names: first day, last day, timex."""
        if self._get(match, "m") or self._get(match, "m_num"):
            month, cal, _ = self._month_of(match, "m")
            year, era = self._year_of(match, "y")
            scratch = Resolved(0, 0, "", None, None, "month")
            if year is None:
                year = self._relative_year(match, scratch, anchor)
            self._calendar_date(scratch, anchor, month, cal, None, year, era)
            if scratch.first is None or scratch.last is None:
                return None
            return scratch.first, scratch.last, scratch.timex or ""
        unit_word = self._get(match, "munit")
        if unit_word is not None:
            unit, _ = self.g.units[unit_word]
            if unit not in ("month", "year") or anchor is None:
                return None
            direction = self._get(match, "dir")
            offset = self.g.directions.get(direction, 0) if direction else 0
            first, last = self._unit_period(unit, anchor, offset)
            return first, last, "XXXX"
        year, era = self._year_of(match, "y")
        if year is None:
            return None
        scratch = self._year_value(Resolved(0, 0, "", None, None, "year"), year, era)
        assert scratch.first is not None
        assert scratch.last is not None
        return scratch.first, scratch.last, scratch.timex or ""

    def _nth(self, match: regex.Match[str]) -> int | None:
        """1-5 for an ordinal, -1 for «الأخير/آخر»."""
        if self._get(match, "last"):
            return -1
        value = self.g.ordinals.get(self._get(match, "nth") or "")
        return value if value is not None and 1 <= value <= 5 else None

    def rule_nth_weekday(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        target = self._target(match, anchor)
        nth = self._nth(match)
        word = self._get(match, "wd") or ""
        weekday = self.g.weekdays.get(word) or self.g.weekdays_bare.get(word)
        ordinal = self.g.ordinals.get(self._get(match, "nth") or "")
        if nth is None and ordinal is not None and weekday is not None:
            # «الثلاثاء التاسع عشر من هذا الشهر»: past five it is the day, the weekday a check
            base.weekday = weekday
            base.weekday_span = match.span("wd")
            if target is None:
                base.unresolved = True
                return base
            first, _, _ = target
            base.first = base.last = make_date(first.year, first.month, ordinal)
            return base
        if nth is None or weekday is None:
            return None
        base.timex = f"XXXX-WXX-{weekday}-#{nth}"
        if target is None:
            base.unresolved = True
            return base
        first, last, _ = target
        if nth > 0:
            day = first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
        else:
            day = last - timedelta(days=(last.isoweekday() - weekday) % 7)
        if day > last:
            raise Invalid(f"no weekday number {nth} in that month")
        base.first = base.last = day
        return base

    def rule_week_of(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        """The nth (or last) whole Monday-to-Sunday week inside the month or year."""
        target = self._target(match, anchor)
        nth = self._nth(match)
        base.precision = "week"
        if nth is None:
            return None
        if target is None:
            base.unresolved = True
            return base
        first, last, _ = target
        if nth > 0:
            monday = first + timedelta(days=(1 - first.isoweekday()) % 7 + 7 * (nth - 1))
        else:
            monday = last - timedelta(days=(last.isoweekday() - 1) % 7)
            if monday + timedelta(days=6) > last:
                monday -= timedelta(weeks=1)
        if monday + timedelta(days=6) > last:
            raise Invalid(f"no week number {nth} in that period")
        base.first, base.last = monday, monday + timedelta(days=6)
        return base

    def rule_day_of(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        target = self._target(match, anchor)
        ordinal = self.g.ordinals.get(self._get(match, "nth") or "")
        value = -1 if self._get(match, "last") else ordinal
        if value is None:
            return None
        if target is None:
            base.unresolved = True
            return base
        first, last, _ = target
        day = last if value < 0 else first + timedelta(days=value - 1)
        if day > last:
            raise Invalid(f"no day {value} in that month")
        base.first = base.last = day
        return base

    def rule_day_range_relative(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        d1, d2 = self._day_of(match, "d1"), self._day_of(match, "d2")
        target = self._target(match, anchor)
        unit_word = self._get(match, "munit") or ""
        if d1 is None or d2 is None or d1 >= d2 or self.g.units[unit_word][0] != "month":
            return None
        base.relative = "days_of_month"
        base.precision = "week" if d2 - d1 <= 8 else "month"
        if target is not None:
            first, _, _ = target
            base.first = make_date(first.year, first.month, d1)
            base.last = make_date(first.year, first.month, d2)
        return base

    def rule_holiday(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        holiday = self.g.holidays[self._get(match, "hol") or ""]
        year, _ = self._year_of(match, "y")
        base.timex = f"{year:04d}" if year is not None else "XXXX"
        base.timex += f"-{holiday.key}"
        base.calendar = holiday.calendar
        length = timedelta(days=holiday.days - 1)
        if holiday.calendar == "easter":
            # ``day`` counts from Western Easter Sunday (0 = Easter itself).
            if year is None and anchor is not None:
                year = anchor.year
                near = easter(year)
                if self.prefer == "past" and near > anchor + timedelta(days=7):
                    year -= 1
                elif self.prefer == "future" and near < anchor:
                    year += 1
            if year is None:
                base.unresolved = True
                return base
            base.first = easter(year) + timedelta(days=holiday.day)
        elif holiday.calendar == "gregorian":
            if year is None:
                year = self._infer_year(holiday.month, holiday.day, anchor)
            if year is None:
                base.unresolved = True
                return base
            base.first = make_date(year, holiday.month, holiday.day)
        else:
            if year is not None:
                hijri_year = hijri_year_starting_in(year, holiday.month)
            elif anchor is not None:
                hijri_year = self._nearest_hijri_year(holiday.month, holiday.day, anchor)
            else:
                base.unresolved = True
                return base
            base.first = hijri_to_gregorian(hijri_year, holiday.month, holiday.day)
        base.last = base.first + length
        return base

    def _nearest_hijri_year(self, month: int, day: int, anchor: date) -> int:
        """The occurrence nearest the anchor: a feast is named just before or just after it."""
        current = hijri_year_of(anchor)
        options = []
        for year in (current - 1, current, current + 1):
            try:
                gap = (hijri_to_gregorian(year, month, day) - anchor).days
            except Invalid:
                continue
            if self.prefer == "future" and gap < 0:
                continue
            options.append((abs(gap), year))
        return min(options)[1] if options else current

    def rule_season(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        season = self.g.seasons[self._get(match, "season") or ""]
        year, _ = self._year_of(match, "y")
        direction = self._get(match, "dir")
        base.precision = "month"
        base.timex = (f"{year:04d}" if year is not None else "XXXX") + f"-{season.key}"
        if year is None:
            if anchor is None:
                base.unresolved = True
                return base
            base.relative = f"season_{self.g.directions.get(direction, 0) if direction else 0:+d}"
            year = anchor.year + (self.g.directions.get(direction, 0) if direction else 0)
        base.first = date(year, *season.start)
        end_year = year + 1 if season.end < season.start else year
        base.last = date(end_year, *season.end)
        return base

    def rule_day_of_relative_month(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        unit, _ = self.g.units[self._get(match, "unit") or ""]
        day = self._day_of(match, "d")
        if unit != "month" or day is None:
            return None
        direction = self._get(match, "dir")
        offset = self.g.directions.get(direction, 0) if direction else 0
        base.relative = f"day_of_month_{offset:+d}"
        if anchor is not None:
            first = add_months(anchor.replace(day=1), offset)
            base.first = base.last = make_date(first.year, first.month, day)
        return base

    def rule_relative_unit(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        unit, _ = self.g.units[self._get(match, "unit") or ""]
        direction = self._get(match, "dir")
        offset = self.g.directions.get(direction, 0) if direction else 0
        base.relative = f"{unit}_{offset:+d}"
        base.precision = unit
        if unit == "day" and self._get(match, "this"):
            base.start = match.start("unit")  # «هذا اليوم»: «اليوم» names the day alone
        if anchor is not None:
            base.first, base.last = self._unit_period(unit, anchor, offset)
        return base

    def rule_compound_offset(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        parts = _AMOUNT.findall(match.group("parts"))
        before = _WORD_BEFORE.search(match.string, max(0, match.start() - 16), match.start())
        word = before.group(1) if before is not None else ""
        if self._get(match, "now") is None and word not in self.g.offset_words:
            return None  # «3 أيام و4 ليال» alone is a duration, not a date
        sign = 1 if word in self.after_words else -1
        shifts: list[tuple[str, int]] = []
        for number, word in parts:
            unit_word = _key(word)
            if unit_word not in self.g.units and unit_word[:1] in self.g.proclitics:
                unit_word = unit_word[1:]  # «وشهرين»
            if unit_word not in self.g.units:
                continue
            unit, form = self.g.units[unit_word]
            count = int(number) if number else (2 if form == "dual" else 1)
            shifts.append((unit, count))
        if len(shifts) < 2:
            return None
        base.relative = "offset_" + "_".join(f"{n}{u[0]}" for u, n in shifts)
        base.precision = "day" if any(u == "day" for u, _ in shifts) else shifts[-1][0]
        if anchor is not None:
            day = anchor
            for unit, count in shifts:
                day = self._shift(day, unit, sign * count)
            base.first = base.last = day
        return base

    def rule_year_part(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved | None:
        part = self.g.year_parts[self._get(match, "yp") or ""]
        nth = self._nth(match)
        unit_word = self._get(match, "munit")
        if nth is None or nth > part.parts or (unit_word and self.g.units[unit_word][0] != "year"):
            return None
        index = part.parts if nth < 0 else nth
        target = self._target(match, anchor)
        base.precision = "month"
        if unit_word is not None:
            base.relative = f"{part.key}_of_year"
        if target is None:
            base.unresolved = True
            return base
        year = target[0].year
        months = 12 // part.parts
        base.first = date(year, months * (index - 1) + 1, 1)
        base.last = month_end(year, months * index)
        base.timex = f"{year:04d}-{part.key.upper()}{index}"
        return base

    def rule_day_prep(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        day = self._day_of(match, "d") or 0
        if not 1 <= day <= 31:
            raise Invalid(f"no day {day}")
        base.relative = "day_of_month"
        base.timex = f"XXXX-XX-{day:02d}"
        if anchor is not None:
            base.first = base.last = self._nearest_day_of_month(day, anchor)
        return base

    def rule_day_of_month(
        self, match: regex.Match[str], base: Resolved, anchor: date | None
    ) -> Resolved:
        day = int(self._get(match, "d") or "0")
        if not 1 <= day <= 31:
            raise Invalid(f"no day {day}")
        base.relative = "day_of_month"
        base.timex = f"XXXX-XX-{day:02d}"
        if anchor is not None:
            base.first = base.last = self._nearest_day_of_month(day, anchor)
        return base


# ---------------------------------------------------------------------------------------------
# The stage


_WORD = regex.compile(r"\w+")
# Rules whose span takes a «في» or «خلال» before it (see ``Grammar.in_before``).
# Measured on the suites: «في أوائل آذار», «في الأسابيع الثلاثة الماضية» take it; «في نهاية هذا
# الأسبوع», «في 3 أيام القادمة» do not.
_IN_JOINS = frozenset({"fuzzy_month", "fuzzy_year", "past_span", "hours"})
_WORD_BEFORE = regex.compile(r"(\w+)\s+\Z")
_AMOUNT = regex.compile(r"(\d{1,2})?\s*([^\W\d_]+)")


@dataclass(slots=True)
class Recognizer:
    """One language's grammar applied to a text, with the passes that need the whole text."""

    grammar: Grammar
    after_words: frozenset[str]

    def find(
        self, norm: str, anchor: date | None, anchor_kind: str | None, prefer: Prefer = "past"
    ) -> tuple[list[Resolved], list[tuple[int, int, str]]]:
        """Dates in order of position, and the impossible ones (span and problem)."""
        resolver = Resolver(self.grammar, self.after_words, prefer)
        found: list[Resolved] = []
        invalid: list[tuple[int, int, str]] = []
        for rule, match in self._matches(norm):
            try:
                resolved = resolver.resolve(match, rule, anchor, anchor_kind)
            except Invalid as problem:
                invalid.append((match.start(), match.end(), str(problem)))
                continue
            if resolved is not None:
                found.append(resolved)
        found = self._merge_ranges(norm, found)
        self._since(norm, found)
        self._in_before(norm, found)
        self._anchor_following(norm, found)
        self._anchor_previous(found)
        return found, invalid

    def _matches(self, norm: str) -> Iterator[tuple[str, regex.Match[str]]]:
        """Leftmost matches, each word tried only against the rules it can start.

        Words are tried where they start and after one or two glued proclitics; the first rule
        (in grammar order) that matches wins, and the scan resumes after it.
        """
        grammar = self.grammar
        proclitics = grammar.proclitics
        glued = grammar.glued
        patterns = grammar.patterns
        resume = 0
        for word in _WORD.finditer(norm):
            text = word.group()
            tries = glued.get(text)
            if tries is None:
                # most words: no rule starts them; a number (perhaps «و2015») tries the digit rules
                skip = 0
                while skip < 2 and skip < len(text) - 1 and text[skip] in proclitics:
                    skip += 1
                if not text[skip].isdecimal():
                    continue
                tries = ((skip, grammar.digit_rules),)
                if word.start() >= resume and not grammar.digit_gate.match(
                    norm, word.start() + skip
                ):
                    continue
            position = word.start()
            if position < resume:
                continue
            gate = grammar.word_gates.get(text)
            if gate is not None and not gate.match(norm, position):
                continue
            for skip, indexes in tries:
                for index in indexes:
                    match = patterns[index].match(norm, position + skip)
                    if match is not None and match.end() > match.start():
                        yield grammar.rules[index], match
                        resume = match.end()
                        break
                else:
                    continue
                break

    def _merge_ranges(self, norm: str, found: list[Resolved]) -> list[Resolved]:
        """«من 2 أكتوبر إلى 22 أكتوبر 2015», «اليوم حتى الغد»: two dates joined into one span.

        A first date without a year takes the second's («2 أكتوبر إلى 22 أكتوبر 2015»).
        """
        merged: list[Resolved] = []
        for item in found:
            prev = merged[-1] if merged else None
            if prev is None or not self._joinable(norm, prev, item):
                merged.append(item)
                continue
            opener = self.grammar.opener.search(norm, max(0, prev.start - 24), prev.start)
            _fill_year(prev, item)
            if prev.eve and prev.first is not None:
                prev.first += timedelta(days=1)  # «ليل السبت - الأحد» runs from Saturday
            prev.start = opener.start() if opener is not None else prev.start
            prev.end = item.end
            prev.rule = "range"
            prev.timex = f"({prev.timex},{item.timex})"
            prev.relative = prev.relative or item.relative
            prev.unresolved = prev.unresolved or item.unresolved
            if prev.first is not None and item.last is not None:
                prev.last = item.last
                prev.precision = _range_precision(prev.first, item.last, prev.precision)
            else:
                prev.first = prev.last = None
                if prev.precision == "day":
                    prev.precision = "week"
        return merged

    def _joinable(self, norm: str, prev: Resolved, item: Resolved) -> bool:
        between = norm[prev.end : item.start]
        if not between.strip() and _next_weekdays(prev, item):
            return True  # «ليل السبت الأحد», «السبت الأحد»: the night from one day into the next
        if not self.grammar.joiner.match(between):
            return False
        if {prev.rule, item.rule} & {"following", "previous", "range"} or prev.mod or item.mod:
            return False
        if prev.calendar != item.calendar:
            return False
        if between.strip() in self.grammar.list_joiners and not self.grammar.opener.search(
            norm, max(0, prev.start - 24), prev.start
        ):
            return False  # «في 3 آب و5 أيلول» lists two dates; «بين 3 آب و5 أيلول» is a range
        if prev.first is not None and item.last is not None:
            return prev.first <= item.last
        return True

    def _since(self, norm: str, found: list[Resolved]) -> None:
        for item in found:
            before = self.grammar.since.search(norm, max(0, item.start - 12), item.start)
            if before is not None and item.rule != "compound_offset":  # there «منذ» means ago
                item.start = before.start()
                item.mod = "since"

    def _in_before(self, norm: str, found: list[Resolved]) -> None:
        for item in found:
            if item.rule in _IN_JOINS and item.mod is None:
                before = self.grammar.in_before.search(norm, max(0, item.start - 8), item.start)
                if before is not None:
                    item.start = before.start()

    def _anchor_following(self, norm: str, found: list[Resolved]) -> None:
        """«الأسبوع الأول الذي تلا سقوط مزار شريف يوم 8 آب 1998» → 8 … 15 August 1998."""
        for index, item in enumerate(found):
            if item.rule != "following":
                continue
            for later in found[index + 1 :]:
                if later.start - item.end > 80 or "." in norm[item.end : later.start]:
                    break
                if later.first is not None and later.relative is None:
                    unit = item.relative or ""
                    days = 7 if "week" in unit else 1
                    item.first = later.first
                    item.last = later.first + timedelta(days=days)
                    item.end = later.end
                    item.anchor = "mention"
                    item.unresolved = False
                    break
            else:
                item.unresolved = True

    def _anchor_previous(self, found: list[Resolved]) -> None:
        """«خلال الأيام التالية», «اليوم التالي»: counted from the last date stated before."""
        last: Resolved | None = None
        for item in found:
            if item.rule == "previous" and last is not None and last.last is not None:
                span = self._previous_days(item)
                item.first = last.last + timedelta(days=span[0])
                item.last = last.last + timedelta(days=span[1])
                item.anchor = "mention"
                item.unresolved = False
                item.precision = "day" if span[0] == span[1] else "week"
            elif item.relative is None and item.last is not None and item.rule != "following":
                last = item

    def _previous_days(self, item: Resolved) -> tuple[int, int]:
        for entry in self.grammar.previous.values():
            if entry.key == item.relative:
                return entry.days
        return (1, 1)


def _next_weekdays(prev: Resolved, item: Resolved) -> bool:
    """Two bare weekdays in a row, the second the day after the first."""
    return (
        prev.rule == item.rule == "weekday"
        and prev.weekday is not None
        and item.weekday == prev.weekday % 7 + 1
        and prev.relative == item.relative == "weekday"
        and prev.mod is None
    )


def _fill_year(prev: Resolved, item: Resolved) -> None:
    """Give the end of a range without a stated year the start's year, or the start the end's.

    «2 أكتوبر إلى 22 أكتوبر 2015»: the start takes 2015; «2015/08/12 حتى 22 أكتوبر»: the end
    takes 2015 (or 2016 if October 22 came before the start).
    """
    if _stated(item) and _set_year(prev, item.first.year if item.first else None):
        return
    if not (_stated(prev) and prev.first is not None):
        return
    timex = item.timex
    if _set_year(item, prev.first.year) and item.first is not None and item.first < prev.first:
        item.timex = timex
        _set_year(item, prev.first.year + 1)


def _stated(item: Resolved) -> bool:
    return bool(item.timex and item.timex[:4].isdecimal() and item.calendar == "gregorian")


def _set_year(item: Resolved, year: int | None) -> bool:
    """Put ``year`` into a date whose timex has no year (``XXXX-MM`` or ``XXXX-MM-DD``)."""
    timex = item.timex or ""
    if year is None or item.calendar != "gregorian" or not timex.startswith("XXXX-"):
        return False
    parts = timex[5:].split("-")
    try:
        month = int(parts[0])
        day = int(parts[1]) if len(parts) > 1 else None
        if day is None:
            item.first, item.last = date(year, month, 1), month_end(year, month)
        else:
            item.first = item.last = date(year, month, day)
    except (ValueError, IndexError):
        return False
    item.timex = f"{year:04d}" + timex[4:]
    item.unresolved = False
    return True


def _range_precision(first: date, last: date, precision: str) -> str:
    days = (last - first).days
    if days <= 0:
        return "day"
    if precision == "day":
        return "week" if days <= 8 else "month"
    if precision == "month":
        return "month" if days <= 31 else "year"
    return precision


def dateline_anchor(found: list[Resolved], norm: str) -> date | None:
    """A dated dateline: an absolute day in the report's first line (first 200 characters)."""
    head = min(len(norm), 200)
    newline = norm.find("\n")
    if 0 < newline < head:
        head = newline
    for item in found:
        if item.start >= head:
            break
        stated = item.timex is not None and not item.timex.startswith("XXXX")
        if item.relative is None and item.precision == "day" and item.first and stated:
            return item.first
    return None


def _past_marks(text: str, end: int) -> int:
    """Extend a span over the diacritics and tatweel that follow it («غداً», «هـ»)."""
    while end < len(text) and (text[end] == "\u0640" or unicodedata.category(text[end]) == "Mn"):
        end += 1
    return end


def recognize(
    doc: Document, recognizer: Recognizer, prefer: Prefer = "past"
) -> tuple[list[Mention], list[Flag]]:
    """Date mentions and flags for one document (pure: the Document is not changed).

    ``prefer`` picks the reading of a date the text leaves open (no year, a bare weekday): news
    tells past events, so "past"; "future" is the reading of the public suites, for scoring.
    """
    assert doc.normalized is not None
    norm = doc.normalized.text
    anchor = doc.source.published
    anchor_kind: str | None = "published" if anchor is not None else None
    found, invalid = recognizer.find(norm, anchor, anchor_kind, prefer)
    if anchor is None:
        dateline = dateline_anchor(found, norm)
        if dateline is not None:
            found, invalid = recognizer.find(norm, dateline, "text", prefer)
    to_original = doc.normalized.to_original
    mentions: list[Mention] = []
    flags: list[Flag] = []
    for item in found:
        start, end = to_original(item.start, item.end)
        end = _past_marks(doc.text, end)
        mentions.append(Mention("date", start, end, item.value(), f"dates.{item.rule}"))
        if (
            item.weekday is not None
            and item.precision == "day"
            and item.first is not None
            and item.first == item.last
            and item.first.isoweekday() != item.weekday
        ):
            wd_start, wd_end = to_original(*(item.weekday_span or (item.start, item.end)))
            flags.append(
                Flag(
                    "weekday_mismatch",
                    f"{doc.text[wd_start:wd_end]} does not fall on {item.first.isoformat()}"
                    f" (a {item.first.strftime('%A')})",
                    ((start, end),),
                    "dates.weekday_check",
                )
            )
    for bad_start, bad_end, problem in invalid:
        start, end = to_original(bad_start, bad_end)
        flags.append(
            Flag(
                "impossible_date",
                f"{doc.text[start:end]}: {problem}",
                ((start, end),),
                "dates.check",
            )
        )
    return mentions, flags


@stage("dates", requires=("normalized", "sentences"), provides=("dates",))
def make_dates(resources: Resources) -> StageFn:
    def run(doc: Document) -> Document:
        recognizer = load_recognizer(resources, doc.lang)
        if recognizer is None or doc.normalized is None:
            return doc
        mentions, flags = recognize(doc, recognizer)
        doc.mentions.extend(mentions)
        doc.flags.extend(flags)
        return doc

    return run


def load_recognizer(resources: Resources, lang: str) -> Recognizer | None:
    """The language's recognizer, built once per Resources; None for a language without dates."""

    def build() -> Recognizer | None:
        grammar = load_grammar(resources, lang)
        if grammar is None:
            return None
        data = resources.model(DatesData, lang, "dates.yaml")
        charmap = load_charmap(resources)
        after = frozenset(_key(normalize_text(w, charmap).text) for w in data.after_words)
        return Recognizer(grammar, after)

    return resources.derived(f"dates-recognizer:{lang}", build)
