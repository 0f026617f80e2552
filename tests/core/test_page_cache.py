"""Whole storefront pages kept a few seconds for readers without cookies (shop.core.cache).

A kept page is dropped by any committed catalogue change (back office or ORM), keeps languages
apart, and gives every reader their own header (cart, account menu) and CSRF token; messages
waiting for one reader are never kept for another.
"""

import re
import time

import pytest
from sqlalchemy import event

from tests.accounts.helpers import login
from tests.db_helpers import autocommit_of_statements
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VariantFactory


@pytest.fixture()
def page_cache(app, tmp_path):
    # Its own version stamp: other test runs on this machine bump the instance folder's one.
    app.config["CATALOGUE_VERSION_FILE"] = str(tmp_path / "catalogue.version")
    app.config["PAGE_CACHE_SECONDS"] = 60
    app.extensions.pop("shop_pages", None)
    yield
    app.config["PAGE_CACHE_SECONDS"] = 0
    app.config.pop("CATALOGUE_VERSION_FILE", None)
    app.extensions.pop("shop_pages", None)


@pytest.fixture()
def shelf(db, page_cache):
    category = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    product = ProductFactory(
        category=category, slug="kedy", name_ru="Кеды белые", name_en="White trainers"
    )
    variant = VariantFactory(product=product)
    return category, product, variant


def get(app, db, path, client=None, **kwargs):
    """(response, SQL statements it ran)."""
    client = client or app.test_client(use_cookies=False)
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "after_cursor_execute", count)
    try:
        response = client.get(path, **kwargs)
    finally:
        event.remove(db.engine, "after_cursor_execute", count)
    assert response.status_code == 200
    return response, len(seen)


@pytest.mark.parametrize(
    "path", ["/", "/catalog/obuv", "/catalog/obuv?in_stock=1", "/search?q=кеды"]
)
def test_an_anonymous_page_is_served_again_without_sql(app, db, shelf, path):
    first, _ = get(app, db, path)
    again, statements = get(app, db, path)
    assert statements == 0
    assert again.get_data() == first.get_data()
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers.getlist("Set-Cookie") == []


def test_a_committed_catalogue_change_shows_on_the_next_request(app, db, shelf):
    _, product, variant = shelf
    assert "Кеды белые" in get(app, db, "/catalog/obuv")[0].get_data(as_text=True)
    product.name_ru = "Кеды чёрные"
    db.session.commit()
    body = get(app, db, "/catalog/obuv")[0].get_data(as_text=True)
    assert "Кеды чёрные" in body and "Кеды белые" not in body
    page = get(app, db, "/product/kedy")[0].get_data(as_text=True)
    variant.price = 1234
    db.session.commit()
    assert get(app, db, "/product/kedy")[0].get_data(as_text=True) != page


def test_languages_are_kept_apart(app, db, shelf):
    ru = get(app, db, "/catalog/obuv", headers={"Accept-Language": "ru"})[0].get_data(as_text=True)
    en = get(app, db, "/catalog/obuv", headers={"Accept-Language": "en"})[0].get_data(as_text=True)
    assert "Кеды белые" in ru and "White trainers" not in ru
    assert "White trainers" in en and "Кеды белые" not in en
    by_cookie = get(app, db, "/catalog/obuv", headers={"Cookie": "lang=en"})[0]
    assert "White trainers" in by_cookie.get_data(as_text=True)


def header_of(response):
    """The reader's own part of the header (mini-cart, account menu or log-in links)."""
    body = response.get_data(as_text=True)
    return body[body.index('data-testid="header-cart"') : body.index("lang-switch")]


def test_a_signed_in_reader_gets_the_kept_page_with_their_own_header(app, db, shelf):
    user = UserFactory(email="olga@example.com", full_name="Ольга Петрова")
    reader = app.test_client()
    login(reader, user)
    for first, second in ((None, reader), (reader, None)):  # kept by either, read by the other
        app.extensions.pop("shop_pages", None)
        get(app, db, "/catalog/obuv", client=first)
        response, statements = get(app, db, "/catalog/obuv", client=second)
        # Served from the cache: the reader's header costs their user and cart, nothing else.
        assert statements == 0 if second is None else 0 < statements <= 3
        anonymous = response if second is None else get(app, db, "/catalog/obuv")[0]
        mine = response if second is reader else get(app, db, "/catalog/obuv", client=reader)[0]
        assert "Ольга Петрова" in header_of(mine) and "/account/logout" in header_of(mine)
        assert "Ольга Петрова" not in anonymous.get_data(as_text=True)
        assert "/account/logout" not in anonymous.get_data(as_text=True)
        assert "/account/login" in header_of(anonymous)
        for page in (mine, anonymous):
            assert "Кеды белые" in page.get_data(as_text=True)
            assert "\x00" not in page.get_data(as_text=True)


def test_a_reader_signed_in_by_the_remember_cookie_alone_gets_their_own_header(app, db, shelf):
    user = UserFactory(full_name="Вера Иванова")
    reader = app.test_client()
    login(reader, user, remember=True)
    assert reader.get_cookie("remember_token") is not None
    reader.delete_cookie("session")  # the browser was closed: only the remember cookie is left
    get(app, db, "/catalog/obuv")  # kept, with the stranger's header kept beside it
    mine, _ = get(app, db, "/catalog/obuv", client=reader)
    assert "Вера Иванова" in header_of(mine)
    assert "Вера Иванова" not in get(app, db, "/catalog/obuv")[0].get_data(as_text=True)


