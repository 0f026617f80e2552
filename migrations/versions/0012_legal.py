"""Legal documents in versions (offer, personal data policy, delivery, returns, contacts) and
recorded consents to them (issue 17.4).

The documents' first versions are not written here: tests empty every table between tests, and
a shop gets the templates (shop.legal.defaults) the first time anything asks for a document.

Revision ID: 0012_legal
Revises: 0009_order_event_kind
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_legal"
down_revision = "0009_order_event_kind"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "legal_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "legal_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("title_ru", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("body_ru", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["legal_document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["published_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "number", name="uq_legal_version_number"),
    )
    with op.batch_alter_table("legal_version") as batch:
        batch.create_index("ix_legal_version_document_id", ["document_id"])
        batch.create_index("ix_legal_version_published_by_id", ["published_by_id"])
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["version_id"], ["legal_version.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consent") as batch:
        for column in ("user_id", "order_id", "email", "version_id", "accepted_at"):
            batch.create_index(f"ix_consent_{column}", [column])


def downgrade():
    op.drop_table("consent")
    op.drop_table("legal_version")
    op.drop_table("legal_document")
