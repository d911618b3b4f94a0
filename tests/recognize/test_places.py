from __future__ import annotations

from pathlib import Path

import pytest
import regex

from rasd.document import Document, Mention
from rasd.gazetteer.keys import MATCH_TABLE
from rasd.pipeline import Pipeline, make_document
from rasd.recognize.places import _hit_kind, _scan, load_place_data
from rasd.resources import Resources

EXAMPLE = Path(__file__).parents[2] / "examples" / "mazar-i-sharif-1998.ar.txt"

# The 80 most frequent place names in conflict articles (docs arabic-news-patterns.md §4).
TOP_80 = [
    "عدن", "اليمن", "إيران", "العراق", "سوريا", "السعودية", "تركيا", "الولايات المتحدة", "عسير",
    "مصر", "تعز", "ليبيا", "صنعاء", "سورية", "الرياض", "لحج", "إسرائيل", "واشنطن", "تونس", "أبين",
    "طهران", "الكويت", "بغداد", "البحرين", "القاهرة", "أفغانستان", "روسيا", "أنقرة", "الأنبار",
    "لبنان", "الرمادي", "باكستان", "دمشق", "أبها", "حلب", "الأردن", "الضالع", "سيناء", "مأرب",
    "الموصل", "بريطانيا", "فرنسا", "الإمارات", "الزبداني", "أمريكا", "غزة", "الصين", "الحديدة",
    "جدة", "زنجبار", "إسطنبول", "الضفة الغربية", "دوما", "الفلوجة", "أميركا", "القدس", "الهند",
    "نيجيريا", "حجة", "جازان", "درعا", "إدلب", "ألمانيا", "الرقة", "الدمام", "فلسطين", "لندن",
    "الجزائر", "اللاذقية", "عمان", "التواهي", "بنغازي", "صعدة", "شبوة", "الكاميرون", "القطيف",
    "كوباني", "كينيا", "الحسكة", "بيروت",
]  # fmt: skip


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(["normalize", "segment", "places"])


def places(pipeline: Pipeline, text: str, lang: str | None = None) -> list[Mention]:
    return pipeline(make_document(text, lang=lang)).mentions_of("place")


def covering(doc_text: str, mentions: list[Mention], name: str) -> Mention:
    found = [m for m in mentions if name in doc_text[m.start : m.end]]
    assert found, (
        f"no place mention covers {name!r}: {[doc_text[m.start : m.end] for m in mentions]}"
    )
    return found[0]


@pytest.fixture(scope="module")
def example(pipeline: Pipeline) -> Document:
    return pipeline(make_document(EXAMPLE.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("name", "english", "country", "feature", "precision"),
    [
        ("كابل", "Kabul", "AF", "city", "city"),
        ("قندهار", "Kandahar", "AF", "city", "city"),
        ("هرات", "Herat", "AF", "city", "city"),
        ("مزار شريف", "Mazar-e Sharif", "AF", "city", "city"),
        ("ولاية بلخ", "Balkh", "AF", "admin1", "admin1"),
        ("هندو كوش", "Hindu Kush", "AF", "mountain", "region"),
        ("أفغانستان", "Afghanistan", "AF", "country", "country"),
        ("الإيرانية", "Iran", "IR", "country", "country"),
    ],
    ids=["kabul", "kandahar", "herat", "mazar", "balkh", "hindu-kush", "afghanistan", "iran"],
)
def test_example_report_resolves_its_places(
    example: Document, name: str, english: str, country: str, feature: str, precision: str
) -> None:
    value = covering(example.text, example.mentions_of("place"), name).value
    assert isinstance(value, dict)
    assert (value["name"], value["country"], value["feature"], value["precision"]) == (
        english,
        country,
        feature,
        precision,
    )


def test_mazar_i_sharif_lies_in_balkh_with_geonames_coordinates(example: Document) -> None:
    value = covering(example.text, example.mentions_of("place"), "مزار شريف").value
    assert isinstance(value, dict)
    assert value["admin1"] == "Balkh"
    assert value["geonames_id"] == 1133616
    assert abs(value["lat"] - 36.709) < 0.01
    assert abs(value["lon"] - 67.11) < 0.01


def test_example_report_has_no_place_outside_afghanistan_and_iran(example: Document) -> None:
    countries = {
        m.value["country"] for m in example.mentions_of("place") if isinstance(m.value, dict)
    }
    assert countries == {"AF", "IR"}


def test_every_choice_carries_evidence_and_a_rule(example: Document) -> None:
    for mention in example.mentions_of("place"):
        assert isinstance(mention.value, dict)
        assert mention.value["evidence"]
        assert mention.by.startswith("places.")


@pytest.mark.parametrize("name", TOP_80, ids=range(len(TOP_80)))
def test_frequent_news_place_names_resolve(pipeline: Pipeline, name: str) -> None:
    text = f"وقع الهجوم في {name} صباح اليوم."
    value = covering(text, places(pipeline, text), name).value
    assert isinstance(value, dict)
    assert value["country"]
    assert value["lat"] is not None


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("أعلنت إيران أمس عن مناورات.", "إيران", "IR"),
        ("وصل الوفد إلى عمان قادما من دمشق.", "عمان", "OM"),
        ("اجتمع الوزراء في القاهرة.", "القاهرة", "EG"),
    ],
    ids=["iran-not-iraan-texas", "oman-by-default", "cairo-not-cairo-illinois"],
)
def test_countries_and_capitals_beat_homonymous_towns(
    pipeline: Pipeline, text: str, name: str, country: str
) -> None:
    value = covering(text, places(pipeline, text), name).value
    assert isinstance(value, dict)
    assert value["country"] == country


