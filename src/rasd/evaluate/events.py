"""``rasd eval GOLD.jsonl``: score extracted events against a gold file (docs/gold-format.md).

Each report runs through the default pipeline with ``source.published`` from the gold record as its
publication date. Gold and predicted events of one report are paired greedily by how well they
agree (same evidence sentence, date overlap, distance, type); a pair is a *match* under the gold
format's rule when the type is equal, the dates overlap and the places lie within 25 km. Event
P/R/F1 counts matches; every other row is measured over the pairs, so a wrong type still lets the
date, place and figures be scored. Pairs that match are taken before pairs that only agree, so the
match count is the one the gold rule allows. Two places at province precision naming the same
province of the same country are the same place: where a province's point lies (centroid or capital)
is a convention, not a disagreement. Province names compare by their consonant skeleton, so
transliterations («Sa'dah», «Saada»; «Borno State», «Borno») agree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rasd.document import Document, Source
from rasd.errors import InputError
from rasd.evaluate import EvalOptions, EvalReport
from rasd.events import distance_km
from rasd.jsontypes import JSONObject
from rasd.pipeline import Pipeline
from rasd.records import EventRecord

_NEAR_KM = 25.0


@dataclass(slots=True)
class Tally:
    """Correct out of scored for one row."""

    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hits += int(ok)

    @property
    def rate(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(slots=True)
class Scores:
    gold_events: int = 0
    predicted_events: int = 0
    matched: int = 0
    matched_no_place: int = 0
    paired: int = 0
    rows: dict[str, Tally] = field(default_factory=dict)

    def row(self, name: str) -> Tally:
        return self.rows.setdefault(name, Tally())


ROWS = [
    ("type", "event type (paired)"),
    ("sub_type", "sub-event type (paired)"),
    ("date_exact", "date exact (start, end)"),
    ("date_overlap", "date overlap"),
    ("date_precision", "date precision"),
    ("country", "country"),
    ("admin1", "admin1"),
    ("within_25km", "location within 25 km"),
    ("actor1", "actor1"),
    ("actor2", "actor2"),
    ("fatalities_best_exact", "fatalities best exact"),
    ("fatalities_best_10pct", "fatalities best ±10 %"),
    ("claims_recall", "claims found (gold claims)"),
    ("attribution", "claim attribution"),
    ("span_overlap", "evidence span overlap"),
    ("span_exact", "location span exact"),
]


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _overlap(gold: dict[str, Any], event: EventRecord) -> bool:
    start, end = _date(gold.get("start")), _date(gold.get("end"))
    if start is None or event.date_start is None:
        return False
    return start <= (event.date_end or event.date_start) and event.date_start <= (end or start)


def _distance(gold: dict[str, Any], event: EventRecord) -> float | None:
    loc = event.location
    if loc is None or loc.latitude is None or loc.longitude is None:
        return None
    if gold.get("lat") is None or gold.get("lon") is None:
        return None
    return distance_km(float(gold["lat"]), float(gold["lon"]), loc.latitude, loc.longitude)


# Words that only say what kind of unit a province is («Borno State», «Hasakah governorate»).
_UNIT_WORDS = frozenset({"state", "governorate", "province", "region", "district", "al", "el"})


def _skeleton(name: str | None) -> str:
    """Consonants of a place name, so transliterations of one Arabic name agree."""
    # Turkish dotless i has no decomposition to i
    folded = unicodedata.normalize("NFKD", (name or "").lower().replace("\u0131", "i"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = [w for w in re.split(r"[^a-z]+", folded) if w and w not in _UNIT_WORDS]
    consonants = re.sub(r"[aeiouyhw]", "", "".join(words))
    return re.sub(r"(.)\1+", r"\1", consonants)


def _same_admin1(a: str | None, b: str | None) -> bool:
    return bool(a and b) and (_norm_name(a) == _norm_name(b) or _skeleton(a) == _skeleton(b))


def _near(gold: dict[str, Any], event: EventRecord) -> bool:
    """Within 25 km, or the same province named at province precision on both sides."""
    distance = _distance(gold, event)
    if distance is not None and distance <= _NEAR_KM:
        return True
    loc = event.location
    return (
        loc is not None
        and loc.precision == "admin1"
        and gold.get("precision") == "admin1"
        and loc.country == gold.get("country")
        and _same_admin1(loc.admin1, gold.get("admin1"))
    )


def _norm_name(name: str | None) -> str:
    return " ".join((name or "").lower().replace("(", " ").replace(")", " ").split())


def _same_actor(gold: dict[str, Any] | None, actor: Any, text: str) -> bool:
    if gold is None:
        return actor is None
    if actor is None:
        return False
    gold_name, name = _norm_name(gold.get("name")), _norm_name(actor.name)
    if gold_name == name or (name and (name in gold_name or gold_name in name)):
        return True
    span = gold.get("span")
    if span and actor.span is not None:
        start = text.find(span)
        while start >= 0:
            if start < actor.span.end and actor.span.start < start + len(span):
                return True
            start = text.find(span, start + 1)
    return False


def _spans(text: str, needle: str | None) -> list[tuple[int, int]]:
    if not needle:
        return []
    found, start = [], text.find(needle)
    while start >= 0:
        found.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return found


def _evidence_overlap(text: str, gold: dict[str, Any], event: EventRecord) -> bool:
    gold_spans = _spans(text, gold.get("evidence"))
    for evidence in event.evidence:
        if evidence.field != "event":
            continue
        for start, end in gold_spans:
            if evidence.span.start < end and start < evidence.span.end:
                return True
    return False


def _pair_score(text: str, gold: dict[str, Any], event: EventRecord) -> float:
    # a pair that matches under the gold rule goes first: pairing must not spend a gold event on
    # a predicted one that only shares its sentence while another matches it
    score = 10.0 if _is_match(gold, event) else 0.0
    if _evidence_overlap(text, gold, event):
        score += 2
    if _overlap(gold.get("date") or {}, event):
        score += 1
    if _near(gold.get("location") or {}, event):
        score += 1.5
    if event.event_type == gold.get("event_type"):
        score += 1
    return score


def _is_match(gold: dict[str, Any], event: EventRecord) -> bool:
    return (
        event.event_type == gold.get("event_type")
        and _overlap(gold.get("date") or {}, event)
        and _near(gold.get("location") or {}, event)
    )


def _close(a: int | None, b: int | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.1 * max(abs(b), 1)


def score_report(record: dict[str, Any], doc: Document, scores: Scores) -> list[str]:
    """Add one report's figures to ``scores``; return its error lines."""
    text = record["text"]
    gold_events: list[dict[str, Any]] = record.get("events") or []
    predicted = list(doc.events)
    scores.gold_events += len(gold_events)
    scores.predicted_events += len(predicted)
    candidates = sorted(
        (
            (_pair_score(text, g, p), gi, pi)
            for gi, g in enumerate(gold_events)
            for pi, p in enumerate(predicted)
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    errors: list[str] = []
    rid = record.get("id", "?")
    for score, gi, pi in candidates:
        if score < 2 or gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        gold, event = gold_events[gi], predicted[pi]
        scores.paired += 1
        if _is_match(gold, event):
            scores.matched += 1
        if event.event_type == gold.get("event_type") and _overlap(gold.get("date") or {}, event):
            scores.matched_no_place += 1
        errors.extend(_score_pair(rid, text, gold, event, scores))
    for gi, gold in enumerate(gold_events):
        if gi not in used_gold:
            errors.append(
                f"{rid}: missed {gold.get('sub_event_type')} «{(gold.get('evidence') or '')[:60]}»"
            )
    for pi, event in enumerate(predicted):
        if pi not in used_pred:
            first = next((e.span.text for e in event.evidence if e.field == "event"), "")
            errors.append(f"{rid}: spurious {event.sub_event_type} «{first[:60]}»")
    return errors


def _score_pair(
    rid: str, text: str, gold: dict[str, Any], event: EventRecord, scores: Scores
) -> list[str]:
    errors: list[str] = []

    def check(row: str, ok: bool, detail: str) -> None:
        scores.row(row).add(ok)
        if not ok:
            errors.append(f"{rid}: {row}: {detail}")

    check(
        "type",
        event.event_type == gold.get("event_type"),
        f"{event.event_type} ≠ gold {gold.get('event_type')}",
    )
    check(
        "sub_type",
        event.sub_event_type == gold.get("sub_event_type"),
        f"{event.sub_event_type} ≠ gold {gold.get('sub_event_type')}",
    )
    gdate = gold.get("date") or {}
    got = f"{event.date_start}…{event.date_end} ({event.date_precision})"
    want = f"{gdate.get('start')}…{gdate.get('end')} ({gdate.get('precision')})"
    check(
        "date_exact",
        _date(gdate.get("start")) == event.date_start and _date(gdate.get("end")) == event.date_end,
        f"{got} ≠ gold {want}",
    )
    check("date_overlap", _overlap(gdate, event), f"{got} ≠ gold {want}")
    check("date_precision", gdate.get("precision") == event.date_precision, f"{got} ≠ gold {want}")
    gloc = gold.get("location") or {}
    loc = event.location
    check(
        "country",
        loc is not None and loc.country == gloc.get("country"),
        f"{loc.country if loc else None} ≠ gold {gloc.get('country')}",
    )
    check(
        "admin1",
        loc is not None and _same_admin1(loc.admin1, gloc.get("admin1")),
        f"{loc.admin1 if loc else None} ≠ gold {gloc.get('admin1')}",
    )
    distance = _distance(gloc, event)
    check(
        "within_25km",
        _near(gloc, event),
        f"{loc.name if loc else None} ≠ gold {gloc.get('name')} "
        f"({distance and round(distance)} km)",
    )
    check(
        "span_exact",
        loc is not None and loc.span is not None and loc.span.text == gloc.get("span"),
        f"«{loc.span.text if loc and loc.span else ''}» ≠ gold «{gloc.get('span')}»",
    )
    check(
        "actor1",
        _same_actor(gold.get("actor1"), event.actor1, text),
        f"{event.actor1.name if event.actor1 else None} ≠ gold "
        f"{(gold.get('actor1') or {}).get('name')}",
    )
    check(
        "actor2",
        _same_actor(gold.get("actor2"), event.actor2, text),
        f"{event.actor2.name if event.actor2 else None} ≠ gold "
        f"{(gold.get('actor2') or {}).get('name')}",
    )
    gfat = gold.get("fatalities") or {}
    best = event.fatalities.best
    check("fatalities_best_exact", best == gfat.get("best"), f"{best} ≠ gold {gfat.get('best')}")
    check(
        "fatalities_best_10pct", _close(best, gfat.get("best")), f"{best} ≠ gold {gfat.get('best')}"
    )
    check("span_overlap", _evidence_overlap(text, gold, event), "evidence does not overlap")
    for claim in gold.get("claims") or []:
        spans = _spans(text, claim.get("span"))
        found = next(
            (
                c
                for c in event.claims
                if c.quantity == claim.get("quantity")
                and any(c.span.start < e and s < c.span.end for s, e in spans)
            ),
            None,
        )
        check("claims_recall", found is not None, f"claim «{claim.get('span')}» not found")
        if found is not None:
            check(
                "attribution",
                _same_source(claim.get("attributed_to"), found.attributed_to)
                or _attribution_overlap(text, claim, found),
                f"«{claim.get('span')}» attributed to {found.attributed_to} ≠ gold "
                f"{claim.get('attributed_to')}",
            )
    return errors


def _same_source(gold: str | None, got: str | None) -> bool:
    """Both unnamed, or named alike: equal or one holding the other, as for actors."""
    a, b = _norm_name(gold), _norm_name(got)
    return a == b or bool(a and b and (a in b or b in a))


def _attribution_overlap(text: str, claim: dict[str, Any], found: Any) -> bool:
    if found.attribution_span is None:
        return False
    for start, end in _spans(text, claim.get("attribution_span")):
        if found.attribution_span.start < end and start < found.attribution_span.end:
            return True
    return False


def _prf(scores: Scores, matched: int) -> tuple[float, float, float]:
    p = matched / scores.predicted_events if scores.predicted_events else 0.0
    r = matched / scores.gold_events if scores.gold_events else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def read_gold(path: Path, limit: int | None) -> list[dict[str, Any]]:
    records = []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise InputError(f"{path}:{number}", f"not valid JSON ({error})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError(f"{path}:{number}", 'a gold record needs a "text" string')
            records.append(record)
            if limit is not None and len(records) >= limit:
                break
    return records


def document_for(record: dict[str, Any]) -> Document:
    source = record.get("source") or {}
    published = source.get("published")
    return Document(
        text=record["text"],
        lang=record.get("lang") or "ar",
        source=Source(
            publisher=source.get("publisher"),
            url=source.get("url"),
            published=date.fromisoformat(published) if published else None,
            title=source.get("title"),
            external_id=record.get("id"),
        ),
    )


def evaluate(path: Path, options: EvalOptions) -> EvalReport:
    records = read_gold(path, options.limit)
    pipeline = Pipeline()
    scores = Scores()
    errors: list[str] = []
    for record in records:
        doc = pipeline(document_for(record))
        errors.extend(score_report(record, doc, scores))
    p, r, f = _prf(scores, scores.matched)
    f_no_place = _prf(scores, scores.matched_no_place)[2]
    lines = [
        f"{'field':<34} {'score':>6} {'n':>5}",
        f"{'event precision':<34} {p:>6.3f} {scores.predicted_events:>5}",
        f"{'event recall':<34} {r:>6.3f} {scores.gold_events:>5}",
        f"{'event F1 (type, date, 25 km)':<34} {f:>6.3f} {scores.matched:>5}",
        f"{'event F1 without place (diagnostic)':<34} {f_no_place:>6.3f} "
        f"{scores.matched_no_place:>5}",
        f"{'events paired (any agreement)':<34} "
        f"{(scores.paired / scores.gold_events if scores.gold_events else 0):>6.3f} "
        f"{scores.paired:>5}",
    ]
    figures: JSONObject = {
        "reports": len(records),
        "gold_events": scores.gold_events,
        "predicted_events": scores.predicted_events,
        "matched": scores.matched,
        "paired": scores.paired,
        "event_precision": round(p, 4),
        "event_recall": round(r, 4),
        "event_f1": round(f, 4),
        "event_f1_without_place": round(f_no_place, 4),
    }
    for key, label in ROWS:
        tally = scores.rows.get(key, Tally())
        lines.append(f"{label:<34} {_fmt(tally.rate):>6} {tally.total:>5}")
        figures[key] = None if tally.rate is None else round(tally.rate, 4)
    return EvalReport(
        title=f"events · {path.name} · {len(records)} reports",
        table="\n".join(lines),
        figures=figures,
        errors=errors,
    )
