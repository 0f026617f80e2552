"""One covering index for the storefront's listings (issue 16): category, active, lowest price,
stock, featured and age, so counting and sorting a category's products (with or without the
price and stock filters) reads the index alone instead of the wide product rows.
ix_product_category_active stays: related products read a category's newest through it.

Revision ID: 0020_listing_index
Revises: 0016_image_colour
"""

from alembic import op

revision = "0020_listing_index"
down_revision = "0016_image_colour"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product") as batch:
        batch.create_index(
            "ix_product_listing",
            ["category_id", "active", "min_price", "in_stock", "featured", "created_at"],
        )


def downgrade():
    with op.batch_alter_table("product") as batch:
        batch.drop_index("ix_product_listing")
