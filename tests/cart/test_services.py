"""Cart services: quantities are whole numbers within stock, carts merge on login."""

from decimal import Decimal

import pytest

from shop.cart import services
from shop.cart.models import Cart, CartLine
from shop.core.errors import NotFound
from tests.checkout.helpers import stocked
from tests.factories import UserFactory


@pytest.mark.parametrize(
    "raw", [["0"], ["-1"], ["1.5"], ["1e9"], ["abc"], ["100"], [""], ["1", "2"], [], [" "], ["٣"]]
)
def test_parse_quantity_refuses_bad_input(raw):
    with pytest.raises(services.InvalidQuantity):
        services.parse_quantity(raw)


def test_parse_quantity_accepts_whole_numbers():
    assert services.parse_quantity(["1"]) == 1
    assert services.parse_quantity([" 99 "]) == 99


def test_add_creates_guest_cart_and_sums(db):
    variant = stocked(stock=5)
    cart = services.add_item(None, variant.id, 2)
    assert cart.token and cart.user_id is None
    services.add_item(cart, variant.id, 3)
    assert [line.quantity for line in cart.lines] == [5]


def test_add_beyond_stock_changes_nothing(db):
    variant = stocked(stock=3)
    cart = services.add_item(None, variant.id, 2)
    with pytest.raises(services.NotEnoughStock):
        services.add_item(cart, variant.id, 2)
    db.session.expire_all()
    assert [line.quantity for line in cart.lines] == [2]


def test_add_unknown_or_inactive_variant(db):
    variant = stocked(active=False)
    with pytest.raises(NotFound):
        services.add_item(None, variant.id, 1)
    with pytest.raises(NotFound):
        services.add_item(None, 999999, 1)
    assert db.session.query(Cart).count() == 0


def test_set_quantity_and_remove_only_own_lines(db):
    variant = stocked(stock=10)
    mine = services.add_item(None, variant.id, 1)
    other = services.add_item(None, stocked().id, 1)
    with pytest.raises(NotFound):
        services.set_quantity(mine, other.lines[0].id, 2)
    with pytest.raises(NotFound):
        services.remove_line(mine, other.lines[0].id)
    with pytest.raises(services.NotEnoughStock):
        services.set_quantity(mine, mine.lines[0].id, 11)
    services.set_quantity(mine, mine.lines[0].id, 4)
    assert mine.lines[0].quantity == 4
    services.remove_line(mine, mine.lines[0].id)
    assert db.session.query(CartLine).filter_by(cart_id=mine.id).count() == 0


def test_load_prices_from_database_and_flags_stock_problems(db):
    a = stocked(stock=5, price="100.50")
    b = stocked(stock=5, price="20.00")
    cart = services.add_item(None, a.id, 2)
    services.add_item(cart, b.id, 3)
    a.price = Decimal("200.00")
    b.stock = 1
    db.session.commit()
    view = services.load(cart)
    assert view.subtotal == Decimal("460.00")
    assert view.count == 5
    assert [row.problem for row in view.rows] == [None, "short"]


def test_merge_sums_quantities_capped_by_stock(db):
    user = UserFactory()
    a = stocked(stock=4)
    b = stocked(stock=10)
    user_cart = services.add_item(None, a.id, 3, user_id=user.id)
    guest = services.add_item(None, a.id, 3)
    services.add_item(guest, b.id, 2)
    merged = services.merge_guest_cart(user.id, guest.token)
    assert merged.id == user_cart.id
    assert {line.variant_id: line.quantity for line in merged.lines} == {a.id: 4, b.id: 2}
    assert db.session.query(Cart).count() == 1


def test_merge_adopts_guest_cart_when_user_has_none(db):
    user = UserFactory()
    guest = services.add_item(None, stocked().id, 2)
    merged = services.merge_guest_cart(user.id, guest.token)
    assert merged.id == guest.id and merged.user_id == user.id and merged.token is None


def test_header_summary(db):
    assert services.header_summary() == (0, Decimal("0.00"))
    cart = services.add_item(None, stocked(price="10.00").id, 3)
    assert services.header_summary(token=cart.token) == (3, Decimal("30.00"))


def test_users_first_add_from_two_tabs_lands_in_one_cart(db):
    user = UserFactory()
    a = stocked(stock=5)
    b = stocked(stock=5)
    services.add_item(None, a.id, 1, user_id=user.id)  # the other tab won
    cart = services.add_item(None, b.id, 2, user_id=user.id)  # this tab still saw no cart
    assert db.session.query(Cart).count() == 1
    assert {line.variant_id: line.quantity for line in cart.lines} == {a.id: 1, b.id: 2}


def test_header_summary_is_one_query_however_big_the_cart(db):
    from sqlalchemy import event

    cart = services.add_item(None, stocked().id, 1)
    for _ in range(4):
        services.add_item(cart, stocked().id, 2)
    token = cart.token
    statements = []

    def count(*args, **kwargs):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert services.header_summary(token=token) == (9, Decimal("9000.00"))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