@pytest.mark.parametrize(
    ("text", "name", "english"),
    [
        ("قصفت الطائرات مواقع بالموصل أمس.", "الموصل", "Mosul"),
        ("وصلت تعزيزات للفلوجة.", "فلوجة", "Fallujah"),
        ("سقطت قذائف على بلخ.", "بلخ", "Balkh"),
        ("اشتباكات في بنغازي.", "بنغازي", "Benghazi"),
        ("وتقدمت القوات في لحج.", "لحج", "Lahij"),
    ],
    ids=["bi-al", "lil", "balkh-unstripped", "benghazi-unstripped", "lahij-unstripped"],
)
def test_proclitics_are_stripped_but_names_starting_with_clitic_letters_stay_whole(
    pipeline: Pipeline, text: str, name: str, english: str
) -> None:
    value = covering(text, places(pipeline, text), name).value
    assert isinstance(value, dict)
    assert english.lower()[:4] in value["name"].lower()


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("قُتل مدنيون في مَزَارِ شَرِيف.", "مَزَارِ شَرِيف"),
        ("قتل مدنيون في مـزار شـريـف.", "مـزار شـريـف"),
        ("قتل مدنيون في \u200fمزار شريف\u200f.", "مزار شريف"),
        ("قتل مدنيون في مزار شریف.", "مزار شریف"),
        ("قتل مدنيون في مدينة Mazar-i-Sharif شمال البلاد.", "مدينة Mazar-i-Sharif"),
        ("قتل مدنيون في مزار الشريف.", "مزار الشريف"),
    ],
    ids=["diacritics", "tatweel", "bidi-marks", "persian-yeh", "latin-transliteration", "article"],
)
def test_bad_input_still_finds_mazar_i_sharif(pipeline: Pipeline, text: str, span: str) -> None:
    found = [m for m in places(pipeline, text) if isinstance(m.value, dict)]
    assert [m.value["geonames_id"] for m in found if isinstance(m.value, dict)] == [1133616]
    assert text[found[0].start : found[0].end] == span


def test_english_text_resolves_english_names(pipeline: Pipeline) -> None:
    text = "Taliban fighters entered Mazar-i-Sharif, the capital of Balkh province, in 1998."
    mentions = places(pipeline, text, lang="en")
    found = [(m.value["name"], m.value["feature"]) for m in mentions if isinstance(m.value, dict)]
    assert found[:2] == [("Mazar-e Sharif", "city"), ("Balkh", "admin1")]


def test_english_names_units_and_relations() -> None:
    pipeline = Pipeline(["normalize", "segment", "places"])
    text = "Fighting in Balkh province and north of Kabul; shelling near Aleppo in Syria."
    doc = pipeline(make_document(text, lang="en"))
    found = [
        (text[m.start : m.end], m.value["feature"], m.value["relation"])
        for m in doc.mentions_of("place")
        if isinstance(m.value, dict)
    ]
    assert found == [
        ("Balkh province", "admin1", None),
        ("north of Kabul", "city", "north_of"),
        ("near Aleppo", "city", "near"),
        ("Syria", "country", None),
    ]


