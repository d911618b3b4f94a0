"""The upload queue on both databases: claims are exclusive, leases expire, dead claims return."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from rasd.document import Source
from rasd.pipeline import make_document
from rasd.store import Store
from rasd.store.queue import MAX_ATTEMPTS, UploadQueue, worker_name


def queued(queue: UploadQueue, count: int) -> list[str]:
    ids = []
    for number in range(count):
        doc = make_document(f"قتل {number + 2} مدنيين في قصف.", Source(path=f"r{number}.txt"))
        assert queue.enqueue(doc).status == "queued"
        ids.append(doc.id)
    return ids


def test_two_workers_never_claim_the_same_upload(store: Store) -> None:
    queue = UploadQueue(store)
    ids = queued(queue, 5)

    first = queue.claim("host:1", limit=3)
    second = queue.claim("host:2", limit=3)
    third = queue.claim("host:3", limit=3)

    taken = [c.document_id for c in first + second]
    assert (len(first), len(second), third) == (3, 2, [])
    assert sorted(taken) == sorted(ids)
    assert {queue.status(i).status for i in ids} == {"working"}  # type: ignore[union-attr]


def test_the_claimed_upload_is_the_document_as_uploaded(store: Store) -> None:
    queue = UploadQueue(store)
    doc = make_document("قتل مدنيان.", Source(path="a.txt", title="عنوان"))
    queue.enqueue(doc)

    (claimed,) = queue.claim("host:1", limit=1)

    again = claimed.document()
    assert (again.id, again.text, again.lang, again.source) == (
        doc.id,
        doc.text,
        doc.lang,
        doc.source,
    )


def test_an_expired_claim_is_taken_again_and_the_late_worker_cannot_finish_it(
    store: Store,
) -> None:
    queue = UploadQueue(store)
    (doc_id,) = queued(queue, 1)
    queue.claim("host:1", limit=1)

    retaken = queue.claim("host:2", limit=1, lease=timedelta(0))
    queue.finish("host:1", [(doc_id, 7)])  # the first worker, back from a long pause

    assert [c.document_id for c in retaken] == [doc_id]
    assert queue.status(doc_id).status == "working"  # type: ignore[union-attr]
    queue.finish("host:2", [(doc_id, 1)])
    done = queue.status(doc_id)
    assert done is not None
    assert (done.status, done.events) == ("done", 1)


def test_an_upload_whose_claims_keep_dying_fails_instead_of_looping(store: Store) -> None:
    queue = UploadQueue(store)
    (doc_id,) = queued(queue, 1)
    for attempt in range(MAX_ATTEMPTS):
        assert len(queue.claim(f"host:{attempt}", limit=1, lease=timedelta(0))) == 1

    assert queue.claim("host:last", limit=1, lease=timedelta(0)) == []
    state = queue.status(doc_id)
    assert state is not None
    assert (state.status, state.error) == (
        "failed",
        "upload: extraction stopped the worker 3 times (killed or out of memory); "
        "the server log has the details",
    )


def test_claims_of_a_dead_worker_on_this_host_are_queued_again_at_once(store: Store) -> None:
    queue = UploadQueue(store)
    ids = queued(queue, 2)
    dead = subprocess.Popen(["true"])  # a process id that has ended
    dead.wait()
    host = worker_name().rsplit(":", 1)[0]
    queue.claim(f"{host}:{dead.pid}", limit=1)
    queue.claim(worker_name(), limit=1)  # alive: this process

    assert queue.recover() == 1
    states = sorted(queue.status(i).status for i in ids)  # type: ignore[union-attr]
    assert states == ["queued", "working"]


@pytest.mark.parametrize("status", ["queued", "done"], ids=["queued", "done"])
def test_uploading_the_same_report_again_reports_where_it_stands(store: Store, status: str) -> None:
    queue = UploadQueue(store)
    (doc_id,) = queued(queue, 1)
    if status == "done":
        queue.claim("host:1", limit=1)
        queue.finish("host:1", [(doc_id, 2)])

    again = queue.enqueue(make_document("قتل 2 مدنيين في قصف.", Source(path="r0.txt")))

    assert (again.document_id, again.status) == (doc_id, status)
