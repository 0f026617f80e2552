"""Bestsellers for the storefront: products by units sold in paid orders of the last weeks.

"Paid" is the dashboard's own rule (shop.reports.sales.paid_condition), so the home page and
the back office never disagree about what sold. The ranking reads every paid order line of the
period, far too much for each visit of the home page: only the product ids are kept, with the
catalogue's shared caches (shop.core.cache), under a key that also names the hour. A catalogue
change recomputes it at once; new sales show within the hour, which a "bestsellers" shelf can
bear.
"""

import time
from datetime import timedelta

from sqlalchemy import func, select

from shop.catalog.models import ProductVariant
from shop.core.cache import catalogue_cached
from shop.core.models import utcnow
from shop.extensions import db
from shop.orders.models import Order, OrderLine
from shop.reports.sales import paid_condition

PERIOD = timedelta(days=90)  # what sold lately, not what sold once, years ago
REFRESH_SECONDS = 3600


def bestseller_product_ids(limit: int = 8) -> list[int]:
    """Ids of the products with the most units in paid orders of the last 90 days, best first.

    Products of any state: the caller shows only those a shopper may see (it asks for a few
    more than it shows, since some may be hidden or sold out).
    """
    hour = int(time.time() // REFRESH_SECONDS)
    return catalogue_cached(("bestsellers", limit, hour), lambda: _ranking(limit))


def _ranking(limit: int) -> list[int]:
    units = func.sum(OrderLine.quantity)
    rows = db.session.execute(
        select(ProductVariant.product_id)
        .join(OrderLine, OrderLine.variant_id == ProductVariant.id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.created_at >= utcnow() - PERIOD, paid_condition())
        .group_by(ProductVariant.product_id)
        .order_by(units.desc(), ProductVariant.product_id)
        .limit(limit)
    ).all()
    return [row.product_id for row in rows]
