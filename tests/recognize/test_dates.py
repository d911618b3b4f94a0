"""The dates stage: month names in every set, relatives anchored on publication, ranges, checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import Document, Mention, Source
from rasd.pipeline import Pipeline

EXAMPLE = Path(__file__).parents[2] / "examples" / "mazar-i-sharif-1998.ar.txt"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["normalize", "segment", "dates"])


def run(pipeline: Pipeline, text: str, published: str | None = None, lang: str = "ar") -> Document:
    source = Source(published=date.fromisoformat(published) if published else None)
    return pipeline(Document(text=text, lang=lang, source=source))


def dates(doc: Document) -> list[tuple[str, object, object, object]]:
    out = []
    for mention in doc.mentions_of("date"):
        assert isinstance(mention.value, dict)
        value = mention.value
        out.append(
            (
                doc.text[mention.start : mention.end],
                value["start"],
                value["end"],
                value["precision"],
            )
        )
    return out


def only(doc: Document) -> Mention:
    found = doc.mentions_of("date")
    assert len(found) == 1, dates(doc)
    return found[0]


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("أواخر شهر أيلول/سبتمبر عام 1995", "1995-09-21", "1995-09-30", "month"),
        ("8 آب/أغسطس 1998", "1998-08-08", "1998-08-08", "day"),
        ("شهر تشرين الثاني/نوفمبر 1998", "1998-11-01", "1998-11-30", "month"),
        ("منذ العام 1996", "1996-01-01", "1996-12-31", "year"),
        ("عام 1998", "1998-01-01", "1998-12-31", "year"),
        (
            "الأسبوع الأول الذي تلا سقوط مزار شريف يوم 8 آب/أغسطس 1998",
            "1998-08-08",
            "1998-08-15",
            "week",
        ),
        ("خلال الأيام التالية", "1998-08-09", "1998-08-15", "week"),
    ],
    ids=["late-september", "day", "month", "since-year", "year", "week-after", "following-days"],
)
def test_example_report_dates_resolve_to_their_ranges(
    pipeline: Pipeline, text: str, start: str, end: str, precision: str
) -> None:
    doc = run(pipeline, EXAMPLE.read_text(encoding="utf-8"))
    found = [d for d in dates(doc) if d[0] == text]
    assert found, f"{text!r} not found in {dates(doc)}"
    assert found[0][1:] == (start, end, precision)


def test_example_report_counts_are_not_dates(pipeline: Pipeline) -> None:
    doc = run(pipeline, EXAMPLE.read_text(encoding="utf-8"))
    texts = [d[0] for d in dates(doc)]
    assert not any("1500" in t or "آلاف" in t or t == "5" for t in texts)


@pytest.mark.parametrize(
    "text",
    ["تشكل التحالف منذ العام 1996 ضد الحركة", "تشكل التحالف منذ 1996 ضد الحركة"],
    ids=["with-cue", "without-cue"],
)
def test_since_is_marked_on_the_value(pipeline: Pipeline, text: str) -> None:
    mention = only(run(pipeline, text))
    assert isinstance(mention.value, dict)
    assert (mention.value["start"], mention.value["mod"]) == ("1996-01-01", "since")
    assert text[mention.start : mention.end].startswith("منذ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قصفت الطائرات القرية في 3 كانون الثاني 2014", "2014-01-03"),
        ("قصفت الطائرات القرية في 3 يناير 2014", "2014-01-03"),
        ("قصفت الطائرات القرية في 3 جانفي 2014", "2014-01-03"),
        ("قصفت الطائرات القرية في 3 إبريل 2014", "2014-04-03"),
        ("قصفت الطائرات القرية في 3 يونيه 2014", "2014-06-03"),
        ("قصفت الطائرات القرية في 3 غشت 2014", "2014-08-03"),
        ("قصفت الطائرات القرية في 3 آب (أغسطس) 2014", "2014-08-03"),
        ("قصفت الطائرات القرية في 3 تموز/يوليو 2014", "2014-07-03"),
        ("قصفت الطائرات القرية في ٣ شباط ٢٠١٤", "2014-02-03"),
        ("قصفت الطائرات القرية في الثالث من آذار 2014", "2014-03-03"),
        ("قصفت الطائرات القرية في 2014/03/09", "2014-03-09"),
        ("قصفت الطائرات القرية في 9/3/2014", "2014-03-09"),
        ("قصفت الطائرات القرية في 9.3.2014", "2014-03-09"),
        ("قصفت الطائرات القرية في ۹/۳/۲۰۱۴", "2014-03-09"),
    ],
    ids=[
        "levantine",
        "egyptian",
        "maghrebi",
        "ibril-variant",
        "yunyh-variant",
        "moroccan",
        "paired-parentheses",
        "paired-slash",
        "eastern-digits",
        "ordinal-day",
        "numeric-ymd",
        "numeric-dmy",
        "numeric-dots",
        "persian-digits",
    ],
)
def test_day_dates_in_every_writing(pipeline: Pipeline, text: str, expected: str) -> None:
    mention = only(run(pipeline, text))
    assert isinstance(mention.value, dict)
    assert (mention.value["start"], mention.value["end"], mention.value["precision"]) == (
        expected,
        expected,
        "day",
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "relative"),
    [
        ("قتل ثلاثة مدنيين أمس في قصف", "2015-08-09", "2015-08-09", "yesterday"),
        ("قتل ثلاثة مدنيين أول أمس في قصف", "2015-08-08", "2015-08-08", "day_before_yesterday"),
        ("قتل ثلاثة مدنيين أمس الأول في قصف", "2015-08-08", "2015-08-08", "day_before_yesterday"),
        ("قتل ثلاثة مدنيين اليوم (الاثنين) في قصف", "2015-08-10", "2015-08-10", "today"),
        ("قتل ثلاثة مدنيين الليلة الماضية في قصف", "2015-08-09", "2015-08-10", "last_night"),
        ("قتل ثلاثة مدنيين الخميس الماضي في قصف", "2015-08-06", "2015-08-06", "weekday_last"),
        ("قتل ثلاثة مدنيين يوم السبت في قصف", "2015-08-08", "2015-08-08", "weekday"),
        ("قتل ثلاثة مدنيين قبل ثلاثة أيام في قصف", "2015-08-07", "2015-08-07", "ago_3_day"),
        ("قتل ثلاثة مدنيين الأسبوع الماضي في قصف", "2015-08-03", "2015-08-09", "week_-1"),
        ("قتل ثلاثة مدنيين الشهر الماضي في قصف", "2015-07-01", "2015-07-31", "month_-1"),
        ("قتل ثلاثة مدنيين العام الماضي في قصف", "2014-01-01", "2014-12-31", "year_-1"),
        ("قتل ثلاثة مدنيين ليل السبت - الأحد في قصف", "2015-08-08", "2015-08-09", "weekday"),
        ("قتل ثلاثة مدنيين ليلة الجمعة في قصف", "2015-08-06", "2015-08-07", "weekday"),
        ("قتل ثلاثة مدنيين في 3 آب الماضي في قصف", "2015-08-03", "2015-08-03", "day_month_-1"),
        ("قتل ثلاثة مدنيين الأسبوع قبل الماضي", "2015-07-27", "2015-08-02", "week_-2"),
        ("قتل ثلاثة مدنيين قبل عام وشهرين", "2014-06-10", "2014-06-10", "offset_1y_2m"),
        ("قتل ثلاثة مدنيين ليل السبت الأحد في قصف", "2015-08-08", "2015-08-09", "weekday"),
        ("أفادت الوكالة السبت الأحد بمقتل ثلاثة", "2015-08-08", "2015-08-09", "weekday"),
    ],
    ids=[
        "yesterday",
        "day-before-yesterday",
        "day-before-yesterday-inverted",
        "today-with-weekday",
        "last-night",
        "last-thursday",
        "bare-weekday",
        "three-days-ago",
        "last-week",
        "last-month",
        "last-year",
        "night-range",
        "eve-of-friday",
        "day-month-last",
        "week-before-last",
        "night-range-without-dash",
        "two-weekdays-in-a-row",
        "compound-offset",
    ],
)
def test_relative_dates_resolve_against_publication(
    pipeline: Pipeline, text: str, start: str, end: str, relative: str
) -> None:
    mention = only(run(pipeline, text, published="2015-08-10"))  # a Monday
    assert isinstance(mention.value, dict)
    value = mention.value
    assert (value["start"], value["end"], value["relative"]) == (start, end, relative)
    assert value["anchor"] == "published"
    assert value["unresolved"] is False


def test_relative_date_without_anchor_stays_unresolved_with_lower_precision(
    pipeline: Pipeline,
) -> None:
    mention = only(run(pipeline, "قتل ثلاثة مدنيين أمس في قصف"))
    assert isinstance(mention.value, dict)
    assert mention.value["start"] is None
    assert mention.value["end"] is None
    assert mention.value["unresolved"] is True
    assert mention.value["precision"] == "week"


def test_dateline_date_anchors_relatives_when_metadata_has_none(pipeline: Pipeline) -> None:
    doc = run(pipeline, "دمشق 10 آب 2015 (رويترز) - قتل ثلاثة مدنيين أمس في قصف على المدينة.")
    yesterday = [m for m in doc.mentions_of("date") if doc.text[m.start : m.end] == "أمس"]
    assert len(yesterday) == 1
    assert isinstance(yesterday[0].value, dict)
    assert yesterday[0].value["start"] == "2015-08-09"
    assert yesterday[0].value["anchor"] == "text"


@pytest.mark.parametrize(
    "text",
    [
        "سيطر نحو 1500 مقاتل على المدينة",
        "سقط 8 آلاف قتيل في المعارك",
        "قال رجب إن القصف توقف",
        "ومارس الجيش ضغوطا على السكان",
        "فاز الفريق 2-1 في المباراة",
        "و ب ل 3",
        "صدر القانون رقم 45/2015 بعد نقاش طويل",
        "قضى 3 أيام و4 أسابيع في الأسر",
        "قتل أب لخمسة أطفال في القصف",
        "سقطت القذيفة قرب باب المسجد",
    ],
    ids=[
        "approx-count",
        "thousands",
        "rajab-name",
        "marasa-verb",
        "score",
        "lone-letters",
        "law-number",
        "compound-duration",
        "father-reads-as-ab",
        "door-reads-as-bi-ab",
    ],
)
def test_numbers_and_names_are_not_dates(pipeline: Pipeline, text: str) -> None:
    assert dates(run(pipeline, text, published="2015-08-10")) == []


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "calendar"),
    [
        ("في 15 رمضان 1436 هـ", "2015-07-02", "2015-07-02", "day", "hijri"),
        ("خلال شهر رجب 1436", "2015-04-20", "2015-05-18", "month", "hijri"),
        ("في عام 1419 هـ", "1998-04-27", "1999-04-16", "year", "hijri"),
        ("الجمعة الموافق 1436/10/15 هـ", "2015-07-31", "2015-07-31", "day", "hijri"),
        ("بتاريخ 15/10/1436", "2015-07-31", "2015-07-31", "day", "hijri"),
    ],
    ids=["hijri-day", "hijri-month", "hijri-year", "numeric-ymd-h", "numeric-dmy-hijri-range"],
)
def test_hijri_dates_convert_with_umm_al_qura(
    pipeline: Pipeline, text: str, start: str, end: str, precision: str, calendar: str
) -> None:
    mention = only(run(pipeline, text))
    assert isinstance(mention.value, dict)
    value = mention.value
    assert (value["start"], value["end"], value["precision"], value["calendar"]) == (
        start,
        end,
        precision,
        calendar,
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("من 8 إلى 15 آب/أغسطس 1998", "1998-08-08", "1998-08-15", "week"),
        ("بين 8 و12 آب 1998", "1998-08-08", "1998-08-12", "week"),
        ("بين عامي 2011 و2014", "2011-01-01", "2014-12-31", "year"),
        ("منتصف آذار 2013", "2013-03-11", "2013-03-20", "month"),
        ("من 20 كانون الأول 2014 حتى 5 كانون الثاني", "2014-12-20", "2015-01-05", "month"),
        ("من 2 أكتوبر إلى 22 أكتوبر 2015", "2015-10-02", "2015-10-22", "month"),
        ("أوائل عام 2013", "2013-01-01", "2013-04-30", "month"),
        ("في التسعينيات من القرن الماضي", "1990-01-01", "1999-12-31", "decade"),
    ],
    ids=[
        "day-range",
        "between-days",
        "year-range",
        "mid-month",
        "range-end-takes-start-year",
        "range-start-takes-end-year",
        "early-year",
        "decade",
    ],
)
def test_ranges_and_fuzzy_parts(
    pipeline: Pipeline, text: str, start: str, end: str, precision: str
) -> None:
    mention = only(run(pipeline, text))
    assert isinstance(mention.value, dict)
    assert (mention.value["start"], mention.value["end"], mention.value["precision"]) == (
        start,
        end,
        precision,
    )


def test_weekday_that_does_not_match_the_date_is_flagged(pipeline: Pipeline) -> None:
    doc = run(pipeline, "وقع الهجوم يوم الخميس 6 أغسطس 2015")  # a Thursday: no flag
    assert doc.flags == []
    doc = run(pipeline, "وقع الهجوم يوم الجمعة 6 أغسطس 2015")
    assert [f.kind for f in doc.flags] == ["weekday_mismatch"]
    assert only(doc).value["start"] == "2015-08-06"  # type: ignore[index]


@pytest.mark.parametrize("text", ["في 31 شباط 2015", "بتاريخ 99/99/9999"], ids=["feb-31", "nines"])
def test_impossible_dates_are_flagged_not_mentioned(pipeline: Pipeline, text: str) -> None:
    doc = run(pipeline, text)
    assert doc.mentions_of("date") == []
    assert [f.kind for f in doc.flags] == ["impossible_date"]


def test_day_and_month_without_year_take_the_latest_year_before_publication(
    pipeline: Pipeline,
) -> None:
    mention = only(run(pipeline, "وقع الهجوم في 28 كانون الأول", published="2015-01-05"))
    assert isinstance(mention.value, dict)
    assert mention.value["start"] == "2014-12-28"
    assert mention.value["timex"] == "XXXX-12-28"


def test_mention_spans_point_into_the_original_text(pipeline: Pipeline) -> None:
    text = "وفي يومِ الأحدِ ٨ آبَ ١٩٩٨ دخلت القوات"
    mention = only(run(pipeline, text))
    assert text[mention.start : mention.end] == "الأحدِ ٨ آبَ ١٩٩٨"
    assert mention.by == "dates.day_month"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Fighters entered the city on 8 August 1998.", "1998-08-08", "1998-08-08"),
        ("Fighters entered the city on August 8, 1998.", "1998-08-08", "1998-08-08"),
        ("Three civilians were killed yesterday.", "2015-08-09", "2015-08-09"),
        ("Shelling continued last week.", "2015-08-03", "2015-08-09"),
        ("More than 200,000 people have been killed since 2011.", "2011-01-01", "2011-12-31"),
        ("The alliance was formed in late September 1995.", "1995-09-21", "1995-09-30"),
    ],
    ids=["day-month-year", "month-day-year", "yesterday", "last-week", "since-year", "late-month"],
)
def test_english_reports_get_dates_too(pipeline: Pipeline, text: str, start: str, end: str) -> None:
    mention = only(run(pipeline, text, published="2015-08-10", lang="en"))
    assert isinstance(mention.value, dict)
    assert (mention.value["start"], mention.value["end"]) == (start, end)


def test_dates_stage_runs_in_the_default_pipeline() -> None:
    doc = Pipeline()(Document(text="قتل ثلاثة أمس", source=Source(published=date(2015, 8, 10))))
    assert "dates" in doc.stages
    assert [m.by for m in doc.mentions_of("date")] == ["dates.relative_day"]


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("في آذار من العام الماضي", "2014-03-01", "2014-03-31", "month"),
        ("في 3 أيار العام الماضي", "2014-05-03", "2014-05-03", "day"),
        ("من 2011 إلى 2014", "2011-01-01", "2014-12-31", "year"),
        ("خلال اليومين الماضيين", "2015-08-08", "2015-08-10", "week"),
        ("ثالث ثلاثاء من شهر أيلول 2014", "2014-09-16", "2014-09-16", "day"),
        ("الاثنين الأخير من شهر آذار 2015", "2015-03-30", "2015-03-30", "day"),
        ("الأسبوع الأول من شهر تشرين الأول 2014", "2014-10-06", "2014-10-12", "week"),
        ("اليوم الأول من شهر رمضان 1436", "2015-06-18", "2015-06-18", "day"),
        ("آخر يوم من شهر شباط 2016", "2016-02-29", "2016-02-29", "day"),
        ("في عيد الأضحى 2014", "2014-10-04", "2014-10-04", "day"),
        ("صيف 2014", "2014-06-21", "2014-09-22", "month"),
        ("خلال شهر رمضان 2015", "2015-06-18", "2015-07-16", "month"),
        ("من 4 إلى 22 من الشهر الماضي", "2015-07-04", "2015-07-22", "month"),
        ("في العشرين من الشهر الماضي", "2015-07-20", "2015-07-20", "day"),
        ("صباح عيد الفصح 2019", "2019-04-21", "2019-04-21", "day"),
        ("خلال النصف الأول من العام", "2015-01-01", "2015-06-30", "month"),
        ("في الربع الثالث من عام 2014", "2014-07-01", "2014-09-30", "month"),
        ("الأحد التاسع عشر من شهر نيسان 2015", "2015-04-19", "2015-04-19", "day"),
        ("في السبعينيات من القرن التاسع عشر", "1870-01-01", "1879-12-31", "decade"),
    ],
    ids=[
        "month-of-last-year",
        "day-of-last-year",
        "year-range",
        "past-two-days",
        "third-tuesday",
        "last-monday",
        "first-week",
        "first-day-hijri",
        "last-day-leap",
        "eid-al-adha",
        "summer",
        "ramadan-gregorian-year",
        "days-of-last-month",
        "day-of-last-month",
        "easter",
        "first-half-of-this-year",
        "third-quarter",
        "weekday-with-ordinal-day",
        "decade-of-named-century",
    ],
)
def test_calendar_arithmetic_families(
    pipeline: Pipeline, text: str, start: str, end: str, precision: str
) -> None:
    mention = only(run(pipeline, text, published="2015-08-10"))
    assert isinstance(mention.value, dict)
    assert (mention.value["start"], mention.value["end"], mention.value["precision"]) == (
        start,
        end,
        precision,
    )


@pytest.mark.parametrize(
    "text",
    ["اندلعت ثورات الربيع العربي", "كان رمضان في المنزل", "صفر إصابات"],
    ids=["arab-spring", "ramadan-name", "zero"],
)
def test_season_and_hijri_false_friends_alone_are_not_dates(pipeline: Pipeline, text: str) -> None:
    assert dates(run(pipeline, text, published="2015-08-10")) == []


def test_future_reading_is_available_for_scoring_forward_suites(pipeline: Pipeline) -> None:
    from rasd.recognize.dates import load_recognizer, recognize

    doc = run(pipeline, "وصل الوفد في 25 شباط", published="2013-02-12")
    recognizer = load_recognizer(pipeline.resources, "ar")
    assert recognizer is not None
    past, _ = recognize(doc, recognizer, prefer="past")
    future, _ = recognize(doc, recognizer, prefer="future")
    assert [m.value["start"] for m in past] == ["2012-02-25"]  # type: ignore[index]
    assert [m.value["start"] for m in future] == ["2013-02-25"]  # type: ignore[index]


WORDS = ["يوم", "أمس", "آب", "شباط", "1998", "٨", "/", "-", "من", "إلى", "بين", "و", "عام", "هـ"]
WORDS += ["الخميس", "الماضي", "أواخر", "رمضان", "31", "99", "الأسبوع", "الأول", "قبل", "أيام", "،"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.booleans())
def test_any_sequence_of_date_words_gives_spans_inside_the_text(
    pipeline: Pipeline, words: list[str], published: bool
) -> None:
    text = " ".join(words)
    doc = run(pipeline, text, published="2015-08-10" if published else None)
    for mention in doc.mentions_of("date"):
        assert 0 <= mention.start < mention.end <= len(text)
        assert isinstance(mention.value, dict)
        start, end = mention.value["start"], mention.value["end"]
        if isinstance(start, str) and isinstance(end, str):
            assert start <= end


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_grammar_rule_has_a_resolver(pipeline: Pipeline, lang: str) -> None:
    from rasd.recognize.dates import Resolver, load_grammar

    grammar = load_grammar(pipeline.resources, lang)
    assert grammar is not None
    missing = [name for name in grammar.rules if not hasattr(Resolver, f"rule_{name}")]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "span", "start", "end"),
    [
        ("وفي فبراير شباط خطف المسلحون عشرة", "فبراير شباط", "2015-02-01", "2015-02-28"),
        ("سقط في 8 آب أغسطس 1998 بيد الحركة", "8 آب أغسطس 1998", "1998-08-08", "1998-08-08"),
        ("تصاعدت الهجمات في رمضان على نحو لافت", "رمضان", "2015-06-18", "2015-07-16"),
        ("لم يتوقف القصف منذ آب الماضي", "منذ آب الماضي", "2014-08-01", "2014-08-31"),
    ],
    ids=["juxtaposed-pair", "juxtaposed-pair-with-day", "ambiguous-after-fi", "ab-with-direction"],
)
def test_month_names_paired_side_by_side_or_after_a_preposition(
    pipeline: Pipeline, text: str, span: str, start: str, end: str
) -> None:
    found = dates(run(pipeline, text, published="2015-08-10"))
    assert [(s, a, b) for s, a, b, _ in found] == [(span, start, end)]


@pytest.mark.parametrize(
    ("text", "span", "start", "end"),
    [
        (
            "وُلد في عام ألف وتسعمائة وخمسة وستين",
            "عام ألف وتسعمائة وخمسة وستين",
            "1965-01-01",
            "1965-12-31",
        ),
        (
            "وقعت المجزرة في 3 آذار ألفين وأربعة عشر",
            "3 آذار ألفين وأربعة عشر",
            "2014-03-03",
            "2014-03-03",
        ),
        (
            "تأسست في أيار من عام تسعة عشر ثمانية وأربعين",
            "أيار من عام تسعة عشر ثمانية وأربعين",
            "1948-05-01",
            "1948-05-31",
        ),
        ("انتهت الحرب عام ألفين", "عام ألفين", "2000-01-01", "2000-12-31"),
    ],
    ids=[
        "thousands-hundreds-units-tens",
        "after-a-day-and-month",
        "century-pair",
        "bare-after-cue",
    ],
)
def test_years_written_in_words(
    pipeline: Pipeline, text: str, span: str, start: str, end: str
) -> None:
    found = dates(run(pipeline, text, published="2015-08-10"))
    assert [(s, a, b) for s, a, b, _ in found] == [(span, start, end)]


@pytest.mark.parametrize(
    "text",
    [
        "تظاهر في آذار ألف شخص",
        "قتل ألفين من المدنيين",
        "أفرج عن ألف وخمسمائة معتقل",
        "خرج في آذار ألف وخمسمائة متظاهر",
    ],
    ids=["count-after-month", "bare-count", "compound-count-without-cue", "old-year-after-month"],
)
def test_number_words_without_a_year_cue_are_counts(pipeline: Pipeline, text: str) -> None:
    found = dates(run(pipeline, text, published="2015-08-10"))
    assert all(not s.endswith(("ألف", "ألفين", "معتقل")) for s, _, _, _ in found), found
    assert [a for _, a, _, _ in found if a and a < "1900"] == []


@pytest.mark.parametrize(
    ("text", "span", "start", "end"),
    [
        ("تستمر الحملة بقية الأسبوع", "بقية الأسبوع", "2015-08-10", "2015-08-16"),
        ("يتواصل الحصار باقي هذا الشهر", "باقي هذا الشهر", "2015-08-10", "2015-08-31"),
        ("قتل 40 مدنيا في آخر 3 أيام", "آخر 3 أيام", "2015-08-07", "2015-08-10"),
        ("يتوقع القتال خلال الأيام 3 القادمة", "خلال الأيام 3 القادمة", "2015-08-11", "2015-08-13"),
        ("تصاعد القصف في أواخر تموز", "في أواخر تموز", "2015-07-21", "2015-07-31"),
        (
            "تجري المحادثات الأسبوع المقبل بين الثلاثاء والخميس",
            "الأسبوع المقبل بين الثلاثاء والخميس",
            "2015-08-18",
            "2015-08-20",
        ),
    ],
    ids=[
        "rest-of-week",
        "rest-of-this-month",
        "last-n-days",
        "counted-span-with-digits",
        "fi-joins-a-fuzzy-part",
        "weekdays-of-a-week",
    ],
)
def test_periods_around_the_anchor(
    pipeline: Pipeline, text: str, span: str, start: str, end: str
) -> None:
    found = dates(run(pipeline, text, published="2015-08-10"))
    assert [(s, a, b) for s, a, b, _ in found] == [(span, start, end)]


@pytest.mark.parametrize(
    ("text", "span", "start"),
    [
        ("وصل الوفد في 27.", "27", "2015-07-27"),
        ("وصل الوفد في الثاني.", "الثاني", "2015-08-02"),
        ("قال الجيش إنه سيعود يوم الأحد السادس", "الأحد", "2015-08-09"),
        ("تنتهي المهلة الأحد السادس عشر", "الأحد السادس عشر", "2015-08-16"),
        ("بدأت العملية في هذا اليوم", "اليوم", "2015-08-10"),
        ("عاد الوفد في 22-4.", "22-4", "2015-04-22"),
    ],
    ids=[
        "day-number-closing-a-sentence",
        "day-ordinal-closing-a-sentence",
        "small-ordinal-after-weekday-stays-out",
        "teen-ordinal-after-weekday-is-the-day",
        "demonstrative-before-today-stays-out",
        "day-dash-month-closing-a-clause",
    ],
)
def test_day_of_month_words_and_their_boundaries(
    pipeline: Pipeline, text: str, span: str, start: str
) -> None:
    found = dates(run(pipeline, text, published="2015-08-10"))
    assert [(s, a) for s, a, _, _ in found] == [(span, start)]


@pytest.mark.parametrize(
    "text",
    ["ارتفع عدد القتلى إلى 27.", "وقعت في 2-3 هجمات انتحارية", "ارتفعت الأسعار في 4.22 %"],
    ids=["count-after-ila", "range-of-counts", "percent"],
)
def test_counts_closing_a_sentence_are_not_days(pipeline: Pipeline, text: str) -> None:
    assert dates(run(pipeline, text, published="2015-08-10")) == []


def test_year_cue_after_since_is_the_year_not_a_year_ago(pipeline: Pipeline) -> None:
    found = dates(run(pipeline, "ومنذ عام 2009 قتل الآلاف", published="2015-08-10"))
    assert found == [("منذ عام 2009", "2009-01-01", "2009-12-31", "year")]


@pytest.mark.parametrize(
    ("text", "span", "start"),
    [
        ("اعتقل المشتبه به بعد يومين من الهجوم", "بعد يومين", None),
        ("جرت الانتخابات قبل أربعة أشهر على الانسحاب", "قبل أربعة أشهر", None),
        ("خطف الصحفي قبل يومين من قبل مسلحين", "قبل يومين", "2015-08-08"),
        ("قتل منذ 14 عاما من النزاع", "منذ 14 عاما", "2001-08-10"),
    ],
    ids=["after-an-event", "before-an-event", "passive-agent-min-qibal", "since-counts-back"],
)
def test_offsets_tied_to_another_event_stay_open(
    pipeline: Pipeline, text: str, span: str, start: str | None
) -> None:
    found = dates(run(pipeline, text, published="2015-08-10"))
    assert [(s, a) for s, a, _, _ in found] == [(span, start)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("في كانون الثاني - يناير قتل خمسة", "كانون الثاني - يناير"),
        ("الأحد 9 أغسطس/ آب وقتل خمسة", "الأحد 9 أغسطس/ آب"),
    ],
    ids=["dash-pair", "slash-pair-with-space"],
)
def test_a_paired_month_span_ends_at_the_second_name(
    pipeline: Pipeline, text: str, span: str
) -> None:
    assert [s for s, _, _, _ in dates(run(pipeline, text, published="2015-08-10"))] == [span]
