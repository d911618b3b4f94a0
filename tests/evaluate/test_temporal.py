"""``rasd eval temporal``: suite files scored per file, gold reports scored on event dates."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rasd.cli import app
from rasd.evaluate import EvalOptions, get_scorer

FIXTURES = Path(__file__).parents[1] / "fixtures" / "temporal"


def test_suite_folder_is_scored_per_file_with_unsupported_cases_apart() -> None:
    report = get_scorer("temporal")(FIXTURES / "suite", EvalOptions())
    figures = report.figures
    assert set(figures) == {
        "duckling_time",
        "duckling_time [date grains]",
        "rt_datetime_Demo",
        "rt_datetime_Demo (not_supported)",
    }
    checked = figures["rt_datetime_Demo"]
    assert isinstance(checked, dict)
    assert (checked["cases"], checked["gold"], checked["exact_f1"], checked["value_acc"]) == (
        2,
        2,
        1.0,
        1.0,
    )
    unsupported = figures["rt_datetime_Demo (not_supported)"]
    assert isinstance(unsupported, dict)
    assert (unsupported["cases"], unsupported["exact_r"]) == (1, 0.0)
    # Upstream reads «اواخر اذار» forward from its reference date, news reads back: the strict
    # value misses, the reading that ignores the direction matches.
    duckling = figures["duckling_time [date grains]"]
    assert isinstance(duckling, dict)
    assert (duckling["exact_f1"], duckling["value_acc"], duckling["value_acc_either"]) == (
        1.0,
        0.0,
        1.0,
    )


def test_gold_reports_are_scored_on_event_date_spans() -> None:
    report = get_scorer("temporal")(FIXTURES / "events.jsonl", EvalOptions())
    assert report.figures == {
        "events": 3,
        "events_with_date_span": 2,
        "events_without_date_span": 1,
        "spans_located": 2,
        "span_exact": 1.0,
        "span_overlap": 1.0,
        "date_exact": 1.0,
        "date_and_precision_exact": 1.0,
    }


def test_eval_command_prints_the_table() -> None:
    result = CliRunner().invoke(app, ["eval", "temporal", str(FIXTURES / "suite")])
    assert result.exit_code == 0, result.output
    assert "rt_datetime_Demo (not_supported)" in result.output
    assert "exF1" in result.output
