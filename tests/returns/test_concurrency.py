"""Two staff members refunding the same units at once, and a shopper sending the return form
twice at once: one wins, the other is refused, nothing is given back twice (PostgreSQL)."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.core.errors import DomainError
from shop.extensions import db as _db
from shop.returns import services
from shop.returns.models import Refund, RefundStatus, ReturnRequest
from tests.checkout.helpers import run_together

pytestmark = pytest.mark.postgres


def test_the_same_units_are_refunded_once(app, cash_order):
    a, _b = cash_order.lines
    order_id, line_id = cash_order.id, a.id
    jobs = [lambda: services.refund_lines(order_id, {line_id: 2}, "race")] * 4
    results, errors = run_together(app, jobs)
    assert len([r for r in results if r is not None]) == 1
    assert len(errors) == 3 and all(isinstance(e, DomainError) for e in errors)
    done = _db.session.scalars(select(Refund)).all()
    assert [(r.status, r.amount) for r in done] == [(RefundStatus.SUCCEEDED, Decimal("2000.00"))]


def test_one_return_request_of_two_sent_together(app, cash_order):
    a, _b = cash_order.lines
    order_id, line_id = cash_order.id, a.id
    jobs = [lambda: services.request_return(order_id, {line_id: 1}, "other")] * 2
    results, errors = run_together(app, jobs)
    assert len([r for r in results if r is not None]) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.ReturnRefused)
    assert _db.session.scalar(select(func.count(ReturnRequest.id))) == 1
