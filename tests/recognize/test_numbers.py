"""The numbers stage: digits, words, scales, ranges, qualifiers, vague counts and types."""

from __future__ import annotations

import pytest

from rasd.document import Mention
from rasd.pipeline import Pipeline, make_document


@pytest.fixture(scope="module")
def numbers() -> Pipeline:
    return Pipeline(["normalize", "segment", "numbers"])


def found(pipeline: Pipeline, text: str) -> list[tuple[str, dict[str, object]]]:
    doc = pipeline(make_document(text, lang="ar"))
    out = []
    for m in doc.mentions:
        assert isinstance(m, Mention)
        assert isinstance(m.value, dict)
        out.append((doc.text[m.start : m.end], dict(m.value)))
    return out


def only(pipeline: Pipeline, text: str) -> tuple[str, dict[str, object]]:
    mentions = found(pipeline, text)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("قتل 1,500 شخص", "1,500", 1500),
        ("قتل ١٬٥٠٠ شخص", "١٬٥٠٠", 1500),
        ("نزح ١٫٥ مليون شخص", "١٫٥ مليون", 1500000),
        ("قتل 8 آلاف شخص", "8 آلاف", 8000),
        ("دفع ألفين للمحامي", "ألفين", 2000),
        ("جرح مئتا شخص", "مئتا", 200),
        ("قتل ثلاثة وعشرون جنديا", "ثلاثة وعشرون", 23),
        ("وصل مئتان وخمسون لاجئا", "مئتان وخمسون", 250),
        ("مات ستة عشر صيادا", "ستة عشر", 16),
        ("قتل ثلاثة آلاف وخمسمائة شخص", "ثلاثة آلاف وخمسمائة", 3500),
        ("غادر نصف مليون شخص", "نصف مليون", 500000),
        ("نجا ٤٢ شخصا", "٤٢", 42),
    ],
    ids=[
        "thousands-separator",
        "eastern-arabic-separator",
        "eastern-arabic-decimal-scale",
        "digit-and-scale-plural",
        "dual-thousand",
        "construct-dual-hundred",
        "unit-and-ten",
        "hundred-and-ten",
        "teen",
        "scale-then-hundreds",
        "fraction-of-scale",
        "eastern-arabic-digits",
    ],
)
def test_cardinal_value(numbers: Pipeline, text: str, span: str, value: int) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["value"], got["type"]) == (span, value, "cardinal")


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "qualifier"),
    [
        ("مقتل نحو 100 شخص", "نحو 100", 100, 100, "approx"),
        ("قتل 20 شخصا على الأقل", "20", 20, None, "at_least"),
        ("مقتل أكثر من 50 شخصا", "أكثر من 50", 50, None, "at_least"),
        ("مقتل ما لا يقل عن 45 شخصا", "ما لا يقل عن 45", 45, None, "at_least"),
        ("إصابة أقل من عشرة أشخاص", "أقل من عشرة", None, 10, "at_most"),
        ("قتل بين 5 و8 آلاف شخص", "بين 5 و8 آلاف", 5000, 8000, "range"),
        ("تعرض ما بين 20 و25 شخصا للإصابة", "ما بين 20 و25", 20, 25, "range"),
        ("قدر العدد بـ5000-8000 شخص", "5000-8000", 5000, 8000, "range"),
        ("ما يقارب 30 جريحا", "ما يقارب 30", 30, 30, "approx"),
    ],
    ids=[
        "approx",
        "at-least-after-noun",
        "more-than",
        "no-less-than",
        "less-than-word",
        "range-with-shared-scale",
        "range-between",
        "range-dash",
        "approx-phrase",
    ],
)
def test_qualified_counts(
    numbers: Pipeline, text: str, span: str, low: int | None, high: int | None, qualifier: str
) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["low"], got["high"], got["qualifier"]) == (span, low, high, qualifier)


@pytest.mark.parametrize(
    ("text", "span", "low", "gloss"),
    [
        ("قتل عشرات المدنيين", "عشرات", 12, "dozens"),
        ("اعتقل المئات من المحتجين", "المئات", 100, "hundreds"),
        ("فر آلاف السكان", "آلاف", 1000, "thousands"),
        ("أصيب عدد من المارة", "عدد من", 3, "several"),
        ("قتل بضعة جنود", "بضعة", 3, "a few"),
        ("جرح العديد من الأطفال", "العديد من", 3, "many"),
        ("نزح عشرات الآلاف", "عشرات الآلاف", 12000, "dozens"),
    ],
    ids=[
        "dozens",
        "hundreds-definite",
        "thousands",
        "several",
        "a-few",
        "many",
        "tens-of-thousands",
    ],
)
def test_vague_counts_are_low_bounds(
    numbers: Pipeline, text: str, span: str, low: int, gloss: str
) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["low"], got["high"], got["qualifier"], got["vague"]) == (
        span,
        low,
        None,
        "vague",
        gloss,
    )


