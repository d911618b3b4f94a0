"""Cross-report reconciliation: one real-world event from many reports, every claim kept.

``reconcile(reports)`` is the whole step as a pure function; ``Report.from_document`` adapts a
pipeline ``Document``; the store and batch call the same function with reports they rebuild.
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