@pytest.mark.parametrize(
    ("text", "name", "relation", "precision"),
    [
        ("انفجار شمال شرق كابل.", "كابل", "northeast_of", "city"),
        ("سقطت قذيفة على بعد 20 كلم من حلب.", "حلب", "distance_from", "city"),
        ("سقطت قذيفة على بعد 60 كلم من حلب.", "حلب", "distance_from", "admin2"),
        ("معارك عنيفة في ريف إدلب.", "إدلب", "countryside_of", "region"),
        ("اشتباكات بالقرب من الرمادي.", "الرمادي", "near", "city"),
        ("انفجار وسط مدينة غزة.", "غزة", "centre_of", "city"),
        ("غارات جنوب شرقي تركيا.", "تركيا", "southeast_of", "region"),
        ("قصف شمال محافظة إدلب.", "إدلب", "north_of", "region"),
    ],
    ids=[
        "northeast-of-a-town",
        "distance-within-25-km",
        "distance-beyond-25-km",
        "countryside",
        "near-a-town",
        "centre-keeps-precision",
        "part-of-a-country",
        "part-of-a-province",
    ],
)
def test_relative_descriptions_lower_the_anchor_precision(
    pipeline: Pipeline, text: str, name: str, relation: str, precision: str
) -> None:
    value = covering(text, places(pipeline, text), name).value
    assert isinstance(value, dict)
    assert (value["relation"], value["precision"]) == (relation, precision)


def test_distance_is_recorded(pipeline: Pipeline) -> None:
    text = "سقطت قذيفة على بعد 20 كلم من حلب."
    value = covering(text, places(pipeline, text), "حلب").value
    assert isinstance(value, dict)
    assert value["distance_km"] == 20.0


def test_cue_word_fixes_the_feature_type(pipeline: Pipeline) -> None:
    text = "سيطرت القوات على محافظة إدلب بعد أن دخلت مدينة إدلب."
    values = [m.value for m in places(pipeline, text) if isinstance(m.value, dict)]
    assert [(v["feature"], v["precision"]) for v in values] == [
        ("admin1", "admin1"),
        ("city", "city"),
    ]


def test_stated_containment_picks_the_place_in_that_province(pipeline: Pipeline) -> None:
    text = "قتل ثلاثة في مدينة مزار شريف عاصمة ولاية بلخ."
    values = [m.value for m in places(pipeline, text) if isinstance(m.value, dict)]
    mazar = values[0]
    assert mazar["admin1"] == "Balkh"
    assert any("containment" in str(e) for e in mazar["evidence"])


def test_village_needs_a_cue_word(pipeline: Pipeline) -> None:
    with_cue = "قصفت الطائرات قرية تلدو في ريف حمص."
    without = "قال تلدو إن الوضع هادئ."
    assert any("تلدو" in with_cue[m.start : m.end] for m in places(pipeline, with_cue)), (
        "the cue «قرية» should let the village through"
    )
    assert not any("تلدو" in without[m.start : m.end] for m in places(pipeline, without))


@pytest.mark.parametrize(
    "text",
    ["رفض الاتفاق بحجة الأمن.", "كان الجو باردا بين الجبال أمس.", "قالت أمل إن السلام قريب."],
    ids=["bihujja-pretext", "function-words", "person-name-and-noun"],
)
def test_common_words_are_not_places(pipeline: Pipeline, text: str) -> None:
    assert places(pipeline, text) == []


