"""Synthetic variations with known answers: a changed year, a changed figure, a swapped source."""

from __future__ import annotations

from collections import Counter

from rasd.reconcile import reconcile
from rasd.reconcile.synthetic import generate, score


def test_the_set_plants_every_kind_of_contradiction() -> None:
    data = generate(150, seed=3)

    kinds = Counter(expected.kind for expected in data.expected)

    assert set(kinds) == {
        "date_conflict",
        "figure_conflict",
        "misattribution",
        "internal_inconsistency",
    }
    assert min(kinds.values()) >= 5


def test_the_same_seed_gives_the_same_set() -> None:
    first, second = generate(40, seed=5), generate(40, seed=5)

    assert [r.events for r in first.reports] == [r.events for r in second.reports]
    assert first.expected == second.expected


def test_planted_contradictions_are_flagged_and_little_else() -> None:
    data = generate(150, seed=3)

    precision, recall, _ = score(reconcile(data.reports).flags, data)

    assert precision >= 0.9
    assert recall >= 0.9


def test_reports_of_one_synthetic_event_end_up_in_one_cluster() -> None:
    data = generate(150, seed=3)
    result = reconcile(data.reports)

    worlds_per_cluster = [
        {data.truth[(m.document_id, m.event_id)] for m in cluster.members}
        for cluster in result.clusters
    ]

    assert sum(len(w) > 1 for w in worlds_per_cluster) <= 2  # rare chance collisions only
    assert len(result.clusters) <= len({w for ws in worlds_per_cluster for w in ws}) + 2
