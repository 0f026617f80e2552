"""Phone orders (shop.checkout.phone, issue 19.3): placed by staff through the storefront's own
place_order, for a registered customer or as a guest order; stock guarded; the source in the
timeline; a payment link emailed for a card order, and the link pays the order at the fake
YooKassa."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.cart.models import Cart, CartLine
from shop.cart.services import InvalidQuantity
from shop.checkout.phone import (
    NoLines,
    PhoneLine,
    UnknownSku,
    is_phone_order,
    new_form_key,
    parse_lines,
    place_phone_order,
    send_payment_link,
)
from shop.checkout.services import Details, OutOfStock
from shop.core.errors import ValidationFailed
from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.legal.models import Consent
from shop.notifications.models import OutboxMessage
from shop.orders.models import EventKind, Order
from shop.orders.services import guest_token
from tests.checkout.helpers import stocked
from tests.factories import DeliveryMethodFactory, UserFactory
from tests.payments import conftest as payments
from tests.payments.fake_yookassa import YOOKASSA_ADDRESS

yookassa = payments.yookassa  # the fake YooKassa, served for the app
META_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0;url=([^"]+)">')


@pytest.fixture()
def staff(db):
    return UserFactory(roles=["manager"], email="manager@example.com")


@pytest.fixture()
def courier(db):
    return DeliveryMethodFactory(price=Decimal("300.00"), needs_address=True)


@pytest.fixture()
def pickup(db):
    return DeliveryMethodFactory(price=Decimal("0.00"), needs_address=False)


def details(method, payment="cash", address="101000, Москва, ул. Мясницкая, 1", **kw):
    data = dict(email="caller@example.com", phone="+7 900 765-43-21", name="Анна Звонкова",
                delivery_method_id=method.id, payment_method=payment, address=address)
    data.update(kw)
    return Details(**data)


def place(staff, lines, method, payment="cash", customer_id=None, key=None, **kw):
    return place_phone_order(
        lines, details(method, payment, **kw), staff=staff, form_key=key or new_form_key(),
        customer_id=customer_id, consent_given=True, ip="10.0.0.1")


def mails(kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return _db.session.scalars(query).all()


def counts():
    return (_db.session.scalar(select(func.count(Order.id))),
            _db.session.scalar(select(func.count(Cart.id))),
            _db.session.scalar(select(func.count(CartLine.id))),
            _db.session.scalar(select(func.count(OutboxMessage.id))))


def test_an_existing_customer_pays_cash_on_delivery(staff, courier):
    customer = UserFactory(email="regular@example.com", locale="en")
    shirt = stocked(stock=5, price="1000.00", sku="SHIRT-M")
    socks = stocked(stock=9, price="250.50", sku="SOCKS-1")
    order = place(staff, [PhoneLine("shirt-m", 2), PhoneLine("SOCKS-1", 3)], courier,
                  customer_id=customer.id, email="typed@example.com")
    assert order.user_id == customer.id and order.email == "regular@example.com"
    assert order.locale == "en"  # the customer's own language
    assert [(line.sku, line.quantity) for line in order.lines] == [("SHIRT-M", 2), ("SOCKS-1", 3)]
    assert order.subtotal == Decimal("2751.50") and order.total == Decimal("3051.50")
    assert order.vat_lines[0][1] == Decimal("550.27")  # 22% inside 3051.50
    assert order.expires_at is None  # cash: nothing to wait for
    _db.session.refresh(shirt)
    _db.session.refresh(socks)
    assert (shirt.stock, socks.stock) == (3, 6)
    placed = order.events[0]
    assert placed.kind == EventKind.PLACED and placed.data == {"source": "phone"}
    assert placed.actor_id == staff.id and is_phone_order(order)
    consents = _db.session.scalars(select(Consent).where(Consent.order_id == order.id)).all()
    assert {c.kind for c in consents} == {"offer", "privacy"}
    assert all("manager@example.com" in c.user_agent for c in consents)
    assert all(c.ip_address is None for c in consents)  # not the customer's: none
    assert [m.kind for m in mails()] == ["order_placed"]
    # the staff member's cart is gone with the order placed
    assert _db.session.scalar(select(func.count(Cart.id))) == 0


def test_a_new_customer_gets_a_guest_order_and_a_payment_link(app, staff, courier):
    stocked(stock=3, price="1200.00", sku="BAG-1")
    order = place(staff, [PhoneLine("BAG-1", 1)], courier, payment="card")
    assert order.user_id is None and order.email == "caller@example.com"
    # a day to pay from the email, not the storefront's half an hour
    assert order.expires_at > utcnow() + timedelta(hours=23)
    (link_mail,) = mails("order_payment_link")
    assert link_mail.recipient == "caller@example.com"
    assert f"/payments/orders/view/{guest_token(order)}/go" in link_mail.body_text
    assert f"/payments/orders/view/{guest_token(order)}/go" in link_mail.body_html
    kinds = [e.kind for e in order.events]
    assert kinds == [EventKind.PLACED, EventKind.PAYMENT_LINK_SENT]


def test_a_registered_customer_pays_from_their_order_page(staff, pickup):
    customer = UserFactory(email="member@example.com")
    stocked(stock=3, sku="CAP-1")
    order = place(staff, [PhoneLine("CAP-1", 1)], pickup, payment="card",
                  customer_id=customer.id, address=None)
    (link_mail,) = mails("order_payment_link")
    assert f"/orders/{order.number}" in link_mail.body_text
    assert link_mail.recipient == "member@example.com"


def test_pickup_needs_no_address_and_a_courier_does(staff, courier, pickup):
    stocked(stock=3, sku="MUG-1")
    order = place(staff, [PhoneLine("MUG-1", 1)], pickup, address="")
    assert order.shipping_address is None and order.delivery_price == 0
    before = counts()
    with pytest.raises(ValidationFailed):
        place(staff, [PhoneLine("MUG-1", 1)], courier, address="  ")
    assert counts() == before


def test_stock_is_refused_and_nothing_is_written(staff, courier):
    variant = stocked(stock=2, sku="LAST-2")
    before = counts()
    with pytest.raises(OutOfStock) as caught:
        place(staff, [PhoneLine("LAST-2", 3)], courier)
    assert caught.value.details["lines"]
    assert counts() == before
    _db.session.refresh(variant)
    assert variant.stock == 2


@pytest.mark.parametrize(("lines", "error"), [
    ([PhoneLine("NO-SUCH", 1)], UnknownSku),
    ([], NoLines),
])
def test_bad_lines_are_refused(staff, courier, lines, error):
    stocked(stock=2, sku="REAL-1")
    before = counts()
    with pytest.raises(error):
        place(staff, lines, courier)
    assert counts() == before


def test_parsing_the_lines():
    assert parse_lines(["a-1", "", " A-1 ", "B-2"], ["1", "", "2", "5"]) == [
        PhoneLine("a-1", 3), PhoneLine("B-2", 5)]
    with pytest.raises(InvalidQuantity):
        parse_lines(["A-1"], ["0"])
    with pytest.raises(InvalidQuantity):
        parse_lines(["A-1"], ["1.5"])
    with pytest.raises(InvalidQuantity):
        parse_lines(["A-1", "a-1"], ["60", "60"])
    with pytest.raises(NoLines):
        parse_lines(["", " "], ["1", "1"])
    with pytest.raises(ValidationFailed):
        parse_lines(["", "B"], ["4", "1"])  # a quantity without its SKU


def test_the_consent_is_required(staff, courier):
    stocked(stock=2, sku="REAL-1")
    before = counts()
    with pytest.raises(ValidationFailed):
        place_phone_order([PhoneLine("REAL-1", 1)], details(courier), staff=staff,
                          form_key=new_form_key(), consent_given=False)
    assert counts() == before


def test_the_same_form_twice_gives_one_order_and_one_email(staff, courier):
    stocked(stock=5, sku="TWICE-1")
    key = new_form_key()
    first = place(staff, [PhoneLine("TWICE-1", 1)], courier, payment="card", key=key)
    second = place(staff, [PhoneLine("TWICE-1", 1)], courier, payment="card", key=key)
    assert first.id == second.id
    assert len(mails("order_payment_link")) == 1 and len(mails("order_placed")) == 1


def test_a_form_key_not_of_the_page_is_refused(staff, courier):
    stocked(stock=5, sku="KEY-1")
    with pytest.raises(ValidationFailed):
        place(staff, [PhoneLine("KEY-1", 1)], courier, key="storefront-key")


def test_the_link_is_sent_again_only_while_the_order_waits(staff, courier):
    stocked(stock=5, sku="AGAIN-1")
    card = place(staff, [PhoneLine("AGAIN-1", 1)], courier, payment="card")
    send_payment_link(card.id, staff=staff)
    assert len(mails("order_payment_link")) == 2
    cash = place(staff, [PhoneLine("AGAIN-1", 1)], courier)
    with pytest.raises(ValidationFailed):
        send_payment_link(cash.id, staff=staff)


def test_the_emailed_link_pays_the_order_at_yookassa(client, yookassa, staff, courier):
    stocked(stock=5, price="990.00", sku="YK-1")
    order = place(staff, [PhoneLine("YK-1", 1)], courier, payment="yookassa_card")
    (link_mail,) = mails("order_payment_link")
    link = re.search(r"http://\S+/go", link_mail.body_text).group(0)
    page = client.get(link.split("127.0.0.1:8000", 1)[1])
    assert page.status_code == 200
    target = META_REFRESH.search(page.get_data(as_text=True)).group(1)
    payment_id = target.rsplit("/", 1)[1]
    assert yookassa.payments[payment_id]["amount"] == {"value": f"{order.total:.2f}",
                                                       "currency": "RUB"}
    yookassa.succeed(payment_id)
    answer = client.post("/payments/webhook/yookassa", data=yookassa.notification(payment_id),
                         content_type="application/json",
                         environ_base={"REMOTE_ADDR": YOOKASSA_ADDRESS})
    assert answer.json == {"result": "applied"}
    _db.session.expire_all()
    assert _db.session.get(Order, order.id).status == "paid"
