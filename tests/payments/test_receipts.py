"""54-FZ receipts built from an order (shop/payments/receipts.py), item by item: descriptions,
quantities, unit amounts, VAT codes, subjects, modes, and sums that match to the kopeck."""

import secrets
from decimal import Decimal

import pytest

from shop.cart import services as cart_services
from shop.checkout import services as checkout
from shop.core.vat import VatRate, vat_amount, vat_lines
from shop.extensions import db as _db
from shop.payments.base import RefundPart
from shop.payments.receipts import (
    items_total,
    payment_receipt,
    phone_digits,
    refund_receipt,
    settlement_receipt,
)
from tests.checkout.helpers import details, stocked
from tests.factories import DeliveryMethodFactory


def order_of(lines, delivery="300.00", delivery_vat="22", phone="+7 900 123-45-67"):
    """An order of (price, quantity, VAT rate, size) lines and a delivery method."""
    method = DeliveryMethodFactory(price=Decimal(delivery), free_from=None, vat_rate=delivery_vat)
    cart = None
    for price, quantity, vat, size in lines:
        variant = stocked(price=price, size=size, product__vat_rate=vat)
        cart = cart_services.add_item(cart, variant.id, quantity)
    return checkout.place_order(cart, details(method, phone=phone),
                                idempotency_key=secrets.token_urlsafe(16))


def money(value):
    return {"value": value, "currency": "RUB"}


def test_the_payment_receipt_item_by_item(db):
    order = order_of([("1234.00", 2, "22", "M"), ("99.90", 3, "10", None)])
    assert order.lines[0].vat_rate == "22" and order.lines[1].vat_rate == "10"
    assert order.delivery_vat_rate == "22"
    receipt = payment_receipt(order)
    assert receipt["customer"] == {"email": "buyer@example.com", "phone": "79001234567"}
    assert "tax_system_code" not in receipt  # not set: YooKassa uses the shop's own
    first, second, delivery = receipt["items"]
    assert first == {
        "description": f"{order.lines[0].product_name} (M)", "quantity": 2,
        "amount": money("1234.00"), "vat_code": 11, "payment_subject": "commodity",
        "payment_mode": "full_prepayment",
    }
    assert second == {
        "description": order.lines[1].product_name, "quantity": 3, "amount": money("99.90"),
        "vat_code": 3, "payment_subject": "commodity", "payment_mode": "full_prepayment",
    }
    assert delivery == {
        "description": "Курьер", "quantity": 1, "amount": money("300.00"), "vat_code": 11,
        "payment_subject": "service", "payment_mode": "full_prepayment",
    }
    assert items_total(receipt["items"]) == order.total == Decimal("3067.70")


def test_vat_codes_of_every_rate_and_no_item_for_free_delivery(db):
    order = order_of([("100.00", 1, "0", None), ("200.00", 1, "none", None)], delivery="0")
    codes = [item["vat_code"] for item in payment_receipt(order)["items"]]
    assert codes == [2, 1]  # 0%, without VAT; free delivery is no item


def test_the_delivery_keeps_its_own_rate(db):
    order = order_of([("100.00", 1, "22", None)], delivery="250.00", delivery_vat="none")
    delivery = payment_receipt(order)["items"][-1]
    assert delivery["payment_subject"] == "service" and delivery["vat_code"] == 1


def test_long_names_are_cut_to_128_characters(db):
    order = order_of([("100.00", 1, "22", None)])
    order.lines[0].product_name = "Очень длинное название " * 10
    item = payment_receipt(order)["items"][0]
    assert len(item["description"]) == 128


@pytest.mark.parametrize(("phone", "digits"), [
    ("+7 (900) 123-45-67", "79001234567"), ("8 900 123 45 67", "79001234567"),
    ("9001234567", "79001234567"), ("+44 20 7946 0958", "442079460958"), ("12-34", None),
])
def test_phone_in_the_form_yookassa_wants(phone, digits):
    assert phone_digits(phone) == digits


def test_without_a_usable_phone_the_email_alone(db):
    order = order_of([("100.00", 1, "22", None)], phone="доб. 12")
    assert payment_receipt(order)["customer"] == {"email": "buyer@example.com"}


