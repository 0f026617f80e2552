"""YooKassa end to end against the local fake (tests/payments/fake_yookassa.py): the shop's real
client code talks HTTP to it.

Placing an order sends the browser through our "go to payment" page to YooKassa's
confirmation page; the payment is created once per attempt whatever fails in between; a
notification changes nothing until the API confirms it, and changes it once; the order page the
shopper returns to reads the status itself; a paid order that is cancelled is refunded.
"""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order
from shop.orders.services import expire_unpaid, guest_token
from shop.payments.models import Payment, PaymentEvent
from shop.payments.services import refund_late_payment
from tests.checkout.helpers import place
from tests.payments.fake_yookassa import YOOKASSA_ADDRESS

WEBHOOK = "/payments/webhook/yookassa"
META_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0;url=([^"]+)">')


def notify(client, body, address=YOOKASSA_ADDRESS):
    return client.post(WEBHOOK, data=body, content_type="application/json",
                       environ_base={"REMOTE_ADDR": address})


def guest_page(client, order, lang="en"):
    return client.get(f"/orders/view/{guest_token(order)}?lang={lang}")


def go(client, order):
    """The browser's "go to payment" step for a guest order (through its signed link)."""
    return client.get(f"/payments/orders/view/{guest_token(order)}/go")


def start(client, order, fake) -> str:
    """Open the order's payment at the fake; YooKassa's id of it."""
    response = go(client, order)
    assert response.status_code == 200, response.location
    target = META_REFRESH.search(response.get_data(as_text=True)).group(1)
    payment_id = target.rsplit("/", 1)[1]
    assert target == f"{fake.root}/checkout/{payment_id}"
    return payment_id


def mails(kind="payment_received"):
    return _db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def fresh(order):
    _db.session.expire_all()
    return _db.session.get(Order, order.id)


def events():
    return _db.session.scalars(select(PaymentEvent.event_id).order_by(PaymentEvent.id)).all()


@pytest.fixture(autouse=True)
def english(client):
    """Pages and flashed messages in English, whatever the catalogs hold."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture()
def card_order(yookassa, db):
    return place(payment="yookassa_card")


def test_the_payment_request(client, yookassa, card_order):
    payment = card_order.payments[0]
    assert payment.provider == "yookassa" and payment.provider_reference is None
    payment_id = start(client, card_order, yookassa)
    (call,) = yookassa.api_calls("POST")
    assert call == ("POST", "/v3/payments", payment.idempotency_key)
    sent = yookassa.payments[payment_id]
    assert sent["amount"] == {"value": f"{card_order.total:.2f}", "currency": "RUB"}
    assert sent["capture"] is True
    assert sent["payment_method"]["type"] == "bank_card"
    assert sent["metadata"]["order_number"] == card_order.number
    assert card_order.number in sent["description"]
    # the order's page, from PUBLIC_URL, never from the request
    assert sent["_return_url"] == f"http://127.0.0.1:8000/orders/view/{guest_token(card_order)}"
    _db.session.expire_all()
    assert payment.provider_reference == payment_id


@pytest.mark.parametrize(("method", "kind"), [("yookassa_card", "bank_card"),
                                              ("yookassa_sbp", "sbp"),
                                              ("yookassa_sberpay", "sberbank")])
def test_full_purchase_over_http(client, csrf_token, yookassa, db, method, kind, app,
                                 monkeypatch):
    if method == "yookassa_sberpay":  # offered where the shop's contract has it
        monkeypatch.setitem(app.config, "YOOKASSA_SBERPAY", True)
    from tests.checkout.helpers import stocked
    from tests.checkout.test_views import add, checkout
    from tests.factories import DeliveryMethodFactory

    variant, delivery = stocked(price="1234.00"), DeliveryMethodFactory(price=Decimal("0"))
    csrf = csrf_token()
    add(client, csrf, variant.id)
    fields = checkout(client, csrf, delivery, payment_method=method)
    placed = client.post("/checkout/place", data=fields)
    assert placed.status_code == 303 and "/payments/orders/" in placed.location
    order = _db.session.scalars(select(Order)).one()
    assert order.payment_method == method and order.expires_at is not None
    # our page sends the browser on to YooKassa (a form's redirect there is blocked by CSP)
    page = client.get(placed.location)
    target = META_REFRESH.search(page.get_data(as_text=True)).group(1)
    payment_id = target.rsplit("/", 1)[1]
    assert yookassa.payments[payment_id]["payment_method"]["type"] == kind
    assert yookassa.payments[payment_id]["amount"] == {"value": "1234.00", "currency": "RUB"}
    assert f'href="{target}"' in page.get_data(as_text=True)
    # the shopper pays; YooKassa notifies the shop
    yookassa.succeed(payment_id)
    assert notify(client, yookassa.notification(payment_id)).json == {"result": "applied"}
    order = fresh(order)
    assert order.status == "paid" and order.payments[0].status == "succeeded"
    assert [e.to_status for e in order.events] == ["new", "paid"]
    assert len(mails()) == 1 and mails()[0].recipient == order.email
    assert len(yookassa.payments) == 1


def test_sberpay_is_offered_only_where_the_shop_has_it(client, csrf_token, yookassa, db, app,
                                                        monkeypatch):
    from tests.checkout.helpers import stocked
    from tests.checkout.test_views import add, details_form
    from tests.factories import DeliveryMethodFactory

    variant, delivery = stocked(price="990.00"), DeliveryMethodFactory(price=Decimal("0"))
    csrf = csrf_token()
    add(client, csrf, variant.id)
    assert 'value="yookassa_sberpay"' not in client.get("/checkout").get_data(as_text=True)
    # a forged choice of it is refused: the form again, not the review
    forged = client.post("/checkout", data=details_form(csrf, delivery,
                                                        payment_method="yookassa_sberpay"))
    assert forged.status_code == 200 and _db.session.scalars(select(Order)).all() == []
    monkeypatch.setitem(app.config, "YOOKASSA_SBERPAY", True)
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="yookassa_sberpay"' in page and "SberPay" in page


def test_decline_then_pay_again(client, csrf_token, yookassa, card_order):
    first_id = start(client, card_order, yookassa)
    yookassa.cancel(first_id, reason="insufficient_funds")
    assert notify(client, yookassa.notification(first_id, "payment.canceled")).json == {
        "result": "applied"}
    order = fresh(card_order)
    assert order.status == "new" and order.payments[0].status == "failed"
    assert "Pay by card" in guest_page(client, order).get_data(as_text=True)
    # "pay again": a second attempt, a second key, a second payment at YooKassa
    token = guest_token(order)
    again = client.post(f"/payments/orders/view/{token}/pay", data={"csrf_token": csrf_token()})
    assert again.status_code == 303 and again.location.endswith(f"/orders/view/{token}/go")
    second_id = start(client, order, yookassa)
    assert second_id != first_id
    keys = [key for _m, _p, key in yookassa.api_calls("POST")]
    assert keys == [f"{order.number}-1", f"{order.number}-2"]
    yookassa.succeed(second_id)
    notify(client, yookassa.notification(second_id))
    order = fresh(order)
    assert order.status == "paid"
    assert sorted(p.status for p in order.payments) == ["failed", "succeeded"]


def test_retry_after_a_network_error_makes_one_payment(client, yookassa, card_order):
    yookassa.drop()  # YooKassa makes the payment, the answer is lost
    lost = go(client, card_order)
    assert lost.status_code == 302 and "/orders/view/" in lost.location
    assert "did not answer" in guest_page(client, card_order).get_data(as_text=True)
    _db.session.expire_all()
    assert card_order.payments[0].provider_reference is None
    assert len(yookassa.payments) == 1
    payment_id = start(client, card_order, yookassa)  # the shopper tries again
    assert list(yookassa.payments) == [payment_id]
    keys = {key for _m, _p, key in yookassa.api_calls("POST")}
    assert keys == {card_order.payments[0].idempotency_key}
    # and again (back button, another tab): a read, never another payment
    assert start(client, card_order, yookassa) == payment_id
    assert len(yookassa.payments) == 1 and len(yookassa.api_calls("POST")) == 2


@pytest.mark.parametrize("status", [400, 401, 429, 500])
def test_errors_from_the_api_leave_the_order_to_pay_later(client, yookassa, card_order, status):
    yookassa.fail(status)
    response = go(client, card_order)
    assert response.status_code == 302
    page = guest_page(client, card_order)
    assert page.status_code == 200 and "did not answer" in page.get_data(as_text=True)
    order = fresh(card_order)
    assert order.status == "new" and order.payments[0].status == "pending"
    assert order.payments[0].provider_reference is None
    assert start(client, order, yookassa)  # it works once YooKassa does


def test_wrong_credentials_are_refused_by_the_api(app, client, yookassa, card_order):
    app.config["YOOKASSA_SECRET_KEY"] = "wrong"
    assert go(client, card_order).status_code == 302
    assert yookassa.payments == {}


def test_forged_notification_changes_nothing(client, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    # "succeeded", says the notification; the API says the payment is still pending
    forged = yookassa.notification(payment_id, status="succeeded", paid=True)
    assert notify(client, forged).json == {"result": "ignored"}
    order = fresh(card_order)
    assert order.status == "new" and order.payments[0].status == "pending"
    assert events() == [] and mails() == []
    assert ("GET", f"/v3/payments/{payment_id}", None) in yookassa.requests
    # the real one, later, is applied: the forgery left nothing in its way
    yookassa.succeed(payment_id)
    assert notify(client, yookassa.notification(payment_id)).json == {"result": "applied"}


def test_notification_about_an_unknown_payment_is_400(client, yookassa, card_order):
    start(client, card_order, yookassa)
    body = yookassa.notification("2419a771-000f-5000-9000-1edaf29243f2")
    assert notify(client, body).status_code == 400
    assert yookassa.api_calls("GET") == []  # not even asked about


def test_replayed_notification_changes_nothing(client, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    yookassa.succeed(payment_id)
    body = yookassa.notification(payment_id)
    assert notify(client, body).json == {"result": "applied"}
    for _ in range(2):
        assert notify(client, body).json == {"result": "duplicate"}
    order = fresh(card_order)
    assert [e.to_status for e in order.events] == ["new", "paid"]
    assert events() == [f"payment.succeeded:{payment_id}"] and len(mails()) == 1


@pytest.mark.parametrize("address", ["203.0.113.7", "10.0.0.1", "185.71.76.64", "2001:db8::1"])
def test_notification_from_another_network_is_403(client, yookassa, card_order, address):
    payment_id = start(client, card_order, yookassa)
    yookassa.succeed(payment_id)
    response = notify(client, yookassa.notification(payment_id), address=address)
    assert response.status_code == 403
    assert fresh(card_order).status == "new" and events() == []
    assert yookassa.api_calls("GET") == []


def test_yookassa_networks(app, monkeypatch):
    from shop.payments.yookassa import YooKassa

    provider = YooKassa()
    with app.app_context():
        for address in ("185.71.76.1", "185.71.77.30", "77.75.156.11", "77.75.154.200",
                        "2a02:5180:0:1509::5", "::ffff:185.71.76.3"):
            assert provider.accepts_from(address), address
        for address in ("77.75.156.12", "185.71.78.1", "unknown", "", None, "127.0.0.1"):
            assert not provider.accepts_from(address), address
        # SHOP_YOOKASSA_NOTIFY_NETWORKS as a plain string; a broken entry is skipped
        monkeypatch.setitem(app.config, "YOOKASSA_NOTIFY_NETWORKS", "127.0.0.0/8, 192.0.2.1 x")
        assert provider.accepts_from("127.0.0.1") and provider.accepts_from("192.0.2.1")
        assert not provider.accepts_from("185.71.76.1")


@pytest.mark.parametrize(
    "body",
    [b"", b"{not json", b"[]", b'{"type": "notification"}',
     b'{"type": "other", "event": "payment.succeeded", "object": {"id": "x"}}',
     b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "../../x"}}',
     b'{"type": "notification", "event": "payment.succeeded", "object": []}'],
)
def test_bad_body_is_400(client, yookassa, card_order, body):
    assert notify(client, body).status_code == 400
    assert events() == []


def test_an_event_we_do_not_act_on_is_answered_and_left(client, yookassa, card_order):
    body = json.dumps({"type": "notification", "event": "payout.succeeded",
                       "object": {"id": "po-1"}}).encode()
    assert notify(client, body).json == {"result": "ignored"}


def test_api_down_while_confirming_is_503_and_changes_nothing(client, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    yookassa.succeed(payment_id)
    body = yookassa.notification(payment_id)
    yookassa.fail(500)
    assert notify(client, body).status_code == 503
    assert fresh(card_order).status == "new" and events() == []
    # YooKassa sends it again
    assert notify(client, body).json == {"result": "applied"}
    assert fresh(card_order).status == "paid"


def test_late_payment_after_expiry_is_kept_for_a_refund(client, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    card_order.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    assert expire_unpaid() == 1
    assert fresh(card_order).status == "cancelled"
    yookassa.succeed(payment_id)  # the shopper paid on a page left open
    assert notify(client, yookassa.notification(payment_id)).json == {"result": "applied"}
    order = fresh(card_order)
    payment = order.payments[0]
    assert order.status == "cancelled" and payment.status == "needs_refund"
    assert [e.kind for e in order.events].count("late_payment") == 1
    assert mails() == []
    # staff refund it: through YooKassa, once
    refund_late_payment(payment.id)
    (refund,) = yookassa.refunds.values()
    assert refund["payment_id"] == payment_id and refund["amount"]["value"] == f"{order.total:.2f}"
    assert fresh(card_order).payments[0].status == "refunded"
    # YooKassa tells us about the refund: nothing left to change, and a replay is a duplicate
    body = yookassa.notification(refund["id"], "refund.succeeded")
    assert notify(client, body).json == {"result": "ignored"}
    assert notify(client, body).json == {"result": "duplicate"}


def test_late_payment_refunded_in_the_dashboard(client, yookassa, card_order):
    """Staff gave the late payment back in YooKassa's dashboard: its notification records it."""
    payment_id = start(client, card_order, yookassa)
    from shop.orders.services import transition

    transition(card_order.id, "cancelled")
    yookassa.succeed(payment_id)
    notify(client, yookassa.notification(payment_id))
    refund = yookassa._create_refund(
        {"payment_id": payment_id, "amount": yookassa.payments[payment_id]["amount"]})
    assert notify(client, yookassa.notification(refund["id"], "refund.succeeded")).json == {
        "result": "applied"}
    order = fresh(card_order)
    assert order.payments[0].status == "refunded"
    assert [e.kind for e in order.events][-1] == "late_payment_refunded"


def test_forged_refund_notification_is_400(client, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    body = json.dumps({"type": "notification", "event": "refund.succeeded", "object": {
        "id": "2419a771-0000-5000-9000-000000000000", "payment_id": payment_id}}).encode()
    assert notify(client, body).status_code == 400  # YooKassa knows no such refund
    assert events() == []


def test_return_page_reads_the_status_without_a_notification(client, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    page = guest_page(client, card_order)
    assert 'data-testid="payment-confirming"' in page.get_data(as_text=True)  # not paid yet
    yookassa.succeed(payment_id)
    page = guest_page(client, card_order)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="order-status">Paid<' in body
    assert "payment-confirming" not in body
    order = fresh(card_order)
    assert order.status == "paid" and events() == [f"payment.succeeded:{payment_id}"]
    # the notification arrives afterwards: already done
    assert notify(client, yookassa.notification(payment_id)).json == {"result": "duplicate"}
    assert len(mails()) == 1
    # a paid order's page asks nobody
    calls = len(yookassa.requests)
    guest_page(client, card_order)
    assert len(yookassa.requests) == calls


def test_return_page_after_a_decline(client, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    yookassa.cancel(payment_id, reason="canceled_by_user")
    body = guest_page(client, card_order).get_data(as_text=True)
    assert 'data-testid="payment-declined"' in body and "Pay by card" in body
    assert fresh(card_order).payments[0].status == "failed"


@pytest.mark.parametrize("trouble", ["down", "slow"])
def test_return_page_renders_when_the_api_is_down_or_slow(client, yookassa, card_order, trouble):
    payment_id = start(client, card_order, yookassa)
    yookassa.succeed(payment_id)
    if trouble == "down":
        yookassa.fail(500)
    else:
        yookassa.slow()  # held until released: the page's short timeout gives up first
    try:
        page = guest_page(client, card_order)
    finally:
        yookassa.release()
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="payment-confirming"' in body
    order = fresh(card_order)
    assert order.status == "new" and order.payments[0].status == "pending" and events() == []


def test_refund_on_cancel_of_a_paid_order(client, csrf_token, yookassa, card_order):
    payment_id = start(client, card_order, yookassa)
    yookassa.succeed(payment_id)
    notify(client, yookassa.notification(payment_id))
    token = guest_token(card_order)
    # YooKassa is down: the cancel is refused, nothing changes
    yookassa.fail(500)
    client.post(f"/orders/view/{token}/cancel", data={"csrf_token": csrf_token()})
    order = fresh(card_order)
    assert order.status == "paid" and order.payments[0].status == "succeeded"
    assert "did not answer" in guest_page(client, order).get_data(as_text=True)
    # and once it answers, the money goes back: the whole amount, keyed by the attempt
    client.post(f"/orders/view/{token}/cancel", data={"csrf_token": csrf_token()})
    order = fresh(card_order)
    assert order.status == "cancelled" and order.payments[0].status == "refunded"
    (refund,) = yookassa.refunds.values()
    assert refund["payment_id"] == payment_id
    assert refund["amount"] == {"value": f"{order.total:.2f}", "currency": "RUB"}
    refund_calls = yookassa.api_calls("POST", "/v3/refunds")
    assert {key for _m, _p, key in refund_calls} == {f"refund-{order.number}-1"}


def test_refund_refused_by_yookassa_keeps_the_order(client, csrf_token, yookassa, card_order):
    from shop.payments.base import ProviderRefused

    payment_id = start(client, card_order, yookassa)
    yookassa.succeed(payment_id)
    notify(client, yookassa.notification(payment_id))
    yookassa.refund_outcome = "canceled"
    from shop.orders.services import transition

    with pytest.raises(ProviderRefused):
        transition(card_order.id, "cancelled")
    order = fresh(card_order)
    assert order.status == "paid" and order.payments[0].status == "succeeded"


def test_fetch_payment_for_reconciliation(app, client, yookassa, card_order):
    from shop.payments.reconcile import reconcile

    payment_id = start(client, card_order, yookassa)
    assert reconcile() == []  # pending on both sides
    yookassa.succeed(payment_id)  # taken at YooKassa, not recorded here (no notification)
    (mismatch,) = reconcile()
    assert mismatch.reference == payment_id and "not recorded" in mismatch.problem
    notify(client, yookassa.notification(payment_id))
    assert reconcile() == []
    yookassa.fail(500)
    (down,) = reconcile()
    assert "could not ask the provider" in down.problem


def test_fake_requires_auth_and_an_idempotence_key(yookassa, app):
    from urllib.error import HTTPError
    from urllib.request import Request, urlopen

    def post(headers):
        request = Request(f"{yookassa.api_url}/payments", data=b"{}", method="POST",
                          headers=headers)
        with pytest.raises(HTTPError) as caught:
            urlopen(request, timeout=5)
        return caught.value.code, json.loads(caught.value.read())["code"]

    assert post({}) == (401, "invalid_credentials")
    import base64

    auth = base64.b64encode(f"{yookassa.shop_id}:{yookassa.secret_key}".encode()).decode()
    assert post({"Authorization": f"Basic {auth}"}) == (400, "invalid_request")


def test_same_key_same_body_is_the_same_payment(app, yookassa, card_order):
    from shop.payments import yookassa as client_module

    payment = card_order.payments[0]
    with app.test_request_context():
        body = client_module.payment_request(payment)
        first = client_module.call("POST", "/payments", body, key="k-1")
        second = client_module.call("POST", "/payments", body, key="k-1")
        assert first["id"] == second["id"] and len(yookassa.payments) == 1
        other = dict(body, description="something else")
        from shop.payments.base import ProviderRefused

        with pytest.raises(ProviderRefused):
            client_module.call("POST", "/payments", other, key="k-1")
    assert _db.session.scalar(select(func.count(Payment.id))) == 1


@pytest.mark.parametrize(("method", "words"), [
    ("yookassa_card", "returned to your card"),
    ("yookassa_sbp", "returned to the bank account you paid from"),
])
def test_cancellation_email_says_where_the_money_goes(client, yookassa, db, method, words):
    from shop.orders.services import cancel_by_customer

    order = place(payment=method)
    order.locale = "en"
    _db.session.commit()
    payment_id = start(client, order, yookassa)
    yookassa.succeed(payment_id)
    notify(client, yookassa.notification(payment_id))
    cancel_by_customer(fresh(order))
    (mail,) = mails("order_cancelled")
    assert words in mail.body_text and words in mail.body_html


def test_switched_off_yookassa_is_not_asked(app, client, csrf_token, yookassa, card_order,
                                             monkeypatch):
    start(client, card_order, yookassa)
    monkeypatch.setitem(app.config, "YOOKASSA_SECRET_KEY", None)
    calls = len(yookassa.requests)
    page = guest_page(client, card_order)
    assert page.status_code == 200 and "payment-confirming" not in page.get_data(as_text=True)
    token = guest_token(card_order)
    again = client.post(f"/payments/orders/view/{token}/pay", data={"csrf_token": csrf_token()})
    assert again.status_code == 302 and again.location.endswith(f"/orders/view/{token}")
    assert "not available at the moment" in guest_page(client, card_order).get_data(as_text=True)
    assert len(yookassa.requests) == calls
    assert notify(client, b'{"type": "notification"}').status_code == 400
