"""The dates stage: month names in every set, relatives anchored on publication, ranges, checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

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
        ("يوم 8 آب/أغسطس 1998", "1998-08-08", "1998-08-08", "day"),
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


def test_since_is_marked_on_the_value(pipeline: Pipeline) -> None:
    mention = only(run(pipeline, "تشكل التحالف منذ العام 1996 ضد الحركة"))
    assert isinstance(mention.value, dict)
    assert mention.value["mod"] == "since"


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
        ("قتل ثلاثة مدنيين اليوم (الاثنين) في قصف", "2015-08-10", "2015-08-10", "today"),
        ("قتل ثلاثة مدنيين الليلة الماضية في قصف", "2015-08-09", "2015-08-10", "last_night"),
        ("قتل ثلاثة مدنيين الخميس الماضي في قصف", "2015-08-06", "2015-08-06", "weekday_last"),
        ("قتل ثلاثة مدنيين يوم السبت في قصف", "2015-08-08", "2015-08-08", "weekday"),
        ("قتل ثلاثة مدنيين قبل ثلاثة أيام في قصف", "2015-08-07", "2015-08-07", "ago_3_day"),
        ("قتل ثلاثة مدنيين الأسبوع الماضي في قصف", "2015-08-03", "2015-08-09", "week_-1"),
        ("قتل ثلاثة مدنيين الشهر الماضي في قصف", "2015-07-01", "2015-07-31", "month_-1"),
        ("قتل ثلاثة مدنيين العام الماضي في قصف", "2014-01-01", "2014-12-31", "year_-1"),
    ],
    ids=[
        "yesterday",
        "day-before-yesterday",
        "today-with-weekday",
        "last-night",
        "last-thursday",
        "bare-weekday",
        "three-days-ago",
        "last-week",
        "last-month",
        "last-year",
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
    ],
    ids=["approx-count", "thousands", "rajab-name", "marasa-verb", "score"],
)
def test_numbers_and_names_are_not_dates(pipeline: Pipeline, text: str) -> None:
    assert dates(run(pipeline, text, published="2015-08-10")) == []


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "calendar"),
    [
        ("في 15 رمضان 1436 هـ", "2015-07-02", "2015-07-02", "day", "hijri"),
        ("خلال شهر رجب 1436", "2015-04-20", "2015-05-18", "month", "hijri"),
        ("في عام 1419 هـ", "1998-04-27", "1999-04-16", "year", "hijri"),
    ],
    ids=["hijri-day", "hijri-month", "hijri-year"],
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
        ("أوائل عام 2013", "2013-01-01", "2013-04-30", "month"),
        ("في التسعينيات من القرن الماضي", "1990-01-01", "1999-12-31", "decade"),
    ],
    ids=["day-range", "between-days", "year-range", "mid-month", "early-year", "decade"],
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
        ("The alliance was formed in late September 1995.", "1995-09-21", "1995-09-30"),
    ],
    ids=["day-month-year", "month-day-year", "yesterday", "last-week", "late-month"],
)
def test_english_reports_get_dates_too(pipeline: Pipeline, text: str, start: str, end: str) -> None:
    mention = only(run(pipeline, text, published="2015-08-10", lang="en"))
    assert isinstance(mention.value, dict)
    assert (mention.value["start"], mention.value["end"]) == (start, end)


def test_dates_stage_runs_in_the_default_pipeline() -> None:
    doc = Pipeline()(Document(text="قتل ثلاثة أمس", source=Source(published=date(2015, 8, 10))))
    assert "dates" in doc.stages
    assert [m.by for m in doc.mentions_of("date")] == ["dates.relative_day"]
