"""Catalogue search: a GIN-indexed tsvector column for PostgreSQL; search data back-filled.

`product.search_vector` is written on every save by the catalogue (shop.catalog.models) from
the same stems as `product.search_text`, which serves the other engines. Off PostgreSQL the
column is plain TEXT and stays empty (the index there is harmless and tiny).

Revision ID: 0002_catalog_search
Revises: 0001
"""

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql

revision = "0002_catalog_search"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode only adds a column and an index: SQLite does both in place (no table rebuild).
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "search_vector",
                postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"),
                nullable=True,
            )
        )
        batch_op.create_index(
            "ix_product_search_vector", ["search_vector"], unique=False, postgresql_using="gin"
        )
    if not context.is_offline_mode():
        _backfill(op.get_bind())


def downgrade():
    op.drop_index("ix_product_search_vector", table_name="product", postgresql_using="gin")
    # No batch mode here: on SQLite it would rebuild `product`, and dropping the old table
    # with foreign keys on would cascade-delete every variant and image. SQLite (3.35+) and
    # PostgreSQL both drop a column in place.
    op.execute("ALTER TABLE product DROP COLUMN search_vector")


def _backfill(bind):
    """Fill both search columns of products saved before this revision."""
    from shop.catalog.search import build_search_text, vector_expression

    product = sa.table(
        "product",
        sa.column("id"),
        sa.column("name_ru"),
        sa.column("name_en"),
        sa.column("description_ru"),
        sa.column("description_en"),
        sa.column("search_text"),
        sa.column("search_vector"),
    )
    variant = sa.table("product_variant", sa.column("product_id"), sa.column("sku"))
    skus = {}
    for product_id, sku in bind.execute(sa.select(variant.c.product_id, variant.c.sku)):
        skus.setdefault(product_id, []).append(sku)
    rows = bind.execute(
        sa.select(
            product.c.id,
            product.c.name_ru,
            product.c.name_en,
            product.c.description_ru,
            product.c.description_en,
        )
    ).all()
    on_postgres = bind.dialect.name == "postgresql"
    for row in rows:
        names = (row.name_ru, row.name_en)
        values = {
            "search_text": build_search_text(
                names, (row.description_ru, row.description_en), skus.get(row.id, ())
            )
        }
        if on_postgres:
            values["search_vector"] = vector_expression(
                names, (row.description_ru,), (row.description_en,), skus.get(row.id, ())
            )
        bind.execute(product.update().where(product.c.id == row.id).values(**values))
