"""Which events of different reports are one real-world event: pair scores, blocking, clustering.

A pair is compared field by field (type, date, place, actors); any field can veto the pair (types
that cannot be one event, dates too far apart, places too far apart for their precisions). Pairs are
only formed inside blocks of one country and one month, so the work grows with the number of events
times the events per block, not with the square of the corpus. Clustering is greedy best-first
union with two constraints: two events of one report are never merged (a report that tells two
events means two), and every pair across two merged groups must be compatible (no chains).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from rasd.reconcile.model import Item, Link
from rasd.reconcile.settings import Settings
from rasd.records import Actor, EventRecord, Location

WEIGHTS = {"type": 0.25, "date": 0.3, "location": 0.3, "actors": 0.15}
ARMED_KINDS = frozenset({"state forces", "rebel group", "militia", "external"})
BlockKey = tuple[str | int, ...]
WIDE_RANGE_DAYS = 400
UNDATED_WINDOW_DAYS = 7
YEAR_SHIFT_WIDEST_DAYS = (
    31  # a day against at most a month: two vague dates a year apart prove nothing
)
WORD = re.compile(r"[^\W\d_]{3,}")  # words of three letters or more, no digits
CROSS_YEAR_CELL_DEGREES = 4.0  # a date vaguer than about a year is not blocked by month


def date_range(event: EventRecord) -> tuple[date, date] | None:
    start = event.date_start or event.date_end
    end = event.date_end or event.date_start
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)


def item_range(item: Item) -> tuple[tuple[date, date] | None, bool]:
    """An event's dates, or for an undated one the week before its report: (range, assumed).

    A news report tells recent events; without a date the event still happened before the report
    was published, and most likely within days (the convention of the gold set, SOURCE.md).
    """
    stated = date_range(item.event)
    if stated is not None or item.report.published is None:
        return stated, False
    published = item.report.published
    return (published - timedelta(days=UNDATED_WINDOW_DAYS), published), True


def gap_days(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two ranges; 0 when they overlap (so a month overlaps a day inside it)."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year_shift(a: tuple[date, date], b: tuple[date, date], most: int) -> int | None:
    """The year difference that makes two ranges overlap: same day and month, another year."""
    nearest = round((b[0] - a[0]).days / 365.2425)
    for years in sorted({nearest, nearest - 1, nearest + 1}, key=abs):
        if years == 0 or abs(years) > most:
            continue
        moved = (shift_years(a[0], years), shift_years(a[1], years))
        if gap_days(moved, b) == 0:
            return years
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def location_distance(a: Location, b: Location) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def location_score(
    a: Location | None, b: Location | None, settings: Settings
) -> tuple[float, str] | None:
    """How well two places agree, or None when they cannot be one place."""
    if a is None and b is None:
        return 0.1, "place unknown in both reports"
    if a is None or b is None:
        return 0.3, "place unknown in one report"
    if a.country and b.country and a.country != b.country:
        return None
    if "country" in (a.precision, b.precision):
        return 0.5, "one report names only the country"
    radii = settings.data.location_radius_km
    allowance = radii[a.precision] + radii[b.precision]
    distance = location_distance(a, b)
    if distance is not None:
        if distance > allowance:
            return None
        return 1.0 - 0.5 * distance / allowance, f"{distance:.1f} km apart (allowed {allowance:g})"
    if settings.key(a.name) == settings.key(b.name):
        return 0.9, "same place name"
    if a.admin1 and b.admin1:
        if settings.key(a.admin1) != settings.key(b.admin1):
            return None
        return 0.6, "same admin1"
    return 0.4, "places without coordinates"


def _actor_pair(a: Actor | None, b: Actor | None, settings: Settings) -> float:
    if a is None or b is None:
        return 0.5
    if settings.same_party(a.name, b.name):
        return 1.0
    if a.kind == "other" or b.kind == "other" or a.kind is None or b.kind is None:
        return 0.5  # "unidentified gunmen" may be anyone
    if a.kind != b.kind and {a.kind, b.kind} & {"civilians"}:
        return 0.0  # civilians and fighters as the same party
    return 0.2


def _rival_perpetrators(a: EventRecord, b: EventRecord, settings: Settings) -> bool:
    first, second = a.actor1, b.actor1
    if first is None or second is None or "other" in (first.kind, second.kind):
        return False
    return not settings.same_party(first.name, second.name)


def actor_score(a: EventRecord, b: EventRecord, settings: Settings) -> float:
    return (
        _actor_pair(a.actor1, b.actor1, settings) + _actor_pair(a.actor2, b.actor2, settings)
    ) / 2


def date_score(
    a: tuple[date, date] | None, b: tuple[date, date] | None, settings: Settings
) -> tuple[float, str, int | None] | None:
    """Score, note and (when the years differ) the year shift; None when too far apart."""
    if a is None or b is None:
        return 0.4, "date unknown in one report", None
    gap = gap_days(a, b)
    if gap == 0:
        width = max((a[1] - a[0]).days, (b[1] - b[0]).days)
        score = 1.0 if width <= 1 else 0.9 if width <= 7 else 0.75 if width <= 31 else 0.6
        return score, "dates overlap", None
    if gap <= settings.data.date_slack_days:
        return 0.75 - 0.1 * gap, f"dates {gap} day(s) apart", None
    widths = sorted(((a[1] - a[0]).days, (b[1] - b[0]).days))
    if widths[0] > 1 or widths[1] > YEAR_SHIFT_WIDEST_DAYS:
        return (
            None  # "same day and month" needs a day on one side and a part of a month on the other
        )
    years = year_shift(a, b, settings.data.year_shift_max)
    if years is not None:
        return 0.5, f"same day/month, {abs(years)} year(s) apart", years
    return None


class TextIndex:
    """Rare words that two events' evidence sentences share: a place or name no lexicon knew.

    Used only where a report gives no place: "سروج" in two evidence sentences says more than an
    unknown place. Words are weighted by a smoothed inverse document frequency over the events of
    the run, so words every report uses weigh little.
    """

    def __init__(self, items: Sequence[Item], settings: Settings) -> None:
        self.words = {item.index: _evidence_words(item, settings) for item in items}
        frequency = Counter(w for words in self.words.values() for w in words)
        total = len(items) + 1
        self.idf = {w: math.log(total / count) for w, count in frequency.items()}

    def similarity(self, a: Item, b: Item) -> float:
        words_a, words_b = self.words[a.index], self.words[b.index]
        if not words_a or not words_b:
            return 0.0
        shared = sum(self.idf[w] for w in words_a & words_b)
        smaller = min(sum(self.idf[w] for w in words_a), sum(self.idf[w] for w in words_b))
        return shared / smaller if smaller > 0 else 0.0


def _evidence_words(item: Item, settings: Settings) -> frozenset[str]:
    spans = [e.span.text for e in item.event.evidence if e.field == "event"] or [
        e.span.text for e in item.event.evidence
    ]
    return frozenset(WORD.findall(settings.fold(" ".join(spans)).lower()))


def score_pair(a: Item, b: Item, settings: Settings, text: TextIndex | None = None) -> Link | None:
    """The merge explanation of two events, or None when some field rules the pair out."""
    ea, eb = a.event, b.event
    type_score = settings.type_score(
        ea.event_type, eb.event_type, ea.sub_event_type, eb.sub_event_type
    )
    if type_score is None:
        return None
    if type_score == 1.0 and ea.sub_event_type != eb.sub_event_type:
        type_score = 0.85
    (range_a, assumed_a), (range_b, assumed_b) = item_range(a), item_range(b)
    if range_a is None and range_b is None:
        # No date in either report, nor a publication day: the same shelling of the same town
        # recurs, and nothing says these two tell one happening.
        return None
    dates = date_score(range_a, range_b, settings)
    if dates is None:
        return None
    if (assumed_a or assumed_b) and dates[2] is None:
        # A window assumed from the publication date is weak evidence, and never a year shift.
        dates = (min(dates[0], 0.6), dates[1] + " (undated: the week before the report)", None)
    elif assumed_a or assumed_b:
        return None
    place = location_score(ea.location, eb.location, settings)
    if place is None:
        return None
    actors = actor_score(ea, eb, settings)
    notes = [dates[1], place[1]]
    place_score = place[0]
    if (ea.location is None or eb.location is None) and text is not None:
        shared = text.similarity(a, b)
        if shared > place_score:
            place_score = shared
            notes.append(f"evidence shares rare words ({shared:.2f})")
    apart = range_a is not None and range_b is not None and gap_days(range_a, range_b) > 0
    if apart and _rival_perpetrators(ea, eb, settings):
        return None  # another day and another perpetrator: two events, not one told twice
    if ea.location is None and eb.location is None and actors < 1.0 and place_score < 0.2:
        return None  # same type and day anywhere in the world: not enough on its own
    fields = {"type": type_score, "date": dates[0], "location": place_score, "actors": actors}
    if dates[2] is not None:
        # A year apart is only the same event when everything else agrees closely.
        if type_score < 0.85 or place[0] < 0.7 or actors < 0.5:
            return None
        notes.append(f"year shift {dates[2]:+d}")
    score = sum(WEIGHTS[k] * v for k, v in fields.items())
    return Link(
        document_ids=(a.document_id, b.document_id),
        event_ids=(ea.event_id, eb.event_id),
        score=round(score, 4),
        fields={k: round(v, 3) for k, v in fields.items()},
        notes=notes,
    )


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months: list[tuple[int, int]] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def block_keys(item: Item, settings: Settings) -> tuple[list[BlockKey], list[BlockKey]]:
    """Keys of the country-and-month blocks (with the date slack) and of the cross-year blocks."""
    event = item.event
    country = event.location.country if event.location and event.location.country else "?"
    span, _ = item_range(item)
    if span is None:
        return [], []  # undated, its report too: it pairs with nothing (see score_pair)
    if (span[1] - span[0]).days > WIDE_RANGE_DAYS:
        return [(country, "undated")], []
    slack = timedelta(days=settings.data.date_slack_days)
    months = _months(span[0] - slack, span[1] + slack)
    same: list[BlockKey] = [(country, y, m) for y, m in months]
    cross: list[BlockKey] = [
        (country, "any-year", m, event.event_type, *cell)
        for m in sorted({m for _, m in months})
        for cell in _cells(event.location)
    ]
    return same, cross


def _cells(location: Location | None) -> list[tuple[str | int, ...]]:
    """Grid cells for the cross-year blocks, on two grids offset by half a cell.

    Two points closer than half a cell share a cell on one of the four offset grids. A year-shifted
    pair must lie well inside its distance allowance (at most ~150 km), so 4-degree cells lose
    none, and each block holds one region's events of one month of the year.
    """
    if location is None or location.latitude is None or location.longitude is None:
        return [("no-coordinates",)]
    size = CROSS_YEAR_CELL_DEGREES
    cells: list[tuple[str | int, ...]] = []
    for dy in (0.0, size / 2):
        for dx in (0.0, size / 2):
            y = math.floor((location.latitude + dy) / size)
            x = math.floor((location.longitude + dx) / size)
            cells.append((f"{dy:g}/{dx:g}", y, x))
    return cells


def candidate_pairs(items: Sequence[Item], settings: Settings) -> Iterable[tuple[Item, Item]]:
    blocks: dict[BlockKey, list[Item]] = defaultdict(list)
    for item in items:
        same, cross = block_keys(item, settings)
        for key in same + cross:
            blocks[key].append(item)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.document_id == b.document_id:
                    continue
                pair = (a.index, b.index) if a.index < b.index else (b.index, a.index)
                if pair in seen:
                    continue
                seen.add(pair)
                yield a, b


class _Groups:
    """Union-find whose groups remember their members and the reports they hold."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.parent = list(range(len(items)))
        self.members: dict[int, list[Item]] = {i.index: [i] for i in items}
        self.documents: dict[int, set[str]] = {i.index: {i.document_id} for i in items}

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a].extend(self.members.pop(b))
        self.documents[a] |= self.documents.pop(b)


