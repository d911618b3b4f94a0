"""Reconciled events in the store (SQLite and PostgreSQL): ingest two reports of one strike, get
one cluster with both claims; recompute only what new reports touch, and nothing twice.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from cluster_reports import MOSUL, PAPER, WIRE, report
from rasd.cli import app
from rasd.document import Document
from rasd.pipeline import Pipeline
from rasd.store import Store
from rasd.store.models import ClusterBlockRow, ClusterEventRow, ClusterRow, EventRow
from rasd.store.reconcile import ClusterFilters, Clusters, blocks_of

runner = CliRunner()


def ingest(store: Store, pipeline: Pipeline, *records: dict[str, str]) -> list[Document]:
    clusters = Clusters(store)
    docs = [report(pipeline, r) for r in records]
    for doc in docs:
        clusters.ingest(doc)
    return docs


def table(store: Store, model: Any) -> list[tuple[Any, ...]]:
    """Every row of a table, every column, in key order: to compare before and after."""
    columns = list(model.__table__.columns)
    keys = [c for c in columns if c.primary_key]
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(*columns).order_by(*keys))]


def snapshot(store: Store) -> list[list[tuple[Any, ...]]]:
    return [table(store, m) for m in (ClusterBlockRow, ClusterRow, ClusterEventRow)]


def only_cluster(store: Store, filters: ClusterFilters | None = None) -> str:
    found, total = Clusters(store).query(filters or ClusterFilters())
    assert total == 1
    return found[0].id


def test_two_reports_of_one_strike_are_one_cluster_with_both_claims(
    store: Store, pipeline: Pipeline
) -> None:
    wire, paper = ingest(store, pipeline, WIRE, PAPER)

    stored = Clusters(store).get(only_cluster(store))

    assert stored is not None
    cluster = stored.cluster
    assert {(m.document_id, m.publisher) for m in stored.members} == {
        (wire.id, "Wire A"),
        (paper.id, "Paper B"),
    }
    assert sorted(m.event_id for m in stored.members) == sorted(
        e.event_id for e in wire.events + paper.events
    )
    assert [(c.span.text, c.attributed_to) for c in cluster.event.claims] == [
        ("مقتل 30 مدنيا", "Syrian Observatory for Human Rights"),
        ("قتل 12 مدنيا", "Civil Defence"),
    ]
    assert (cluster.independent_sources, cluster.grade) == (2, "fair")


def test_low_best_high_follow_the_rule_the_later_report_wins_a_tie(
    store: Store, pipeline: Pipeline
) -> None:
    ingest(store, pipeline, WIRE, PAPER)

    stored = Clusters(store).get(only_cluster(store))

    assert stored is not None
    figures = stored.cluster.event.fatalities
    assert (figures.low, figures.best, figures.high) == (12, 30, 30)
    (rule,) = [r for r in stored.cluster.figures if r.quantity == "fatalities"]
    assert rule.best_from is not None
    assert "Paper B" in rule.best_from


def test_differing_tolls_are_a_figure_conflict_with_both_sides(
    store: Store, pipeline: Pipeline
) -> None:
    wire, paper = ingest(store, pipeline, WIRE, PAPER)

    stored = Clusters(store).get(only_cluster(store))

    assert stored is not None
    (flag,) = stored.cluster.flags
    assert (flag.kind, flag.quantity, flag.spread) == ("figure_conflict", "fatalities", (12, 30))
    sides = {side.document_id: [s.text for s in side.evidence] for side in flag.sides}
    assert sides == {wire.id: ["قتل 12 مدنيا"], paper.id: ["مقتل 30 مدنيا"]}


def test_the_merge_is_explained_field_by_field(store: Store, pipeline: Pipeline) -> None:
    wire, paper = ingest(store, pipeline, WIRE, PAPER)

    stored = Clusters(store).get(only_cluster(store))

    assert stored is not None
    (link,) = stored.cluster.links
    assert set(link.document_ids) == {wire.id, paper.id}
    assert link.fields.keys() == {"type", "date", "location", "actors"}
    assert link.fields["date"] == 1.0
    assert "dates overlap" in link.notes


def test_the_list_row_has_the_figures_and_counts(store: Store, pipeline: Pipeline) -> None:
    ingest(store, pipeline, WIRE, PAPER, MOSUL)

    found, total = Clusters(store).query(ClusterFilters(country="SY"))

    assert total == 1
    (row,) = found
    assert (row.country, row.date_start, row.location) == ("SY", date(2020, 3, 3), "Idlib")
    assert (row.fatalities_low, row.fatalities_best, row.fatalities_high) == (12, 30, 30)
    assert (row.reports, row.independent_sources, row.flag_count) == (2, 2, 1)


@pytest.mark.parametrize(
    ("filters", "countries"),
    [
        (ClusterFilters(), ["IQ", "SY"]),
        (ClusterFilters(flagged=True), ["SY"]),
        (ClusterFilters(min_reports=2), ["SY"]),
        (ClusterFilters(grade="weak"), ["IQ"]),
        (ClusterFilters(date_from=date(2018, 1, 1)), ["SY"]),
        (ClusterFilters(date_to=date(2017, 6, 14)), ["IQ"]),
    ],
    ids=["all", "flagged", "min-reports", "grade", "date-from", "date-to"],
)
def test_clusters_are_filtered(
    store: Store, pipeline: Pipeline, filters: ClusterFilters, countries: list[str]
) -> None:
    ingest(store, pipeline, WIRE, PAPER, MOSUL)

    found, total = Clusters(store).query(filters)

    assert [c.country for c in found] == countries
    assert total == len(countries)


def test_the_cluster_of_a_report_or_of_an_event_is_found(store: Store, pipeline: Pipeline) -> None:
    wire, paper, _ = ingest(store, pipeline, WIRE, PAPER, MOSUL)
    clusters = Clusters(store)

    by_document = clusters.query(ClusterFilters(document_id=wire.id))[0]
    by_event = clusters.query(ClusterFilters(event_id=paper.events[0].event_id))[0]

    idlib = only_cluster(store, ClusterFilters(country="SY"))
    assert [c.id for c in by_document] == [c.id for c in by_event] == [idlib]


def test_ingesting_the_same_reports_again_changes_no_row(store: Store, pipeline: Pipeline) -> None:
    ingest(store, pipeline, WIRE, PAPER)
    before = snapshot(store)

    ingest(store, pipeline, WIRE, PAPER)

    assert snapshot(store) == before


def test_recomputing_an_unchanged_block_rewrites_nothing(store: Store, pipeline: Pipeline) -> None:
    docs = ingest(store, pipeline, WIRE, PAPER)
    clusters_before = snapshot(store)[1:]

    summary = Clusters(store).reconcile_blocks(blocks_of(e for d in docs for e in d.events))

    assert (summary.blocks, summary.clusters, summary.changed) == (1, 1, 0)
    assert snapshot(store)[1:] == clusters_before


def test_a_block_no_new_report_touches_is_not_recomputed(store: Store, pipeline: Pipeline) -> None:
    ingest(store, pipeline, MOSUL)
    mosul_block = table(store, ClusterBlockRow)

    ingest(store, pipeline, WIRE, PAPER)

    blocks = table(store, ClusterBlockRow)
    assert [b[0] for b in blocks] == ["IQ/2017-06", "SY/2020-03"]
    assert blocks[0] == mosul_block[0]


def test_a_report_joining_a_stored_event_replaces_that_blocks_cluster(
    store: Store, pipeline: Pipeline
) -> None:
    ingest(store, pipeline, WIRE)
    alone = only_cluster(store)

    ingest(store, pipeline, PAPER)

    merged = only_cluster(store)
    assert merged != alone
    assert Clusters(store).get(alone) is None
    assert len(table(store, ClusterEventRow)) == 2


def test_a_rejected_event_leaves_its_cluster_when_the_block_is_recomputed(
    store: Store, pipeline: Pipeline
) -> None:
    _, paper = ingest(store, pipeline, WIRE, PAPER)
    with store.sessions.begin() as session:
        session.execute(
            update(EventRow)
            .where(EventRow.id == paper.events[0].event_id)
            .values(status="rejected")
        )

    Clusters(store).reconcile_all()

    stored = Clusters(store).get(only_cluster(store))
    assert stored is not None
    assert [m.publisher for m in stored.members] == ["Wire A"]
    assert stored.cluster.flags == []


def test_a_report_stored_while_a_block_is_worked_out_is_not_missed(
    store: Store, pipeline: Pipeline
) -> None:
    # The block is reconciled before its write transaction begins; a report stored in between
    # makes that work stale, and the transaction must reconcile again rather than write it.
    wire = report(pipeline, WIRE)
    store.ingest(wire)
    clusters = Clusters(store)
    block = next(iter(blocks_of(wire.events)))
    stale = clusters._precompute(block)
    store.ingest(report(pipeline, PAPER))
    clusters._precompute = lambda _block: stale  # type: ignore[method-assign]

    clusters.reconcile_blocks({block})

    stored = Clusters(store).get(only_cluster(store))
    assert stored is not None
    assert sorted(m.publisher or "" for m in stored.members) == ["Paper B", "Wire A"]


def test_concurrent_recomputations_of_one_block_queue_up_and_agree(
    store: Store, pipeline: Pipeline
) -> None:
    docs = [report(pipeline, record) for record in (WIRE, PAPER)]
    for doc in docs:
        store.ingest(doc)
    blocks = blocks_of(e for d in docs for e in d.events)

    with ThreadPoolExecutor(max_workers=4) as pool:
        summaries = list(pool.map(lambda _: Clusters(store).reconcile_blocks(blocks), range(4)))

    assert [s.failures for s in summaries] == [[]] * 4
    assert sum(s.changed for s in summaries) == 1  # the first writes, the others find it done
    assert len(table(store, ClusterRow)) == 1
    assert len(table(store, ClusterEventRow)) == 2


def test_reconcile_all_computes_every_block_of_a_database_loaded_without_it(
    store: Store, pipeline: Pipeline
) -> None:
    for record in (WIRE, PAPER, MOSUL):
        store.ingest(report(pipeline, record))
    assert Clusters(store).query(ClusterFilters())[1] == 0

    summary = Clusters(store).reconcile_all()

    assert (summary.blocks, summary.clusters, summary.changed, summary.failures) == (2, 2, 2, [])


def test_a_failing_block_is_reported_and_other_blocks_and_documents_stay(
    store: Store, pipeline: Pipeline
) -> None:
    wire = report(pipeline, WIRE)
    store.ingest(wire)
    store.ingest(report(pipeline, MOSUL))
    broken = wire.events[0].event_id
    with store.sessions.begin() as session:
        session.execute(update(EventRow).where(EventRow.id == broken).values(record={}))

    summary = Clusters(store).reconcile_all()

    assert summary.failures == [
        f"block SY/2020-03: stored event {broken} is not a valid record (event_id: Field required)"
    ]
    assert (summary.blocks, summary.clusters) == (1, 1)
    assert store.count_documents() == 2
    assert [b[0] for b in table(store, ClusterBlockRow)] == ["IQ/2017-06"]


def test_the_clusters_migration_goes_down_and_up_again(store: Store, pipeline: Pipeline) -> None:
    ingest(store, pipeline, WIRE)

    store.downgrade("0002")
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM events")).scalar() == 1
    store.upgrade()

    assert store.revision() == Store.head_revision()
    assert Clusters(store).reconcile_all().clusters == 1


# -- events of one real event in two blocks ----------------------------------------------------

# Written for these tests: one air strike on Idlib told on the night of 31 January by a wire and
# dated 1 February by a paper (two months, so two blocks), and a report of the strike of WIRE
# (3 March 2020) that has the year wrong (2019: the same day and month a year earlier).
JANUARY_31 = {
    "text": "قتل 7 مدنيين في قصف جوي على مدينة إدلب يوم 31 كانون الثاني/يناير 2020، "
    "حسب الدفاع المدني.",
    "publisher": "Wire A",
    "published": "2020-02-01",
}
FEBRUARY_1 = {
    "text": "أفاد المرصد السوري لحقوق الإنسان بمقتل 9 مدنيين في غارات جوية استهدفت مدينة إدلب "
    "في 1 شباط/فبراير 2020.",
    "publisher": "Paper B",
    "published": "2020-02-03",
}
YEAR_WRONG = {
    "text": "أفاد المرصد السوري لحقوق الإنسان بمقتل 30 مدنيا في غارات جوية استهدفت مدينة إدلب "
    "في 3 آذار/مارس 2019.",
    "publisher": "Paper C",
    "published": "2020-03-06",
}
TWO_BLOCKS = pytest.mark.parametrize(
    ("first", "second", "blocks"),
    [
        (JANUARY_31, FEBRUARY_1, ["SY/2020-01", "SY/2020-02"]),
        (FEBRUARY_1, JANUARY_31, ["SY/2020-01", "SY/2020-02"]),
        (WIRE, YEAR_WRONG, ["SY/2019-03", "SY/2020-03"]),
        (YEAR_WRONG, WIRE, ["SY/2019-03", "SY/2020-03"]),
    ],
    ids=["month-end", "month-end-earlier-last", "year-wrong", "year-wrong-first"],
)


def clusters_as_read(store: Store) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in Clusters(store).reconciliation().clusters]


def test_reports_a_day_apart_across_a_months_end_are_one_cluster(
    store: Store, pipeline: Pipeline
) -> None:
    january, february = ingest(store, pipeline, JANUARY_31, FEBRUARY_1)

    stored = Clusters(store).get(only_cluster(store))

    assert stored is not None
    assert {m.document_id for m in stored.members} == {january.id, february.id}
    assert "dates 1 day(s) apart" in stored.cluster.links[0].notes
    assert [b[0] for b in table(store, ClusterBlockRow)] == ["SY/2020-01", "SY/2020-02"]
    assert [(r[1], r[4]) for r in table(store, ClusterBlockRow)] == [("SY", 1), ("SY", 0)]


def test_a_report_with_the_year_wrong_joins_its_event_with_a_year_shift_flag(
    store: Store, pipeline: Pipeline
) -> None:
    wire, wrong = ingest(store, pipeline, WIRE, YEAR_WRONG)

    stored = Clusters(store).get(only_cluster(store))

    assert stored is not None
    assert {m.document_id for m in stored.members} == {wire.id, wrong.id}
    (flag,) = [f for f in stored.cluster.flags if f.kind == "date_conflict"]
    assert flag.by == "reconcile.year_shift"
    assert {side.document_id for side in flag.sides} <= {wire.id, wrong.id}
    assert "different year" in flag.message


@TWO_BLOCKS
def test_a_report_ingested_later_gives_the_clusters_of_reconcile_all(
    store: Store,
    pipeline: Pipeline,
    first: dict[str, str],
    second: dict[str, str],
    blocks: list[str],
) -> None:
    ingest(store, pipeline, first)
    alone = only_cluster(store)
    ingest(store, pipeline, second)
    incremental = clusters_as_read(store)
    with store.engine.begin() as connection:
        for model in (ClusterEventRow, ClusterRow, ClusterBlockRow):
            connection.execute(model.__table__.delete())

    summary = Clusters(store).reconcile_all()

    assert (summary.blocks, summary.clusters, summary.changed) == (2, 1, 1)
    assert clusters_as_read(store) == incremental
    assert [len(c["members"]) for c in incremental] == [2]
    assert Clusters(store).get(alone) is None
    assert [b[0] for b in table(store, ClusterBlockRow)] == blocks


@TWO_BLOCKS
def test_recomputing_linked_blocks_again_changes_nothing(
    store: Store,
    pipeline: Pipeline,
    first: dict[str, str],
    second: dict[str, str],
    blocks: list[str],
) -> None:
    docs = ingest(store, pipeline, first, second)
    before = snapshot(store)[1:]

    summaries = [
        Clusters(store).reconcile_all(),
        Clusters(store).reconcile_blocks(blocks_of(docs[0].events)),
        Clusters(store).reconcile_blocks(blocks_of(docs[1].events)),
    ]

    assert [(s.blocks, s.clusters, s.changed) for s in summaries] == [(2, 1, 0)] * 3
    assert snapshot(store)[1:] == before
    assert [b[0] for b in table(store, ClusterBlockRow)] == blocks


def test_concurrent_recomputations_from_either_block_agree(
    store: Store, pipeline: Pipeline
) -> None:
    docs = [report(pipeline, record) for record in (JANUARY_31, FEBRUARY_1)]
    for doc in docs:
        store.ingest(doc)
    seeds = [blocks_of(doc.events) for doc in docs] * 2

    with ThreadPoolExecutor(max_workers=4) as pool:
        summaries = list(pool.map(lambda s: Clusters(store).reconcile_blocks(s), seeds))

    assert [s.failures for s in summaries] == [[]] * 4
    assert sum(s.changed for s in summaries) == 1
    assert len(table(store, ClusterRow)) == 1
    assert len(table(store, ClusterEventRow)) == 2


# -- the command line -------------------------------------------------------------------------


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def test_rasd_ingest_reconciles_the_batch_once_at_the_end(tmp_path: Path, db_url: str) -> None:
    reports = write_jsonl(tmp_path / "reports.jsonl", [WIRE, PAPER, MOSUL])

    result = runner.invoke(app, ["ingest", str(reports), "--db", db_url])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "stored 3 document(s) with 3 event(s); 0 already stored; 0 failed",
        "reconciled 2 block(s) into 2 event(s), 2 new or changed",
    ]
    with Store(db_url) as store:
        assert [c.reports for c in Clusters(store).query(ClusterFilters())[0]] == [1, 2]


def test_rasd_ingest_of_stored_reports_reconciles_nothing(tmp_path: Path, db_url: str) -> None:
    reports = write_jsonl(tmp_path / "reports.jsonl", [WIRE, PAPER])
    runner.invoke(app, ["ingest", str(reports), "--db", db_url])
    with Store(db_url) as store:
        before = snapshot(store)

    again = runner.invoke(app, ["ingest", str(reports), "--db", db_url])

    assert again.stdout == "stored 0 document(s) with 0 event(s); 2 already stored; 0 failed\n"
    with Store(db_url) as store:
        assert snapshot(store) == before


def test_rasd_ingest_reports_a_failed_reconciliation_and_keeps_the_documents(
    tmp_path: Path, db_url: str
) -> None:
    runner.invoke(app, ["ingest", str(write_jsonl(tmp_path / "a.jsonl", [WIRE])), "--db", db_url])
    with Store(db_url) as store, store.sessions.begin() as session:
        session.execute(update(EventRow).values(record={}))

    result = runner.invoke(
        app, ["ingest", str(write_jsonl(tmp_path / "b.jsonl", [PAPER])), "--db", db_url]
    )

    assert result.exit_code == 1
    assert "stored 1 document(s) with 1 event(s)" in result.stdout
    assert "rasd: reconciliation failed for block SY/2020-03: stored event" in result.stderr
    assert (
        "rasd: the stored documents are kept; run `rasd reconcile --db URL` to reconcile them"
        in result.stderr
    )
    with Store(db_url) as store:
        assert store.count_documents() == 2


def test_rasd_reconcile_db_recomputes_and_prints_the_table(tmp_path: Path, db_url: str) -> None:
    reports = write_jsonl(tmp_path / "reports.jsonl", [WIRE, PAPER, MOSUL])
    runner.invoke(app, ["ingest", "--no-reconcile", str(reports), "--db", db_url])
    with Store(db_url) as store:
        assert Clusters(store).query(ClusterFilters())[1] == 0

    result = runner.invoke(app, ["reconcile", "--db", db_url])

    assert result.exit_code == 0, result.output
    assert "2 events, 1 flags" in result.stdout
    assert "12/30/30" in result.stdout
    assert "figure_conflict" in result.stdout
    assert "Paper B: 30 fatalities according to Syrian Observatory" in result.stdout
    with Store(db_url) as store:
        assert Clusters(store).query(ClusterFilters())[1] == 2


def test_rasd_reconcile_db_writes_json_like_the_file_mode(tmp_path: Path, db_url: str) -> None:
    reports = write_jsonl(tmp_path / "reports.jsonl", [WIRE, PAPER])
    runner.invoke(app, ["ingest", str(reports), "--db", db_url])

    result = runner.invoke(app, ["reconcile", "--db", db_url, "--format", "json"])

    (cluster,) = json.loads(result.stdout)["clusters"]
    assert [f["kind"] for f in cluster["flags"]] == ["figure_conflict"]
    assert sorted(m["publisher"] for m in cluster["members"]) == ["Paper B", "Wire A"]


def test_rasd_reconcile_wants_files_or_a_database_not_both(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "docs.jsonl", [])

    both = runner.invoke(app, ["reconcile", str(path), "--db", "sqlite:///x.db"])
    neither = runner.invoke(app, ["reconcile"])

    assert both.exit_code == neither.exit_code == 2
    assert "give files or --db, not both" in both.stderr
    assert "give JSON Lines files of documents, or --db URL" in neither.stderr
