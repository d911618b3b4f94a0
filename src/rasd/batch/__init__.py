"""``rasd batch``: a corpus through the per-document pipeline on Dask, into Parquet/GeoParquet.

``inputs`` splits JSON Lines, Parquet and directories into partitions with stable ids;
``worker`` runs one partition (the same pipeline as ``rasd extract``); ``output`` owns the
directory layout, atomic writes and the manifest that makes a rerun resume; ``run`` drives it;
``seams`` is where database loading and cross-report reconciliation plug in.

The public names load on first use: every ``rasd`` command imports this package to register
``rasd batch``, and Dask, pyarrow and pandas cost seconds that only a batch run should pay.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

DEFAULT_PARTITION_SIZE = 1000  # documents per Dask task

if TYPE_CHECKING:
    from rasd.batch.output import read_table
    from rasd.batch.run import BatchConfig, BatchSummary, run_batch

_LAZY = {
    "BatchConfig": "rasd.batch.run",
    "BatchSummary": "rasd.batch.run",
    "run_batch": "rasd.batch.run",
    "read_table": "rasd.batch.output",
}

__all__ = ["DEFAULT_PARTITION_SIZE", "BatchConfig", "BatchSummary", "read_table", "run_batch"]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rasd.batch' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
