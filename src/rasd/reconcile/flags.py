"""Contradictions between and within reports, each with both sides' evidence.

Nothing here changes a value: a flag says who says what, where, and the merge decides the figures
separately (a misattributed claim is only left out of ``best``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from rasd.reconcile.figures import Position
from rasd.reconcile.match import date_range, gap_days, year_shift
from rasd.reconcile.model import FlagSide, Item, ReconcileFlag
from rasd.reconcile.settings import Settings
from rasd.records import Claim, SpanRef


def _side(item: Item, says: str, evidence: Sequence[SpanRef]) -> FlagSide:
    report = item.report
    return FlagSide(
        document_id=report.document_id,
        publisher=report.publisher,
        published=report.published,
        says=says,
        evidence=list(evidence),
    )


def _date_evidence(item: Item) -> list[SpanRef]:
    return [e.span for e in item.event.evidence if e.field.startswith("date")]


def _fmt_range(span: tuple[date, date]) -> str:
    return span[0].isoformat() if span[0] == span[1] else f"{span[0]} … {span[1]}"


def date_flags(
    items: Sequence[Item], merged: tuple[date, date] | None, settings: Settings
) -> list[ReconcileFlag]:
    """Reports whose dates leave the range most reports agree on."""
    if merged is None:
        return []
    inside = [
        i for i in items if (r := date_range(i.event)) is not None and gap_days(r, merged) == 0
    ]
    flags = []
    for item in items:
        span = date_range(item.event)
        if span is None or gap_days(span, merged) == 0:
            continue
        years = year_shift(span, merged, settings.data.year_shift_max)
        if years is not None:
            message = (
                f"same day and month, different year: {_fmt_range(span)} here, "
                f"{_fmt_range(merged)} in {len(inside)} other report(s)"
            )
        else:
            message = (
                f"dated {_fmt_range(span)} here, {gap_days(span, merged)} day(s) from "
                f"{_fmt_range(merged)} in {len(inside)} other report(s)"
            )
        sides = [_side(item, _fmt_range(span), _date_evidence(item))]
        sides += [
            _side(other, _fmt_range(r), _date_evidence(other))
            for other in inside
            if (r := date_range(other.event)) is not None
        ]
        flags.append(
            ReconcileFlag(
                kind="date_conflict",
                message=message,
                sides=sides,
                by="reconcile.year_shift" if years is not None else "reconcile.date_gap",
            )
        )
    return flags


def _wide(a: float, b: float, settings: Settings) -> bool:
    """Whether b (the larger) is widely above a: by the ratio in the settings."""
    rules = settings.data.figure_conflict
    if math.isinf(b):
        return False
    return b - a >= rules.min_difference and (a <= 0 or b / a >= rules.ratio)


def _conflicting(p: Position, q: Position, settings: Settings) -> bool:
    lo_p, hi_p = p.interval(settings)
    lo_q, hi_q = q.interval(settings)
    if hi_p < lo_q:
        return _wide(hi_p, lo_q, settings)
    if hi_q < lo_p:
        return _wide(hi_q, lo_p, settings)
    return False


def figure_flags(positions: Sequence[Position], settings: Settings) -> list[ReconcileFlag]:
    """One flag per quantity when reports from different sources give figures that cannot agree."""
    clashing = {
        id(p): p
        for i, p in enumerate(positions)
        for q in positions[i + 1 :]
        if p.group != q.group and _conflicting(p, q, settings)
        for p in (p, q)
    }
    if not clashing:
        return []
    values = [p.best if p.best is not None else p.low for p in positions]
    known = [v for v in values if v is not None]
    spread = (min(known), max(known))
    ordered = sorted(positions, key=lambda p: (p.published or date.min, p.item.index))
    sides = [_side(p.item, p.describe(), p.spans) for p in ordered]
    quantity = positions[0].quantity
    trend = ""
    dated = [(p.published, p.best) for p in ordered if p.published and p.best is not None]
    if len(dated) >= 2 and dated[-1][1] > dated[0][1] and dated[-1][0] > dated[0][0]:
        trend = " (rising with later reports)"
    return [
        ReconcileFlag(
            kind="figure_conflict",
            message=f"{quantity} range from {spread[0]} to {spread[1]} across reports{trend}",
            sides=sides,
            quantity=quantity,
            spread=spread,
            by="reconcile.figure_spread",
        )
    ]


def _matches_statement(value: int, claim: Claim, settings: Settings) -> bool:
    tolerance = settings.data.figure_conflict.approx_tolerance
    stated = [v for v in (claim.low, claim.best, claim.high) if v is not None]
    if (
        claim.qualifier == "range"
        and claim.low is not None
        and claim.high is not None
        and claim.low <= value <= claim.high
    ):
        return True
    return any(abs(value - s) <= tolerance * max(s, 1) for s in stated)


def _own_statements(
    source_key: str, quantity: str, items: Sequence[Item], settings: Settings
) -> list[tuple[Item, Claim]]:
    """What a source says in its own reports (published by it, in its own voice)."""
    found = []
    for item in items:
        publisher = settings.key(item.report.publisher)
        if publisher and (publisher == source_key or _same_source(publisher, source_key)):
            found += [
                (item, c)
                for c in item.event.claims
                if c.quantity == quantity and c.attributed_to is None and c.best is not None
            ]
    return found


def _same_source(a: str, b: str) -> bool:
    """One source named two ways ("Human Rights Watch" and "Human Rights Watch report")."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return f" {short} " in f" {long} " and len(short) >= 4


