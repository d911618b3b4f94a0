from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasd.normalize import load_charmap, normalize_text
from rasd.resources import Resources

CHARMAP = load_charmap(Resources())


def fold(text: str) -> str:
    return normalize_text(text, CHARMAP).text


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("مَزار شَرِيف", "مزار شريف"),
        ("الســلام", "السلام"),
        ("أفغانستان", "افغانستان"),
        ("إدلب", "ادلب"),
        ("آب", "اب"),
        ("ٱلله", "الله"),
        ("على", "علي"),
        ("مدينة", "مدينه"),
        ("ولایت کابل", "ولايت كابل"),
        ("١٩٩٨", "1998"),
        ("۱۳۷۷", "1377"),
        ("١٬٥٠٠", "1,500"),
        ("١٫٥", "1.5"),
        ("نعم، لا؛ لماذا؟", "نعم, لا; لماذا?"),
        ("مزار\u200fشريف", "مزارشريف"),
        ("\u202eكابل\u202c", "كابل"),
        ("ﻻ", "لا"),
        ("Mazar-i-Sharif", "mazar-i-sharif"),
        ("«هيومن رايتس ووتش»", '"هيومن رايتس ووتش"'),
    ],
    ids=[
        "diacritics",
        "tatweel",
        "alef-hamza-above",
        "alef-hamza-below",
        "alef-madda",
        "alef-wasla",
        "alef-maksura",
        "ta-marbuta",
        "persian-yeh-keheh",
        "eastern-arabic-digits",
        "persian-digits",
        "arabic-thousands-separator",
        "arabic-decimal-separator",
        "arabic-punctuation",
        "bidi-mark",
        "bidi-override",
        "lam-alef-ligature",
        "latin-case",
        "guillemets",
    ],
)
def test_normalization_table(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_normalized_span_maps_back_to_the_original_word() -> None:
    raw = "دخلت قوات طالبان مَدينة مَزار شَرِيف"
    view = normalize_text(raw, CHARMAP)
    start = view.text.index("مزار شريف")
    original = view.to_original(start, start + len("مزار شريف"))
    assert raw[original[0] : original[1]] == "مَزار شَرِيف"


def test_expanded_ligature_maps_both_letters_to_the_one_original_character() -> None:
    raw = "ﻻ شيء"
    view = normalize_text(raw, CHARMAP)
    assert view.text.startswith("لا")
    assert view.to_original(0, 1) == (0, 1)
    assert view.to_original(1, 2) == (0, 1)
    assert view.to_original(0, 2) == (0, 1)


ARABIC_HEAVY = st.one_of(
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.sampled_from(["\u200f", "\u202e", "\u2066", "\u0640", "\u064e"]),
)


@given(st.text(alphabet=ARABIC_HEAVY, max_size=200), st.data())
def test_every_normalized_span_maps_to_a_valid_original_span(
    text: str, data: st.DataObject
) -> None:
    view = normalize_text(text, CHARMAP)
    n = len(view.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    o_start, o_end = view.to_original(start, end)
    assert 0 <= o_start <= o_end <= len(text)
    if end > start:
        assert o_end > o_start
        # The folded span lies within the fold of its original span (equal unless it cuts through
        # a ligature's expansion): offsets are exact, not approximate.
        assert view.text[start:end] in fold(text[o_start:o_end])
