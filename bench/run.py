"""Pipeline throughput and memory on the real-news corpus, against a plain regex tokenization pass.

    uv run python bench/run.py [--limit N] [--corpus PATH]

Both passes run in this process over the same texts; the figure that matters is the ratio (how many
times slower than just finding words the full pipeline is), which is stable across machines.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_CORPUS, read_corpus

from rasd.document import Source
from rasd.pipeline import Pipeline, make_document

WORD = regex.compile(r"\w+")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="number of articles (default all)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()

    records = list(read_corpus(args.corpus, args.limit))
    texts = [r["text"] for r in records]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    rss_loaded = peak_rss_mb()

    started = time.perf_counter()
    words = sum(len(WORD.findall(t)) for t in texts)
    baseline = time.perf_counter() - started

    build_started = time.perf_counter()
    pipeline = Pipeline()
    build = time.perf_counter() - build_started
    per_stage = dict.fromkeys((name for name, _ in pipeline.steps), 0.0)
    started = time.perf_counter()
    mentions = 0
    for record in records:
        published = record.get("published", "")[:10]
        doc = make_document(
            record["text"],
            Source(published=date.fromisoformat(published) if published else None),
        )
        for name, run in pipeline.steps:
            t0 = time.perf_counter()
            doc = run(doc)
            per_stage[name] += time.perf_counter() - t0
        mentions += len(doc.mentions)
    elapsed = time.perf_counter() - started

    print(f"corpus: {len(texts)} articles, {megabytes:.1f} MB UTF-8, {words} words")
    print(f"baseline (regex \\w+ tokenization): {megabytes / baseline:8.1f} MB/s")
    print(f"pipeline ({', '.join(per_stage)}): {megabytes / elapsed:8.2f} MB/s")
    print(f"ratio pipeline/baseline time: {elapsed / baseline:.1f}x slower")
    print(f"pipeline build (data loading): {build:.2f} s; mentions found: {mentions}")
    for name, seconds in per_stage.items():
        print(
            f"  {name:<12} {megabytes / seconds if seconds else float('inf'):8.2f} MB/s"
            f"  ({100 * seconds / elapsed:4.1f} % of pipeline time)"
        )
    print(f"peak RSS: {peak_rss_mb():.0f} MB (after loading the corpus: {rss_loaded:.0f} MB)")


if __name__ == "__main__":
    main()
