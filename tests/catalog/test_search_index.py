"""Search through an index on both engines (issue 16.4): the same products in the same order on
SQLite (FTS5, migration 0013_fts_search) and PostgreSQL (the GIN-indexed tsvector), whatever the
shopper types; on SQLite the search reads the index, not every product."""

import re

import pytest
from sqlalchemy import event, text

from shop.extensions import db as _db
from tests.catalog.conftest import make_product
from tests.conftest import ON_POSTGRES
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


def found(client, query, lang="ru"):
    response = client.get("/search", query_string={"q": query, "lang": lang})
    assert response.status_code == 200
    return re.findall(r'href="/product/([a-z0-9-]+)"', response.get_data(as_text=True))


@pytest.fixture()
def tableware(db):
    """Tableware > Mugs, and a shelf of plates: names, shelves and descriptions that say "mug"
    (кружка) in different places, and SKUs that share a prefix."""
    tableware = CategoryFactory(slug="posuda", name_ru="Посуда", name_en="Tableware")
    mugs = CategoryFactory(slug="kruzhki", name_ru="Кружки", name_en="Mugs", parent=tableware)
    plates = CategoryFactory(slug="tarelki", name_ru="Тарелки", name_en="Plates")
    made = {}
    for slug, category, name_ru, name_en, description_ru, description_en, sku in [
        ("white-mug", tableware, "Кружка белая", "White mug", "", "", "MUG-100"),
        ("red-mug", tableware, "Кружка красная", "Red mug", "", "", "MUG-200"),
        ("glass", mugs, "Стакан стеклянный", "Glass tumbler", "", "", "GLS-100"),
        ("plate", plates, "Тарелка белая", "White plate", "<p>К ней подойдёт кружка</p>",
         "<p>Goes with a mug</p>", "PLT-100"),
        ("bowl", plates, "Миска", "Bowl", "", "", "GLASS-1"),
    ]:
        product = ProductFactory(category=category, slug=slug, name_ru=name_ru, name_en=name_en,
                                 description_ru=description_ru, description_en=description_en)
        VariantFactory(product=product, sku=sku)
        made[slug] = product
    return made


MUGS = {"white-mug", "red-mug", "glass", "plate"}  # names, a shelf, a description


@pytest.mark.parametrize("query", ["кружки", "кружка", "кружек", "кружкой", "КРУЖКАМИ"])
def test_russian_word_forms_find_each_other(client, tableware, query):
    assert set(found(client, query)) == MUGS


@pytest.mark.parametrize(
    ("query", "expected"),
    [("mug", MUGS), ("mugs", MUGS), ("MUGS", MUGS), ("plates", {"plate", "bowl"}),
     ("plate", {"plate", "bowl"})],
)
def test_english_singular_and_plural_find_each_other(client, tableware, query, expected):
    assert set(found(client, query, lang="en")) == expected


def test_every_word_must_match(client, tableware):
    # the plate is white by name and mentions a mug in its description
    assert found(client, "кружка белая") == ["white-mug", "plate"]
    assert found(client, "белые кружки") == ["white-mug", "plate"]
    assert found(client, "white mugs", lang="en") == ["white-mug", "plate"]
    assert found(client, "кружка синяя") == []


def test_a_partial_word_is_a_prefix(client, tableware):
    assert {"white-mug", "red-mug"} <= set(found(client, "круж"))
    assert found(client, "стеклян") == ["glass"]


@pytest.mark.parametrize(
    ("query", "first"),
    [("MUG-100", "white-mug"), ("mug-1", "white-mug"), ("mug-2", "red-mug"), ("gls", "glass"),
     ("plt-10", "plate"), ("glass-1", "bowl"), ("Glass-", "bowl")],
)
def test_sku_prefixes(client, tableware, query, first):
    hits = found(client, query)
    assert hits and hits[0] == first, hits


def test_a_sku_prefix_ranks_above_a_name(client, tableware):
    # the tumbler is named "Glass"; the bowl's SKU starts with GLASS
    assert found(client, "glass", lang="en") == ["bowl", "glass"]


def test_names_rank_above_shelves_and_shelves_above_descriptions(client, tableware):
    # the mugs by name first (either order), then the glass on the Mugs shelf, then the plate
    # that mentions a mug in its description
    for hits in (found(client, "кружки"), found(client, "mug", lang="en")):
        assert set(hits[:2]) == {"white-mug", "red-mug"} and hits[2:] == ["glass", "plate"], hits


def test_more_words_in_the_name_rank_higher(client, tableware):
    assert found(client, "белая тарелка") == ["plate"]
    # both words in the white mug's name; the plate has "кружка" in its description only
    assert found(client, "белая кружка") == ["white-mug", "plate"]


