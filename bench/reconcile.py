"""Reconciliation time as the corpus grows: near-linear means time per event stays flat.

Synthetic events (``rasd.reconcile.synthetic``) at a constant density per country and month, the
way a real corpus grows (more places and more months, not more events per town per day). Times are
printed as CPU seconds of this process (the machine is shared, so wall time also counts other
people's work; it is printed too) and as the ratio of CPU time per event to the smallest run.

    uv run python bench/reconcile.py                 # 1k, 10k, 100k events
    uv run python bench/reconcile.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import time

from rasd.reconcile import reconcile
from rasd.reconcile.synthetic import generate, score
from rasd.resources import Resources

EVENTS_PER_COUNTRY = 250  # over 8 years: about 2.6 world events per country and month


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    resources = Resources()
    reconcile([], resources)  # load the settings once, outside the timings
    baseline: float | None = None
    print(
        f"{'events':>8} {'reports':>8} {'clusters':>9} {'cpu s':>8} {'wall s':>8}"
        f" {'µs/event':>9} {'ratio':>6}"
        f" {'flag P':>7} {'flag R':>7}"
    )
    for size in args.sizes:
        data = generate(size, seed=args.seed, countries=max(1, size // EVENTS_PER_COUNTRY))
        items = sum(len(r.events) for r in data.reports)
        start, wall = time.process_time(), time.perf_counter()
        result = reconcile(data.reports, resources)
        seconds, wall = time.process_time() - start, time.perf_counter() - wall
        per_event = seconds / items
        baseline = baseline or per_event
        precision, recall, _ = score(result.flags, data)
        print(
            f"{size:>8} {len(data.reports):>8} {len(result.clusters):>9} {seconds:>8.2f}"
            f" {wall:>8.2f}"
            f" {per_event * 1e6:>9.1f} {per_event / baseline:>6.2f}"
            f" {precision:>7.3f} {recall:>7.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
