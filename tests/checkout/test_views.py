"""The buying flow over HTTP: cart forms, checkout steps, tampering, ownership, the header."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from shop.cart.models import Cart, CartLine
from shop.extensions import db as _db
from shop.orders.models import Order
from tests.accounts.helpers import csrf as csrf_of_page
from tests.accounts.helpers import login as log_in
from tests.checkout.helpers import ADDRESS_PARTS, NO_ADDRESS, stocked
from tests.factories import DeliveryMethodFactory, UserFactory

PASSWORD = "correct horse 1"


def token_of(body):
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', body)
    assert match, "no CSRF token on the page"
    return match.group(1)


def page(response):
    """Body text with Babel's (narrow) no-break spaces removed, so "2 700,00" reads "2700,00"."""
    return response.get_data(as_text=True).replace("\xa0", "").replace("\u202f", "")


def fresh_token(client, path="/account/login"):
    """A CSRF token for this client. The test's app context (and so `g`, where Flask-WTF keeps
    the token it issued) is shared by every client of the test, so forget the last one first."""
    return csrf_of_page(client, path)


def add(client, csrf, variant_id, quantity="1", **extra):
    data = {"csrf_token": csrf, "variant_id": str(variant_id), "quantity": quantity, **extra}
    return client.post("/cart/add", data=data)


def lines():
    return {line.variant_id: line.quantity for line in _db.session.scalars(select(CartLine))}


