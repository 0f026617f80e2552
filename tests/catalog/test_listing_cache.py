"""Listing data kept between requests (filter options, totals, product cards) follows changes.

Any committed catalogue change (back office or ORM) shows on the next request; stock changed in
SQL behind the ORM (checkout) shows on cards at once.
"""

from decimal import Decimal

import pytest
from sqlalchemy import select

from shop.catalog.models import Product, ProductVariant
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


@pytest.fixture()
def shelf(db):
    category = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    product = ProductFactory(category=category, name_ru="Кеды", name_en="Trainers")
    variant = VariantFactory(product=product, size="41", colour="белый", price=Decimal("1000"))
    return category, product, variant


def page(client, path="/catalog/obuv"):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_new_products_change_the_total_and_filter_options(client, db, shelf):
    category, _, _ = shelf
    first = page(client)
    assert "1 product" in first and 'value="41"' in first and 'value="42"' not in first
    assert "1 product" in page(client)  # kept
    VariantFactory(
        product=ProductFactory(category=category, name_en="Boots"), size="42", colour="чёрный"
    )
    again = page(client)
    assert "2 products" in again and 'value="42"' in again and 'value="чёрный"' in again
    filtered = page(client, "/catalog/obuv?size=42")
    assert "1 product" in filtered and "Boots" in filtered


def test_a_price_change_shows_on_the_card(client, db, shelf):
    _, _, variant = shelf
    assert "1,000" in page(client)
    variant.price = Decimal("1500")
    db.session.commit()
    body = page(client)
    assert "1,500" in body and "1,000" not in body


def test_stock_changed_behind_the_orm_shows_on_the_card(client, db, shelf):
    _, product, _ = shelf
    assert "In stock" in page(client)
    db.session.execute(Product.__table__.update().values(in_stock=False))
    db.session.commit()  # no ORM object changed: no catalogue version bump
    db.session.expire_all()
    assert "Out of stock" in page(client)


def test_writing_off_the_last_unit_drops_it_from_in_stock_listings_at_once(
    client, db, shelf, tmp_path, app, monkeypatch
):
    """Issue 14.3: stock changed through inventory.services (a back-office write-off) left
    `?in_stock=1` counting the product until the cache's time limit, while its card was gone."""
    from shop.inventory.models import StockReason
    from shop.inventory.services import adjust_stock

    monkeypatch.setitem(app.config, "CATALOGUE_VERSION_FILE", str(tmp_path / "version"))
    category, product, variant = shelf
    other = ProductFactory(category=category, name_en="Boots")
    VariantFactory(product=other, size="42", stock=3)
    assert "2 products" in page(client, "/catalog/obuv?in_stock=1")
    assert "2 products" in page(client, "/catalog/obuv?in_stock=1")  # kept
    adjust_stock(variant.id, -variant.stock, StockReason.ADJUST, note="write-off")
    body = page(client, "/catalog/obuv?in_stock=1")
    assert "1 product" in body and "Trainers" not in body
    adjust_stock(variant.id, 2, StockReason.RECEIVE)
    assert "2 products" in page(client, "/catalog/obuv?in_stock=1")


def test_a_sale_that_leaves_stock_does_not_drop_the_catalogue_caches(client, db, shelf, app):
    """Only a change of in_stock or the lowest price moves the catalogue version."""
    from shop.core.cache import catalogue_version
    from shop.inventory.services import adjust_stock

    _, _, variant = shelf
    variant.stock = 5
    db.session.commit()
    with app.test_request_context():
        before = catalogue_version()
    adjust_stock(variant.id, -1)
    with app.test_request_context():
        assert catalogue_version() == before
    adjust_stock(variant.id, -4)
    with app.test_request_context():
        assert catalogue_version() != before


def _names_in_order(body, names):
    return sorted((body.index(n), n) for n in names if n in body)