MUGS_BY_NAME = {"white-mug", "red-mug"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"', set()),
        ('"кружка', MUGS),
        ('"кружка"', MUGS),
        ("кружка*", MUGS),
        ("*", set()),
        ("-кружка", MUGS),
        ("кружка -белая", {"white-mug", "plate"}),
        ("(кружка", MUGS),
        ("кружка)", MUGS),
        ("()", set()),
        ("(кружка OR стакан)", {"glass"}),
        ("кружка NEAR белая", set()),
        ("NEAR(кружка белая)", set()),
        ("NEAR/2", set()),
        ("кружка AND белая", {"white-mug", "plate"}),
        ("кружка OR тарелка", {"plate"}),
        ("кружка NOT белая", set()),
        ("name:кружка", set()),
        ("{name shelves}: кружка", set()),
        ("description : кружка", set()),
        ("^кружка", MUGS),
        ("кружка + белая", {"white-mug", "plate"}),
        ("'кружка'", MUGS),
        ("кружка:*", MUGS),
        ("AND", set()),
        ("OR OR OR", set()),
        ("\\кружка", MUGS),
        ('кру"жка', set()),
        ("%кружка_", MUGS),
    ],
)
def test_query_syntax_is_never_read_as_syntax(client, tableware, query, expected):
    """FTS5 and tsquery syntax, LIKE wildcards and quotes are not syntax: only the words count
    (every one of them, "and" and "or" being stop words), on both engines."""
    assert set(found(client, query)) == expected


def test_operators_are_looked_for_as_words(client, tableware):
    make_product(tableware["plate"].category, "Кружка Near", "Mug near", slug="near-mug")
    assert found(client, "кружка NEAR") == ["near-mug"]
    assert found(client, "NEAR кружка") == ["near-mug"]


def test_bulk_sql_writes_are_searched(client, db, tableware):
    """The index follows the product table whoever writes it: a hand-written UPDATE of the
    search data, and a DELETE."""
    if ON_POSTGRES:
        db.session.execute(
            text(
                "UPDATE product SET search_text = ' блюдц |  |  ',"
                " search_vector = to_tsvector('simple', 'блюдц') WHERE slug = 'bowl'"
            )
        )
    else:
        db.session.execute(
            text("UPDATE product SET search_text = ' блюдц |  |  ' WHERE slug = 'bowl'")
        )
    db.session.commit()
    assert found(client, "блюдце") == ["bowl"]
    assert "bowl" not in found(client, "миска")
    db.session.execute(text("DELETE FROM product_variant WHERE product_id = :id"),
                       {"id": tableware["red-mug"].id})
    db.session.execute(text("DELETE FROM product WHERE slug = 'red-mug'"))
    db.session.commit()
    assert "red-mug" not in found(client, "кружка")


@pytest.mark.skipif(ON_POSTGRES, reason="the FTS5 table is SQLite's")
def test_the_index_has_one_row_per_product_and_ignores_price_updates(db, tableware):
    def rows():
        return db.session.execute(
            text("SELECT rowid, name, shelves, description FROM product_fts ORDER BY rowid")
        ).all()

    products = db.session.execute(text("SELECT id FROM product ORDER BY id")).scalars().all()
    assert [r.rowid for r in rows()] == products
    glass = tableware["glass"]
    row = next(r for r in rows() if r.rowid == glass.id)
    assert "стака" in row.name and "кружк" in row.shelves and "кружк" not in row.name
    before = db.session.execute(text("SELECT total_changes()")).scalar()
    db.session.execute(text("UPDATE product SET min_price = 1, in_stock = 0 WHERE id = :id"),
                       {"id": glass.id})
    # one row changed: the product's, not the index's (a trigger's writes count too)
    assert db.session.execute(text("SELECT total_changes()")).scalar() == before + 1
    db.session.rollback()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's plan; PostgreSQL's index: test_search.py")
@pytest.mark.parametrize(
    "args",
    [
        {"q": "кружки"},
        {"q": "белая кружка", "sort": "price_asc", "price_min": "10", "in_stock": "1"},
        {"q": "mug-1", "sort": "newest", "lang": "en"},
    ],
)
def test_sqlite_search_reads_the_index_not_every_product(client, tableware, args):
    """Every statement of a search finds its products through `product_fts` (and SKUs through
    their index), then reads those rows by id: no product or variant is read to be tested."""
    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/search", query_string=args).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    searches = [(s, p) for s, p in statements if "product_fts MATCH" in s]
    assert len(searches) == 1  # the found products and their ranks: order, filters, options
    with _db.engine.connect() as conn:
        for statement, parameters in searches:
            plan = [r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                        parameters)]
            assert any(re.match(r"SCAN product_fts VIRTUAL TABLE INDEX \d+:M", p) for p in plan)
            # A product is looked up by its id (through the primary key, or an index that ends
            # with it), never found by reading all of a table or of an index's range.
            scans = [
                p for p in plan
                if re.match(r"SCAN product(_variant)?\b(?!_)", p)
                or (re.match(r"SEARCH product USING (COVERING )?INDEX", p) and "rowid=?" not in p)
            ]
            assert scans == [], plan


@pytest.mark.postgres
def test_postgres_search_asks_the_gin_and_sku_indexes(client, tableware):
    """Every statement of a search can find its products through ix_product_search_vector and
    ix_product_variant_sku_nocase: with sequential scans priced out, none is left."""
    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/search", query_string={"q": "белая кружка"}).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)
    searches = [(s, p) for s, p in statements if "to_tsquery" in s]
    assert len(searches) == 1  # the found products and their ranks: order, filters, options
    with _db.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in searches:
            plan = "\n".join(
                r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters)
            )
            assert "ix_product_search_vector" in plan, plan
            assert "ix_product_variant_sku_nocase" in plan, plan
            assert not re.search(r"Seq Scan on product(_variant)? ", plan), plan
