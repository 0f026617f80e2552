"""Money that arrives for an order already cancelled (expired) is recorded for a refund, with a
note staff can see, and refunded from the back office."""

import re
from datetime import timedelta

import pytest

from shop.core.errors import NotFound
from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.orders.models import Order
from shop.orders.services import expire_unpaid, guest_token, transition
from shop.payments.models import PaymentStatus
from shop.payments.services import (
    NothingToRefund,
    payments_to_refund,
    refund_late_payment,
    retry,
)
from tests.checkout.helpers import place
from tests.factories import UserFactory
from tests.payments.test_webhooks import body_for, post


def test_late_payment_is_flagged_in_the_timeline_and_hidden_from_the_shopper(client, db):
    order = place(payment="card")
    payment = order.payments[0]
    transition(order.id, "cancelled", note="unpaid in time: expired")
    # the gateway took the money anyway (its own pending attempt raced the expiry)
    payment.status = "pending"
    _db.session.commit()
    assert post(client, body_for(payment)).json == {"result": "applied"}
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.status == "cancelled"
    late = [e for e in order.events if e.kind == "late_payment"]
    assert len(late) == 1
    assert late[0].from_status == late[0].to_status == "cancelled"
    assert str(payment.amount) in late[0].note_label
    assert payment.provider_reference in late[0].note_label
    # the shopper's timeline lists statuses only: no second "Cancelled", no staff note
    body = client.get(f"/orders/view/{guest_token(order)}?lang=en").get_data(as_text=True)
    assert len(re.findall(r'class="status-step [\w-]+" data-status="cancelled"', body)) == 1
    assert "LATE PAYMENT" not in body


def test_the_same_late_event_twice_flags_once(client, db):
    order = place(payment="card")
    payment = order.payments[0]
    transition(order.id, "cancelled")
    payment.status = "pending"
    _db.session.commit()
    body = body_for(payment)
    post(client, body)
    assert post(client, body).json == {"result": "duplicate"}
    _db.session.expire_all()
    kinds = [e.kind for e in _db.session.get(Order, order.id).events]
    assert sum(1 for k in kinds if k == "late_payment") == 1



def late_notes(order_id):
    _db.session.expire_all()
    events = _db.session.get(Order, order_id).events
    return [e for e in events if e.kind == "late_payment"]


def counts():
    from sqlalchemy import func, select

    from shop.orders.models import OrderEvent
    from shop.payments.models import PaymentEvent

    return (
        _db.session.scalar(select(func.count(OrderEvent.id))),
        _db.session.scalar(select(func.count(PaymentEvent.id))),
    )


@pytest.mark.parametrize("how", ["cancelled", "expired"])
def test_money_taken_after_cancel_or_expiry_is_recorded_for_a_refund(client, db, how):
    """Issue 13 item 5: close_payments had cancelled the payment, and the bank's later success
    was answered "ignored" with nothing recorded: the customer's money was lost to sight."""
    order = place(payment="card")
    payment = order.payments[0]
    if how == "expired":
        order.expires_at = utcnow() - timedelta(minutes=1)
        _db.session.commit()
        assert expire_unpaid() == 1
    else:
        transition(order.id, "cancelled", note="cancelled by the customer")
    _db.session.expire_all()
    assert payment.status == PaymentStatus.CANCELLED

    body = body_for(payment)
    assert post(client, body).json == {"result": "applied"}
    _db.session.expire_all()
    assert payment.status == PaymentStatus.NEEDS_REFUND
    assert _db.session.get(Order, order.id).status == "cancelled"
    (late,) = late_notes(order.id)
    assert late.from_status == late.to_status == "cancelled"
    assert str(payment.amount) in late.note_label
    assert payment.provider_reference in late.note_label
    assert payments_to_refund() == (1, [payment])

    # the same event again, and another success for the same payment: nothing changes
    before = counts()
    assert post(client, body).json == {"result": "duplicate"}
    assert counts() == before
    assert post(client, body_for(payment, event_id="evt_2")).json == {"result": "ignored"}
    _db.session.expire_all()
    assert payment.status == PaymentStatus.NEEDS_REFUND and len(late_notes(order.id)) == 1
    assert counts()[0] == before[0]


def test_a_declined_attempt_that_is_charged_after_all_is_recorded(client, db):
    """A payment the gateway first declined, then charged: the order takes it if still new,
    and a second charge of an order already paid is flagged for a refund."""
    order = place(payment="card")
    first = order.payments[0]
    post(client, body_for(first, kind="payment.failed", event_id="evt_f"))
    second = retry(_db.session.get(Order, order.id))
    assert post(client, body_for(second, event_id="evt_2")).json == {"result": "applied"}
    _db.session.expire_all()
    assert _db.session.get(Order, order.id).status == "paid"
    assert first.status == PaymentStatus.FAILED
    # the declined attempt is charged after all: the order is paid already, refund it
    assert post(client, body_for(first, event_id="evt_1")).json == {"result": "applied"}
    _db.session.expire_all()
    assert (first.status, second.status) == (PaymentStatus.NEEDS_REFUND, PaymentStatus.SUCCEEDED)
    assert _db.session.get(Order, order.id).status == "paid"
    (late,) = late_notes(order.id)
    assert (late.kind, late.to_status) == ("late_payment", "paid")


def test_refunding_the_late_payment(client, db):
    order = place(payment="card")
    payment = order.payments[0]
    transition(order.id, "cancelled")
    post(client, body_for(payment))
    staff = UserFactory()
    seen = []
    refund_late_payment(payment.id, actor=staff, also=seen.append)
    _db.session.expire_all()
    assert payment.status == PaymentStatus.REFUNDED and seen == [payment]
    event = _db.session.get(Order, order.id).events[-1]
    assert (event.from_status, event.to_status) == ("cancelled", "cancelled")
    assert event.actor_id == staff.id
    assert event.kind == "late_payment_refunded"
    assert event.data["reference"] == payment.provider_reference
    from flask_babel import force_locale

    with force_locale("en"):  # the label is in the reader's language (Russian by default)
        assert event.note_label.startswith("The late payment was refunded.")
    with force_locale("ru"):
        assert event.note_label.startswith("Поздняя оплата возвращена.")
    assert payments_to_refund() == (0, [])
    # twice (two managers at once): the second is told, nothing more is written
    before = counts()
    with pytest.raises(NothingToRefund):
        refund_late_payment(payment.id, actor=staff)
    assert counts() == before
    with pytest.raises(NotFound):
        refund_late_payment("nonsense")


def test_a_paid_orders_own_payment_cannot_be_refunded_as_late(client, db):
    order = place(payment="card")
    payment = order.payments[0]
    post(client, body_for(payment))
    with pytest.raises(NothingToRefund):
        refund_late_payment(payment.id)
    _db.session.expire_all()
    assert payment.status == PaymentStatus.SUCCEEDED
