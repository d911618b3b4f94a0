"""Dates: Rasd's stage against dateparser's ``search_dates(languages=["ar"])`` on the same texts.

Run: ``uv run python bench/dates.py [../shared/eval/temporal]``. Texts are the inputs of the
Recognizers-Text ``DateParser`` cases whose value upstream checks, the day-grain duckling time cases
and the example report. Accuracy is "the right first day": a case counts when one of the found
dates starts on the day upstream expects, both tools anchored on the case's reference date.
Throughput is characters per second over all texts, both tools in this one process.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rasd.document import Document, Source
from rasd.evaluate.temporal import _readings, _reference
from rasd.pipeline import Pipeline

ROOT = Path(__file__).parents[1]
DEFAULT_SUITES = ROOT.parent / "shared" / "eval" / "temporal"


def load_cases(folder: Path) -> list[tuple[str, str, date | None, set[date]]]:
    """(suite, text, reference date, acceptable first days) for each scored case."""
    cases: list[tuple[str, str, date | None, set[date]]] = []
    for name in ("rt_datetime_DateParser", "duckling_time"):
        for line in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            case: dict[str, Any] = json.loads(line)
            if (case.get("flags") or {}).get("ignore_resolution") or not case.get("results"):
                continue
            value = case["results"][0].get("value") or {}
            if name == "duckling_time" and value.get("grain") != "day":
                continue
            days = {reading[0] for result in case["results"] for reading in _readings(result)}
            if days:
                cases.append((name, case["input"], _reference(case), days))
    return cases


def rasd_days(pipeline: Pipeline) -> Callable[[str, date | None], set[date]]:
    def run(text: str, ref: date | None) -> set[date]:
        doc = pipeline(Document(text=text, lang="ar", source=Source(published=ref)))
        found: set[date] = set()
        for mention in doc.mentions_of("date"):
            value = mention.value
            if isinstance(value, dict) and isinstance(value.get("start"), str):
                found.add(date.fromisoformat(str(value["start"])))
        return found

    return run


def dateparser_days() -> Callable[[str, date | None], set[date]]:
    from dateparser.search import search_dates

    def run(text: str, ref: date | None) -> set[date]:
        settings: dict[str, Any] = {}
        if ref is not None:
            settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day)
        found = search_dates(text, languages=["ar"], settings=settings) or []
        return {moment.date() for _, moment in found}

    return run


def measure(
    name: str,
    tool: Callable[[str, date | None], set[date]],
    cases: list[tuple[str, str, date | None, set[date]]],
    texts: list[str],
    repeat: int,
) -> tuple[dict[str, float], float]:
    right: dict[str, list[int]] = {}
    for suite, text, ref, days in cases:
        got = tool(text, ref)
        tally = right.setdefault(suite, [0, 0])
        tally[0] += bool(got & days)
        tally[1] += 1
    chars = sum(len(t) for t in texts) * repeat
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            tool(text, None)
    elapsed = time.perf_counter() - started
    accuracy = {suite: ok / total for suite, (ok, total) in right.items()}
    print(f"{name:<12} " + "  ".join(f"{s}: {a:.3f}" for s, a in accuracy.items()), end="")
    print(f"  speed: {chars / elapsed:,.0f} chars/s")
    return accuracy, chars / elapsed


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SUITES
    cases = load_cases(folder)
    example = (ROOT / "examples" / "mazar-i-sharif-1998.ar.txt").read_text(encoding="utf-8")
    texts = [text for _, text, _, _ in cases] + [example]
    print(f"{len(cases)} cases, {sum(len(t) for t in texts):,} characters per pass")
    warnings.simplefilter("ignore")
    pipeline = Pipeline(["normalize", "segment", "dates"])
    _, ours = measure("rasd", rasd_days(pipeline), cases, texts, repeat=5)
    _, theirs = measure("dateparser", dateparser_days(), cases, texts, repeat=1)
    print(f"speed ratio rasd/dateparser: {ours / theirs:.1f}x")


if __name__ == "__main__":
    main()