def details_form(csrf, method, **extra):
    data = {
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
    data.update(extra)
    return data


def review_form(client):
    body = client.get("/checkout/review").get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|token|fingerprint)" value="([^"]*)"', body))
    assert set(fields) == {"csrf_token", "token", "fingerprint"}, body[:500]
    return fields


def checkout(client, csrf, method, **extra):
    response = client.post("/checkout", data=details_form(csrf, method, **extra))
    assert response.status_code == 302 and response.location.endswith("/checkout/review")
    return review_form(client)


def login(client, user):
    response = log_in(client, user)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


@pytest.fixture()
def csrf(csrf_token):
    return csrf_token()


def test_add_sets_signed_cookie_and_header(client, csrf):
    variant = stocked(stock=5, price="250.00")
    response = add(client, csrf, variant.id, "2", next="/product/x")
    assert response.status_code == 302 and response.location.endswith("/product/x")
    assert "cart=" in response.headers["Set-Cookie"]
    assert lines() == {variant.id: 2}
    body = page(client.get("/cart"))
    assert 'data-testid="header-cart"' in body
    assert "500,00" in body


@pytest.mark.parametrize(
    "quantity", ["0", "-1", "1.5", "1e9", "abc", "", "100", ["1", "2"], "6"]
)
def test_bad_quantity_changes_nothing(client, csrf, quantity):
    variant = stocked(stock=5)
    add(client, csrf, variant.id, "1")
    response = add(client, csrf, variant.id, quantity)
    assert response.status_code == 302
    assert lines() == {variant.id: 1}
    assert "alert-danger" in page(client.get("/cart"))


@pytest.mark.parametrize("variant_id", ["abc", "", "999999", ["1", "2"], "-1"])
def test_bad_variant_id(client, csrf, variant_id):
    stocked()
    response = client.post(
        "/cart/add", data={"csrf_token": csrf, "variant_id": variant_id, "quantity": "1"}
    )
    assert response.status_code == 302
    assert lines() == {}


def test_add_without_csrf_is_refused(client):
    variant = stocked()
    response = client.post("/cart/add", data={"variant_id": variant.id, "quantity": "1"})
    assert response.status_code == 400
    assert lines() == {}


def test_price_in_form_is_ignored(client, csrf):
    variant = stocked(price="999.00")
    add(client, csrf, variant.id, "1", price="1.00", total="1.00")
    assert "999,00" in page(client.get("/cart"))


def test_update_and_remove_lines_of_another_cart_are_refused(app, client, csrf):
    variant = stocked(stock=9)
    other = app.test_client()
    other_csrf = fresh_token(other)
    add(other, other_csrf, variant.id, "1")
    theirs = _db.session.scalars(select(CartLine)).one()
    add(client, csrf, variant.id, "1")
    client.post("/cart/update", data={"csrf_token": csrf, "line_id": theirs.id, "quantity": "5"})
    client.post("/cart/remove", data={"csrf_token": csrf, "line_id": theirs.id})
    _db.session.expire_all()
    assert _db.session.get(CartLine, theirs.id).quantity == 1


def test_update_quantity(client, csrf):
    variant = stocked(stock=9)
    add(client, csrf, variant.id, "1")
    line = _db.session.scalars(select(CartLine)).one()
    client.post("/cart/update", data={"csrf_token": csrf, "line_id": line.id, "quantity": "3"})
    for bad in ("0", "10", "2.5"):
        client.post("/cart/update", data={"csrf_token": csrf, "line_id": line.id, "quantity": bad})
    _db.session.expire_all()
    assert lines() == {variant.id: 3}
    client.post("/cart/remove", data={"csrf_token": csrf, "line_id": line.id})
    assert lines() == {}


def test_tampered_cart_cookie_is_ignored(client, csrf):
    variant = stocked()
    add(client, csrf, variant.id, "1")
    cart = _db.session.scalars(select(Cart)).one()
    client.set_cookie("cart", cart.token)  # unsigned raw token
    assert "cart-line" not in client.get("/cart").get_data(as_text=True)


def test_header_costs_no_query_and_no_session_for_new_visitors(app, db):
    client = app.test_client()
    stocked()
    statements = []

    def count(*args, **kwargs):
        statements.append(args[2])

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get("/cart")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    assert not [s for s in statements if "cart" in s.lower()]
    assert "Set-Cookie" not in response.headers


def test_guest_checkout_with_cash(client, csrf, outbox):
    variant = stocked(stock=3, price="1200.00")
    method = DeliveryMethodFactory(price=Decimal("300.00"), free_from=None)
    add(client, csrf, variant.id, "2")
    form = checkout(client, csrf, method)
    review = page(client.get("/checkout/review"))
    assert "2700,00" in review  # 2400 + 300, computed on the server
    response = client.post("/checkout/place", data={**form, "total": "1.00", "price": "1"})
    assert response.status_code == 302
    order = _db.session.scalars(select(Order)).one()
    assert response.location.endswith(f"/orders/{order.number}/thanks")
    assert order.total == Decimal("2700.00") and order.user_id is None
    body = page(client.get(response.location))
    assert order.number in body and 'data-testid="guest-link"' in body
    # resubmitting the same form (back button, double click) gives the same order
    again = client.post("/checkout/place", data=form)
    assert again.status_code == 302 and again.location.endswith(f"/orders/{order.number}/thanks")
    assert _db.session.scalar(select(func.count(Order.id))) == 1
    _db.session.expire_all()
    assert variant.stock == 1


def test_skipping_steps_is_refused(client, csrf):
    variant = stocked()
    add(client, csrf, variant.id, "1")
    response = client.post("/checkout/place", data={"csrf_token": csrf, "token": "x"})
    assert response.status_code == 302 and response.location.endswith("/checkout")
    assert client.get("/checkout/review").status_code == 302
    method = DeliveryMethodFactory()
    checkout(client, csrf, method)
    forged = client.post(
        "/checkout/place", data={"csrf_token": csrf, "token": "forged", "fingerprint": ""}
    )
    assert forged.status_code == 302 and forged.location.endswith("/checkout/review")
    assert _db.session.scalar(select(func.count(Order.id))) == 0


def test_checkout_details_refuse_bad_input(client, csrf):
    variant = stocked()
    method = DeliveryMethodFactory()
    pickup = DeliveryMethodFactory(needs_address=False, price=Decimal("0"))
    inactive = DeliveryMethodFactory(active=False)
    add(client, csrf, variant.id, "1")
    for extra in (
        {"email": "not-an-email"},
        {"phone": "call me"},
        {"delivery_method": str(inactive.id)},
        {"delivery_method": "abc"},
        {"payment_method": "bitcoin"},
        {"house": ""},
        {"postcode": "12345"},
        {"name": ""},
    ):
        response = client.post("/checkout", data=details_form(csrf, method, **extra))
        assert response.status_code == 200, extra
        assert "invalid-feedback" in response.get_data(as_text=True), extra
    # pickup needs no address
    response = client.post("/checkout", data=details_form(csrf, pickup, **NO_ADDRESS))
    assert response.status_code == 302


def test_price_change_after_review_is_shown_before_placing(client, csrf):
    variant = stocked(price="100.00")
    method = DeliveryMethodFactory(price=Decimal("0"))
    add(client, csrf, variant.id, "1")
    form = checkout(client, csrf, method)
    variant.price = Decimal("150.00")
    _db.session.commit()
    response = client.post("/checkout/place", data=form)
    assert response.location.endswith("/checkout/review")
    assert _db.session.scalar(select(func.count(Order.id))) == 0
    assert "150,00" in page(client.get("/checkout/review"))


def test_out_of_stock_at_placing_tells_which_line(client, csrf):
    variant = stocked(stock=2)
    method = DeliveryMethodFactory()
    add(client, csrf, variant.id, "2")
    form = checkout(client, csrf, method)
    variant.stock = 1
    _db.session.commit()
    response = client.post("/checkout/place", data=form)
    assert response.location.endswith("/cart")
    assert variant.product.name_ru in page(client.get("/cart"))
    assert _db.session.scalar(select(func.count(Order.id))) == 0


def test_foreign_saved_address_is_refused(client, csrf):
    from shop.accounts.models import Address

    owner = UserFactory()
    other = UserFactory()
    theirs = Address(user_id=other.id, recipient="X", city="Тула", street="Ленина, 1")
    _db.session.add(theirs)
    _db.session.commit()
    login(client, owner)
    csrf = fresh_token(client, "/cart")
    add(client, csrf, stocked().id, "1")
    response = client.post(
        "/checkout",
        data=details_form(csrf, DeliveryMethodFactory(), saved_address=str(theirs.id),
                          **NO_ADDRESS),
    )
    assert response.status_code == 200
    assert "Тула" not in response.get_data(as_text=True)


def test_users_orders_are_private(app, client, csrf):
    owner = UserFactory()
    login(client, owner)
    csrf = fresh_token(client, "/cart")
    add(client, csrf, stocked().id, "1")
    form = checkout(client, csrf, DeliveryMethodFactory())
    client.post("/checkout/place", data=form)
    order = _db.session.scalars(select(Order)).one()
    assert order.user_id == owner.id
    assert client.get("/account/orders").get_data(as_text=True).count(order.number) >= 1
    assert client.get(f"/account/orders/{order.number}").status_code == 200

    stranger = app.test_client()
    login(stranger, UserFactory())
    assert stranger.get(f"/account/orders/{order.number}").status_code == 404
    assert stranger.get(f"/orders/{order.number}/thanks").status_code == 404
    assert order.number not in stranger.get("/account/orders").get_data(as_text=True)
    token = fresh_token(stranger, "/account/orders")
    assert stranger.post(
        f"/account/orders/{order.number}/cancel", data={"csrf_token": token}
    ).status_code == 404
    from shop.orders.services import guest_token

    with app.test_request_context():
        link = guest_token(order)
    assert stranger.get(f"/orders/view/{link}").status_code == 404
    _db.session.expire_all()
    assert order.status == "new"


def test_guest_link_and_cancel(app, client, csrf):
    add(client, csrf, stocked(stock=4).id, "2")
    form = checkout(client, csrf, DeliveryMethodFactory())
    client.post("/checkout/place", data=form)
    order = _db.session.scalars(select(Order)).one()
    body = page(client.get(f"/orders/{order.number}/thanks"))
    link = re.search(r'href="(/orders/view/[^"]+)" data-testid="guest-link"', body).group(1)

    other = app.test_client()
    assert other.get(f"/orders/{order.number}/thanks").status_code == 404
    assert other.get(link[:-3] + "abc").status_code == 404
    view = other.get(link)
    assert view.status_code == 200 and order.number in view.get_data(as_text=True)
    other_csrf = fresh_token(other, link)
    response = other.post(link + "/cancel", data={"csrf_token": other_csrf})
    assert response.status_code == 302
    _db.session.expire_all()
    assert order.status == "cancelled"
    assert order.lines[0].variant.stock == 4


def test_login_merges_guest_cart(client, csrf):
    user = UserFactory()
    a = stocked(stock=3)
    b = stocked(stock=5)
    from shop.cart.services import add_item

    add_item(None, a.id, 2, user_id=user.id)
    add(client, csrf, a.id, "2")
    add(client, csrf, b.id, "1")
    login(client, user)
    assert _db.session.scalar(select(func.count(Cart.id))) == 1
    assert lines() == {a.id: 3, b.id: 1}
    assert "cart-line" in client.get("/cart").get_data(as_text=True)


def test_cart_page_warns_about_stock_and_blocks_checkout(client, csrf):
    variant = stocked(stock=5)
    add(client, csrf, variant.id, "4")
    variant.stock = 2
    _db.session.commit()
    body = page(client.get("/cart"))
    assert "text-danger" in body and 'href="/checkout"' not in body
    response = client.get("/checkout")
    assert response.status_code == 200  # the details form may be filled in...
    client.post("/checkout", data=details_form(csrf, DeliveryMethodFactory()))
    review = client.get("/checkout/review")  # ...but the review sends the shopper back
    assert review.status_code == 302 and review.location.endswith("/cart")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_add_never_redirects_off_site(client, csrf, target):
    response = add(client, csrf, stocked().id, "1", next=target)
    assert response.location.endswith("/cart")


def signed_in_with_saved_address(client):
    """A signed-in shopper with a saved (default) address in Kazan and one item in the cart;
    returns (user, address, csrf token)."""
    from shop.accounts.models import Address

    user = UserFactory()
    address = Address(user_id=user.id, recipient="Я", city="Казань", street="Баумана, 5",
                      postcode="420111", is_default=True)
    _db.session.add(address)
    _db.session.commit()
    login(client, user)
    csrf = fresh_token(client, "/cart")
    add(client, csrf, stocked().id, "1")
    return user, address, csrf


def test_user_checks_out_with_saved_address(client):
    user, address, csrf = signed_in_with_saved_address(client)
    details_page = page(client.get("/checkout"))
    assert "Казань" in details_page and user.email in details_page  # prefilled for the user
    client.post(
        "/checkout",
        data=details_form(csrf, DeliveryMethodFactory(), saved_address=str(address.id),
                          **NO_ADDRESS),
    )
    client.post("/checkout/place", data=review_form(client))
    order = _db.session.scalars(select(Order)).one()
    assert order.user_id == user.id and "Казань, Баумана, 5" in order.shipping_address
