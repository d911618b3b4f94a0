"""The claims stage: what each count counts, of whom, and who says so."""

from __future__ import annotations

import pytest

from rasd.document import Document
from rasd.jsontypes import JSONObject
from rasd.pipeline import Pipeline, make_document


@pytest.fixture(scope="module")
def claims() -> Pipeline:
    return Pipeline(["normalize", "segment", "numbers", "claims"])


def run(pipeline: Pipeline, text: str) -> Document:
    return pipeline(make_document(text, lang="ar"))


def claim_values(doc: Document) -> list[JSONObject]:
    out = []
    for m in doc.mentions_of("claim"):
        assert isinstance(m.value, dict)
        out.append(m.value | {"text": doc.text[m.start : m.end]})
    return out


def one_claim(pipeline: Pipeline, text: str) -> JSONObject:
    values = claim_values(run(pipeline, text))
    assert len(values) == 1, values
    return values[0]


@pytest.fixture(scope="module")
def mazar(claims: Pipeline, mazar_text: str) -> Document:
    return run(claims, mazar_text)


def test_mazar_attacking_force_is_counted_as_participants(mazar: Document) -> None:
    force = [c for c in claim_values(mazar) if c["quantity"] == "participants"]
    assert [(c["best"], c["qualifier"], c["victims"]) for c in force] == [
        (1500, "approx", "مقاتل من قومية الهزارة")
    ]


def test_mazar_survivors(mazar: Document) -> None:
    survivors = [c for c in claim_values(mazar) if c["quantity"] == "survivors"]
    assert [(c["best"], c["qualifier"]) for c in survivors] == [(100, "exact")]


def test_mazar_rest_killed_is_a_derived_toll(mazar: Document) -> None:
    (derived,) = [c for c in claim_values(mazar) if c["qualifier"] == "derived"]
    assert (derived["quantity"], derived["best"], derived["text"]) == (
        "fatalities",
        1400,
        "لقي البقية حتفهم",
    )
    assert derived["derivation"] == "1500 (participants) - 100 (survivors) = 1400 (approximate)"
    force, survivors = derived["derived_from"]  # type: ignore[misc]
    assert mazar.text[force[0] : force[1]].endswith("نحو 1500 مقاتل من قومية الهزارة")
    assert mazar.text[survivors[0] : survivors[1]].startswith("100 مقاتل")


def test_mazar_hundreds_of_males_executed(mazar: Document) -> None:
    (executed,) = [c for c in claim_values(mazar) if c.get("vague") == "hundreds"]
    assert (executed["quantity"], executed["low"], executed["high"], executed["qualifier"]) == (
        "fatalities",
        100,
        None,
        "vague",
    )
    assert executed["victims"] == "من الذكور"


def test_mazar_consulate_toll_breaks_down_into_diplomats_and_a_reporter(mazar: Document) -> None:
    (consulate,) = [c for c in claim_values(mazar) if c["best"] == 11]
    assert (consulate["quantity"], consulate["parts"], consulate["parts_check"]) == (
        "fatalities",
        [10, 1],
        "adds_up",
    )
    assert not mazar.flags
    parts = consulate["breakdown"]
    assert isinstance(parts, list)
    assert [
        (p["value"], p["victims"], mazar.text[p["span"][0] : p["span"][1]])  # type: ignore[index,call-overload]
        for p in parts
    ] == [(10, "دبلوماسيين", "10"), (1, "مراسل صحافي", "مراسل")]
    for part in parts:
        start, end = part["victims_span"]  # type: ignore[index,call-overload,misc]
        assert mazar.text[start:end] == part["victims"]  # type: ignore[index,call-overload]


def test_mazar_eight_thousand_attributed_to_human_rights_watch(mazar: Document) -> None:
    (toll,) = [c for c in claim_values(mazar) if c["text"] == "مقتل نحو 8 آلاف شخص"]
    assert (toll["best"], toll["qualifier"], toll["attributed_to"]) == (
        8000,
        "approx",
        "Human Rights Watch",
    )
    start, end = toll["attribution_span"]  # type: ignore[misc]
    assert mazar.text[start:end] == "هيومن رايتس ووتش"


