"""Independent sources: copies of one wire story, or one publisher twice, count once."""

from __future__ import annotations

from datetime import date

from reconcile_builders import event, report

from rasd.reconcile import reconcile

DAY = date(2015, 8, 7)
WIRE = (
    "كابول (وكالات) - قتل عشرون طالبا في هجوم انتحاري استهدف أكاديمية للشرطة في العاصمة الأفغانية "
    "مساء الجمعة، بحسب ما أعلن مسؤولون أمنيون، في ثالث هجوم تشهده المدينة خلال يوم واحد، "
    "وقالت وزارة الداخلية إن المهاجم كان يرتدي زي الشرطة وفجر نفسه وسط الطلاب عند المدخل."
)
# The same story reprinted: another dateline, hamza and ta marbuta spelled differently.
COPY = WIRE.replace("كابول (وكالات) -", "كابل - أ ف ب:").replace("الأفغانية", "الافغانيه")
OWN = (
    "شهدت العاصمة الأفغانية يوما داميا، إذ استهدف انتحاري مدخل أكاديمية الشرطة بينما كان "
    "المجندون الجدد يصطفون للدخول، وروى شاهد لمراسلنا أنه سمع دويا هائلا ثم رأى سيارات الإسعاف."
)


def test_a_reprinted_wire_story_counts_once() -> None:
    reports = [
        report(doc, [event(doc, 0, start=DAY)], text=text, publisher=publisher)
        for doc, text, publisher in (
            ("wire", WIRE, "Paper A"),
            ("copy", COPY, "Paper B"),
            ("own", OWN, "Paper C"),
        )
    ]

    (cluster,) = reconcile(reports).clusters

    assert cluster.independent_sources == 2
    groups = {m.document_id: m.source_group for m in cluster.members}
    assert groups["wire"] == groups["copy"] != groups["own"]
