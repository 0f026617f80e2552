"""Who may see an order: the lookups behind every storefront page about one order.

Used by the order pages (shop.orders.views) and the payment pages (shop.payments.views, "pay
again"), so both answer the same question the same way. Ownership is part of every lookup: a
user sees only orders with their user_id, a guest only the order their signed link names (or
one this browser just placed); anything else is a 404, never a 403 that would confirm the
order exists.
"""

from flask import abort, session
from flask_login import current_user
from sqlalchemy import select

from shop.core.errors import NotFound
from shop.extensions import db
from shop.orders import services
from shop.orders.models import Order


def order_for_browser(number: str) -> Order:
    """The order if the signed-in user owns it, or (a guest order) this browser placed it;
    else 404."""
    if len(number) > 20:
        abort(404)
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None:
        abort(404)
    if order.user_id is not None:
        if not (current_user.is_authenticated and current_user.id == order.user_id):
            abort(404)
    elif order.number not in session.get("guest_orders", []):  # put there by shop.checkout
        abort(404)
    return order


def own_order(number: str) -> Order:
    """The signed-in user's own order by number; anyone else's is a 404."""
    try:
        return services.order_for_user(current_user.id, number)
    except NotFound:
        abort(404)


def guest_order(token: str) -> Order:
    """The guest order a signed link names; a user's order never opens this way (404)."""
    try:
        order = services.order_from_guest_token(token)
    except NotFound:
        abort(404)
    if order.user_id is not None:
        abort(404)
    return order
