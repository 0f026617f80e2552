""""Including VAT 22%: X" per rate on the cart, the checkout review, the order page and the order
email (text and HTML), in Russian and in English (issue 17.2); the packing slip's is tested with
the back office (tests/admin/test_vat_rates.py)."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order
from shop.orders.services import guest_token
from tests.checkout.helpers import stocked
from tests.checkout.test_views import add, checkout
from tests.factories import DeliveryMethodFactory

WORDS = {"en": "including VAT {rate}%: ", "ru": "в том числе НДС {rate}%: "}
# 610 ₽ at 22% (110 VAT), 110 ₽ at 10% (10 VAT), delivery 122 ₽ at 22% (22 VAT)
GOODS = {"22": "110", "10": "10"}
WITH_DELIVERY = {"22": "132", "10": "10"}


def vat_shown(text, lang, rate, whole) -> bool:
    """The line "including VAT <rate>%: <whole>.00 ₽" (in the language's number format)."""
    pattern = re.escape(WORDS[lang].format(rate=rate)) + r"[^<\n]*?" + whole + r"[.,]00"
    return re.search(pattern, text) is not None


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_vat_lines_from_cart_to_email(client, csrf_token, db, lang):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    standard = stocked(price="610.00", product__vat_rate="22")
    reduced = stocked(price="110.00", product__vat_rate="10")
    delivery = DeliveryMethodFactory(price=Decimal("122.00"), free_from=None, vat_rate="22")
    csrf = csrf_token()
    add(client, csrf, standard.id)
    add(client, csrf, reduced.id)

    cart = client.get(f"/cart?lang={lang}").get_data(as_text=True)
    for rate, whole in GOODS.items():
        assert vat_shown(cart, lang, rate, whole), cart

    fields = checkout(client, csrf, delivery)
    review = client.get(f"/checkout/review?lang={lang}").get_data(as_text=True)
    for rate, whole in WITH_DELIVERY.items():
        assert vat_shown(review, lang, rate, whole)

    assert client.post("/checkout/place", data=fields).status_code in (302, 303)
    order = _db.session.scalars(select(Order)).one()
    assert [line.vat_rate for line in order.lines] == ["22", "10"]
    assert order.delivery_vat_rate == "22"
    page = client.get(f"/orders/view/{guest_token(order)}?lang={lang}").get_data(as_text=True)
    assert page.count('data-testid="vat-line"') == 2
    for rate, whole in WITH_DELIVERY.items():
        assert vat_shown(page, lang, rate, whole)

    mail = _db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "order_placed")).one()
    for rate, whole in WITH_DELIVERY.items():
        assert vat_shown(mail.body_text, lang, rate, whole), mail.body_text
        assert vat_shown(mail.body_html, lang, rate, whole)


def test_the_rate_is_kept_when_the_product_changes_later(db):
    from tests.checkout.helpers import place

    variant = stocked(price="610.00", product__vat_rate="10")
    order = place(variant)
    variant.product.vat_rate = "22"
    _db.session.commit()
    _db.session.expire_all()
    order = _db.session.get(Order, order.id)
    assert order.lines[0].vat_rate == "10"
    rates = [rate.value for rate, _vat in order.vat_lines]
    assert rates == ["22", "10"]  # the delivery (22% by default) and the line as sold


def test_no_vat_line_without_vat(client, csrf_token, db):
    variant = stocked(price="500.00", product__vat_rate="none")
    add(client, csrf_token(), variant.id)
    assert 'data-testid="vat-line"' not in client.get("/cart").get_data(as_text=True)


@pytest.mark.parametrize(("lang", "label"), [("en", "Paid: YooKassa"), ("ru", "Оплачен: ЮKassa")])
def test_the_timeline_names_yookassa_not_its_code(app, lang, label):
    """A YooKassa payment's event says "yookassa" in its data (the provider, for card and СБП
    alike): the reader sees the provider's name in their language, not the code."""
    from flask_babel import force_locale

    from shop.orders.models import OrderEvent

    with app.test_request_context(), force_locale(lang):
        assert OrderEvent(kind="paid", data={"provider": "yookassa"}).note_label == label
