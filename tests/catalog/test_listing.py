"""Home and category pages: tiles, breadcrumbs, filters, sorting, pages, hidden things."""

import re

import pytest

from shop.extensions import db as _db
from tests.catalog.conftest import make_product
from tests.factories import CategoryFactory, ProductFactory

from .test_search import names


def get(client, path, **args):
    response = client.get(path, query_string=args)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_home_shows_tiles_featured_and_new_in_stock_first(client, shoes):
    body = get(client, "/")
    assert 'href="/catalog/obuv"' in body and 'href="/catalog/krossovki"' in body
    # no sales yet: the last shelf holds the featured products
    featured = body[body.index('id="popular-title"') :]
    assert names(featured) == ["Кроссовки беговые"]
    newest = names(body[body.index('id="new-title"') : body.index('id="popular-title"')])
    # the boots are out of stock: last, although they are not the oldest
    assert newest[-1] == "Ботинки зимние"
    assert len(newest) == 4


def test_category_shows_breadcrumbs_subcategories_and_its_subtree(client, shoes):
    body = get(client, "/catalog/obuv")
    assert set(names(body)) == {
        "Кроссовки беговые",
        "Кроссовки для зала",
        "Ботинки зимние",
        "Кеды парусиновые",
    }
    assert 'aria-label="Подкатегории"' in body and 'href="/catalog/krossovki"' in body
    child = get(client, "/catalog/krossovki")
    crumbs = child[child.index('class="breadcrumb') :]
    crumbs = crumbs[: crumbs.index("</ol>")]
    assert 'href="/"' in crumbs and 'href="/catalog/obuv"' in crumbs
    assert 'aria-current="page">Кроссовки<' in crumbs
    assert "Ботинки зимние" not in names(child)


def test_card_shows_price_old_price_and_availability(client, shoes):
    body = get(client, "/catalog/obuv", sort="price_desc")
    card = body[body.index("Кроссовки беговые") - 2000 : body.index("Кроссовки беговые") + 1500]
    assert "5\xa0000,00" in card and "6\xa0500,00" in card and "В наличии" in card
    boots = body[body.index("Ботинки зимние") :][:1500]
    assert "Нет в наличии" in boots


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            {"sort": "price_asc"},
            ["Кеды парусиновые", "Кроссовки для зала", "Кроссовки беговые", "Ботинки зимние"],
        ),
        (
            {"sort": "price_desc"},
            ["Ботинки зимние", "Кроссовки беговые", "Кроссовки для зала", "Кеды парусиновые"],
        ),
        (
            {"sort": "name"},
            ["Ботинки зимние", "Кеды парусиновые", "Кроссовки беговые", "Кроссовки для зала"],
        ),
        (
            {"sort": "newest"},
            ["Кеды парусиновые", "Ботинки зимние", "Кроссовки для зала", "Кроссовки беговые"],
        ),
        (
            {"in_stock": "1", "sort": "price_asc"},
            ["Кеды парусиновые", "Кроссовки для зала", "Кроссовки беговые"],
        ),
        (
            {"price_min": "2000", "price_max": "6000", "sort": "price_asc"},
            ["Кроссовки для зала", "Кроссовки беговые"],
        ),
        # swapped bounds are read the right way round
        (
            {"price_min": "6000", "price_max": "2000", "sort": "price_asc"},
            ["Кроссовки для зала", "Кроссовки беговые"],
        ),
        ({"size": ["42", "44"], "sort": "price_asc"}, ["Кроссовки беговые", "Ботинки зимние"]),
        ({"colour": "белый", "sort": "price_asc"}, ["Кроссовки для зала", "Кроссовки беговые"]),
        ({"colour": "белый", "size": "43"}, ["Кроссовки беговые"]),
        ({"size": "999"}, []),
    ],
)
def test_filters_and_sorting_from_the_url(client, shoes, args, expected):
    assert names(get(client, "/catalog/obuv", **args)) == expected


