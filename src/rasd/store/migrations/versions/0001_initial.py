"""Initial schema: documents, mentions, flags, events, claims, evidence, actors; full-text search.

SQLite gets an FTS5 table over the documents' search text; PostgreSQL a GIN index on its
``to_tsvector('simple', …)``. On PostgreSQL with PostGIS available, events also get a
``geography(Point, 4326)`` column kept in step with latitude/longitude by a trigger, and a GiST
index on it; without PostGIS the bounding-box filter uses the plain lat/lon columns.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("title", sa.Text),
        sa.Column("path", sa.Text),
        sa.Column("external_id", sa.Text),
        sa.Column("stages", sa.JSON, nullable=False),
        sa.Column("sentences", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("value", sa.JSON),
        sa.Column("by", sa.String(128), nullable=False),
    )
    op.create_index("ix_mentions_document_id", "mentions", ["document_id"])
    op.create_index("ix_mentions_kind", "mentions", ["kind"])
    op.create_table(
        "document_flags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("spans", sa.JSON, nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
    )
    op.create_index("ix_document_flags_document_id", "document_flags", ["document_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(128)),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(16)),
        sa.Column("actor1", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("civilian_targeting", sa.Boolean, nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("admin1", sa.Text),
        sa.Column("admin2", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.String(16)),
        sa.Column("geonames_id", sa.Integer),
        *(
            sa.Column(f"{quantity}_{bound}", sa.Integer)
            for quantity in ("fatalities", "injured", "detained")
            for bound in ("low", "best", "high")
        ),
        sa.Column("grade", sa.String(16)),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="suggested"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        # A record that breaks these is a pipeline bug; refusing it keeps the data countable.
        sa.CheckConstraint("date_start <= date_end", name="ck_events_date_order"),
        sa.CheckConstraint(
            "fatalities_low <= fatalities_best AND fatalities_best <= fatalities_high",
            name="ck_events_fatalities_order",
        ),
    )
    for column in ("event_type", "date_start", "date_end", "country", "admin1", "status"):
        op.create_index(f"ix_events_{column}", "events", [column])
    op.create_index("ix_events_fatalities_best", "events", ["fatalities_best"])
    op.create_index("ix_events_lat_lon", "events", ["latitude", "longitude"])
    op.create_table(
        "event_documents",
        sa.Column(
            "event_id",
            sa.String(128),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "document_id",
            sa.String(64),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_event_documents_document_id", "event_documents", ["document_id"])
    op.create_table(
        "event_actors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _event_fk(),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32)),
    )
    op.create_index("ix_event_actors_event_id", "event_actors", ["event_id"])
    op.create_index("ix_event_actors_name", "event_actors", ["name"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _event_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("quantity", sa.String(32), nullable=False),
        sa.Column("low", sa.Integer),
        sa.Column("best", sa.Integer),
        sa.Column("high", sa.Integer),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("victims", sa.Text),
        sa.Column("attributed_to", sa.Text),
        *_span_columns(),
    )
    op.create_index("ix_claims_event_id", "claims", ["event_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _event_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        *_span_columns(),
    )
    op.create_index("ix_evidence_event_id", "evidence", ["event_id"])
    op.create_table(
        "event_flags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _event_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
    )
    op.create_index("ix_event_flags_event_id", "event_flags", ["event_id"])
    op.create_index("ix_event_flags_kind", "event_flags", ["kind"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # A separate FTS5 table (not external-content: documents has a text key, no stable rowid).
        op.execute(
            "CREATE VIRTUAL TABLE document_search USING fts5("
            "document_id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_documents_search ON documents "
            "USING GIN (to_tsvector('simple', search_text))"
        )
        if _postgis_available():
            _add_geography()


def _event_fk() -> sa.Column[str]:
    return sa.Column(
        "event_id", sa.String(128), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
    )


def _span_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("by", sa.String(128), nullable=False),
    ]


def _postgis_available() -> bool:
    """Install PostGIS when the server has it and we may; a failure here only means lat/lon."""
    bind = op.get_bind()
    installed = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'"))
    if installed.first() is not None:
        return True
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
    )
    if available.first() is None:
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except sa.exc.DBAPIError:
        return False  # no privilege to create it: an admin can add it and re-run this migration
    return True


def _add_geography() -> None:
    op.execute("ALTER TABLE events ADD COLUMN geog geography(Point, 4326)")
    op.execute("CREATE INDEX ix_events_geog ON events USING GIST (geog)")
    op.execute(
        """
        CREATE FUNCTION rasd_events_geog() RETURNS trigger AS $$
        BEGIN
            IF NEW.latitude IS NULL OR NEW.longitude IS NULL THEN
                NEW.geog := NULL;
            ELSE
                NEW.geog := ST_SetSRID(ST_MakePoint(NEW.longitude, NEW.latitude), 4326)::geography;
            END IF;
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER events_geog BEFORE INSERT OR UPDATE OF latitude, longitude ON events "
        "FOR EACH ROW EXECUTE FUNCTION rasd_events_geog()"
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS document_search")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS events_geog ON events")
        op.execute("DROP FUNCTION IF EXISTS rasd_events_geog()")
    for table in (
        "event_flags",
        "evidence",
        "claims",
        "event_actors",
        "event_documents",
        "events",
        "document_flags",
        "mentions",
        "documents",
    ):
        op.drop_table(table)
