"""Shopper's order pages: confirmation, "my orders", order detail, guest link, cancel.

Ownership is part of every query: a user sees only orders with their user_id, a guest only the
order their signed link names (or the one this browser just placed); anything else is a 404.
"""

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from shop.core.errors import DomainError, NotFound
from shop.extensions import db
from shop.orders import services
from shop.orders.models import Order, OrderStatus

bp = Blueprint("orders", __name__)


def _by_number_for_browser(number: str) -> Order:
    """The order if this user owns it, or (a guest order) this browser placed it; else 404."""
    if len(number) > 20:
        abort(404)
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None:
        abort(404)
    if order.user_id is not None:
        if not (current_user.is_authenticated and current_user.id == order.user_id):
            abort(404)
    elif order.number not in session.get("guest_orders", []):
        abort(404)
    return order


def _own(number) -> Order:
    try:
        return services.order_for_user(current_user.id, number)
    except NotFound:
        abort(404)


def _guest(token) -> Order:
    """The guest order a signed link names; a user's order never opens this way."""
    try:
        order = services.order_from_guest_token(token)
    except NotFound:
        abort(404)
    if order.user_id is not None:
        abort(404)
    return order


def _render(order, template="orders/detail.html", **extra):
    from shop.payments.services import pending_payment

    return render_template(
        template,
        order=order,
        can_cancel=OrderStatus(order.status) in services.CUSTOMER_CANCELLABLE,
        can_pay=order.payment_method == "card" and order.status == OrderStatus.NEW,
        pending=pending_payment(order),
        guest_token=services.guest_token(order) if order.user_id is None else None,
        **extra,
    )


@bp.get("/orders/<number>/thanks")
def confirmation(number):
    return _render(_by_number_for_browser(number), "orders/confirmation.html")


@bp.get("/account/orders")
@login_required
def my_orders():
    return render_template("orders/list.html", orders=services.orders_of(current_user.id))


@bp.get("/account/orders/<number>")
@login_required
def detail(number):
    return _render(_own(number))


@bp.get("/orders/view/<token>")
def guest_view(token):
    return _render(_guest(token), guest_link=True)


@bp.post("/account/orders/<number>/cancel")
@login_required
def cancel(number):
    order = _own(number)
    return _cancel(order, url_for("orders.detail", number=order.number))


@bp.post("/orders/view/<token>/cancel")
def guest_cancel(token):
    order = _guest(token)
    return _cancel(order, url_for("orders.guest_view", token=token))


def _cancel(order, back):
    try:
        services.cancel_by_customer(order, user_id=order.user_id)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Your order has been cancelled."), "success")
    return redirect(back)
