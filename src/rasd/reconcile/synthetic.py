"""Synthetic reports of synthetic events, with the clusters and flags they should produce.

Each world event is told by a few reports from different publishers, which vary it the way real
papers do without contradicting one another (a coarser date or place, a missing actor, a sub-type,
"about" a figure, a wire copy reprinted by another paper). Some events then get one deliberate
contradiction, so the expected flag is known:

- ``year``: one report dates the event a year off (same day and month) → ``date_conflict`` on it;
- ``figure``: one report gives its own toll several times the others → ``figure_conflict``;
- ``swap``: one report attributes the primary source's figure to the second source, whose own
  figure (its own report, or as others cite it) is different → ``misattribution`` on it.

An event with a second source whose figure differs widely also expects a ``figure_conflict``
(that disagreement is real, not planted). Nothing here reads real reports: places, names and texts
are generated from a seed, so the set is reproducible and free of licence conditions.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from rasd.reconcile.match import shift_years
from rasd.reconcile.model import ReconcileFlag, Report
from rasd.records import (
    Actor,
    Claim,
    DatePrecision,
    EventRecord,
    Figures,
    Location,
    Qualifier,
    SpanRef,
)

TYPES = (
    ("Explosions/Remote violence", ("Suicide bomb", "Remote explosive/landmine/IED")),
    ("Explosions/Remote violence", ("Air/drone strike", "Shelling/artillery/missile attack")),
    ("Violence against civilians", ("Attack",)),
    ("Battles", ("Armed clash",)),
)
VARIATIONS = ("year", "figure", "swap")
QUALIFIERS: dict[str, Qualifier] = {"exact": "exact", "approx": "approx", "at_least": "at_least"}


@dataclass(frozen=True, slots=True)
class Expected:
    """A flag the set should produce: its kind and the report (or the event) it is about."""

    kind: str
    key: str


@dataclass(slots=True)
class SyntheticSet:
    reports: list[Report]
    truth: dict[tuple[str, str], str]  # (document id, event id) -> world event id
    expected: set[Expected] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _World:
    event_id: str
    event_type: str
    sub_types: tuple[str, ...]
    day: date
    location: Location
    perpetrator: Actor
    victims: Actor
    figure: int
    primary: str
    second: str | None
    second_figure: int | None


def _places(rng: random.Random, countries: int, cities: int) -> dict[str, list[Location]]:
    places: dict[str, list[Location]] = {}
    for c in range(countries):
        code = f"Q{c:02d}"
        lat0, lon0 = rng.uniform(-30, 50), rng.uniform(-20, 100)
        places[code] = [
            Location(
                name=f"City {c}-{k}",
                country=code,
                admin1=f"Province {c}-{k % 5}",
                latitude=round(lat0 + rng.uniform(-4, 4), 4),
                longitude=round(lon0 + rng.uniform(-4, 4), 4),
                precision="city",
            )
            for k in range(cities)
        ]
    return places


def _world(
    rng: random.Random, n: int, places: dict[str, list[Location]], years: int, second: bool
) -> _World:
    country = rng.choice(sorted(places))
    event_type, sub_types = rng.choice(TYPES)
    figure = rng.randint(3, 400)
    return _World(
        event_id=f"w{n}",
        event_type=event_type,
        sub_types=sub_types,
        day=date(2010, 1, 1) + timedelta(days=rng.randrange(365 * years)),
        location=rng.choice(places[country]),
        perpetrator=Actor(name=f"Armed group {country}-{rng.randrange(4)}", kind="rebel group"),
        victims=Actor(name=f"Civilians ({country})", kind="civilians"),
        figure=figure,
        primary=f"Ministry of Health of {country}",
        second=f"Monitor {rng.randrange(6)}" if second else None,
        second_figure=int(figure * rng.uniform(1.8, 3.0)) + 1 if second else None,
    )


def _text(rng: random.Random, world: _World, salt: int) -> str:
    """A report text: shared event words plus the paper's own words (copies share nearly all)."""
    own = [f"w{rng.randrange(5000)}" for _ in range(60)]
    core = [f"e{world.event_id}x{k}" for k in range(6)] + [f"s{salt}"]
    words = own[:30] + core + own[30:]
    return " ".join(words)


def _claim(doc: str, text: str, value: int, source: str | None, qualifier: str) -> Claim:
    return Claim(
        quantity="fatalities",
        low=value,
        best=value,
        high=value if qualifier == "exact" else None if qualifier == "at_least" else value,
        qualifier=QUALIFIERS[qualifier],
        span=SpanRef(document_id=doc, start=0, end=min(len(text), 10), text=text[:10]),
        attributed_to=source,
        by="synthetic",
    )


