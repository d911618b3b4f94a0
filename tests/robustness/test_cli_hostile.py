"""``rasd extract`` on hostile files: one stderr line per bad input, exit code 1, no traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import build, corpus
from tally import tried

RASD = Path(sys.executable).with_name("rasd")
TIME_LIMIT_S = 600


def run_rasd(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RASD), *map(str, args)], capture_output=True, text=True, timeout=TIME_LIMIT_S
    )


def test_directory_of_hostile_files_reports_each_bad_one_and_keeps_the_good(
    tmp_path: Path,
) -> None:
    expected_outcomes = 0
    for item in corpus():
        folder = tmp_path / item.id
        folder.mkdir()
        (folder / item.filename).write_bytes(item.data)
        lines = [line for line in item.data.splitlines() if line.strip()]
        expected_outcomes += max(len(lines), 1) if item.filename.endswith(".jsonl") else 1

    done = run_rasd("extract", tmp_path, "--format", "jsonl", "--max-size", "1")

    tried("CLI: hostile directory (outcomes)", expected_outcomes)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    errors = done.stderr.splitlines()
    line = re.compile(rf"^rasd: {re.escape(str(tmp_path))}/[^/]+/[^/:]+(:\d+)?: \S.*$")
    assert [e for e in errors if not line.match(e)] == []
    documents = [json.loads(d) for d in done.stdout.splitlines()]
    assert len(documents) + len(errors) == expected_outcomes
    assert all(d["text"] for d in documents)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("png-renamed-txt", "binary file (PNG image), not a text report"),
        ("empty", "file is empty"),
        ("utf16-bom-garbage", "starts with a utf-16 byte order mark but is not valid utf-16"),
        ("html-no-article", "HTML page has no article text"),
        (
            "pdf-deflate-bomb-200mb",
            "PDF stream inflates past pypdf's decompression limit (a deflate bomb?)",
        ),
        ("pdf-no-text", "PDF has no text layer (a scan? run OCR first)"),
        ("text-50mb-one-line", "file is 50.0 MB, over the 5.0 MB limit"),
        ("zip-bomb-like", "binary file (ZIP archive (or an Office file)), not a text report"),
    ],
    ids=["png", "empty", "utf16-garbage", "html-no-text", "pdf-bomb", "pdf-scan", "50mb", "zip"],
)
def test_bad_file_gives_one_line_naming_it_and_exit_code_1(
    name: str, problem: str, tmp_path: Path
) -> None:
    item = build(name)
    path = tmp_path / item.filename
    path.write_bytes(item.data)

    done = run_rasd("extract", path)

    tried("CLI: single bad files")
    assert (done.returncode, done.stderr, done.stdout) == (1, f"rasd: {path}: {problem}\n", "")
