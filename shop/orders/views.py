"""Shopper's order pages: confirmation, "my orders", order detail, guest link, cancel.

Ownership is part of every lookup (shop.orders.access, shared with the payment pages): a user
sees only orders with their user_id, a guest only the order their signed link names (or the one
this browser just placed); anything else is a 404.
"""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from shop.core.errors import DomainError
from shop.orders import services, signals
from shop.orders.access import guest_order, order_for_browser, own_order
from shop.orders.models import OrderStatus
from shop.orders.timeline import status_timeline

bp = Blueprint("orders", __name__)


@bp.app_template_filter("order_status_label")
def order_status_label(status):
    """An order status in the reader's language (a value it does not know, as it is)."""
    try:
        return OrderStatus(status).label
    except ValueError:
        return status


def _render(order, template="orders/detail.html", **extra):
    # The page a payment provider sends the shopper back to: layers above bring the order up to
    # date first (payments asks the provider about a payment it still waits for) and may leave
    # a note for the page ("confirming", "declined").
    notes = [note for _receiver, note in signals.order_page_opened.send(order) if note]
    return render_template(
        template,
        order=order,
        timeline=status_timeline(order),
        can_cancel=OrderStatus(order.status) in services.CUSTOMER_CANCELLABLE,
        can_pay=services.is_prepaid(order) and order.status == OrderStatus.NEW,
        payment_note=notes[0] if notes else None,
        guest_token=services.guest_token(order) if order.user_id is None else None,
        **extra,
    )


@bp.get("/orders/<number>/thanks")
def confirmation(number):
    return _render(order_for_browser(number), "orders/confirmation.html")


@bp.get("/account/orders")
@login_required
def my_orders():
    return render_template("orders/list.html", orders=services.orders_of(current_user.id))


@bp.get("/account/orders/<number>")
@login_required
def detail(number):
    return _render(own_order(number))


@bp.get("/orders/view/<token>")
def guest_view(token):
    return _render(guest_order(token), guest_link=True)


@bp.post("/account/orders/<number>/cancel")
@login_required
def cancel(number):
    order = own_order(number)
    return _cancel(order, url_for("orders.detail", number=order.number))


@bp.post("/orders/view/<token>/cancel")
def guest_cancel(token):
    order = guest_order(token)
    return _cancel(order, url_for("orders.guest_view", token=token))


def _cancel(order, back):
    try:
        services.cancel_by_customer(order, user_id=order.user_id)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("Your order has been cancelled."), "success")
    return redirect(back)
