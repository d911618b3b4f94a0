"""Assembly: events from trigger, date, place, actor and claim mentions.

Date, place and claim mentions are built here by hand, in the shapes of docs/mentions.md, so the
assembly rules are tested on their own; the full pipeline on the example report follows at the end.
"""

from datetime import date

import pytest

from rasd.document import Document, Mention, Source
from rasd.jsontypes import JSONObject
from rasd.pipeline import Pipeline
from rasd.records import EventRecord

KABUL: JSONObject = {
    "name": "Kabul",
    "country": "AF",
    "admin1": "Kabul",
    "lat": 34.528,
    "lon": 69.172,
    "precision": "city",
    "geonames_id": 1138958,
}
MAZAR: JSONObject = {
    "name": "Mazar-i-Sharif",
    "country": "AF",
    "admin1": "Balkh",
    "lat": 36.709,
    "lon": 67.110,
    "precision": "city",
    "geonames_id": 1133453,
}


def at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def date_value(start: str, end: str, precision: str) -> JSONObject:
    return {
        "start": start,
        "end": end,
        "precision": precision,
        "calendar": "gregorian",
        "relative": None,
        "anchor": None,
        "unresolved": False,
    }


def claim_value(
    quantity: str,
    low: int | None,
    best: int | None,
    high: int | None,
    qualifier: str,
    attributed_to: str | None = None,
) -> JSONObject:
    return {
        "quantity": quantity,
        "low": low,
        "best": best,
        "high": high,
        "qualifier": qualifier,
        "victims": None,
        "victims_span": None,
        "attributed_to": attributed_to,
        "attribution_span": None,
        "parts": [],
        "derivation": None,
        "number_span": None,
    }


def run(
    text: str, extra: list[tuple[str, str, int, JSONObject]], published: date | None = None
) -> list[EventRecord]:
    """Run the stages with hand-made mentions: (kind, phrase, nth occurrence, value)."""
    doc = Pipeline(["normalize", "segment", "actors"])(
        Document(text, source=Source(published=published))
    )
    for kind, phrase, nth, value in extra:
        start, end = at(text, phrase, nth)
        doc.mentions.append(Mention(kind, start, end, value, f"test.{kind}"))
    return Pipeline(["normalize", "segment", "events"])(doc).events


TWO_EVENTS = (
    "قصفت طائرات التحالف مواقع للمسلحين في كابل يوم 3 مارس، ما أسفر عن مقتل 12 مسلحا. "
    "وفي حادث آخر، انفجرت عبوة ناسفة في مزار شريف أمس.\n"
    "وقال مسؤول إن حصيلة قصف كابل ارتفعت إلى 15 قتيلا."
)


@pytest.fixture(scope="module")
def two_events() -> list[EventRecord]:
    return run(
        TWO_EVENTS,
        [
            ("place", "كابل", 0, KABUL),
            ("date", "يوم 3 مارس", 0, date_value("2015-03-03", "2015-03-03", "day")),
            ("claim", "مقتل 12 مسلحا", 0, claim_value("fatalities", 12, 12, 12, "exact")),
            ("place", "مزار شريف", 0, MAZAR),
            ("date", "أمس", 0, date_value("2015-03-04", "2015-03-04", "day")),
            ("place", "كابل", 1, KABUL),
            ("claim", "15 قتيلا", 0, claim_value("fatalities", 15, 15, 15, "exact", "official")),
        ],
    )


def test_distinct_events_stay_distinct(two_events: list[EventRecord]) -> None:
    assert [(e.sub_event_type, e.location and e.location.name) for e in two_events] == [
        ("Air/drone strike", "Kabul"),
        ("Remote explosive/landmine/IED", "Mazar-i-Sharif"),
    ]


def test_later_paragraph_adds_its_claim_to_the_same_event(two_events: list[EventRecord]) -> None:
    strike = two_events[0]
    assert [c.best for c in strike.claims] == [12, 15]
    assert (strike.fatalities.low, strike.fatalities.best, strike.fatalities.high) == (12, 12, 15)


def test_every_field_has_evidence_with_its_rule(two_events: list[EventRecord]) -> None:
    fields = {(e.field, e.by) for e in two_events[0].evidence}
    assert ("date", "events.date_sentence") in fields
    assert ("location", "events.place_sentence") in fields
    assert ("event_type", "events.trigger") in fields


def test_conflicting_figures_are_flagged(two_events: list[EventRecord]) -> None:
    assert [f.kind for f in two_events[0].flags] == ["figure_conflict"]


def test_place_stated_once_governs_the_next_sentences() -> None:
    text = "شهدت مدينة كابل توترا أمنيا. وانفجرت سيارة مفخخة قرب السوق."
    events = run(text, [("place", "كابل", 0, KABUL)])
    assert events[0].location is not None
    assert events[0].location.name == "Kabul"
    assert ("location", "events.place_governing") in {(e.field, e.by) for e in events[0].evidence}


