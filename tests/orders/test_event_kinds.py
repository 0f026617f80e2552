"""Issue 15: every order event says what it is by its kind, with its facts in `data`; only staff's
words are free text, and they are shown as typed, never read back as one of the shop's events."""

from datetime import timedelta

import pytest
from flask_babel import force_locale

from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.orders import signals
from shop.orders.models import EventKind, Order, OrderEvent, payment_data
from shop.orders.services import cancel_by_customer, expire_unpaid, guest_token, transition
from shop.payments import services as payment_services
from shop.payments.services import refund_late_payment
from tests.checkout.helpers import place
from tests.factories import UserFactory
from tests.payments.test_webhooks import body_for, post


def events_of(order_id):
    _db.session.expire_all()
    return _db.session.get(Order, order_id).events


def test_the_shops_own_events_are_kinds_with_data(client, db):
    order = place(payment="card")
    payment = order.payments[0]
    assert post(client, body_for(payment)).json == {"result": "applied"}
    placed, paid = events_of(order.id)
    assert (placed.kind, placed.data, placed.note) == ("placed", None, None)
    assert (paid.kind, paid.note) == ("paid", None)
    assert paid.data == {
        "provider": "card", "amount": str(payment.amount), "currency": "RUB",
        "reference": payment.provider_reference,
    }

    cancel_by_customer(_db.session.get(Order, order.id))
    cancelled = events_of(order.id)[-1]
    assert (cancelled.kind, cancelled.data, cancelled.note) == (
        "cancelled_by_customer", None, None)


def test_late_payment_and_its_refund_carry_the_payment(client, db):
    order = place(payment="card")
    payment = order.payments[0]
    order.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    assert expire_unpaid() == 1
    assert events_of(order.id)[-1].kind == "expired"
    post(client, body_for(payment))
    late = events_of(order.id)[-1]
    facts = payment_data("card", payment.amount, "RUB", payment.provider_reference)
    assert (late.kind, late.data, late.note, late.to_status) == (
        "late_payment", facts, None, "cancelled")
    staff = UserFactory()
    refund_late_payment(payment.id, actor=staff)
    refunded = events_of(order.id)[-1]
    assert (refunded.kind, refunded.data, refunded.actor_id) == (
        "late_payment_refunded", facts, staff.id)


@pytest.mark.parametrize("typed", ["placed", "paid: card", "unpaid in time: expired",
                                   "late payment refunded (1.00 RUB, card x)"])
def test_staff_words_are_never_read_as_a_shop_event(client, db, typed):
    """Before issue 15 a note typed like one of the shop's was shown (and acted on) as one."""
    order = place(payment="card")
    transition(order.id, "cancelled", note=typed)
    event = events_of(order.id)[-1]
    assert (event.kind, event.note) == ("status_changed", typed)
    with force_locale("en"):
        assert event.note_label == typed
    body = client.get(f"/orders/view/{guest_token(order)}?lang=en").get_data(as_text=True)
    assert 'data-testid="expired-note"' not in body


@pytest.mark.parametrize(("lang", "refunded", "paid"), [
    ("ru", "Поздняя оплата возвращена. (1280.00 RUB, card abc123)", "Оплачен: bank"),
    ("en", "The late payment was refunded. (1280.00 RUB, card abc123)", "Paid: bank"),
])
def test_labels_of_the_other_kinds(app, lang, refunded, paid):
    data = payment_data("card", "1280.00", "RUB", "abc123")
    with app.test_request_context(), force_locale(lang):
        event = OrderEvent(from_status="cancelled", to_status="cancelled",
                           kind=EventKind.LATE_PAYMENT_REFUNDED, data=data)
        assert event.note_label == refunded
        # a provider that is no payment method of the shop keeps its code
        assert OrderEvent(kind="paid", data={"provider": "bank"}).note_label == paid
        # a status change with staff's comment: the comment; without one, nothing to add
        assert OrderEvent(kind="status_changed", note="СДЭК 1").note_label == "СДЭК 1"
        assert OrderEvent(kind="status_changed").note_label == ""


def test_payments_answers_the_orders_signals(app):
    """Registered explicitly when the app is built (shop.payments.init_app)."""
    anyone = object()
    assert payment_services.close_payments in signals.order_closed.receivers_for(anyone)
    assert payment_services.has_succeeded_payment in signals.payment_check.receivers_for(anyone)
