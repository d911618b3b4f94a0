"""Language of a report, by script: Arabic-script letters versus Latin letters.

Persian and Urdu share the script but are out of scope; a report mostly in Arabic script is
processed with the Arabic data, which folds Persian letters for matching.
"""

from __future__ import annotations

import regex

_ARABIC = regex.compile(r"\p{Script=Arabic}")
_LATIN = regex.compile(r"\p{Script=Latin}")


def detect_language(text: str, sample: int = 4000) -> str:
    head = text[:sample]
    arabic = len(_ARABIC.findall(head))
    latin = len(_LATIN.findall(head))
    return "en" if latin > arabic else "ar"
