"""Storefront pages cost a fixed number of SQL statements, whatever the catalogue's size."""

import pytest
from sqlalchemy import select

from tests.catalog.conftest import make_image, make_product
from tests.factories import CategoryFactory

BUDGET = 6  # statements per storefront page, at most


def build(size):
    parent = CategoryFactory(slug="odezhda", name_ru="Одежда", name_en="Clothing")
    children = [
        CategoryFactory(
            slug=f"sub-{i}", name_ru=f"Футболки {i}", name_en=f"Tees {i}", parent=parent
        )
        for i in range(3)
    ]
    for i in range(size):
        product = make_product(
            children[i % 3],
            f"Футболка хлопковая {i}",
            f"Cotton T-shirt {i}",
            [("990", i % 4, "M", "белый"), ("1090", 1, "L", "чёрный", "1500")],
            slug=f"futbolka-{i}",
            featured=i % 5 == 0,
        )
        if i % 2 == 0:
            make_image(product, size=(40, 30))


PAGES = [
    "/",
    "/catalog/odezhda",
    "/catalog/odezhda?size=M&colour=белый&in_stock=1&sort=price_desc&price_min=10",
    "/catalog/sub-1",
    "/new",
    "/sale?size=M&sort=price_asc",
    "/search?q=футболок",
    "/search?q=cotton&sort=name&size=L",
    "/product/futbolka-3",
]


def counts(client, count_queries):
    result = {}
    from shop.extensions import db

    for path in PAGES:
        db.session.remove()  # every request starts with an empty session, as on a server
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, path
        result[path] = counter.count
    return result


@pytest.fixture()
def ten(db, app):
    app.config["PRODUCTS_PER_PAGE"] = 100
    build(10)
    yield
    app.config["PRODUCTS_PER_PAGE"] = 24


def test_query_count_does_not_grow_with_the_catalogue(client, count_queries, ten):
    small = counts(client, count_queries)
    from shop.catalog.models import Category
    from shop.extensions import db

    subcategories = db.session.scalars(
        select(Category).where(Category.parent_id.is_not(None)).order_by(Category.id)
    ).all()
    for i in range(10, 100):
        make_product(
            subcategories[i % 3],
            f"Футболка хлопковая {i}",
            f"Cotton T-shirt {i}",
            [("990", 1, "M", "белый"), ("1090", 1, "L", "чёрный")],
            slug=f"futbolka-{i}",
        )
    large = counts(client, count_queries)
    assert large == small
    over = {path: n for path, n in large.items() if n > BUDGET}
    assert over == {}, f"over the budget of {BUDGET} statements: {over}"
