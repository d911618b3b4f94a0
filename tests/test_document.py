from __future__ import annotations

import json
import re
from datetime import date

import pytest

from rasd.document import Document, Flag, Mention, Source
from rasd.errors import RasdError
from rasd.pipeline import Pipeline, extract
from rasd.registry import stage


def test_json_round_trip_keeps_everything(pipeline: Pipeline, mazar_text: str) -> None:
    doc = extract(mazar_text, source=Source(published=date(1998, 12, 1)), pipeline=pipeline)
    doc.mentions.append(Mention("date", 0, 5, {"precision": "month"}, "test.rule"))
    doc.flags.append(Flag("weekday_mismatch", "a test flag", ((0, 5),), "test.rule"))
    data = json.loads(json.dumps(doc.to_dict(include_normalized=True), ensure_ascii=False))
    again = Document.from_dict(data)
    assert again == doc


def test_id_is_the_content_hash() -> None:
    assert Document(text="نص").id == Document(text="نص").id
    assert Document(text="نص").id != Document(text="نص آخر").id


def test_mentions_point_into_the_original_text() -> None:
    doc = Document(text="دخلوا مَزار شريف")
    doc.mentions.append(Mention("place", 6, 16, None, "test.rule"))
    assert doc.to_dict()["mentions"][0]["text"] == "مَزار شريف"


def test_extract_is_the_python_entry_point(mazar_text: str) -> None:
    doc = extract(mazar_text)
    assert doc.stages[:2] == ["normalize", "segment"]
    assert doc.normalized is not None
    assert doc.sentences
    assert doc.tokens


def test_unknown_stage_is_a_clear_error() -> None:
    with pytest.raises(RasdError, match="unknown pipeline stage 'no-such-stage'"):
        Pipeline(["normalize", "no-such-stage"])


def test_stage_requirements_are_checked_in_order() -> None:
    with pytest.raises(RasdError, match="'segment' requires normalized"):
        Pipeline(["segment", "normalize"])


def test_a_registered_stage_runs_in_a_pipeline() -> None:
    @stage("test_shout", requires=("tokens",))
    def make_shout(resources: object) -> object:  # noqa: ARG001 - a factory gets the resources
        def run(doc: Document) -> Document:
            doc.mentions.append(Mention("shout", 0, 1, None, "test_shout.first_char"))
            return doc

        return run

    doc = extract("قتل", pipeline=Pipeline(["normalize", "segment", "test_shout"]))
    assert [m.kind for m in doc.mentions] == ["shout"]


@pytest.mark.parametrize(
    "text",
    ["قتل ثلاثة في مزار شريف", "قُتِلَ ثلاثةٌ في مَزارِ شريف", "قتـــل ثلاثة في مزار شريف"],
    ids=["plain", "diacritics", "tatweel"],
)
def test_original_word_starts_map_to_normalized_word_starts(text: str) -> None:
    doc = extract(text, pipeline=Pipeline(["normalize", "segment"]))
    assert doc.normalized is not None
    offsets = doc.normalized.offsets
    norm_starts = [m.start() for m in re.finditer(r"\S+", doc.normalized.text)]
    assert [offsets.normalized(t.start) for t in doc.tokens] == norm_starts
    assert [offsets.original(n) for n in norm_starts] == [t.start for t in doc.tokens]


def test_offset_map_survives_json() -> None:
    doc = extract("قُتِلَ ثلاثةٌ", pipeline=Pipeline(["normalize"]))
    again = Document.from_dict(json.loads(json.dumps(doc.to_dict(include_normalized=True))))
    assert doc.normalized is not None
    assert again.normalized is not None
    assert again.normalized.offsets == doc.normalized.offsets
    assert again.normalized.offsets.normalized(4) == 2  # ل after two diacritics
