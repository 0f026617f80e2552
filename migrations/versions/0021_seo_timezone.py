"""Joins the two heads (0018_order_edits, 0020_listing_index) and adds what issue 19 asks
for next: a product's own search-engine title and description per language (the editor's SEO
tab; empty means the page falls back to its name and summary), and a staff member's own time
zone (empty means the shop's).

Revision ID: 0021_seo_timezone
Revises: 0018_order_edits, 0020_listing_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_seo_timezone"
down_revision = ("0018_order_edits", "0020_listing_index")
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product") as batch:
        batch.add_column(sa.Column("meta_title_ru", sa.String(200)))
        batch.add_column(sa.Column("meta_title_en", sa.String(200)))
        batch.add_column(sa.Column("meta_description_ru", sa.String(320)))
        batch.add_column(sa.Column("meta_description_en", sa.String(320)))
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("timezone", sa.String(64)))


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_column("timezone")
    with op.batch_alter_table("product") as batch:
        batch.drop_column("meta_description_en")
        batch.drop_column("meta_description_ru")
        batch.drop_column("meta_title_en")
        batch.drop_column("meta_title_ru")
