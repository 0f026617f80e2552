"""Two orders sharing a product's variants, placed at the same moment, never deadlock (PostgreSQL).

One shopper buys sizes S and M of a T-shirt while another buys only M: both must lock the rows
in the same order (variants by id, then products), or PostgreSQL kills one with a deadlock.
"""

import secrets

import pytest

from shop.cart import services as cart_services
from shop.checkout import services as checkout
from shop.extensions import db as _db
from tests.checkout.helpers import details, run_together
from tests.factories import DeliveryMethodFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.postgres
ROUNDS = 8


def test_orders_sharing_a_product_do_not_deadlock(app, db):
    product = ProductFactory()
    small = VariantFactory(product=product, size="S", stock=ROUNDS * 2)
    medium = VariantFactory(product=product, size="M", stock=ROUNDS * 2)
    method = DeliveryMethodFactory()
    carts = []
    for _ in range(ROUNDS):
        both = cart_services.add_item(None, small.id, 1)
        cart_services.add_item(both, medium.id, 1)
        only_m = cart_services.add_item(None, medium.id, 1)
        carts.append((both.id, only_m.id))
    method_id, errors = method.id, []

    def buyer(cart_id):
        def buy():
            cart = _db.session.get(cart_services.Cart, cart_id)
            checkout.place_order(
                cart, details(method_from(method_id)), idempotency_key=secrets.token_urlsafe(12)
            )

        return buy

    for pair in carts:
        errors += run_together(app, [buyer(cart_id) for cart_id in pair])[1]
    assert errors == []
    _db.session.expire_all()
    assert (small.stock, medium.stock) == (ROUNDS, 0)


def method_from(method_id):
    from shop.shipping.models import DeliveryMethod

    return _db.session.get(DeliveryMethod, method_id)
