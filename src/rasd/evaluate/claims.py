"""``rasd eval claims GOLD.jsonl``: casualty claims against the claims of annotated reports.

All gold claims of a report (over all its events) are matched one to one to the report's ``claim``
mentions by span overlap (largest overlap first). Over the matched pairs the scorer reports the
value (low, best and high all equal), the quantity, and the attribution: both null, or the same
source — named alike (case-insensitively, one name holding the other, as the events scorer compares
actors) or read from overlapping attribution spans. Gold names sources in free English ("Iraqi
security source", "Rami Abdel Rahman, SOHR"), so the span overlap alone is reported too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasd.document import Mention, Source
from rasd.errors import InputError
from rasd.evaluate import EvalOptions, EvalReport
from rasd.jsontypes import JSONObject
from rasd.pipeline import Pipeline, make_document


@dataclass(slots=True)
class ClaimTally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    value: int = 0
    quantity: int = 0
    attribution: int = 0
    matched_unnamed: int = 0
    attribution_unnamed: int = 0
    attribution_null_agrees: int = 0
    attribution_span: int = 0
    gold_attributed: int = 0
    qualifier: int = 0
    by_quantity: dict[str, list[int]] = field(default_factory=dict)

    def figures(self) -> JSONObject:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "gold_claims": self.gold,
            "predicted_claims": self.predicted,
            "matched": self.matched,
            "recall": ratio(self.matched, self.gold),
            "precision": ratio(self.matched, self.predicted),
            "value_exact": ratio(self.value, self.matched),
            "quantity": ratio(self.quantity, self.matched),
            "qualifier": ratio(self.qualifier, self.matched),
            "attribution": ratio(self.attribution, self.matched),
            "attribution_without_person_names": ratio(
                self.attribution_unnamed, self.matched_unnamed
            ),
            "attribution_null_agrees": ratio(self.attribution_null_agrees, self.matched),
            "attribution_span_overlap": ratio(self.attribution_span, self.gold_attributed),
        }


def _locate(text: str, span: str | None, near: int = 0) -> tuple[int, int] | None:
    if not span:
        return None
    positions = []
    start = text.find(span)
    while start >= 0:
        positions.append(start)
        start = text.find(span, start + 1)
    if not positions:
        return None
    best = min(positions, key=lambda p: abs(p - near))
    return best, best + len(span)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _same_name(gold: str | None, got: Any) -> bool:
    """Named alike: equal, or one name holds the other, as the events scorer compares actors.

    «police spokesman» agrees with «Jawad Basharat, regional police spokesman».
    """
    if gold is None or got is None:
        return gold is None and got is None
    a = " ".join(str(gold).casefold().replace("(", " ").replace(")", " ").split())
    b = " ".join(str(got).casefold().replace("(", " ").replace(")", " ").split())
    return bool(a and b) and (a == b or a in b or b in a)


def score_report(
    record: dict[str, Any], mentions: list[Mention], tally: ClaimTally, errors: list[str] | None
) -> None:
    text = record["text"]
    claims = [m for m in mentions if m.kind == "claim" and isinstance(m.value, dict)]
    tally.predicted += len(claims)
    gold_claims = [c for event in record.get("events", []) for c in event.get("claims", [])]
    pairs: list[tuple[int, int, int]] = []
    located: list[tuple[int, int] | None] = []
    for g_index, gold in enumerate(gold_claims):
        span = _locate(text, gold.get("span"))
        located.append(span)
        if span is None:
            continue
        for p_index, m in enumerate(claims):
            size = _overlap(span, (m.start, m.end))
            if size:
                pairs.append((size, g_index, p_index))
    pairs.sort(reverse=True)
    gold_done: dict[int, int] = {}
    used: set[int] = set()
    for _, g_index, p_index in pairs:
        if g_index in gold_done or p_index in used:
            continue
        gold_done[g_index] = p_index
        used.add(p_index)
    for g_index, gold in enumerate(gold_claims):
        tally.gold += 1
        quantity = gold.get("quantity", "?")
        row = tally.by_quantity.setdefault(quantity, [0, 0, 0])
        row[0] += 1
        if gold.get("attributed_to"):
            tally.gold_attributed += 1
        if g_index not in gold_done:
            if errors is not None:
                errors.append(f"{record['id']}: missed {quantity} {gold.get('span')!r}")
            continue
        got = claims[gold_done[g_index]].value
        assert isinstance(got, dict)
        tally.matched += 1
        row[1] += 1
        value_ok = all(got.get(k) == gold.get(k) for k in ("low", "best", "high"))
        tally.value += value_ok
        row[2] += value_ok
        tally.quantity += got.get("quantity") == quantity
        tally.qualifier += got.get("qualifier") == gold.get("qualifier")
        gold_attr = _locate(text, gold.get("attribution_span"), (located[g_index] or (0, 0))[0])
        got_attr = got.get("attribution_span")
        span_ok = False
        if gold_attr and isinstance(got_attr, list) and len(got_attr) == 2:
            a0, a1 = got_attr
            span_ok = (
                isinstance(a0, int) and isinstance(a1, int) and _overlap(gold_attr, (a0, a1)) > 0
            )
        tally.attribution_span += span_ok
        # the same source: named alike, or read from the same words of the text (gold names
        # sources in free English, "Rami Abdel Rahman, SOHR"; the events scorer agrees on either)
        name_ok = _same_name(gold.get("attributed_to"), got.get("attributed_to")) or span_ok
        tally.attribution += name_ok
        if "," not in str(gold.get("attributed_to") or ""):
            # gold writes a person as "Name, role"; names are not transliterated by Rasd
            tally.matched_unnamed += 1
            tally.attribution_unnamed += name_ok
        tally.attribution_null_agrees += (gold.get("attributed_to") is None) == (
            got.get("attributed_to") is None
        )
        if errors is not None and not (value_ok and got.get("quantity") == quantity and name_ok):
            errors.append(
                f"{record['id']}: {gold.get('span')!r} gold {quantity} "
                f"{gold.get('low')}/{gold.get('best')}/{gold.get('high')} "
                f"{gold.get('attributed_to')!r}; got {got.get('quantity')} "
                f"{got.get('low')}/{got.get('best')}/{got.get('high')} {got.get('attributed_to')!r}"
            )


def evaluate(path: Path, options: EvalOptions) -> EvalReport:
    if path.is_dir():
        raise InputError(str(path), "claims are scored on one gold .jsonl file")
    # the stages claims needs, so that this scores the claims stage (other recognizers have their
    # own scorers; places and actors are optional inputs to claims)
    pipeline = Pipeline(["normalize", "segment", "numbers", "claims"])
    tally = ClaimTally()
    errors: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if options.limit is not None and count >= options.limit:
                break
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{count + 1}", f"not JSON: {exc}") from exc
            source = Source.from_dict(
                {
                    k: v
                    for k, v in (record.get("source") or {}).items()
                    if k in {"publisher", "url", "published", "title"}
                }
            )
            doc = pipeline(make_document(record["text"], source, record.get("lang")))
            score_report(record, doc.mentions, tally, errors if options.errors else None)
    figures = tally.figures()
    lines = [f"{'measure':<34} {'value':>8}", "-" * 43]
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        lines.append(f"{key:<34} {shown:>8}")
    lines.append("")
    lines.append(f"{'quantity':<14} {'gold':>5} {'matched':>8} {'value ok':>9}")
    for quantity, (gold, matched, ok) in sorted(tally.by_quantity.items()):
        lines.append(f"{quantity:<14} {gold:>5} {matched:>8} {ok:>9}")
    lines.append(
        "value/quantity/qualifier/attribution are over matched claims; "
        "attribution_without_person_names leaves out gold sources written 'Name, role'; "
        "precision counts every predicted claim, including figures the gold leaves out"
    )
    figures["by_quantity"] = {
        q: {"gold": r[0], "matched": r[1], "value_ok": r[2]} for q, r in tally.by_quantity.items()
    }
    return EvalReport(
        title=f"claims: {path}", table="\n".join(lines), figures=figures, errors=errors
    )
