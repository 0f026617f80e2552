"""YooKassa's notification and the shopper's return page arriving together (PostgreSQL).

Both read the payment back from the API and apply it through the same code, under the order's
and the payment's row locks, recording one PaymentEvent per outcome: whichever comes first pays
the order; the others find it done. The order is paid once and the shopper gets one email.
"""

import pytest
from sqlalchemy import func, select

from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderEvent
from shop.orders.services import guest_token
from shop.payments.models import Payment, PaymentEvent
from shop.payments.services import handle_webhook, refresh_for_page
from tests.checkout.helpers import place, run_together
from tests.payments.fake_yookassa import YOOKASSA_ADDRESS

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("round_", range(3))
def test_notification_and_return_page_together_pay_once(app, client, db, yookassa, round_):
    order = place(payment="yookassa_card")
    page = client.get(f"/payments/orders/view/{guest_token(order)}/go")
    assert page.status_code == 200
    _db.session.expire_all()
    payment = _db.session.get(Payment, order.payments[0].id)
    reference, order_id = payment.provider_reference, order.id
    yookassa.succeed(reference)
    body = yookassa.notification(reference)

    def notification():
        return handle_webhook("yookassa", body, None, source=YOOKASSA_ADDRESS)

    def return_page():
        return refresh_for_page(_db.session.get(Order, order_id))

    # twice each: YooKassa retries its notification, the shopper reloads the page
    results, errors = run_together(app, [notification, return_page, notification, return_page])
    assert errors == []
    assert sorted(r for r in results[::2]) in (["applied", "duplicate"], ["duplicate"] * 2)
    assert results[1::2] == [None, None]  # neither page is left saying "confirming"
    _db.session.expire_all()
    order = _db.session.get(Order, order_id)
    assert order.status == "paid" and order.payments[0].status == "succeeded"
    steps = _db.session.scalars(
        select(OrderEvent.to_status).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
    ).all()
    assert steps == ["new", "paid"]
    assert _db.session.scalar(select(func.count(PaymentEvent.id))) == 1
    emails = _db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "payment_received")
    ).all()
    assert len(emails) == 1
