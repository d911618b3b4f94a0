"""Storage: documents, mentions and events in SQLite (default) or PostgreSQL, with search."""

from rasd.store.database import (
    ENV_URL,
    DocumentSummary,
    EventFilters,
    EventSummary,
    IngestResult,
    Store,
    StoredDocument,
    StoredEvent,
    default_database_url,
)

__all__ = [
    "ENV_URL",
    "DocumentSummary",
    "EventFilters",
    "EventSummary",
    "IngestResult",
    "Store",
    "StoredDocument",
    "StoredEvent",
    "default_database_url",
]