@pytest.mark.parametrize(
    ("text", "quantity", "best"),
    [
        ("أسفر الانفجار عن مقتل 27 شخصا", "fatalities", 27),
        ("وسقط 20 قتيلا في القصف", "fatalities", 20),
        ("أصيب نحو 100 آخرين", "injured", 100),
        ("قال الشهود إن 5 أشخاص لقوا حتفهم", "fatalities", 5),
        ("ألقت الشرطة القبض على 12 مشتبها", "detained", 12),
        ("أعلن الجيش اختطاف 4 مهندسين", "missing", 4),
        ("أدى القصف إلى نزوح 3000 أسرة", "displaced", 3000),
        ("بمقتل وإصابة 60 عنصرا", "casualties", 60),
        ("قتلت قوات الأمن 5 مسلحين", "fatalities", 5),
    ],
    ids=[
        "trigger-before",
        "counting-noun",
        "injured",
        "verb-after",
        "detained",
        "abducted",
        "displaced",
        "combined-total",
        "verb-subject-object",
    ],
)
def test_what_a_count_counts(claims: Pipeline, text: str, quantity: str, best: int) -> None:
    claim = one_claim(claims, text)
    assert (claim["quantity"], claim["best"]) == (quantity, best)


def test_two_kinds_in_one_sentence(claims: Pipeline) -> None:
    doc = run(claims, "أسفر الهجوم عن مقتل 14 وإصابة 33 من المدنيين")
    assert [(c["quantity"], c["best"]) for c in claim_values(doc)] == [
        ("fatalities", 14),
        ("injured", 33),
    ]


def test_count_written_as_a_noun(claims: Pipeline) -> None:
    claim = one_claim(claims, "أسفر الهجوم عن استشهاد نقيب ومجند")
    assert (claim["quantity"], claim["best"]) == ("fatalities", 2)


def test_breakdown_that_exceeds_the_total_is_flagged(claims: Pipeline) -> None:
    doc = run(claims, "قتل 6 أشخاص بينهم 4 أطفال و3 نساء")
    (claim,) = claim_values(doc)
    assert (claim["parts"], claim["parts_check"]) == ([4, 3], "exceeds")
    assert [f.kind for f in doc.flags] == ["breakdown_mismatch"]


@pytest.mark.parametrize(
    ("text", "check", "flags"),
    [
        ("قتل 12 شخصا، هم 10 جنود ومدني", "short", ["breakdown_mismatch"]),
        ("قتل 12 شخصا بينهم 10 جنود ومدني", "partial", []),
        ("قتل 11 شخصا، هم 10 جنود ومدني", "adds_up", []),
    ],
    ids=["they-are-falls-short", "among-them-may-be-partial", "they-are-adds-up"],
)
def test_a_breakdown_that_lists_the_whole_group_must_add_up(
    claims: Pipeline, text: str, check: str, flags: list[str]
) -> None:
    doc = run(claims, text)
    (claim,) = claim_values(doc)
    assert (claim["parts"], claim["parts_check"]) == ([10, 1], check)
    assert [f.kind for f in doc.flags] == flags


def test_revised_toll_supersedes_the_first(claims: Pipeline) -> None:
    doc = run(claims, "قتل 20 شخصا في التفجير. ثم ارتفع عدد القتلى إلى 35 قتيلا")
    first, second = claim_values(doc)
    assert (first["best"], first.get("superseded")) == (20, True)
    assert (second["best"], second.get("revised")) == (35, True)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("وقال مصدر أمني عراقي إن 9 أشخاص قتلوا", "Iraqi security source"),
        ("وأكدت مصادر طبية مقتل 14 شخصا", "medical sources"),
        ("وأعلنت وزارة الداخلية التركية مقتل 27 شخصا", "Turkish Ministry of Interior"),
        (
            "قتل 25 مقاتلا على الأقل بحسب المرصد السوري لحقوق الإنسان",
            "Syrian Observatory for Human Rights",
        ),
        ("أصيب 10 أشخاص، حسبما أفاد مسؤول حكومي", "government official"),
    ],
    ids=[
        "anonymous-with-nationality",
        "medical-sources",
        "ministry",
        "named-after",
        "official-after",
    ],
)
def test_attribution(claims: Pipeline, text: str, source: str) -> None:
    assert one_claim(claims, text)["attributed_to"] == source


def test_report_voice_has_no_attribution(claims: Pipeline) -> None:
    assert one_claim(claims, "قتل 12 شخصا في انفجار سيارة مفخخة")["attributed_to"] is None


@pytest.mark.parametrize(
    "text",
    [
        "فقد كانت المدينة هادئة قبل 3 أيام",
        "وزعت المساعدات على 40 أسر نازحة",
        "شن الطيران 15 غارة على المدينة",
        "توفي 3 أشخاص في حادث سير",
    ],
    ids=["particle-faqad", "families-usar", "strikes-not-people", "accident-death"],
)
def test_traps_are_not_claims(claims: Pipeline, text: str) -> None:
    assert claim_values(run(claims, text)) == []


