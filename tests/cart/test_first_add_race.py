"""A guest's two tabs adding at once (no cart cookie yet in either) end with one cart."""


from sqlalchemy import func, select

from shop.cart import services
from shop.cart.models import Cart, CartLine
from shop.extensions import db as _db
from tests.accounts.helpers import csrf
from tests.checkout.helpers import run_together, stocked
from tests.conftest import ON_POSTGRES


def _csrf(client):
    return csrf(client)


def test_two_first_adds_with_one_token_make_one_cart(db):
    a, b = stocked(), stocked()
    services.add_item(None, a.id, 1, token="tab-token")
    # the second tab did not see the first's cart (both started without a cookie)
    cart = services.add_item(None, b.id, 2, token="tab-token")
    assert _db.session.scalar(select(func.count(Cart.id))) == 1
    assert {line.variant_id: line.quantity for line in cart.lines} == {a.id: 1, b.id: 2}


def test_same_variant_from_two_tabs_is_summed(db):
    a = stocked()
    services.add_item(None, a.id, 1, token="tab-token")
    cart = services.add_item(None, a.id, 1, token="tab-token")
    assert [(line.variant_id, line.quantity) for line in cart.lines] == [(a.id, 2)]


def test_browser_without_cart_cookie_finds_its_cart_again(client, db):
    """The view derives the token from the session: the second tab's add, sent before the
    first's cookie arrived, lands in the same cart and the shopper sees both items."""
    a, b = stocked(), stocked()
    csrf = _csrf(client)
    first = client.post("/cart/add", data={"csrf_token": csrf, "variant_id": a.id, "quantity": 1})
    cookie = client.get_cookie("cart")
    assert first.status_code == 302 and cookie is not None
    client.delete_cookie("cart")  # the second tab's request left before the cookie came back
    second = client.post("/cart/add", data={"csrf_token": csrf, "variant_id": b.id, "quantity": 1})
    assert second.status_code == 302
    assert _db.session.scalar(select(func.count(Cart.id))) == 1
    assert client.get_cookie("cart").value == cookie.value
    body = client.get("/cart").get_data(as_text=True)
    assert body.count('data-testid="cart-line"') == 2


def test_two_browsers_get_two_carts(app, db):
    a = stocked()
    tokens = []
    for _ in range(2):
        c = app.test_client()
        csrf = _csrf(c)
        c.post("/cart/add", data={"csrf_token": csrf, "variant_id": a.id, "quantity": 1})
        tokens.append(c.get_cookie("cart").value)
    assert tokens[0] != tokens[1]
    assert _db.session.scalar(select(func.count(Cart.id))) == 2


def test_racing_first_adds_make_one_cart(app, db):
    a, b = stocked(), stocked()
    ids = (a.id, b.id)
    jobs = [lambda vid=vid: services.add_item(None, vid, 1, token="race").id for vid in ids]
    results, errors = run_together(app, jobs)
    if not ON_POSTGRES:
        # SQLite serialises writers; a loser may also see "database is locked" and retry
        errors = [e for e in errors if "locked" not in str(e)]
    assert not errors
    _db.session.expire_all()
    assert _db.session.scalar(select(func.count(Cart.id))) == 1
    assert _db.session.scalar(select(func.count(CartLine.id))) == len([r for r in results if r])


def test_two_tabs_adding_the_same_new_item_to_one_cart_sum_it(db, monkeypatch):
    """Both tabs read "no line of this item yet"; the second insert meets the first's line
    (the unique cart+variant key) and adds to it instead of failing."""
    a, b = stocked(), stocked()
    cart = services.add_item(None, a.id, 1, token="tab-token")
    services.add_item(cart, b.id, 1)
    real = services._variant_and_line

    def stale(variant_id, which=None):  # what the second tab read before the first wrote
        monkeypatch.setattr(services, "_variant_and_line", real)  # its retry reads afresh
        found = real(variant_id, which)
        return services._Found(found.variant_id, found.stock, found.cart)

    monkeypatch.setattr(services, "_variant_and_line", stale)
    assert services.add_item(None, b.id, 2, token="tab-token").id == cart.id
    _db.session.expire_all()
    lines = _db.session.scalars(select(CartLine).where(CartLine.cart_id == cart.id)).all()
    assert {line.variant_id: line.quantity for line in lines} == {a.id: 1, b.id: 3}


def test_an_add_to_a_line_another_tab_just_removed_makes_the_line_again(db, monkeypatch):
    a = stocked()
    cart = services.add_item(None, a.id, 2, token="tab-token")
    line_id = cart.lines[0].id
    real = services._variant_and_line

    def stale(variant_id, which=None):  # read before the other tab's removal
        found = real(variant_id, which)
        monkeypatch.setattr(services, "_variant_and_line", real)
        services.remove_line(cart, line_id)
        return found

    monkeypatch.setattr(services, "_variant_and_line", stale)
    services.add_item(None, a.id, 1, token="tab-token")
    _db.session.expire_all()
    lines = _db.session.scalars(select(CartLine).where(CartLine.cart_id == cart.id)).all()
    assert [(line.variant_id, line.quantity) for line in lines] == [(a.id, 1)]
