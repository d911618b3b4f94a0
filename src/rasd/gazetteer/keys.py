"""Lookup keys for place names: one folding shared by the index build and the matcher.

A key is a name in Rasd's normalized form (``rasd.normalize``: alef, ya, ta marbuta and Persian
letters folded, no diacritics) with hyphens and punctuation turned into single spaces, so that the
matcher can compare keys with the text after the same one-to-one character translation.
"""

from __future__ import annotations

import regex

from rasd.normalize import Charmap, normalize_text

# Characters that separate words inside a name: hyphens and apostrophes of transliterations
# ("Mazar-i-Sharif", "Ta'izz"), brackets and slashes of GeoNames alternate names.
_SEPARATORS = regex.compile(r"[\s\-\u2010\u2011_/().,'`\u2018\u2019\u02bb\u02bc\"]+")
# One-to-one so that offsets in the match text equal offsets in the normalized text.
MATCH_TABLE = str.maketrans({"-": " ", "_": " ", "/": " ", "\n": " ", "\t": " "})
ARTICLE = "\u0627\u0644"  # ال


# Persian letters the normalization keeps, and how Arabic news writes them (ننگرهار → ننجرهار,
# کراچی → كراتشي, پنجشیر → بنجشير). Each Persian-spelled name gets these variant keys.
PERSIAN_LETTERS = {
    "\u06af": ("\u062c", "\u0643", "\u063a"),  # gaf -> jim, kaf, ghain
    "\u0686": ("\u062a\u0634", "\u062c", "\u0634"),  # che -> ta-shin, jim, shin
    "\u067e": ("\u0628",),  # pe -> ba
    "\u0698": ("\u062c", "\u0632"),  # zhe -> jim, zay
}
_ZWNJ = "\u200c"  # a word separator inside Persian names (خان‌آباد), not a joiner to delete


def fold(name: str, charmap: Charmap) -> str:
    """The normalized, separator-collapsed form of a name (no other variants)."""
    text = normalize_text(name.replace(_ZWNJ, " "), charmap).text
    return _SEPARATORS.sub(" ", text).strip()


def persian_variants(form: str) -> set[str]:
    """Arabic spellings of a Persian-spelled form: each Persian letter by one Arabic rendering."""
    if not any(letter in form for letter in PERSIAN_LETTERS):
        return set()
    size = max(len(r) for r in PERSIAN_LETTERS.values())
    variants = set()
    for choice in range(size):
        variant = form
        for letter, renderings in PERSIAN_LETTERS.items():
            variant = variant.replace(letter, renderings[min(choice, len(renderings) - 1)])
        variants.add(variant)
    return variants


def strip_units(words: list[str], units: frozenset[str]) -> list[str]:
    """Drop admin unit words at either end (``محافظه حمص``, ``بلخ ولايت``) if a name remains."""
    changed = True
    while changed and len(words) > 1:
        changed = False
        for size in (2, 1):
            if len(words) > size and " ".join(words[:size]) in units:
                words = words[size:]
                changed = True
                break
            if len(words) > size and " ".join(words[-size:]) in units:
                words = words[:-size]
                changed = True
                break
    return words


def name_keys(
    name: str,
    charmap: Charmap,
    units: frozenset[str],
    *,
    article_inside: bool = False,
    persian: bool = False,
) -> set[str]:
    """Every key a name is indexed under.

    The variant rules come from the data-sources note: with and without the article (``الخرطوم``
    and ``خرطوم``; the matcher also accepts ``ال`` and other proclitics before a key), admin unit
    words stripped, and spaces removed (``هندو كوش`` / ``هندوكوش``). ``article_inside`` adds the
    article to later words too (``مزار شريف`` / ``مزار الشريف``), only for places worth the keys.
    """
    base = fold(name, charmap)
    if not base:
        return set()
    words = strip_units(base.split(" "), units)
    forms = {" ".join(words)}
    if words[0].startswith(ARTICLE) and len(words[0]) > 4:
        forms.add(" ".join([words[0][2:], *words[1:]]))
    if article_inside and len(words) == 2:
        second = words[1]
        toggled = second[2:] if second.startswith(ARTICLE) and len(second) > 4 else ARTICLE + second
        for form in list(forms):
            first = form.split(" ")[0]
            forms.add(f"{first} {toggled}")
    if persian:
        for form in list(forms):
            forms.update(persian_variants(form))
    for form in list(forms):
        if " " in form:
            forms.add(form.replace(" ", ""))
    return {f for f in forms if len(f.replace(" ", "")) >= 3}