def test_undated_event_takes_the_days_before_publication() -> None:
    events = run("انفجرت عبوة ناسفة في سوق شعبي.", [], published=date(2015, 7, 20))
    assert (events[0].date_start, events[0].date_end, events[0].date_precision) == (
        date(2015, 7, 18),
        date(2015, 7, 20),
        "week",
    )


def test_vague_figure_is_a_low_bound_only() -> None:
    text = "أعدم المسلحون المئات من المدنيين."
    events = run(
        text, [("claim", "المئات", 0, claim_value("fatalities", 100, None, None, "vague"))]
    )
    assert (events[0].fatalities.low, events[0].fatalities.best, events[0].fatalities.high) == (
        100,
        100,
        None,
    )


def test_year_only_date_is_flagged() -> None:
    text = "اقتحمت القوات المدينة عام 1998 وقتلت العشرات."
    events = run(text, [("date", "عام 1998", 0, date_value("1998-01-01", "1998-12-31", "year"))])
    assert events[0].date_precision == "year"
    assert [f.kind for f in events[0].flags] == ["year_only"]


# --- the example report (examples/mazar-i-sharif-1998.ar.txt) -----------------------------------


@pytest.fixture(scope="module")
def mazar_events(mazar_text: str) -> list[EventRecord]:
    return Pipeline()(Document(mazar_text)).events


def _by_sentence(events: list[EventRecord], phrase: str) -> EventRecord:
    for event in events:
        if any(phrase in e.span.text for e in event.evidence if e.field == "event"):
            return event
    raise AssertionError(f"no event told in a sentence with «{phrase}»")


def test_kabul_taken_by_the_taliban(mazar_events: list[EventRecord]) -> None:
    event = _by_sentence(mazar_events, "دخلت قوات طالبان العاصمة")
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert event.actor1 is not None
    assert event.actor2 is not None
    assert (event.actor1.name, event.actor2.name) == ("Taliban", "Forces of Ahmad Shah Massoud")


def test_consulate_attack_is_its_own_event(mazar_events: list[EventRecord]) -> None:
    consulate = _by_sentence(mazar_events, "القنصلية الإيرانية")
    massacre = _by_sentence(mazar_events, "أعدم أفراد حركة طالبان")
    takeover = _by_sentence(mazar_events, "تمكن عناصر حركة طالبان من دخول")
    assert len({consulate.event_id, massacre.event_id, takeover.event_id}) == 3
    assert consulate.event_type == "Violence against civilians"


def test_containers_deaths_are_their_own_event(mazar_events: list[EventRecord]) -> None:
    containers = _by_sentence(mazar_events, "حاويات مغلقة")
    assert containers.sub_event_type == "Attack"
    assert containers.actor1 is not None
    assert containers.actor1.name == "Taliban"


def test_mazar_takeover_and_its_battle_are_one_event(mazar_events: list[EventRecord]) -> None:
    entry = _by_sentence(mazar_events, "تمكن عناصر حركة طالبان من دخول")
    battle = _by_sentence(mazar_events, "لم يتمكن سوى 100 مقاتل")
    assert entry.event_id == battle.event_id
    assert entry.sub_event_type == "Non-state actor overtakes territory"


def test_headline_fall_of_mazar_joins_the_takeover(mazar_events: list[EventRecord]) -> None:
    headline = next(
        e for e in mazar_events if any(v.span.text == "سقوط مزار شريف" for v in e.evidence)
    )
    entry = _by_sentence(mazar_events, "تمكن عناصر حركة طالبان من دخول")
    assert headline.event_id == entry.event_id


def test_massacre_victims_are_the_named_communities(mazar_events: list[EventRecord]) -> None:
    massacre = _by_sentence(mazar_events, "أعدم أفراد حركة طالبان")
    assert massacre.sub_event_type == "Attack"
    assert {"Hazara", "Uzbek", "Tajik"} <= {a.name for a in massacre.assoc_actors}


def test_kabul_takeover_is_dated_late_september_1995(mazar_events: list[EventRecord]) -> None:
    event = _by_sentence(mazar_events, "دخلت قوات طالبان العاصمة")
    assert (event.date_start, event.date_end, event.date_precision) == (
        date(1995, 9, 21),
        date(1995, 9, 30),
        "month",
    )
    assert event.location is not None
    assert event.location.name == "Kabul"