def test_filter_panel_lists_the_values_found_in_the_category(client, shoes):
    body = get(client, "/catalog/obuv", size="42")
    panel = body[body.index('class="filters"') :]
    panel = panel[: panel.index("</form>")]
    assert re.findall(r'name="size" value="([^"]+)"', panel) == ["40", "41", "42", "43", "44"]
    assert set(re.findall(r'name="colour" value="([^"]+)"', panel)) == {
        "белый",
        "синий",
        "чёрный",
    }
    assert re.search(r'name="size" value="42" id="[^"]+" checked', panel)
    english = client.get("/catalog/obuv", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">white<" in english and ">black<" in english


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "page=0",
        "page=99999999999",
        "page=1e3",
        "sort=drop",
        "sort=relevance",
        "price_min=abc",
        "price_max=-5",
        "price_min=1e400",
        "price_max=NaN",
        "price_min=Infinity",
        "in_stock=maybe",
        "size=" + "x" * 500,
        "colour=%00",
        "size=" + "&size=".join(map(str, range(100))),
        "_scheme=javascript",
        "_external=1",
        "slug=other",
        "lang=xx",
        "page=2&page=3",
    ],
)
def test_bad_values_are_ignored_never_a_500(client, shoes, query):
    response = client.get("/catalog/obuv?" + query)
    assert response.status_code == 200
    assert "javascript:" not in response.get_data(as_text=True)


def test_pages_keep_filters_and_past_the_end_shows_the_last(app, client, db):
    category = CategoryFactory(slug="mugs", name_ru="Кружки", name_en="Mugs")
    for i in range(5):
        make_product(category, f"Кружка {i}", f"Mug {i}", [(str(100 + i), 1)], slug=f"mug-{i}")
    app.config["PRODUCTS_PER_PAGE"] = 2
    try:
        first = get(client, "/catalog/mugs", sort="price_asc")
        third = get(client, "/catalog/mugs", sort="price_asc", page="3")
        beyond = get(client, "/catalog/mugs", sort="price_asc", page="50")
    finally:
        app.config["PRODUCTS_PER_PAGE"] = 24
    assert names(first) == ["Кружка 0", "Кружка 1"]
    assert 'href="/catalog/mugs?sort=price_asc&amp;page=2"' in first
    assert names(third) == ["Кружка 4"]
    assert names(beyond) == ["Кружка 4"]


def test_inactive_products_and_empty_or_inactive_categories_are_hidden(client, db, shoes):
    empty = CategoryFactory(slug="pustaya", name_ru="Пустая", name_en="Empty")
    off = CategoryFactory(slug="vyklyuchena", name_ru="Выключенная", name_en="Off", active=False)
    make_product(off, "Товар в выключенной", "In an off category", slug="v-vyklyuchennoj")
    unsellable = ProductFactory(category=shoes["run"].category, name_ru="Без вариантов")
    shoes["gym"].active = False
    _db.session.commit()
    home = get(client, "/")
    for text in (
        "Пустая",
        "Выключенная",
        "Товар в выключенной",
        "Без вариантов",
        "Кроссовки для зала",
    ):
        assert text not in home
    assert "Кроссовки для зала" not in get(client, "/catalog/obuv")
    assert "Без вариантов" not in get(client, "/catalog/obuv")
    for path in (
        "/catalog/pustaya",
        "/catalog/vyklyuchena",
        "/product/v-vyklyuchennoj",
        "/product/krossovki-dlya-zala",
    ):
        assert client.get(path).status_code == 404, path
    assert empty.id and unsellable.id


def test_subcategory_of_an_inactive_parent_is_hidden(client, db, shoes):
    shoes["boots"].category.active = False  # "Обувь", the parent of "Кроссовки"
    _db.session.commit()
    assert client.get("/catalog/krossovki").status_code == 404
    assert client.get("/product/krossovki-begovye").status_code == 404


def test_category_pages_in_english(client, shoes):
    body = client.get("/catalog/obuv?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in body and "Running shoes" in body and ">Shoes<" in body
    assert "₽5,000.00" in body
