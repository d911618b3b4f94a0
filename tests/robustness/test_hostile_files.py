"""Every hostile file gives a Document or one clear error, in bounded time and memory.

Each input runs in its own process (``ingest_worker.py``): a hang is killed by the timeout and
reported as one, and the process's own peak RSS is measured. The corpus is built by
``hostile.py`` into a temporary directory; nothing hostile is committed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import build, corpus_ids
from tally import tried

WORKER = Path(__file__).with_name("ingest_worker.py")
# Hang and memory guards, generous for a shared 2-core CI machine: unloaded, the slowest input
# takes ~20 s and the largest peak is ~800 MB.
TIME_LIMIT_S = 120
MEMORY_LIMIT_MB = 1200


def run_worker(path: Path, max_bytes: int | None) -> dict[str, object]:
    args = [sys.executable, str(WORKER), str(path)]
    if max_bytes is not None:
        args.append(str(max_bytes))
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name}: no result within {TIME_LIMIT_S} s (a hang)")
    assert done.returncode == 0, f"{path.name} crashed the pipeline:\n{done.stderr}"
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("name", corpus_ids(), ids=corpus_ids())
def test_hostile_file_gives_a_document_or_one_clear_error(name: str, tmp_path: Path) -> None:
    item = build(name)
    path = tmp_path / item.filename
    path.write_bytes(item.data)

    result = run_worker(path, item.max_bytes)

    outcomes = result["outcomes"]
    assert isinstance(outcomes, list)
    assert outcomes, "no outcome at all"
    tried("hostile files (ingest + pipeline)", len(outcomes))
    for outcome in outcomes:
        assert outcome["outcome"] in ("ok", "error")
        if outcome["outcome"] == "error":
            message = outcome["message"]
            assert message.startswith(f"{path}"), f"error does not name the input: {message}"
            assert "\n" not in message, f"error is not one line: {message}"
    peak = result["peak_rss_mb"]
    assert isinstance(peak, float)
    assert peak < MEMORY_LIMIT_MB, f"peak RSS {peak:.0f} MB"
