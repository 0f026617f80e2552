"""Every committed change of what the kept catalogue data shows is seen by the next request.

The caches run as in production (there is no switch to turn them off): a reader looks at the
pages first, so the menu, the filter options, the totals and the cards are kept; then a price
changes in the back office, an order takes stock through checkout (guarded SQL updates, behind
the ORM), or a CSV import rewrites prices and stock; the same reader's next request shows it.
"""

import re
from decimal import Decimal

import pytest

from tests.admin.conftest import login_as
from tests.admin.test_catalog import product_form
from tests.checkout.helpers import place
from tests.factories import (
    CategoryFactory,
    DeliveryMethodFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)


@pytest.fixture()
def shelf(db):
    category = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    product = ProductFactory(category=category, slug="kedy", name_ru="Кеды", name_en="Trainers")
    variant = VariantFactory(product=product, sku="KEDY-41", size="41", colour="белый",
                             price=Decimal("1000"), stock=3)
    other = ProductFactory(category=category, slug="botinki", name_en="Boots")
    VariantFactory(product=other, sku="BOOT-42", size="42", price=Decimal("3000"), stock=5)
    return category, product, variant


def page(client, path):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def look(reader):
    """What the reader sees of the shelf (and what the shop keeps while showing it)."""
    return {
        "listing": page(reader, "/catalog/obuv"),
        "cheap": page(reader, "/catalog/obuv?price_max=1200"),
        "in_stock": page(reader, "/catalog/obuv?in_stock=1"),
        "product": page(reader, "/product/kedy"),
    }


def test_a_price_changed_in_the_back_office_shows_at_once(app, client, db, shelf, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)
    category, product, variant = shelf
    reader = app.test_client(use_cookies=False)
    before = look(reader)
    assert "1,000" in before["listing"] and "1 product" in before["cheap"]
    assert 'placeholder="from 1000"' in before["listing"]
    look(reader)  # kept now

    login_as(client, UserFactory(roles=["manager"]))
    token = re.search(
        r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
        page(client, f"/admin/products/edit/?id={product.id}"),
    ).group(1)
    data = product_form(
        category,
        token,
        name_ru=product.name_ru,
        name_en="Trainers",
        slug="kedy",
        **{
            "variants-0-id": str(variant.id),
            "variants-0-sku": "KEDY-41",
            "variants-0-size": "41",
            "variants-0-colour": "белый",
            "variants-0-price": "1500.00",
        },
    )
    response = client.post(f"/admin/products/edit/?id={product.id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]

    after = look(reader)
    assert "1,500" in after["listing"] and "1,000" not in after["listing"]
    assert 'placeholder="from 1500"' in after["listing"]  # the filter options
    assert "Trainers" not in after["cheap"]  # the total and the page of ?price_max=1200
    assert "1,500" in after["product"]


def test_an_order_placed_shows_the_new_stock_at_once(app, db, shelf):
    _, _, variant = shelf
    courier = DeliveryMethodFactory()  # before the reader looks: creating it moves the version
    reader = app.test_client(use_cookies=False)
    before = look(reader)
    assert "3 pieces in stock" in before["product"]
    assert "2 products" in before["in_stock"]
    look(reader)

    place(variant, quantity=1, method=courier)  # stock left: the kept listing data stays as it was
    assert "2 pieces in stock" in page(reader, "/product/kedy")

    place(variant, quantity=2, method=courier)  # the last units: out of stock everywhere
    after = look(reader)
    assert "Out of stock" in after["product"] and "in stock</" not in after["product"]
    assert "1 product" in after["in_stock"] and "Trainers" not in after["in_stock"]
    card = after["listing"].split("Trainers", 1)[1].split("</article>", 1)[0]
    assert "Out of stock" in card


def test_a_csv_import_shows_at_once(app, db, shelf):
    from shop.inventory.catalog_csv import apply_import

    reader = app.test_client(use_cookies=False)
    before = look(reader)
    assert "1 product" in before["cheap"] and "2 products" in before["in_stock"]
    look(reader)

    apply_import("sku,product_slug,price,stock\nKEDY-41,kedy,1100,0\nBOOT-42,botinki,900,5\n")

    after = look(reader)
    assert "1,100" in after["listing"] and "900" in after["listing"]
    assert 'placeholder="from 900"' in after["listing"]
    assert "Boots" in after["cheap"] and "Trainers" in after["cheap"]  # 1,100 ≤ 1,200 now
    assert "1 product" in after["in_stock"] and "Trainers" not in after["in_stock"]
    assert "Out of stock" in after["product"]
