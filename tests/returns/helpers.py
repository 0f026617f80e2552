"""Delivered orders to refund and return, built through the shop's own services."""

import secrets
from datetime import timedelta

from sqlalchemy import select

from shop.cart import services as cart_services
from shop.checkout import services as checkout
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.orders import services as orders
from shop.orders.models import Order, OrderEvent
from shop.payments import providers
from shop.payments import services as payments
from tests.checkout.helpers import details, stocked
from tests.factories import DeliveryMethodFactory


def place_two_lines(payment="cash", user_id=None):
    """An order of 2 × A (1000.00) and 3 × B (500.00); stock of each was 10."""
    a, b = stocked(price="1000.00"), stocked(price="500.00")
    cart = cart_services.add_item(None, a.id, 2, user_id=user_id)
    cart = cart_services.add_item(cart, b.id, 3, user_id=user_id)
    return checkout.place_order(
        cart, details(DeliveryMethodFactory(), payment=payment),
        idempotency_key=secrets.token_urlsafe(16), user_id=user_id,
    )


def pay_at_fake(order, fake):
    """Open the order's payment at the fake YooKassa, pay it there and apply the outcome."""
    payment = order.payments[0]
    payments.payment_page(payment)
    payment = db.session.get(type(payment), payment.id)
    fake.succeed(payment.provider_reference)
    provider = providers.get(payment.provider)
    event = provider.payment_event(payment.provider_reference)
    payments.apply_event(provider, payment, event)


def delivered(payment="cash", fake=None, user_id=None, days_ago=0):
    order = place_two_lines(payment, user_id=user_id)
    if fake is not None:
        pay_at_fake(order, fake)
    for step in ("processing", "shipped", "delivered"):
        orders.transition(order.id, step)
    if days_ago:
        deliver_at(order, days_ago)
    return fresh(order)


def deliver_at(order, days_ago, hours=0):
    """Move the moment the order was delivered `days_ago` days (and `hours`) back."""
    event = db.session.scalar(
        select(OrderEvent).where(OrderEvent.order_id == order.id,
                                 OrderEvent.to_status == "delivered")
    )
    event.created_at = event.created_at - timedelta(days=days_ago, hours=hours)
    db.session.commit()


def fresh(order):
    db.session.expire_all()
    return db.session.get(Order, order.id)


def mails(kind):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()
