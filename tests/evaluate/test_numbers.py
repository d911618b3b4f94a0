"""``rasd eval numbers``: suite files in the shared format, scored per file and subset."""

from __future__ import annotations

import json
from pathlib import Path

from rasd.evaluate import EvalOptions, get_scorer


def write_suite(path: Path, cases: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", "utf-8")
    return path


def test_numeral_suite_counts_found_and_right_values(tmp_path: Path) -> None:
    suite = write_suite(
        tmp_path / "duckling_numeral.jsonl",
        [
            {
                "id": "a",
                "input": "ثلاثة وعشرون",
                "results": [
                    {
                        "text": "ثلاثة وعشرون",
                        "start": 0,
                        "end": 12,
                        "type_name": "number",
                        "value": {"value": 23},
                    }
                ],
            },
            {
                "id": "b",
                "input": "خمسون",
                "results": [
                    {
                        "text": "خمسون",
                        "start": 0,
                        "end": 5,
                        "type_name": "number",
                        "value": {"value": 51},
                    }
                ],
            },
        ],
    )
    report = get_scorer("numbers")(suite, EvalOptions(errors=True))
    figures = report.figures["duckling_numeral"]
    assert isinstance(figures, dict)
    assert figures["all"] == {
        "cases": 2,
        "case_accuracy": 0.5,
        "gold": 2,
        "recognition": 1.0,
        "value_accuracy": 0.5,
        "accuracy": 0.5,
        "precision": 1.0,
    }
    assert report.errors == [
        "b: 'خمسون' expected 51, got "
        + json.dumps({"value": 50, "low": 50, "high": 50, "qualifier": "exact", "type": "cardinal"})
    ]


def test_range_suite_separates_checked_and_not_supported_cases(tmp_path: Path) -> None:
    suite = write_suite(
        tmp_path / "rt_number_NumberRangeModel.jsonl",
        [
            {
                "id": "c",
                "input": "بين ٢٠ و٣٠",
                "results": [
                    {
                        "text": "بين ٢٠ و٣٠",
                        "start": 0,
                        "end": 10,
                        "type_name": "numberrange",
                        "resolution": {"value": "[20,30)"},
                        "span_ok": True,
                    }
                ],
            },
            {
                "id": "d",
                "input": "اكثر من ثلاثين",
                "flags": {"not_supported": ["dotnet"]},
                "results": [
                    {
                        "text": "اكثر من ثلاثين",
                        "start": 0,
                        "end": 14,
                        "type_name": "numberrange",
                        "resolution": {"value": "(30,)"},
                        "span_ok": True,
                    }
                ],
            },
        ],
    )
    figures = get_scorer("numbers")(suite, EvalOptions()).figures["rt_number_NumberRangeModel"]
    assert isinstance(figures, dict)
    assert {name: f["accuracy"] for name, f in figures.items()} == {  # type: ignore[index]
        "checked": 1.0,
        "not_supported": 1.0,
        "all": 1.0,
    }


def test_relative_ordinals_are_scored_by_where_they_count_from(tmp_path: Path) -> None:
    case = {
        "id": "r",
        "input": "انتقل إلى الصفحة التالية",
        "results": [
            {
                "text": "التالية",
                "start": 17,
                "end": 24,
                "type_name": "ordinal.relative",
                "resolution": {"offset": "1", "relativeTo": "current", "value": "current+1"},
                "span_ok": True,
            }
        ],
    }
    with_relative = write_suite(tmp_path / "rt_number_OrdinalModel.jsonl", [case])
    without = write_suite(
        tmp_path / "rt_number_OrdinalModelSuppressExtendedTypes.jsonl", [case | {"results": []}]
    )
    scorer = get_scorer("numbers")
    figures = scorer(with_relative, EvalOptions()).figures["rt_number_OrdinalModel"]
    assert isinstance(figures, dict)
    assert figures["all"]["accuracy"] == 1.0  # type: ignore[index]
    # upstream's option that leaves relative ordinals out: nothing is predicted, nothing spurious
    suppressed = scorer(without, EvalOptions()).figures[
        "rt_number_OrdinalModelSuppressExtendedTypes"
    ]
    assert isinstance(suppressed, dict)
    assert suppressed["all"]["precision"] is None  # type: ignore[index]
    assert suppressed["all"]["case_accuracy"] == 1.0  # type: ignore[index]
