"""Search data: category names (the product's shelf and those above it) are searched too.

`product.search_text` becomes " <names> | <categories> | <descriptions> " and the tsvector
gets the category names at weight B (descriptions move to C). Saves write both from now on
(shop.catalog.models); this fills them for the products saved before.

Revision ID: 0008_search_shelves
Revises: 0007_totp_last_counter
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_search_shelves"
down_revision = "0007_totp_last_counter"
branch_labels = None
depends_on = None


def upgrade():
    _refill(op.get_bind(), with_shelves=True)


def downgrade():
    _refill(op.get_bind(), with_shelves=False)


def _refill(bind, with_shelves):
    from shop.catalog.search import build_search_text, vector_expression

    product = sa.table(
        "product",
        sa.column("id"),
        sa.column("category_id"),
        sa.column("name_ru"),
        sa.column("name_en"),
        sa.column("description_ru"),
        sa.column("description_en"),
        sa.column("search_text"),
        sa.column("search_vector"),
    )
    category = sa.table(
        "category", sa.column("id"), sa.column("parent_id"), sa.column("name_ru"),
        sa.column("name_en"),
    )
    variant = sa.table("product_variant", sa.column("product_id"), sa.column("sku"))
    categories = {row.id: row for row in bind.execute(sa.select(category)).all()}

    def shelves(category_id):
        names, seen = [], set()
        row = categories.get(category_id)
        while row is not None and row.id not in seen and with_shelves:
            seen.add(row.id)
            names += [n for n in (row.name_ru, row.name_en) if n]
            row = categories.get(row.parent_id)
        return names

    skus = {}
    for product_id, sku in bind.execute(sa.select(variant.c.product_id, variant.c.sku)):
        skus.setdefault(product_id, []).append(sku)
    rows = bind.execute(
        sa.select(
            product.c.id, product.c.category_id, product.c.name_ru, product.c.name_en,
            product.c.description_ru, product.c.description_en,
        )
    ).all()
    on_postgres = bind.dialect.name == "postgresql"
    for row in rows:
        names = (row.name_ru, row.name_en)
        own_skus = [s for s in skus.get(row.id, ()) if s]
        shelf = shelves(row.category_id)
        values = {
            "search_text": build_search_text(
                names, (row.description_ru, row.description_en), own_skus, shelf
            )
        }
        if on_postgres:
            values["search_vector"] = vector_expression(
                names, (row.description_ru,), (row.description_en,), own_skus, shelf
            )
        bind.execute(product.update().where(product.c.id == row.id).values(**values))
