"""Run one input through ingest and the default pipeline in a fresh process; print one JSON line.

A fresh process per input gives a clean peak-RSS reading (VmHWM in ``/proc/self/status``, Linux)
and lets the caller kill a hang with a timeout. The outcome is ``ok`` (a Document whose spans all
lie inside its text) or ``error`` (a RasdError and its one-line message); anything else escapes
as a traceback on stderr and a non-zero exit, which the calling test reports as a crash.

Usage: ``python ingest_worker.py FILE [MAX_BYTES]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rasd.document import Document
from rasd.errors import RasdError
from rasd.ingest import IngestOptions, read_paths
from rasd.pipeline import Pipeline


def check_spans(doc: Document) -> None:
    """Every span a stage recorded lies inside the original text; raise AssertionError if not."""
    size = len(doc.text)
    spans = [(s.start, s.end) for s in doc.sentences + doc.clauses]
    spans += [(t.start, t.end) for t in doc.tokens]
    spans += [(m.start, m.end) for m in doc.mentions]
    for start, end in spans:
        assert 0 <= start <= end <= size, f"span {start}:{end} outside text of {size} chars"
    for token in doc.tokens:
        assert token.start <= token.stem_start <= token.end, f"stem outside token {token}"
    json.dumps(doc.to_dict(include_normalized=True), ensure_ascii=False)


def main() -> None:
    path = Path(sys.argv[1])
    max_bytes = int(sys.argv[2]) if len(sys.argv) > 2 else IngestOptions().max_bytes
    pipeline = Pipeline()
    outcomes: list[dict[str, object]] = []
    for item in read_paths([path], IngestOptions(max_bytes=max_bytes)):
        if isinstance(item, RasdError):
            outcomes.append({"outcome": "error", "message": str(item)})
            continue
        try:
            doc = pipeline(item)
        except RasdError as error:
            outcomes.append({"outcome": "error", "message": str(error)})
            continue
        check_spans(doc)
        outcomes.append({"outcome": "ok", "chars": len(doc.text), "tokens": len(doc.tokens)})
    print(json.dumps({"outcomes": outcomes, "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's own peak RSS: ``ru_maxrss`` would include the parent's, inherited at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    main()
