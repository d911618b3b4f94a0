"""Benchmark the place index and matcher against a plain-dict baseline run in the same process.

    uv run python bench/places.py [../shared/data/corpus/saudinewsnet-bench.jsonl.gz] [--docs N]

Figures (goals from issue 6): index load time (≤ 0.3 s), matching throughput over normalized text
(≥ 5 MB/s; the first pass also works out what each new word can start), RSS of the loaded index
(≤ 150 MB). The baseline reads the same index's keys into a dict and looks up every token and
token pair; RSS is measured in fresh child processes. Compare runs by the ratio column: the
machine's load moves both columns alike.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import regex

from rasd.document import Document, Source
from rasd.gazetteer.index import INDEX_FILE, load_gazetteer
from rasd.gazetteer.keys import MATCH_TABLE
from rasd.normalize import load_charmap, normalize_text
from rasd.pipeline import Pipeline
from rasd.recognize.places import _scan, find_places, load_place_data
from rasd.resources import Resources, data_root

CORPUS = Path("../shared/data/corpus/saudinewsnet-bench.jsonl.gz")
WORD = regex.compile(r"[^\W\d_]+")
INDEX = data_root() / "gazetteer" / INDEX_FILE


def rss_mb() -> float:
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * 4096 / 2**20


def load_baseline() -> dict[str, str]:
    """The same index's major and minor keys in one dict: the simplest possible index."""
    gazetteer = load_gazetteer(INDEX, INDEX_FILE)
    table: dict[str, str] = {}
    for keys, rows in (("major_keys", "major_rows"), ("minor_keys", "minor_rows")):
        names = zlib.decompress(gazetteer._blocks[keys]).decode("utf-8").split("\n")
        ids = zlib.decompress(gazetteer._blocks[rows]).decode("utf-8").split("\n")
        for key, value in zip(names, ids, strict=True):
            table[key] = value
    return table


def baseline_match(text: str, table: dict[str, str]) -> int:
    """Dict lookup per token and per token pair (names of one or two words)."""
    found = 0
    words = WORD.findall(text)
    for index, word in enumerate(words):
        if word in table:
            found += 1
        if index + 1 < len(words) and f"{word} {words[index + 1]}" in table:
            found += 1
    return found


def child_rss(kind: str) -> float:
    output = subprocess.run(
        [sys.executable, __file__, "--rss", kind], check=True, capture_output=True, text=True
    ).stdout
    return float(output.strip().splitlines()[-1])


def measure_rss(kind: str) -> None:
    before = rss_mb()
    if kind == "index":
        keep: object = load_gazetteer(INDEX, INDEX_FILE)
    else:
        keep = load_baseline()
    print(f"{rss_mb() - before:.1f}")
    del keep


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--rss", choices=["index", "dict"])
    args = parser.parse_args()
    if args.rss:
        measure_rss(args.rss)
        return

    resources = Resources()
    charmap = load_charmap(resources)
    texts: list[str] = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            text = record.get("text") or ""
            if text:
                texts.append(text)
            if len(texts) >= args.docs:
                break
    normalized = [normalize_text(t, charmap).text for t in texts]
    megabytes = sum(len(n.encode("utf-8")) for n in normalized) / 1e6

    start = time.perf_counter()
    load_gazetteer(INDEX, INDEX_FILE)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    table = load_baseline()
    dict_load = time.perf_counter() - start

    pipeline = Pipeline(["normalize", "segment"], resources=resources)
    docs = [pipeline(Document(text=t, source=Source())) for t in texts]
    data = load_place_data(resources, "ar")
    start = time.perf_counter()  # inflates the row chunks and village keys it needs
    find_places(docs[0], data)
    first_report = time.perf_counter() - start
    matched = [n.translate(MATCH_TABLE) for n in normalized]
    start = time.perf_counter()
    hits = sum(len(_scan(m, data)[0]) for m in matched)
    first_scan = time.perf_counter() - start
    start = time.perf_counter()  # again: every word's plan is now known
    sum(len(_scan(m, data)[0]) for m in matched)
    scan_time = time.perf_counter() - start
    start = time.perf_counter()
    base_hits = sum(baseline_match(n, table) for n in normalized)
    base_time = time.perf_counter() - start

    start = time.perf_counter()
    mentions = sum(len(find_places(doc, data)) for doc in docs)
    stage_time = time.perf_counter() - start

    index_rss, dict_rss = child_rss("index"), child_rss("dict")
    rows = [
        ("index load, cold (s)", cold, dict_load, 0.3),
        ("first report after loading (s)", first_report, dict_load, None),
        ("matching, first pass (MB/s)", megabytes / first_scan, megabytes / base_time, None),
        ("matching, words known (MB/s)", megabytes / scan_time, megabytes / base_time, 5.0),
        ("places stage incl. choice (MB/s)", megabytes / stage_time, megabytes / base_time, None),
        ("RSS of the loaded index (MB)", index_rss, dict_rss, 150.0),
    ]
    print(f"corpus: {args.corpus} — {len(texts)} documents, {megabytes:.1f} MB normalized")
    print(f"hits: index {hits}, baseline {base_hits}; place mentions {mentions}")
    print(f"{'measure':<36}{'rasd':>10}{'baseline':>10}{'ratio':>8}{'goal':>8}")
    for label, value, base, goal in rows:
        shown_goal = "" if goal is None else f"{goal:g}"
        print(f"{label:<36}{value:>10.3f}{base:>10.3f}{value / base:>8.2f}{shown_goal:>8}")


if __name__ == "__main__":
    main()
