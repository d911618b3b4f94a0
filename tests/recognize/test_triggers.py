"""Trigger words map to ACLED sub-types; the most specific one decides (sentences written here)."""

import pytest

from rasd.document import Document
from rasd.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["normalize", "segment", "actors", "events"])


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        ("فجر انتحاري نفسه بحزام ناسف في سوق المدينة.", "Suicide bomb"),
        ("انفجرت سيارة مفخخة قرب مركز للشرطة.", "Remote explosive/landmine/IED"),
        ("شنت طائرات التحالف غارات على مواقع المسلحين.", "Air/drone strike"),
        ("سقطت قذائف هاون على حي سكني.", "Shelling/artillery/missile attack"),
        ("اندلعت اشتباكات عنيفة بين الجيش والمسلحين.", "Armed clash"),
        ("اختطف مسلحون مجهولون أربعة مهندسين.", "Abduction/forced disappearance"),
        ("خرجت مظاهرة سلمية في وسط العاصمة.", "Peaceful protest"),
        ("ألقت قوات الأمن القبض على خلية إرهابية.", "Arrests"),
        ("ارتكبت الميليشيا مجزرة بحق المدنيين.", "Attack"),
    ],
    ids=[
        "suicide",
        "car-bomb",
        "air-strike",
        "mortar",
        "clash",
        "abduction",
        "protest",
        "arrest",
        "massacre",
    ],
)
def test_trigger_sets_sub_type(pipeline: Pipeline, text: str, sub_type: str) -> None:
    doc = pipeline(Document(text))
    assert [e.sub_event_type for e in doc.events] == [sub_type]


def test_suicide_bomber_beats_generic_explosion(pipeline: Pipeline) -> None:
    doc = pipeline(Document("قتل عشرة أشخاص في تفجير نفذه انتحاري داخل مسجد."))
    assert doc.events[0].sub_event_type == "Suicide bomb"


@pytest.mark.parametrize(
    "text",
    [
        "لقي خمسة أشخاص مصرعهم في حادث سير على الطريق السريع.",
        "أصدرت المحكمة حكما بالإعدام على المتهم بقتل زوجته.",
        "يعقد المؤتمر الاقتصادي في الرياض الأسبوع المقبل.",
    ],
    ids=["road-accident", "death-sentence", "no-violence"],
)
def test_not_an_event(pipeline: Pipeline, text: str) -> None:
    assert pipeline(Document(text)).events == []


def test_background_clause_is_not_an_event(pipeline: Pipeline) -> None:
    doc = pipeline(Document("تأسست الجماعة منذ العام 2004 بعد معارك في الشمال."))
    assert doc.events == []


def test_triggers_are_mentions_with_acled_labels(pipeline: Pipeline) -> None:
    doc = pipeline(Document("شنت المقاتلات غارة جوية على القرية."))
    triggers = doc.mentions_of("trigger")
    assert triggers
    assert all(t.by == "events.trigger" for t in triggers)
    assert {t.value["event_type"] for t in triggers} == {"Explosions/Remote violence"}  # type: ignore[index,call-overload]


@pytest.mark.parametrize(
    "text",
    [
        "كثف المسلحون هجماتهم للسيطرة على الطريق الساحلي.",
        "يحاول المقاتلون السيطرة على الأحياء المتبقية من المدينة.",
        "تعمل المحاكم في مدينة خارجة عن سيطرة الدولة.",
        "يعيش السكان في ظل سيطرة الميليشيات على العاصمة.",
    ],
    ids=["purpose-lam", "attempt-verb", "outside-control", "under-control"],
)
def test_an_aim_or_a_standing_control_is_no_take_over(pipeline: Pipeline, text: str) -> None:
    doc = pipeline(Document(text))
    assert not [e for e in doc.events if "territory" in (e.sub_event_type or "")]


def test_a_take_over_stated_as_done_stays_one(pipeline: Pipeline) -> None:
    doc = pipeline(Document("سيطر المسلحون على المدينة بعد معارك عنيفة."))
    assert [e.event_type for e in doc.events] == ["Battles"]
    assert doc.events[0].sub_event_type == "Non-state actor overtakes territory"


def test_a_half_year_tally_states_no_event(pipeline: Pipeline) -> None:
    text = "وأحصت البعثة في تقريرها نصف السنوي ألف قتيل في الاشتباكات والهجمات منذ بداية العام."
    assert pipeline(Document(text)).events == []


