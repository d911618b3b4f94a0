"""Reconciled events: clusters of one real-world event told by several reports, by block.

``cluster_blocks`` lists the (country, month) blocks reconciliation has computed; ``clusters``
holds each merged event with its grade, flags (both sides), merge explanation and figure rule;
``cluster_events`` links a cluster to the stored events (and their documents) it merges.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_blocks",
        sa.Column("key", sa.String(16), primary_key=True),
        sa.Column("country", sa.String(2)),
        sa.Column("month", sa.String(7)),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("clusters", sa.Integer, nullable=False),
        sa.Column("reconciled_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "clusters",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column(
            "block",
            sa.String(16),
            sa.ForeignKey("cluster_blocks.key", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("country", sa.String(2)),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(128)),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("location", sa.Text),
        sa.Column("fatalities_low", sa.Integer),
        sa.Column("fatalities_best", sa.Integer),
        sa.Column("fatalities_high", sa.Integer),
        sa.Column("grade", sa.String(16), nullable=False),
        sa.Column("grade_reason", sa.Text, nullable=False),
        sa.Column("independent_sources", sa.Integer, nullable=False),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("flag_count", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "grade IN ('confirmed', 'fair', 'weak', 'contested', 'discounted')",
            name="ck_clusters_grade",
        ),
    )
    for column in ("block", "country", "date_start", "grade", "flag_count"):
        op.create_index(f"ix_clusters_{column}", "clusters", [column])
    op.create_table(
        "cluster_events",
        sa.Column(
            "cluster_id",
            sa.String(128),
            sa.ForeignKey("clusters.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "event_id",
            sa.String(128),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("source_group", sa.Integer, nullable=False),
    )
    op.create_index("ix_cluster_events_document_id", "cluster_events", ["document_id"])
    op.create_index("ix_cluster_events_event_id", "cluster_events", ["event_id"])


def downgrade() -> None:
    for table in ("cluster_events", "clusters", "cluster_blocks"):
        op.drop_table(table)