def test_tax_system_code_is_sent_when_set(app, db):
    order = order_of([("100.00", 1, "22", None)])
    app.config["TAX_SYSTEM_CODE"] = 2
    try:
        assert payment_receipt(order)["tax_system_code"] == 2
        assert settlement_receipt(order, "pay-1")["tax_system_code"] == 2
    finally:
        app.config["TAX_SYSTEM_CODE"] = None


def test_a_line_that_does_not_divide_is_split_and_still_adds_up(db):
    order = order_of([("100.00", 3, "22", None)], delivery="0")
    order.lines[0].line_total = Decimal("100.00")  # e.g. 3 for 100 ₽
    order.subtotal = order.total = Decimal("100.00")
    items = payment_receipt(order)["items"]
    assert [(i["quantity"], i["amount"]["value"]) for i in items] == [(2, "33.33"), (1, "33.34")]
    assert items_total(items) == Decimal("100.00")
    _db.session.rollback()


def test_a_discount_is_spread_over_the_items(db):
    order = order_of([("1000.00", 1, "22", None), ("500.00", 2, "10", None)], delivery="300.00")
    items = payment_receipt(order, amount=Decimal("2000.00"))["items"]  # 2300 less 300
    assert items_total(items) == Decimal("2000.00")
    assert [i["vat_code"] for i in items] == [11, 3, 11]
    assert all(Decimal(i["amount"]["value"]) > 0 for i in items)


def test_refund_receipt_of_the_refunded_parts_only(db):
    order = order_of([("1234.00", 2, "22", "M"), ("99.90", 3, "10", None)])
    line = order.lines[1]
    parts = [RefundPart(line.id, 2, Decimal("199.80")), RefundPart(None, 1, Decimal("300.00"))]
    receipt = refund_receipt(order, Decimal("499.80"), parts)
    assert receipt["customer"]["email"] == "buyer@example.com"
    assert receipt["items"] == [
        {"description": line.product_name, "quantity": 2, "amount": money("99.90"),
         "vat_code": 3, "payment_subject": "commodity", "payment_mode": "full_prepayment"},
        {"description": "Курьер", "quantity": 1, "amount": money("300.00"), "vat_code": 11,
         "payment_subject": "service", "payment_mode": "full_prepayment"},
    ]
    # after the settlement receipt the goods were handed over: full payment
    settled = refund_receipt(order, Decimal("499.80"), parts, settled=True)
    assert {i["payment_mode"] for i in settled["items"]} == {"full_payment"}


def test_a_whole_refund_carries_every_item(db):
    order = order_of([("1234.00", 2, "22", "M"), ("99.90", 3, "10", None)])
    receipt = refund_receipt(order, order.total)
    assert receipt["items"] == payment_receipt(order)["items"]


def test_a_refund_of_another_orders_line_is_refused(db):
    order = order_of([("100.00", 1, "22", None)])
    with pytest.raises(ValueError):
        refund_receipt(order, Decimal("100.00"), [RefundPart(10**6, 1, Decimal("100.00"))])


def test_the_settlement_receipt(db):
    order = order_of([("1234.00", 2, "22", "M")])
    body = settlement_receipt(order, "2419a771-000f-5000-9000-1edaf29243f2")
    assert body["type"] == "payment" and body["send"] is True
    assert body["payment_id"] == "2419a771-000f-5000-9000-1edaf29243f2"
    assert body["settlements"] == [{"type": "prepayment", "amount": money("2768.00")}]
    assert {i["payment_mode"] for i in body["items"]} == {"full_payment"}
    assert [i["payment_subject"] for i in body["items"]] == ["commodity", "service"]
    assert items_total(body["items"]) == order.total


def test_vat_inside_a_vat_inclusive_amount():
    assert vat_amount(Decimal("122.00"), "22") == Decimal("22.00")
    assert vat_amount(Decimal("1234.00"), VatRate.VAT22) == Decimal("222.52")
    assert vat_amount(Decimal("110.00"), "10") == Decimal("10.00")
    assert vat_amount(Decimal("100.00"), "0") == vat_amount(Decimal("100.00"), "none") == 0
    assert vat_lines([(Decimal("100.00"), "10"), (Decimal("244.00"), "22"),
                      (Decimal("56.00"), "none"), (Decimal("10.00"), "10")]) == [
        (VatRate.VAT22, Decimal("44.00")), (VatRate.VAT10, Decimal("10.00"))]
