"""Where the full pipeline spends its time: wall and CPU seconds per stage, optionally a profile.

    uv run python bench/pipeline_profile.py [--limit 300] [--profile 25] [--corpus PATH]

Runs the default pipeline over the first N corpus articles and prints MB/s, the ratio against a
plain regex tokenization pass over the same texts (run in this process, so the ratio survives a
busy machine), each stage's wall-clock and CPU seconds (``time.process_time`` depends much less on
what else runs on a shared machine), the pipeline build time and peak RSS. ``--profile K`` then
reruns the loop under cProfile and prints the K functions with the most own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import time
from datetime import date
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import DEFAULT_CORPUS, read_corpus

from rasd.document import Document, Source
from rasd.pipeline import Pipeline, make_document

WORD = regex.compile(r"\w+")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def documents(records: list[dict[str, str]]) -> list[Document]:
    docs = []
    for record in records:
        published = record.get("published", "")[:10]
        source = Source(published=date.fromisoformat(published) if published else None)
        docs.append(make_document(record["text"], source))
    return docs


def run_stages(
    pipeline: Pipeline, records: list[dict[str, str]]
) -> tuple[dict[str, float], dict[str, float], int]:
    """Wall and CPU seconds per stage over fresh documents, and the number of mentions found."""
    wall = dict.fromkeys((name for name, _ in pipeline.steps), 0.0)
    cpu = dict(wall)
    mentions = 0
    for doc in documents(records):
        for name, run in pipeline.steps:
            w0, c0 = time.perf_counter(), time.process_time()
            doc = run(doc)
            cpu[name] += time.process_time() - c0
            wall[name] += time.perf_counter() - w0
        mentions += len(doc.mentions)
    return wall, cpu, mentions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="number of articles (default 300)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="top K by own time")
    args = parser.parse_args()

    records = list(read_corpus(args.corpus, args.limit))
    texts = [r["text"] for r in records]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

    # The best of three passes: on a shared machine one pass can be several times slower.
    baseline, baseline_cpu = float("inf"), float("inf")
    for _ in range(3):
        w0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            WORD.findall(text)
        baseline = min(baseline, time.perf_counter() - w0)
        baseline_cpu = min(baseline_cpu, time.process_time() - c0)

    w0, c0 = time.perf_counter(), time.process_time()
    pipeline = Pipeline()
    build_wall, build_cpu = time.perf_counter() - w0, time.process_time() - c0
    # Stages load each language's lexicons on first use: time that apart, then the warm loop.
    w0, c0 = time.perf_counter(), time.process_time()
    run_stages(pipeline, records[:5])
    warm_wall, warm_cpu = time.perf_counter() - w0, time.process_time() - c0
    wall, cpu, mentions = run_stages(pipeline, records)
    total_wall, total_cpu = sum(wall.values()), sum(cpu.values())

    print(f"corpus: {len(texts)} articles, {megabytes:.2f} MB UTF-8; mentions found: {mentions}")
    print(f"baseline (regex \\w+ tokenization): {megabytes / baseline:8.1f} MB/s")
    print(
        f"pipeline: {megabytes / total_wall:.3f} MB/s wall, {megabytes / total_cpu:.3f} MB/s CPU "
        f"({total_wall:.2f} s wall, {total_cpu:.2f} s CPU)"
    )
    print(
        f"ratio pipeline/baseline: {total_wall / baseline:.0f}x slower (wall), "
        f"{total_cpu / max(baseline_cpu, 1e-9):.0f}x slower (CPU)"
    )
    print(
        f"pipeline build: {build_wall:.2f} s wall, {build_cpu:.2f} s CPU; first 5 documents "
        f"(lazy data loading): {warm_wall:.2f} s wall, {warm_cpu:.2f} s CPU"
    )
    print(f"  {'stage':<10} {'wall s':>8} {'CPU s':>8} {'% CPU':>6}")
    for name in wall:
        print(f"  {name:<10} {wall[name]:8.3f} {cpu[name]:8.3f} {100 * cpu[name] / total_cpu:6.1f}")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run_stages(pipeline, records)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