def _record(
    rng: random.Random,
    world: _World,
    doc: str,
    claims: list[Claim],
    day: date,
    exact_day: bool = False,
) -> EventRecord:
    coarse = 0.0 if exact_day else rng.random()
    precision: DatePrecision
    if coarse < 0.6:
        start, end, precision = day, day, "day"
    elif coarse < 0.9:
        start, end, precision = day - timedelta(days=rng.randrange(3)), day, "week"
    else:
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        precision = "month"
    location = world.location
    if rng.random() < 0.15:
        location = location.model_copy(
            update={
                "name": location.admin1,
                "precision": "admin1",
                "latitude": round((location.latitude or 0) + rng.uniform(-0.4, 0.4), 4),
                "longitude": round((location.longitude or 0) + rng.uniform(-0.4, 0.4), 4),
            }
        )
    values = [c.best for c in claims if c.best is not None]
    return EventRecord(
        event_id=f"{doc}#0",
        document_ids=[doc],
        event_type=world.event_type,
        sub_event_type=rng.choice(world.sub_types),
        date_start=start,
        date_end=end,
        date_precision=precision,
        actor1=world.perpetrator if rng.random() < 0.7 else None,
        actor2=world.victims if rng.random() < 0.6 else None,
        location=location,
        fatalities=Figures(
            low=min(values) if values else None,
            best=values[0] if values else None,
            high=max(values) if values else None,
        ),
        claims=claims,
    )


def generate(events: int, seed: int = 7, years: int = 8, countries: int = 20) -> SyntheticSet:
    """``events`` world events, their reports, and the flags a correct reconciler raises."""
    rng = random.Random(seed)
    places = _places(rng, countries, cities=30)
    result = SyntheticSet(reports=[], truth={})
    counter = 0

    def add(
        world: _World,
        publisher: str,
        text: str,
        claims: list[Claim],
        day: date,
        published: date | None = None,
        exact_day: bool = False,
    ) -> str:
        nonlocal counter
        doc = f"d{counter}"
        counter += 1
        claims = [
            c.model_copy(update={"span": c.span.model_copy(update={"document_id": doc})})
            for c in claims
        ]
        record = _record(rng, world, doc, claims, day, exact_day)
        result.reports.append(
            Report(
                document_id=doc,
                text=text,
                events=(record,),
                publisher=publisher,
                published=published or day,
            )
        )
        if len({c.best for c in claims if c.attributed_to}) > 1:
            # Two named sources with different tolls in one report: it disagrees with itself.
            result.expected.add(Expected("internal_inconsistency", doc))
        result.truth[(doc, record.event_id)] = world.event_id
        return doc

    for n in range(events):
        told = rng.choice((1, 2, 2, 3, 3, 4))
        variation = rng.choice(VARIATIONS) if told >= 3 and rng.random() < 0.5 else None
        world = _world(rng, n, places, years, second=variation == "swap" or rng.random() < 0.3)
        publishers = rng.sample(range(40), told + 1)
        docs: list[str] = []
        for k in range(told):
            claims = [_claim("", "", world.figure, world.primary, rng.choice(("exact", "approx")))]
            if world.second is not None and world.second_figure is not None and rng.random() < 0.5:
                claims.append(_claim("", "", world.second_figure, world.second, "exact"))
            day = world.day
            if k == 0 and variation == "year":
                day = shift_years(day, rng.choice((-1, 1)))
            if k == 0 and variation == "figure":
                claims = [_claim("", "", world.figure * rng.randint(3, 6), None, "exact")]
            if k == 0 and variation == "swap":
                assert world.second is not None
                claims = [_claim("", "", world.figure, world.second, "exact")]
            text = _text(rng, world, n * 10 + k)
            shifted = k == 0 and variation == "year"  # the wrong year on an exact day
            docs.append(add(world, f"Paper {publishers[k]}", text, claims, day, exact_day=shifted))
            if rng.random() < 0.1 and variation is None:
                # A wire copy: another paper prints the same text and the same figures.
                later = day + timedelta(days=1)
                docs.append(add(world, f"Paper {publishers[-1]}", text, claims, day, later))
        if (
            world.second is not None
            and world.second_figure is not None
            and (variation == "swap" or rng.random() < 0.3)
        ):
            own = [_claim("", "", world.second_figure, None, "exact")]
            docs.append(add(world, world.second, _text(rng, world, n * 10 + 9), own, world.day))
        if variation == "year":
            result.expected.add(Expected("date_conflict", docs[0]))
        if variation == "swap":
            result.expected.add(Expected("misattribution", docs[0]))
        stated = [
            {c.best for e in r.events for c in e.claims} for r in result.reports[-len(docs) :]
        ]
        only_primary = any(values == {world.figure} for values in stated)
        only_second = any(values == {world.second_figure} for values in stated)
        figures_differ = only_primary and only_second
        if variation == "figure" or figures_differ:
            result.expected.add(Expected("figure_conflict", world.event_id))
    return result


def flag_key(flag: ReconcileFlag, truth: dict[str, str]) -> Expected:
    """The expected-flag key a produced flag answers (figure conflicts are about the event)."""
    first = flag.sides[0].document_id
    if flag.kind == "figure_conflict":
        return Expected(flag.kind, truth.get(first, first))
    return Expected(flag.kind, first)


def score(flags: Sequence[ReconcileFlag], data: SyntheticSet) -> tuple[float, float, int]:
    """Flag precision and recall against the planted contradictions, and the number of flags."""
    truth = {doc: world for (doc, _), world in data.truth.items()}
    produced = {flag_key(f, truth) for f in flags}
    hits = len(produced & data.expected)
    precision = hits / len(produced) if produced else 1.0
    recall = hits / len(data.expected) if data.expected else 1.0
    return precision, recall, len(produced)
