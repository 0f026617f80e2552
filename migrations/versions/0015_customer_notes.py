"""Staff notes about a customer, written on the customer's page in the back office (issue 19.5).

Revision ID: 0015_customer_notes
Revises: 0014_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_customer_notes"
down_revision = "0014_merge"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "customer_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_note") as batch:
        batch.create_index("ix_customer_note_user_id", ["user_id"])
        batch.create_index("ix_customer_note_author_id", ["author_id"])


def downgrade():
    op.drop_table("customer_note")