def test_mazar_takeover_on_8_august_with_derived_toll(mazar_events: list[EventRecord]) -> None:
    event = _by_sentence(mazar_events, "تمكن عناصر حركة طالبان من دخول")
    assert (event.date_start, event.date_precision) == (date(1998, 8, 8), "day")
    assert event.location is not None
    assert (event.location.name, event.location.admin1) == ("Mazar-e Sharif", "Balkh")
    assert event.fatalities.best == 1400
    assert {c.best for c in event.claims} >= {1500, 100, 1400}


def test_massacre_carries_the_hrw_figure(mazar_events: list[EventRecord]) -> None:
    massacre = _by_sentence(mazar_events, "أعدم أفراد حركة طالبان")
    hrw = [c for c in massacre.claims if c.attributed_to == "Human Rights Watch"]
    assert [(c.best, c.qualifier) for c in hrw] == [(8000, "approx")]
    assert massacre.fatalities.high == 8000
    assert (100, "vague") in {(c.low, c.qualifier) for c in massacre.claims}


def test_killings_in_the_following_days_extend_the_massacre(
    mazar_events: list[EventRecord],
) -> None:
    massacre = _by_sentence(mazar_events, "أعدم أفراد حركة طالبان")
    first_day = _by_sentence(mazar_events, "واتجهوا لإطلاق النار بشكل عشوائي على المدنيين")
    assert massacre.event_id == first_day.event_id
    assert (massacre.date_start, massacre.date_end, massacre.date_precision) == (
        date(1998, 8, 8),
        date(1998, 8, 15),
        "week",
    )
    assert ("date", "events.date_extended") in {(e.field, e.by) for e in massacre.evidence}


def test_consulate_toll_is_eleven_with_a_breakdown(mazar_events: list[EventRecord]) -> None:
    consulate = _by_sentence(mazar_events, "القنصلية الإيرانية")
    assert consulate.fatalities.best == 11
    assert any(c.parts == [10, 1] for c in consulate.claims)


def test_containers_detentions_are_vague(mazar_events: list[EventRecord]) -> None:
    containers = _by_sentence(mazar_events, "حاويات مغلقة")
    assert [(c.quantity, c.qualifier) for c in containers.claims] == [
        ("detained", "vague"),
        ("fatalities", "vague"),
    ]


def test_containers_deaths_are_vague(mazar_events: list[EventRecord]) -> None:
    containers = _by_sentence(mazar_events, "حاويات مغلقة")
    assert any(c.quantity == "fatalities" and c.qualifier == "vague" for c in containers.claims)


# --- rules of news writing (sentences written for these tests) ----------------------------------


def test_responsibility_claim_joins_the_event_and_names_its_author() -> None:
    text = "انفجرت سيارة مفخخة قرب سوق شعبي. وأعلن تنظيم داعش مسؤوليته عن الهجوم."
    events = run(text, [])
    assert len(events) == 1
    assert events[0].actor1 is not None
    assert events[0].actor1.name == "Islamic State (IS)"


def test_pluperfect_sentence_is_background() -> None:
    text = "انفجرت عبوة ناسفة في السوق. وكان التنظيم قد نفذ هجوما انتحاريا في المدينة العام الماضي."
    events = run(text, [])
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


def test_link_line_repeating_the_headline_is_not_an_event() -> None:
    text = "انفجرت عبوة ناسفة في السوق.\nرابط الخبر: انفجار عبوة ناسفة في السوق"
    assert len(run(text, [])) == 1


def test_opener_of_another_incident_starts_a_new_event() -> None:
    text = "انفجرت عبوة ناسفة في السوق. وفي حادث آخر، انفجرت عبوة ناسفة قرب المدرسة."
    assert len(run(text, [])) == 2


def test_speaking_police_are_a_source_not_a_party() -> None:
    text = "قالت الشرطة إن مسلحين مجهولين قتلوا ثلاثة مدنيين."
    events = run(text, [])
    assert events[0].actor1 is not None
    assert events[0].actor1.name == "Unidentified armed group"
    assert events[0].sub_event_type == "Attack"


def test_protesters_are_the_actor_of_a_protest() -> None:
    events = run("خرج آلاف المتظاهرين في مظاهرة سلمية.", [])
    assert events[0].actor1 is not None
    assert (events[0].actor1.name, events[0].actor1.kind) == ("Protesters", "protesters")


def test_dateline_place_is_where_the_report_was_filed() -> None:
    text = "بيروت - وكالات\nانفجرت سيارة مفخخة في دمشق."
    beirut: JSONObject = {
        **KABUL,
        "name": "Beirut",
        "country": "LB",
        "admin1": "Beirut",
        "lat": 33.89,
        "lon": 35.50,
    }
    damascus: JSONObject = {
        **KABUL,
        "name": "Damascus",
        "country": "SY",
        "admin1": "Damascus",
        "lat": 33.51,
        "lon": 36.29,
    }
    events = run(text, [("place", "بيروت", 0, beirut), ("place", "دمشق", 0, damascus)])
    assert events[0].location is not None
    assert events[0].location.name == "Damascus"


