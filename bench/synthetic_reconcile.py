"""Flag precision and recall, and cluster pairwise F1, on synthetic reports with planted errors.

    uv run python bench/synthetic_reconcile.py [--events 2000] [--seed 1] [--write docs.jsonl]

``--write`` saves the reports as documents with events (the format of ``rasd extract -f jsonl``),
so ``rasd reconcile docs.jsonl`` can be run on them.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from rasd.document import Document, Source
from rasd.reconcile import reconcile
from rasd.reconcile.synthetic import flag_key, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    data = generate(args.events, seed=args.seed)
    if args.write:
        with args.write.open("w", encoding="utf-8") as out:
            for r in data.reports:
                doc = Document(
                    text=r.text,
                    id=r.document_id,
                    source=Source(publisher=r.publisher, published=r.published),
                    events=list(r.events),
                )
                out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
    result = reconcile(data.reports)

    truth = {doc: world for (doc, _), world in data.truth.items()}
    produced = Counter(flag_key(f, truth).kind for f in result.flags)
    keys = {flag_key(f, truth) for f in result.flags}
    print(f"{len(data.reports)} reports of {args.events} events, seed {args.seed}")
    print(f"{'flag kind':<24}{'expected':>9}{'produced':>9}{'P':>7}{'R':>7}")
    kinds = sorted({e.kind for e in data.expected} | set(produced))
    for kind in [*kinds, "all"]:
        expected = {e for e in data.expected if kind in ("all", e.kind)}
        made = {k for k in keys if kind in ("all", k.kind)}
        hits = len(made & expected)
        precision = hits / len(made) if made else 1.0
        recall = hits / len(expected) if expected else 1.0
        print(f"{kind:<24}{len(expected):>9}{len(made):>9}{precision:>7.3f}{recall:>7.3f}")

    by_world: dict[str, list[str]] = defaultdict(list)
    for (_, event_id), world in data.truth.items():
        by_world[world].append(event_id)
    gold = {frozenset(p) for ids in by_world.values() for p in combinations(ids, 2)}
    found = {
        frozenset(p)
        for cluster in result.clusters
        for p in combinations([m.event_id for m in cluster.members], 2)
    }
    hits = len(gold & found)
    precision, recall = hits / len(found), hits / len(gold)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"cluster pairs: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}")


if __name__ == "__main__":
    main()
