"""Delivery methods as checkout offers them: active ones in order, and their price for a cart."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.core.errors import NotFound
from shop.extensions import db
from shop.shipping.models import DeliveryMethod


def active_methods() -> list[DeliveryMethod]:
    return list(
        db.session.scalars(
            select(DeliveryMethod)
            .where(DeliveryMethod.active.is_(True))
            .order_by(DeliveryMethod.position, DeliveryMethod.id)
        )
    )


def get_active(method_id) -> DeliveryMethod:
    """An active delivery method by id. Raises NotFound (unknown, inactive or not a number)."""
    try:
        method_id = int(method_id)
    except (TypeError, ValueError):
        method_id = None
    method = db.session.get(DeliveryMethod, method_id) if method_id else None
    if method is None or not method.active:
        raise NotFound(_l("Choose a delivery method from the list."))
    return method


def price_for(method: DeliveryMethod, subtotal: Decimal) -> Decimal:
    return method.price_for(subtotal)


def cheapest_estimate(subtotal: Decimal, methods: list[DeliveryMethod] | None = None):
    """The cheapest delivery among the methods that deliver to an address (for the cart page).

    `methods`: the active methods when the caller has them already. Returns (method, price) or
    None when no such method exists.
    """
    methods = active_methods() if methods is None else methods
    offers = [(m, m.price_for(subtotal)) for m in methods if m.needs_address]
    if not offers:
        return None
    return min(offers, key=lambda offer: (offer[1], offer[0].position))
