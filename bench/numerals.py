"""Numbers + claims throughput on the real-news corpus, as a ratio to a plain regex tokenization.

    uv run python bench/numerals.py [--limit N] [--corpus PATH]

Normalize and segment run first (untimed) so that only the two stages of issue 5 are measured;
the baseline is one ``\\w+`` pass over the same texts in this process, so the ratio (how many times
slower than finding words) is what to compare across machines. Times are CPU seconds, the best of
``--repeat`` passes: on a shared machine wall-clock time mostly measures the neighbours.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named after its issue, which shadows the standard library's ``numbers`` module when
# run as a script: drop its folder from the path before anything imports ``numbers``.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse  # noqa: E402
import copy  # noqa: E402
import importlib.util  # noqa: E402
import time  # noqa: E402

import regex  # noqa: E402

from rasd.document import Document  # noqa: E402
from rasd.pipeline import Pipeline, make_document  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_corpus", _HERE / "corpus.py")
assert _spec is not None
assert _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)
DEFAULT_CORPUS = corpus.DEFAULT_CORPUS
read_corpus = corpus.read_corpus

WORD = regex.compile(r"\w+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="number of articles")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best one counts")
    args = parser.parse_args()

    texts = [r["text"] for r in read_corpus(args.corpus, args.limit)]
    chars = sum(len(t) for t in texts)

    words = 0
    baseline = float("inf")
    for _ in range(args.repeat):
        started = time.process_time()
        words = sum(len(WORD.findall(t)) for t in texts)
        baseline = min(baseline, time.process_time() - started)

    prepare = Pipeline(["normalize", "segment"])
    numbers = Pipeline(["normalize", "segment", "numbers", "claims"], resources=prepare.resources)
    stages = [fn for name, fn in numbers.steps if name in {"numbers", "claims"}]
    prepared: list[Document] = [prepare(make_document(t)) for t in texts]
    numbers(make_document(texts[0]))  # build the lexicons (per language) outside the timing
    numbers(make_document("1 killed"))

    elapsed = float("inf")
    mentions = claims = 0
    for _ in range(args.repeat):
        docs = [copy.copy(d) for d in prepared]
        for doc in docs:
            doc.mentions = list(doc.mentions)  # each pass starts from the prepared mentions
            doc.flags = list(doc.flags)
        started = time.process_time()
        mentions = 0
        for doc in docs:
            for stage_fn in stages:
                doc = stage_fn(doc)
            mentions += len(doc.mentions)
        elapsed = min(elapsed, time.process_time() - started)
        claims = sum(1 for d in docs for m in d.mentions if m.kind == "claim")
    print(f"articles {len(texts)}, {chars / 1e6:.2f} M chars, {words} words")
    print(f"baseline regex tokenization: {chars / baseline / 1e6:.2f} M chars/s")
    print(
        f"numbers + claims:            {chars / elapsed / 1e3:.1f} k chars/s "
        f"({mentions} mentions, {claims} claims)"
    )
    print(
        f"ratio (stages / baseline speed): {baseline / elapsed:.4f} (= 1/{elapsed / baseline:.0f})"
    )


if __name__ == "__main__":
    main()
