"""The cart's JSON answers (issue 18.3): add, update and remove answer `Accept: application/json`
with what the product page and the cart page redraw from, refuse with a 4xx and a translated
reason, change nothing without a CSRF token; "Undo" adds a removed line back; the mini-cart
fragment is a person's cart that nothing keeps. Form posts without JSON still redirect."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from shop.cart.models import Cart, CartLine
from shop.extensions import db as _db
from tests.accounts.helpers import csrf, login
from tests.checkout.helpers import stocked
from tests.factories import DeliveryMethodFactory, UserFactory

JSON = {"Accept": "application/json"}


def _token(client, variant):
    return csrf(client, f"/product/{variant.product.slug}")


def _add(client, variant, quantity=1, token=None, **extra):
    data = {"csrf_token": token or _token(client, variant), "variant_id": variant.id,
            "quantity": quantity, **extra}
    return client.post("/cart/add?lang=en", data=data, headers=JSON)


def _lines(client):
    body = client.get("/cart").get_data(as_text=True)
    return re.findall(r'data-line-id="(\d+)" data-variant-id="(\d+)"', body)


def _quantities():
    _db.session.expire_all()
    return {line.variant_id: line.quantity for line in _db.session.scalars(select(CartLine))}


def test_add_answers_json_with_the_count_and_sets_the_guest_cookie(client, db):
    shirt, mug = stocked(), stocked()
    first = _add(client, shirt, 2)
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert first.json == {"ok": True, "count": 2, "message": "Added to your cart.",
                          "header": {"count": 2, "label": "Cart, 2 items", "total": "₽2,000.00"}}
    cookie = client.get_cookie("cart")
    assert cookie is not None  # the guest's cart cookie, on the first add
    second = _add(client, mug, 1)
    assert second.json["count"] == 3
    assert client.get_cookie("cart").value == cookie.value
    assert _quantities() == {shirt.id: 2, mug.id: 1}


@pytest.mark.parametrize("quantity, stock, status, error", [
    (5, 3, 409, "Only 3 of this item can be ordered."),
    (1, 0, 409, "Sorry, this item is out of stock."),
    ("0", 5, 400, "Quantity must be a whole number from 1 to 99."),
    ("two", 5, 400, "Quantity must be a whole number from 1 to 99."),
])
def test_a_refused_add_answers_4xx_json_and_changes_nothing(client, db, quantity, stock, status,
                                                           error):
    variant = stocked(stock=stock)
    response = _add(client, variant, quantity)
    assert response.status_code == status
    assert response.json == {"ok": False, "error": error}
    assert _db.session.scalar(select(func.count(CartLine.id))) == 0


def test_an_unknown_item_is_a_404_in_russian_by_default(client, db):
    variant = stocked()
    response = client.post("/cart/add", headers=JSON, data={
        "csrf_token": _token(client, variant), "variant_id": 999999, "quantity": 1})
    assert response.status_code == 404
    assert response.json == {"ok": False, "error": "Такого товара нет."}


def test_without_a_csrf_token_nothing_changes(client, db):
    variant = stocked()
    _token(client, variant)  # a session, but no token sent
    response = client.post("/cart/add?lang=en", headers=JSON,
                           data={"variant_id": variant.id, "quantity": 1})
    assert response.status_code == 400
    assert response.json["ok"] is False and "reload the page" in response.json["error"]
    assert _db.session.scalar(select(func.count(Cart.id))) == 0
    # A form post without JSON still gets the error page, not JSON.
    page = client.post("/cart/add", data={"variant_id": variant.id, "quantity": 1})
    assert page.status_code == 400 and page.mimetype == "text/html"


def test_update_answers_what_the_cart_page_redraws(client, db):
    DeliveryMethodFactory(name_en="Courier", price=Decimal("390.00"),
                          free_from=Decimal("5000.00"))
    variant = stocked(price="1200.00", stock=5)
    token = _token(client, variant)
    _add(client, variant, 1, token)
    [(line_id, _)] = _lines(client)
    response = client.post("/cart/update?lang=en", headers=JSON,
                           data={"csrf_token": token, "line_id": line_id, "quantity": 3})
    data = response.json
    assert response.status_code == 200 and data["ok"] is True
    assert data["message"] == "Quantity updated. Cart total: ₽3,600.00."
    assert data["count"] == 3 and data["subtotal"] == "₽3,600.00" and data["empty"] is False
    assert data["line"] == {"id": int(line_id), "quantity": 3, "max": 5,
                            "line_total": "₽3,600.00", "problem": None,
                            "note_html": data["line"]["note_html"]}
    assert data["header"] == {"count": 3, "label": "Cart, 3 items", "total": "₽3,600.00"}
    summary = data["summary_html"]
    assert 'data-testid="cart-delivery">from ₽390.00<' in summary
    assert "₽1,400.00 more for free delivery (Courier)." in summary
    # Beyond the stock: 409, the line as it is, so the page can put its number back.
    refused = client.post("/cart/update?lang=en", headers=JSON,
                          data={"csrf_token": token, "line_id": line_id, "quantity": 6})
    assert refused.status_code == 409
    assert refused.json["ok"] is False
    assert refused.json["error"] == "Only 5 of this item can be ordered."
    assert refused.json["line"]["quantity"] == 3
    # Free delivery reached: "free", no hint.
    free = client.post("/cart/update?lang=en", headers=JSON,
                       data={"csrf_token": token, "line_id": line_id, "quantity": 5})
    assert 'data-testid="cart-delivery">free<' in free.json["summary_html"]
    assert "more for free delivery" not in free.json["summary_html"]
    assert _quantities() == {variant.id: 5}


def test_update_and_remove_refuse_bad_input_and_other_carts_lines(client, db, app):
    variant = stocked(stock=5)
    token = _token(client, variant)
    _add(client, variant, 2, token)
    other = app.test_client()
    other_variant = stocked()
    _add(other, other_variant, 1)
    other_line = _db.session.scalar(
        select(CartLine.id).where(CartLine.variant_id == other_variant.id))
    [(line_id, _)] = _lines(client)
    for path, data, status in (
        ("/cart/update", {"line_id": line_id, "quantity": "1.5"}, 400),
        ("/cart/update", {"line_id": line_id, "quantity": ["1", "2"]}, 400),
        ("/cart/update", {"line_id": other_line, "quantity": 1}, 404),
        ("/cart/update", {"line_id": "x", "quantity": 1}, 404),
        ("/cart/remove", {"line_id": other_line}, 404),
    ):
        response = client.post(path, headers=JSON, data={"csrf_token": token, **data})
        assert response.status_code == status, (path, data)
        assert response.json["ok"] is False and response.json["error"]
    assert client.post("/cart/remove", headers=JSON, data={"line_id": line_id}).status_code == 400
    assert _quantities() == {variant.id: 2, other_variant.id: 1}


def test_remove_then_undo_puts_the_same_quantity_back(client, db):
    DeliveryMethodFactory()
    shirt, mug = stocked(), stocked()
    token = _token(client, shirt)
    _add(client, shirt, 3, token)
    _add(client, mug, 1, token)
    shirt_line = dict((v, line) for line, v in _lines(client))[str(shirt.id)]
    removed = client.post("/cart/remove?lang=en", headers=JSON,
                          data={"csrf_token": token, "line_id": shirt_line})
    data = removed.json
    assert removed.status_code == 200 and data["ok"] is True
    assert data["message"] == f"Removed from your cart: {shirt.product.name_en}."
    assert data["count"] == 1 and data["empty"] is False
    undo = data["undo_html"]
    assert 'action="/cart/add"' in undo and 'name="restore" value="1"' in undo
    assert f'name="variant_id" value="{shirt.id}"' in undo and 'name="quantity" value="3"' in undo
    assert _quantities() == {mug.id: 1}
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', undo))
    back = client.post("/cart/add?lang=en", headers=JSON, data=fields)
    assert back.status_code == 200
    assert back.json["message"] == "Returned to your cart." and back.json["count"] == 4
    assert f'data-variant-id="{shirt.id}"' in back.json["lines_html"]
    assert _quantities() == {shirt.id: 3, mug.id: 1}


def test_removing_the_last_line_leaves_the_empty_state(client, db):
    variant = stocked()
    token = _token(client, variant)
    _add(client, variant, 1, token)
    [(line_id, _)] = _lines(client)
    data = client.post("/cart/remove?lang=en", headers=JSON,
                       data={"csrf_token": token, "line_id": line_id}).json
    assert data["empty"] is True and data["count"] == 0
    assert "Your cart is empty." in data["summary_html"]
    assert data["header"]["label"] == "Cart, 0 items"


def test_without_javascript_remove_redirects_with_an_undo_form(client, db):
    variant = stocked()
    token = _token(client, variant)
    client.post("/cart/add", data={"csrf_token": token, "variant_id": variant.id, "quantity": 2})
    [(line_id, _)] = _lines(client)
    response = client.post("/cart/remove", data={"csrf_token": token, "line_id": line_id})
    assert response.status_code == 302 and response.location.endswith("/cart")
    body = client.get("/cart?lang=en").get_data(as_text=True)
    assert "Your cart is empty." in body
    form = re.search(r'<form [^>]*class="d-inline cart-undo-form">(.*?)</form>', body, re.S)
    form = form.group(1)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    assert fields["quantity"] == "2" and fields["restore"] == "1"
    back = client.post("/cart/add", data=fields)
    assert back.status_code == 302 and back.location.endswith("/cart")
    body = client.get("/cart?lang=en").get_data(as_text=True)
    assert "Returned to your cart." in body and body.count('data-testid="cart-line"') == 1
    assert _quantities() == {variant.id: 2}


def test_the_mini_cart_is_a_fragment_nothing_keeps(client, db):
    DeliveryMethodFactory(name_en="Courier", price=Decimal("300.00"), free_from=Decimal("5000.00"))
    empty = client.get("/cart/mini?lang=en")
    assert empty.status_code == 200 and empty.headers["Cache-Control"] == "no-store"
    assert "<html" not in empty.get_data(as_text=True)
    assert 'data-testid="mini-cart-empty"' in empty.get_data(as_text=True)
    variant = stocked(price="1200.00")
    _add(client, variant, 2)
    body = client.get("/cart/mini?lang=en").get_data(as_text=True)
    assert body.count('data-testid="mini-cart-line"') == 1
    assert variant.product.name_en in body and "2 × ₽1,200.00" in body
    assert 'data-testid="mini-cart-subtotal">₽2,400.00<' in body
    assert 'data-testid="mini-cart-delivery">from ₽300.00<' in body
    assert "₽2,600.00 more for free delivery (Courier)." in body
    assert 'data-header-label="Cart, 2 items"' in body
    assert 'href="/cart"' in body and 'href="/checkout' in body


def test_a_signed_in_shoppers_mini_cart_is_theirs(client, db):
    DeliveryMethodFactory()
    user = UserFactory(locale="en")
    login(client, user)
    variant = stocked()
    assert _add(client, variant, 1).json["count"] == 1
    assert client.get_cookie("cart") is None  # a user's cart needs no cookie
    response = client.get("/cart/mini")
    assert response.headers["Cache-Control"] == "no-store"
    assert variant.product.name_en in response.get_data(as_text=True)
    assert _db.session.scalar(select(Cart.user_id)) == user.id


def _statements(app, send):
    seen = []

    def listener(*_args):
        seen.append(_args[2])

    event.listen(_db.engine, "before_cursor_execute", listener)
    try:
        send()
    finally:
        event.remove(_db.engine, "before_cursor_execute", listener)
    return seen


def _work(statements):
    """The statements that read or write data (not BEGIN, COMMIT or a savepoint)."""
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE"))]


def test_the_storefront_add_reads_the_cart_with_the_item(client, db, app):
    """One statement reads the variant, the cart and its line of it; one writes (the form
    post; a JSON answer reads the count besides)."""
    a, b = stocked(), stocked()
    token = _token(client, a)
    _add(client, a, 1, token)
    data = {"csrf_token": token, "variant_id": b.id, "quantity": 1}
    form = _statements(app, lambda: client.post("/cart/add", data=data))
    assert len(_work(form)) == 2
    again = _statements(app, lambda: client.post("/cart/add", data=data, headers=JSON))
    assert len(_work(again)) == 3
