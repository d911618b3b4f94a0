"""The example report read with two other reports of the same events (issue 9, "done when")."""

from __future__ import annotations

from datetime import date

from reconcile_builders import (
    example_report,
    example_text,
    gazette_report,
    mazar_reports,
    read_fixture,
)

from rasd.document import Document, Source
from rasd.pipeline import Pipeline
from rasd.reconcile import Cluster, Reconciliation, Report, reconcile, reconcile_documents


def cluster_with(result: Reconciliation, document_id: str, event_id: str) -> Cluster:
    return result.cluster_of(document_id, event_id)


def test_reports_of_kabuls_fall_are_one_event_despite_the_year() -> None:
    result = reconcile(mazar_reports())

    kabul = cluster_with(result, "example", "example#0")

    assert sorted(m.document_id for m in kabul.members) == ["example", "gazette", "hrw"]
    assert any("year shift +1" in link.notes for link in kabul.links)


def test_wrong_year_of_kabuls_fall_is_flagged_with_both_sides() -> None:
    kabul = reconcile(mazar_reports()).cluster_of("example", "example#0")

    (flag,) = [f for f in kabul.flags if f.kind == "date_conflict"]
    assert flag.by == "reconcile.year_shift"
    assert flag.message.startswith("same day and month, different year: 1995-09-21 … 1995-09-30")
    wrong, *others = flag.sides
    assert wrong.document_id == "example"
    assert [s.text for s in wrong.evidence] == ["أواخر شهر أيلول/سبتمبر عام 1995"]
    assert {s.document_id for s in others} == {"gazette", "hrw"}
    assert "27 أيلول/سبتمبر 1996" in [e.text for s in others for e in s.evidence]


def test_merged_date_of_kabuls_fall_is_the_day_both_other_reports_allow() -> None:
    kabul = reconcile(mazar_reports()).cluster_of("example", "example#0")

    assert (kabul.event.date_start, kabul.event.date_end) == (date(1996, 9, 27), date(1996, 9, 27))
    assert kabul.event.date_precision == "day"


def test_figure_attributed_to_hrw_contradicts_hrws_own_report() -> None:
    massacre = reconcile(mazar_reports()).cluster_of("example", "example#1")

    (flag,) = [f for f in massacre.flags if f.kind == "misattribution"]
    assert flag.by == "reconcile.own_report"
    assert flag.message == (
        "8000 fatalities attributed to Human Rights Watch, but its own report gives 2000"
    )
    claimed, own = flag.sides
    assert (claimed.document_id, own.document_id) == ("example", "hrw")
    assert [s.text for s in claimed.evidence] == ["مقتل نحو 8 آلاف شخص", "هيومن رايتس ووتش"]
    assert [s.text for s in own.evidence] == ["مقتل ما لا يقل عن 2000 شخص"]


def test_figure_attributed_to_hrw_is_flagged_from_other_reports_citing_hrw() -> None:
    massacre = reconcile([example_report(), gazette_report()]).cluster_of("example", "example#1")

    (flag,) = [f for f in massacre.flags if f.kind == "misattribution"]
    assert flag.by == "reconcile.cited_elsewhere"
    assert {side.document_id for side in flag.sides} == {"example", "gazette"}
    assert flag.message == (
        "Human Rights Watch is cited for 2000 fatalities in one report and 8000 in another"
    )


def test_misattributed_figure_is_a_bound_not_the_best_estimate() -> None:
    massacre = reconcile(mazar_reports()).cluster_of("example", "example#1")

    figures = massacre.event.fatalities
    assert (figures.low, figures.best, figures.high) == (100, 2000, 8000)
    assert len(massacre.event.claims) == 4  # every claim kept, with its document and span
    assert {c.span.document_id for c in massacre.event.claims} == {"example", "gazette", "hrw"}


def test_events_only_the_example_tells_stay_alone_and_unflagged() -> None:
    result = reconcile(mazar_reports())

    for event_id in ("example#2", "example#3"):
        cluster = result.cluster_of("example", event_id)
        assert [m.event_id for m in cluster.members] == [event_id]
        assert cluster.flags == []
        assert cluster.grade == "weak"


def test_extracted_reports_flag_the_year_and_the_attribution_end_to_end() -> None:
    pipeline = Pipeline()
    texts = [
        (example_text(), None),
        (read_fixture("kabul-mazar-gazette.ar.txt"), "Gazette"),
        (read_fixture("mazar-ngo-report.ar.txt"), "Human Rights Watch"),
    ]
    reports = [
        Report.from_document(pipeline(Document(text=text, source=Source(publisher=publisher))))
        for text, publisher in texts
    ]

    kinds = {flag.kind for flag in reconcile(reports).flags}

    assert {"date_conflict", "misattribution"} <= kinds


def test_documents_out_of_the_pipeline_reconcile_like_reports() -> None:
    documents = [
        Document(
            text=r.text,
            id=r.document_id,
            source=Source(publisher=r.publisher, published=r.published),
            events=list(r.events),
        )
        for r in mazar_reports()
    ]

    result = reconcile_documents(documents)

    assert result == reconcile(mazar_reports())