def test_a_kept_listing_order_follows_prices_stock_and_removals(client, db, shelf, app,
                                                                monkeypatch):
    """An unfiltered category keeps its whole order of ids (issue 16): every committed change
    of what it sorts by shows on the next request, pages past the end show the last one."""
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)
    category, trainers, variant = shelf  # 1000
    boots = ProductFactory(category=category, name_ru="Сапоги", name_en="Boots")
    boots_variant = VariantFactory(product=boots, price=Decimal("2000"), stock=4)
    sandals = ProductFactory(category=category, name_ru="Сандалии", name_en="Sandals")
    VariantFactory(product=sandals, price=Decimal("3000"), stock=4)
    first = page(client, "/catalog/obuv?sort=price_asc")
    assert [n for _, n in _names_in_order(first, ["Trainers", "Boots", "Sandals"])] == [
        "Trainers", "Boots"]
    assert "Sandals" in page(client, "/catalog/obuv?sort=price_asc&page=2")
    assert "Sandals" in page(client, "/catalog/obuv?sort=price_asc&page=99")  # the last page

    boots_variant.price = Decimal("500")  # now the cheapest
    db.session.commit()
    body = page(client, "/catalog/obuv?sort=price_asc")
    assert [n for _, n in _names_in_order(body, ["Trainers", "Boots"])] == ["Boots", "Trainers"]

    trainers.active = False
    db.session.commit()
    body = page(client, "/catalog/obuv?sort=price_asc")
    assert "Trainers" not in body and "Boots" in body and "Sandals" in body
    assert "2 products" in body


@pytest.mark.parametrize("sort", ["default", "price_asc", "price_desc", "newest", "name"])
def test_a_parent_category_lists_its_subcategories_in_one_order(client, db, app, monkeypatch,
                                                                 sort):
    """A parent's unfiltered listing is cut out of the whole catalogue's kept order, its
    subcategories' parts merged (shop.catalog.queries._category_order): page after page, it
    is the order the database gives the whole subtree, in both languages; another
    department's products never show."""
    from datetime import datetime, timedelta

    from werkzeug.datastructures import MultiDict

    from shop.catalog import queries
    from shop.extensions import db as _db

    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 3)
    clothes = CategoryFactory(slug="odezhda", name_ru="Одежда", name_en="Clothes")
    kids = [CategoryFactory(slug=f"razdel-{n}", name_ru=f"Раздел {n}", name_en=f"Section {n}",
                            parent=clothes) for n in range(3)]
    other = CategoryFactory(slug="dom", name_ru="Дом", name_en="Home")
    start = datetime(2026, 1, 1)
    for n in range(14):
        product = ProductFactory(
            category=(kids + [clothes])[n % 4], name_ru=f"Товар {(n * 7) % 15:02d}",
            name_en=f"Item {(n * 5) % 14:02d}", featured=n % 5 == 0,
            created_at=start + timedelta(days=(n * 3) % 11),
        )
        VariantFactory(product=product, price=Decimal(1000 + (n * 37) % 9 * 100),
                       stock=0 if n % 6 == 0 else 3)
    stranger = ProductFactory(category=other, name_ru="Чужой", name_en="Stranger")
    VariantFactory(product=stranger, price=Decimal("1"), stock=3)
    _db.session.commit()

    for lang in ("ru", "en"):
        with app.test_request_context(f"/?lang={lang}"):
            app.preprocess_request()
            tree = queries.catalog_tree()
            parent = tree.by_slug["odezhda"]
            expected = list(_db.session.scalars(
                select(Product.id)
                .where(queries._shown(), Product.category_id.in_(tree.descendant_ids(parent)))
                .order_by(*queries._order_by(sort))
            ))
            seen = []
            for number in range(1, 6):
                filters = queries.Filters.from_args(MultiDict({"sort": sort, "page": str(number)}))
                listing, _facets = queries.category_listing(parent, filters)
                if listing.page != number:
                    break
                seen += [card.id for card in listing.items]
            assert seen == expected and len(expected) == 14, (lang, sort)


