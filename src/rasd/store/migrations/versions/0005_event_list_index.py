"""An index that answers the events list by itself: its order, its filters and its count.

Event rows are wide (the whole record as JSON sits in the row, before ``status``), so every
filter that had to read the table to test ``status``, a country or a bounding box read 100k wide
rows, and every list sorted its matches. ``ix_events_list`` holds the list's order
(``date_start IS NULL, date_start, id``) followed by every filtered column: a page walks it in
order and stops after ``offset + limit`` matches, and the total is counted from it without
touching the table; a country and type, an admin1, or a box is counted from a narrow index of
its own. ``ix_event_actors_name_event`` lets the actor filter find its event ids
without reading ``event_actors`` rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LISTED = (
    "date_start",
    "id",
    "status",
    "date_end",
    "country",
    "admin1",
    "event_type",
    "fatalities_best",
    "latitude",
    "longitude",
)


# Narrow covering indexes that count the common selective filters without a full index scan.
COUNTED = {
    "ix_events_country_type": ["country", "event_type", "status"],
    "ix_events_admin1_fatalities": ["admin1", "fatalities_best", "status"],
    "ix_events_lat_lon_status": ["latitude", "longitude", "status"],
}


def upgrade() -> None:
    op.create_index("ix_events_list", "events", [sa.text("(date_start IS NULL)"), *LISTED])
    for name, columns in COUNTED.items():
        op.create_index(name, "events", columns)
    op.create_index("ix_event_actors_name_event", "event_actors", ["name", "event_id"])


def downgrade() -> None:
    op.drop_index("ix_event_actors_name_event", "event_actors")
    for name in COUNTED:
        op.drop_index(name, "events")
    op.drop_index("ix_events_list", "events")
