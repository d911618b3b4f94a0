"""``rasd batch``: a corpus through the per-document pipeline on Dask, into Parquet/GeoParquet.

``inputs`` splits JSON Lines, Parquet and directories into partitions with stable ids;
``worker`` runs one partition (the same pipeline as ``rasd extract``); ``output`` owns the
directory layout, atomic writes and the manifest that makes a rerun resume; ``run`` drives it;
``seams`` is where database loading and cross-report reconciliation plug in.
"""

from rasd.batch.output import read_table
from rasd.batch.run import BatchConfig, BatchSummary, run_batch

__all__ = ["BatchConfig", "BatchSummary", "read_table", "run_batch"]
