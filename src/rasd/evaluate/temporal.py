"""``rasd eval temporal PATH``: score the ``dates`` stage on public date suites or on event gold.

PATH is a folder or a file of the converted upstream suites (Recognizers-Text specs and the duckling
corpus, one case per line, see ``shared/eval/README.md``), or a gold file of annotated reports
(``docs/gold-format.md``), told apart by their first line. Suites are scored per file on
recognition (span exact and overlap precision/recall/F1) and resolution (value accuracy), with the
cases their own authors mark unsupported (``not_supported``) or unchecked (``ignore_resolution``)
scored apart. Gold reports are scored on each event's date span and value, anchored on
``source.published``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from rasd.document import Document, Mention, Source
from rasd.errors import InputError
from rasd.evaluate import EvalOptions, EvalReport
from rasd.jsontypes import JSONObject
from rasd.pipeline import Pipeline

STAGES = ("normalize", "segment", "dates")
DATE_GRAINS = {"day", "week", "month", "year"}


@dataclass(slots=True)
class Tally:
    """Counts for one row of the table."""

    cases: int = 0
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap_pred: int = 0
    overlap_gold: int = 0
    values: int = 0
    values_ok: int = 0
    values_either: int = 0
    errors: list[str] = field(default_factory=list)

    def prf(self, hits_pred: int, hits_gold: int) -> tuple[float, float, float]:
        precision = hits_pred / self.predicted if self.predicted else 0.0
        recall = hits_gold / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def figures(self) -> JSONObject:
        exact = self.prf(self.exact, self.exact)
        overlap = self.prf(self.overlap_pred, self.overlap_gold)
        return {
            "cases": self.cases,
            "gold": self.gold,
            "predicted": self.predicted,
            "exact_p": round(exact[0], 3),
            "exact_r": round(exact[1], 3),
            "exact_f1": round(exact[2], 3),
            "overlap_p": round(overlap[0], 3),
            "overlap_r": round(overlap[1], 3),
            "overlap_f1": round(overlap[2], 3),
            "values": self.values,
            "value_acc": round(self.values_ok / self.values, 3) if self.values else None,
            "value_acc_either": (
                round(self.values_either / self.values, 3) if self.values else None
            ),
        }


def _reference(case: dict[str, Any]) -> date | None:
    text = case.get("reference_datetime")
    if not text:
        return None
    return datetime.fromisoformat(text[:19]).date()


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _gold_span(result: dict[str, Any]) -> tuple[int, int] | None:
    if result.get("span_ok") or ("span_ok" not in result and "start" in result):
        return int(result["start"]), int(result["end"])
    relocated = result.get("relocated")
    if relocated:
        return int(relocated[0]), int(relocated[1])
    return None


def _readings(result: dict[str, Any]) -> list[tuple[date, date | None]]:
    """Acceptable (start, end) readings of a gold value; end None = only the start is checked.

    Ends are exclusive upstream ("(2016-11-04,2016-11-22,P18D)", duckling ``to``); the scorer
    accepts the inclusive end one day earlier too, since Rasd's ``end`` is inclusive.
    """
    readings: list[tuple[date, date | None]] = []
    value = result.get("value")
    resolution = result.get("resolution")
    if isinstance(value, dict) and "type" in value:  # duckling
        if value["type"] == "value" and "value" in value:
            readings.append((_day(value["value"]), None))
        elif value["type"] == "interval":
            start = value.get("from", {}).get("value")
            end = value.get("to", {}).get("value")
            if start and end:
                readings.append((_day(start), _day(end)))
        return readings
    if isinstance(value, dict):
        for key in ("FutureResolution", "PastResolution"):
            res = value.get(key) or {}
            readings.extend(_resolution_reading(res))
        return readings
    if isinstance(resolution, dict):
        for entry in resolution.get("values", []):
            readings.extend(_resolution_reading(entry))
    return readings


def _resolution_reading(res: dict[str, Any]) -> list[tuple[date, date | None]]:
    try:
        if "date" in res:
            day = _day(res["date"])
            return [(day, day)]
        if "startDate" in res and "endDate" in res:
            return [(_day(res["startDate"]), _day(res["endDate"]))]
        if "value" in res and len(res["value"]) >= 10 and res["value"][4] == "-":
            day = _day(res["value"])
            return [(day, day)]
        if "start" in res and "end" in res:
            return [(_day(res["start"]), _day(res["end"]))]
    except ValueError:
        return []
    return []


def _matches(ours: JSONObject, reading: tuple[date, date | None]) -> bool:
    start, end = ours.get("start"), ours.get("end")
    if not isinstance(start, str) or not isinstance(end, str):
        return False
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if first != reading[0]:
        return False
    return reading[1] is None or last in (reading[1], reading[1] - timedelta(days=1))


def _either_reading(ours: JSONObject, reading: tuple[date, date | None], ref: date | None) -> bool:
    """A match up to the past/future choice.

    The text gives no year (or no week): upstream reads forward from the reference date, news
    reads back from the publication date.
    """
    if _matches(ours, reading):
        return True
    timex = ours.get("timex")
    start = ours.get("start")
    if not isinstance(timex, str) or not isinstance(start, str):
        return False
    first = date.fromisoformat(start)
    if timex.startswith("XXXX-WXX-"):
        return reading[0].isoweekday() == first.isoweekday() and (
            ref is None or abs((reading[0] - ref).days) <= 7
        )
    if timex.startswith(("XXXX-", "(XXXX-")):
        return (first.month, first.day) == (reading[0].month, reading[0].day)
    return False


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _best(mentions: list[Mention], span: tuple[int, int]) -> Mention | None:
    best: Mention | None = None
    best_overlap = 0
    for mention in mentions:
        overlap = min(mention.end, span[1]) - max(mention.start, span[0])
        if (mention.start, mention.end) == span:
            return mention
        if overlap > best_overlap:
            best, best_overlap = mention, overlap
    return best


def _is_date_case(case: dict[str, Any]) -> bool:
    """Duckling time cases whose grain is a day or coarser (the date part of the suite)."""
    for result in case.get("results", []):
        value = result.get("value") or {}
        grain = value.get("grain") or (value.get("from") or {}).get("grain")
        if grain not in DATE_GRAINS:
            return False
    return bool(case.get("results")) or bool(case.get("negative"))


def score_cases(
    cases: list[dict[str, Any]], pipeline: Pipeline, rows: dict[str, Tally], stem: str
) -> None:
    for case in cases:
        flags = case.get("flags") or {}
        unsupported = "dotnet" in (flags.get("not_supported") or [])
        row_name = f"{stem} (not_supported)" if unsupported else stem
        names = [row_name]
        if stem == "duckling_time" and _is_date_case(case):
            names.append("duckling_time [date grains]")
        ref = _reference(case)
        doc = pipeline(Document(text=case["input"], lang="ar", source=Source(published=ref)))
        mentions = doc.mentions_of("date")
        predicted = [(m.start, m.end) for m in mentions]
        gold_results = case.get("results", [])
        gold_spans = [_gold_span(r) for r in gold_results]
        checked_spans = [s for s in gold_spans if s is not None]
        for name in names:
            row = rows.setdefault(name, Tally())
            row.cases += 1
            row.gold += len(checked_spans)
            row.predicted += len(predicted)
            row.exact += sum(1 for p in predicted if p in checked_spans)
            row.overlap_pred += sum(
                1 for p in predicted if any(_overlaps(p, g) for g in checked_spans)
            )
            row.overlap_gold += sum(
                1 for g in checked_spans if any(_overlaps(p, g) for p in predicted)
            )
            for result, span in zip(gold_results, gold_spans, strict=True):
                if flags.get("ignore_resolution"):
                    continue
                readings = _readings(result)
                if not readings:
                    continue
                row.values += 1
                mention = _best(mentions, span or (0, len(case["input"])))
                ours = mention.value if mention is not None else None
                if isinstance(ours, dict) and any(_matches(ours, r) for r in readings):
                    row.values_ok += 1
                    row.values_either += 1
                elif isinstance(ours, dict) and any(
                    _either_reading(ours, r, ref) for r in readings
                ):
                    row.values_either += 1
                else:
                    got = (
                        f"{ours.get('start')}..{ours.get('end')} {ours.get('timex')}"
                        if isinstance(ours, dict)
                        else "nothing"
                    )
                    want = ", ".join(f"{a}..{b}" for a, b in readings[:2])
                    row.errors.append(f"{case['id']}: {case['input']!r} want {want}, got {got}")
            if checked_spans != predicted and len(row.errors) < 10_000:
                got_text = [case["input"][s:e] for s, e in predicted]
                want_text = [case["input"][s:e] for s, e in checked_spans]
                if sorted(got_text) != sorted(want_text):
                    row.errors.append(f"{case['id']}: span want {want_text}, got {got_text}")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise InputError(str(path), f"line {number} is not JSON: {error.msg}") from None
    return items


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.glob("*.jsonl"))
    else:
        yield path


def _table(rows: dict[str, Tally]) -> str:
    header = (
        f"{'file':<44} {'cases':>5} {'gold':>5} {'pred':>5} "
        f"{'exP':>5} {'exR':>5} {'exF1':>5} {'ovP':>5} {'ovR':>5} {'ovF1':>5} "
        f"{'vals':>5} {'valAcc':>6} {'either':>6}"
    )
    lines = [header, "-" * len(header)]
    for name, row in rows.items():
        fig = row.figures()
        acc = fig["value_acc"]
        either = fig["value_acc_either"]
        lines.append(
            f"{name:<44} {row.cases:>5} {row.gold:>5} {row.predicted:>5} "
            f"{fig['exact_p']:>5.2f} {fig['exact_r']:>5.2f} {fig['exact_f1']:>5.2f} "
            f"{fig['overlap_p']:>5.2f} {fig['overlap_r']:>5.2f} {fig['overlap_f1']:>5.2f} "
            f"{row.values:>5} {acc if acc is not None else '-':>6} "
            f"{either if either is not None else '-':>6}"
        )
    return "\n".join(lines)


def evaluate(path: Path, options: EvalOptions) -> EvalReport:
    pipeline = Pipeline(STAGES)
    files = list(_files(path))
    first = _read_jsonl(files[0])[:1] if files else []
    if first and "events" in first[0]:
        return evaluate_events(files[0], pipeline, options)
    rows: dict[str, Tally] = {}
    for file in files:
        cases = _read_jsonl(file)
        if cases and "input" not in cases[0]:
            continue
        if options.limit is not None:
            cases = cases[: options.limit]
        score_cases(cases, pipeline, rows, file.stem)
    figures: JSONObject = {name: row.figures() for name, row in rows.items()}
    errors = [f"[{name}] {e}" for name, row in rows.items() for e in row.errors]
    note = (
        "value: start/end equal to upstream's reading; either: also accepts the other reading "
        "of a date without a year or week (news reads back, upstream reads forward)"
    )
    return EvalReport(
        title=f"temporal: {path}", table=_table(rows) + "\n" + note, figures=figures, errors=errors
    )


def evaluate_events(path: Path, pipeline: Pipeline, options: EvalOptions) -> EvalReport:
    """Each gold event's date span against the date mentions found in its report."""
    reports = _read_jsonl(path)
    if options.limit is not None:
        reports = reports[: options.limit]
    total = with_span = located = span_exact = span_overlap = value_exact = precision_ok = 0
    no_span_events = 0
    errors: list[str] = []
    for report in reports:
        source = Source.from_dict(report.get("source") or {})
        doc = pipeline(Document(text=report["text"], lang=report.get("lang", "ar"), source=source))
        mentions = doc.mentions_of("date")
        for index, event in enumerate(report.get("events", [])):
            gold = event.get("date") or {}
            total += 1
            span_text = gold.get("span")
            if not span_text:
                no_span_events += 1
                continue
            with_span += 1
            spans = _occurrences(report["text"], span_text)
            if not spans:
                errors.append(f"{report['id']}#{index}: gold span {span_text!r} not in text")
                continue
            located += 1
            exact = [m for m in mentions if (m.start, m.end) in spans]
            overlapping = [
                m for m in mentions if any(_overlaps((m.start, m.end), s) for s in spans)
            ]
            if exact:
                span_exact += 1
            if overlapping:
                span_overlap += 1
            candidates = exact or overlapping
            ok = False
            for mention in candidates:
                value = mention.value
                if (
                    isinstance(value, dict)
                    and value.get("start") == gold.get("start")
                    and value.get("end") == gold.get("end")
                ):
                    ok = True
                    if value.get("precision") == gold.get("precision"):
                        precision_ok += 1
                    break
            if ok:
                value_exact += 1
            else:
                got = [(doc.text[m.start : m.end], _value_range(m)) for m in candidates]
                errors.append(
                    f"{report['id']}#{index}: {span_text!r} want {gold.get('start')}.."
                    f"{gold.get('end')} ({gold.get('precision')}), got {got or 'nothing'}"
                )

    def share(count: int) -> float:
        return round(count / located, 3) if located else 0.0

    figures: JSONObject = {
        "events": total,
        "events_with_date_span": with_span,
        "events_without_date_span": no_span_events,
        "spans_located": located,
        "span_exact": share(span_exact),
        "span_overlap": share(span_overlap),
        "date_exact": share(value_exact),
        "date_and_precision_exact": share(precision_ok),
    }
    table = "\n".join(f"{key:<28} {value}" for key, value in figures.items())
    return EvalReport(
        title=f"temporal (event dates): {path}", table=table, figures=figures, errors=errors
    )


def _value_range(mention: Mention) -> str:
    value = mention.value
    if not isinstance(value, dict):
        return "?"
    return f"{value.get('start')}..{value.get('end')}"


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = text.find(needle)
    while start != -1:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans
