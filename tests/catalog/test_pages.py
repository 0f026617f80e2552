"""Storefront pages render in Russian by default and in English on request."""

import pytest

from tests.factories import CategoryFactory, ProductFactory, VariantFactory


@pytest.fixture()
def catalogue(db):
    parent = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    child = CategoryFactory(
        slug="krossovki", name_ru="Кроссовки", name_en="Sneakers", parent=parent
    )
    product = ProductFactory(
        category=child,
        slug="krossovki-begovye",
        name_ru="Кроссовки беговые",
        name_en="Running shoes",
        featured=True,
    )
    VariantFactory(product=product, sku="RUN-42", size="42")
    hidden = ProductFactory(
        category=child, slug="skrytyj", name_ru="Скрытый", name_en="Hidden", active=False
    )
    VariantFactory(product=hidden)
    return product


def test_home_lists_products_in_russian_by_default(client, catalogue):
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ru">' in body
    assert "Кроссовки беговые" in body and "Обувь" in body
    assert "Скрытый" not in body
    assert "Новинки" in body


def test_home_in_english_from_accept_language(client, catalogue):
    body = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "Running shoes" in body and "New arrivals" in body


def test_language_switch_keeps_the_page_and_is_remembered(client, catalogue):
    response = client.get("/lang/en?next=/catalog/krossovki")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/catalog/krossovki")
    assert "Sneakers" in client.get("/catalog/krossovki").get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["//evil.com", "/\\evil.com", "https://evil.com/x", "javascript:alert(1)"]
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_category_product_and_search_pages(client, catalogue):
    assert "Кроссовки беговые" in client.get("/catalog/obuv").get_data(as_text=True)
    page = client.get("/product/krossovki-begovye").get_data(as_text=True)
    assert "RUN-42" in page and "Обувь" in page
    assert "Кроссовки беговые" in client.get("/search?q=беговые").get_data(as_text=True)
    assert "Кроссовки беговые" in client.get("/search?q=run-42").get_data(as_text=True)


@pytest.mark.parametrize("query", ["%", "_", "'", '" OR 1=1 --', "🙂", "x" * 5000, ""])
def test_odd_search_queries_are_handled(client, catalogue, query):
    assert client.get("/search", query_string={"q": query}).status_code == 200


@pytest.mark.parametrize("path", ["/catalog/nope", "/product/nope", "/product/skrytyj", "/lang/de"])
def test_unknown_pages_get_a_translated_404(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


def test_bad_page_numbers_are_ignored(client, catalogue):
    for page in ("abc", "-1", "0", "99999999999"):
        assert client.get(f"/catalog/obuv?page={page}").status_code == 200


def test_static_assets_are_served_locally(client):
    body = client.get("/").get_data(as_text=True)
    import re

    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js)(?:\?[^"]*)?)"', body)
    assert len(assets) >= 4
    for url in assets:
        assert url.startswith("/"), f"{url} is not served by the shop"
        with client.get(url) as response:
            assert response.status_code == 200, url


def test_server_error_page_is_translated_and_hides_the_traceback(app, db):
    from shop import create_app

    other = create_app("testing")
    other.config["PROPAGATE_EXCEPTIONS"] = False

    @other.route("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    response = other.test_client().get("/_boom")
    body = response.get_data(as_text=True)
    with other.app_context():
        db.engine.dispose()
    assert response.status_code == 500
    assert "Что-то пошло не так" in body and "secret internals" not in body
