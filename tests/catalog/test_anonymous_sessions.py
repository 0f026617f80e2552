"""Anonymous readers of the catalogue get no session cookie (so no session is made for them).

The product page is left out on purpose: its add-to-cart form carries a CSRF token, which
Flask-WTF keeps in the session.
"""

import pytest

from tests.factories import CategoryFactory, ProductFactory, VariantFactory


@pytest.fixture()
def shelf(db):
    category = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    VariantFactory(product=ProductFactory(category=category, name_ru="Кеды", name_en="Trainers"))


@pytest.mark.parametrize(
    "path", ["/", "/catalog/obuv", "/catalog/obuv?in_stock=1&page=2", "/search?q=кеды", "/cart"]
)
def test_reading_the_catalogue_sets_no_cookie(app, shelf, path):
    client = app.test_client(use_cookies=False)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []
