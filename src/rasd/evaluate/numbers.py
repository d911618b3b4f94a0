"""``rasd eval numbers DIR``: the number recognizer on the public Arabic suites (eval/numbers).

Each file's expected mentions are matched to ``number`` mentions of the kind that file tests
(cardinals, ranges, ordinals, percentages, money, quantities, phone numbers). A gold mention is
*found* when a predicted mention has its span, or contains it: Rasd keeps the qualifier or unit
words with the number («أكثر من واحد ترليون», «10 دولار») where the suite marks the bare number.
Its value is *right* when it equals the suite's value. Recognizers-Text cases that no upstream
implementation passes (``not_supported``) are scored separately from the checked ones.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasd.document import Mention
from rasd.errors import InputError
from rasd.evaluate import EvalOptions, EvalReport
from rasd.jsontypes import JSONObject
from rasd.pipeline import Pipeline, make_document

NUMERIC_TYPES = {"cardinal", "fraction", "year", "age", "phone", "money", "percent", "quantity"}


@dataclass(slots=True)
class Tally:
    cases: int = 0
    cases_right: int = 0
    gold: int = 0
    found: int = 0
    right: int = 0
    predicted: int = 0
    spurious: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> JSONObject:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "cases": self.cases,
            "case_accuracy": ratio(self.cases_right, self.cases),
            "gold": self.gold,
            "recognition": ratio(self.found, self.gold),
            "value_accuracy": ratio(self.right, self.found),
            "accuracy": ratio(self.right, self.gold),
            "precision": ratio(self.predicted - self.spurious, self.predicted),
        }


def _family(stem: str) -> str:
    if "Range" in stem:
        return "range"
    if "SuppressExtendedTypes" in stem:
        return "ordinal_plain"  # upstream's option that leaves relative ordinals out
    if "Ordinal" in stem or stem == "duckling_ordinal":
        return "ordinal"
    if "Percent" in stem:
        return "percent"
    if "money" in stem:
        return "money"
    if "phone" in stem:
        return "phone"
    if any(k in stem for k in ("quantity", "volume", "temperature")):
        return "quantity"
    return "number"


def _selected(family: str, mentions: list[Mention]) -> list[Mention]:
    def keep(m: Mention) -> bool:
        v = m.value
        if not isinstance(v, dict):
            return False
        kind = v.get("type")
        if family == "number":
            return kind in NUMERIC_TYPES
        if family == "range":
            return v.get("qualifier") in {"range", "at_least", "at_most"} or v.get("cue") in {
                "يساوي",
                "تساوي",
                "ما يساوي",
            }
        if family == "ordinal":
            return kind == "ordinal"
        if family == "ordinal_plain":
            return kind == "ordinal" and v.get("relative_to") is None
        return kind == family

    return [m for m in mentions if m.kind == "number" and keep(m)]


def _gold_value(family: str, result: dict[str, Any]) -> Any:
    value = result.get("value")
    resolution = result.get("resolution")
    if family == "range":
        text = (resolution or {}).get("value", "")
        if not text or "," not in text:
            return None
        low_s, high_s = text[1:-1].split(",", 1)
        return (float(low_s) if low_s else None, float(high_s) if high_s else None)
    if resolution is not None and resolution.get("relativeTo") in {"current", "end"}:
        # «التالي» current+1, «قبل الأخير» end-1: where the count starts and how far it goes
        return ("relative", resolution["relativeTo"], int(resolution.get("offset", 0)))
    if resolution is not None:
        raw = str(resolution.get("value", "")).rstrip("%")
        try:
            return float(raw)
        except ValueError:
            return None
    if isinstance(value, dict):
        if family == "phone":
            return "".join(c for c in str(value.get("value", "")) if c.isdigit())
        inner = value.get("value")
        if inner is None and value.get("type") == "interval":
            return None
        return inner
    return None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _bound_right(gold: float | None, got: object) -> bool:
    if gold is None or got is None:
        return gold is None and got is None
    return isinstance(got, int | float) and _close(gold, got)


def _value_right(family: str, gold: Any, mention: Mention) -> bool:
    v = mention.value
    if gold is None or not isinstance(v, dict):
        return False
    if family == "range":
        low, high = gold
        return _bound_right(low, v.get("low")) and _bound_right(high, v.get("high"))
    if family == "phone":
        return str(v.get("digits", v.get("value"))) == str(gold)
    if isinstance(gold, tuple):
        return (v.get("relative_to"), v.get("offset")) == gold[1:]
    got = v.get("value")
    return bool(
        isinstance(got, int | float) and isinstance(gold, int | float) and _close(gold, got)
    )


def _gold_span(result: dict[str, Any], length: int) -> tuple[int, int] | None:
    if result.get("span_ok", True):
        # a few upstream ends run past the input (the slice still equals the text): clamp them;
        # spaces at either end of a gold span («٢,١٢ مئة ») are not part of the mention
        start, end = int(result["start"]), min(int(result["end"]), length)
        text = str(result.get("text", ""))
        return start + len(text) - len(text.lstrip()), end - (len(text) - len(text.rstrip()))
    relocated = result.get("relocated")
    return (int(relocated[0]), int(relocated[1])) if relocated else None


def score_case(
    case: dict[str, Any], family: str, mentions: list[Mention], errors: list[str] | None
) -> Tally:
    tally = Tally(cases=1)
    predicted = _selected(family, mentions)
    used: set[int] = set()
    all_right = True
    for result in case.get("results", []):
        tally.gold += 1
        span = _gold_span(result, len(case["input"]))
        gold = _gold_value(family, result)
        match: int | None = None
        for index, m in enumerate(predicted):
            if index in used:
                continue
            if span is None:
                ok = _value_right(family, gold, m)
            else:
                ok = m.start <= span[0] and span[1] <= m.end and m.start < m.end
            if ok:
                match = index
                break
        if match is None:
            all_right = False
            if errors is not None:
                errors.append(f"{case['id']}: missed {result.get('text')!r} ({gold})")
            continue
        used.add(match)
        tally.found += 1
        if _value_right(family, gold, predicted[match]):
            tally.right += 1
        else:
            all_right = False
            if errors is not None:
                errors.append(
                    f"{case['id']}: {result.get('text')!r} expected {gold}, got "
                    f"{json.dumps(predicted[match].value, ensure_ascii=False)}"
                )
    tally.predicted = len(predicted)
    tally.spurious = len(predicted) - len(used)
    if tally.spurious:
        all_right = False
        if errors is not None:
            for index, m in enumerate(predicted):
                if index not in used:
                    errors.append(
                        f"{case['id']}: spurious {json.dumps(m.value)} in {case['input']!r}"
                    )
    tally.cases_right = int(all_right)
    return tally


def _subset(case: dict[str, Any]) -> str:
    flags = case.get("flags") or {}
    return "not_supported" if flags.get("not_supported") else "checked"


def evaluate(path: Path, options: EvalOptions) -> EvalReport:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise InputError(str(path), "no .jsonl suite files found")
    pipeline = Pipeline(["normalize", "segment", "numbers"])
    rows: list[tuple[str, str, Tally]] = []
    figures: JSONObject = {}
    errors: list[str] = []
    for file in files:
        family = _family(file.stem)
        per_subset: dict[str, Tally] = {}
        with file.open(encoding="utf-8") as handle:
            for count, line in enumerate(handle):
                if options.limit is not None and count >= options.limit:
                    break
                if not line.strip():
                    continue
                try:
                    case = json.loads(line)
                except ValueError as exc:
                    raise InputError(f"{file}:{count + 1}", f"not JSON: {exc}") from exc
                doc = pipeline(make_document(case["input"], lang="ar"))
                tally = score_case(case, family, doc.mentions, errors if options.errors else None)
                per_subset.setdefault(_subset(case), Tally()).add(tally)
        total = Tally()
        for name, tally in sorted(per_subset.items()):
            total.add(tally)
            if len(per_subset) > 1:
                rows.append((file.stem, name, tally))
        rows.append((file.stem, "all", total))
        per_file: JSONObject = {name: t.figures() for name, t in per_subset.items()}
        per_file["all"] = total.figures()
        figures[file.stem] = per_file
    header = (
        f"{'file':<44} {'subset':<13} {'cases':>5} {'gold':>5} {'recog':>6} {'value':>6} "
        f"{'acc':>6} {'prec':>6} {'case':>6}"
    )
    lines = [header, "-" * len(header)]
    for stem, subset, tally in rows:
        f = tally.figures()

        def pct(key: str, f: JSONObject = f) -> str:
            value = f[key]
            return f"{value:.3f}" if isinstance(value, float) else "  -  "

        lines.append(
            f"{stem:<44} {subset:<13} {tally.cases:>5} {tally.gold:>5} {pct('recognition'):>6} "
            f"{pct('value_accuracy'):>6} {pct('accuracy'):>6} {pct('precision'):>6} "
            f"{pct('case_accuracy'):>6}"
        )
    lines.append(
        "recog = gold mentions found (span equal or contained); value = right value among found; "
        "acc = found with the right value / gold; prec = predicted that match a gold mention; "
        "case = cases with every mention right and nothing spurious"
    )
    return EvalReport(
        title=f"numbers: {path}", table="\n".join(lines), figures=figures, errors=errors
    )
