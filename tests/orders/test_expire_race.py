"""`orders expire` run from several places at once cancels each order once (PostgreSQL)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.core.models import utcnow
from shop.extensions import db as _db
from shop.inventory.models import StockMovement
from shop.orders.models import OrderEvent
from shop.orders.services import expire_unpaid
from tests.checkout.helpers import place, run_together, stocked

pytestmark = pytest.mark.postgres


def test_parallel_expiry_runs_cancel_each_order_once(app, db):
    variant = stocked(stock=20)
    orders = [place(variant=variant, payment="card") for _ in range(8)]
    for order in orders:
        order.expires_at = utcnow() - timedelta(minutes=5)
    _db.session.commit()
    results, errors = run_together(app, [expire_unpaid] * 4)
    assert errors == []
    assert sum(results) == 8
    _db.session.expire_all()
    assert variant.stock == 20
    returned = select(func.count()).where(StockMovement.reason == "cancel")
    assert _db.session.scalar(returned) == 8
    cancelled = select(func.count()).where(OrderEvent.to_status == "cancelled")
    assert _db.session.scalar(cancelled) == 8
