"""The home page's shelves and tiles (issue 18.1): on sale, new, bestsellers from paid orders,
a picture per top category, and "more" links that lead to real listings."""

import re

import pytest

from shop.catalog.models import ProductVariant
from shop.core.models import utcnow
from shop.extensions import db as _db
from tests.admin.orders_data import build_order
from tests.catalog.conftest import make_image, make_product
from tests.factories import CategoryFactory, DeliveryMethodFactory

from .test_search import names


def section(body, heading_id):
    """The markup of the home page's section whose heading has this id."""
    start = body.index(f'id="{heading_id}"')
    end = body.find("</section>", start)
    return body[start:end]


@pytest.fixture()
def shop(db):
    home = CategoryFactory(slug="dom", name_ru="Дом", name_en="Home", position=1)
    textile = CategoryFactory(slug="tekstil", name_ru="Текстиль", name_en="Textiles", parent=home)
    kitchen = CategoryFactory(slug="kuhnya", name_ru="Кухня", name_en="Kitchen", position=2)
    items = {
        "plaid": make_product(textile, "Плед", "Plaid", [("2000", 3, None, None, "4000")]),
        "towel": make_product(textile, "Полотенце", "Towel", [("900", 5, None, None, "1000")]),
        "pillow": make_product(textile, "Подушка", "Pillow", [("1500", 0, None, None, "3000")]),
        # its cheapest variant is not reduced: the card shows no old price, nor does the shelf
        "blanket": make_product(
            textile, "Одеяло", "Duvet", [("3000", 2), ("5000", 2, None, None, "6000")]
        ),
        "mug": make_product(kitchen, "Кружка", "Mug", [("500", 9)], featured=True),
        "pan": make_product(kitchen, "Сковорода", "Pan", [("2500", 4)]),
    }
    make_image(items["mug"], colour=(10, 20, 30))
    make_image(items["towel"], colour=(30, 20, 10))
    return items


def sell(product, quantity, status="delivered", **kwargs):
    variant = _db.session.query(ProductVariant).filter_by(product_id=product.id).first()
    order = build_order(variant, DeliveryMethodFactory(), status, quantity, **kwargs)
    _db.session.add(order)
    _db.session.commit()


def home(client, lang="ru"):
    response = client.get("/", query_string={"lang": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_sale_shelf_holds_reduced_products_in_stock_biggest_discount_first(client, shop):
    body = home(client)
    # plaid -50 %, towel -10 %; the pillow is sold out, the duvet's cheapest price is full
    assert names(section(body, "sale-title")) == ["Плед", "Полотенце"]
    assert "−50%" in section(body, "sale-title")


def test_without_sales_the_last_shelf_shows_featured_products(client, shop):
    body = home(client, "en")
    assert 'id="popular-title" class="section-title">Featured<' in body
    assert names(section(body, "popular-title")) == ["Mug"]


def test_bestsellers_count_units_of_paid_orders_only(client, shop):
    sell(shop["pan"], 5)  # delivered cash order: paid
    sell(shop["towel"], 2, paid_at=utcnow(), status="processing")  # cash, marked paid
    sell(shop["plaid"], 50, status="new")  # not paid yet
    sell(shop["pillow"], 40, status="cancelled", paid_at=utcnow())
    body = home(client, "en")
    assert 'id="popular-title" class="section-title">Bestsellers<' in body
    # by units sold, then the featured products fill the shelf
    assert names(section(body, "popular-title")) == ["Pan", "Towel", "Mug"]


def test_category_tiles_show_a_picture_of_their_products(client, shop):
    body = home(client)
    tiles = body[body.index('class="category-tiles"') :]
    tiles = tiles[: tiles.index("</ul>")]
    links = re.findall(r'<a class="category-tile" href="([^"]+)"', tiles)
    assert links == ["/catalog/dom", "/catalog/kuhnya"]
    # Home shows its subcategory's picture (the towel's), Kitchen the featured mug's
    pictures = re.findall(r'<img src="(/media/products/320/[^"]+)"', tiles)
    assert pictures == [
        f"/media/products/320/{shop['towel'].images[0].filename}",
        f"/media/products/320/{shop['mug'].images[0].filename}",
    ]
    assert all('width="' in img and 'height="' in img for img in re.findall(r"<img[^>]+>", tiles))


def test_shelves_lead_to_their_pages_and_popular_to_its_category(client, shop):
    body = home(client)
    new_more = re.search(r'class="section-more" href="([^"]+)"', section(body, "new-title"))
    assert new_more.group(1) == "/new"
    sale_more = re.search(r'class="section-more" href="([^"]+)"', section(body, "sale-title"))
    assert sale_more.group(1) == "/sale"
    # without sales, the featured mug's shelf leads to its category
    popular = re.search(r'class="section-more" href="([^"]+)"', section(body, "popular-title"))
    assert popular.group(1) == "/catalog/kuhnya"
    english = home(client, "en")
    assert re.search(
        r'href="/sale">See all<span class="visually-hidden">: On sale</span>', english
    )
    for link in (new_more.group(1), sale_more.group(1), popular.group(1)):
        assert client.get(link).status_code == 200


def test_the_hero_picture_is_sized_and_loaded_first(client, shop):
    body = home(client)
    hero = body[body.index('class="home-hero"') : body.index("</section>")]
    first = re.search(r"<img[^>]+>", hero).group(0)
    assert 'fetchpriority="high"' in first and 'width="' in first and 'height="' in first
    assert 'loading="lazy"' not in first
    # the shelves' cards below do not compete with it
    assert body.count('fetchpriority="high"') == 1


def test_an_empty_shop_still_has_a_home_page(client, db):
    body = home(client)
    assert "<h1" in body and 'id="sale-title"' not in body and 'class="home-hero-art' not in body
