"""The SQL budget of the storefront: at most 6 statements per page, whatever the page size.

Counted with an `after_cursor_execute` listener around one request, on a catalogue of 120
products with images and three variants each, at 10 and at 100 products per page. A query per
product card (an N+1) would show up as ten or a hundred extra statements.
"""

from contextlib import contextmanager
from decimal import Decimal
from urllib.parse import quote

import pytest
from sqlalchemy import event

from shop.catalog.models import Product, ProductImage, ProductVariant
from tests.factories import CategoryFactory

MAX_QUERIES = 6
PRODUCTS = 120


@contextmanager
def counting(db):
    statements = []

    def count(_conn, _cursor, statement, _params, _context, _many):
        statements.append(statement)

    event.listen(db.engine, "after_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "after_cursor_execute", count)


@pytest.fixture()
def big_catalogue(db):
    root = CategoryFactory(slug="odezhda", name_ru="Одежда", name_en="Clothing")
    leaves = [
        CategoryFactory(
            slug=f"leaf-{n}", name_ru=f"Раздел {n}", name_en=f"Section {n}", parent=root
        )
        for n in range(3)
    ]
    for n in range(1, PRODUCTS + 1):
        product = Product(
            category=leaves[n % 3],
            slug=f"sviter-{n}",
            name_ru=f"Свитер шерстяной {n}",
            name_en=f"Woollen sweater {n}",
            description_ru="<p>Тёплый</p>",
            description_en="<p>Warm</p>",
            active=True,
            featured=n % 10 == 0,
        )
        for position, size in enumerate(("S", "M", "L")):
            product.variants.append(
                ProductVariant(
                    sku=f"SW-{n:04d}-{size}",
                    size=size,
                    colour="серый",
                    price=Decimal(1000 + n),
                    old_price=Decimal(1500 + n) if n % 4 == 0 else None,
                    stock=n % 7,
                    position=position,
                )
            )
        product.images.append(
            ProductImage(filename=f"{n:032x}.jpg", width=800, height=600, alt_ru="Фото")
        )
        db.session.add(product)
    db.session.commit()
    return root


PAGES = [
    "/",
    "/catalog/odezhda",
    "/catalog/odezhda?page=2",
    "/catalog/odezhda?in_stock=1&sort=price_asc&size=M",
    "/catalog/leaf-1",
    "/new",
    "/new?page=2",
    "/sale",
    "/sale?in_stock=1&sort=price_asc&size=M",
    f"/search?q={quote('свитер')}",
    "/search?q=sweater",
    "/search?q=SW-0042",
    "/product/sviter-42",
]


@pytest.mark.parametrize("per_page", [10, 100])
def test_storefront_pages_stay_within_the_sql_budget(
    app, db, client, big_catalogue, monkeypatch, per_page
):
    # One catalogue for every page (building it is the slow part of this test).
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", per_page)
    over = {}
    for path in PAGES:
        with counting(db) as statements:
            response = client.get(path)
        assert response.status_code == 200, path
        if len(statements) > MAX_QUERIES:
            over[path] = statements
    assert not over, "\n\n".join(
        f"{path}: {len(s)} statements\n" + "\n".join(s) for path, s in over.items()
    )


@pytest.mark.parametrize("per_page", [10, 100])
def test_cart_page_stays_within_the_sql_budget(
    app, db, client, big_catalogue, monkeypatch, csrf_token, per_page
):
    if "cart.view" not in app.view_functions:
        pytest.skip("no cart pages in this build")
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", per_page)
    token = csrf_token("/product/sviter-42")
    variants = db.session.query(ProductVariant).order_by(ProductVariant.id).limit(10).all()
    for variant in variants:
        response = client.post(
            "/cart/add", data={"csrf_token": token, "variant_id": variant.id, "quantity": 1}
        )
        assert response.status_code in (302, 303)
    with counting(db) as statements:
        response = client.get("/cart")
    assert response.status_code == 200
    assert len(statements) <= MAX_QUERIES, "\n\n".join(statements)
