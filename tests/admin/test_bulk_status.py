"""Bulk status changes on the orders list (admin/order_bulk.py, issue 19.3): the allowed moves
are made through the state machine, each once with its side effects (event, email, stock,
audit); the others are skipped and named in the summary; roles as on the order's page."""

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderEvent
from tests.admin.conftest import make_order
from tests.factories import VariantFactory

ACTION = "/admin/orders/action/"


def run(client, token, action, *orders):
    return client.post(ACTION, data={"csrf_token": token("/admin/orders/"), "action": action,
                                     "rowid": [str(o.id) for o in orders]},
                       follow_redirects=True)


def statuses(*orders):
    _db.session.expire_all()
    return [_db.session.get(Order, o.id).status for o in orders]


def count(model, *where):
    return _db.session.scalar(select(func.count(model.id)).where(*where))


def test_allowed_moves_are_made_and_the_others_named(client, as_role, token):
    processing = [make_order(status="processing") for _ in range(3)]
    shipped = make_order(status="shipped", number="L-SHIP01")
    new_card = make_order(status="new", payment_method="card", number="L-CARD01")
    as_role("warehouse", locale="en")
    page = run(client, token, "status_shipped", *processing, shipped, new_card)
    body = page.get_data(as_text=True)
    assert "3 orders changed, 2 skipped:" in body
    assert "#L-SHIP01 is already Shipped" in body
    assert "#L-CARD01 cannot go from New to Shipped" in body
    assert statuses(*processing, shipped, new_card) == ["shipped"] * 4 + ["new"]
    # each moved order: one event, one email, one audit entry
    for order in processing:
        assert count(OrderEvent, OrderEvent.order_id == order.id,
                     OrderEvent.to_status == "shipped") == 1
    assert count(OutboxMessage, OutboxMessage.kind == "order_shipped") == 3
    assert count(AuditEntry, AuditEntry.action == "status") == 3


def test_the_reason_from_the_state_machine_is_given(client, as_role, token):
    shipped = make_order(status="shipped", number="L-123")
    unpaid = make_order(status="new", payment_method="card", number="L-UNPAID")
    cash = make_order(status="new")
    as_role("manager", locale="en")
    body = run(client, token, "status_processing", shipped, unpaid, cash).get_data(as_text=True)
    assert "1 order changed, 2 skipped:" in body
    assert "#L-123 cannot go from Shipped to Processing" in body
    assert "#L-UNPAID is not paid yet" in body
    assert statuses(shipped, unpaid, cash) == ["shipped", "new", "processing"]


def test_a_bulk_cancel_returns_the_stock_once(client, as_role, token):
    variant = VariantFactory(stock=10)
    orders = [make_order(status="new", variant=variant, quantity=2) for _ in range(2)]
    delivered = make_order(status="delivered", variant=variant)
    as_role("manager", locale="en")
    body = run(client, token, "status_cancelled", *orders, delivered).get_data(as_text=True)
    assert "2 orders changed, 1 skipped" in body
    _db.session.refresh(variant)
    assert variant.stock == 14  # 2 + 2 back, once each
    assert count(OutboxMessage, OutboxMessage.kind == "order_cancelled") == 2
    # run again: nothing moves twice
    body = run(client, token, "status_cancelled", *orders).get_data(as_text=True)
    assert "0 orders changed, 2 skipped" in body
    _db.session.refresh(variant)
    assert variant.stock == 14
    assert count(OutboxMessage, OutboxMessage.kind == "order_cancelled") == 2


def test_all_moved_says_so(client, as_role, token):
    orders = [make_order(status="shipped") for _ in range(2)]
    as_role("warehouse", locale="en")
    body = run(client, token, "status_delivered", *orders).get_data(as_text=True)
    assert "2 orders changed." in body and "skipped" not in body


def test_the_warehouse_may_not_cancel_in_bulk(client, as_role, token):
    order = make_order(status="new")
    as_role("warehouse", locale="en")
    listing = client.get("/admin/orders/").get_data(as_text=True)
    assert "status_shipped" in listing and "status_cancelled" not in listing
    response = client.post(ACTION, data={"csrf_token": token("/admin/orders/"),
                                         "action": "status_cancelled", "rowid": [str(order.id)]})
    assert response.status_code == 403
    assert statuses(order) == ["new"]


@pytest.mark.parametrize("action", ["status_paid", "status_refunded", "status_bogus"])
def test_statuses_not_offered_in_bulk_are_refused(client, as_role, token, action):
    order = make_order(status="delivered")
    as_role("admin", locale="en")
    response = client.post(ACTION, data={"csrf_token": token("/admin/orders/"),
                                         "action": action, "rowid": [str(order.id)]})
    assert response.status_code == 403
    assert statuses(order) == ["delivered"]


def test_without_csrf_nothing_moves(client, as_role):
    order = make_order(status="processing")
    as_role("manager", locale="en")
    response = client.post(ACTION, data={"action": "status_shipped", "rowid": [str(order.id)]})
    assert response.status_code in (302, 400)
    assert statuses(order) == ["processing"]


def test_russian_summary_uses_plural_forms(client, as_role, token):
    orders = [make_order(status="processing") for _ in range(2)]
    as_role("manager", locale="ru")
    page = run(client, token, "status_shipped", *orders)
    assert page.status_code == 200 and statuses(*orders) == ["shipped", "shipped"]
