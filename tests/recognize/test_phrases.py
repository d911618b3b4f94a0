"""Phrase lists matched on the normalized text: proclitics, ``*`` forms, longest form first."""

import pytest

from rasd.normalize import load_charmap, normalize_text
from rasd.recognize.phrases import PhraseMatcher
from rasd.resources import Resources

CHARMAP = load_charmap(Resources())

MATCHER = PhraseMatcher(
    [
        ("غارة", "strike"),
        ("غارات*", "strikes"),
        ("سيارة مفخخة", "car bomb"),
        ("مفخخ*", "bomb"),
        ("قصف", "shelling"),
        ("قصف مدفعي", "artillery"),
        ("الأمن العام", "police"),
        ("al-qaeda", "aq"),
    ],
    CHARMAP,
)


def found(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, str, str]]:
    """(proclitics, matched text, payload) of each match, in order."""
    norm = normalize_text(text, CHARMAP).text
    return [
        (norm[m.start : m.form_start], norm[m.form_start : m.end], m.payload)
        for m in MATCHER.finditer(norm, start, end)
    ]


@pytest.mark.parametrize(
    "clitics",
    ["", "و", "ف", "ب", "ل", "ك", "لل", "ال", "وال", "فب", "وبال", "فلل", "ولل", "كال", "فكال"],
    ids=lambda c: c or "none",
)
def test_form_matches_after_any_chain_of_proclitics(clitics: str) -> None:
    assert found(f"نفذت الطائرات {clitics}غارة قرب المدينة.") == [(clitics, "غاره", "strike")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("شنت الطائرات غارات على القرية", [("", "غارات", "strikes")]),
        ("شنت الطائرات غاراتها على القرية", [("", "غاراتها", "strikes")]),
        ("وبغاراتهم الأخيرة", [("وب", "غاراتهم", "strikes")]),
        ("بدأ القصف، ثم توقف", [("ال", "قصف", "shelling")]),
        ("قصفت الطائرات المدينة", []),
        ("جلسوا في مقصف الجامعة", []),
        ("the al-qaeda cell", [("", "al-qaeda", "aq")]),
        ("the al-qaedas", []),
    ],
    ids=[
        "prefix-form",
        "prefix-form-takes-any-ending",
        "prefix-form-after-proclitics",
        "exact-form-before-comma",
        "exact-form-must-end-the-word",
        "no-match-inside-a-word",
        "latin-form-with-hyphen",
        "latin-exact-form-must-end-the-word",
    ],
)
def test_exact_and_prefix_forms(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("انفجرت سيارة مفخخة أمس", [("", "سياره مفخخه", "car bomb")]),
        ("انفجرت عبوة مفخخة أمس", [("", "مفخخه", "bomb")]),
        ("انفجار سيارة مفخخة", [("", "سياره مفخخه", "car bomb")]),
        ("تعرضت المدينة لقصف مدفعي عنيف", [("ل", "قصف مدفعي", "artillery")]),
        ("تعرضت المدينة لقصف مدفعيين", [("ل", "قصف", "shelling")]),
        ("اجتماع مع قادة الأمن العام", [("", "الامن العام", "police")]),
        ("اجتماع مع قادة والأمن العام", [("و", "الامن العام", "police")]),
    ],
    ids=[
        "two-word-form-beats-its-second-word",
        "second-word-alone",
        "two-word-form-in-another-sentence",
        "longer-form-after-proclitic",
        "longer-form-must-end-a-word-too",
        "form-starting-with-the-article",
        "article-form-after-conjunction",
    ],
)
def test_longest_form_wins(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "space",
    [" ", "   ", "\t", "\n", " \n "],
    ids=["one-space", "three-spaces", "tab", "line-break", "spaces-around-line-break"],
)
def test_words_of_a_form_may_be_separated_by_any_whitespace(space: str) -> None:
    assert found(f"انفجرت سيارة{space}مفخخة") == [("", f"سياره{space}مفخخه", "car bomb")]


def test_matches_run_left_to_right_without_overlap() -> None:
    assert found("قصف، ثم غارة، ثم قصف مدفعي وغارات") == [
        ("", "قصف", "shelling"),
        ("", "غاره", "strike"),
        ("", "قصف مدفعي", "artillery"),
        ("و", "غارات", "strikes"),
    ]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, None, [("", "قصف", "shelling"), ("", "غاره", "strike")]),
        (4, None, [("", "غاره", "strike")]),
        (1, None, [("", "غاره", "strike")]),
        (0, 2, []),
        (0, 3, [("", "قصف", "shelling")]),
        (4, 7, []),
    ],
    ids=[
        "whole-text",
        "window-from-second-word",
        "window-starting-inside-a-word-does-not-start-a-match-there",
        "window-cutting-a-form",
        "window-ending-at-the-form",
        "window-cutting-an-exact-form",
    ],
)
def test_window_bounds_the_matches(
    start: int, end: int | None, expected: list[tuple[str, str, str]]
) -> None:
    assert found("قصف غارة", start, end) == expected


def test_form_starting_with_a_quote_matches_outside_words() -> None:
    quoted = PhraseMatcher([('"الدولة"', "IS")], CHARMAP)
    norm = normalize_text('مقاتلو «الدولة» في المدينة و"الدولة" أيضا', CHARMAP).text
    assert [(norm[m.start : m.end], m.payload) for m in quoted.finditer(norm)] == [
        ('"الدوله"', "IS"),
        ('و"الدوله"', "IS"),
    ]
