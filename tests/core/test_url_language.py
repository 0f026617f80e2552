"""`?lang=` carries on to the next page (issue 14.4: open /?lang=en, click a category, and the
page was Russian again)."""

import re

import pytest

from tests.accounts.helpers import login
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VariantFactory


@pytest.fixture()
def shelf(db):
    category = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    VariantFactory(product=ProductFactory(category=category, slug="kedy", name_ru="Кеды",
                                          name_en="Plimsolls"))
    return category


def lang_of(response):
    return re.search(r'<html lang="(\w+)"', response.get_data(as_text=True)).group(1)


def test_a_visitor_from_a_search_engine_keeps_english(client, shelf):
    first = client.get("/?lang=en", headers={"Accept-Language": "ru"})
    assert lang_of(first) == "en"
    category = client.get("/catalog/obuv", headers={"Accept-Language": "ru"})
    assert lang_of(category) == "en" and "Shoes" in category.get_data(as_text=True)
    product = client.get("/product/kedy", headers={"Accept-Language": "ru"})
    assert lang_of(product) == "en"


def test_the_url_language_replaces_an_earlier_choice(client, shelf):
    client.get("/lang/en?next=/")
    client.get("/catalog/obuv?lang=ru")
    assert lang_of(client.get("/")) == "ru"


def test_a_logged_in_shopper_keeps_the_url_language_for_the_visit_only(client, shelf, db):
    from shop.accounts.models import User
    from shop.extensions import db as _db

    shopper = UserFactory(locale="ru")
    login(client, shopper)
    assert lang_of(client.get("/?lang=en")) == "en"
    assert lang_of(client.get("/catalog/obuv")) == "en"
    _db.session.expire_all()
    assert _db.session.get(User, shopper.id).locale == "ru"  # a GET never saves it


def test_an_unknown_language_changes_nothing(client, shelf):
    response = client.get("/?lang=de", headers={"Accept-Language": "ru"})
    assert "lang=" not in (response.headers.get("Set-Cookie") or "")
    assert lang_of(client.get("/", headers={"Accept-Language": "ru"})) == "ru"
