"""Read-side stock queries: what is running low (the back office's dashboard and low-stock page)."""

from flask import current_app
from sqlalchemy import select

from shop.catalog.models import ProductVariant
from shop.extensions import db


def low_stock_threshold() -> int:
    """Variants with at most this many units are running low (LOW_STOCK_THRESHOLD, 5)."""
    return int(current_app.config.get("LOW_STOCK_THRESHOLD", 5))


def low_stock_variants(threshold: int, limit: int = 200):
    """Active variants with at most `threshold` units, emptiest first."""
    stmt = (
        select(ProductVariant)
        .join(ProductVariant.product)
        .where(ProductVariant.active.is_(True), ProductVariant.stock <= threshold)
        .order_by(ProductVariant.stock, ProductVariant.sku)
        .limit(limit)
    )
    return db.session.scalars(stmt).all()
