"""A payment webhook and the expiry run hitting the same order at once (PostgreSQL).

Whichever wins, the order ends either paid with its stock taken, or cancelled with its stock
returned exactly once; nobody gets a deadlock or a half-applied change.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.inventory.models import StockMovement
from shop.orders.models import Order
from shop.orders.services import expire_unpaid
from shop.payments import providers
from shop.payments.services import handle_webhook
from tests.checkout.helpers import place, run_together, stocked

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("round_", range(4))
def test_webhook_racing_expiry(app, db, round_):
    variant = stocked(stock=5)
    order = place(variant=variant, quantity=2, payment="card")
    order.expires_at = utcnow() - timedelta(minutes=1)
    _db.session.commit()
    gateway = providers.get("card")
    body = gateway.event_body(f"evt_race_{round_}", "payment.succeeded", order.payments[0])
    signature = gateway.sign(body)
    order_id = order.id
    _, errors = run_together(app, [lambda: handle_webhook("card", body, signature), expire_unpaid])
    assert errors == []
    _db.session.expire_all()
    order = _db.session.get(Order, order_id)
    returned = _db.session.scalar(
        select(func.count()).where(StockMovement.reason == "cancel")
    )
    if order.status == "paid":
        assert variant.stock == 3 and returned == 0
    else:
        assert order.status == "cancelled"
        assert variant.stock == 5 and returned == 1
