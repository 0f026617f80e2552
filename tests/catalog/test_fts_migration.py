"""Migration 0013_fts_search (issue 16.4): on SQLite it builds the search index from the products
already saved, keeps it in step from then on, and its downgrade takes it all away again; on both
engines it adds the case-blind SKU index, and its downgrade drops it.

Runs against a database of its own (a file on SQLite, a throwaway database on PostgreSQL),
built up to 0009 by the migrations.
"""

import secrets

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from shop import create_app
from shop.catalog.search import fts5_query_text, query_terms
from shop.extensions import db
from tests.conftest import ON_POSTGRES, TEST_DB_URL

BEFORE, AFTER = "0009_order_event_kind", "0013_fts_search"
CATEGORY = sa.table("category", *(sa.column(c) for c in (
    "id", "slug", "position", "name_ru", "active", "created_at", "updated_at")))
PRODUCT = sa.table("product", *(sa.column(c) for c in (
    "id", "category_id", "slug", "name_ru", "active", "featured", "in_stock", "search_text",
    "created_at", "updated_at")))


@pytest.fixture()
def own_app(tmp_path, monkeypatch):
    if ON_POSTGRES:
        name = f"shop_migration_{secrets.token_hex(4)}"
        admin = sa.create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = TEST_DB_URL.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'shop.db'}"
    monkeypatch.setenv("SHOP_DATABASE_URL", url)
    app = create_app("testing")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if ON_POSTGRES:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _insert(conn, product_id, search_text):
    now = sa.func.current_timestamp()
    conn.execute(PRODUCT.insert().values(
        id=product_id, category_id=1, slug=f"p{product_id}", name_ru="-", active=True,
        featured=False, in_stock=True, search_text=search_text, created_at=now, updated_at=now,
    ))


def _found(query):
    with db.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT rowid FROM product_fts WHERE product_fts MATCH :q ORDER BY rowid"),
            {"q": fts5_query_text(query_terms(query))},
        ).scalars().all()


def _objects():
    with db.engine.connect() as conn:
        return set(conn.execute(sa.text(
            "SELECT name FROM sqlite_master WHERE name LIKE 'product_fts%'"
            " OR name = 'ix_product_variant_sku_nocase'"
        )).scalars())


def _sku_indexes():
    return {
        ix["name"] for ix in sa.inspect(db.engine).get_indexes("product_variant")
        if ix["name"] == "ix_product_variant_sku_nocase"
    }


def test_the_sku_index_comes_and_goes(own_app):
    with own_app.app_context():
        upgrade(revision=AFTER)
        assert _sku_indexes() == {"ix_product_variant_sku_nocase"}
        downgrade(revision=BEFORE)
        assert _sku_indexes() == set()


@pytest.mark.skipif(ON_POSTGRES, reason="the FTS5 table is SQLite's")
def test_the_index_is_built_from_saved_products_kept_and_dropped(own_app):
    with own_app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(CATEGORY.insert().values(
                id=1, slug="c", position=0, name_ru="Посуда", active=True,
                created_at=sa.func.current_timestamp(), updated_at=sa.func.current_timestamp(),
            ))
            _insert(conn, 1, " кружк бел | посуд | керамическ ")
            _insert(conn, 2, " стака | кружк посуд | ")
            _insert(conn, 3, " тарелк ")  # the format before 0008: names only
            _insert(conn, 4, None)  # never saved by the catalogue

        upgrade(revision=AFTER)
        assert _found("кружки") == [1, 2]
        assert _found("керамическая кружка") == [1]
        assert _found("тарелки") == [3]
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM product_fts")).scalar() == 4
        # kept in step: a new product, a changed one, a deleted one
        with db.engine.begin() as conn:
            _insert(conn, 5, " кружк термо | | ")
            conn.execute(sa.text("UPDATE product SET search_text = ' миск | | ' WHERE id = 1"))
            conn.execute(sa.text("DELETE FROM product WHERE id = 2"))
        assert _found("кружки") == [5]
        assert _found("миска") == [1]

        downgrade(revision=BEFORE)
        assert _objects() == set()
        with db.engine.begin() as conn:  # no trigger is left to write to a missing table
            _insert(conn, 6, " кружк | | ")
            conn.execute(sa.text("DELETE FROM product WHERE id = 5"))

        upgrade(revision=AFTER)
        assert _found("кружки") == [6]
        assert {"product_fts", "ix_product_variant_sku_nocase"} <= _objects()