@pytest.mark.parametrize(
    ("text", "span", "kind"),
    [
        ("وقعت المذبحة عام 1998", "1998", "year"),
        ("طفل عمره 12 عاما", "12", "age"),
        ("طفل في العاشرة", "العاشرة", "age"),
        ("ارتفعت الأسعار 15 في المئة", "15 في المئة", "percent"),
        ("دفع 300 دولار", "300 دولار", "money"),
        ("على بعد 10 كيلومترات", "10 كيلومترات", "quantity"),
        ("اتصلوا على الهاتف 0501234567", "0501234567", "phone"),
        ("في الأسبوع الأول", "الأول", "ordinal"),
    ],
    ids=["year", "age-years", "age-ordinal", "percent", "money", "distance", "phone", "ordinal"],
)
def test_numbers_that_are_not_counts_say_what_they_are(
    numbers: Pipeline, text: str, span: str, kind: str
) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["type"]) == (span, kind)


@pytest.mark.parametrize(
    ("text", "span", "unit"),
    [
        ("دفع 42 ليرة لبنانية", "42 ليرة لبنانية", "LBP"),
        ("بلغ السعر 5 شواقل", "5 شواقل", "ILS"),
        ("حول 42 KWD", "42 KWD", "KWD"),
    ],
    ids=["currency-with-nationality", "shekels", "iso-code"],
)
def test_money(numbers: Pipeline, text: str, span: str, unit: str) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["type"], got["unit"]) == (span, "money", unit)


def test_a_range_of_money_is_one_amount_not_a_count(numbers: Pipeline) -> None:
    got_span, got = only(numbers, "تراوح الأجر من 10 إلى 20 دولار")
    assert (got_span, got["type"], got["low"], got["high"]) == (
        "من 10 إلى 20 دولار",
        "money",
        10,
        20,
    )


def test_weekday_is_not_the_number_two(numbers: Pipeline) -> None:
    assert found(numbers, "وصل الوفد يوم الاثنين") == []


def test_mazar_report_numbers(numbers: Pipeline, mazar_text: str) -> None:
    values = {(span, v["value"]) for span, v in found(numbers, mazar_text)}
    assert {("نحو 1500", 1500), ("100", 100), ("نحو 8 آلاف", 8000), ("المئات", 100)} <= values


def test_comparative_before_a_number_belongs_to_that_number(numbers: Pipeline) -> None:
    first, second = found(numbers, "كانت الحصيلة ثمانية قتلى وأكثر من مئة جريح")
    assert (first[0], first[1]["qualifier"]) == ("ثمانية", "exact")
    assert (second[0], second[1]["qualifier"], second[1]["low"]) == ("أكثر من مئة", "at_least", 100)


@pytest.mark.parametrize(
    "text", ["سقط قتيلان في القصف", "أسفر عن مقتل شخصين"], ids=["nominative", "genitive"]
)
def test_dual_nouns_count_two(numbers: Pipeline, text: str) -> None:
    _, got = only(numbers, text)
    assert (got["value"], got["type"]) == (2, "cardinal")


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("في بداية القرن العشرين", "العشرين", 20),
        ("احتفلت بالذكرى السبعين لتأسيسها", "السبعين", 70),
        ("قالها للمرة الألف", "الألف", 1000),
        ("في القرن الواحد والعشرين", "الواحد والعشرين", 21),
        ("وجدت الكتاب المئة والخامسة والعشرون", "المئة والخامسة والعشرون", 125),
        ("التسعون", "التسعون", 90),
        ("في الصف الثان عشر", "الثان عشر", 12),
    ],
    ids=[
        "century",
        "anniversary",
        "for-the-thousandth-time",
        "cardinal-form-compound",
        "hundred-with-ordinal-unit",
        "standing-alone",
        "shortened-second",
    ],
)
def test_definite_number_after_a_singular_is_an_ordinal(
    numbers: Pipeline, text: str, span: str, value: int
) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["value"], got["type"]) == (span, value, "ordinal")


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("خلال السنوات الخمس عشرة المقبلة", "الخمس عشرة", 15),
        ("انتهت الدقائق العشرون الأولى", "العشرون", 20),
        ("تجاوز الثلاثين من عمره", "الثلاثين", 30),
    ],
    ids=["after-a-sound-plural", "after-a-broken-plural", "after-a-verb"],
)
def test_definite_number_after_a_plural_or_a_verb_stays_a_cardinal(
    numbers: Pipeline, text: str, span: str, value: int
) -> None:
    cardinals = [(s, v["value"]) for s, v in found(numbers, text) if v["type"] == "cardinal"]
    assert cardinals == [(span, value)]