def test_filters_on_a_kept_order_find_what_sql_finds(client, db, app, monkeypatch):
    """A filtered category page filters its kept order in Python (ListingFacts): for every
    combination of price bounds, stock, sizes and colours it finds the products, in the
    order, that the SQL conditions of the same filters find (one variant must have both a
    chosen size and a chosen colour)."""
    from itertools import product as combinations

    from werkzeug.datastructures import MultiDict

    from shop.catalog import queries
    from shop.extensions import db as _db

    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 100)
    shoes = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    sneakers = CategoryFactory(slug="kedy", name_ru="Кеды", name_en="Trainers", parent=shoes)
    specs = [
        [("1000", 3, "41", "белый"), ("1200", 0, "42", "чёрный")],
        [("999.99", 0, "42", "белый")],
        [("1999.99", 2, "43", "белый")],
        [("2000.50", 5, "43", "чёрный"), ("2500", 1, "41", "красный")],
        [("1500", 2, "42", None), ("1500", 2, None, "белый")],
        [("3000", 0, "41", "чёрный"), ("3100", 4, "42", "белый")],
    ]
    for number, variants in enumerate(specs):
        product = ProductFactory(category=(shoes, sneakers)[number % 2],
                                 name_ru=f"Пара {number}", name_en=f"Pair {number}")
        for price, stock, size, colour in variants:
            VariantFactory(product=product, price=Decimal(price), stock=stock, size=size,
                           colour=colour)
    _db.session.commit()

    bounds = [None, "999.99", "1000", "1999.995", "2000.5", "3100"]
    choices = combinations(bounds[:4], bounds[2:], ["", "1"], [[], ["42"], ["41", "43"]],
                           [[], ["белый"], ["чёрный", "красный"]], ["default", "price_desc"])
    with app.test_request_context("/"):
        app.preprocess_request()
        tree = queries.catalog_tree()
        parent = tree.by_slug["obuv"]
        where = [Product.category_id.in_(tree.descendant_ids(parent))]
        for low, high, stock, sizes, colours, sort in choices:
            args = MultiDict([("sort", sort), ("in_stock", stock), *[("size", s) for s in sizes],
                              *[("colour", c) for c in colours]])
            if low:
                args.add("price_min", low)
            if high:
                args.add("price_max", high)
            filters = queries.Filters.from_args(args)
            if not filters.active:
                continue
            in_python, _facets = queries.category_listing(parent, filters)
            in_sql = list(_db.session.scalars(
                select(Product.id)
                .where(queries._shown(), *where, *_sql_conditions(filters))
                .order_by(*queries._order_by(sort))
            ))
            assert [c.id for c in in_python.items] == in_sql, args
            assert in_python.total == len(in_sql)


def _sql_conditions(filters):
    """What `filters` ask, written in SQL: the oracle the Python filters are checked against."""
    conds = []
    if filters.price_min is not None:
        conds.append(Product.min_price >= filters.price_min)
    if filters.price_max is not None:
        conds.append(Product.min_price <= filters.price_max)
    if filters.in_stock:
        conds.append(Product.in_stock.is_(True))
    variant = []
    if filters.sizes:
        variant.append(ProductVariant.size.in_(filters.sizes))
    if filters.colours:
        variant.append(ProductVariant.colour.in_(filters.colours))
    if variant:
        conds.append(
            select(ProductVariant.id)
            .where(ProductVariant.product_id == Product.id, ProductVariant.active.is_(True),
                   *variant)
            .exists()
        )
    return conds


def test_a_kept_search_order_follows_catalogue_changes(client, db, shelf, app, monkeypatch):
    """A search without filters keeps its whole order of ids per query and sort (issue 16):
    a price change, a new product and a hidden one show on the next request."""
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)
    category, trainers, variant = shelf  # "Кеды", 1000
    other = ProductFactory(category=category, name_ru="Кеды высокие", name_en="High trainers")
    VariantFactory(product=other, price=Decimal("2000"), stock=3)
    path = "/search?q=trainers&sort=price_asc"
    body = page(client, path)
    assert [n for _, n in _names_in_order(body, ["High trainers", "Trainers"])][:1] == [
        "Trainers"]
    variant.price = Decimal("3000")  # now the dearest
    db.session.commit()
    body = page(client, path)
    assert body.index("High trainers") < body.index(">Trainers<")
    third = ProductFactory(category=category, name_ru="Кеды низкие", name_en="Low trainers")
    VariantFactory(product=third, price=Decimal("10"), stock=3)
    db.session.commit()
    body = page(client, path)
    assert "Low trainers" in body and "3 products" in body
    third.active = False
    db.session.commit()
    body = page(client, path)
    assert "Low trainers" not in body and "2 products" in body


@pytest.mark.postgres
@pytest.mark.parametrize(
    "path", ["/", "/catalog/obuv", "/catalog/obuv?in_stock=1", "/search?q=trainers", "/sale"]
)
def test_a_guests_catalogue_pages_read_outside_a_transaction(client, db, shelf, path):
    """Catalogue pages only read: a guest's statements run in autocommit (no BEGIN and
    ROLLBACK round trips to PostgreSQL), and the pooled connection goes back to transactions
    afterwards, so that a write elsewhere still gets one."""
    from shop.extensions import db as _db
    from tests.db_helpers import autocommit_of_statements

    product_url = f"/product/{shelf[1].slug}"
    page(client, path)  # kept orders and facts read once
    _db.session.close()  # the test's own reads share the request's session: end them first
    for url in (path, product_url):
        with autocommit_of_statements(_db.engine) as modes:
            assert client.get(url).status_code == 200
        assert all(modes), url  # a listing whose order is kept and empty reads nothing
    assert modes  # the product page's own statements
    with _db.engine.connect() as conn:
        assert conn.connection.dbapi_connection.autocommit is False