def test_hajjah_with_a_cue_word_is_the_governorate(pipeline: Pipeline) -> None:
    text = "غارات على محافظة حجة."
    value = covering(text, places(pipeline, text), "حجة").value
    assert isinstance(value, dict)
    assert (value["country"], value["feature"]) == ("YE", "admin1")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("قالت الوزارة في بيان إن الوضع هادئ.", "يان"),
        ("فجر انتحاري نفسه في العاصمة الأفغانية اليوم.", "اليوم"),
        ("انفجرت عبوة في ميدان قرب المحكمة.", "ميدان"),
    ],
    ids=["statement-is-not-b-plus-yanan", "today-after-capital-and-adjective", "square-not-medan"],
)
def test_common_words_are_no_places(pipeline: Pipeline, text: str, word: str) -> None:
    assert not [m for m in places(pipeline, text) if word in text[m.start : m.end]]


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("فجر انتحاري نفسه في العاصمة الأفغانية صباح اليوم.", "Kabul"),
        ("تظاهر المئات في العاصمة اليمنية أمس.", "Sanaa"),
        ("انفجرت سيارة مفخخة في العاصمة العراقية بغداد.", "Baghdad"),
    ],
    ids=["afghan-capital", "yemeni-capital", "name-after-the-adjective"],
)
def test_the_capital_named_by_its_adjective(pipeline: Pipeline, text: str, english: str) -> None:
    capital = covering(text, places(pipeline, text), "العاصمة")
    assert isinstance(capital.value, dict)
    assert (capital.value["name"], capital.value["precision"]) == (english, "city")


def test_a_bordering_country_is_a_neighbour_not_the_scene(pipeline: Pipeline) -> None:
    text = "هاجم مسلحون قرية في شمال الكاميرون المتاخمة لنيجيريا."
    value = covering(text, places(pipeline, text), "نيجيريا").value
    assert isinstance(value, dict)
    assert (value["country"], value["relation"]) == ("NG", "border_of")


def test_a_relation_after_the_name_says_where_it_lies(pipeline: Pipeline) -> None:
    # A province named earlier in the report holds a village of the same name; the direction
    # and the city right after the name place it in the capital instead.
    text = "قتل جنديان في محافظة ديالى أمس. وانفجرت عبوة ناسفة في منطقة الدورة جنوبي بغداد."
    value = covering(text, places(pipeline, text), "الدورة").value
    assert isinstance(value, dict)
    assert (value["name"], value["admin1"]) == ("Dora", "Baghdad")
    assert "located_by +4.0" in value["evidence"]


def test_a_district_is_placed_at_its_seat_town(pipeline: Pipeline) -> None:
    text = "سيطر مسلحون على قضاء البعاج في محافظة نينوى العراقية."
    value = covering(text, places(pipeline, text), "البعاج").value
    assert isinstance(value, dict)
    assert (value["feature"], value["precision"]) == ("admin2", "admin2")
    assert abs(value["lat"] - 36.04) < 0.01  # the town; the district's own point is at 35.64
    assert any("seat town" in str(e) for e in value["evidence"])


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("قصفت الطائرات مواقع في دار سعد، وقال سكان في مدينة عدن إن القصف استمر.", "city"),
        ("قصفت الطائرات مواقع في مديرية دار سعد، وقال سكان في مدينة عدن إن القصف استمر.", "admin2"),
    ],
    ids=["bare-quarter-of-the-city", "with-the-unit-word"],
)
def test_a_district_named_bare_near_its_city_is_coded_as_the_city(
    pipeline: Pipeline, text: str, precision: str
) -> None:
    value = covering(text, places(pipeline, text), "دار سعد").value
    assert isinstance(value, dict)
    assert (value["feature"], value["precision"]) == ("admin2", precision)


def test_the_scan_finds_every_name_a_search_of_all_word_spans_finds(example: Document) -> None:
    """The per-word plans and phrase prefixes lose nothing against trying every span."""
    data = load_place_data(Resources(), "ar")
    assert example.normalized is not None
    text = example.normalized.text.translate(MATCH_TABLE) + " في مزار شريف وبمزار شريف"
    spans = [m.span() for m in regex.finditer(r"\w+", text)]
    expected = set()
    for index, (word_start, word_end) in enumerate(spans):
        for length in range(5):
            prefix = text[word_start : word_start + length]
            if length and (prefix not in data.proclitics or length >= word_end - word_start):
                continue
            start = word_start + length
            for _, end in spans[index : index + 9]:
                key_id = data.gazetteer.ids.get(text[start:end])
                if key_id is None:
                    continue
                _, _, demonym, name = _hit_kind(text[start:end], prefix, key_id, data)
                if demonym or name:
                    expected.add((start, end))
    found = {(hit.start, hit.end) for hit in _scan(text, data)[0]}
    assert len(expected) > 20
    assert found == expected
