"""Order edits (issue 19.3): a payment says whether it is the order's own or the extra amount
an edit asked for, and how much of it edits gave back while the rest is kept.

Revision ID: 0018_order_edits
Revises: 0017_address_parts
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_order_edits"
down_revision = "0017_address_parts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("payment") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(10), nullable=False, server_default="order")
        )
        batch.add_column(
            sa.Column("refunded_amount", sa.Numeric(12, 2), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("payment") as batch:
        batch.drop_column("refunded_amount")
        batch.drop_column("kind")
