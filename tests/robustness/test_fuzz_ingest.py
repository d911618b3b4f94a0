"""Random and mutated bytes through ingest and the default pipeline: a Document or one RasdError.

Mutations start from well-formed reports in every format Rasd reads (UTF-8, UTF-16, Windows-1256,
HTML, PDF, JSON Lines), because random bytes alone rarely get past the first parser check.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from hostile import ARABIC_SENTENCE, SCRIPT_PAYLOADS, pdf_claiming_pages
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_worker import check_spans
from odd_text import odd_text, report_like
from pypdf import PdfWriter
from tally import tried

from rasd.document import Document
from rasd.errors import InputError
from rasd.ingest import IngestOptions, document_from_bytes, documents_from_jsonl
from rasd.pipeline import Pipeline

# A hang guard per input, not a speed target: the slowest seed parses in well under a second.
PER_INPUT = timedelta(seconds=20)
# A record with optional metadata fields holding any JSON scalar or an empty container.
JSON_RECORD = (
    rb'\A\{"text": ?"[^"]*"'
    rb'(, ?"(published|lang|url|id|title)": ?("[^"]*"|-?\d+|null|true|\[\]|\{\}))*\}\Z'
)
EXTENSIONS = ["", ".txt", ".html", ".htm", ".pdf", ".md", ".xml", ".json"]


def _blank_pdf() -> bytes:
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.write(out)
    return out.getvalue()


SEEDS: dict[str, tuple[bytes, str]] = {
    "utf8": ((ARABIC_SENTENCE + "\n").encode() * 3, ".txt"),
    "utf16": (ARABIC_SENTENCE.encode("utf-16"), ".txt"),
    "cp1256": (ARABIC_SENTENCE.encode("cp1256") * 2, ".txt"),
    "html": (
        (
            "<!doctype html><html><head><title>تقرير</title>"
            "<meta property='article:published_time' content='1998-08-09'></head><body><article>"
            f"<p>{ARABIC_SENTENCE}</p><p>{SCRIPT_PAYLOADS[1]} {ARABIC_SENTENCE}</p>"
            "</article></body></html>"
        ).encode(),
        ".html",
    ),
    "pdf-text": (pdf_claiming_pages(1), ".pdf"),
    "pdf-blank": (_blank_pdf(), ".pdf"),
}


def ingest_and_extract(data: bytes, extension: str, pipeline: Pipeline) -> Document | InputError:
    try:
        return pipeline(document_from_bytes(data, "fuzzed", IngestOptions(), extension=extension))
    except InputError as error:
        return error


def check_outcome(outcome: Document | InputError, source: str) -> None:
    """A Document with every span inside its text, or one error line naming the input."""
    if isinstance(outcome, InputError):
        assert outcome.source.startswith(source)
        assert "\n" not in str(outcome), str(outcome)
    else:
        check_spans(outcome)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    seed, extension = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if action == "flip" and data:
            data[position] ^= chunk[0]
        elif action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        elif action == "truncate":
            del data[position:]
        else:
            data[position:position] = bytes(data[position : position + 16]) * chunk[0]
    if draw(st.booleans()):
        extension = draw(st.sampled_from(EXTENSIONS))
    return bytes(data), extension


@pytest.mark.timeout(600)
@settings(max_examples=300, deadline=PER_INPUT)
@given(data=st.binary(max_size=4096), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes_give_a_document_or_one_clear_error(
    data: bytes, extension: str, pipeline: Pipeline
) -> None:
    tried("hypothesis: random bytes")
    check_outcome(ingest_and_extract(data, extension, pipeline), "fuzzed")


@pytest.mark.timeout(600)
@settings(max_examples=600, deadline=PER_INPUT)
@given(case=mutated())
def test_mutated_reports_give_a_document_or_one_clear_error(
    case: tuple[bytes, str], pipeline: Pipeline
) -> None:
    tried("hypothesis: mutated reports")
    check_outcome(ingest_and_extract(*case, pipeline), "fuzzed")


@pytest.mark.timeout(600)
@settings(max_examples=300, deadline=PER_INPUT)
@given(lines=st.lists(st.one_of(st.binary(max_size=200), st.from_regex(JSON_RECORD)), max_size=6))
def test_json_lines_give_a_document_or_one_clear_error_per_line(
    lines: list[bytes], pipeline: Pipeline
) -> None:
    tried("hypothesis: JSON Lines records", max(len(lines), 1))
    for item in documents_from_jsonl(lines, "feed.jsonl", IngestOptions()):
        check_outcome(item if isinstance(item, InputError) else pipeline(item), "feed.jsonl")


@pytest.mark.timeout(600)
@settings(max_examples=400, deadline=PER_INPUT)
@given(text=odd_text)
def test_odd_text_through_the_pipeline_keeps_every_span_inside_the_text(
    text: str, pipeline: Pipeline
) -> None:
    tried("hypothesis: odd text through the pipeline")
    doc = pipeline(Document(text=text))
    check_spans(doc)
    for token in doc.tokens:
        assert doc.text[token.start : token.end].strip(), f"blank token {token}"


@pytest.mark.timeout(600)
@settings(max_examples=600, deadline=PER_INPUT)
@given(text=report_like)
def test_report_shaped_text_with_impossible_numbers_and_dates_gives_a_document(
    text: str, pipeline: Pipeline
) -> None:
    tried("hypothesis: report-shaped text through the pipeline")
    check_spans(pipeline(Document(text=text)))
