"""Issue 14.6, order emails as a new shopper saw them:

- a pickup order marked shipped was "on its way"; it is ready for pickup, and the email says where;
- status emails went out in the order's language to a registered shopper who had chosen another
  one; they follow the shopper's saved language (a guest's: the order's);
- the confirmation named no delivery address or method; it names both (or the pickup point);
- "someone tried to register with your address" was titled "Welcome to Lavka".

Each test reads the OutboxMessage rows the services wrote, in both languages.
"""

import secrets
from decimal import Decimal

import pytest
from flask import current_app
from sqlalchemy import select

from shop.cart import services as cart_services
from shop.checkout import services as checkout
from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.services import transition
from tests.checkout.helpers import details, stocked
from tests.factories import DeliveryMethodFactory, UserFactory

ADDRESS = "101000, Москва, ул. Мясницкая, 1"
POINT = {"ru": "Москва, ул. Мясницкая, 10", "en": "Moscow, 10 Myasnitskaya St."}


def _pickup():
    return DeliveryMethodFactory(
        needs_address=False, price=Decimal("0"), free_from=None,
        name_ru="Самовывоз", name_en="Pickup",
        description_ru=POINT["ru"], description_en=POINT["en"],
    )


def _place(locale="ru", method=None, user_id=None, payment="cash", address=ADDRESS):
    method = method or DeliveryMethodFactory()
    cart = cart_services.add_item(None, stocked().id, 1, user_id=user_id)
    return checkout.place_order(
        cart,
        details(method, payment=payment, address=address if method.needs_address else None),
        idempotency_key=secrets.token_urlsafe(12),
        user_id=user_id,
        locale=locale,
    )


def _mails(kind=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return _db.session.scalars(query).all()


def _public_url():
    return str(current_app.config["PUBLIC_URL"]).rstrip("/")


def _ship(order):
    transition(order.id, "processing")
    transition(order.id, "shipped")


# --- pickup: ready for pickup, not on its way ---------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "subject", "ready", "where", "to_pay", "wrong"),
    [
        ("en", "Your order {} is ready for pickup", "Your order {} is ready for pickup.",
         "Pick up at: " + POINT["en"], "To pay on collection:", ("on its way", "shipped")),
        ("ru", "Заказ {} готов к выдаче", "Ваш заказ {} готов к выдаче.",
         "Где забрать: " + POINT["ru"], "К оплате при получении:", ("в пути", "отправлен")),
    ],
)
def test_a_shipped_pickup_order_is_ready_for_pickup_and_says_where(
    db, lang, subject, ready, where, to_pay, wrong
):
    order = _place(lang, method=_pickup())
    _ship(order)
    assert _mails("order_shipped") == []
    [mail] = _mails("order_ready_for_pickup")
    assert mail.locale == lang and mail.recipient == "buyer@example.com"
    assert mail.subject == subject.format(order.number)
    for body in (mail.body_text, mail.body_html):
        assert ready.format(order.number) in body
        assert to_pay in body  # cash, not paid yet: the amount to bring
        assert not any(word in body for word in wrong)
    assert where in mail.body_text
    assert POINT[lang] in mail.body_html and "<html" in mail.body_html
    assert f"{_public_url()}/orders/view/" in mail.body_text  # the guest's link, as before


def test_a_courier_order_is_still_on_its_way(db):
    order = _place("en")
    _ship(order)
    assert _mails("order_ready_for_pickup") == []
    [mail] = _mails("order_shipped")
    assert "on its way" in mail.subject and "has been shipped (Courier)" in mail.body_text


# --- status emails in the shopper's language ----------------------------------------------------


