"""Test gateway webhooks: signed, applied once, and only for the right payment and amount."""

import json

import pytest
from sqlalchemy import func, select

from config.production import ProductionConfig
from shop.extensions import db as _db
from shop.orders.models import Order
from shop.payments import providers
from shop.payments.models import Payment, PaymentEvent
from tests.checkout.helpers import place


@pytest.fixture()
def card_order(db):
    return place(payment="card")


def body_for(payment, kind="payment.succeeded", event_id="evt_1", **override):
    data = {
        "id": event_id,
        "type": kind,
        "reference": payment.provider_reference,
        "amount": str(payment.amount),
        "currency": payment.currency,
    }
    data.update(override)
    return json.dumps(data).encode()


def post(client, body, signature=None):
    gateway = providers.get("card")
    return client.post(
        "/payments/webhook/card",
        data=body,
        headers={"X-Signature": signature if signature is not None else gateway.sign(body)},
        content_type="application/json",
    )


def test_success_marks_order_paid_once(client, card_order):
    payment = card_order.payments[0]
    body = body_for(payment)
    response = post(client, body)
    assert response.status_code == 200 and response.json == {"result": "applied"}
    _db.session.expire_all()
    assert card_order.status == "paid" and card_order.paid_at is not None
    assert payment.status == "succeeded"
    # the same event again: nothing changes
    again = post(client, body)
    assert again.status_code == 200 and again.json == {"result": "duplicate"}
    # a new event for a finished payment: recorded, ignored
    other = post(client, body_for(payment, event_id="evt_2"))
    assert other.json == {"result": "ignored"}
    _db.session.expire_all()
    assert [e.to_status for e in card_order.events] == ["new", "paid"]
    assert _db.session.scalar(select(func.count(PaymentEvent.id))) == 2


def test_declined_leaves_order_new(client, card_order):
    payment = card_order.payments[0]
    assert post(client, body_for(payment, kind="payment.failed")).status_code == 200
    _db.session.expire_all()
    assert card_order.status == "new" and payment.status == "failed"


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex"])
def test_bad_signature_is_400_and_changes_nothing(client, card_order, signature):
    payment = card_order.payments[0]
    response = post(client, body_for(payment), signature=signature)
    assert response.status_code == 400
    _db.session.expire_all()
    assert card_order.status == "new" and payment.status == "pending"
    assert _db.session.scalar(select(func.count(PaymentEvent.id))) == 0


def test_missing_signature_header(client, card_order):
    body = body_for(card_order.payments[0])
    response = client.post("/payments/webhook/card", data=body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "override",
    [
        {"amount": "1.00"},
        {"currency": "USD"},
        {"reference": "unknown"},
        {"type": "payment.teleported"},
    ],
)
def test_signed_but_wrong_payload_is_400(client, card_order, override):
    payment = card_order.payments[0]
    response = post(client, body_for(payment, **override))
    assert response.status_code == 400
    _db.session.expire_all()
    assert card_order.status == "new"


def test_garbage_body_and_unknown_provider(client, card_order):
    assert post(client, b"{not json").status_code == 400
    assert post(client, b"").status_code == 400
    assert client.post("/payments/webhook/paypal", data=b"{}").status_code == 404
    assert client.post("/payments/webhook/cash", data=b"{}").status_code == 400


def test_payment_for_an_expired_order_does_not_revive_it(client, card_order):
    from shop.orders.services import transition

    payment = card_order.payments[0]
    transition(card_order.id, "cancelled")
    _db.session.expire_all()
    assert payment.status == "cancelled"
    # the money is recorded for a refund (tests/payments/test_late_payment.py), the order stays
    assert post(client, body_for(payment)).json == {"result": "applied"}
    _db.session.expire_all()
    assert _db.session.get(Order, card_order.id).status == "cancelled"
    assert payment.status == "needs_refund"


def test_gateway_off_in_production_unless_enabled():
    assert ProductionConfig.TEST_GATEWAY_ENABLED is False


def test_gateway_disabled_refuses_webhooks_and_pages(app, client, card_order):
    payment = card_order.payments[0]
    app.config["TEST_GATEWAY_ENABLED"] = False
    try:
        assert post(client, body_for(payment)).status_code == 400
        assert client.get(f"/payments/test-gateway/{payment.provider_reference}").status_code == 404
    finally:
        app.config["TEST_GATEWAY_ENABLED"] = True
    assert _db.session.scalar(select(func.count(Payment.id))) == 1
