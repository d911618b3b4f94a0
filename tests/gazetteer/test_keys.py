from __future__ import annotations

import pytest

from rasd.gazetteer.keys import name_keys
from rasd.normalize import load_charmap
from rasd.resources import Resources

UNITS = frozenset({"محافظه", "ولايه", "ولايت"})


@pytest.fixture(scope="module")
def keys() -> object:
    charmap = load_charmap(Resources())

    def make(name: str, *, article_inside: bool = False) -> set[str]:
        return name_keys(name, charmap, UNITS, article_inside=article_inside)

    return make


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("الخرطوم", {"الخرطوم", "خرطوم"}),
        ("محافظة حمص", {"حمص"}),
        ("ولایت بلخ", {"بلخ"}),
        ("هندو كوش", {"هندو كوش", "هندوكوش"}),
        ("دَرْنَة", {"درنه"}),
        ("Mazar-i-Sharif", {"mazar i sharif", "mazarisharif"}),
    ],
    ids=["article", "unit-word", "persian-unit-word", "spaces", "diacritics-ta-marbuta", "latin"],
)
def test_name_keys_cover_the_spelling_variants(keys, name: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert keys(name) == expected


def test_article_inside_adds_the_other_form_of_the_second_word(keys) -> None:  # type: ignore[no-untyped-def]
    assert "مزار الشريف" in keys("مزار شريف", article_inside=True)
    assert "مزار الشريف" not in keys("مزار شريف")


def test_too_short_names_give_no_key(keys) -> None:  # type: ignore[no-untyped-def]
    assert keys("با") == set()


def test_persian_letters_get_their_arabic_news_spellings() -> None:
    charmap = load_charmap(Resources())
    found = name_keys("ننگرهار", charmap, UNITS, persian=True)
    assert {"ننجرهار", "ننكرهار"} <= found
    assert name_keys("ننگرهار", charmap, UNITS) == {"ننگرهار"}


def test_zero_width_non_joiner_separates_words_in_persian_names(keys) -> None:  # type: ignore[no-untyped-def]
    assert keys("خان\u200cآباد") == {"خان اباد", "خاناباد"}