def test_counts_joined_without_a_trigger_add_up(claims: Pipeline) -> None:
    claim = one_claim(claims, "قتل ما لا يقل عن ستة أطفال وثلاثة بالغين في الغارة")
    assert (claim["best"], claim["high"], claim["parts"], claim["qualifier"]) == (
        9,
        None,
        [6, 3],
        "at_least",
    )


def test_definite_count_after_its_noun(claims: Pipeline) -> None:
    claim = one_claim(claims, "ونقل المصابين الثلاثة إلى المستشفى")
    assert (claim["quantity"], claim["best"]) == ("injured", 3)


def test_agency_that_carried_the_words_is_not_the_source(claims: Pipeline) -> None:
    claim = one_claim(claims, "وقال مسؤول محلي لوكالة فرانس برس إن 7 أشخاص قتلوا")
    assert claim["attributed_to"] == "local official"


def test_witness_of_an_agency(claims: Pipeline) -> None:
    claim = one_claim(claims, "وقال شاهد من وكالة رويترز إن 30 محتجا اعتقلوا")
    assert (claim["quantity"], claim["attributed_to"]) == ("detained", "Reuters witness")


def test_conjoined_sources(claims: Pipeline) -> None:
    claim = one_claim(claims, "قال مسؤولون وشهود عيان إن 12 شخصا قتلوا")
    assert claim["attributed_to"] == "officials and eyewitnesses"


def test_english_report_yields_the_same_claim(claims: Pipeline) -> None:
    doc = claims(
        make_document(
            "About 8,000 people were killed in the first week, Human Rights Watch said.",
            lang="en",
        )
    )
    (claim,) = claim_values(doc)
    assert (claim["quantity"], claim["best"], claim["qualifier"], claim["attributed_to"]) == (
        "fatalities",
        8000,
        "approx",
        "Human Rights Watch",
    )


def test_english_ministry_with_nationality(claims: Pipeline) -> None:
    doc = claims(
        make_document("The Turkish interior ministry said the blast killed 27 people.", lang="en")
    )
    (claim,) = claim_values(doc)
    assert (claim["best"], claim["attributed_to"]) == (27, "Turkish Ministry of Interior")


def test_killed_and_wounded_nouns_make_one_combined_total(claims: Pipeline) -> None:
    claim = one_claim(claims, "سقط أكثر من 50 قتيلا وجريحا في القصف")
    assert (claim["quantity"], claim["low"], claim["combined"]) == (
        "casualties",
        50,
        ["fatalities", "injured"],
    )


def test_fighters_of_two_sides_are_two_counts(claims: Pipeline) -> None:
    doc = run(claims, "قتل 47 متمردا و5 من القوات الموالية للحكومة في معارك عنيفة")
    assert [c["best"] for c in claim_values(doc)] == [47, 5]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("وقال مصدر أمني إن الهجوم وقع ليلا. وأضاف أن 5 أشخاص قتلوا.", "security source"),
        ("وقال مصدر أمني إن الهجوم وقع ليلا. وقتل 5 أشخاص في هجوم آخر.", None),
    ],
    ids=["continuing-speaker", "new-statement"],
)
def test_source_of_the_previous_sentence(claims: Pipeline, text: str, source: str | None) -> None:
    assert one_claim(claims, text)["attributed_to"] == source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("قالت هيئة الإسعاف الوطنية اليوم إن 9 أشخاص قتلوا", "هيئة الإسعاف الوطنية"),
        ("وقال الزبيدي إن الاشتباكات أسفرت عن مقتل 14 مسلحا", "الزبيدي"),
        ("وأكد قائد اللواء الثالث: إن 5 جنود أصيبوا في الهجوم", "قائد اللواء الثالث"),
    ],
    ids=["body-before-time-words", "surname", "commander-with-colon"],
)
def test_whoever_speaks_between_verb_and_inna_is_the_source(
    claims: Pipeline, text: str, source: str
) -> None:
    claim = one_claim(claims, text)
    assert claim["attributed_to"] == source
    span = claim["attribution_span"]
    assert isinstance(span, list)
    assert text[span[0] : span[1]] == source


def test_a_glued_full_stop_ends_what_the_speaker_said(claims: Pipeline) -> None:
    text = "وقال الزبيدي إن التحقيق مستمر.ويأتي ذلك بعد مقتل 7 أشخاص في هجوم مماثل"
    assert one_claim(claims, text)["attributed_to"] is None


