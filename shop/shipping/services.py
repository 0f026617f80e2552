"""Delivery methods as checkout offers them: active ones in order, and their price for a cart."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.core.cache import catalogue_cached
from shop.core.errors import NotFound
from shop.core.models import Translated
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


class OfferedMethod:
    """An active delivery method as the cart page shows it: a plain copy, safe to keep between
    requests (see `offered_methods`)."""

    __slots__ = (
        "id",
        "code",
        "name_ru",
        "name_en",
        "price",
        "free_from",
        "needs_address",
        "position",
    )
    name = Translated("name")
    price_for = DeliveryMethod.price_for

    def __init__(self, method: DeliveryMethod):
        for attr in self.__slots__:
            setattr(self, attr, getattr(method, attr))


def offered_methods() -> list[OfferedMethod]:
    """The active methods for display (cart page), kept until a catalogue or delivery method
    change is committed (shop.core.cache counts DeliveryMethod as catalogue data)."""
    return catalogue_cached(
        "delivery-methods", lambda: [OfferedMethod(m) for m in active_methods()]
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


def cheapest_estimate(subtotal: Decimal, methods=None):
    """The cheapest delivery among the methods that deliver to an address (for the cart page).

    `methods`: the active methods when the caller has them already. Returns (method, price) or
    None when no such method exists.
    """
    methods = active_methods() if methods is None else methods
    offers = [(m, m.price_for(subtotal)) for m in methods if m.needs_address]
    if not offers:
        return None
    return min(offers, key=lambda offer: (offer[1], offer[0].position))


def free_delivery_gap(subtotal: Decimal, methods=None):
    """How much more the cart needs for a paid delivery to become free (for the cart page).

    Among the methods that still charge for this subtotal and are free from a higher amount,
    the one closest to it: (method, amount still missing), or None when no method has such a
    threshold or a delivery to an address is free already.
    """
    methods = active_methods() if methods is None else methods
    cheapest = cheapest_estimate(subtotal, methods)
    if cheapest is not None and cheapest[1] <= 0:
        return None
    gaps = [
        (m, m.free_from - subtotal)
        for m in methods
        if m.free_from is not None and m.free_from > subtotal and m.price_for(subtotal) > 0
    ]
    if not gaps:
        return None
    return min(gaps, key=lambda gap: (gap[1], gap[0].position))
