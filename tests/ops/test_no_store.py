"""Pages of one person's order, and every back-office page, are never kept by a cache.

Files (the shop's and Flask-Admin's, the latter under /admin too) and the catalogue pages stay
cacheable; a catalogue page answered to a reader with a cookie, or starting their session, is
`private` (it may show their header), and every page names what it varies by.
"""

import re
from decimal import Decimal

import pytest
from flask import g

from shop.ops.nostore import is_private
from tests.accounts.helpers import login
from tests.checkout.helpers import ADDRESS_PARTS, place, stocked
from tests.factories import (
    CategoryFactory,
    DeliveryMethodFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)


def token_of(client, path):
    g.pop("csrf_token", None)  # the test's app context is shared by the client's requests
    body = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', body).group(1)


def log_in(client, user):
    login(client, user)  # through the forms, staff with their two-factor code


def assert_no_store(response):
    assert response.headers.get("Cache-Control") == "no-store", response.headers
    assert response.headers.get("Pragma") == "no-cache"


def assert_cacheable(response):
    assert "no-store" not in (response.headers.get("Cache-Control") or "")


def test_guest_checkout_review_thanks_and_signed_link(client, db):
    variant = stocked(stock=5, price="500.00")
    method = DeliveryMethodFactory(price=Decimal("0.00"), free_from=None)
    csrf = token_of(client, "/account/login")
    client.post("/cart/add", data={"csrf_token": csrf, "variant_id": variant.id, "quantity": "1"})
    details = {
        "csrf_token": csrf,
        "name": "Анна Смирнова",
        "email": "anna@example.com",
        "phone": "+7 900 000-00-00",
        "delivery_method": str(method.id),
        "payment_method": "cash",
        **ADDRESS_PARTS,
        "accept_offer": "y",
        "accept_privacy": "y",
    }
    assert_no_store(client.get("/checkout"))
    response = client.post("/checkout", data=details)
    assert response.status_code == 302 and response.location.endswith("/checkout/review")

    review = client.get("/checkout/review")
    assert review.status_code == 200
    assert_no_store(review)
    form = dict(
        re.findall(
            r'name="(csrf_token|token|fingerprint)" value="([^"]*)"', review.get_data(as_text=True)
        )
    )
    placed = client.post("/checkout/place", data=form)
    assert placed.status_code == 302
    assert_no_store(placed)

    thanks = client.get(placed.location)
    assert thanks.status_code == 200
    assert_no_store(thanks)
    link = re.search(
        r'href="(/orders/view/[^"]+)" data-testid="guest-link"', thanks.get_data(as_text=True)
    ).group(1)
    guest_page = client.application.test_client().get(link)
    assert guest_page.status_code == 200
    assert_no_store(guest_page)
    # a wrong link is refused the same way (no cache keeps the refusal either)
    assert_no_store(client.get(link[:-3] + "abc"))


def test_test_gateway_page(client, db):
    order = place(payment="card")
    response = client.get(f"/payments/test-gateway/{order.payments[0].provider_reference}")
    assert response.status_code == 200
    assert_no_store(response)


def test_signed_in_shoppers_order_pages(client, db):
    user = UserFactory()
    order = place(user_id=user.id)
    log_in(client, user)
    for path in ("/account/orders", f"/account/orders/{order.number}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response)
    with client.session_transaction() as session:
        session["guest_orders"] = []
    thanks = client.get(f"/orders/{order.number}/thanks")
    assert thanks.status_code == 200
    assert_no_store(thanks)


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/orders/", "/admin/products/", "/admin/customers/", "/admin/csv/"]
)
def test_back_office_pages(app, client, db, monkeypatch, path):
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)
    log_in(client, UserFactory(roles=["admin"]))
    response = client.get(path)
    assert response.status_code == 200
    assert_no_store(response)


def test_back_office_order_page_and_refusals(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)
    order = place()
    # not logged in: the redirect to the login page is not kept either
    assert_no_store(client.get("/admin/orders/"))
    log_in(client, UserFactory(roles=["admin"]))
    response = client.get(f"/admin/orders/details/?id={order.id}")
    assert response.status_code == 200 and order.number in response.get_data(as_text=True)
    assert_no_store(response)
    assert_no_store(client.get("/admin/no-such-page/"))


def test_files_stay_cacheable(client, db):
    for path in (
        "/static/css/shop.css",
        "/admin/static/admin/js/helpers.js",
        "/bootstrap/static/css/bootstrap.min.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_cacheable(response)
        assert "max-age" in (response.headers.get("Cache-Control") or ""), path
        response.close()


def test_catalogue_pages_say_who_may_keep_them(app, db):
    category = CategoryFactory(slug="no-store-test")
    VariantFactory(product=ProductFactory(category=category, slug="no-store-item"))
    stranger = app.test_client(use_cookies=False)
    listing = stranger.get("/catalog/no-store-test")
    assert listing.status_code == 200
    assert not listing.headers.getlist("Set-Cookie")
    assert "Cache-Control" not in listing.headers  # the same page for every cookie-less reader
    assert {"Cookie", "Accept-Language"} <= set(listing.headers["Vary"].replace(" ", "").split(","))
    # The product page's form starts a session (its CSRF token): only this reader's to keep.
    product = stranger.get("/product/no-store-item")
    assert product.headers.getlist("Set-Cookie")
    assert product.headers["Cache-Control"] == "private"
    # Any cookie: the header may be the reader's own (their cart, their name).
    with_cookie = stranger.get("/catalog/no-store-test", headers={"Cookie": "cart=abc"})
    assert with_cookie.headers["Cache-Control"] == "private"
    with_token = stranger.get("/", headers={"Authorization": "Bearer x"})
    assert with_token.headers["Cache-Control"] == "private"


@pytest.mark.parametrize(
    ("endpoint", "path", "private"),
    [
        ("checkout.review", "/checkout/review", True),
        ("orders.confirmation", "/orders/X/thanks", True),
        ("orders.guest_view", "/orders/view/t", True),
        ("orders.my_orders", "/account/orders", True),
        ("payments.gateway_page", "/payments/test-gateway/r", True),
        ("admin_products.index_view", "/admin/products/", True),
        (None, "/admin/missing", True),
        ("admin.static", "/admin/static/admin/js/helpers.js", False),
        ("static", "/static/css/shop.css", False),
        ("catalog.product", "/product/x", False),
        ("catalog.home", "/", False),
        ("cart.view", "/cart", False),
        (None, "/administrator", False),
    ],
)
def test_which_pages_are_private(endpoint, path, private):
    assert is_private(endpoint, path) is private