@pytest.mark.parametrize(
    ("text", "span", "relative_to", "offset"),
    [
        ("انتقل إلى الصفحة التالية", "التالية", "current", 1),
        ("في الجولة الأخيرة", "الأخيرة", "end", 0),
        ("أريني الفصل قبل الأخير", "قبل الأخير", "end", -1),
        ("أريني الثانية إلى الأخير", "الثانية إلى الأخير", "end", -1),
    ],
    ids=["next", "last", "before-last", "second-to-last"],
)
def test_relative_ordinals(
    numbers: Pipeline, text: str, span: str, relative_to: str, offset: int
) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["type"], got["value"], got["relative_to"], got["offset"]) == (
        span,
        "ordinal",
        None,
        relative_to,
        offset,
    )


def test_therefore_is_not_a_relative_ordinal(numbers: Pipeline) -> None:
    assert found(numbers, "وبالتالي تراجعت الأسعار") == []


@pytest.mark.parametrize(
    ("text", "span", "value", "kind"),
    [
        ("واحد من أربعة", "واحد من أربعة", 0.25, "fraction"),
        ("احتمال جزء من مئة ألف تريليون", "جزء من مئة ألف تريليون", 1e-17, "fraction"),
        ("بلغ العدد 322 مائة", "322 مائة", 32200, "cardinal"),
        ("كتب 1\u202f234\u202f567.89 في الجدول", "1\u202f234\u202f567.89", 1234567.89, "cardinal"),
    ],
    ids=["one-in-four", "scales-multiply", "digits-times-hundred", "narrow-space-groups"],
)
def test_number_shapes(numbers: Pipeline, text: str, span: str, value: float, kind: str) -> None:
    got_span, got = only(numbers, text)
    assert (got_span, got["value"], got["type"]) == (span, value, kind)


def test_a_share_with_a_bound_is_a_fraction_with_its_qualifier(numbers: Pipeline) -> None:
    got_span, got = only(numbers, "نجح 2 من 5 أو أكثر")
    assert (got_span, got["low"], got["high"], got["type"]) == (
        "2 من 5 أو أكثر",
        0.4,
        None,
        "fraction",
    )


def test_one_of_three_people_is_a_partitive_not_a_third(numbers: Pipeline) -> None:
    assert [v["value"] for _, v in found(numbers, "نجا واحد من ثلاثة أشخاص")] == [1, 3]


def test_season_written_with_a_slash_is_two_numbers(numbers: Pipeline) -> None:
    assert [v["value"] for _, v in found(numbers, "في موسم 2014/2015")] == [2014, 2015]


def test_zero_does_not_join_a_compound(numbers: Pipeline) -> None:
    assert [v["value"] for _, v in found(numbers, "أربعة آلاف و ثلاثمائة و صفر")] == [4300, 0]


@pytest.mark.parametrize(
    ("text", "value"),
    [("قال إن تمنتاشر واحد ماتوا", 18), ("شفت تلتمية وخمسين", 350), ("كانوا متين", 200)],
    ids=["teen-in-one-word", "hundreds-in-mia", "dual-hundred"],
)
def test_egyptian_spoken_numbers(numbers: Pipeline, text: str, value: int) -> None:
    cardinals = [v["value"] for _, v in found(numbers, text) if v["type"] == "cardinal"]
    assert cardinals[:1] == [value]


def test_a_second_ten_is_read_as_two_fifths(numbers: Pipeline) -> None:
    got_span, got = only(numbers, "مائة وثلاثون وخمسين")
    assert (got_span, got["value"], got["type"]) == ("مائة وثلاثون وخمسين", 130.4, "fraction")


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("للاستفسار اتصلوا على 0504666877", "0504666877"),
        ("الرقم +33 1 46647998 للحجز", "33146647998"),
        ("اتصل على 650-701-8887 فرعي 897", "6507018887897"),
    ],
    ids=["mobile-with-leading-zero", "country-code", "groups-and-extension"],
)
def test_phone_numbers_by_their_shape(numbers: Pipeline, text: str, digits: str) -> None:
    _, got = only(numbers, text)
    assert (got["type"], got["digits"]) == ("phone", digits)


@pytest.mark.parametrize(
    "text",
    ["بلغ العدد 1 234 567 شخصا", "بين عامي 2014 2015", "تبلغ الكلفة 420681121015 ريال"],
    ids=["thousands-groups", "two-years", "amount-without-separators"],
)
def test_numbers_shaped_like_phones_that_are_not(numbers: Pipeline, text: str) -> None:
    assert all(v["type"] != "phone" for _, v in found(numbers, text))
