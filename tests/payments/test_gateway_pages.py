"""The test gateway's hosted page: pay, decline, pay again; a webhook that came first wins."""

import json

from sqlalchemy import func, select

from shop.extensions import db as _db
from shop.payments import providers
from shop.payments.models import Payment
from tests.checkout.helpers import place


def decide(client, csrf, payment, decision):
    return client.post(
        f"/payments/test-gateway/{payment.provider_reference}",
        data={"csrf_token": csrf, "decision": decision},
    )


def test_pay_on_hosted_page(client, csrf_token, db):
    order = place(payment="card")
    payment = order.payments[0]
    page = client.get(f"/payments/test-gateway/{payment.provider_reference}")
    assert page.status_code == 200 and order.number in page.get_data(as_text=True)
    response = decide(client, csrf_token(), payment, "pay")
    assert response.status_code == 302 and "/orders/view/" in response.location
    _db.session.expire_all()
    assert order.status == "paid"
    # pressing "Pay" again (back button) changes nothing
    decide(client, csrf_token(), payment, "pay")
    _db.session.expire_all()
    assert [e.to_status for e in order.events] == ["new", "paid"]


def test_decline_then_pay_again(client, csrf_token, db):
    order = place(payment="card")
    first = order.payments[0]
    decide(client, csrf_token(), first, "decline")
    _db.session.expire_all()
    assert order.status == "new" and first.status == "failed"
    # only the browser that placed the order (or its owner) may start another attempt
    assert client.post(
        f"/payments/orders/{order.number}/pay", data={"csrf_token": csrf_token()}
    ).status_code == 404
    with client.session_transaction() as session:
        session["guest_orders"] = [order.number]
    token = csrf_token()
    response = client.post(f"/payments/orders/{order.number}/pay", data={"csrf_token": token})
    assert response.status_code == 302
    second = _db.session.scalars(select(Payment).where(Payment.id != first.id)).one()
    assert second.status == "pending" and second.provider_reference in response.location
    decide(client, csrf_token(), second, "pay")
    _db.session.expire_all()
    assert order.status == "paid"
    assert _db.session.scalar(select(func.count(Payment.id))) == 2


def test_webhook_before_the_shopper_returns(client, csrf_token, db):
    order = place(payment="card")
    payment = order.payments[0]
    gateway = providers.get("card")
    body = gateway.event_body("evt_early", "payment.succeeded", payment)
    client.post(
        "/payments/webhook/card", data=body, headers={"X-Signature": gateway.sign(body)},
        content_type="application/json",
    )
    # the shopper's browser now comes back through the hosted page: no second payment effect
    response = decide(client, csrf_token(), payment, "decline")
    assert response.status_code == 302
    _db.session.expire_all()
    assert order.status == "paid" and payment.status == "succeeded"
    assert json.loads(body)["id"] == "evt_early"


def test_unknown_reference_is_404(client, db):
    assert client.get("/payments/test-gateway/nope").status_code == 404
    assert client.get("/payments/test-gateway/" + "x" * 200).status_code == 404


def test_guest_link_visitor_can_pay_again(app, client, csrf_token, db):
    from shop.orders.services import guest_token

    order = place(payment="card")
    decide(client, csrf_token(), order.payments[0], "decline")
    with app.test_request_context():
        token = guest_token(order)
    page = client.get(f"/orders/view/{token}").get_data(as_text=True)
    assert f"/payments/orders/view/{token}/pay" in page
    response = client.post(f"/payments/orders/view/{token}/pay", data={"csrf_token": csrf_token()})
    assert response.status_code == 302 and "/payments/test-gateway/" in response.location
    forged = client.post(f"/payments/orders/view/{token}x/pay", data={"csrf_token": csrf_token()})
    assert forged.status_code == 404
