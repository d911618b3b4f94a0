"""Every span of the normalized view maps back to the exact original characters it came from.

The reference below folds one original character at a time, so it knows each normalized
character's origin; ``normalize_text`` must agree with it at every index, for any text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from odd_text import odd_text
from tally import tried

from rasd.normalize import Charmap, load_charmap, normalize_text
from rasd.resources import Resources


@pytest.fixture(scope="module")
def charmap() -> Charmap:
    return load_charmap(Resources())


def reference(text: str, charmap: Charmap) -> tuple[str, list[int]]:
    """The normalized text and, for each of its characters, the original index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = charmap.expansions.get(char, char).translate(charmap.table)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


@settings(max_examples=400, deadline=None)
@given(text=odd_text)
def test_each_normalized_character_maps_to_the_character_it_came_from(
    text: str, charmap: Charmap
) -> None:
    tried("hypothesis: normalize offset map")
    view = normalize_text(text, charmap)
    expected_text, origin = reference(text, charmap)

    assert view.text == expected_text
    assert [view.offsets.original(i) for i in range(len(view.text))] == origin


@settings(max_examples=300, deadline=None)
@given(text=odd_text)
def test_every_normalized_span_maps_back_to_a_valid_original_span(
    text: str, charmap: Charmap
) -> None:
    tried("hypothesis: normalize spans (all pairs)")
    view = normalize_text(text, charmap)
    size = len(view.text)
    for start in range(size + 1):
        for end in range(start, size + 1):
            first, last = view.to_original(start, end)
            assert 0 <= first <= last <= len(text)
            if end > start:
                assert first < last
                assert view.text[start:end] in normalize_text(text[first:last], charmap).text


@settings(max_examples=300, deadline=None)
@given(text=odd_text)
def test_text_outside_the_whole_span_normalizes_to_nothing(text: str, charmap: Charmap) -> None:
    view = normalize_text(text, charmap)
    first, last = view.to_original(0, len(view.text))

    assert normalize_text(text[:first], charmap).text == ""
    assert normalize_text(text[last:], charmap).text == ""