def test_dateline_place_is_the_last_resort() -> None:
    text = "بيروت - وكالات\nانفجرت سيارة مفخخة قرب السوق."
    beirut: JSONObject = {
        **KABUL,
        "name": "Beirut",
        "country": "LB",
        "admin1": "Beirut",
        "lat": 33.89,
        "lon": 35.50,
    }
    events = run(text, [("place", "بيروت", 0, beirut)])
    assert events[0].location is not None
    assert ("location", "events.place_dateline") in {(e.field, e.by) for e in events[0].evidence}


def test_shelling_inside_a_battle_is_the_battle() -> None:
    events = run("قتل عشرة مقاتلين في اشتباكات عنيفة تخللها قصف بقذائف الهاون.", [])
    assert [(e.event_type, e.sub_event_type) for e in events] == [("Battles", "Armed clash")]


def test_date_after_a_speech_verb_dates_the_statement() -> None:
    # the event has its own date (the day before): the statement's date does not move it
    text = "قتل عشرة مدنيين في انفجار سيارة مفخخة يوم السبت، بحسب ما أعلن مسؤولون يوم أمس."
    events = run(
        text,
        [
            ("date", "يوم السبت", 0, date_value("2015-08-08", "2015-08-08", "day")),
            ("date", "يوم أمس", 0, date_value("2015-08-09", "2015-08-09", "day")),
        ],
        published=date(2015, 8, 10),
    )
    assert (events[0].date_start, events[0].date_precision) == (date(2015, 8, 8), "day")


def test_a_statement_date_dates_an_event_with_no_date_of_its_own() -> None:
    text = "أعلنت وزارة الداخلية أمس الأحد مقتل عشرة مدنيين في انفجار سيارة مفخخة."
    events = run(
        text,
        [("date", "أمس الأحد", 0, date_value("2015-08-09", "2015-08-09", "day"))],
        published=date(2015, 8, 10),
    )
    assert (events[0].date_start, events[0].date_end) == (date(2015, 8, 9), date(2015, 8, 9))
    assert ("date", "events.date_statement") in {(e.field, e.by) for e in events[0].evidence}


def test_a_statement_date_governs_no_later_sentence() -> None:
    text = "قال مسؤولون أمس إن التحقيق مستمر. وانفجرت عبوة ناسفة قرب السوق."
    events = run(
        text,
        [("date", "أمس", 0, date_value("2015-08-09", "2015-08-09", "day"))],
        published=date(2015, 8, 10),
    )
    assert (events[0].date_start, events[0].date_precision) == (date(2015, 8, 8), "week")


def test_a_town_of_the_reports_country_beats_a_town_abroad_in_the_same_sentence() -> None:
    # the fighting is in Kabul; the government that backs one side sits in Tehran
    text = (
        "قالت الحكومة الأفغانية إن الاشتباكات تواصلت في كابل. "
        "واستمرت الاشتباكات في كابل حيث يقاتل مسلحون بدعم من حكومة تعمل من طهران."
    )
    tehran: JSONObject = {
        **KABUL,
        "name": "Tehran",
        "country": "IR",
        "admin1": "Tehran",
        "lat": 35.69,
        "lon": 51.42,
    }
    afghanistan: JSONObject = {**KABUL, "name": "Afghanistan", "precision": "country"}
    events = run(
        text,
        [
            ("place", "الأفغانية", 0, {**afghanistan, "relation": "demonym"}),
            ("place", "كابل", 0, KABUL),
            ("place", "كابل", 1, KABUL),
            ("place", "طهران", 0, tehran),
        ],
    )
    assert [e.location.name for e in events if e.location] == ["Kabul"]


def test_the_centre_of_a_place_is_that_place() -> None:
    text = "انفجرت سيارة مفخخة وسط مزار شريف شمال كابل."
    events = run(
        text,
        [
            ("place", "وسط مزار شريف", 0, {**MAZAR, "relation": "centre_of"}),
            ("place", "شمال كابل", 0, {**KABUL, "relation": "north_of"}),
        ],
    )
    assert events[0].location is not None
    assert events[0].location.name == "Mazar-i-Sharif"


def test_what_happened_since_is_background() -> None:
    text = "انفجرت عبوة ناسفة في السوق. ويقيم الوزير في الخارج منذ أن سيطر المسلحون على العاصمة."
    events = run(text, [])
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


@pytest.mark.parametrize(
    "second",
    [
        "وأضاف المصدر أن شخصين قتلا في تفجير آخر قرب السوق.",
        "كما أصيب ثلاثة بتفجير مماثل قرب السوق.",
    ],
    ids=["another", "similar"],
)
def test_an_incident_named_as_another_is_its_own_event(second: str) -> None:
    text = "قتل خمسة أشخاص في تفجير سيارة مفخخة وسط المدينة. " + second
    events = run(text, [])
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"] * 2


def test_the_incident_named_as_another_sets_its_type() -> None:
    text = (
        "انفجرت عبوة ناسفة في السوق. "
        "وقال المصدر إن شخصا قتل بتفجير مماثل فيما اعتقلت الشرطة عصابة مختصة بخطف الأطفال."
    )
    events = run(text, [])
    # the arrest told beside it («فيما اعتقلت …») is an event of its own
    assert [e.sub_event_type for e in events] == [
        "Remote explosive/landmine/IED",
        "Remote explosive/landmine/IED",
        "Arrests",
    ]


def test_where_they_came_from_is_not_the_scene() -> None:
    text = "دمرت الغارة سيارة للمسلحين قادمة من كابل عند وصولها إلى مزار شريف."
    events = run(text, [("place", "كابل", 0, KABUL), ("place", "مزار شريف", 0, MAZAR)])
    assert events[0].location is not None
    assert events[0].location.name == "Mazar-i-Sharif"


def test_a_province_named_in_the_sentence_holds_the_scene() -> None:
    text = "دمرت الغارة سيارة في وادي كابل قرب بلدة مزار شريف ولاية بلخ."
    balkh: JSONObject = {**MAZAR, "name": "Balkh", "precision": "admin1"}
    events = run(
        text,
        [
            ("place", "وادي كابل", 0, KABUL),
            ("place", "بلدة مزار شريف", 0, MAZAR),
            ("place", "ولاية بلخ", 0, balkh),
        ],
    )
    assert events[0].location is not None
    assert events[0].location.name == "Mazar-i-Sharif"


def test_a_campaign_waged_for_years_is_background() -> None:
    text = "انفجرت عبوة ناسفة في السوق. وتتواصل منذ سنوات غارات الطائرات بدون طيار في البلاد."
    assert [e.sub_event_type for e in run(text, [])] == ["Remote explosive/landmine/IED"]


def test_a_battle_counts_the_dead_of_both_sides() -> None:
    text = "قتل 40 متمردا و6 من قوات الجيش في معارك عنيفة في كابل."
    events = run(
        text,
        [
            ("place", "كابل", 0, KABUL),
            (
                "claim",
                "قتل 40 متمردا",
                0,
                {**claim_value("fatalities", 40, 40, 40, "exact"), "victims": "متمردا"},
            ),
            (
                "claim",
                "6 من قوات الجيش",
                0,
                {**claim_value("fatalities", 6, 6, 6, "exact"), "victims": "من قوات الجيش"},
            ),
        ],
    )
    assert events[0].event_type == "Battles"
    assert (events[0].fatalities.low, events[0].fatalities.best) == (46, 46)
    assert "figure_conflict" not in {f.kind for f in events[0].flags}


def test_a_battle_toll_of_unnamed_victims_is_not_summed() -> None:
    text = "قتل 12 شخصا في اشتباكات في كابل. وقال مسؤول إن 15 شخصا قتلوا في الاشتباكات."
    events = run(
        text,
        [
            ("place", "كابل", 0, KABUL),
            (
                "claim",
                "قتل 12 شخصا",
                0,
                {**claim_value("fatalities", 12, 12, 12, "exact"), "victims": "شخصا"},
            ),
            (
                "claim",
                "15 شخصا قتلوا",
                0,
                {**claim_value("fatalities", 15, 15, 15, "exact"), "victims": "شخصا"},
            ),
        ],
    )
    assert (events[0].fatalities.best, events[0].fatalities.high) == (12, 15)


def test_a_clause_beside_tells_its_own_kind_of_event() -> None:
    text = (
        "وردت المدفعية بقوة على مصدر القذائف داخل الحدود، "
        "فيما شنت طائرات التحالف عددا من الغارات على مواقع المسلحين."
    )
    events = run(text, [])
    assert [e.sub_event_type for e in events] == [
        "Shelling/artillery/missile attack",
        "Air/drone strike",
    ]


def test_a_clause_beside_of_the_same_kind_may_join() -> None:
    text = "سقطت قذائف هاون على حي سكني في كابل، فيما سقطت قذائف على السوق في كابل."
    events = run(text, [("place", "كابل", 0, KABUL), ("place", "كابل", 1, KABUL)])
    assert len(events) == 1


def test_a_district_does_not_hold_every_town_of_its_province() -> None:
    # Kaldar district lies on the Amu Darya, some 75 km from Mazar-i-Sharif, both in Balkh: a
    # bombing in the city is not the clash in the district
    text = "اندلعت اشتباكات عنيفة في مديرية كلدار. وقتل خمسة مسلحين في اشتباكات في مزار شريف."
    district: JSONObject = {
        **MAZAR,
        "name": "Kaldar",
        "geonames_id": None,
        "precision": "admin2",
        "admin2": None,
        "lat": 37.18,
        "lon": 67.70,
    }
    mazar: JSONObject = {**MAZAR, "admin2": "Mazar-e Sharif"}
    events = run(text, [("place", "مديرية كلدار", 0, district), ("place", "مزار شريف", 0, mazar)])
    assert [e.location.name for e in events if e.location] == ["Kaldar", "Mazar-i-Sharif"]


def test_two_weapons_named_for_what_they_did_are_two_events() -> None:
    text = (
        "قتل سبعة أشخاص في انفجار سيارة ملغومة في كابل. "
        "وقال متحدث عسكري إن الطيران الحكومي نفذ ضربة جوية على مواقع المسلحين في كابل."
    )
    events = run(text, [("place", "كابل", 0, KABUL), ("place", "كابل", 1, KABUL)])
    assert [e.sub_event_type for e in events] == [
        "Remote explosive/landmine/IED",
        "Air/drone strike",
    ]


def test_a_car_bomb_driven_by_its_bomber_is_one_suicide_bombing() -> None:
    text = "انفجرت سيارة مفخخة في كابل. وقال مسؤول إن انتحاريا كان يقود السيارة."
    events = run(text, [("place", "كابل", 0, KABUL)])
    assert [e.sub_event_type for e in events] == ["Suicide bomb"]


def test_soldiers_a_claim_counts_as_dead_are_the_target() -> None:
    text = "قال مسؤول إن خمسة جنود قتلوا في انفجار عبوة ناسفة على طريق المطار."
    killed = claim_value("fatalities", 5, 5, 5, "exact")
    killed["victims_span"] = list(at(text, "جنود"))
    events = run(text, [("claim", "خمسة جنود قتلوا", 0, killed)])
    assert events[0].actor1 is None
    assert events[0].actor2 is not None
    assert events[0].actor2.name == "Military Forces"


def test_a_group_named_right_after_the_counted_victims_is_the_target() -> None:
    text = "أفاد مصدر بأن اثنين من قادة تنظيم داعش قتلا في غارة جوية."
    killed = claim_value("fatalities", 2, 2, 2, "exact")
    killed["victims_span"] = list(at(text, "من قادة"))
    events = run(text, [("claim", "اثنين من قادة", 0, killed)])
    assert events[0].actor2 is not None
    assert events[0].actor2.name == "Islamic State (IS)"


def test_an_unnamed_crowd_is_the_actor_of_a_protest_and_the_police_meet_it() -> None:
    text = "نظم مئات السكان اعتصاما أمام مبنى المحافظة ففرقته الشرطة بالقوة."
    events = run(text, [])
    assert events[0].event_type == "Protests"
    assert events[0].actor1 is not None
    assert events[0].actor1.kind == "protesters"
    assert events[0].actor2 is not None
    assert events[0].actor2.name == "Police Forces"


@pytest.mark.parametrize(
    "denial",
    [
        "وقال المحافظ إنه «لم يحدث تبادل لإطلاق النار» في البلدة.",
        "ونفت الشرطة وقوع اشتباكات في الحي.",
        "وانتهت المسيرة دون اعتقال أي من المشاركين.",
    ],
    ids=["did-not-happen", "denied", "without"],
)
def test_a_denied_happening_is_no_event(denial: str) -> None:
    text = "انفجرت عبوة ناسفة في السوق. " + denial
    assert [e.sub_event_type for e in run(text, [])] == ["Remote explosive/landmine/IED"]


def test_an_attack_with_no_toll_is_still_an_attack() -> None:
    text = "انفجرت عبوة ناسفة قرب الحاجز ولم يسفر الانفجار عن إصابات."
    assert len(run(text, [])) == 1


@pytest.mark.parametrize(
    "background",
    [
        "وتستمر الغارات على مواقع التنظيم منذ أشهر.",
        "وجاء ذلك ردا على مقتل ثلاثة جنود على يد مسلحين قبل عام.",
        "وتشبه هذه الطريقة ما استخدمه التنظيم حين أعدم عشرات الأسرى.",
    ],
    ids=["ongoing-for-months", "a-year-ago", "comparison"],
)
def test_a_happening_told_as_background_is_no_event(background: str) -> None:
    text = "انفجرت عبوة ناسفة في السوق. " + background
    assert [e.sub_event_type for e in run(text, [])] == ["Remote explosive/landmine/IED"]


def test_a_happening_dated_months_before_publication_is_retold() -> None:
    text = "انفجرت عبوة ناسفة في السوق أمس. وفي فبراير خطف مسلحون عشرات القرويين."
    events = run(
        text,
        [
            ("date", "أمس", 0, date_value("2015-08-09", "2015-08-09", "day")),
            ("date", "فبراير", 0, date_value("2015-02-01", "2015-02-28", "month")),
        ],
        published=date(2015, 8, 10),
    )
    assert [e.sub_event_type for e in events] == ["Remote explosive/landmine/IED"]


def test_a_report_published_months_later_keeps_the_happenings_it_is_about() -> None:
    # an NGO report of December about August: August is what it tells, not context
    text = "وفي أغسطس خطف مسلحون عشرات القرويين. وفي سبتمبر أعدم المسلحون خمسة منهم."
    events = run(
        text,
        [
            ("date", "أغسطس", 0, date_value("2015-08-01", "2015-08-31", "month")),
            ("date", "سبتمبر", 0, date_value("2015-09-01", "2015-09-30", "month")),
        ],
        published=date(2015, 12, 10),
    )
    assert len(events) == 2


def test_a_text_with_no_sentences_has_no_events() -> None:
    assert run("", []) == []
    assert run(" \n ", []) == []


def test_a_murder_case_is_no_political_violence() -> None:
    text = "كشفت التحقيقات أن المجني عليه قتل على يد أحد أقاربه."
    assert run(text, []) == []


def test_police_named_in_a_bombing_without_a_cue_were_hit() -> None:
    text = "انفجرت عبوة ناسفة بدورية للشرطة على طريق المطار."
    events = run(text, [])
    assert events[0].actor1 is None
    assert events[0].actor2 is not None
    assert events[0].actor2.name == "Police Forces"


def test_police_said_to_have_set_off_a_blast_are_its_authors() -> None:
    text = "قتل ثلاثة مسلحين في تفجير عبوة ناسفة نفذته الشرطة."
    events = run(text, [])
    assert events[0].actor1 is not None
    assert events[0].actor1.name == "Police Forces"


def test_violence_against_civilians_targets_civilians_named_or_not() -> None:
    events = run("أعدم مسلحو التنظيم عشرة أسرى رميا بالرصاص.", [])
    assert events[0].event_type == "Violence against civilians"
    assert events[0].actor2 is not None
    assert events[0].actor2.kind == "civilians"


def test_a_clause_beside_with_its_own_toll_and_place_is_its_own_event() -> None:
    text = (
        "قتل 12 مسلحا في اشتباكات مع الجيش في كابل، "
        "فيما قتل 5 من المسلحين في هجوم على حاجز في مزار شريف."
    )
    events = run(
        text,
        [
            ("claim", "قتل 12 مسلحا", 0, claim_value("fatalities", 12, 12, 12, "exact")),
            ("place", "كابل", 0, KABUL),
            ("claim", "قتل 5 من المسلحين", 0, claim_value("fatalities", 5, 5, 5, "exact")),
            ("place", "مزار شريف", 0, MAZAR),
        ],
    )
    assert [(e.location.name if e.location else None, e.fatalities.best) for e in events] == [
        ("Kabul", 12),
        ("Mazar-i-Sharif", 5),
    ]


def test_where_another_kind_of_happening_took_its_toll_is_its_own_event() -> None:
    text = (
        "شنت طائرات التحالف غارات على مواقع المسلحين في مزار شريف وفي كابل، "
        "حيث قتل 40 مسلحا في معارك عنيفة."
    )
    events = run(
        text,
        [
            ("place", "مزار شريف", 0, MAZAR),
            ("place", "كابل", 0, KABUL),
            ("claim", "قتل 40 مسلحا", 0, claim_value("fatalities", 40, 40, 40, "exact")),
        ],
    )
    clash = [e for e in events if e.sub_event_type == "Armed clash"]
    assert len(clash) == 1
    assert clash[0].location is not None
    assert clash[0].location.name == "Kabul"  # «حيث»: where the place named last is
    assert clash[0].fatalities.best == 40


def test_where_the_same_happening_goes_on_is_not_cut_off() -> None:
    text = "هاجم مسلحون قرية في كابل، حيث قتلوا عشرة من سكانها."
    events = run(
        text,
        [
            ("place", "كابل", 0, KABUL),
            ("claim", "قتلوا عشرة", 0, claim_value("fatalities", 10, 10, 10, "exact")),
        ],
    )
    assert len(events) == 1


def test_a_perpetrator_a_word_names_beats_one_armed_by_kind_only() -> None:
    text = "عثرت الشرطة على جثث خمسة رجال أعدموا رميا بالرصاص على يد مسلحين مجهولين."
    events = run(text, [])
    assert events[0].actor1 is not None
    assert events[0].actor1.name == "Unidentified armed group"


