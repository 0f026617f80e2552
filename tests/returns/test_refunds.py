"""Refunds by line: amounts from the lines as sold, through the provider that took the money
(YooKassa: POST /refunds with the amount and the refund's own Idempotence-Key; cash: a manual
refund, no call), never more than is left, the order's status following, stock back only when
the goods came back, and a retried refund never made twice."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.core.errors import ValidationFailed
from shop.extensions import db
from shop.inventory.models import StockMovement
from shop.orders.models import OrderStatus
from shop.payments.models import PaymentStatus
from shop.returns import services
from shop.returns.models import Refund, RefundStatus
from tests.returns.helpers import fresh, mails


def lines(order):
    a, b = order.lines
    return a, b


def stock_of(line):
    db.session.expire_all()
    return line.variant.stock


def test_cash_order_refund_of_some_lines_is_manual(cash_order):
    a, b = lines(cash_order)
    refund = services.refund_lines(cash_order.id, {a.id: 1, b.id: 2}, "Брак", restock=False)
    assert refund.status == RefundStatus.SUCCEEDED and refund.method == "manual"
    assert refund.amount == Decimal("2000.00") and refund.payment_id is None
    order = fresh(cash_order)
    assert order.status == OrderStatus.PARTLY_REFUNDED
    event = order.events[-1]
    assert event.kind == "refunded_part" and event.note == "Брак"
    assert event.data["amount"] == "2000.00"
    assert [(x["sku"], x["quantity"]) for x in event.data["lines"]] == [(a.sku, 1), (b.sku, 2)]
    assert services.refundable(order) == {a.id: 1, b.id: 1, None: 1}
    assert len(mails("refund_made")) == 1


def test_refunding_everything_makes_the_order_refunded(cash_order):
    a, b = lines(cash_order)
    services.refund_lines(cash_order.id, {a.id: 2}, "first")
    assert fresh(cash_order).status == OrderStatus.PARTLY_REFUNDED
    services.refund_lines(cash_order.id, {b.id: 3, None: 1}, "the rest")
    order = fresh(cash_order)
    assert order.status == OrderStatus.REFUNDED
    total = db.session.scalar(select(func.sum(Refund.amount)).where(Refund.order_id == order.id))
    assert total == order.total


@pytest.mark.parametrize("parts", [
    {"a": 3},  # bought 2
    {"a": 2, "a2": 1},  # after a refund of 2 (see below) nothing is left
    {None: 2},
])
def test_over_refund_is_refused_and_changes_nothing(cash_order, parts):
    a, b = lines(cash_order)
    if "a2" in parts:
        services.refund_lines(cash_order.id, {a.id: 2}, "first")
        parts = {a.id: 1}
    else:
        parts = {(a.id if k == "a" else k): v for k, v in parts.items()}
    before = db.session.scalar(select(func.count(Refund.id)))
    status = fresh(cash_order).status
    with pytest.raises(ValidationFailed):
        services.refund_lines(cash_order.id, parts, "too much")
    assert db.session.scalar(select(func.count(Refund.id))) == before
    assert fresh(cash_order).status == status


def test_the_delivery_is_refunded_once(cash_order):
    services.refund_lines(cash_order.id, {None: 1}, "late courier")
    with pytest.raises(ValidationFailed):
        services.refund_lines(cash_order.id, {None: 1}, "again")


@pytest.mark.parametrize("parts", [{}, {999999: 1}, {"x": 1}, {1: "2"}, {1: -1}, {1: True}])
def test_nonsense_parts_are_refused(cash_order, parts):
    with pytest.raises(ValidationFailed):
        services.refund_lines(cash_order.id, parts, "reason")
    assert db.session.scalar(select(func.count(Refund.id))) == 0


def test_a_reason_is_required(cash_order):
    a, _b = lines(cash_order)
    with pytest.raises(ValidationFailed):
        services.refund_lines(cash_order.id, {a.id: 1}, "   ")


def test_an_order_not_delivered_is_not_refunded_by_line(db):
    from tests.returns.helpers import place_two_lines

    order = place_two_lines()
    with pytest.raises(services.NotRefundable):
        services.refund_lines(order.id, {order.lines[0].id: 1}, "reason")


def test_stock_comes_back_only_with_the_goods(cash_order):
    a, b = lines(cash_order)
    a_stock, b_stock = stock_of(a), stock_of(b)
    services.refund_lines(cash_order.id, {a.id: 1}, "lost by the courier", restock=False)
    assert (stock_of(a), stock_of(b)) == (a_stock, b_stock)
    services.refund_lines(cash_order.id, {b.id: 2}, "came back", restock=True)
    assert (stock_of(a), stock_of(b)) == (a_stock, b_stock + 2)
    movement = db.session.scalar(select(StockMovement).order_by(StockMovement.id.desc()))
    assert (movement.reason, movement.delta, movement.order_id) == ("return", 2, cash_order.id)


def test_yookassa_order_refund_of_some_lines(card_order, yookassa):
    a, b = lines(card_order)
    payment = card_order.payments[0]
    refund = services.refund_lines(card_order.id, {a.id: 1, None: 1}, "damaged")
    assert refund.status == RefundStatus.SUCCEEDED and refund.method == "yookassa"
    (call,) = yookassa.api_calls("POST", "/v3/refunds")
    assert call[2] == refund.idempotency_key == f"refund-{card_order.number}-{refund.id}"
    (sent,) = yookassa.refunds.values()
    assert sent["payment_id"] == payment.provider_reference
    assert sent["amount"] == {"value": "1390.00", "currency": "RUB"}
    order = fresh(card_order)
    assert order.status == OrderStatus.PARTLY_REFUNDED
    assert order.payments[0].status == PaymentStatus.SUCCEEDED  # the rest is still ours


def test_yookassa_full_refund_by_lines_refunds_once(card_order, yookassa):
    a, b = lines(card_order)
    services.refund_lines(card_order.id, {a.id: 2}, "one")
    services.refund_lines(card_order.id, {b.id: 3, None: 1}, "the rest")
    order = fresh(card_order)
    assert order.status == OrderStatus.REFUNDED
    assert order.payments[0].status == PaymentStatus.REFUNDED
    amounts = [r["amount"]["value"] for r in yookassa.refunds.values()]
    assert amounts == ["2000.00", "1890.00"]  # and no whole refund when the order closed
    paid = yookassa.payments[order.payments[0].provider_reference]
    assert paid["refunded_amount"]["value"] == f"{order.total:.2f}"


def test_provider_refusal_records_a_failed_refund_and_changes_nothing_else(card_order,
                                                                           yookassa):
    a, _b = lines(card_order)
    yookassa.fail(400)
    with pytest.raises(services.RefundFailed):
        services.refund_lines(card_order.id, {a.id: 1}, "damaged")
    (refund,) = db.session.scalars(select(Refund)).all()
    assert refund.status == RefundStatus.FAILED
    order = fresh(card_order)
    assert order.status == OrderStatus.DELIVERED and order.events[-1].kind != "refunded_part"
    assert services.refundable(order)[a.id] == 2  # a failed refund takes nothing
    assert mails("refund_made") == []


def test_a_retried_refund_is_not_made_twice(card_order, yookassa):
    a, _b = lines(card_order)
    yookassa.drop()  # YooKassa refunds, the answer is lost
    with pytest.raises(services.RefundPending):
        services.refund_lines(card_order.id, {a.id: 1}, "damaged")
    (refund,) = db.session.scalars(select(Refund)).all()
    assert refund.status == RefundStatus.PENDING
    assert fresh(card_order).status == OrderStatus.DELIVERED
    with pytest.raises(services.RefundInProgress):  # nothing else until it is settled
        services.refund_lines(card_order.id, {a.id: 1}, "again")
    services.retry_refund(refund.id)
    calls = yookassa.api_calls("POST", "/v3/refunds")
    assert len(calls) == 2 and calls[0][2] == calls[1][2] == refund.idempotency_key
    assert len(yookassa.refunds) == 1
    paid = yookassa.payments[card_order.payments[0].provider_reference]
    assert paid["refunded_amount"]["value"] == "1000.00"
    db.session.expire_all()
    assert db.session.get(Refund, refund.id).status == RefundStatus.SUCCEEDED
    assert fresh(card_order).status == OrderStatus.PARTLY_REFUNDED
    with pytest.raises(services.RefundRefused):  # settled: nothing to retry
        services.retry_refund(refund.id)
    assert len(yookassa.api_calls("POST", "/v3/refunds")) == 2


def test_the_refund_email_is_in_the_shoppers_language(cash_order):
    from shop.orders.models import Order

    order = db.session.get(Order, cash_order.id)
    order.locale = "en"
    db.session.commit()
    a, _b = lines(cash_order)
    services.refund_lines(cash_order.id, {a.id: 1}, "reason")
    (mail,) = mails("refund_made")
    assert mail.locale == "en" and cash_order.number in mail.subject
    assert "1" in mail.body_text and a.sku not in mail.subject