@pytest.mark.parametrize(
    ("text", "sub_types"),
    [
        ("اعتصم مئات السكان احتجاجا على قتل شاب في المدينة.", ["Peaceful protest"]),
        ("خرجت تظاهرة حاشدة تنديدا باغتيال الصحفي.", ["Peaceful protest"]),
        (
            "ألقت الشرطة القبض على خلية تمهيدا لتنفيذ عمليات اغتيال وتفجيرات في المدينة.",
            ["Arrests"],
        ),
        ("اعتقلت الشرطة الرجل المتهم بقتل ضابط.", ["Arrests"]),
        ("اعتقلت الشرطة رجلين، ويخشى السكان غارات جوية جديدة.", ["Arrests"]),
        ("اعتقلت الشرطة رجلين بعدما هدد التنظيم بتفجير المدارس.", ["Arrests"]),
    ],
    ids=[
        "protest-over-a-killing",
        "denouncing-an-assassination",
        "planned-attacks",
        "charge",
        "feared",
        "threatened",
    ],
)
def test_an_event_named_as_reason_charge_or_plan_is_not_told(
    pipeline: Pipeline, text: str, sub_types: list[str]
) -> None:
    assert [e.sub_event_type for e in pipeline(Document(text)).events] == sub_types


def test_a_booby_trapped_car_is_an_explosive(pipeline: Pipeline) -> None:
    events = pipeline(Document("انفجرت سيارة ملغومة قرب نقطة تفتيش.")).events
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


def test_an_execution_is_an_attack_whatever_the_means(pipeline: Pipeline) -> None:
    text = "نشر التنظيم شريطا يظهر إعدام عشرة أسرى بتفجير عبوات ناسفة تحتهم."
    assert [e.sub_event_type for e in pipeline(Document(text)).events] == ["Attack"]


def test_a_court_ordering_an_execution_is_no_event(pipeline: Pipeline) -> None:
    text = "وقرر قاضي المحكمة إعدام المتهمين الثلاثة رميا بالرصاص."
    assert pipeline(Document(text)).events == []


@pytest.mark.parametrize(
    "text",
    ["حفر عناصر التنظيم حفرا لم يستخدموها في إعداماتهم السابقة.", "ونفذ التنظيم هجمات سابقة."],
    ids=["previous-executions", "earlier-attacks"],
)
def test_events_told_as_earlier_ones_are_none(pipeline: Pipeline, text: str) -> None:
    assert pipeline(Document(text)).events == []


def test_a_conjunction_does_not_hide_a_protest_word(pipeline: Pipeline) -> None:
    text = "خرج مئات في مسيرة احتجاجية وتنديدا باغتيال الصحفي."
    assert [e.sub_event_type for e in pipeline(Document(text)).events] == ["Peaceful protest"]


@pytest.mark.parametrize(
    "text",
    [
        "وهذه الهجمات هي الأولى التي تضرب المدينة منذ شهور.",
        "وقالت الوزارة إنه عقب تسليم السجناء عادت القوة إلى مقرها.",
        "وهذا أسوأ اعتداء منذ إحراق المتجر في العام الماضي.",
    ],
    ids=["these-attacks", "after-a-handover", "since-a-burning"],
)
def test_events_pointed_back_at_are_not_told_again(pipeline: Pipeline, text: str) -> None:
    assert pipeline(Document(text)).events == []


def test_a_killing_with_its_subject_inside_the_phrase(pipeline: Pipeline) -> None:
    text = "لقي رقيب شرطة مصرعه إثر إطلاق مسلحين النار على دورية أمنية."
    doc = pipeline(Document(text))
    assert {doc.text[t.start : t.end] for t in doc.mentions_of("trigger")} == {"مصرعه", "النار على"}
    assert len(doc.events) == 1


def test_police_clashing_with_protesters_is_a_protest_met_by_force(pipeline: Pipeline) -> None:
    text = "تظاهر المئات وسط المدينة. واشتبكت الشرطة مع المتظاهرين وأطلقت الغاز المسيل للدموع."
    events = pipeline(Document(text)).events
    assert [e.event_type for e in events] == ["Protests"]
    assert events[0].sub_event_type == "Protest with intervention"


@pytest.mark.parametrize(
    "text",
    [
        "ضبطت الشرطة عبوات ناسفة وأسلحة في منزل بالمدينة.",
        "اعتقلت قوات الأمن مسلحا وصادرت سلاحا وثلاثة مخازن وقنابل يدوية.",
    ],
    ids=["seized-bombs", "seized-grenades"],
)
def test_weapons_seized_are_no_explosion(pipeline: Pipeline, text: str) -> None:
    kinds = [e.event_type for e in pipeline(Document(text)).events]
    assert "Explosions/Remote violence" not in kinds
    assert kinds


def test_a_bomber_carrying_a_belt_is_no_seizure(pipeline: Pipeline) -> None:
    doc = pipeline(Document("فجر انتحاري يحمل حزاما ناسفا نفسه في سوق المدينة."))
    assert [e.sub_event_type for e in doc.events] == ["Suicide bomb"]
