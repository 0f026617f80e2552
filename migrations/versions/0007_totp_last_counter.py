"""Two-factor codes are good once: the time step of the last code accepted, per user.

Revision ID: 0007_totp_last_counter
Revises: 0004_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_totp_last_counter"
down_revision = "0004_merge"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tf_totp_last_counter", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("tf_totp_last_counter")
