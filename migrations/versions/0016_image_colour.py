"""A product image may belong to one colour of the product, so the gallery follows the swatch
(issues 18.2 and 19.2). Empty means the image shows the product in any colour.

Revision ID: 0016_image_colour
Revises: 0015_customer_notes
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_image_colour"
down_revision = "0015_customer_notes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product_image") as batch:
        batch.add_column(sa.Column("colour", sa.String(32), nullable=True))


def downgrade():
    with op.batch_alter_table("product_image") as batch:
        batch.drop_column("colour")
