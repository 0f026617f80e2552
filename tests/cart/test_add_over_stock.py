"""QA regression: adding more than can be ordered, when the cart already holds some, says how
many are in the cart (before: "Only 5 can be ordered" after adding 2 of 5, which read as wrong)."""

import pytest
from flask_babel import force_locale

from shop.cart import services
from tests.checkout.helpers import stocked


def test_message_names_what_the_cart_holds(app, db):
    variant = stocked(stock=5)
    cart = services.add_item(None, variant.id, 4)
    with pytest.raises(services.NotEnoughStock) as caught:
        services.add_item(cart, variant.id, 2)
    with force_locale("en"):
        assert str(caught.value.message) == (
            "You already have 4 in your cart; only 5 can be ordered.")
    with force_locale("ru"):
        assert str(caught.value.message) == (
            "В корзине уже 4 шт.; заказать можно не больше 5 шт.")
    assert [line.quantity for line in cart.lines] == [4]


def test_first_add_over_stock_keeps_the_short_message(app, db):
    variant = stocked(stock=3)
    with pytest.raises(services.NotEnoughStock) as caught:
        services.add_item(None, variant.id, 5)
    with force_locale("en"):
        assert str(caught.value.message) == "Only 3 of this item can be ordered."
