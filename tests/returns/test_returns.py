"""Shoppers' returns: asked within SHOP_RETURN_DAYS of delivery (day 7 yes, day 8 no), by the
owner or a guest through the order's signed link, for what is left to return; staff approve or
reject, mark received (stock back) and refund; emails at each step in each side's language."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shop.core.errors import ValidationFailed
from shop.extensions import db
from shop.orders.models import Order, OrderStatus
from shop.orders.services import guest_token
from shop.returns import services
from shop.returns.models import ReturnRequest, ReturnStatus
from tests.admin.conftest import login_as
from tests.factories import UserFactory
from tests.returns.helpers import deliver_at, delivered, fresh, mails

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def ask(order, wanted=None, reason="changed_mind", **kw):
    a, _b = order.lines
    return services.request_return(order.id, wanted or {a.id: 1}, reason, "too big", **kw)


def test_day_seven_is_in_time_and_day_eight_is_not(app, cash_order):
    # Delivered on a day D (shop time, Moscow): the last day to ask is D + 7.
    delivered_at = cash_order.events[-1].created_at
    deadline = services.return_deadline(cash_order)
    assert timedelta(days=7) < deadline - delivered_at <= timedelta(days=8)
    assert services.can_request_return(cash_order, now=deadline - timedelta(seconds=1))
    assert not services.can_request_return(cash_order, now=deadline)
    with pytest.raises(services.ReturnWindowClosed):
        ask(cash_order, now=deadline)
    assert ask(cash_order, now=deadline - timedelta(minutes=1)).status == ReturnStatus.REQUESTED


def test_the_window_follows_the_setting(app, cash_order, monkeypatch):
    monkeypatch.setitem(app.config, "RETURN_DAYS", 14)
    deliver_at(cash_order, 10)
    assert services.can_request_return(fresh(cash_order))
    monkeypatch.setitem(app.config, "RETURN_DAYS", 7)
    assert not services.can_request_return(fresh(cash_order))
    with pytest.raises(services.ReturnWindowClosed):
        ask(fresh(cash_order))


def test_a_request_tells_the_shopper_and_staff_in_their_languages(app, cash_order,
                                                                  monkeypatch):
    manager = UserFactory(roles=["manager"], locale="en")
    UserFactory(roles=["warehouse"])  # not told
    order = db.session.get(Order, cash_order.id)
    order.locale = "ru"
    db.session.commit()
    request = ask(order)
    (mail,) = mails("return_requested")
    assert mail.locale == "ru" and mail.recipient == order.email
    assert order.number in mail.subject and "too big" not in mail.subject
    (staff_mail,) = mails("return_staff_new")
    assert (staff_mail.recipient, staff_mail.locale) == (manager.email, "en")
    assert f"/admin/returns/details/?id={request.id}" in staff_mail.body_text
    assert "New return request" in staff_mail.subject
    monkeypatch.setitem(app.config, "STAFF_EMAIL", "shop@example.com")
    assert services.staff_recipients() == [("shop@example.com", "ru")]


def test_one_open_return_at_a_time_and_never_more_than_bought(cash_order):
    a, b = cash_order.lines
    with pytest.raises(ValidationFailed):
        ask(cash_order, {a.id: 3})
    with pytest.raises(ValidationFailed):
        ask(cash_order, {a.id: 0})
    ask(cash_order, {a.id: 2})
    with pytest.raises(services.ReturnRefused):
        ask(cash_order, {b.id: 1})
    assert db.session.scalar(select(func.count(ReturnRequest.id))) == 1


def test_a_line_of_another_order_is_refused(cash_order):
    other = delivered()
    with pytest.raises(ValidationFailed):
        ask(cash_order, {other.lines[0].id: 1})
    with pytest.raises(ValidationFailed):
        ask(cash_order, reason="because")


def test_the_whole_way_approve_receive_refund(cash_order):
    a, b = cash_order.lines
    stock = a.variant.stock
    request = ask(cash_order, {a.id: 2})
    with pytest.raises(services.ReturnStepRefused):  # not approved yet
        services.mark_received(request.id)
    services.approve_return(request.id, comment="Send it by post")
    (mail,) = mails("return_approved")
    assert "Send it by post" in mail.body_text
    with pytest.raises(services.ReturnStepRefused):
        services.reject_return(request.id, comment="changed our mind")
    services.mark_received(request.id)
    db.session.expire_all()
    assert a.variant.stock == stock + 2
    refund = services.refund_return(request.id)
    assert refund.amount == 2 * a.unit_price and refund.return_id == request.id
    db.session.expire_all()
    assert db.session.get(ReturnRequest, request.id).status == ReturnStatus.REFUNDED
    assert a.variant.stock == stock + 2  # not twice
    assert fresh(cash_order).status == OrderStatus.PARTLY_REFUNDED
    assert len(mails("refund_made")) == 1
    kinds = [e.kind for e in fresh(cash_order).events]
    assert kinds[-4:] == ["return_requested", "return_approved", "return_received",
                          "refunded_part"]
    # A second return of what is left, in time
    assert services.can_request_return(fresh(cash_order))
    with pytest.raises(ValidationFailed):
        ask(fresh(cash_order), {a.id: 1})  # refunded already
    ask(fresh(cash_order), {b.id: 3})


def test_a_rejection_needs_a_reason_and_is_emailed(cash_order):
    request = ask(cash_order)
    with pytest.raises(ValidationFailed):
        services.reject_return(request.id, comment="  ")
    services.reject_return(request.id, comment="Used goods")
    (mail,) = mails("return_rejected")
    assert "Used goods" in mail.body_text
    assert services.can_request_return(fresh(cash_order))  # a rejected return is closed


# The storefront ------------------------------------------------------------------------------


def token_of(client, path):
    body = client.get(path).get_data(as_text=True)
    return CSRF.search(body).group(1), body


def test_guest_asks_by_the_signed_link(client, cash_order):
    link = f"/orders/view/{guest_token(cash_order)}"
    page = client.get(link).get_data(as_text=True)
    assert "Return items" in page
    csrf, form = token_of(client, f"{link}/return")
    a, b = cash_order.lines
    assert f'name="qty-{a.id}"' in form and f'name="qty-{b.id}"' in form
    response = client.post(f"{link}/return", data={
        "csrf_token": csrf, f"qty-{a.id}": "1", f"qty-{b.id}": "", "reason": "wrong_size",
        "comment": "Мал",
    })
    assert response.status_code == 302 and response.location.endswith(link)
    (request,) = db.session.scalars(select(ReturnRequest)).all()
    assert [(x.order_line_id, x.quantity) for x in request.lines] == [(a.id, 1)]
    page = client.get(link).get_data(as_text=True)
    assert 'data-testid="return-status"' in page and "Requested" in page
    assert 'data-testid="return-items"' not in page  # one open return at a time


@pytest.mark.parametrize("bad", ["over", "forged", "text", "no-reason", "nothing", "csrf"])
def test_bad_input_is_a_message_and_changes_nothing(client, cash_order, bad):
    link = f"/orders/view/{guest_token(cash_order)}/return"
    csrf, _form = token_of(client, link)
    a, _b = cash_order.lines
    other = delivered()
    data = {"csrf_token": csrf, f"qty-{a.id}": "1", "reason": "other"}
    data.update({
        "over": {f"qty-{a.id}": "3"},
        "forged": {f"qty-{other.lines[0].id}": "1"},
        "text": {f"qty-{a.id}": "1; DROP"},
        "no-reason": {"reason": ""},
        "nothing": {f"qty-{a.id}": "0"},
        "csrf": {"csrf_token": "x"},
    }[bad])
    response = client.post(link, data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    if bad != "csrf":  # a bad token gets the shop's 400 page (CSRFProtect)
        assert 'data-testid="return-error"' in body or "invalid-feedback" in body
    assert db.session.scalar(select(func.count(ReturnRequest.id))) == 0


def test_the_form_is_refused_after_the_window(client, cash_order):
    deliver_at(cash_order, 9)
    link = f"/orders/view/{guest_token(cash_order)}"
    assert 'data-testid="return-items"' not in client.get(link).get_data(as_text=True)
    assert client.get(f"{link}/return").status_code == 302
    csrf = CSRF.search(client.get("/account/login").get_data(as_text=True)).group(1)
    a, _b = cash_order.lines
    response = client.post(f"{link}/return", data={
        "csrf_token": csrf, f"qty-{a.id}": "1", "reason": "other"})
    assert response.status_code == 400
    assert "The return period for this order has ended." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReturnRequest.id))) == 0


def test_signed_in_shopper_returns_own_order_only(client, db):
    owner, stranger = UserFactory(), UserFactory()
    order = delivered(user_id=owner.id)
    login_as(client, stranger)
    assert client.get(f"/account/orders/{order.number}/return").status_code == 404
    login_as(client, owner)
    csrf, _form = token_of(client, f"/account/orders/{order.number}/return")
    response = client.post(f"/account/orders/{order.number}/return", data={
        "csrf_token": csrf, f"qty-{order.lines[1].id}": "2", "reason": "defective"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(ReturnRequest.id))) == 1
    # a guest link never opens a registered shopper's order
    assert client.get(f"/orders/view/{guest_token(order)}/return").status_code == 404


def test_not_delivered_orders_offer_no_return(client, db):
    from tests.returns.helpers import place_two_lines

    order = place_two_lines()
    link = f"/orders/view/{guest_token(order)}"
    assert 'data-testid="return-items"' not in client.get(link).get_data(as_text=True)
    assert client.get(f"{link}/return").status_code == 302

