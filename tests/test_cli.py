from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from fixture_files import FIXTURES
from fragile_stage import fragile_stage
from rasd.cli import app
from rasd.document import Document
from rasd.ingest import IngestOptions

EXAMPLE = FIXTURES / "mazar-i-sharif-1998.ar.txt"


def rasd(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rasd", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_extract_json_writes_one_document_with_exact_offsets() -> None:
    result = rasd("extract", EXAMPLE, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    text = EXAMPLE.read_text(encoding="utf-8").strip()
    assert doc["text"] == text
    assert doc["sentences"]
    assert doc["tokens"]
    for start, end in doc["sentences"]:
        assert text[start:end].strip() == text[start:end]
    for start, end, stem in doc["tokens"]:
        assert start <= stem
        assert stem < end
    for mention in doc["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]


def test_extract_jsonl_writes_one_document_per_line_in_input_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("قتل جندي.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("أصيب مدني.", encoding="utf-8")
    result = rasd("extract", tmp_path / "b.txt", tmp_path / "a.txt", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["text"] for d in lines] == ["أصيب مدني.", "قتل جندي."]
    assert set(lines[0]) >= {"id", "text", "lang", "source", "sentences", "tokens", "mentions"}


def test_published_date_is_recorded() -> None:
    result = rasd("extract", EXAMPLE, "--format", "json", "--published", "1998-12-01")
    assert json.loads(result.stdout)["source"]["published"] == "1998-12-01"


def test_output_file_keeps_stdout_clean(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = rasd("extract", EXAMPLE, "--format", "jsonl", "--output", out)
    assert result.returncode == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["text"].startswith("أواخر")


def test_table_format_is_the_default() -> None:
    result = rasd("extract", EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert "sentences" in result.stdout


def test_bad_files_get_one_line_each_and_exit_code_1(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("قتل جندي.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = rasd("extract", tmp_path, "--format", "jsonl")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"rasd: {tmp_path / 'empty.txt'}: file is empty",
        f"rasd: {tmp_path / 'image.txt'}: binary file (PNG image), not a text report",
    ]
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == ["قتل جندي."]


def test_a_stage_crash_fails_only_its_document(tmp_path: Path) -> None:
    for name, text in (
        ("a.txt", "قتل جندي."),
        ("b.txt", "أصيب مدني ليلة الأحد."),
        ("c.txt", "قتل شرطي."),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with fragile_stage("dates", marker="ليلة"):
        result = CliRunner().invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"rasd: {tmp_path / 'b.txt'}: stage 'dates' failed (IndexError: list index out of range)"
    ]
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "قتل جندي.",
        "قتل شرطي.",
    ]


def test_debug_shows_the_traceback_of_a_stage_crash(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("أصيب مدني ليلة الأحد.", encoding="utf-8")
    with fragile_stage("dates", marker="ليلة"):
        result = CliRunner().invoke(app, ["extract", str(tmp_path)], env={"RASD_DEBUG": "1"})

    assert result.exit_code == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "raised in pipeline stage dates" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"rasd: {tmp_path / 'b.txt'}: stage 'dates' failed (IndexError: list index out of range)"
    )


def test_a_reader_crash_fails_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rasd.ingest

    real_from_html = rasd.ingest._from_html

    def fragile_html(html: str, name: str, options: IngestOptions) -> Document:
        if "ليلة" in html:
            raise KeyError("charset")  # stands for a bug in an HTML reader
        return real_from_html(html, name, options)

    monkeypatch.setattr(rasd.ingest, "_from_html", fragile_html)
    for name, text in (
        ("a.txt", "قتل جندي."),
        ("b.html", "<html><body><p>أصيب مدني ليلة الأحد.</p></body></html>"),
        ("c.txt", "قتل شرطي."),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"rasd: {tmp_path / 'b.html'}: reading failed (KeyError: 'charset')"
    ]
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "قتل جندي.",
        "قتل شرطي.",
    ]
    debug = CliRunner().invoke(app, ["extract", str(tmp_path / "b.html")], env={"RASD_DEBUG": "1"})
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert "fragile_html" in debug.stderr


def test_missing_file_is_named() -> None:
    result = rasd("extract", "no-such-report.txt")
    assert result.returncode == 1
    assert result.stderr.strip() == "rasd: no-such-report.txt: no such file or directory"
    assert "Traceback" not in result.stderr


def test_usage_errors_exit_2() -> None:
    assert rasd("extract", EXAMPLE, "--format", "xml").returncode == 2
    assert rasd("extract", EXAMPLE, "--published", "yesterday").returncode == 2
    assert rasd("no-such-command").returncode == 2


def test_every_command_has_help() -> None:
    commands: dict[str, object] = getattr(typer.main.get_command(app), "commands", {})
    assert "extract" in commands
    for name in commands:
        result = rasd(name, "--help")
        assert result.returncode == 0, name
        assert "Usage: " in result.stdout
