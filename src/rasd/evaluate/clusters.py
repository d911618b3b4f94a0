"""``rasd eval clusters GOLD.jsonl``: score cross-report reconciliation against gold cluster ids.

Two inputs are scored, each as a row:
- *gold events*: the gold annotations themselves become event records, so the figure measures
  clustering alone, independent of extraction;
- *pipeline*: each text runs through the default pipeline and its events are reconciled (only when
  the pipeline has an ``events`` stage; until then the row says so).

Clustering is scored by pairwise precision / recall / F1 over pairs of reports that share a gold
``cluster`` id (and, for gold events, over pairs of events). Flags are scored where the gold
``notes`` mark a contradiction with the annotators' capitalised markers ("DATE differs", "TOLL
RISES", "CONFLICTING injured counts", "PLACE contradiction", "ATTRIBUTION differs"): a gold flag is
found when a flag of the matching kind names that report; a flag is right when some report it names
carries a gold note of its kind. Gold notes mark only some contradictions, so flag precision here is
a lower bound; the synthetic set (``rasd.reconcile.synthetic``) measures it with known answers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import TypeVar

from rasd.document import Document, Source
from rasd.evaluate import EvalOptions, EvalReport
from rasd.jsontypes import JSONObject
from rasd.pipeline import Pipeline
from rasd.reconcile.core import reconcile
from rasd.reconcile.gold import GoldReport, read_gold
from rasd.reconcile.model import Reconciliation, Report

# Capitalised markers in gold notes and the flag kinds that answer them.
NOTE_MARKERS: dict[str, tuple[str, ...]] = {
    "DATE": ("date_conflict",),
    "TOLL": ("figure_conflict",),
    "CONFLICTING": ("figure_conflict", "internal_inconsistency"),
    "PLACE": ("place_conflict",),
    "ATTRIBUTION": ("perpetrator_conflict",),
    "MISATTRIBUTION": ("misattribution",),
}
MARKER = re.compile(r"\b(" + "|".join(NOTE_MARKERS) + r")\b(?=[A-Z :])")

Pair = tuple[str, str]
T = TypeVar("T")


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def prf(found: set[T], gold: set[T]) -> tuple[float, float, float]:
    hits = len(found & gold)
    precision = hits / len(found) if found else (1.0 if not gold else 0.0)
    recall = hits / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def gold_pairs(golds: Sequence[GoldReport]) -> tuple[set[Pair], set[Pair]]:
    """Report pairs and event pairs that share a gold cluster id."""
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for gold in golds:
        for event, cluster in zip(gold.report.events, gold.clusters, strict=True):
            if cluster:
                members[cluster].append((gold.report.document_id, event.event_id))
    documents: set[Pair] = set()
    events: set[Pair] = set()
    for group in members.values():
        for (doc_a, ev_a), (doc_b, ev_b) in combinations(group, 2):
            events.add(_pair(ev_a, ev_b))
            if doc_a != doc_b:
                documents.add(_pair(doc_a, doc_b))
    return documents, events


def system_pairs(result: Reconciliation) -> tuple[set[Pair], set[Pair]]:
    documents: set[Pair] = set()
    events: set[Pair] = set()
    for cluster in result.clusters:
        for a, b in combinations(cluster.members, 2):
            events.add(_pair(a.event_id, b.event_id))
            if a.document_id != b.document_id:
                documents.add(_pair(a.document_id, b.document_id))
    return documents, events


def gold_flags(golds: Iterable[GoldReport]) -> set[tuple[str, str]]:
    """(report id, marker) for each contradiction a gold note marks."""
    return {
        (gold.report.document_id, marker) for gold in golds for marker in MARKER.findall(gold.notes)
    }


def score_flags(
    result: Reconciliation, noted: set[tuple[str, str]]
) -> tuple[float, float, int, int, list[str]]:
    """Flag precision and recall against noted contradictions, plus the misses for --errors."""
    kinds_noted = {kind for _, marker in noted for kind in NOTE_MARKERS[marker]}
    found_gold: set[tuple[str, str]] = set()
    right = 0
    scored = 0
    errors: list[str] = []
    for flag in result.flags:
        documents = {side.document_id for side in flag.sides}
        matches = {
            (doc, marker)
            for doc, marker in noted
            if doc in documents and flag.kind in NOTE_MARKERS[marker]
        }
        if flag.kind in kinds_noted:
            scored += 1
            right += bool(matches)
            if not matches:
                errors.append(f"flag not in gold notes: {flag.kind}: {flag.message}")
        found_gold |= matches
    errors += [f"missed gold note: {doc} {marker}" for doc, marker in sorted(noted - found_gold)]
    precision = right / scored if scored else 1.0
    recall = len(found_gold) / len(noted) if noted else 1.0
    return precision, recall, scored, len(noted), errors


def pipeline_reports(golds: Sequence[GoldReport]) -> list[Report]:
    """The gold texts through the default pipeline, with the gold source metadata."""
    pipeline = Pipeline()
    reports = []
    for gold in golds:
        report = gold.report
        doc = Document(
            text=report.text,
            lang=gold.lang,
            source=Source(publisher=report.publisher, published=report.published),
            id=report.document_id,
        )
        reports.append(Report.from_document(pipeline(doc)))
    return reports


def _row(name: str, values: Sequence[float | int | str]) -> str:
    cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in values]
    return f"{name:<14}" + "".join(f"{c:>11}" for c in cells)


def evaluate(path: Path, options: EvalOptions) -> EvalReport:
    golds = list(read_gold(path))
    if options.limit is not None:
        golds = golds[: options.limit]
    reports = [gold.report for gold in golds]
    gold_docs, gold_events = gold_pairs(golds)
    noted = gold_flags(golds)
    figures: JSONObject = {
        "reports": len(golds),
        "gold_clusters": len({c for gold in golds for c in gold.clusters if c}),
        "gold_report_pairs": len(gold_docs),
    }
    header = _row("input", ["pairs", "P", "R", "F1", "ev P", "ev R", "ev F1", "flag P", "flag R"])
    lines = [header]
    errors: list[str] = []
    runs: list[tuple[str, list[Report]]] = [("gold events", reports)]
    pipeline = Pipeline()
    if "events" in pipeline.names:
        runs.append(("pipeline", pipeline_reports(golds)))
    for name, inputs in runs:
        result = reconcile(inputs)
        docs, events = system_pairs(result)
        p, r, f = prf(docs, gold_docs)
        row: list[float | int | str] = [len(docs), p, r, f]
        run: JSONObject = {"report_pairs": len(docs), "precision": p, "recall": r, "f1": f}
        if name == "gold events":
            ep, er, ef = prf(events, gold_events)
            row += [ep, er, ef]
            run.update({"event_precision": ep, "event_recall": er, "event_f1": ef})
        else:
            row += ["-", "-", "-"]
        fp, fr, scored, total, flag_errors = score_flags(result, noted)
        row += [fp, fr]
        run.update(
            {
                "flag_precision": fp,
                "flag_recall": fr,
                "flags_scored": scored,
                "gold_flags": total,
                "clusters": len(result.clusters),
                "flags": len(result.flags),
            }
        )
        figures[name.replace(" ", "_")] = run
        lines.append(_row(name, row))
        errors += [f"[{name}] {e}" for e in flag_errors]
        errors += [f"[{name}] missed pair: {a} {b}" for a, b in sorted(gold_docs - docs)] + [
            f"[{name}] wrong pair: {a} {b}" for a, b in sorted(docs - gold_docs)
        ]
    if "events" not in pipeline.names:
        lines.append("pipeline: not scored (the default pipeline has no events stage yet)")
    title = (
        f"clusters: {path.name} - {len(golds)} reports, "
        f"{figures['gold_clusters']} gold clusters, "
        f"{len(gold_docs)} report pairs, {len(noted)} noted contradictions"
    )
    return EvalReport(title=title, table="\n".join(lines), figures=figures, errors=errors)
