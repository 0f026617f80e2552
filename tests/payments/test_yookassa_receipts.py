"""54-FZ receipts through YooKassa, end to end against the local fake, which checks them as
YooKassa does (a customer, known VAT codes, items adding up to the amount): the prepayment
receipt with every payment, the settlement receipt when the order is handed over (retried after
a failure, never twice), the refund receipt of exactly the refunded items."""

import json
from decimal import Decimal
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import select

from shop.extensions import db as _db
from shop.orders.models import Order
from shop.orders.services import transition
from shop.payments.base import ProviderRefused, RefundPart
from shop.payments.models import FiscalReceipt
from shop.payments.settlement import retry_receipts
from shop.payments.yookassa import YooKassa, call
from tests.checkout.helpers import place, stocked
from tests.factories import DeliveryMethodFactory
from tests.payments.test_yookassa import META_REFRESH, fresh, notify, start


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def paid_order(client, yookassa, payment="yookassa_card", quantity=2):
    variant = stocked(price="1234.00", product__vat_rate="10")
    method = DeliveryMethodFactory(price=Decimal("300.00"), free_from=None)
    order = place(variant, quantity=quantity, payment=payment, method=method)
    payment_id = start(client, order, yookassa)
    yookassa.succeed(payment_id)
    assert notify(client, yookassa.notification(payment_id)).json == {"result": "applied"}
    return fresh(order), payment_id


def hand_over(order):
    for status in ("processing", "shipped", "delivered"):
        transition(order.id, status)


def receipts():
    _db.session.expire_all()
    return _db.session.scalars(select(FiscalReceipt)).all()


@pytest.mark.parametrize("method", ["yookassa_card", "yookassa_sbp"])
def test_purchase_through_checkout_sends_the_prepayment_receipt(client, csrf_token, yookassa,
                                                                db, method):
    from tests.checkout.test_views import add, checkout

    variant = stocked(price="1234.00")
    delivery = DeliveryMethodFactory(price=Decimal("390.00"), free_from=None)
    csrf = csrf_token()
    add(client, csrf, variant.id)
    placed = client.post("/checkout/place", data=checkout(client, csrf, delivery,
                                                          payment_method=method))
    page = client.get(placed.location)
    payment_id = META_REFRESH.search(page.get_data(as_text=True)).group(1).rsplit("/", 1)[1]
    order = _db.session.scalars(select(Order)).one()
    receipt = yookassa.payment_receipts[payment_id]  # the fake checked it: it adds up
    assert receipt["customer"]["email"] == order.email
    assert [(i["quantity"], i["amount"]["value"], i["vat_code"], i["payment_subject"],
             i["payment_mode"]) for i in receipt["items"]] == [
        (1, "1234.00", 11, "commodity", "full_prepayment"),
        (1, "390.00", 11, "service", "full_prepayment"),
    ]
    yookassa.succeed(payment_id)
    assert notify(client, yookassa.notification(payment_id)).json == {"result": "applied"}
    assert fresh(order).status == "paid"


def test_the_fake_refuses_receipts_yookassa_would(app, yookassa, db):
    def post(body, key):
        import base64

        auth = base64.b64encode(f"{yookassa.shop_id}:{yookassa.secret_key}".encode()).decode()
        request = Request(f"{yookassa.api_url}/payments", data=json.dumps(body).encode(),
                          method="POST", headers={"Authorization": f"Basic {auth}",
                                                  "Idempotence-Key": key})
        with pytest.raises(HTTPError) as caught:
            urlopen(request, timeout=5)  # noqa: S310 - the local fake
        return caught.value.code, json.loads(caught.value.read())

    item = {"description": "Кеды", "quantity": 2, "amount": {"value": "500.00",
            "currency": "RUB"}, "vat_code": 11, "payment_subject": "commodity",
            "payment_mode": "full_prepayment"}
    body = {"amount": {"value": "1000.00", "currency": "RUB"}, "capture": True,
            "confirmation": {"type": "redirect", "return_url": "http://127.0.0.1/"},
            "receipt": {"customer": {"email": "a@example.com"}, "items": [item]}}
    bad = [
        {k: v for k, v in body.items() if k != "receipt"},
        dict(body, receipt={"items": [item]}),
        dict(body, receipt={"customer": {"email": "a@example.com"},
                            "items": [dict(item, vat_code=13)]}),
        dict(body, receipt={"customer": {"email": "a@example.com"},
                            "items": [dict(item, quantity=1)]}),
    ]
    for number, wrong in enumerate(bad):
        status, error = post(wrong, f"k-{number}")
        assert (status, error["code"]) == (400, "invalid_request"), wrong
    assert yookassa.payments == {}


def test_settlement_receipt_when_the_order_is_handed_over(client, yookassa, db):
    order, payment_id = paid_order(client, yookassa)
    transition(order.id, "processing")
    transition(order.id, "shipped")
    assert yookassa.receipts == {} and receipts() == []  # not before it is handed over
    transition(order.id, "delivered")
    (receipt,) = yookassa.receipts.values()
    assert receipt["type"] == "payment" and receipt["payment_id"] == payment_id
    assert receipt["send"] is True and receipt["customer"]["email"] == order.email
    assert receipt["settlements"] == [{"type": "prepayment",
                                       "amount": {"value": "2768.00", "currency": "RUB"}}]
    assert [(i["quantity"], i["amount"]["value"], i["vat_code"], i["payment_subject"],
             i["payment_mode"]) for i in receipt["items"]] == [
        (2, "1234.00", 3, "commodity", "full_payment"),
        (1, "300.00", 11, "service", "full_payment"),
    ]
    (row,) = receipts()
    assert (row.status, row.provider_reference, row.attempts) == ("sent", receipt["id"], 1)
    (posted,) = yookassa.api_calls("POST", "/v3/receipts")
    assert posted[2] == f"settle-{order.number}-1"
    # YooKassa lists it with the payment's receipts
    listed = call("GET", f"/receipts?payment_id={payment_id}")
    assert [r["id"] for r in listed["items"]] == [receipt["id"]]
    assert retry_receipts() == (0, 0)
    assert len(yookassa.receipts) == 1


