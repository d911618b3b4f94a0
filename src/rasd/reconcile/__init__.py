"""Cross-report reconciliation: one real-world event from many reports, every claim kept.

``reconcile(reports)`` is the whole step as a pure function (``reconcile_documents`` for pipeline
documents; the store and batch call it with the documents they hold). In order:

1. **Cluster** (``match``): events of different reports are compared inside blocks of one country
   and one month (and, for a report that has the year wrong, one region and month of the year), by
   type, date overlap (a month-precision date overlaps each day inside it), distance allowed by both
   places' precisions, and actors; greedy best-first merging, never two events of one report,
   every pair of a merged group compatible. Each merge is a ``Link`` with the field scores.
2. **Independent sources** (``sources``): copies of one story (Jaccard of folded word 5-shingles)
   and one publisher count once.
3. **Merge** (``figures``, ``core``): every claim kept with its document and span; low/best/high by
   the rule in ``figures``; the tightest date range most reports allow; the most precise place
   consistent with the others.
4. **Flags** (``flags``), each with both sides: date conflict (incl. the same day and month in
   another year), figure conflict (with the spread), misattribution (X's own report or X as cited
   elsewhere says otherwise), breakdown mismatch, internal inconsistency.
5. **Grade** (``grade``): confirmed / fair / weak / contested / discounted, Airwars' meanings.

Parameters and their reasons: ``rasd/data/reconcile.yaml``.
"""

from rasd.reconcile.core import reconcile, reconcile_documents
from rasd.reconcile.model import (
    Cluster,
    FlagSide,
    Link,
    Member,
    ReconcileFlag,
    Reconciliation,
    Report,
)

__all__ = [
    "Cluster",
    "FlagSide",
    "Link",
    "Member",
    "ReconcileFlag",
    "Reconciliation",
    "Report",
    "reconcile",
    "reconcile_documents",
]
