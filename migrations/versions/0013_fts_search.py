"""Search without a scan on SQLite: an FTS5 index of the products' search stems.

Until now SQLite matched `product.search_text` (" <name stems> | <shelf stems> | <description
stems> ", written on every save by shop.catalog.models from shop.catalog.search) with LIKE,
reading every product on every search. This makes `product_fts`, an FTS5 table with one row per
product (rowid = product.id) and the three parts of `search_text` as the columns name, shelves
and description, so a search reads only the index entries of its words (prefix queries) and
ranks by the column they were found in, as PostgreSQL's tsvector (migration 0002) does.

It holds the same stems as `search_text`, never words of its own: the ru and en word forms meet
exactly as they do on PostgreSQL. SQL triggers keep it in step with `product` on insert, on a
change of `search_text` and on delete, so every writer (the ORM, the CSV import, the
benchmark's bulk inserts, a hand-written UPDATE) keeps it fresh; a price or stock update does
not touch it. The `unicode61` tokenizer keeps diacritics (й stays й, as in `search_text`).

SKU prefixes are matched on `product_variant.sku` case-insensitively (`lower(sku) LIKE 'x%'` on
PostgreSQL, SQLite's own case-blind LIKE there), which either engine can answer from an index
only when the index ignores case as the match does: `ix_product_variant_sku_nocase`, on
`lower(sku) text_pattern_ops` for PostgreSQL, `sku COLLATE NOCASE` for SQLite. Without it every
search read every variant. PostgreSQL keeps its GIN-indexed tsvector for the words.

Neither object is declared by the models (a virtual table only SQLite has, an index whose
definition differs per engine): shop.catalog.search.include_in_schema_compare keeps them out of
Alembic's comparison.

Revision ID: 0013_fts_search
Revises: 0009_order_event_kind
"""

from alembic import op

revision = "0013_fts_search"
down_revision = "0009_order_event_kind"
branch_labels = None
depends_on = None

# (rowid, name, shelves, description) from a `search_text` value (" names | shelves |
# descriptions "); a value without separators is all names, one with a single separator has no
# shelves (the format before 0008_search_shelves). `{rowid}` and `{value}` are SQL expressions
# over `{source}` (a FROM clause; none in a trigger, which reads NEW).
PARTS = """
SELECT r,
       CASE WHEN p1 = 0 THEN t ELSE substr(t, 1, p1 - 1) END,
       CASE WHEN p1 = 0 OR p2 = 0 THEN '' ELSE substr(rest, 1, p2 - 1) END,
       CASE WHEN p1 = 0 THEN '' WHEN p2 = 0 THEN rest ELSE substr(rest, p2 + 1) END
FROM (SELECT r, t, p1, rest, instr(rest, '|') AS p2
      FROM (SELECT r, t, instr(t, '|') AS p1, substr(t, instr(t, '|') + 1) AS rest
            FROM (SELECT {rowid} AS r, coalesce({value}, '') AS t{source})))
"""
INSERT = "INSERT INTO product_fts (rowid, name, shelves, description)"


def _is_sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def upgrade():
    if not _is_sqlite():
        op.execute(
            "CREATE INDEX ix_product_variant_sku_nocase"
            " ON product_variant (lower(sku) text_pattern_ops)"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE product_fts USING fts5("
        "name, shelves, description, tokenize = 'unicode61 remove_diacritics 0')"
    )
    new_row = INSERT + PARTS.format(rowid="NEW.id", value="NEW.search_text", source="")
    op.execute(f"CREATE TRIGGER product_fts_insert AFTER INSERT ON product BEGIN {new_row}; END")
    # Only a change of the search data rewrites the row: min_price and in_stock (checkout,
    # stock corrections) are updated without it.
    rewrite = f"DELETE FROM product_fts WHERE rowid = OLD.id; {new_row};"  # noqa: S608 - constant
    op.execute(
        "CREATE TRIGGER product_fts_update AFTER UPDATE OF id, search_text ON product"
        " WHEN OLD.id IS NOT NEW.id OR OLD.search_text IS NOT NEW.search_text"
        f" BEGIN {rewrite} END"
    )
    op.execute(
        "CREATE TRIGGER product_fts_delete AFTER DELETE ON product BEGIN"
        " DELETE FROM product_fts WHERE rowid = OLD.id; END"
    )
    # The products saved before this revision.
    op.execute(INSERT + PARTS.format(rowid="id", value="search_text", source=" FROM product"))
    op.execute(
        "CREATE INDEX ix_product_variant_sku_nocase ON product_variant (sku COLLATE NOCASE)"
    )


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_product_variant_sku_nocase")
    if not _is_sqlite():
        return
    for trigger in ("product_fts_insert", "product_fts_update", "product_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS product_fts")