def misattribution_flags(
    items: Sequence[Item], groups: dict[int, int], settings: Settings
) -> tuple[list[ReconcileFlag], set[tuple[str, int]]]:
    """Claims attributed to X that X's own report, or X as cited elsewhere, contradicts.

    Returns the flags and the (document id, claim position) pairs judged misattributed.
    """
    attributed: list[tuple[Item, int, Claim, str]] = []
    for item in items:
        for n, claim in enumerate(item.event.claims):
            if claim.attributed_to and claim.best is not None:
                attributed.append((item, n, claim, settings.key(claim.attributed_to)))
    flags: list[ReconcileFlag] = []
    wrong: set[tuple[str, int]] = set()
    for item, n, claim, key in attributed:
        assert claim.best is not None
        own = [
            (other, c)
            for other, c in _own_statements(key, claim.quantity, items, settings)
            if other.document_id != item.document_id
        ]
        cited = [
            (other, c)
            for other, m, c, k in attributed
            if (k == key or _same_source(k, key))
            and c.quantity == claim.quantity
            and groups[other.index] != groups[item.index]
        ]
        reference = own or cited
        if not reference:
            continue
        agreeing = [x for x in reference if _matches_statement(claim.best, x[1], settings)]
        if agreeing:
            continue
        # Only one other report citing X: one word against another, so the pair is flagged once
        # (on the later item) and neither claim is discounted.
        split = not own and len(cited) == 1
        if split and cited[0][0].index > item.index:
            continue
        if not split:
            wrong.add((item.document_id, n))
        source = claim.attributed_to
        basis = "its own report" if own else "other reports citing it"
        values = sorted({c.best for _, c in reference if c.best is not None})
        if split:
            message = (
                f"{source} is cited for {claim.best} {claim.quantity} in one report and "
                f"{', '.join(map(str, values))} in another"
            )
        else:
            message = (
                f"{claim.best} {claim.quantity} attributed to {source}, but {basis} "
                f"give{'s' if own else ''} {', '.join(map(str, values))}"
            )
        sides = [_side(item, f"{claim.best} according to {source}", _claim_spans(claim))]
        sides += [
            _side(other, _claim_says(c, own=bool(own)), _claim_spans(c)) for other, c in reference
        ]
        flags.append(
            ReconcileFlag(
                kind="misattribution",
                message=message,
                sides=sides,
                quantity=claim.quantity,
                by="reconcile.own_report" if own else "reconcile.cited_elsewhere",
            )
        )
    return flags, wrong


def _claim_spans(claim: Claim) -> list[SpanRef]:
    spans = [claim.span]
    if claim.attribution_span is not None:
        spans.append(claim.attribution_span)
    return spans


