from __future__ import annotations

import pytest

from rasd.document import Document
from rasd.pipeline import Pipeline, extract


def sentences(pipeline: Pipeline, text: str) -> list[str]:
    doc = extract(text, pipeline=pipeline)
    return [doc.text[s.start : s.end] for s in doc.sentences]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل جندي. وأصيب آخر.", ["قتل جندي.", "وأصيب آخر."]),
        ("هل انتهت الحرب؟ لا أحد يعرف!", ["هل انتهت الحرب؟", "لا أحد يعرف!"]),
        ("وقع الهجوم؛ ثم انسحبوا", ["وقع الهجوم؛", "ثم انسحبوا"]),
        ("سقوط مزار شريف\nيوم 8 آب دخلوا المدينة", ["سقوط مزار شريف", "يوم 8 آب دخلوا المدينة"]),
        ("ارتفع العدد 1.5 مرة. ثم توقف", ["ارتفع العدد 1.5 مرة.", "ثم توقف"]),
        ("في 8.8.1998 دخلوا. ثم خرجوا", ["في 8.8.1998 دخلوا.", "ثم خرجوا"]),
        ("يوم 8/8/1998 سقطت المدينة", ["يوم 8/8/1998 سقطت المدينة"]),
        ("قال د. أحمد إن القصف استمر.", ["قال د. أحمد إن القصف استمر."]),
        (
            "Mr. Smith said 11 people died. Police arrived.",
            ["Mr. Smith said 11 people died.", "Police arrived."],
        ),
        ("قال: «قتل عشرة.» ثم صمت", ["قال: «قتل عشرة.»", "ثم صمت"]),
        ("  \n\n  ", []),
    ],
    ids=[
        "period",
        "arabic-question-and-exclamation",
        "arabic-semicolon",
        "line-break-headline",
        "decimal",
        "dotted-date",
        "slashed-date",
        "arabic-initial-abbreviation",
        "english-abbreviation",
        "closing-guillemet-stays",
        "only-whitespace",
    ],
)
def test_sentence_splitting(pipeline: Pipeline, text: str, expected: list[str]) -> None:
    assert sentences(pipeline, text) == expected


def test_clauses_split_at_arabic_comma_but_not_inside_numbers(pipeline: Pipeline) -> None:
    doc = pipeline(Document(text="قتل ١٬٥٠٠ شخص، وأصيب 200، حسب مصادر"))
    assert [doc.text[c.start : c.end] for c in doc.clauses] == [
        "قتل ١٬٥٠٠ شخص",
        "وأصيب 200",
        "حسب مصادر",
    ]


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("وبالعاصمة", "عاصمة"),
        ("فللمدنيين", "مدنيين"),
        ("والتراجع", "تراجع"),
        ("بمزار", "مزار"),
        ("بلخ", "بلخ"),
        ("طالبان", "طالبان"),
        ("1998", "1998"),
    ],
    ids=["wa-bi-al", "fa-lil", "wa-al", "bi", "too-short-to-split", "no-clitic", "number"],
)
def test_token_stem_skips_proclitics(pipeline: Pipeline, word: str, stem: str) -> None:
    doc = pipeline(Document(text=word))
    (token,) = doc.tokens
    assert doc.text[token.start : token.end] == word
    assert doc.text[token.stem_start : token.end] == stem


def test_clitic_before_digits_is_its_own_token(pipeline: Pipeline) -> None:
    doc = pipeline(Document(text="و11 قتيلا"))
    assert [doc.text[t.start : t.end] for t in doc.tokens] == ["و", "11", "قتيلا"]


def test_token_offsets_point_into_the_original_text_with_diacritics(pipeline: Pipeline) -> None:
    doc = pipeline(Document(text="مَزار شَرِيف"))
    assert [doc.text[t.start : t.end] for t in doc.tokens] == ["مَزار", "شَرِيف"]


def test_example_report_headlines_are_their_own_sentences(
    pipeline: Pipeline, mazar_text: str
) -> None:
    doc = pipeline(Document(text=mazar_text))
    texts = [doc.text[s.start : s.end] for s in doc.sentences]
    assert "سقوط مزار شريف" in texts
    assert "8 آلاف قتيل بأسبوع" in texts


@pytest.mark.parametrize(
    ("text", "words", "stems"),
    [
        # A mark after a word's last letter stays outside the token (it ends at that letter).
        ("وَبِالعاصِمَةِ قُتِلَ", ["وَبِالعاصِمَة", "قُتِل"], ["عاصِمَة", "قُتِل"]),
        ("سقط عشرات القتـــلى", ["سقط", "عشرات", "القتـــلى"], ["سقط", "عشرات", "قتـــلى"]),
        (
            "في \ufefbهور 12 قتيلا",
            ["في", "\ufefbهور", "12", "قتيلا"],
            ["في", "\ufefbهور", "12", "قتيلا"],
        ),
        ("\u200fقتل \u200fثلاثة\u200f", ["قتل", "ثلاثة"], ["قتل", "ثلاثة"]),
        ("قُتِلَ ثَلاثَةٌ وَجُرِحَ", ["قُتِل", "ثَلاثَة", "وَجُرِح"], ["قُتِل", "ثَلاثَة", "جُرِح"]),
    ],
    ids=["diacritics-in-clitics", "tatweel", "ligature", "bidi-marks", "marks-on-every-word"],
)
def test_tokens_and_stems_map_back_through_deleted_and_expanded_characters(
    pipeline: Pipeline, text: str, words: list[str], stems: list[str]
) -> None:
    doc = pipeline(Document(text=text))
    assert [doc.text[t.start : t.end] for t in doc.tokens] == words
    assert [doc.text[t.stem_start : t.end] for t in doc.tokens] == stems
