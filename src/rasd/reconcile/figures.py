"""Each report's position on a figure, and the merged low/best/high over all of them.

A report's *position* on a quantity is its event's own figures (which already add up parts such as
"10 recruits and 3 workers"), described by the claim that states its best value when there is one
(qualifier, who it is attributed to, the span). Raw claims are not compared one by one because a
part ("3 of the workers") is not a rival toll.

Merged figures, the documented rule:
- low = the lowest figure any report gives (vague and derived figures count: they are bounds);
- high = the highest figure stated;
- best = the best value of one report's position, chosen among positions that are neither vague nor
  derived nor a misattributed claim, by (1) how many independent sources agree with it,
  (2) authority (the responsible party or an official, then a named source or the paper itself,
  then anonymous sources), (3) specificity (exact, approx, at least/at most, range), (4) the latest
  report (tolls rise as the dead are counted).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rasd.reconcile.model import FigureRule, Item
from rasd.reconcile.settings import Settings
from rasd.records import Claim, Figures, SpanRef

QUANTITIES = ("fatalities", "injured", "detained")
SPECIFICITY = {"exact": 3, "approx": 2, "at_least": 1, "at_most": 1, "range": 0}
ANONYMOUS = ("source", "sources", "مصدر", "مصادر")


@dataclass(frozen=True, slots=True)
class Position:
    item: Item
    group: int
    quantity: str
    low: int | None
    best: int | None
    high: int | None
    qualifier: str
    attributed_to: str | None
    claims: tuple[Claim, ...]

    @property
    def published(self) -> date | None:
        return self.item.report.published

    @property
    def spans(self) -> list[SpanRef]:
        return [c.span for c in self.claims]

    def interval(self, settings: Settings) -> tuple[float, float]:
        """The values this position allows: "at least 20" is 20..∞, "about 30" is 27..33."""
        best = self.best if self.best is not None else self.low
        if best is None:
            return (0.0, math.inf)
        tolerance = settings.data.figure_conflict.approx_tolerance
        if self.qualifier in ("at_least", "vague", "derived"):
            return (float(self.low if self.low is not None else best), math.inf)
        if self.qualifier == "at_most":
            return (0.0, float(best))
        low = self.low if self.low is not None else best
        high = self.high if self.high is not None else best
        if self.qualifier == "approx":
            return (min(low, best * (1 - tolerance)), max(high, best * (1 + tolerance)))
        return (float(min(low, best)), float(max(high, best)))

    def describe(self) -> str:
        words = {"at_least": "at least ", "approx": "about ", "at_most": "at most "}
        value = f"{words.get(self.qualifier, '')}{self.best if self.best is not None else self.low}"
        source = f" according to {self.attributed_to}" if self.attributed_to else ""
        return f"{value} {self.quantity}{source}"


def figures_of(item: Item, quantity: str) -> Figures:
    figures: Figures = getattr(item.event, quantity)
    return figures


def position(item: Item, group: int, quantity: str) -> Position | None:
    """A report's figure for one quantity, or None when the report gives none."""
    figures = figures_of(item, quantity)
    claims = tuple(c for c in item.event.claims if c.quantity == quantity)
    best = figures.best
    if best is None and figures.low is None and not claims:
        return None
    if best is None and figures.low is None:
        # An event with claims but no figures: take the claims' own range.
        lows = [c.low for c in claims if c.low is not None]
        bests = [c.best for c in claims if c.best is not None]
        highs = [c.high if c.high is not None else c.best for c in claims]
        figures = Figures(
            low=min(lows) if lows else None,
            best=max(bests) if bests else None,
            high=max((h for h in highs if h is not None), default=None),
        )
        best = figures.best
    stating = [c for c in claims if c.best == best] or [
        c for c in claims if c.low == figures.low and c.low is not None
    ]
    lead = stating[0] if stating else None
    qualifier = lead.qualifier if lead else ("exact" if figures.low == figures.high else "range")
    return Position(
        item=item,
        group=group,
        quantity=quantity,
        low=figures.low,
        best=best,
        high=figures.high,
        qualifier=qualifier,
        attributed_to=lead.attributed_to if lead else None,
        claims=tuple(stating) if stating else claims,
    )


def authority(pos: Position, settings: Settings) -> int:
    event = pos.item.event
    source = pos.attributed_to
    if source is None:
        return 1
    key = settings.key(source)
    if event.actor1 is not None and key and key == settings.key(event.actor1.name):
        return 3  # the responsible party itself
    if settings.is_official(source):
        return 3
    if key in ANONYMOUS or any(key.startswith(a) for a in ANONYMOUS):
        return 0
    return 2


def merge_figures(
    positions: Sequence[Position], settings: Settings, discounted: set[int]
) -> tuple[Figures, FigureRule | None]:
    """Merged figures of one quantity; ``discounted`` holds ids of misattributed positions."""
    if not positions:
        return Figures(), None
    quantity = positions[0].quantity
    lows = [p.low if p.low is not None else p.best for p in positions]
    highs = [p.high if p.high is not None else p.best for p in positions]
    low = min((v for v in lows if v is not None), default=None)
    high = max((v for v in highs if v is not None), default=None)
    bound_only = set(settings.data.bound_only_qualifiers)
    candidates = [
        p
        for p in positions
        if p.best is not None and p.qualifier not in bound_only and id(p) not in discounted
    ]
    best: int | None = None
    best_from: str | None = None
    if candidates:

        def rank(p: Position) -> tuple[int, int, int, date]:
            assert p.best is not None
            value = p.best
            agreeing = {
                q.group
                for q in positions
                if q.interval(settings)[0] <= value <= q.interval(settings)[1]
            }
            return (
                len(agreeing),
                authority(p, settings),
                SPECIFICITY.get(p.qualifier, 0),
                p.published or date.min,
            )

        chosen = max(candidates, key=rank)
        best = chosen.best
        publisher = chosen.item.report.publisher or chosen.item.document_id
        best_from = f"{chosen.describe()} ({publisher})"
    if best is not None:
        low = min(low, best) if low is not None else best
        high = max(high, best) if high is not None else best
    figures = Figures(low=low, best=best, high=high)
    rule = FigureRule(
        quantity=quantity,
        low=low,
        best=best,
        high=high,
        best_from=best_from,
        claims_used=sum(len(p.claims) for p in positions),
    )
    return figures, rule