def test_gunmen_said_to_belong_to_a_named_group_are_that_group() -> None:
    text = "قال مسؤول إن مسلحين يشتبه بأنهم من جماعة بوكو حرام قتلوا سبعة قرويين حرقا."
    events = run(text, [])
    assert events[0].actor1 is not None
    assert events[0].actor1.name == "Boko Haram"


HERAT: JSONObject = {
    "name": "Herat",
    "country": "AF",
    "admin1": "Herat",
    "lat": 34.348,
    "lon": 62.200,
    "precision": "city",
}
BALKH: JSONObject = {**MAZAR, "name": "Balkh", "precision": "admin1"}


def test_a_sentence_listing_places_tells_one_event_at_each() -> None:
    text = (
        "شنت طائرات التحالف غارات على مواقع المسلحين في كابل، "
        "وفي مزار شريف في ولاية بلخ، فضلا عن هرات."
    )
    events = run(
        text,
        [
            ("place", "كابل", 0, KABUL),
            ("place", "مزار شريف", 0, MAZAR),
            ("place", "ولاية بلخ", 0, BALKH),
            ("place", "هرات", 0, HERAT),
        ],
    )
    assert [(e.sub_event_type, e.location.name if e.location else None) for e in events] == [
        ("Air/drone strike", "Kabul"),
        ("Air/drone strike", "Mazar-i-Sharif"),
        ("Air/drone strike", "Herat"),
    ]
    assert len({e.event_id for e in events}) == 3


def test_one_toll_for_several_places_sums_them_up_as_one_event() -> None:
    text = "قتل 51 مسلحا في غارات طائرات التحالف على كابل ومزار شريف وهرات خلال يومين."
    events = run(
        text,
        [
            ("claim", "قتل 51 مسلحا", 0, claim_value("fatalities", 51, 51, 51, "exact")),
            ("place", "كابل", 0, KABUL),
            ("place", "مزار شريف", 0, MAZAR),
            ("place", "هرات", 0, HERAT),
        ],
    )
    assert len(events) == 1


def test_a_place_named_for_another_reason_is_no_second_scene() -> None:
    text = "شنت طائرات التحالف غارات على مواقع المسلحين في كابل قادمة من قاعدة قرب هرات."
    events = run(text, [("place", "كابل", 0, KABUL), ("place", "هرات", 0, HERAT)])
    assert len(events) == 1


def test_a_happening_named_after_a_time_word_does_not_type_the_sentence() -> None:
    text = "اعتقلت الشرطة عددا من النشطاء بعد ساعات على تفجيرات استهدفت سيارات في المدينة."
    assert [e.sub_event_type for e in run(text, [])] == ["Arrests"]


def test_blasts_that_caused_the_deaths_type_the_sentence() -> None:
    text = "قتل تسعة أشخاص إثر سلسلة انفجارات لألغام أرضية في المدينة."
    assert [e.sub_event_type for e in run(text, [])] == ["Remote explosive/landmine/IED"]


def test_earlier_that_day_opens_another_incident() -> None:
    text = (
        "قتل جنود شابا بالرصاص قرب السياج في كابل اليوم. "
        "وفي وقت سابق اليوم قتل طفل حرقا في هجوم شنه مسلحون في كابل."
    )
    events = run(text, [("place", "كابل", 0, KABUL), ("place", "كابل", 1, KABUL)])
    assert len(events) == 2


def test_apparently_opens_no_clause() -> None:
    text = "قتل خمسة جنود في انفجار قنبلة زرعها فيما يبدو مسلحون بعد انسحابهم من الاشتباكات."
    assert len(run(text, [])) == 1


def test_where_the_same_victims_are_counted_again_tells_how_not_another_event() -> None:
    text = (
        "أعدم مسلحو التنظيم عشرة أسرى في كابل، حيث تم زرع عبوات ناسفة وإجلاس الضحايا العشرة فوقها."
    )
    events = run(
        text,
        [
            ("place", "كابل", 0, KABUL),
            ("claim", "أعدم مسلحو التنظيم عشرة", 0, claim_value("fatalities", 10, 10, 10, "exact")),
            ("claim", "الضحايا العشرة", 0, claim_value("fatalities", 10, 10, 10, "exact")),
        ],
    )
    assert [e.sub_event_type for e in events] == ["Attack"]


def test_state_forces_of_a_country_named_with_the_article_as_acled_writes_them() -> None:
    washington: JSONObject = {
        "name": "Washington",
        "country": "US",
        "admin1": "District of Columbia",
        "lat": 38.895,
        "lon": -77.037,
        "precision": "city",
    }
    events = run("واشتبكت الشرطة مع متظاهرين في واشنطن.", [("place", "واشنطن", 0, washington)])
    assert events[0].actor2 is not None
    assert events[0].actor2.name == "Police Forces of the United States"
    assert events[0].actor1 is not None
    assert events[0].actor1.name == "Protesters (United States)"
