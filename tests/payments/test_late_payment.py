"""Money that arrives for an order already cancelled (expired) leaves a note staff can see."""

from shop.extensions import db as _db
from shop.orders.models import Order
from shop.orders.services import guest_token, transition
from tests.checkout.helpers import place
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
    late = [e for e in order.events if e.note and e.note.startswith("LATE PAYMENT")]
    assert len(late) == 1
    assert late[0].from_status == late[0].to_status == "cancelled"
    assert str(payment.amount) in late[0].note and payment.provider_reference in late[0].note
    # the shopper's timeline lists statuses only: no second "Cancelled", no staff note
    body = client.get(f"/orders/view/{guest_token(order)}?lang=en").get_data(as_text=True)
    assert body.count('<span class="fw-semibold">Cancelled</span>') == 1
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
    notes = [e.note for e in _db.session.get(Order, order.id).events if e.note]
    assert sum(1 for n in notes if n.startswith("LATE PAYMENT")) == 1

