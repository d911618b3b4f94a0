"""The upload queue: an uploaded report is stored raw at once and extracted by a worker process.

``upload_queue`` holds one row per uploaded document (its content hash): the raw text, language
and source as received, and where it stands: ``queued`` → ``working`` (claimed by a worker, with
the time of the claim, so a claim left by a killed worker expires and the row is taken again) →
``done`` (stored, events counted, raw text dropped) or ``failed`` (the one-line error).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upload_queue",
        sa.Column("document_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source", sa.JSON, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("events", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint(
            "status IN ('queued', 'working', 'done', 'failed')", name="ck_upload_queue_status"
        ),
    )
    op.create_index("ix_upload_queue_status_queued_at", "upload_queue", ["status", "queued_at"])


def downgrade() -> None:
    op.drop_table("upload_queue")
