"""Indexes that let the events list seek a date window, count an actor, and list documents.

- ``ix_events_span`` indexes how many days an event lasts, so the longest span is one index
  read: a window ``[from, to]`` then seeks ``date_start >= from - longest span`` in the list
  index instead of scanning every event that started before ``to``.
- ``ix_events_actor1`` / ``ix_events_actor2`` count the events an actor took part in from the
  event's own columns with every filtered column beside them (plus ``ix_event_actors_name_role``
  for associated actors), instead of looking each of the actor's events up by id. The store
  writes these columns and the ``event_actors`` rows of the same roles from one record.
- ``ix_documents_ingested`` gives the documents list its order (newest first) without reading
  each document's text.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The span in days as the store's query writes it (``Store._window_start``): SQLite keeps
# dates as ISO text, PostgreSQL subtracts dates to an integer.
SPAN = {
    "sqlite": "(julianday(date_end) - julianday(date_start))",
    "postgresql": "(date_end - date_start)",
}

# Every column the events list filters on, as in ``ix_events_list``, so an actor's events are
# counted (and a rare actor's page found) without reading the wide rows.
FILTERED = [
    "country",
    "status",
    "admin1",
    "event_type",
    "date_start",
    "date_end",
    "fatalities_best",
    "latitude",
    "longitude",
]
ACTORS = {
    "ix_events_actor1": ["actor1", *FILTERED],
    "ix_events_actor2": ["actor2", "actor1", *FILTERED],
}


def upgrade() -> None:
    span = SPAN.get(op.get_bind().dialect.name)
    if span is not None:
        op.create_index("ix_events_span", "events", [sa.text(span)])
    for name, columns in ACTORS.items():
        op.create_index(name, "events", columns)
    op.create_index("ix_event_actors_name_role", "event_actors", ["name", "role", "event_id"])
    op.create_index("ix_documents_ingested", "documents", [sa.text("ingested_at DESC"), "id"])


def downgrade() -> None:
    op.drop_index("ix_documents_ingested", "documents")
    op.drop_index("ix_event_actors_name_role", "event_actors")
    for name in ACTORS:
        op.drop_index(name, "events")
    if op.get_bind().dialect.name in SPAN:
        op.drop_index("ix_events_span", "events")
