"""QA regression: a card order cancelled for not being paid in time says so, in the email and on
the order page (before, the shopper only read "cancelled", with no reason)."""

from datetime import timedelta

from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.services import cancel_by_customer, expire_unpaid, guest_token
from tests.checkout.helpers import place


def _cancel_mail():
    return _db.session.query(OutboxMessage).filter_by(kind="order_cancelled").one()


def test_expired_order_email_and_page_give_the_reason(client, db):
    order = place(payment="card")
    order.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    assert expire_unpaid() == 1
    mail = _cancel_mail()
    assert "не оплачен картой вовремя" in mail.body_text
    assert "не оплачен картой вовремя" in mail.body_html
    body = client.get(f"/orders/view/{guest_token(order)}?lang=en").get_data(as_text=True)
    assert "Cancelled because it was not paid by card in time." in body


def test_customer_cancel_gives_no_such_reason(client, db):
    order = place(payment="card")
    cancel_by_customer(order)
    assert "вовремя" not in _cancel_mail().body_text
    body = client.get(f"/orders/view/{guest_token(order)}?lang=en").get_data(as_text=True)
    assert 'data-testid="expired-note"' not in body
