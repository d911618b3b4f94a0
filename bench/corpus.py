"""Read the benchmark corpus (../shared/data/corpus/saudinewsnet-bench.jsonl.gz) for benches."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

DEFAULT_CORPUS = (
    Path(__file__).resolve().parent.parent.parent / "shared/data/corpus/saudinewsnet-bench.jsonl.gz"
)


def read_corpus(path: Path = DEFAULT_CORPUS, limit: int | None = None) -> Iterator[dict[str, str]]:
    if not path.exists():
        raise SystemExit(f"bench: corpus not found at {path} (pass --corpus PATH)")
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(stream):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)
