"""Actors from the lexicon, from head-word patterns, and their role in the event."""

import pytest

from rasd.document import Document
from rasd.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["normalize", "segment", "actors"])


def actors(pipeline: Pipeline, text: str) -> list[tuple[str, str, str]]:
    doc = pipeline(Document(text))
    return [
        (doc.text[m.start : m.end], m.value["name"], m.value["role"])  # type: ignore[index,call-overload]
        for m in doc.mentions_of("actor")
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("قصفت ميليشيات الحوثي الأحياء السكنية.", "Houthis (Ansar Allah)"),
        ("أعلنت الفئة الضالة مسؤوليتها.", "Islamic State (IS)"),
        ("أعلن تنظيم داعش مسؤوليته.", "Islamic State (IS)"),
        ("هاجم مقاتلو بوكو حرام القرية.", "Boko Haram"),
        ("تقدمت قوات النظام السوري نحو البلدة.", "Military Forces of Syria"),
    ],
    ids=["houthi-militia", "saudi-term-for-isis", "daesh", "fighters-of", "syrian-regime"],
)
def test_lexicon_aliases(pipeline: Pipeline, text: str, name: str) -> None:
    assert name in [n for _, n, _ in actors(pipeline, text)]


def test_forces_of_a_nationality(pipeline: Pipeline) -> None:
    found = actors(pipeline, "انتشرت قوات الجيش العراقي في المدينة.")
    assert ("الجيش العراقي", "Military Forces", "perpetrator") in found


def test_anaphor_takes_the_last_movement_named(pipeline: Pipeline) -> None:
    text = "سيطرت حركة طالبان على البلدة. ثم هاجم مسلحو الحركة مركزا للشرطة."
    found = actors(pipeline, text)
    assert found[-2][:2] == ("مسلحو الحركة", "Taliban")


def test_community_fighters_are_a_militia(pipeline: Pipeline) -> None:
    found = actors(pipeline, "قاتل نحو 500 مقاتل من قومية الهزارة.")
    assert found == [("مقاتل من قومية الهزارة", "Hazara militia", "perpetrator")]


@pytest.mark.parametrize(
    ("text", "phrase", "role"),
    [
        ("قتل عشرة مدنيين على يد عناصر داعش.", "عناصر داعش", "perpetrator"),
        ("شن الجيش حملة ضد عناصر داعش.", "عناصر داعش", "target"),
        ("قتل مسلحون مجهولون ثلاثة أطفال.", "أطفال", "target"),
    ],
    ids=["by-hand-of", "against", "civilians-are-targets"],
)
def test_role_from_the_words_before(pipeline: Pipeline, text: str, phrase: str, role: str) -> None:
    assert role in [r for span, _, r in actors(pipeline, text) if span == phrase]


def test_the_movement_as_subject_is_the_last_movement_named(pipeline: Pipeline) -> None:
    found = actors(pipeline, "هاجم مقاتلو حركة طالبان المدينة. وسيطرت الحركة على مبنى البلدية.")
    assert ("الحركة", "Taliban", "perpetrator") in found


def test_a_bare_anaphor_with_no_group_named_before_is_no_actor(pipeline: Pipeline) -> None:
    assert actors(pipeline, "توقفت الحركة في شوارع المدينة بسبب الأمطار.") == []


def test_the_role_is_marked_as_said_or_as_following_from_the_kind(pipeline: Pipeline) -> None:
    doc = pipeline(Document("داهم الجيش القرية بعد هجوم شنه مسلحون على الحاجز."))
    cues = {doc.text[m.start : m.end]: m.value["role_cue"] for m in doc.mentions_of("actor")}  # type: ignore[index,call-overload]
    assert cues == {"الجيش": False, "مسلحون": True}
