"""Numbers as a report states them: digits, number words, ranges, qualifiers and vague counts.

Every figure becomes a ``number`` mention whose value gives ``low``/``high``, a ``qualifier``
(``exact`` / ``approx`` / ``at_least`` / ``at_most`` / ``range`` / ``vague``) and a ``type``, so
that years, ages, phone numbers, money, percentages and measured quantities are never read as
counts of people. Word lists live in ``data/<lang>/numbers.yaml``; this module only knows how
Arabic (and English) compose them: units before tens joined by «و», hundreds and scales
multiplying what comes before them, teens as unit + «عشر».
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import regex
from pydantic import BaseModel, Field

from rasd.document import Document, Mention, NormalizedView, OffsetMap
from rasd.errors import RasdError
from rasd.jsontypes import JSONObject
from rasd.normalize import Charmap, load_charmap, normalize_text
from rasd.registry import StageFn, stage
from rasd.resources import Resources


class VagueEntry(BaseModel):
    forms: list[str]
    value: int
    gloss: str


class RelativeEntry(BaseModel):
    forms: list[str]
    relative_to: str
    offset: int


class DozenForms(BaseModel):
    single: list[str] = Field(default_factory=list)
    plural: list[str] = Field(default_factory=list)
    dual: list[str] = Field(default_factory=list)


class NumbersData(BaseModel):
    """The schema of ``numbers.yaml`` (one per language)."""

    proclitics: list[str] = Field(default_factory=list)
    not_numbers: list[str] = Field(default_factory=list)
    article_excluded: list[str] = Field(default_factory=list)
    article: str = ""
    units: dict[int, list[str]]
    teen_only_units: dict[int, list[str]] = Field(default_factory=dict)
    teen_words: list[str] = Field(default_factory=list)
    teens: dict[int, list[str]] = Field(default_factory=dict)
    tens: dict[int, list[str]]
    hundreds: dict[int, list[str]]
    scales: dict[int, list[str]]
    scale_duals: dict[int, list[str]] = Field(default_factory=dict)
    dozens: DozenForms = Field(default_factory=DozenForms)
    fractions: dict[int, list[str]] = Field(default_factory=dict)
    fraction_plurals: dict[int, list[str]] = Field(default_factory=dict)
    fraction_duals: dict[float, list[str]] = Field(default_factory=dict)
    tens_as_fractions: dict[float, list[str]] = Field(default_factory=dict)
    ambiguous_fractions: list[str] = Field(default_factory=list)
    decimal_words: list[str] = Field(default_factory=list)
    fraction_over: list[str] = Field(default_factory=list)
    fraction_part: list[str] = Field(default_factory=list)
    fraction_of: list[str] = Field(default_factory=list)
    negative_words: list[str] = Field(default_factory=list)
    connector: str = ""
    implicit_join: bool = False
    hyphen_join: bool = False
    ordinals: dict[int, list[str]] = Field(default_factory=dict)
    ordinal_tens: dict[int, list[str]] = Field(default_factory=dict)
    bare_ordinals_need_noun: list[str] = Field(default_factory=list)
    vague: list[VagueEntry] = Field(default_factory=list)
    qualifiers_before: dict[str, list[str]] = Field(default_factory=dict)
    qualifiers_after: dict[str, list[str]] = Field(default_factory=dict)
    or_equal: list[str] = Field(default_factory=list)
    bound_joiners: list[str] = Field(default_factory=list)
    qualifier_after_not_before: list[str] = Field(default_factory=list)
    qualifiers_after_comparative: list[str] = Field(default_factory=list)
    range_between: list[str] = Field(default_factory=list)
    range_from: list[str] = Field(default_factory=list)
    range_to: list[str] = Field(default_factory=list)
    range_dash: list[str] = Field(default_factory=list)
    percent: list[str] = Field(default_factory=list)
    percent_before: list[str] = Field(default_factory=list)
    currency: dict[str, list[str]] = Field(default_factory=dict)
    currency_after: list[str] = Field(default_factory=list)
    currency_of_country: dict[str, list[str]] = Field(default_factory=dict)
    units_of_measure: dict[str, list[str]] = Field(default_factory=dict)
    year_before: list[str] = Field(default_factory=list)
    year_after: list[str] = Field(default_factory=list)
    age_before: list[str] = Field(default_factory=list)
    age_nouns: list[str] = Field(default_factory=list)
    age_preposition: list[str] = Field(default_factory=list)
    ordinal_not_before: list[str] = Field(default_factory=list)
    definite_prefixes: list[str] = Field(default_factory=list)
    plural_endings: list[str] = Field(default_factory=list)
    broken_plurals: list[str] = Field(default_factory=list)
    relative_ordinals: list[RelativeEntry] = Field(default_factory=list)
    relative_to_end: list[str] = Field(default_factory=list)
    phone_before: list[str] = Field(default_factory=list)
    dual_nouns: list[str] = Field(default_factory=list)


_NEVER = regex.compile(r"(?!)")  # a pattern for a list the data file leaves empty

# Word kinds in the compiled lexicon.
UNIT, TEEN_UNIT, TEEN, TEN, HUNDRED, SCALE, SCALE_DUAL = (
    "unit",
    "teen1",
    "teen",
    "ten",
    "h",
    "s",
    "s2",
)
DOZEN, DOZENS, DOZEN_DUAL, FRACTION, FRACTION_PL, FRACTION_DUAL = (
    "dz",
    "dzp",
    "dz2",
    "f",
    "fp",
    "f2",
)
ORDINAL, ORDINAL_TEN, DECIMAL, NEGATIVE = "ord", "ordten", "dec", "neg"


@dataclass(frozen=True, slots=True)
class Word:
    kind: str
    value: float


class Tok(NamedTuple):
    """A token of the normalized text: a word, a digit run, or one punctuation character."""

    start: int
    end: int
    text: str
    digit: bool
    word: bool


@dataclass(frozen=True, slots=True)
class NumberLexicon:
    """Everything the stage needs for one language, compiled once per pipeline."""

    words: dict[str, Word]
    candidates: frozenset[str]
    lookups: dict[str, tuple[Word | None, bool]]
    teen_words: frozenset[str]
    dual_nouns: frozenset[str]
    dual_forms: dict[str, int]  # a dual noun with any proclitic -> the proclitic's length
    hit_words: frozenset[str]  # every word that can start or be a number: see _Parser.regions
    bound_joiners: frozenset[str]
    fraction_over: frozenset[str]
    fraction_part: frozenset[str]
    fraction_of: frozenset[str]
    part_before: regex.Pattern[str]
    fraction_words: dict[str, float]
    tens_as_fractions: dict[str, float]
    proclitics: tuple[str, ...]
    connector: str
    implicit_join: bool
    hyphen_join: bool
    not_numbers: frozenset[str]
    article_excluded: frozenset[str]
    ordinal_not_before: frozenset[str]
    next_word: regex.Pattern[str]
    ambiguous_fractions: frozenset[str]
    bare_ordinals_need_noun: frozenset[str]
    article: str
    vague: regex.Pattern[str]
    vague_values: dict[str, tuple[int, str]]
    qual_before: regex.Pattern[str]
    qual_before_keys: dict[str, str]
    qual_after: regex.Pattern[str]
    qual_symbol: regex.Pattern[str]
    or_equal_after: regex.Pattern[str]
    qual_after_keys: dict[str, str]
    qual_after_noun: regex.Pattern[str]
    range_between: regex.Pattern[str]
    range_from: regex.Pattern[str]
    range_to: frozenset[str]
    range_dash: frozenset[str]
    suffix: regex.Pattern[str]
    suffix_kind: dict[str, tuple[str, str]]
    country_unit: dict[str, str]
    currency_before: regex.Pattern[str] | None
    currency_before_unit: dict[str, str]
    year_before: regex.Pattern[str]
    year_after: regex.Pattern[str]
    age_before: regex.Pattern[str]
    age_nouns: regex.Pattern[str]
    phone_before: regex.Pattern[str]
    percent_before: regex.Pattern[str]
    definite_prefixes: tuple[str, ...] = ()
    plural_endings: tuple[str, ...] = ()
    broken_plurals: frozenset[str] = frozenset()
    relative: regex.Pattern[str] = _NEVER
    relative_values: dict[str, tuple[str, int]] = field(default_factory=dict)
    relative_to_end: regex.Pattern[str] = _NEVER
    # first words of the phrases matched on the text (vague counts, relative ordinals), with and
    # without proclitics: only words in this set are tried (see _Parser.regions)
    phrase_firsts: frozenset[str] = frozenset()
    hit_or_first: frozenset[str] = frozenset()  # the union of the two: one lookup per word


_TOKEN = re.compile(r"(?<![\d.])\.\d+|\d+(?:[.,:]\d+)*|[^\W\d_]+|[^\s\w]")
_THOUSANDS = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = regex.compile(r"\d+[.,]\d+")
# «26,013,94»: Arabic thousands separators then a decimal comma (after folding both are ",")
_THOUSANDS_DECIMAL_COMMA = regex.compile(r"\d{1,3}(?:,\d{3})+,\d{1,2}")
# «1.1^23», «12.32e+14»: powers, as the Recognizers-Text suite writes them
_POWER = re.compile(
    r"(?<![\w.])(-?)(\d+(?:[.,]\d+)?)(?:e([+-]?\d+)|\^([+-]?)(\d+(?:[.,]\d+)?))(?![\w^])"
)


def _alternation(forms: Iterable[str]) -> str:
    ordered = sorted({f for f in forms if f}, key=len, reverse=True)
    return "|".join(regex.escape(f).replace(r"\ ", r"\s+") for f in ordered)


def build_lexicon(data: NumbersData, charmap: Charmap) -> NumberLexicon:
    def norm(form: str) -> str:
        return normalize_text(form, charmap).text.strip()

    words: dict[str, Word] = {}

    def put(forms: Iterable[str], kind: str, value: float) -> None:
        for form in forms:
            words.setdefault(norm(form), Word(kind, value))

    for value, forms in data.units.items():
        put(forms, UNIT, value)
    for value, forms in data.teens.items():
        put(forms, UNIT, value)
    for value, forms in data.teen_only_units.items():
        put(forms, TEEN_UNIT, value)
    put(data.teen_words, TEEN, 10)
    for value, forms in data.tens.items():
        put(forms, TEN, value)
    for value, forms in data.hundreds.items():
        put(forms, HUNDRED, value)
    for value, forms in data.scales.items():
        put(forms, SCALE, value)
    for value, forms in data.scale_duals.items():
        put(forms, SCALE_DUAL, value)
    put(data.dozens.single, DOZEN, 12)
    put(data.dozens.plural, DOZENS, 12)
    put(data.dozens.dual, DOZEN_DUAL, 24)
    for value, forms in data.fractions.items():
        put(forms, FRACTION, 1 / value)
    for value, forms in data.fraction_plurals.items():
        put(forms, FRACTION_PL, 1 / value)
    for fvalue, forms in data.fraction_duals.items():
        put(forms, FRACTION_DUAL, fvalue)
    put(data.decimal_words, DECIMAL, 0)
    put(data.negative_words, NEGATIVE, -1)
    for value, forms in data.ordinals.items():
        put(forms, ORDINAL, value)
    for value, forms in data.ordinal_tens.items():
        put(forms, ORDINAL_TEN, value)

    vague_values: dict[str, tuple[int, str]] = {}
    for entry in data.vague:
        for form in entry.forms:
            vague_values[regex.sub(r"\s+", " ", norm(form))] = (entry.value, entry.gloss)

    def keyed(table: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
        keys: dict[str, str] = {}
        for key, forms in table.items():
            for form in forms:
                keys[regex.sub(r"\s+", " ", norm(form))] = key
        return _alternation(keys), keys

    before_alt, before_keys = keyed(data.qualifiers_before)
    after_alt, after_keys = keyed(data.qualifiers_after)
    or_equal = _alternation(norm(f) for f in data.or_equal)
    clitic = f"(?:{_alternation(norm(p) for p in data.proclitics)})?" if data.proclitics else ""
    art = regex.escape(norm(data.article)) if data.article else "(?!)"
    qual_before = regex.compile(
        rf"(?:^|(?<=[\s\W]))({clitic})({before_alt})(?:\s+({or_equal}))?\s*$"
        if or_equal
        else rf"(?:^|(?<=[\s\W]))({clitic})({before_alt})()\s*$"
    )
    # «ثمانية قتلى وأكثر من مئة جريح»: a comparison followed by «من» qualifies the next number
    not_next = _alternation(norm(w) for w in data.qualifier_after_not_before)
    comparative = _alternation(norm(w) for w in data.qualifiers_after_comparative)
    guard = (
        rf"(?!(?:{comparative})\s+(?:{not_next})\s+(?=[^\W_]))" if comparative and not_next else ""
    )
    qual_after = regex.compile(rf"\s*(?:,\s*)?{guard}({after_alt})(?![^\W\d_])(?!\s*-?\d)")
    comparisons = [f for f in before_keys if not any(c.isalnum() for c in f)]
    qual_symbol = regex.compile(
        rf"(?<![<>=])({_alternation(comparisons)})\s*$" if comparisons else r"(?!)"
    )
    or_equal_after = regex.compile(rf"\s+(?:{or_equal})(?![^\W\d_])" if or_equal else r"(?!)")
    qual_after_noun = regex.compile(
        rf"(?:\s+(?!{after_alt})[^\W\d_]+){{1,4}}\s*(?:,\s*)?{guard}({after_alt})(?![^\W\d_])"
        rf"(?!\s*-?\d)"
    )

    suffix_kind: dict[str, tuple[str, str]] = {}
    for form in data.percent:
        suffix_kind[regex.sub(r"\s+", " ", norm(form))] = ("percent", "%")
    for unit, forms in data.currency.items():
        for form in forms:
            suffix_kind[regex.sub(r"\s+", " ", norm(form))] = ("money", unit)
    for unit, forms in data.units_of_measure.items():
        for form in forms:
            suffix_kind.setdefault(regex.sub(r"\s+", " ", norm(form)), ("quantity", unit))
    country_unit = {
        norm(f): unit for unit, forms in data.currency_of_country.items() for f in forms
    }
    currency_after = _alternation([*(norm(f) for f in data.currency_after), *country_unit])
    suffix = regex.compile(
        rf"\s*({_alternation(suffix_kind)})(?![^\W\d_])(?:\s+({currency_after})(?![^\W\d_]))?"
    )
    symbols = {
        norm(f): unit
        for unit, forms in data.currency.items()
        for f in forms
        if len(f) == 1 and not f.isalpha()
    }
    currency_before = regex.compile(rf"({_alternation(symbols)})\s*$") if symbols else None

    def words_re(forms: Iterable[str], tail: str = r"\s*$") -> regex.Pattern[str]:
        alt = _alternation(norm(f) for f in forms)
        return regex.compile(rf"(?:^|(?<=[\s\W])){clitic}(?:{alt}){tail}" if alt else r"(?!)")

    prefixes = ["", *(normalize_text(p, charmap).text for p in data.proclitics)]
    article_forms = ["", norm(data.article)] if data.article else [""]
    candidates = frozenset(p + a + form for form in words for p in prefixes for a in article_forms)
    dual_nouns = frozenset(norm(w) for w in data.dual_nouns)
    dual_forms = {p + d: len(p) for d in dual_nouns for p in prefixes}
    relative_values: dict[str, tuple[str, int]] = {}
    for rel in data.relative_ordinals:
        for form in rel.forms:
            relative_values[regex.sub(r"\s+", " ", norm(form))] = (rel.relative_to, rel.offset)
    phrase_firsts = frozenset(
        p + form.split()[0] for form in [*vague_values, *relative_values] for p in prefixes
    )
    return NumberLexicon(
        definite_prefixes=tuple(
            sorted((norm(p) for p in data.definite_prefixes), key=len, reverse=True)
        ),
        plural_endings=tuple(norm(p) for p in data.plural_endings),
        broken_plurals=frozenset(norm(w) for w in data.broken_plurals),
        relative=regex.compile(
            # only «و» before it: «وبالتالي» is "therefore", not "and by the next"
            rf"(?:^|(?<=[\s\W])){regex.escape(norm(data.connector))}?"
            rf"({_alternation(relative_values)})(?![^\W\d_])"
            if relative_values
            else r"(?!)"
        ),
        relative_values=relative_values,
        relative_to_end=regex.compile(
            rf"\s+(?:{_alternation(norm(f) for f in data.relative_to_end)})(?![^\W\d_])"
            if data.relative_to_end
            else r"(?!)"
        ),
        phrase_firsts=phrase_firsts,
        hit_or_first=phrase_firsts | candidates | frozenset(dual_forms),
        words=words,
        candidates=candidates,
        lookups={},
        teen_words=frozenset(norm(w) for w in data.teen_words),
        dual_nouns=dual_nouns,
        dual_forms=dual_forms,
        hit_words=candidates | frozenset(dual_forms),
        bound_joiners=frozenset(["", norm(data.connector), *(norm(w) for w in data.bound_joiners)]),
        fraction_over=frozenset(norm(w) for w in data.fraction_over),
        fraction_part=frozenset(norm(w) for w in data.fraction_part),
        fraction_of=frozenset(norm(w) for w in data.fraction_of),
        part_before=regex.compile(
            rf"(?:^|(?<=[\s\W]))(?:{_alternation(norm(w) for w in data.fraction_part)})\s*$"
            if data.fraction_part
            else r"(?!)"
        ),
        fraction_words={norm(f): 1 / v for v, forms in data.fractions.items() for f in forms},
        tens_as_fractions={
            norm(f): value for value, forms in data.tens_as_fractions.items() for f in forms
        },
        proclitics=tuple(sorted((norm(p) for p in data.proclitics), key=len, reverse=True)),
        connector=norm(data.connector),
        implicit_join=data.implicit_join,
        hyphen_join=data.hyphen_join,
        not_numbers=frozenset(norm(w) for w in data.not_numbers),
        article_excluded=frozenset(norm(w) for w in data.article_excluded),
        ordinal_not_before=frozenset(norm(w) for w in data.ordinal_not_before),
        next_word=regex.compile(rf"\s+(?:{art})?([^\W\d_]+)"),
        ambiguous_fractions=frozenset(norm(w) for w in data.ambiguous_fractions),
        bare_ordinals_need_noun=frozenset(norm(w) for w in data.bare_ordinals_need_noun),
        article=norm(data.article),
        vague=regex.compile(
            rf"(?:^|(?<=[\s\W])){clitic}({_alternation(vague_values)})(?![^\W\d_])"
        ),
        vague_values=vague_values,
        qual_before=qual_before,
        qual_before_keys=before_keys,
        qual_after=qual_after,
        qual_symbol=qual_symbol,
        or_equal_after=or_equal_after,
        qual_after_keys=after_keys,
        qual_after_noun=qual_after_noun,
        range_between=words_re(data.range_between),
        range_from=words_re(data.range_from),
        range_to=frozenset(norm(w) for w in data.range_to),
        range_dash=frozenset(data.range_dash),
        suffix=suffix,
        suffix_kind=suffix_kind,
        country_unit=country_unit,
        currency_before=currency_before,
        currency_before_unit=symbols,
        year_before=words_re(data.year_before, rf"\s*(?:{art})?$"),
        year_after=regex.compile(
            rf"\s*(?:{_alternation(norm(f) for f in data.year_after)})(?![^\W\d_])"
        ),
        age_before=words_re(data.age_before, r"(?:\s+[^\W\d_]+){0,3}\s*$"),
        age_nouns=words_re(
            data.age_nouns, rf"\s+(?:{_alternation(norm(p) for p in data.age_preposition)})\s+$"
        ),
        phone_before=words_re(data.phone_before, r"\s*:?\s*(?:[^\W\d_]+\s*)?$"),
        percent_before=regex.compile(
            rf"(?:^|(?<=[\s\W]))({_alternation(norm(f) for f in data.percent_before)})\s*$"
            if data.percent_before
            else r"(?!)"
        ),
    )


def load_lexicon(resources: Resources, lang: str) -> NumberLexicon:
    return resources.derived(
        f"numbers:{lang}",
        lambda: build_lexicon(
            resources.model(NumbersData, lang, "numbers.yaml"), load_charmap(resources)
        ),
    )


@dataclass(slots=True)
class Num:
    """A number found on the normalized text, before it becomes a Mention."""

    start: int  # normalized offsets
    end: int
    value: float
    low: float | None
    high: float | None
    qualifier: str = "exact"
    type: str = "cardinal"
    by: str = "numbers.digits"
    scale: float = 0.0
    unit: str | None = None
    cue: str | None = None
    gloss: str | None = None
    words: bool = False
    scale_word: bool = False  # ends in a hundred or scale word («مئة», «مليون»)
    relative: tuple[str, int] | None = None  # a relative ordinal: (relative_to, offset)
    extra: dict[str, object] = field(default_factory=dict)


# Thousands groups written with spaces: a plain, no-break, narrow no-break or thin space.
_GROUP_SPACES = frozenset({" ", "\u00a0", "\u202f", "\u2009"})
_GROUP = re.compile(r"\d{3}(?:\.\d+)?")
# A word after a number on the same line: what it counts («واحد من ثلاثة طلاب»).
_COUNTED_AFTER = re.compile(r"[^\S\n]*[^\W\d_]")
# A phone number's shape; phones() checks the digit counts.
_PHONE = regex.compile(
    r"(?<![\w.,+\-])(?P<code>\(?\+\d{1,3}\)?[^\S\n]*-?[^\S\n]*)?"
    r"(?P<body>\d{1,15}(?:(?:[^\S\n]{1,3}-?[^\S\n]{0,3}|-|\.)\d{1,10}){0,5})"
    r"(?:[^\S\n]*(?:ext\.?|x|فرعي)[^\S\n]*(?P<ext>\d{1,5}))?(?![\w.,]?\d)"
)
# Types whose unit a range's first bound shares with its second («من 10 إلى 20 دولار»).
_UNIT_TYPES = frozenset({"money", "quantity", "percent"})
# The word right before a number, on the same line, with only spaces between.
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+)[^\S\n]*$")
# More digits than any count or year a report states: a serial, a phone number or noise.
_MAX_DIGITS = 18


def tokenize(norm: str, regions: Iterable[tuple[int, int]] | None = None) -> list[Tok]:
    """Tokens of the whole text, or of ``regions`` only with a gap token between two regions."""
    tokens: list[Tok] = []
    spans = [(0, len(norm))] if regions is None else regions
    append = tokens.append
    for start, end in spans:
        if tokens:
            last = tokens[-1].end
            append(Tok(last, last, "\n", False, False))  # nothing composes across a gap
        for m in _TOKEN.finditer(norm, start, end):
            text = m.group()
            first = text[0]
            if first.isalpha():
                append(Tok(m.start(), m.end(), text, False, True))
                continue
            digit = first.isdecimal() or (first == "." and len(text) > 1)
            if digit and len(text) > _MAX_DIGITS and sum(c.isdecimal() for c in text) > _MAX_DIGITS:
                digit = False  # read as a word: no count, never converted
            append(Tok(m.start(), m.end(), text, digit, first == "_"))
    return tokens


_HIT_WORD = re.compile(r"[^\W\d_]+")
_HIT_DIGITS = re.compile(r"\d+")
# How far around a digit run or number word the parser needs tokens: the word before an ordinal
# («الأسبوع الأول») and the connector and word after a number («ثلاثة و عشرون»). Qualifiers, units
# and ranges are matched on the text itself, not on tokens.
_BEFORE, _AFTER = 40, 60


def regions(norm: str, lex: NumberLexicon) -> tuple[list[tuple[int, int]], list[int]]:
    """Stretches of text around digits and number words, and where vague counts may start.

    The starts are the words that may open a vague count or a relative ordinal. Tokenizing a whole
    report to find its numbers was the stage's main cost: most words are not near a number, so
    only these stretches are tokenized (a set lookup per word finds them).
    """
    hits = [m.span() for m in _HIT_DIGITS.finditer(norm)]
    words, firsts, either = lex.hit_words, lex.phrase_firsts, lex.hit_or_first
    starts: list[int] = []
    for m in _HIT_WORD.finditer(norm):
        word = m.group()
        if word not in either:
            continue
        if word in words:
            hits.append(m.span())
        if word in firsts:
            starts.append(m.start())
    if not hits:
        return [], starts
    hits.sort()
    n = len(norm)
    out: list[tuple[int, int]] = []
    for hit_start, hit_end in hits:
        start, end = max(0, hit_start - _BEFORE), min(n, hit_end + _AFTER)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
            continue
        out.append((start, end))
    snapped: list[tuple[int, int]] = []
    for start, end in out:
        while start > 0 and not norm[start - 1].isspace():
            start -= 1  # never cut a token in two
        while end < n and not norm[end].isspace():
            end += 1
        if snapped and start <= snapped[-1][1]:
            snapped[-1] = (snapped[-1][0], end)
        else:
            snapped.append((start, end))
    return snapped, starts


def _digit_value(text: str) -> float | None:
    if ":" in text or sum(c.isdecimal() for c in text) > _MAX_DIGITS:
        return None
    if text.startswith("."):
        return float("0" + text)
    if text.isdecimal():
        return int(text)
    if _THOUSANDS_DECIMAL_COMMA.fullmatch(text):
        whole, _, decimals = text.rpartition(",")
        return _as_number(float(whole.replace(",", "") + "." + decimals))
    if _THOUSANDS.fullmatch(text):
        return _as_number(float(text.replace(",", "")))
    if _DECIMAL.fullmatch(text):
        return _as_number(float(text.replace(",", ".")))
    return None


def _significant(value: float) -> float:
    """Twelve significant digits: «جزء من مئة ألف تريليون» is 1e-17, not 0 at 12 decimals."""
    return float(f"{value:.12g}")


def _as_number(value: float) -> float:
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


class _Parser:
    """One pass over the tokens of a document; builds ``Num`` objects left to right."""

    def __init__(self, lex: NumberLexicon, norm: str, blocked: Sequence[tuple[int, int]]):
        self.lex = lex
        self.norm = norm
        spans, self.phrase_starts = regions(norm, lex)
        self.toks = tokenize(norm, spans)
        self.blocked = blocked
        self.nums: list[Num] = []

    # --- word lookup -------------------------------------------------------------------------
    def lookup(self, tok: Tok, *, allow_clitic: bool = True) -> tuple[Word | None, bool]:
        """The number word a token is, and whether it carried the connector «و»."""
        if not tok.word:
            return None, False
        if allow_clitic:
            cached = self.lex.lookups.get(tok.text)
            if cached is None:
                cached = self._lookup(tok.text, allow_clitic=True)
                if len(self.lex.lookups) < 100_000:
                    self.lex.lookups[tok.text] = cached
            return cached
        return self._lookup(tok.text, allow_clitic=False)

    def _lookup(self, text: str, *, allow_clitic: bool) -> tuple[Word | None, bool]:
        lex = self.lex
        if text in lex.not_numbers:
            return None, False
        word = lex.words.get(text)
        if word is not None:
            return word, False
        if allow_clitic:
            for clitic in lex.proclitics:
                if text.startswith(clitic) and len(text) - len(clitic) >= 2:
                    stem = text[len(clitic) :]
                    word = lex.words.get(stem) or self._with_article(stem)
                    if word is not None:
                        return word, clitic.startswith(lex.connector)
        word = self._with_article(text)
        return word, False

    def _with_article(self, text: str) -> Word | None:
        lex = self.lex
        if not lex.article or not text.startswith(lex.article) or text in lex.not_numbers:
            return None
        if text in lex.article_excluded:
            return None
        word = lex.words.get(text[len(lex.article) :])
        if word is None or word.kind in {SCALE_DUAL, DECIMAL, NEGATIVE}:
            return None
        return word

    def is_blocked(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.blocked)

    # --- main loop ---------------------------------------------------------------------------
    def run(self) -> list[Num]:
        toks = self.toks
        i = 0
        n = len(toks)
        if "^" in self.norm or "e" in self.norm:
            self.powers()
        phones = self.phones()
        while i < n:
            tok = toks[i]
            if not (tok.digit or tok.word):
                i += 1
                continue
            if phones and tok.digit and any(s <= tok.start < e for s, e in phones):
                i += 1
                continue
            if tok.word and self.lex.dual_nouns and self.dual(tok):
                i += 1
                continue
            if tok.word and (tok.text not in self.lex.candidates or not self._maybe_number(tok)):
                i += 1
                continue
            if tok.digit and _digit_value(tok.text) is None and ":" not in tok.text:
                self.nums.extend(
                    n for n in self.split_run(tok) if not self.is_blocked(n.start, n.end)
                )
                i += 1
                continue
            result = self.parse_group(i)
            if result is None:
                i += 1
                continue
            num, j = result
            if self.is_blocked(num.start, num.end):
                i = j
                if num.extra.get("digits") and 1000 <= num.value <= 2100:
                    num.type = "year"  # the year of a date the dates stage found
                    self.nums.append(num)
                continue
            j = self.type_suffix(num, j)
            self.nums.append(num)
            i = j
        self.add_vague()
        self.add_relative()
        self.nums.sort(key=lambda x: x.start)
        self.combine_fractions()
        self.combine_ranges()
        self.apply_qualifiers()
        self.definite_ordinals()
        self.type_context()
        return self.nums

    def dual(self, tok: Tok) -> bool:
        """«قتيلان», «شخصين»: a dual noun counts two."""
        skip = self.lex.dual_forms.get(tok.text)
        if skip is None or self.is_blocked(tok.start, tok.end):
            return False
        num = Num(tok.start + skip, tok.end, 2, 2, 2, by="numbers.dual")
        self.nums.append(num)
        return True

    def _maybe_number(self, tok: Tok) -> bool:
        word, _ = self.lookup(tok)
        return word is not None

    # --- groups ------------------------------------------------------------------------------
    def parse_group(self, i: int) -> tuple[Num, int] | None:
        toks = self.toks
        tok = toks[i]
        if tok.digit:
            return self.parse_digits(i)
        word, _ = self.lookup(tok)
        if word is None:
            return None
        if word.kind == ORDINAL_TEN:
            return self.parse_words(i)  # «فوق الثلاثين»: a cardinal with the article
        if word.kind == ORDINAL:
            return self.parse_ordinal(i, word)
        if word.kind == NEGATIVE:
            if i + 1 < len(toks) and (toks[i + 1].digit or self.lookup(toks[i + 1])[0]):
                inner = self.parse_group(i + 1)
                if inner is not None:
                    num, j = inner
                    num.start = tok.start
                    num.value = -num.value
                    num.low = num.high = num.value
                    return num, j
            return None
        if word.kind in {DECIMAL, TEEN, FRACTION_PL}:
            return None
        return self.parse_words(i)

    def parse_digits(self, i: int) -> tuple[Num, int] | None:
        toks = self.toks
        tok = toks[i]
        value = _digit_value(tok.text)
        if value is None:
            return None
        if self.glued(tok):
            return None
        start, j = tok.start, i + 1
        # Space-grouped thousands «1 234 567» (also with no-break or thin spaces), the last group
        # may carry decimals «1 234 567.89»; longer irregular groups are phone numbers.
        if tok.text.isdecimal() and len(tok.text) <= 3:
            k = j
            digits = tok.text
            while k < len(toks) and toks[k].digit and _GROUP.fullmatch(toks[k].text):
                if self.norm[toks[k - 1].end : toks[k].start] not in _GROUP_SPACES:
                    break
                digits += toks[k].text
                k += 1
                if not toks[k - 1].text.isdecimal():
                    break  # decimals end the number
            if k > j:
                grouped = _digit_value(digits)
                if grouped is not None:
                    value, j = grouped, k
        # Negative sign glued to the digits at the start of a token run.
        if (
            start > 0
            and self.norm[start - 1] == "-"
            and (start < 2 or self.norm[start - 2] in " (\n<>=")
        ):
            start -= 1
            value = -value
        # A bare fraction «3/4» (dates have three parts and are blocked by the dates stage).
        if (
            j + 1 < len(toks)
            and toks[j].text == "/"
            and toks[j].start == toks[j - 1].end
            and toks[j + 1].digit
            and toks[j + 1].start == toks[j].end
            and not (j + 2 < len(toks) and toks[j + 2].text == "/")
            and not (i > 0 and toks[i - 1].text == "/")
            # «2014/2015», «1234/2015»: seasons, case and serial numbers, not fractions
            and not (len(tok.text) >= 3 and len(toks[j + 1].text) >= 3)
        ):
            denominator = _digit_value(toks[j + 1].text)
            if denominator:
                frac = Num(start, toks[j + 1].end, 0, None, None, type="fraction")
                frac.extra["digits"] = True
                frac.value = _as_number(round(value / denominator, 12))
                frac.low = frac.high = frac.value
                frac.by = "numbers.fraction"
                return frac, j + 2
        num = Num(start, toks[j - 1].end, value, value, value)
        num.extra["digits"] = True
        return self.continue_group(num, j, value, last_kind="digit", scale=0.0)

    def glued(self, tok: Tok) -> bool:
        """Digits run into letters («٤من», «29ك») are not a number unless the letters are a unit."""
        end = tok.end
        if end >= len(self.norm) or not self.norm[end].isalpha():
            return False
        m = self.lex.suffix.match(self.norm, end)
        return m is None or m.start(1) != end

    def split_run(self, tok: Tok) -> list[Num]:
        """«192.168.1.2», «8.8.1998»: each part is a number of its own."""
        nums: list[Num] = []
        position = tok.start
        for part in regex.split(r"[.,]", tok.text):
            if part:
                value = int(part)
                num = Num(position, position + len(part), value, value, value)
                num.extra["digits"] = True
                nums.append(num)
            position += len(part) + 1
        return nums

    def parse_words(self, i: int) -> tuple[Num, int] | None:
        toks = self.toks
        word, _ = self.lookup(toks[i])
        assert word is not None
        start = toks[i].start + self.clitic_length(toks[i].text)
        num = Num(start, toks[i].end, 0, None, None, by="numbers.words", words=True)
        if self.definite(toks[i].text):
            num.extra["definite"] = True
        nxt_tok = toks[i + 1] if i + 1 < len(toks) else None
        if (
            toks[i].text in self.lex.ambiguous_fractions
            and nxt_tok is not None
            and nxt_tok.word
            and nxt_tok.text.startswith(self.lex.article)
        ):
            word = Word(FRACTION, self.lex.fraction_words[toks[i].text])
        kind = word.kind
        if kind == FRACTION:
            # «نصف مليون», «ربع» alone; the ambiguous «خمس» is a fraction only before «ال…».
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            nxt_word = self.lookup(nxt)[0] if nxt else None
            if nxt_word is not None and nxt_word.kind in {SCALE, DOZEN} and nxt is not None:
                num.value = _as_number(word.value * nxt_word.value)
                num.end = nxt.end
                num.low = num.high = num.value
                return num, i + 2
            if toks[i].text in self.lex.ambiguous_fractions and not (
                nxt is not None and nxt.word and nxt.text.startswith(self.lex.article)
            ):
                word = Word(UNIT, 5)
                kind = UNIT
            else:
                num.value = _as_number(round(word.value, 12))
                num.low = num.high = num.value
                num.type = "fraction"
                return num, i + 1
        if kind == FRACTION_DUAL:
            num.value = word.value
            num.low = num.high = num.value
            num.type = "fraction"
            return num, i + 1
        if kind == TEEN_UNIT:
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            nxt_word = self.lookup(nxt, allow_clitic=False)[0] if nxt else None
            if nxt is None or nxt.text not in self.lex.teen_words:
                return None
        if kind in (DOZEN_DUAL, DOZEN):
            value = word.value
        elif kind == SCALE_DUAL:
            value = 2 * word.value
        elif kind == SCALE:
            value = word.value
            text = toks[i].text
            if text in self.lex.vague_values or text[1:] in self.lex.vague_values:
                return None  # a bare plural scale is a vague count (add_vague)
        else:
            value = word.value
        num.value = value
        num.low = num.high = value
        if kind == ORDINAL_TEN:
            kind = TEN
        return self.continue_group(num, i + 1, value, last_kind=kind, scale=0.0)

    def continue_group(
        self, num: Num, j: int, value: float, *, last_kind: str, scale: float
    ) -> tuple[Num, int]:
        """Extend a number with the words that compose with it («ثلاثة آلاف وخمسمائة»)."""
        toks = self.toks
        total = 0.0
        current = value
        classes = {self._class(value, last_kind)}
        last_scale = scale
        last_value = value
        if last_kind == SCALE_DUAL:
            total, current, classes, last_scale = value, 0.0, set(), value / 2
        elif last_kind == SCALE:
            total, current, classes, last_scale = value, 0.0, set(), value
        n = len(toks)
        while j < n:
            tok = toks[j]
            connector = False
            k = j
            if (
                (tok.word and tok.text == self.lex.connector)
                or (self.lex.hyphen_join and tok.text == "-" and tok.start == toks[j - 1].end)
            ) and j + 1 < n:
                connector, k = True, j + 1
                tok = toks[k]
            elif self.lex.implicit_join and tok.word:
                implicit = self.lookup(tok)[0]
                if (
                    implicit is not None
                    and implicit.kind in {UNIT, TEN}
                    and (last_kind in {TEN, HUNDRED, SCALE} and implicit.value < 100)
                ):
                    connector = True
            if self.norm[toks[k - 1].end : tok.start].count("\n"):
                break
            if tok.digit:
                if not (connector or last_scale) or num.type == "fraction":
                    break
                dval = _digit_value(tok.text)
                if dval is None or dval == 0:
                    break  # «٣٠٠ و٠»: a zero adds nothing; it is a number of its own
                if last_kind == "digit" and not last_scale:
                    break  # «300 و 212» are two numbers
                if last_scale and current == 0 and dval < last_scale:
                    current, classes, last_kind = dval, {self._class(dval, "digit")}, "digit"
                    last_value = dval
                    num.end = tok.end
                    j = k + 1
                    continue
                if connector and last_kind == HUNDRED and dval < 100 and float(dval).is_integer():
                    current += dval  # «٣ مئة و ٢١»
                    last_kind, last_value = "digit", dval
                    num.end = tok.end
                    j = k + 1
                    continue
                break
            word, clitic_and = self.lookup(tok)
            if word is None or (word.kind == UNIT and word.value == 0):
                break
            if (
                not clitic_and
                and tok.text not in self.lex.words
                and not (self.lex.article and tok.text.startswith(self.lex.article))
            ):
                break  # «بالمائة», «لألف»: a preposition starts a new phrase
            connector = connector or clitic_and
            kind = word.kind
            if tok.text in self.lex.teen_words:
                kind = TEEN
            elif kind == ORDINAL_TEN:
                kind = TEN  # «الواحد والعشرون»: the article is on every part of a definite number
            elif kind == ORDINAL and connector and num.extra.get("definite") and word.value < 10:
                kind = UNIT  # «المئة والخامسة والعشرون»: an ordinal unit inside a definite number
                num.extra["ordinal_part"] = True
            if (
                kind == UNIT
                and connector
                and last_kind in {UNIT, TEN, TEEN, HUNDRED}
                and k + 1 < n
                and (self.lookup(toks[k + 1], allow_clitic=False)[0] or Word("", 0)).kind
                == FRACTION_PL
            ):
                # «عشرون وثلاثة أخماس» = 20 + 3/5
                plural = self.lookup(toks[k + 1], allow_clitic=False)[0]
                assert plural is not None
                current += word.value * plural.value
                num.type = "fraction"
                num.end = toks[k + 1].end
                j = k + 2
                last_kind = FRACTION_PL
                continue
            elif (
                kind == TEEN
                and not connector
                and last_kind in {UNIT, TEEN_UNIT}
                and last_value < 10
            ):
                current += 10
                classes = {"unit"}
                last_kind = TEEN
            elif (
                kind == HUNDRED
                and word.value == 100
                and not connector
                and current > 0
                and (current < 100 or last_kind == "digit")
            ):
                current *= 100  # «ثلاث مائة», «٣ مئة», «خمسة وتسعون مائة», «322 مائة»
                classes = {"hundred"}
                last_kind = HUNDRED
            elif kind == SCALE and (not connector or (current == 0 and total == 0)):
                if current == 0 and total == 0:
                    break
                if (
                    current == 0
                    and last_kind == SCALE
                    and not connector
                    and word.value > last_scale
                ):
                    total *= word.value  # «مئة ألف تريليون», «ألف مليون»: scales multiply
                    last_scale = num.scale = word.value
                    num.end = tok.end
                    j = k + 1
                    continue
                if current == 0:
                    break
                if last_scale and word.value >= last_scale:
                    break
                total += current * word.value
                current, classes, last_kind, last_scale = 0.0, set(), SCALE, word.value
                num.scale = word.value
            elif kind in {SCALE, SCALE_DUAL} and connector:
                add = word.value * (2 if kind == SCALE_DUAL else 1)
                if last_scale and word.value >= last_scale:
                    break
                total += current + add
                current, classes, last_kind, last_scale = 0.0, set(), SCALE, word.value
            elif kind == DOZENS and not connector and 0 < current < 100:
                current *= 12
                last_kind = DOZENS
            elif kind in {DOZEN, DOZEN_DUAL} and connector:
                current += word.value
                last_kind = kind
            elif (
                kind == UNIT
                and self._stem(tok.text) in self.lex.ambiguous_fractions
                and (
                    (connector and self._class(word.value, kind) in classes)
                    or (not connector and last_kind in {TEN, TEEN})
                )
            ):
                fraction = self.lex.fraction_words[self._stem(tok.text)]
                # «ثلاث وخمس» = 3 1/5; «ثلاث وعشرون خمس» = 23 fifths
                current = current + fraction if connector else current * fraction
                num.type = "fraction"
                last_kind = FRACTION
            elif kind in {UNIT, TEN, HUNDRED} and (connector or last_kind == SCALE):
                cls = self._class(word.value, kind)
                dual_share = self.lex.tens_as_fractions.get(self._stem(tok.text))
                if connector and kind == TEN and cls in classes and dual_share is not None:
                    # «مئة وثلاثون وخمسين»: a second ten cannot follow, so «خُمسين» is 2/5
                    current += dual_share
                    num.type = "fraction"
                    last_kind = FRACTION_DUAL
                    num.end = tok.end
                    j = k + 1
                    continue
                if cls in classes or (last_scale and current == 0 and word.value >= last_scale):
                    break
                if kind == HUNDRED and classes:
                    break
                if not connector and last_kind == SCALE and kind != HUNDRED and cls != "unit":
                    break
                nxt_word = self.lookup(toks[k + 1], allow_clitic=False)[0] if k + 1 < n else None
                if nxt_word is not None and nxt_word.kind == FRACTION_PL and kind == UNIT:
                    break  # «عشرون وثلاثة أخماس»: the unit belongs to the fraction
                current += word.value
                last_value = word.value
                classes.add(cls)
                last_kind = kind
            elif kind == FRACTION_PL and not connector and last_kind in {UNIT, TEN, TEEN}:
                current *= word.value
                num.type = "fraction"
                last_kind = kind
            elif kind in {FRACTION, FRACTION_DUAL} and connector:
                current += word.value
                num.type = "fraction"
                last_kind = kind
            elif kind == UNIT and connector is False and last_kind == DOZENS:
                break
            elif kind == DECIMAL and not connector and k + 1 < n:
                after = toks[k + 1]
                frac_word = self.lookup(after, allow_clitic=False)[0]
                if after.digit and after.text.isdecimal():
                    digits = after.text
                elif frac_word is not None and frac_word.kind == UNIT:
                    digits = str(int(frac_word.value))
                else:
                    break
                current += int(digits) / 10 ** len(digits)
                num.end = after.end
                j = k + 2
                last_kind = DECIMAL
                continue
            else:
                break
            num.end = tok.end
            j = k + 1
        num.scale_word = last_kind in {HUNDRED, SCALE, SCALE_DUAL}
        value = _as_number(round(total + current, 12))
        num.value = value
        num.low = num.high = value
        if num.words and num.type == "cardinal" and num.by == "numbers.digits":
            num.by = "numbers.words"
        if num.extra.get("digits") and num.scale:
            num.by = "numbers.scale"
        return num, j

    def clitic_length(self, text: str) -> int:
        """«وثلاثة», «بألفين»: the mention starts after the conjunction or preposition."""
        if text in self.lex.words:
            return 0
        for clitic in self.lex.proclitics:
            if not clitic.startswith(self.lex.connector):
                continue  # prepositions stay in the span («بألفين»), as the suites mark them
            rest = text[len(clitic) :]
            if text.startswith(clitic) and (
                rest in self.lex.words or self._with_article(rest) is not None
            ):
                return len(clitic)
        return 0

    def _stem(self, text: str) -> str:
        connector = self.lex.connector
        return text[len(connector) :] if connector and text.startswith(connector) else text

    @staticmethod
    def _class(value: float, kind: str) -> str:
        if kind in {HUNDRED}:
            return "hundred"
        if kind == TEN or 20 <= value < 100:
            return "ten" if value % 10 == 0 or kind == TEN else "tens_units"
        if value < 20:
            return "unit"
        return "big"

    def parse_ordinal(self, i: int, word: Word) -> tuple[Num, int] | None:
        toks = self.toks
        tok = toks[i]
        if word.kind == ORDINAL_TEN:
            return None  # «العشرين» alone is a cardinal (see lookup order below)
        text = tok.text
        bare = text in self.lex.bare_ordinals_need_noun
        if bare and (
            i == 0
            or not toks[i - 1].word
            or (i + 1 < len(toks) and toks[i + 1].text in self.lex.ordinal_not_before)
        ):
            return None
        value = word.value
        end = tok.end
        j = i + 1
        if j < len(toks):
            nxt, _ = self.lookup(toks[j], allow_clitic=False)
            if nxt is not None and toks[j].text in self.lex.teen_words and value < 10:
                value += 10
                end = toks[j].end
                j += 1
            elif j + 1 < len(toks) and toks[j].text == self.lex.connector:
                ten, _ = self.lookup(toks[j + 1], allow_clitic=False)
                if ten is not None and ten.kind in {ORDINAL_TEN}:
                    value += ten.value
                    end = toks[j + 1].end
                    j += 2
            elif toks[j].text.startswith(self.lex.connector):
                ten = self.lex.words.get(toks[j].text[1:])
                if ten is not None and ten.kind == ORDINAL_TEN:
                    value += ten.value
                    end = toks[j].end
                    j += 1
        num = Num(tok.start, end, value, value, value, type="ordinal", by="numbers.ordinal")
        return num, j

    def phones(self) -> list[tuple[int, int]]:
        """«650-701-8887», «+33 1 46647998», «٦٥٠٧٠١٨٨٨٧ فرعي ٨٩٧»: phone numbers by their shape.

        A «+» country code and 8-14 digits after it; or groups joined by spaces or hyphens that
        end in a group of four, 9 or more digits in all; or one run of 10-15 digits. Thousands
        groups («1 234 567») end in three and a pair of years («2014 2015») has eight digits, so
        neither is taken. The digits are kept as written (leading zeros too) under ``digits``.
        """
        spans: list[tuple[int, int]] = []
        for m in _PHONE.finditer(self.norm):
            body = m.group("body")
            digits = "".join(c for c in body if c.isdecimal())
            code = "".join(c for c in m.group("code") or "" if c.isdecimal())
            groups = [g for g in regex.split(r"[\s.\-]+", body) if g]
            if code:
                ok = 8 <= len(digits) <= 14
            elif len(groups) == 1:
                ok = 10 <= len(digits) <= 15
            else:
                ok = (
                    "." not in body
                    and len(groups[-1]) == 4
                    and 9 <= len(digits) <= 15
                    and all(len(g) <= 4 for g in groups)
                )
            if not ok or self.is_blocked(m.start(), m.end()):
                continue
            if not code and self.lex.suffix.match(self.norm, m.end()):
                continue  # «تبلغ 420681121015 ريال»: an amount written without separators
            ext = m.group("ext") or ""
            number = code + digits + ext
            num = Num(m.start(), m.end(), int(number), None, None, type="phone", by="numbers.phone")
            num.extra["phone_digits"] = str(number)
            self.nums.append(num)
            spans.append((m.start(), m.end()))
        return spans

    def powers(self) -> None:
        """«1.1^23», «12.32e+14»: taken whole before the token loop splits them."""
        blocked = list(self.blocked)
        for m in _POWER.finditer(self.norm):
            base = float(m.group(2).replace(",", "."))
            if m.group(3) is not None:
                value = base * 10 ** int(m.group(3))
            else:
                exponent = float(m.group(5).replace(",", "."))
                value = base ** (-exponent if m.group(4) == "-" else exponent)
            if m.group(1):
                value = -value
            value = _as_number(round(value, 12))
            num = Num(m.start(), m.end(), value, value, value, by="numbers.power")
            num.extra["digits"] = True
            self.nums.append(num)
            blocked.append((m.start(), m.end()))
        self.blocked = blocked

    def combine_fractions(self) -> None:
        """«واحد على ثلاثة» = 1/3, «عشرين أجزاء من خمسة وعشرين» = 20/25, «جزء من مئة» = 1/100."""
        lex, norm = self.lex, self.norm
        out: list[Num] = []
        for num in self.nums:
            prev = out[-1] if out else None
            if (
                num.type not in {"cardinal", "fraction"}
                or num.qualifier != "exact"
                or not num.value
            ):
                out.append(num)
                continue
            gap = " ".join(norm[prev.end : num.start].split()) if prev is not None else None
            if (
                prev is not None
                and norm[prev.end : num.start] == " "
                and prev.extra.get("digits")
                and num.extra.get("digits")
                and {prev.type, num.type} == {"cardinal", "fraction"}
                and prev.qualifier == num.qualifier == "exact"
            ):
                # «-1 4/5» = -1.8; written right to left, «1/4 2» = 2.25
                whole, share = (prev, num) if prev.type == "cardinal" else (num, prev)
                if float(whole.value).is_integer() and 0 < share.value < 1:
                    sign = -1 if whole.value < 0 or norm[prev.start] == "-" else 1
                    value = _as_number(round(whole.value + sign * share.value, 12))
                    out[-1] = Num(
                        prev.start,
                        num.end,
                        value,
                        value,
                        value,
                        type="fraction",
                        by="numbers.fraction",
                        extra={"digits": True},
                    )
                    continue
            if (
                prev is not None
                and prev.type in {"cardinal", "fraction"}
                and prev.qualifier == "exact"
                and (
                    gap in lex.fraction_over
                    or gap in lex.fraction_part
                    # «واحد من مليون»: one in a power of ten, never «one of three people»
                    or (gap in lex.fraction_of and prev.value == 1 and num.scale_word)
                    # «واحد من أربعة» with nothing counted after it: one in four
                    or (
                        gap in lex.fraction_of
                        and prev.type == num.type == "cardinal"
                        and 0 < prev.value < num.value
                        and (
                            not _COUNTED_AFTER.match(norm, num.end)
                            or lex.qual_after.match(norm, num.end)  # «2 من 5 أو أكثر»
                        )
                    )
                )
            ):
                value = _as_number(_significant(prev.value / num.value))
                out[-1] = Num(
                    prev.start,
                    num.end,
                    value,
                    value,
                    value,
                    type="fraction",
                    by="numbers.fraction",
                    extra={"digits": True},
                )
                continue
            part = lex.part_before.search(norm, max(0, num.start - 16), num.start)
            if part is not None:
                value = _as_number(_significant(1 / num.value))
                out.append(
                    Num(
                        part.start(),
                        num.end,
                        value,
                        value,
                        value,
                        type="fraction",
                        by="numbers.fraction",
                    )
                )
                continue
            out.append(num)
        self.nums = out

    # --- vague counts ------------------------------------------------------------------------
    def add_vague(self) -> None:
        taken = sorted((n.start, n.end) for n in self.nums)
        lex = self.lex
        last_end = -1
        for position in self.phrase_starts:
            if position < last_end:
                continue
            m = lex.vague.match(self.norm, position)
            if m is None:
                continue
            last_end = m.end()
            start, end = m.span(1)
            if any(s < end and start < e for s, e in taken) or self.is_blocked(start, end):
                continue
            key = regex.sub(r"\s+", " ", m.group(1))
            value, gloss = lex.vague_values[key]
            # «8 آلاف» is a scale, not a vague count: skip when a number comes right before.
            before = self.norm[max(0, start - 12) : start].rstrip()
            if before and before[-1].isdecimal():
                continue
            num = Num(start, end, value, value, None, qualifier="vague", by="numbers.vague")
            num.gloss = gloss
            # «عشرات الآلاف»: tens of thousands.
            after = lex.next_word.match(self.norm[end : end + 20])
            if after is not None:
                scale = lex.words.get(after.group(1))
                if scale is not None and scale.kind == SCALE and scale.value > value:
                    num.value = num.low = value * scale.value
                    num.end = end + after.end()
            self.nums.append(num)
            taken.append((num.start, num.end))

    def add_relative(self) -> None:
        """«الصفحة التالية», «قبل الأخير»: ordinals counted from here or from the end.

        A relative phrase wins over a number word inside it («الواحد قبل الأخير»), and an ordinal
        counted back from the end («الثانية إلى الأخير») becomes end - 1.
        """
        lex, norm = self.lex, self.norm
        found: list[Num] = []
        last_end = -1
        for position in self.phrase_starts:
            if position < last_end:
                continue
            m = lex.relative.match(norm, position)
            if m is None:
                continue
            last_end = m.end()
            start, end = m.span(1)
            if self.is_blocked(start, end):
                continue
            relative = lex.relative_values[regex.sub(r"\s+", " ", m.group(1))]
            found.append(
                Num(
                    start,
                    end,
                    0,
                    None,
                    None,
                    type="ordinal",
                    by="numbers.relative_ordinal",
                    relative=relative,
                )
            )
        for num in self.nums:
            if num.type != "ordinal" or num.relative is not None or num.value < 1:
                continue
            back = lex.relative_to_end.match(norm, num.end)
            if back is not None:
                offset = -int(num.value - 1)
                found = [r for r in found if not (num.start <= r.start < back.end())]
                found.append(
                    Num(
                        num.start,
                        back.end(),
                        0,
                        None,
                        None,
                        type="ordinal",
                        by="numbers.relative_ordinal",
                        relative=("end", offset),
                    )
                )
        if not found:
            return
        self.nums = [
            n for n in self.nums if not any(r.start <= n.start and n.end <= r.end for r in found)
        ]
        self.nums.extend(found)

    def definite(self, text: str) -> bool:
        """The number word carries the article («العشرين», «بالألف»); «ألف» itself does not."""
        lex = self.lex
        if not lex.article:
            return False
        for clitic in ("", *lex.proclitics):
            if not text.startswith(clitic):
                continue
            rest = text[len(clitic) :]
            word = lex.words.get(rest)
            if word is not None:
                return word.kind == ORDINAL_TEN  # stored with its article
            if rest.startswith(lex.article) and rest[len(lex.article) :] in lex.words:
                return True
        return False

    def definite_ordinals(self) -> None:
        """«القرن العشرين», «للمرة الألف»: definite numbers after definite singulars are ordinals.

        Units keep their cardinal reading («الأشخاص الأربعة»): their ordinals have forms of their
        own («الرابع»), which the lexicon reads directly.
        """
        norm = self.norm
        for num in self.nums:
            if (
                num.type != "cardinal"
                or num.qualifier != "exact"
                or not num.extra.get("definite")
                or not (num.value >= 11 or num.extra.get("ordinal_part"))
                or not float(num.value).is_integer()
            ):
                continue
            before = norm[max(0, num.start - 40) : num.start]
            m = _PREVIOUS_WORD.search(before)
            if m is None:
                # standing alone: «التسعون» is "the ninetieth", «المائة» still "the hundred"
                tail = before.rstrip(" \t")
                if num.scale_word or (tail and tail[-1] not in '\n.:!?"('):
                    continue
            elif not self.definite_singular(m.group(1)):
                continue
            num.type, num.by = "ordinal", "numbers.ordinal"

    def definite_singular(self, word: str) -> bool:
        lex = self.lex
        if word in lex.candidates or not word.startswith(lex.definite_prefixes):
            return False
        if word.endswith(lex.plural_endings):
            return False
        return not any(
            word.startswith(c) and word[len(c) :] in lex.broken_plurals
            for c in ("", *lex.proclitics)
        )

    # --- ranges and qualifiers ---------------------------------------------------------------
    def combine_ranges(self) -> None:
        nums = self.nums
        out: list[Num] = []
        i = 0
        lex = self.lex
        norm = self.norm
        while i < len(nums):
            a = nums[i]
            b = nums[i + 1] if i + 1 < len(nums) else None
            merged: Num | None = None
            if (
                b is not None
                and (
                    {a.type, b.type} <= {"cardinal", "ordinal"}
                    # «من 10 إلى 20 دولار», «10$-20$»: the unit after the second bound is both's
                    or (
                        b.type in _UNIT_TYPES
                        and a.type in {"cardinal", b.type}
                        and a.unit in {None, b.unit}
                    )
                )
                and a.qualifier == b.qualifier == "exact"
            ):
                gap = norm[a.end : b.start]
                gap_s = gap.strip()
                between = lex.range_between.search(norm, max(0, a.start - 24), a.start)
                start_from = lex.range_from.search(norm, max(0, a.start - 16), a.start)
                if between is not None and gap_s in {"", lex.connector} and "\n" not in gap:
                    if gap_s == "" and not norm[b.start :].startswith(lex.connector):
                        merged = None
                    else:
                        merged = self._range(a, b, between.start())
                elif gap_s in lex.range_to and start_from is not None:
                    merged = self._range(a, b, start_from.start())
                elif (
                    gap_s in lex.range_dash
                    and norm[max(0, a.start - 1) : a.start] not in {"+", "-"}
                    and a.extra.get("digits")
                    and b.extra.get("digits")
                    and not (a.value >= 1000 and b.value < 100)
                ) or (gap_s in lex.range_to and a.extra.get("digits") and b.extra.get("digits")):
                    merged = self._range(a, b, a.start)
            if merged is not None:
                assert b is not None
                if b.type in _UNIT_TYPES:
                    merged.type, merged.unit = b.type, b.unit
                out.append(merged)
                i += 2
            else:
                out.append(a)
                i += 1
        self.nums = out

    def _range(self, a: Num, b: Num, start: int) -> Num | None:
        low = a.value
        if b.scale and not a.scale and low * b.scale <= b.value:
            low = a.value * b.scale  # «بين 5 و8 آلاف»
        if low >= b.value:
            return None
        return Num(
            start,
            b.end,
            b.value,
            low,
            b.value,
            qualifier="range",
            by="numbers.range",
            cue="range",
            extra={"digits": True},
        )

    def apply_qualifiers(self) -> None:
        lex = self.lex
        norm = self.norm
        out: list[Num] = []
        for num in self.nums:
            if num.type in {"year", "phone"} or num.qualifier in {"range", "vague"}:
                out.append(num)
                continue
            m = lex.qual_before.search(norm, max(0, num.start - 40), num.start)
            symbol = (
                lex.qual_symbol.search(norm, max(0, num.start - 4), num.start)
                if m is None
                else None
            )
            if symbol is not None and norm[max(0, symbol.start(1) - 1) : symbol.start(1)] in {
                "<",
                ">",
                "=",
            }:
                symbol = None  # «<>30», «=>30» are not comparisons
            if m is not None:
                key = regex.sub(r"\s+", " ", m.group(2))
                qual = lex.qual_before_keys[key]
                inclusive = bool(m.group(3))
                num.start = m.start(2) if not m.group(1) else m.start(1) + len(m.group(1))
                num.cue = key
                self._qualify(num, qual, inclusive=inclusive)
            elif symbol is not None:
                key = regex.sub(r"\s+", " ", symbol.group(1))
                num.start = symbol.start(1)
                num.cue = key
                self._qualify(num, lex.qual_before_keys[key], inclusive="=" in key)
            if num.cue is not None:
                tail = lex.or_equal_after.match(norm, num.end)
                if tail is not None:
                    num.end = tail.end()  # «أكثر من 5000 أو يساوي»
            m2 = lex.qual_after.match(norm, num.end)
            if m2 is not None and (num.cue is None or num.qualifier in {"exact", "approx"}):
                key = regex.sub(r"\s+", " ", m2.group(1))
                num.end = m2.end(1)
                num.cue = key
                self._qualify(num, lex.qual_after_keys[key], inclusive=True)
            elif num.cue is None:
                m3 = lex.qual_after_noun.match(norm, num.end)
                if m3 is not None and not any(c.isdecimal() for c in m3.group()):
                    key = regex.sub(r"\s+", " ", m3.group(1))
                    num.cue = key
                    num.extra["qualifier_span"] = [m3.start(1), m3.end(1)]
                    self._qualify(num, lex.qual_after_keys[key], inclusive=True)
            out.append(num)
        # «أكبر من 10 وأصغر من 20» → one range.
        merged: list[Num] = []
        for num in out:
            prev = merged[-1] if merged else None
            if (
                prev is not None
                and {prev.qualifier, num.qualifier} == {"at_least", "at_most"}
                and " ".join(norm[prev.end : num.start].replace(",", " ").split())
                in lex.bound_joiners
            ):
                low = prev.low if prev.qualifier == "at_least" else num.low
                high = num.high if num.qualifier == "at_most" else prev.high
                if low is not None and high is not None and low < high:
                    merged[-1] = Num(
                        prev.start,
                        num.end,
                        high,
                        low,
                        high,
                        qualifier="range",
                        by="numbers.range",
                        cue="bounds",
                        extra={"digits": True},
                    )
                    continue
            merged.append(num)
        self.nums = merged

    @staticmethod
    def _qualify(num: Num, qual: str, *, inclusive: bool) -> None:
        del inclusive  # bounds are kept as stated; openness is not a coding distinction here
        num.qualifier = qual
        if qual == "at_least":
            num.low, num.high = num.value, None
        elif qual == "at_most":
            num.low, num.high = None, num.value
        else:
            num.low = num.high = num.value
        num.by = "numbers.qualifier"

    # --- typing ------------------------------------------------------------------------------
    def type_suffix(self, num: Num, j: int) -> int:
        """Percent, money and units right after the number; consumes their tokens."""
        m = self.lex.suffix.match(self.norm, num.end) if num.type != "ordinal" else None
        if m is None:
            if self.lex.currency_before is not None and num.type == "cardinal":
                b = self.lex.currency_before.search(self.norm, max(0, num.start - 3), num.start)
                if b is not None:
                    num.type, num.unit = "money", self.lex.currency_before_unit[b.group(1)]
                    num.start = b.start(1)
            return j
        key = regex.sub(r"\s+", " ", m.group(1))
        kind, unit = self.lex.suffix_kind[key]
        if kind == "money" and m.group(2):
            unit = self.lex.country_unit.get(m.group(2), unit)  # «ليرة لبنانية»: the country's
        if kind == "quantity" and unit in {"year"} and num.type == "cardinal":
            num.unit = unit
            num.extra["duration"] = True
            return j
        num.type, num.unit = kind, unit
        num.end = m.end()
        toks = self.toks
        while j < len(toks) and toks[j].start < num.end:
            j += 1
        return j

    def type_context(self) -> None:
        lex = self.lex
        norm = self.norm
        for num in self.nums:
            if num.type == "cardinal" and num.qualifier == "exact":
                rate = lex.percent_before.search(norm, max(0, num.start - 12), num.start)
                if rate is not None:
                    num.type, num.unit, num.start = "percent", "%", rate.start(1)
                    continue
            if num.type != "cardinal" or num.qualifier not in {"exact", "approx"}:
                continue
            window = max(0, num.start - 40)
            if (
                num.extra.get("digits")
                and 1000 <= num.value <= 2100
                and float(num.value).is_integer()
                and (
                    lex.year_before.search(norm, window, num.start)
                    or lex.year_after.match(norm, num.end)
                )
            ):
                num.type = "year"
                continue
            if num.extra.get("duration") or lex.age_before.search(norm, window, num.start):
                if lex.age_before.search(norm, window, num.start):
                    num.type, num.unit = "age", "year"
                    num.extra.pop("duration", None)
                continue
            if lex.phone_before.search(norm, window, num.start) and num.extra.get("digits"):
                num.type = "phone"
                continue
            if num.extra.get("digits") and num.value >= 1e6 and self.norm[num.start] == "0":
                num.type = "phone"
        for num in self.nums:
            if num.type == "ordinal" and lex.age_nouns.search(
                norm, max(0, num.start - 30), num.start
            ):
                num.type, num.unit = "age", "year"
            if num.extra.pop("duration", None):
                num.type = "quantity"


def find_numbers(
    norm: str, lex: NumberLexicon, blocked: Sequence[tuple[int, int]] = ()
) -> list[Num]:
    """All numbers in a normalized text (offsets are normalized offsets)."""
    return _Parser(lex, norm, blocked).run()


def to_value(num: Num) -> JSONObject:
    value: JSONObject = {
        "value": num.value,
        "low": num.low,
        "high": num.high,
        "qualifier": num.qualifier,
        "type": num.type,
    }
    if num.unit is not None:
        value["unit"] = num.unit
    if num.cue is not None:
        value["cue"] = num.cue
    if num.gloss is not None:
        value["vague"] = num.gloss
    if "phone_digits" in num.extra:
        value["digits"] = str(num.extra["phone_digits"])  # as dialled: «0620702220» keeps its zero
    if num.relative is not None:
        value["value"] = value["low"] = value["high"] = None
        value["relative_to"], value["offset"] = num.relative
    return value


@stage("numbers", requires=("sentences",), provides=("numbers",))
def make_numbers(resources: Resources) -> StageFn:
    def run(doc: Document) -> Document:
        if doc.normalized is None:
            raise RasdError(f"document {doc.id}: numbers needs the normalize stage first")
        lex = load_lexicon(resources, doc.lang)
        view = doc.normalized
        blocked = _date_spans(doc)
        for num in find_numbers(view.text, lex, blocked):
            start, end = original_span(doc.text, view, num.start, num.end)
            doc.mentions.append(Mention("number", start, end, to_value(num), num.by))
        return doc

    return run


def original_span(text: str, view: NormalizedView, start: int, end: int) -> tuple[int, int]:
    """The original span, keeping the diacritics that follow its last letter («ثلاثةُ»)."""
    start, end = view.to_original(start, end)
    while end < len(text) and unicodedata.category(text[end]) == "Mn":
        end += 1
    return start, end


def _date_spans(doc: Document) -> list[tuple[int, int]]:
    """Normalized spans of date mentions: day and month numbers inside them are not counts."""
    if doc.normalized is None:
        return []
    offsets = doc.normalized.offsets
    return [
        (to_normalized(offsets, m.start), to_normalized(offsets, m.end))
        for m in doc.mentions_of("date")
    ]


def to_normalized(offsets: OffsetMap, original: int) -> int:
    """The normalized index of an original index (the inverse of ``OffsetMap.original``)."""
    return offsets.normalized(original)
