"""Reconcile events across reports: cluster, merge every claim, grade, flag contradictions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from rasd.document import Document
from rasd.reconcile.figures import QUANTITIES, merge_figures, position
from rasd.reconcile.flags import date_flags, figure_flags, misattribution_flags, report_flags
from rasd.reconcile.grade import grade
from rasd.reconcile.match import cluster_items, date_range, location_distance
from rasd.reconcile.model import Cluster, Item, Link, Member, Reconciliation, Report
from rasd.reconcile.settings import Settings
from rasd.reconcile.sources import source_groups
from rasd.records import Actor, DatePrecision, EventFlag, EventRecord, Location
from rasd.resources import Resources

PRECISION_ORDER = ("point", "city", "admin2", "admin1", "region", "country")


def reconcile(reports: Iterable[Report], resources: Resources | None = None) -> Reconciliation:
    """All events of all reports as clusters of one real-world event each, with flags."""
    settings = Settings.load(resources)
    items: list[Item] = []
    for report in reports:
        for event in report.events:
            items.append(Item(index=len(items), report=report, event=event))
    clusters = [
        build_cluster(members, links, settings) for members, links in cluster_items(items, settings)
    ]
    return Reconciliation(clusters=clusters)


def reconcile_documents(
    documents: Iterable[Document], resources: Resources | None = None
) -> Reconciliation:
    """The seam for ``rasd ingest`` and ``rasd batch``: documents with events in, clusters out.

    Documents come out of the pipeline or are rebuilt from the store; the caller stores the result.
    """
    return reconcile((Report.from_document(doc) for doc in documents), resources)


def build_cluster(members: Sequence[Item], links: list[Link], settings: Settings) -> Cluster:
    reports: list[Report] = []
    for item in members:
        if item.report not in reports:
            reports.append(item.report)
    numbers = source_groups(reports, settings)
    group_of_report = {r.document_id: numbers[n] for n, r in enumerate(reports)}
    groups = {item.index: group_of_report[item.document_id] for item in members}

    flags, misattributed = misattribution_flags(members, groups, settings)
    merged_dates = merge_dates(members)
    flags = date_flags(members, merged_dates, settings) + flags
    figures = {}
    rules = []
    for quantity in QUANTITIES:
        positions = [
            p for item in members if (p := position(item, groups[item.index], quantity)) is not None
        ]
        discounted = {
            id(p)
            for p in positions
            for n, claim in enumerate(p.item.event.claims)
            if (p.item.document_id, n) in misattributed and claim in p.claims
        }
        flags += figure_flags(positions, settings) if len(positions) > 1 else []
        figures[quantity], rule = merge_figures(positions, settings, discounted)
        if rule is not None:
            rules.append(rule)
    for item in members:
        flags += report_flags(item, settings)

    verdict, reason = grade(members, groups, flags, settings)
    event = merged_event(members, groups, merged_dates, settings)
    event.fatalities, event.injured, event.detained = (
        figures["fatalities"],
        figures["injured"],
        figures["detained"],
    )
    event.grade = verdict
    event.flags = [
        EventFlag(
            kind=f.kind,
            message=f.message,
            evidence=[span for side in f.sides for span in side.evidence],
            by=f.by,
        )
        for f in flags
    ]
    return Cluster(
        cluster_id=event.event_id,
        event=event,
        members=[
            Member(
                document_id=i.document_id,
                event_id=i.event.event_id,
                publisher=i.report.publisher,
                published=i.report.published,
                source_group=groups[i.index],
            )
            for i in members
        ],
        links=links,
        flags=flags,
        independent_sources=len(set(groups.values())),
        grade=verdict,
        grade_reason=reason,
        figures=rules,
        location_precision=event.location.precision if event.location else None,
    )


def merge_dates(items: Sequence[Item]) -> tuple[date, date] | None:
    """The tightest range consistent with the most reports (their common part).

    When not all reports overlap, the largest set that does wins (ties: the one with the most
    precise report); the others are flagged as date conflicts.
    """
    spans = [s for i in items if (s := date_range(i.event)) is not None]
    if not spans:
        return None
    best: tuple[int, int, tuple[date, date]] | None = None
    for start, _ in spans:
        # Sweep: ranges that contain ``start`` all overlap one another.
        covering = [s for s in spans if s[0] <= start <= s[1]]
        common = (max(s[0] for s in covering), min(s[1] for s in covering))
        width = min((s[1] - s[0]).days for s in covering)
        key = (len(covering), -width, common)
        if best is None or key[:2] > best[:2]:
            best = key
    assert best is not None
    return best[2]


def merge_location(items: Sequence[Item], settings: Settings) -> Location | None:
    """The most precise place that agrees with the places the other reports give."""
    places = [i.event.location for i in items if i.event.location is not None]
    if not places:
        return None
    radii = settings.data.location_radius_km

    def consistent(place: Location) -> int:
        agree = 0
        for other in places:
            distance = location_distance(place, other)
            if distance is None:
                agree += int(place.country == other.country or not other.country)
            else:
                agree += int(distance <= radii[place.precision] + radii[other.precision])
        return agree

    ranked = sorted(
        places,
        key=lambda p: (-consistent(p), PRECISION_ORDER.index(p.precision), p.latitude is None),
    )
    return ranked[0]


def _majority(values: Iterable[tuple[int, str | None]]) -> str | None:
    """The value named by the most independent source groups (ties: first seen)."""
    counts: Counter[str] = Counter()
    seen: set[tuple[int, str]] = set()
    for group, value in values:
        if value is not None and (group, value) not in seen:
            seen.add((group, value))
            counts[value] += 1
    return counts.most_common(1)[0][0] if counts else None


def _actor(
    items: Sequence[Item], groups: dict[int, int], attr: str, settings: Settings
) -> Actor | None:
    actors = [(groups[i.index], getattr(i.event, attr)) for i in items]
    named = [(g, a) for g, a in actors if a is not None]
    if not named:
        return None
    preferred = [(g, a) for g, a in named if a.kind != "other"] or named
    key = _majority((g, settings.key(a.name)) for g, a in preferred)
    chosen: Actor = next(a for _, a in preferred if settings.key(a.name) == key)
    return chosen


def merged_event(
    items: Sequence[Item],
    groups: dict[int, int],
    span: tuple[date, date] | None,
    settings: Settings,
) -> EventRecord:
    event_type = _majority((groups[i.index], i.event.event_type) for i in items)
    assert event_type is not None
    sub_type = _majority(
        (groups[i.index], i.event.sub_event_type) for i in items if i.event.event_type == event_type
    )
    document_ids = list(
        dict.fromkeys(d for i in items for d in i.event.document_ids or [i.document_id])
    )
    identity = "|".join(sorted(f"{i.document_id}:{i.event.event_id}" for i in items))
    return EventRecord(
        event_id="c-" + hashlib.sha256(identity.encode()).hexdigest()[:16],
        document_ids=document_ids,
        event_type=event_type,
        sub_event_type=sub_type,
        date_start=span[0] if span else None,
        date_end=span[1] if span else None,
        date_precision=_precision(span) if span else None,
        actor1=_actor(items, groups, "actor1", settings),
        actor2=_actor(items, groups, "actor2", settings),
        assoc_actors=[a for i in items for a in i.event.assoc_actors],
        civilian_targeting=any(i.event.civilian_targeting for i in items),
        location=merge_location(items, settings),
        claims=[c for i in items for c in i.event.claims],
        evidence=[e for i in items for e in i.event.evidence],
        confidence=max(i.event.confidence for i in items),
        summary=next((i.event.summary for i in items if i.event.summary), None),
    )


def _precision(span: tuple[date, date]) -> DatePrecision:
    days = (span[1] - span[0]).days
    return "day" if days == 0 else "week" if days <= 7 else "month" if days <= 31 else "year"