def cluster_items(items: Sequence[Item], settings: Settings) -> list[tuple[list[Item], list[Link]]]:
    """Groups of items that are one event, each with the links that joined it, best links first."""
    scored: list[tuple[float, Item, Item, Link]] = []
    text = TextIndex(items, settings)
    for a, b in candidate_pairs(items, settings):
        link = score_pair(a, b, settings, text)
        if link is not None and link.score >= settings.data.merge_threshold:
            scored.append((link.score, a, b, link))
    scored.sort(key=lambda entry: (-entry[0], entry[1].index, entry[2].index))
    groups = _Groups(items)
    links: dict[int, list[Link]] = defaultdict(list)
    for _, a, b, link in scored:
        root_a, root_b = groups.find(a.index), groups.find(b.index)
        if root_a == root_b:
            links[root_a].append(link)
            continue
        if groups.documents[root_a] & groups.documents[root_b]:
            continue  # a report that tells two events means two
        if not all(
            score_pair(x, y, settings, text) is not None
            for x in groups.members[root_a]
            for y in groups.members[root_b]
        ):
            continue
        joined = links.pop(root_a, []) + links.pop(root_b, []) + [link]
        groups.union(root_a, root_b)
        links[groups.find(a.index)] = joined
    result = []
    for root, members in groups.members.items():
        members.sort(key=lambda item: item.index)
        result.append((members, links.get(root, [])))
    result.sort(key=lambda entry: entry[0][0].index)
    return result
