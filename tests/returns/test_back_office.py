"""Refunds and returns in the back office: the order page's refund by line, the returns list
and a return's page, and who may do what (managers refund and decide, the warehouse receives)."""

import json
import re

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.orders.models import OrderStatus
from shop.returns import services
from shop.returns.models import Refund, ReturnRequest, ReturnStatus
from tests.admin.conftest import login_as
from tests.factories import UserFactory
from tests.returns.helpers import fresh

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(autouse=True)
def setup(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def staff(client, role):
    user = UserFactory(roles=[role], locale="en")  # the back office in the member's language
    login_as(client, user)
    return user


def csrf(client, path):
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def test_manager_refunds_lines_from_the_order_page(client, cash_order):
    staff(client, "manager")
    page = f"/admin/orders/details/?id={cash_order.id}"
    body = client.get(page).get_data(as_text=True)
    assert "Refund by line" in body
    a, b = cash_order.lines
    assert f'name="qty-{a.id}"' in body and 'name="delivery"' in body
    response = client.post(f"/admin/refunds/order/{cash_order.id}", data={
        "csrf_token": csrf(client, page), f"qty-{a.id}": "1", "delivery": "y",
        "reason": "Damaged in transit", "restock": "",
    })
    assert response.status_code == 302
    (refund,) = db.session.scalars(select(Refund)).all()
    assert refund.amount == a.unit_price + cash_order.delivery_price
    assert fresh(cash_order).status == OrderStatus.PARTLY_REFUNDED
    body = client.get(page).get_data(as_text=True)
    assert "Partly refunded" in body and "Damaged in transit" in body
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "refund"))
    assert (entry.object_type, entry.object_id) == ("Order", str(cash_order.id))
    assert json.loads(entry.after)["amount"] == str(refund.amount)
    assert client.get("/admin/refunds/").status_code == 200


def test_over_refund_from_the_page_is_a_message(client, cash_order):
    staff(client, "manager")
    page = f"/admin/orders/details/?id={cash_order.id}"
    a, _b = cash_order.lines
    response = client.post(f"/admin/refunds/order/{cash_order.id}", data={
        "csrf_token": csrf(client, page), f"qty-{a.id}": "5", "reason": "x"},
        follow_redirects=True)
    assert response.status_code == 200
    assert "at most 2 can be refunded" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Refund.id))) == 0


def test_warehouse_sees_no_refund_form_and_may_not_refund(client, cash_order):
    staff(client, "warehouse")
    page = f"/admin/orders/details/?id={cash_order.id}"
    body = client.get(page).get_data(as_text=True)
    assert "Refund by line" not in body
    a, _b = cash_order.lines
    response = client.post(f"/admin/refunds/order/{cash_order.id}", data={
        "csrf_token": csrf(client, page), f"qty-{a.id}": "1", "reason": "x"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Refund.id))) == 0


def test_return_steps_by_role(client, cash_order):
    a, _b = cash_order.lines
    request = services.request_return(cash_order.id, {a.id: 2}, "defective", "broken")
    page = f"/admin/returns/details/?id={request.id}"
    staff(client, "warehouse")
    assert client.get("/admin/returns/").status_code == 200
    token = csrf(client, page)
    assert client.post(f"/admin/returns/{request.id}/approve",
                       data={"csrf_token": token}).status_code == 403
    staff(client, "manager")
    body = client.get(page).get_data(as_text=True)
    assert "broken" in body and "Approve" in body
    token = csrf(client, page)
    assert client.post(f"/admin/returns/{request.id}/approve",
                       data={"csrf_token": token, "comment": "Post it"}).status_code == 302
    staff(client, "warehouse")
    token = csrf(client, page)
    assert client.post(f"/admin/returns/{request.id}/refund",
                       data={"csrf_token": token}).status_code == 403
    stock = a.variant.stock
    assert client.post(f"/admin/returns/{request.id}/received",
                       data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert a.variant.stock == stock + 2
    staff(client, "manager")
    token = csrf(client, page)
    assert client.post(f"/admin/returns/{request.id}/refund",
                       data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(ReturnRequest, request.id).status == ReturnStatus.REFUNDED
    steps = db.session.scalars(
        select(AuditEntry.after).where(AuditEntry.object_type == "ReturnRequest")
        .order_by(AuditEntry.id)
    ).all()
    assert [json.loads(step)["status"] for step in steps] == ["approved", "received"]
    # the list filters by status
    assert client.get("/admin/returns/?flt0_0=refunded").status_code == 200


def test_a_step_out_of_turn_is_a_message(client, cash_order):
    a, _b = cash_order.lines
    request = services.request_return(cash_order.id, {a.id: 1}, "other")
    staff(client, "manager")
    page = f"/admin/returns/details/?id={request.id}"
    response = client.post(f"/admin/returns/{request.id}/received",
                           data={"csrf_token": csrf(client, page)}, follow_redirects=True)
    assert "This return has already moved on" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ReturnRequest, request.id).status == ReturnStatus.REQUESTED
    response = client.post(f"/admin/returns/{request.id}/reject",
                           data={"csrf_token": csrf(client, page)}, follow_redirects=True)
    assert "Say why the return is rejected." in response.get_data(as_text=True)
    assert client.post("/admin/returns/999999/approve",
                       data={"csrf_token": csrf(client, page)}).status_code == 404
