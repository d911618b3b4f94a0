"""Batch throughput: a plain loop in one process against Dask with one and with two workers.

Builds a corpus of ``--docs`` reports (default 100,000) by replicating the real-news benchmark
corpus (``../shared/data/corpus/saudinewsnet-bench.jsonl.gz``) with distinct ids and texts, runs

1. the bare per-document pipeline in a loop (parse + pipeline, nothing written),
2. ``rasd batch --workers 0``: the same code a worker runs (parse, pipeline, Parquet), in-process,
3. ``rasd batch`` on a LocalCluster with 1 worker, then 4. with 2 workers,

and reports documents/s and the ratios the budget in issue 11 sets. Times exclude cluster start-up
(reported separately). ``--profile N`` adds a cProfile of the pipeline over N documents.

    uv run python bench/batch.py               # full run, rewrites the figures in bench/README.md
    uv run python bench/batch.py --docs 5000   # quick run
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gzip
import io
import json
import os
import platform
import pstats
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rasd.batch import BatchConfig, BatchSummary, run_batch
from rasd.ingest import IngestOptions, document_from_record
from rasd.pipeline import Pipeline

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "data" / "corpus" / "saudinewsnet-bench.jsonl.gz"
README = HERE / "README.md"
START, END = "<!-- bench/batch.py:start -->", "<!-- bench/batch.py:end -->"
# Budget from issue 11.
GOAL_SPEEDUP, GOAL_OVERHEAD, GOAL_MB_PER_CORE, GOAL_RSS_MB = 1.8, 0.10, 1.0, 400


@dataclass
class Measure:
    name: str
    documents: int
    text_bytes: int
    seconds: float
    workers: int
    startup: float = 0.0
    peak_rss: int = 0
    worker_cpu: float = 0.0  # CPU seconds in the process(es) running the pipeline
    client_cpu: float = 0.0  # CPU seconds of the Dask client + scheduler process
    build: float = 0.0  # slowest worker's pipeline build (data files loaded once per worker)

    @property
    def cpu_ms_per_doc(self) -> float:
        return (self.worker_cpu + self.client_cpu) * 1000 / self.documents

    @property
    def mb_per_worker_cpu_s(self) -> float:
        return self.text_bytes / 1e6 / self.worker_cpu

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def mb_per_s_per_core(self) -> float:
        return self.text_bytes / 1e6 / self.seconds / self.workers


def build_corpus(target: Path, docs: int, source: Path = CORPUS) -> tuple[int, int]:
    """``docs`` records from the real corpus, repeated; each copy gets its own id and text."""
    with gzip.open(source, "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream if line.strip()]
    written = 0
    text_bytes = 0
    with target.open("w", encoding="utf-8") as out:
        copy = 0
        while written < docs:
            for record in records:
                if written == docs:
                    break
                replica = dict(record)
                if copy:
                    replica["id"] = f"{record['id']}-r{copy}"
                    replica["text"] = f"{record['text']}\n({copy})"
                text_bytes += len(replica["text"].strip().encode("utf-8"))
                out.write(json.dumps(replica, ensure_ascii=False) + "\n")
                written += 1
            copy += 1
    return written, text_bytes


def bare_loop(corpus: Path, limit: int, stages: tuple[str, ...] | None) -> Measure:
    pipeline = Pipeline(stages)
    options = IngestOptions()
    documents = 0
    text_bytes = 0
    started = time.perf_counter()
    cpu = time.process_time()
    with corpus.open("rb") as stream:
        for number, line in zip(range(1, limit + 1), stream, strict=False):
            doc = document_from_record(json.loads(line), f"corpus:{number}", options)
            try:
                pipeline(doc)
            except Exception:  # rasd batch records these in its errors file and goes on
                continue
            documents += 1
            text_bytes += len(doc.text.encode("utf-8"))
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    name = "plain loop (parse + pipeline)"
    return Measure(name, documents, text_bytes, seconds, 1, 0.0, rss, cpu)


def batch(
    corpus: Path,
    out: Path,
    workers: int,
    partition_size: int,
    name: str,
    stages: tuple[str, ...] | None,
) -> Measure:
    shutil.rmtree(out, ignore_errors=True)
    config = BatchConfig(
        (corpus,),
        out,
        workers=workers,
        partition_size=partition_size,
        stages=stages,
        dashboard=False,
    )
    summary: BatchSummary = run_batch(config)
    shutil.rmtree(out, ignore_errors=True)
    return Measure(
        name,
        summary.run_documents,
        summary.run_text_bytes,
        summary.seconds - summary.startup_seconds,
        max(workers, 1),
        summary.startup_seconds,
        max(summary.worker_peak_rss.values(), default=0),
        sum(summary.worker_cpu_seconds.values()),
        summary.client_cpu_seconds,
        max(summary.pipeline_build_seconds.values(), default=0.0),
    )


def profile(corpus: Path, docs: int, stages: tuple[str, ...] | None, top: int = 12) -> str:
    pipeline = Pipeline(stages)
    options = IngestOptions()
    with corpus.open("rb") as stream:
        lines = [line for _, line in zip(range(docs), stream, strict=False)]
    profiler = cProfile.Profile()
    profiler.enable()
    for number, line in enumerate(lines, start=1):
        with contextlib.suppress(Exception):
            pipeline(document_from_record(json.loads(line), f"corpus:{number}", options))
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    table = [
        "| tottime s | cumtime s | calls | function |",
        "|---:|---:|---:|---|",
    ]
    root = str(HERE.parent)
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    total = sum(v[2] for v in stats.stats.values())  # tottime of every function
    for (filename, line, function), (_, calls, tottime, cumtime, _) in entries:
        where = filename.replace(root + "/", "") if filename.startswith(root) else filename
        where = where.split("site-packages/")[-1]
        table.append(f"| {tottime:.2f} | {cumtime:.2f} | {calls} | `{where}:{line}({function})` |")
    return (
        f"cProfile of the pipeline over {docs} documents ({total:.1f} s in total):\n\n"
        + "\n".join(table)
    )


def report(
    measures: list[Measure],
    docs: int,
    partition_size: int,
    prof: str | None,
    stages: tuple[str, ...] | None,
) -> str:
    bare, inline, one, two = measures
    text_mb = inline.text_bytes / 1e6
    speedup = two.docs_per_s / one.docs_per_s
    cpu_speedup = 2 * one.cpu_ms_per_doc / two.cpu_ms_per_doc
    overhead = 1 - one.docs_per_s / inline.docs_per_s
    cpu_overhead = one.cpu_ms_per_doc / inline.cpu_ms_per_doc - 1
    machinery = inline.cpu_ms_per_doc / bare.cpu_ms_per_doc - 1
    rss_mb = max(one.peak_rss, two.peak_rss) / 2**20
    load = os.getloadavg()
    lines = [
        START,
        f"Run of `uv run python bench/batch.py {' '.join(sys.argv[1:])}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), Python "
        f"{platform.python_version()}, {docs} documents ({text_mb:.0f} MB of text), "
        f"partitions of {partition_size}, pipeline `{' → '.join(Pipeline(stages).names)}`. "
        f"Load average after the run: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}. The machine "
        "is shared with other jobs, so wall-clock rates depend on what else ran; CPU seconds per "
        "document (pipeline processes + the Dask client and scheduler) do not.",
        "",
        "| run | workers | documents | documents/s (wall) | MB/s per core (wall) | "
        "CPU ms/document | MB per worker CPU-s | start-up s (pipeline build) | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in measures:
        lines.append(
            f"| {m.name} | {m.workers} | {m.documents} | {m.docs_per_s:.0f} | "
            f"{m.mb_per_s_per_core:.2f} | {m.cpu_ms_per_doc:.2f} | {m.mb_per_worker_cpu_s:.2f} | "
            f"{m.startup:.1f} ({m.build:.2f}) | {m.peak_rss / 2**20:.0f} |"
        )
    verdict = [
        ("2 workers / 1 worker, wall clock", f"{speedup:.2f} x", f"≥ {GOAL_SPEEDUP} x", speedup),
        ("2 workers / 1 worker, from CPU per document", f"{cpu_speedup:.2f} x", "", cpu_speedup),
        ("Dask overhead: 1 worker vs one process, wall", f"{overhead:+.1%}", "", overhead),
        ("Dask overhead: 1 worker vs one process, CPU", f"{cpu_overhead:+.1%}", "", cpu_overhead),
        ("text per core, 2 workers, wall", f"{two.mb_per_s_per_core:.2f} MB/s", "", 0.0),
        ("text per worker CPU-second", f"{two.mb_per_worker_cpu_s:.2f} MB/s", "", 0.0),
        ("peak RSS per worker", f"{rss_mb:.0f} MB", f"≤ {GOAL_RSS_MB} MB", rss_mb),
    ]
    goals = {
        0: speedup >= GOAL_SPEEDUP,
        1: cpu_speedup >= GOAL_SPEEDUP,
        2: overhead <= GOAL_OVERHEAD,
        3: cpu_overhead <= GOAL_OVERHEAD,
        4: two.mb_per_s_per_core >= GOAL_MB_PER_CORE,
        5: two.mb_per_worker_cpu_s >= GOAL_MB_PER_CORE,
        6: rss_mb <= GOAL_RSS_MB,
    }
    targets = {
        1: f"≥ {GOAL_SPEEDUP} x",
        2: f"≤ {GOAL_OVERHEAD:.0%}",
        3: f"≤ {GOAL_OVERHEAD:.0%}",
        4: f"≥ {GOAL_MB_PER_CORE} MB/s",
        5: f"≥ {GOAL_MB_PER_CORE} MB/s",
    }
    lines += ["", "| ratio | measured | goal | met |", "|---|---:|---:|---|"]
    for index, (name, value, goal, _) in enumerate(verdict):
        met = "yes" if goals[index] else "**no**"
        lines.append(f"| {name} | {value} | {goal or targets[index]} | {met} |")
    lines += [
        "",
        f"Reading input, building rows and writing Parquet cost {machinery:+.1%} CPU per document "
        f"against the bare pipeline loop (run on the first {bare.documents} documents). "
        "Start-up is planning the partitions plus, for Dask, starting the cluster and building "
        "the pipeline on each worker (in brackets: the slowest worker's build).",
    ]
    if prof:
        lines += ["", prof]
    lines.append(END)
    return "\n".join(lines)


def write_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n## Batch (`bench/batch.py`)\n\n" + section + "\n"
    README.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--partition-size", type=int, default=1000)
    parser.add_argument(
        "--stages", help="comma-separated stage names (default: the default pipeline)"
    )
    parser.add_argument("--bare-docs", type=int, default=10_000, help="bare loop sample size")
    parser.add_argument("--profile", type=int, default=2000, help="documents to profile (0: none)")
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    stages = tuple(args.stages.split(",")) if args.stages else None
    if not CORPUS.exists():
        raise SystemExit(f"bench corpus missing: {CORPUS}")
    with tempfile.TemporaryDirectory(prefix="rasd-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        docs, text_bytes = build_corpus(corpus, args.docs)
        print(f"corpus: {docs} documents, {text_bytes / 1e6:.0f} MB of text", flush=True)
        measures = [bare_loop(corpus, args.bare_docs, stages)]
        print(measures[-1], flush=True)
        for workers, name in (
            (0, "batch in one process (no Dask)"),
            (1, "Dask LocalCluster"),
            (2, "Dask LocalCluster"),
        ):
            out = Path(tmp) / "out"
            measures.append(batch(corpus, out, workers, args.partition_size, name, stages))
            print(measures[-1], flush=True)
        prof = profile(corpus, args.profile, stages) if args.profile else None
    section = report(measures, docs, args.partition_size, prof, stages)
    print(section)
    if not args.no_readme:
        write_readme(section)


if __name__ == "__main__":
    main()
