"""Review on a real database (SQLite and PostgreSQL): revisions, locking, status, gold."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasd.api.exports import export_events
from rasd.cli import app
from rasd.store import Store
from rasd.store.database import EventFilters
from rasd.store.review import InvalidChange, Reviews, VersionConflict
from seed_events import seed_document


@pytest.fixture
def reviews(store: Store) -> Reviews:
    store.ingest(seed_document())
    return Reviews(store)


def first_event(reviews: Reviews) -> tuple[str, int]:
    event_id = reviews.queue()[0]
    stored = reviews.store.get_event(event_id)
    assert stored is not None
    return event_id, stored.version


def test_a_correction_is_a_revision_and_keeps_the_machine_value(reviews: Reviews) -> None:
    event_id, version = first_event(reviews)
    machine = reviews.store.get_event(event_id)
    assert machine is not None
    updated = reviews.update(
        event_id,
        {"date_start": "1996-09-26", "date_end": "1996-09-27", "date_precision": "day"},
        version=version,
        username="coder1",
        reason="Kabul fell on 26-27 Sept 1996",
    )
    assert updated.version == version + 1
    assert str(updated.record.date_start) == "1996-09-26"
    history = reviews.history(event_id)
    assert [(r.field, r.username) for r in history] == [
        ("date_start", "coder1"),
        ("date_end", "coder1"),
        ("date_precision", "coder1"),
    ]
    assert history[0].old == machine.record.date_start.isoformat()  # type: ignore[union-attr]
    assert history[0].reason == "Kabul fell on 26-27 Sept 1996"


def test_a_stale_save_is_a_conflict_not_a_lost_update(reviews: Reviews) -> None:
    event_id, version = first_event(reviews)
    reviews.update(
        event_id, {"fatalities": {"low": 1, "best": 1, "high": 1}}, version=version, username="a"
    )
    with pytest.raises(VersionConflict, match=f"changed since version {version}"):
        reviews.update(
            event_id,
            {"fatalities": {"low": 2, "best": 2, "high": 2}},
            version=version,
            username="b",
        )
    stored = reviews.store.get_event(event_id)
    assert stored is not None
    assert stored.record.fatalities.best == 1
    assert [r.username for r in reviews.history(event_id)] == ["a"]


def test_status_moves_suggested_reviewed_published(reviews: Reviews) -> None:
    event_id, version = first_event(reviews)
    accepted = reviews.transition(event_id, "accept", version=version, username="c")
    published = reviews.transition(event_id, "publish", version=accepted.version, username="c")
    assert (accepted.status, published.status) == ("reviewed", "published")
    with pytest.raises(InvalidChange, match="cannot accept an event that is published"):
        reviews.transition(event_id, "accept", version=published.version, username="c")


def test_reject_needs_a_reason(reviews: Reviews) -> None:
    event_id, version = first_event(reviews)
    with pytest.raises(InvalidChange, match="reject needs a reason"):
        reviews.transition(event_id, "reject", version=version, username="c")


def test_unknown_or_invalid_fields_are_refused(reviews: Reviews) -> None:
    event_id, version = first_event(reviews)
    with pytest.raises(InvalidChange, match="cannot edit event_id"):
        reviews.update(event_id, {"event_id": "x"}, version=version, username="c")
    with pytest.raises(InvalidChange, match="date_precision"):
        reviews.update(event_id, {"date_precision": "century"}, version=version, username="c")


def test_split_then_merge_round_trips_the_claims(reviews: Reviews) -> None:
    with_claims = next(
        i
        for i in reviews.queue()
        if len(reviews.store.get_event(i).record.claims) >= 2  # type: ignore[union-attr]
    )
    stored = reviews.store.get_event(with_claims)
    assert stored is not None
    total = len(stored.record.claims)
    kept, new = reviews.split(with_claims, [0], version=stored.version, username="c")
    assert (len(kept.record.claims), len(new.record.claims)) == (total - 1, 1)
    assert new.status == "suggested"
    merged = reviews.merge(
        with_claims,
        new.record.event_id,
        versions=(kept.version, new.version),
        username="c",
    )
    assert len(merged.record.claims) == total
    dropped = reviews.store.get_event(new.record.event_id)
    assert dropped is not None
    assert dropped.status == "rejected"


def test_accounts_roles_and_tokens(reviews: Reviews) -> None:
    reviews.add_user("coder1", "correct horse", "coder")
    assert reviews.authenticate("coder1", "correct horse") is not None
    assert reviews.authenticate("coder1", "wrong password") is None
    assert reviews.authenticate("nobody", "correct horse") is None
    with pytest.raises(InvalidChange, match="already exists"):
        reviews.add_user("coder1", "another password", "viewer")
    with pytest.raises(InvalidChange, match="unknown role 'boss'"):
        reviews.add_user("boss1", "a long password", "boss")
    token = reviews.create_token("coder1")
    user = reviews.token_user(token)
    assert user is not None
    assert (user.username, user.role) == ("coder1", "coder")
    reviews.set_role("coder1", "viewer", by="admin1")
    assert reviews.token_user(token).role == "viewer"  # type: ignore[union-attr]
    actions = [entry["action"] for entry in reviews.audit_log()]
    assert actions[:2] == ["user.role", "token.create"]
    assert "login.failed" in actions


def test_reviewed_events_export_as_gold_once_the_report_is_done(reviews: Reviews) -> None:
    ids = reviews.queue()
    assert list(reviews.gold()) == []  # nothing reviewed yet
    for index, event_id in enumerate(ids):
        stored = reviews.store.get_event(event_id)
        assert stored is not None
        action, reason = ("reject", "not an event") if index == 0 else ("accept", None)
        reviews.transition(event_id, action, version=stored.version, username="c", reason=reason)
    (record,) = list(reviews.gold())
    assert len(record["events"]) == len(ids) - 1
    text = record["text"]
    for event in record["events"]:
        for claim in event["claims"]:
            assert claim["span"] in text
        if event["location"] and event["location"]["span"]:
            assert event["location"]["span"] in text


def test_a_retracted_report_is_kept_and_logged(reviews: Reviews) -> None:
    events = [reviews.store.get_event(i) for i in reviews.queue()]
    (document_id,) = {d for e in events if e is not None for d in e.record.document_ids}
    reviews.retract(document_id, username="admin1", reason="source withdrew it")
    assert reviews.store.get_document(document_id) is not None
    assert document_id in reviews.retracted()
    assert {reviews.store.get_event(i).status for i in reviews.queue()} == {"rejected"}  # type: ignore[union-attr]
    assert reviews.audit_log()[0]["action"] == "document.retract"


def test_exports_can_hold_only_reviewed_events(reviews: Reviews, tmp_path: Path) -> None:
    event_id, version = first_event(reviews)
    reviews.transition(event_id, "accept", version=version, username="c")
    output = tmp_path / "reviewed.jsonl"

    result = CliRunner().invoke(
        app,
        ["export", "events", "--status", "reviewed", "--db", reviews.store.url, "-o", str(output)],
    )

    assert result.exit_code == 0, result.output
    exported = [json.loads(line)["event_id"] for line in output.read_text().splitlines()]
    assert exported == [event_id]
    everything = io.StringIO()
    assert export_events(reviews.store, "jsonl", EventFilters(), everything) > 1


def test_rejected_events_leave_lists_and_exports_unless_asked_for(reviews: Reviews) -> None:
    event_id, version = first_event(reviews)
    before = reviews.store.count_events()
    reviews.transition(event_id, "reject", version=version, username="c", reason="duplicate")

    listed = {s.record.event_id for s in reviews.store.iter_events(EventFilters())}
    rejected = {
        s.record.event_id for s in reviews.store.iter_events(EventFilters(status="rejected"))
    }

    assert event_id not in listed
    assert len(listed) == before - 1
    assert rejected == {event_id}


def test_a_reviewed_database_is_gold_that_rasd_eval_reads_back(
    reviews: Reviews, tmp_path: Path
) -> None:
    for index, event_id in enumerate(reviews.queue()):
        stored = reviews.store.get_event(event_id)
        assert stored is not None
        action, reason = ("reject", "not an event") if index == 0 else ("accept", None)
        reviews.transition(event_id, action, version=stored.version, username="c", reason=reason)
    gold = tmp_path / "gold.jsonl"
    url = reviews.store.url
    runner = CliRunner()

    exported = runner.invoke(app, ["export", "gold", "--db", url, "-o", str(gold)])
    from_file = runner.invoke(app, ["eval", str(gold), "--json"])
    from_db = runner.invoke(app, ["eval", "--db", url, "--json"])

    assert exported.exit_code == 0, exported.output
    assert from_file.exit_code == 0, from_file.output
    assert from_db.exit_code == 0, from_db.output
    figures = json.loads(from_db.stdout)
    assert figures == json.loads(from_file.stdout)
    assert figures["gold_events"] == len(reviews.queue()) - 1
