"""Issue 13 item 7: a prepaid (card) order is prepared and shipped only once it is paid.

Warehouse staff could move an unpaid card order new -> processing -> shipped; paid_at stayed
empty and the expiry job, which only looks at new orders, then let it be. Cash on delivery is
paid at the door and keeps its flow.
"""

import pytest
from flask_babel import LazyString, force_locale
from sqlalchemy import func, select, update

from shop.extensions import db as _db
from shop.orders import services
from shop.orders.models import Order, OrderEvent
from shop.payments import providers
from shop.payments.services import handle_webhook
from tests.checkout.helpers import place


def pay(order):
    gateway = providers.get("card")
    body = gateway.event_body(f"evt_{order.id}", "payment.succeeded", order.payments[0])
    assert handle_webhook("card", body, gateway.sign(body)) == "applied"


def events():
    return _db.session.scalar(select(func.count(OrderEvent.id)))


@pytest.mark.parametrize("target", ["processing", "paid"])
def test_unpaid_card_order_cannot_be_prepared_or_marked_paid_by_hand(app, db, target):
    order = place(payment="card")
    before = events()
    with pytest.raises(services.AwaitingPayment) as refused:
        services.transition(order.id, target)
    assert isinstance(refused.value, services.InvalidTransition)
    _db.session.expire_all()
    assert order.status == "new" and order.paid_at is None and events() == before
    # a translated reason, for the back office to show (lazy: read in the reader's language)
    assert isinstance(refused.value.message, LazyString)
    with app.test_request_context(), force_locale("en"):
        assert "paid" in str(refused.value.message)


def test_unpaid_card_order_left_in_processing_cannot_be_shipped(db):
    """An order already moved by the old code: it cannot go further either."""
    order = place(payment="card")
    _db.session.execute(update(Order).where(Order.id == order.id).values(status="processing"))
    _db.session.commit()
    for target in ("shipped", "delivered"):
        with pytest.raises(services.InvalidTransition):
            services.transition(order.id, target)
    _db.session.expire_all()
    assert order.status == "processing"


def test_paid_card_order_goes_through_fulfilment(db):
    order = place(payment="card")
    pay(order)
    for step in ("processing", "shipped", "delivered"):
        services.transition(order.id, step)
    _db.session.expire_all()
    assert order.status == "delivered" and order.paid_at is not None


def test_cash_on_delivery_keeps_its_flow(db):
    order = place(payment="cash")
    for step in ("processing", "shipped", "delivered"):
        services.transition(order.id, step)
    _db.session.expire_all()
    assert order.status == "delivered"
    assert services.payment_blocks(order, "processing") is None