def test_a_failed_settlement_receipt_does_not_hold_the_order_and_is_retried(app, client,
                                                                            yookassa, db):
    order, payment_id = paid_order(client, yookassa, payment="yookassa_sbp")
    transition(order.id, "processing")
    transition(order.id, "shipped")
    yookassa.fail(500)
    transition(order.id, "delivered")  # YooKassa is down: the order is delivered all the same
    assert fresh(order).status == "delivered" and yookassa.receipts == {}
    (row,) = receipts()
    assert row.status == "failed" and row.attempts == 1 and "500" in row.last_error
    # staff see it on the order
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["payments", "receipts"])
    assert listed.exit_code == 1 and order.number in listed.output and "failed" in listed.output
    # the retry (cron) sends it, under the same key
    retried = runner.invoke(args=["payments", "receipts", "--retry"])
    assert retried.exit_code == 0, retried.output
    assert "1 receipt(s) sent" in retried.output
    (row,) = receipts()
    assert row.status == "sent" and row.attempts == 2
    keys = {key for _m, _p, key in yookassa.api_calls("POST", "/v3/receipts")}
    assert keys == {f"settle-{order.number}-1"} and len(yookassa.receipts) == 1
    assert runner.invoke(args=["payments", "receipts", "--retry"]).exit_code == 0
    assert len(yookassa.receipts) == 1


def test_a_lost_answer_makes_one_receipt(client, yookassa, db):
    order, payment_id = paid_order(client, yookassa)
    transition(order.id, "processing")
    transition(order.id, "shipped")
    yookassa.drop()  # YooKassa makes the receipt, the answer is lost
    transition(order.id, "delivered")
    assert receipts()[0].status == "failed"
    assert retry_receipts() == (1, 0)
    assert len(yookassa.receipts) == 1


def test_cash_orders_get_no_receipt_from_yookassa(yookassa, db):
    order = place(payment="cash")
    hand_over(order)
    assert receipts() == [] and yookassa.api_calls() == []


def test_partial_refund_carries_the_receipt_of_the_refunded_items(app, client, yookassa, db):
    order, payment_id = paid_order(client, yookassa, quantity=3)
    payment, line = order.payments[0], order.lines[0]
    parts = [RefundPart(line.id, 1, Decimal("1234.00")), RefundPart(None, 1, Decimal("300.00"))]
    YooKassa().refund(payment, Decimal("1534.00"), parts, key="refund-test-1")
    (refund,) = yookassa.refunds.values()
    receipt = yookassa.refund_receipts[refund["id"]]
    assert refund["amount"]["value"] == "1534.00"
    assert [(i["quantity"], i["amount"]["value"], i["vat_code"], i["payment_subject"],
             i["payment_mode"]) for i in receipt["items"]] == [
        (1, "1234.00", 3, "commodity", "full_prepayment"),
        (1, "300.00", 11, "service", "full_prepayment"),
    ]
    # after the hand-over the refunded goods were settled: full payment
    hand_over(order)
    YooKassa().refund(fresh(order).payments[0], Decimal("1234.00"),
                      [RefundPart(line.id, 1, Decimal("1234.00"))], key="refund-test-2")
    second = [r for r in yookassa.refunds.values() if r["id"] != refund["id"]][0]
    (item,) = yookassa.refund_receipts[second["id"]]["items"]
    assert (item["quantity"], item["payment_mode"]) == (1, "full_payment")


def test_a_whole_refund_carries_every_item(client, csrf_token, yookassa, db):
    order, payment_id = paid_order(client, yookassa)
    transition(order.id, "cancelled")
    (refund,) = yookassa.refunds.values()
    items = yookassa.refund_receipts[refund["id"]]["items"]
    assert [(i["quantity"], i["amount"]["value"], i["payment_subject"]) for i in items] == [
        (2, "1234.00", "commodity"), (1, "300.00", "service")]
    assert fresh(order).payments[0].status == "refunded"


def test_a_refund_whose_parts_do_not_add_up_is_refused(client, yookassa, db):
    order, payment_id = paid_order(client, yookassa)
    line = order.lines[0]
    # the parts say 1234, the amount 1000: our receipt adds up to 1000, spread over the part
    YooKassa().refund(order.payments[0], Decimal("1000.00"),
                      [RefundPart(line.id, 1, Decimal("1234.00"))], key="refund-odd")
    (refund,) = yookassa.refunds.values()
    (item,) = yookassa.refund_receipts[refund["id"]]["items"]
    assert item["amount"]["value"] == "1000.00"
    with pytest.raises(ProviderRefused):  # more than was paid: YooKassa says no
        YooKassa().refund(order.payments[0], Decimal("9000.00"),
                          [RefundPart(line.id, 1, Decimal("9000.00"))], key="refund-big")
