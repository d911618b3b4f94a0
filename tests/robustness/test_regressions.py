"""One test per bug the fuzzing found; each failed (a traceback, a hang, a wrong error) before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import pdf_deflate_bomb, pdf_many_text_pages

from rasd.errors import InputError
from rasd.ingest import IngestOptions, document_from_bytes, documents_from_jsonl, read_paths
from rasd.pipeline import Pipeline, extract

ONE_MB = 1024 * 1024


def test_pdf_deflate_bomb_is_an_input_error_not_a_pypdf_traceback() -> None:
    with pytest.raises(InputError) as caught:
        document_from_bytes(pdf_deflate_bomb(200), "bomb.pdf", IngestOptions())
    assert str(caught.value) == (
        "bomb.pdf: PDF stream inflates past pypdf's decompression limit (a deflate bomb?)"
    )


@pytest.mark.timeout(60)
def test_pdf_reusing_a_heavy_page_stops_at_the_text_limit() -> None:
    with pytest.raises(InputError) as caught:
        document_from_bytes(
            pdf_many_text_pages(1999, 2000), "heavy.pdf", IngestOptions(max_bytes=ONE_MB)
        )
    assert str(caught.value) == "heavy.pdf: PDF text is over the 1.0 MB limit"


@pytest.mark.timeout(60)
def test_pdf_content_without_text_stops_at_the_content_budget() -> None:
    with pytest.raises(InputError) as caught:
        document_from_bytes(
            pdf_many_text_pages(1999, 400, text=False), "ops.pdf", IngestOptions(max_bytes=ONE_MB)
        )
    assert str(caught.value) == (
        "ops.pdf: PDF content streams exceed 4.0 MB (a PDF bomb?), 4x the 1.0 MB limit"
    )


def test_deeply_nested_json_line_is_an_input_error() -> None:
    lines = [b"[" * 100_000 + b"]" * 100_000, b'{"text": "\xd9\x82\xd8\xaa\xd9\x84 3"}']

    results = list(documents_from_jsonl(lines, "feed.jsonl", IngestOptions()))

    assert isinstance(results[0], InputError)
    assert str(results[0]) == "feed.jsonl:1: not valid JSON (nested too deeply)"
    assert not isinstance(results[1], InputError)
    assert results[1].text == "قتل 3"


def test_lone_surrogate_escape_in_json_text_becomes_a_replacement_character(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"text": "\\u0642\\ud800\\u062a\\u0644", "title": "\\udfff"}\n')

    [doc] = list(read_paths([feed], IngestOptions()))

    assert not isinstance(doc, InputError)
    assert doc.text == "ق\ufffdتل"
    assert doc.source.title == "\ufffd"
    json.dumps(pipeline(doc).to_dict()).encode("utf-8")


def test_english_report_segments_with_no_as_an_abbreviation(pipeline: Pipeline) -> None:
    doc = extract("Shelling killed 3 people. No. 12 street was hit.", pipeline=pipeline)

    assert doc.lang == "en"
    sentences = [doc.text[s.start : s.end] for s in doc.sentences]
    assert sentences == ["Shelling killed 3 people.", "No. 12 street was hit."]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "run",
    ["!?" * 100_000 + "x", "." * 200_000 + ")" * 200_000 + "x", "؟" * 200_000 + "ب"],
    ids=["exclamations-then-letter", "periods-brackets-then-letter", "arabic-question-marks"],
)
def test_long_punctuation_run_not_followed_by_space_segments_in_linear_time(
    run: str, pipeline: Pipeline
) -> None:
    doc = extract(run, pipeline=pipeline)

    assert [(s.start, s.end) for s in doc.sentences] == [(0, len(run))]


@pytest.mark.parametrize(
    "text", ["قتل 3 و 5 جرحى", "و", "ب."], ids=["lone-waw-between-numbers", "waw-only", "ba-period"]
)
def test_one_letter_proclitic_word_does_not_crash_the_dates_stage(
    text: str, pipeline: Pipeline
) -> None:
    doc = extract(text, pipeline=pipeline)

    assert "dates" in doc.stages


@pytest.mark.parametrize(
    "text",
    ["يوم 31/0 قتل 3", "و32/31", "في 0/0 جرح 5"],
    ids=["month-zero", "month-31", "zero-zero"],
)
def test_numeric_day_month_with_no_such_month_is_not_a_date(text: str, pipeline: Pipeline) -> None:
    doc = extract(text, pipeline=pipeline)

    assert doc.mentions_of("date") == []
