"""A longer fuzz soak than CI runs: mutated reports through ingest and the pipeline for N minutes.

Each input gets a per-input alarm (a hang is a finding, like a traceback); every finding is saved
under ``bench/out/fuzz/`` with the traceback, so it can become a regression test. ``--big`` also
runs the size-limit-scale inputs in a fresh process each and prints their time and peak RSS
(the 50 MB one-line text with ``--max-size 60``, 5 MB of one-letter sentences and tokens, and
number-dense text that CI runs at 200 kB).

    uv run python bench/fuzz_soak.py --minutes 10 [--big] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "robustness"))

from hostile import ARABIC_SENTENCE, corpus  # noqa: E402
from ingest_worker import check_spans  # noqa: E402

from rasd.errors import InputError  # noqa: E402
from rasd.ingest import IngestOptions, document_from_bytes  # noqa: E402
from rasd.pipeline import Pipeline  # noqa: E402

OUT = ROOT / "bench" / "out" / "fuzz"
PER_INPUT_S = 20
EXTENSIONS = ["", ".txt", ".html", ".pdf", ".md", ".json"]


class Hang(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang(f"no result within {PER_INPUT_S} s")


def mutate(rng: random.Random, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(rng.randint(1, 12)):
        position = rng.randrange(max(len(data), 1))
        action = rng.choice(["flip", "insert", "delete", "truncate", "repeat", "splice"])
        chunk = rng.randbytes(rng.randint(1, 8))
        if action == "flip" and data:
            data[position] ^= chunk[0]
        elif action == "insert":
            data[position:position] = chunk
        elif action == "delete":
            del data[position : position + len(chunk)]
        elif action == "truncate":
            del data[position:]
        elif action == "repeat":
            data[position:position] = bytes(data[position : position + 16]) * chunk[0]
        else:
            data[position:position] = ARABIC_SENTENCE.encode()[: chunk[0] % 120]
    return bytes(data)


def soak(minutes: float, seed: int) -> None:
    rng = random.Random(seed)
    seeds = [h.data for h in corpus() if 0 < len(h.data) < 200_000]
    pipeline = Pipeline()
    signal.signal(signal.SIGALRM, _alarm)
    OUT.mkdir(parents=True, exist_ok=True)
    tried = documents = errors = findings = 0
    deadline = time.monotonic() + minutes * 60
    while time.monotonic() < deadline:
        data = mutate(rng, rng.choice(seeds))
        extension = rng.choice(EXTENSIONS)
        tried += 1
        signal.alarm(PER_INPUT_S)
        try:
            doc = pipeline(
                document_from_bytes(data, "fuzzed", IngestOptions(), extension=extension)
            )
            check_spans(doc)
            documents += 1
        except InputError as error:
            errors += 1
            if "\n" in str(error):
                raise AssertionError(f"multi-line error: {error!r}") from None
        except Exception:  # every other exception is a finding: saved, then go on
            findings += 1
            name = OUT / f"finding-{seed}-{tried}{extension or '.bin'}"
            name.write_bytes(data)
            name.with_suffix(name.suffix + ".txt").write_text(traceback.format_exc())
            print(f"finding: {name}", flush=True)
        finally:
            signal.alarm(0)
    print(
        f"fuzz soak: {tried} inputs in {minutes:g} min, {documents} documents, "
        f"{errors} input errors, {findings} findings (saved under {OUT})"
    )


def big() -> None:
    worker = ROOT / "tests" / "robustness" / "ingest_worker.py"
    cases = [
        ("text-50mb-one-line", ("قتل 12 " * 7_500_000).encode()[: 50 * 1024 * 1024], 60),
        ("one-letter-sentences-5mb", "ب.\n".encode() * 1_300_000, 5),
        ("one-letter-tokens-5mb", b"a " * 2_600_000, 5),
        ("digit-groups-1mb", b"1" + b",000" * 250_000, 5),
        ("decimal-chain-2mb", b"1" + b".2" * 1_000_000, 5),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, data, limit_mb in cases:
            path = Path(folder) / f"{name}.txt"
            path.write_bytes(data)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(worker), str(path), str(limit_mb * 1024 * 1024)],
                capture_output=True,
                text=True,
                timeout=1800,
            )
            seconds = time.perf_counter() - start
            if done.returncode != 0:
                print(f"{name}: CRASH\n{done.stderr}")
                continue
            result = json.loads(done.stdout)
            print(
                f"{name}: {len(data) / 1e6:.1f} MB in {seconds:.1f} s, "
                f"peak RSS {result['peak_rss_mb']:.0f} MB, {result['outcomes']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--big", action="store_true", help="also run the size-limit inputs")
    args = parser.parse_args()
    soak(args.minutes, args.seed)
    if args.big:
        big()


if __name__ == "__main__":
    main()
