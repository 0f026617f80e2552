"""Several distinct success notifications for one payment, delivered at once (PostgreSQL).

A gateway may send "payment.succeeded" more than once under different event ids (retries from
several of its nodes). Exactly one of them pays the order; the others find the payment already
succeeded under its row lock and change nothing: no second "paid" step, no false "LATE PAYMENT"
note telling staff to refund money the order needs.
"""

import pytest
from sqlalchemy import func, select

from shop.extensions import db as _db
from shop.orders.models import Order, OrderEvent
from shop.payments import providers
from shop.payments.models import Payment, PaymentEvent
from shop.payments.services import handle_webhook
from tests.checkout.helpers import place

pytestmark = pytest.mark.postgres
DELIVERIES = 5


@pytest.mark.parametrize("round_", range(3))
def test_distinct_success_events_pay_the_order_once(app, db, round_):
    from tests.checkout.helpers import run_together

    order = place(payment="card")
    order_id, payment_id = order.id, order.payments[0].id
    gateway = providers.get("card")
    jobs = []
    for i in range(DELIVERIES):
        body = gateway.event_body(f"evt_{round_}_{i}", "payment.succeeded", order.payments[0])
        signature = gateway.sign(body)
        jobs.append(lambda body=body, signature=signature: handle_webhook("card", body, signature))
    results, errors = run_together(app, jobs)
    assert errors == []
    assert sorted(results) == ["applied"] + ["ignored"] * (DELIVERIES - 1)
    _db.session.expire_all()
    assert _db.session.get(Order, order_id).status == "paid"
    assert _db.session.get(Payment, payment_id).status == "succeeded"
    events = _db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
    ).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, "new"), ("new", "paid")]
    assert not any(e.kind == "late_payment" for e in events)
    # every notification is on record, once
    assert _db.session.scalar(select(func.count(PaymentEvent.id))) == DELIVERIES


@pytest.mark.parametrize("round_", range(4))
def test_success_notifications_racing_a_cancel(app, db, round_):
    """Two notifications and the shopper's cancel at once: no deadlock (the order row is locked
    before the payment row on every path), the money is either the order's (then refunded by
    the cancel) or flagged once for a refund; never lost, never flagged twice."""
    from shop.orders.services import InvalidTransition, cancel_by_customer
    from tests.checkout.helpers import run_together

    order = place(payment="card")
    order_id, payment_id = order.id, order.payments[0].id
    gateway = providers.get("card")
    bodies = [
        gateway.event_body(f"evt_c{round_}_{i}", "payment.succeeded", order.payments[0])
        for i in range(2)
    ]

    def deliver(body):
        return lambda: handle_webhook("card", body, gateway.sign(body))

    def cancel():
        return cancel_by_customer(_db.session.get(Order, order_id)).status

    _, errors = run_together(app, [deliver(bodies[0]), cancel, deliver(bodies[1])])
    # the cancel may lose the order's compare-and-set to a payment (InvalidTransition, by
    # design); anything else (a deadlock) is a failure
    assert all(isinstance(e, InvalidTransition) for e in errors), errors
    _db.session.expire_all()
    status = _db.session.get(Order, order_id).status
    payment = _db.session.get(Payment, payment_id)
    events = _db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order_id)).all()
    paid = [e for e in events if e.to_status == "paid"]
    late = [e for e in events if e.kind == "late_payment"]
    if status == "paid":  # paid before the cancel read it: the cancel was refused
        assert errors and payment.status == "succeeded" and len(paid) == 1 and late == []
    elif paid:  # paid, then cancelled: the cancel gave the money back
        assert status == "cancelled" and payment.status == "refunded"
        assert len(paid) == 1 and late == []
    else:  # cancelled first: the money waits for a refund, flagged once
        assert status == "cancelled" and payment.status == "needs_refund" and len(late) == 1