def test_conjoined_victims_counted_across_their_description(claims: Pipeline) -> None:
    claim = one_claim(claims, "أعلنت الوزارة مقتل ضابط شرطة عراقي ومجند في الانفجار")
    assert (claim["quantity"], claim["best"]) == ("fatalities", 2)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("ووفقا لرويترز فقد أصيب 11 شخصا في الهجوم", "Reuters"),
        ("ووفقا لإحصاء رويترز فقد أصيب 11 شخصا في الهجوم", "Reuters"),
        ("لكن المتحدث باسم حاكم الولاية أحمد علي قال إن 22 مسلحا قتلوا", "spokesman"),
        (
            "وقالت هيئة الإسعاف في المدينة في بيان: إن 4 أشخاص قتلوا",
            "هيئة الإسعاف",
        ),
    ],
    ids=["according-to-reuters", "according-to-a-reuters-tally", "speaker-first", "in-a-statement"],
)
def test_frames_that_name_their_source(claims: Pipeline, text: str, source: str) -> None:
    assert one_claim(claims, text)["attributed_to"] == source


def test_an_agency_told_the_words_is_still_not_the_source(claims: Pipeline) -> None:
    assert one_claim(claims, "وقال مسؤول لرويترز إن 11 شخصا أصيبوا")["attributed_to"] == "official"


def test_a_list_of_figures_goes_on_after_a_full_stop(claims: Pipeline) -> None:
    text = "وقال مسؤول محلي إن سبعة أشخاص قتلوا في الانفجار. وإصابة أربعة آخرين بجروح خطيرة."
    values = claim_values(run(claims, text))
    assert [(v["quantity"], v["attributed_to"]) for v in values] == [
        ("fatalities", "local official"),
        ("injured", "local official"),
    ]


def test_a_new_sentence_with_its_own_verb_is_the_report_voice(claims: Pipeline) -> None:
    text = "وقال مسؤول محلي إن سبعة أشخاص قتلوا في الانفجار. وأصيب أربعة آخرون في حادث سير."
    values = claim_values(run(claims, text))
    assert values[-1]["attributed_to"] is None


def test_mazar_most_of_the_detained_died_in_the_containers(mazar: Document) -> None:
    (share,) = [c for c in claim_values(mazar) if c.get("share")]
    assert (share["text"], share["quantity"], share["qualifier"], share["low"], share["high"]) == (
        "فارق أغلبهم الحياة",
        "fatalities",
        "vague",
        3,
        None,
    )
    assert share["derivation"] == "most of many (detained)"
    ((start, end),) = share["derived_from"]  # type: ignore[misc]
    assert mazar.text[start:end].startswith("اعتقال العديد من المعارضين")


@pytest.mark.parametrize(
    ("text", "share", "low", "best", "high", "qualifier"),
    [
        ("اعتقلت الشرطة 30 شخصا وقتل معظمهم في السجن", "most", 16, 16, 30, "range"),
        ("اختطف المسلحون 12 مدنيا ثم لقي جميعهم حتفهم", "all", 12, 12, 12, "exact"),
        ("اعتقلت الشرطة 20 متظاهرا وأصيب بعضهم بجروح", "some", 3, 3, 20, "vague"),
    ],
    ids=["most-of-them", "all-of-them", "some-of-them"],
)
def test_a_share_of_a_counted_group(
    claims: Pipeline, text: str, share: str, low: int, best: int, high: int, qualifier: str
) -> None:
    (claim,) = [c for c in claim_values(run(claims, text)) if c.get("share")]
    assert (claim["share"], claim["low"], claim["best"], claim["high"], claim["qualifier"]) == (
        share,
        low,
        best,
        high,
        qualifier,
    )


def test_a_time_after_the_count_is_not_its_victims(claims: Pipeline) -> None:
    claim = one_claim(claims, "سقط 40 قتيلا بيوم واحد في المدينة")
    assert (claim["best"], claim["victims"]) == (40, None)


def test_a_word_ending_like_inna_does_not_close_a_speaker(claims: Pipeline) -> None:
    doc = run(claims, "أعلنت الحركة أفغانستان دولة مستقلة. وقتل 5 أشخاص في الهجوم")
    assert [m.value for m in doc.mentions_of("source")] == []


def test_a_whole_group_list_read_only_in_part_is_not_flagged(claims: Pipeline) -> None:
    doc = run(claims, "قتل 40 مدنيا، هم 10 أطفال دون سن العاشرة، 30 رجلا في القرية")
    (claim,) = [c for c in claim_values(doc) if c["best"] == 40]
    assert claim["parts_check"] == "partial"
    assert doc.flags == []