def _claim_says(claim: Claim, *, own: bool) -> str:
    words = {"at_least": "at least ", "approx": "about ", "at_most": "at most "}
    who = "in its own report" if own else f"according to {claim.attributed_to}"
    return f"{words.get(claim.qualifier, '')}{claim.best} {claim.quantity} {who}"


def report_flags(item: Item, settings: Settings) -> list[ReconcileFlag]:
    """Checks inside one report: breakdowns, derived tolls and rival figures that disagree."""
    event = item.event
    flags: list[ReconcileFlag] = []
    for claim in event.claims:
        total = claim.high if claim.high is not None else claim.best
        if len(claim.parts) >= 2 and total is not None and sum(claim.parts) > total:
            flags.append(
                ReconcileFlag(
                    kind="breakdown_mismatch",
                    message=(
                        f"parts {' + '.join(map(str, claim.parts))} = {sum(claim.parts)} "
                        f"exceed the stated total {total} {claim.quantity}"
                    ),
                    sides=[_side(item, f"total {total}, parts {claim.parts}", [claim.span])],
                    quantity=claim.quantity,
                    by="reconcile.breakdown",
                )
            )
    by_quantity: dict[tuple[str, str], list[Claim]] = {}
    for claim in event.claims:
        by_quantity.setdefault((claim.quantity, settings.key(claim.victims)), []).append(claim)
    for (quantity, _), claims in by_quantity.items():
        flagged = _rival_claims(claims, settings)
        if flagged is None:
            continue
        a, b, why = flagged
        flags.append(
            ReconcileFlag(
                kind="internal_inconsistency",
                message=f"{why}: {_claim_text(a)} vs {_claim_text(b)} in one report",
                sides=[
                    _side(item, _claim_text(a), _claim_spans(a)),
                    _side(item, _claim_text(b), _claim_spans(b)),
                ],
                quantity=quantity,
                by="reconcile.within_report",
            )
        )
    for name in ("fatalities", "injured", "detained"):
        figures = getattr(event, name)
        if figures.low is not None and figures.high is not None and figures.low > figures.high:
            flags.append(
                ReconcileFlag(
                    kind="internal_inconsistency",
                    message=f"{name} low {figures.low} above high {figures.high}",
                    sides=[_side(item, f"{figures.low} > {figures.high}", [])],
                    quantity=name,
                    by="reconcile.figure_order",
                )
            )
    return flags


def _claim_text(claim: Claim) -> str:
    words = {"at_least": "at least ", "approx": "about ", "at_most": "at most "}
    who = f" ({claim.attributed_to})" if claim.attributed_to else ""
    how = f" derived: {claim.derivation}" if claim.derivation else ""
    return f"{words.get(claim.qualifier, '')}{claim.best}{who}{how}"


def _rival_claims(claims: Sequence[Claim], settings: Settings) -> tuple[Claim, Claim, str] | None:
    """Two figures in one report that cannot both hold.

    A derived toll against a stated one, or two named sources that disagree; parts of one total
    share no source, so they are not compared.
    """
    tolerance = settings.data.figure_conflict.approx_tolerance
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.best is None or b.best is None or "vague" in (a.qualifier, b.qualifier):
                continue
            derived = (a.qualifier == "derived") != (b.qualifier == "derived")
            rival_sources = (
                a.attributed_to is not None
                and b.attributed_to is not None
                and settings.key(a.attributed_to) != settings.key(b.attributed_to)
            )
            if not derived and not rival_sources:
                continue
            low, high = sorted((a, b), key=lambda c: c.best or 0)
            assert low.best is not None
            assert high.best is not None
            if low.qualifier == "at_least" and high.best >= low.best:
                continue
            if high.qualifier == "at_most" and low.best <= high.best:
                continue
            if high.best - low.best <= tolerance * high.best:
                continue
            if _wide(float(low.best), float(high.best), settings):
                why = "a derived toll contradicts a stated one" if derived else "sources disagree"
                return a, b, why
    return None