def guest_with_a_cart(app, db, variant, quantity):
    """A guest's client that added `quantity` of `variant` and read the "added" message."""
    shopper = app.test_client()
    page, _ = get(app, db, "/product/kedy", client=shopper)
    shopper.post(
        "/cart/add",
        data={"csrf_token": token_of(page), "variant_id": variant.id, "quantity": quantity},
    )
    shopper.get("/cart")  # reads the "added" message
    return shopper


def test_a_guest_with_a_cart_sees_their_own_cart_on_a_kept_page(app, db, shelf):
    _, _, variant = shelf
    get(app, db, "/catalog/obuv")
    shopper = guest_with_a_cart(app, db, variant, 2)
    mine, statements = get(app, db, "/catalog/obuv", client=shopper)
    assert statements <= 2  # the header's cart only: the page itself is the kept one
    assert re.search(r'text-bg-dark"[^>]*>2</span>', header_of(mine))
    theirs, _ = get(app, db, "/catalog/obuv")
    assert re.search(r'text-bg-dark"[^>]*>0</span>', header_of(theirs))


@pytest.mark.postgres
def test_a_guests_header_on_a_kept_page_is_read_outside_a_transaction(app, db, shelf):
    """A kept page is served without writing anything: the header's one statement runs in
    autocommit (one round trip instead of BEGIN, SELECT, ROLLBACK)."""
    _, _, variant = shelf
    get(app, db, "/catalog/obuv")
    shopper = guest_with_a_cart(app, db, variant, 1)
    db.session.close()  # the test's own reads share the request's session: end them first
    with autocommit_of_statements(db.engine) as modes:
        mine, _ = get(app, db, "/catalog/obuv", client=shopper)
    assert re.search(r'text-bg-dark"[^>]*>1</span>', header_of(mine))
    assert modes == [True]


def test_a_reader_with_messages_waiting_gets_them_and_they_are_never_kept(app, db, shelf):
    _, _, variant = shelf
    shopper = app.test_client()
    page, _ = get(app, db, "/product/kedy", client=shopper)
    shopper.post(
        "/cart/add",
        data={"csrf_token": token_of(page), "variant_id": variant.id, "quantity": 1,
              "next": "/catalog/obuv"},
    )
    mine, _ = get(app, db, "/catalog/obuv", client=shopper)
    assert "data-testid=\"go-to-cart\"" in mine.get_data(as_text=True)
    theirs, _ = get(app, db, "/catalog/obuv")
    assert "go-to-cart" not in theirs.get_data(as_text=True)
    again, _ = get(app, db, "/catalog/obuv", client=shopper)
    assert "go-to-cart" not in again.get_data(as_text=True)


def token_of(response):
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))[1]


def test_each_reader_of_a_kept_product_page_gets_a_working_csrf_token(app, db, shelf):
    _, _, variant = shelf
    first, _ = get(app, db, "/product/kedy")
    second, statements = get(app, db, "/product/kedy")
    assert statements == 0
    assert first.headers.getlist("Set-Cookie") and second.headers.getlist("Set-Cookie")
    assert token_of(first) != token_of(second)
    assert "\x00" not in second.get_data(as_text=True)
    # A shopper whose first page came from the cache can add to the cart with its token.
    shopper = app.test_client()
    page, statements = get(app, db, "/product/kedy", client=shopper)
    assert statements == 0
    added = shopper.post(
        "/cart/add", data={"csrf_token": token_of(page), "variant_id": variant.id, "quantity": 1}
    )
    assert added.status_code in (200, 302, 303)
    assert get(app, db, "/cart", client=shopper)[0].get_data(as_text=True).count("Кеды белые") >= 1


def age_kept_pages(app, seconds):
    pages = app.extensions["shop_pages"]
    for key, (stored, body, headers) in list(pages.items()):
        pages[key] = (stored - seconds, body, headers)


def test_an_expired_page_is_rendered_again_by_one_request_at_a_time(app, db, shelf):
    from shop.core import cache

    get(app, db, "/catalog/obuv")
    with db.engine.begin() as conn:  # behind the ORM: only the time limit catches it
        conn.exec_driver_sql("UPDATE product SET in_stock = false")  # as checkout does
    db.session.expire_all()  # the test shares the requests' session; each request has its own
    age_kept_pages(app, 61)
    key = next(iter(app.extensions["shop_pages"]))
    cache._refreshing[key] = time.monotonic()  # another request is rendering it
    try:
        stale, statements = get(app, db, "/catalog/obuv")
    finally:
        cache._refreshing.pop(key, None)
    assert statements == 0 and "text-success" in stale.get_data(as_text=True)
    fresh, statements = get(app, db, "/catalog/obuv")
    assert statements > 0 and "text-success" not in fresh.get_data(as_text=True)
    # Long past its time (the renderer never came back) a page is not served at all.
    age_kept_pages(app, 61 + cache.REFRESH_GRACE + 1)
    cache._refreshing[key] = time.monotonic()
    try:
        assert get(app, db, "/catalog/obuv")[1] > 0
    finally:
        cache._refreshing.pop(key, None)


def test_a_page_that_is_gone_is_not_kept(app, db, shelf):
    get(app, db, "/product/kedy")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE product SET active = false")
    db.session.expire_all()
    age_kept_pages(app, 61)
    assert app.test_client(use_cookies=False).get("/product/kedy").status_code == 404
    assert app.test_client(use_cookies=False).get("/product/kedy").status_code == 404
