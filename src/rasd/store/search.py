"""The search form of a text: normalized (``rasd.normalize``), split into words, articles dropped.

Documents store this form in ``documents.search_text``; a query goes through the same function,
so «مزار الشريف», «مزار شريف» and «مَزار شريف» all search for the words ``مزار شريف``.
The article forms are data (``data/<lang>/search.yaml``). Arabic forms are stripped from every
document whatever its language tag, because English reports quote Arabic names too.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from pydantic import BaseModel

from rasd.normalize import load_charmap, normalize_text
from rasd.resources import Resources

_WORD = regex.compile(r"[\p{L}\p{N}]+")


class SearchData(BaseModel):
    articles: list[str]
    min_stem: int


@dataclass(frozen=True, slots=True)
class SearchForms:
    resources: Resources
    articles: tuple[str, ...]
    min_stem: int

    def words(self, text: str) -> list[str]:
        """The words of ``text`` as the index stores them."""
        folded = normalize_text(text, load_charmap(self.resources)).text
        return [self._strip(word) for word in _WORD.findall(folded)]

    def __call__(self, text: str) -> str:
        return " ".join(self.words(text))

    def _strip(self, word: str) -> str:
        for article in self.articles:
            if word.startswith(article) and len(word) - len(article) >= self.min_stem:
                return word[len(article) :]
        return word


def load_search_forms(resources: Resources) -> SearchForms:
    def build() -> SearchForms:
        charmap = load_charmap(resources)
        data = resources.model(SearchData, "ar", "search.yaml")
        articles = {normalize_text(a, charmap).text for a in data.articles}
        return SearchForms(
            resources=resources,
            articles=tuple(sorted(articles, key=len, reverse=True)),
            min_stem=data.min_stem,
        )

    return resources.derived("search_forms", build)
