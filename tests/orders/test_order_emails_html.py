"""Order emails carry an HTML part next to the text one, in the order's language, escaped."""

import pytest

from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.services import transition
from tests.checkout.helpers import place


def _mail(kind):
    return _db.session.query(OutboxMessage).filter_by(kind=kind).one()


def test_placed_email_has_text_and_html(db):
    order = place()
    mail = _mail("order_placed")
    assert order.number in mail.body_text and order.number in mail.body_html
    assert "<html" in mail.body_html and "<table" in mail.body_html
    assert order.lines[0].product_name in mail.body_html
    assert 'href="http' in mail.body_html  # the link to the order
    assert "Здравствуйте" in mail.body_html  # the order's language (ru)


@pytest.mark.parametrize("status,kind", [("cancelled", "order_cancelled")])
def test_status_emails_have_html(db, status, kind):
    order = place()
    transition(order.id, status)
    mail = _mail(kind)
    assert order.number in mail.body_html and "<html" in mail.body_html


def test_shipped_email_has_html(db):
    order = place()
    for status in ("processing", "shipped"):
        transition(order.id, status)
    mail = _mail("order_shipped")
    assert order.number in mail.body_html and "Курьер" in mail.body_html


def test_customer_input_is_escaped_in_html(db):
    from shop.orders.models import Order

    order = place()
    _db.session.query(OutboxMessage).delete()
    order = _db.session.get(Order, order.id)
    order.customer_name = "<b>Иван</b>"
    _db.session.commit()
    transition(order.id, "cancelled")
    mail = _mail("order_cancelled")
    assert "&lt;b&gt;Иван&lt;/b&gt;" in mail.body_html and "<b>Иван" not in mail.body_html