@pytest.mark.parametrize(
    ("saved", "placed_in", "shipped", "cancelled", "courier"),
    [
        ("en", "ru", "is on its way", "has been cancelled", "Courier"),
        ("ru", "en", "уже в пути", "отменён", "Курьер"),
    ],
)
def test_status_emails_follow_the_registered_shoppers_saved_language(
    db, saved, placed_in, shipped, cancelled, courier
):
    user = UserFactory(locale=saved)
    first = _place(placed_in, user_id=user.id)
    second = _place(placed_in, user_id=user.id)
    [confirmation, _] = _mails("order_placed")
    assert confirmation.locale == placed_in  # written while the shopper read that language
    _ship(first)
    transition(second.id, "cancelled")
    [mail] = _mails("order_shipped")
    assert mail.locale == saved and shipped in mail.subject
    assert courier in mail.body_text and courier in mail.body_html
    # the link to "My orders", built from PUBLIC_URL as before
    assert f"{_public_url()}/account/orders/{first.number}" in mail.body_text
    [mail] = _mails("order_cancelled")
    assert mail.locale == saved and cancelled in mail.subject
    assert second.number in mail.body_text


def test_a_registered_shoppers_pickup_email_is_in_their_language(db):
    user = UserFactory(locale="en")
    order = _place("ru", method=_pickup(), user_id=user.id)
    _ship(order)
    [mail] = _mails("order_ready_for_pickup")
    assert mail.locale == "en" and "ready for pickup" in mail.subject
    assert POINT["en"] in mail.body_text and POINT["ru"] not in mail.body_text


@pytest.mark.parametrize(("lang", "word"), [("en", "on its way"), ("ru", "в пути")])
def test_a_guests_status_emails_keep_the_orders_language(db, lang, word):
    order = _place(lang)
    _ship(order)
    [mail] = _mails("order_shipped")
    assert mail.locale == lang and word in mail.subject


# --- the confirmation names the delivery ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "method", "address"),
    [
        ("en", "Delivery method: Courier", "Delivery address: " + ADDRESS),
        ("ru", "Способ доставки: Курьер", "Адрес доставки: " + ADDRESS),
    ],
)
def test_the_confirmation_names_the_delivery_method_and_address(db, lang, method, address):
    order = _place(lang)
    [mail] = _mails("order_placed")
    assert mail.locale == lang and order.number in mail.subject
    for body in (mail.body_text, mail.body_html):
        assert method in body and ADDRESS in body
    assert address in mail.body_text
    assert POINT[lang] not in mail.body_text  # no pickup point for a courier


@pytest.mark.parametrize(
    ("lang", "method", "where", "address"),
    [
        ("en", "Delivery method: Pickup", "Pick up at: ", "Delivery address"),
        ("ru", "Способ доставки: Самовывоз", "Где забрать: ", "Адрес доставки"),
    ],
)
def test_the_confirmation_of_a_pickup_order_names_the_pickup_point(
    db, lang, method, where, address
):
    _place(lang, method=_pickup())
    [mail] = _mails("order_placed")
    for body in (mail.body_text, mail.body_html):
        assert method in body and POINT[lang] in body and address not in body
    assert where + POINT[lang] in mail.body_text


def test_the_address_is_escaped_in_the_html_confirmation(db):
    _place("en", address="Москва, <b>Тверская</b>, 1")
    [mail] = _mails("order_placed")
    assert "Москва, &lt;b&gt;Тверская&lt;/b&gt;, 1" in mail.body_html
    assert "<b>Тверская" not in mail.body_html
    assert "Delivery address: Москва, <b>Тверская</b>, 1" in mail.body_text  # plain text as typed


# --- "someone tried to register with your address" ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "subject"),
    [
        ("en", "Someone tried to register with your email address"),
        ("ru", "Кто-то попытался зарегистрироваться с вашим адресом электронной почты"),
    ],
)
def test_the_already_registered_notice_has_its_own_subject(db, lang, subject):
    from shop.accounts.services import queue_already_registered

    user = UserFactory(email="known@example.com", locale=lang)
    queue_already_registered(user.id)
    [mail] = _mails("account_welcome_existing")
    assert mail.locale == lang and mail.recipient == "known@example.com"
    assert mail.subject == subject
    assert "Welcome" not in mail.subject and "Добро пожаловать" not in mail.subject
