"""Stock: the only code that changes `ProductVariant.stock`.

Every change is a guarded UPDATE (`stock = stock + delta WHERE stock + delta >= 0`) whose row
count says whether it happened, so two buyers racing for the last unit can never both get it, on
SQLite or PostgreSQL, and a StockMovement row explains it. The updates bypass the ORM, so they
refresh the products' listing columns themselves.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from shop.catalog.models import ProductVariant, refresh_summaries
from shop.core.errors import DomainError, NotFound, ValidationFailed
from shop.extensions import db
from shop.inventory.models import StockMovement, StockReason

REASONS = {
    StockReason.ORDER,
    StockReason.CANCEL,
    StockReason.ADJUST,
    StockReason.RECEIVE,
    StockReason.INITIAL,
}


class InsufficientStock(DomainError):
    """Taking this many units would make the stock negative."""

    message = _l("Not enough stock.")


def apply_delta(variant_id: int, delta: int, reason: str, *, actor_id=None, order_id=None,
                note=None, refreshed: set | None = None) -> int:
    """Change one variant's stock by `delta` inside the caller's transaction (no commit).

    Returns the new stock. Raises InsufficientStock when the result would be negative (nothing
    changed) and NotFound for an unknown variant. The product's listing columns are refreshed at
    once, unless the caller passes a `refreshed` set: then the product id is added to it and the
    caller refreshes them all after its last variant (see `take_for_order`).
    """
    variant = ProductVariant.__table__
    result = db.session.execute(
        update(variant)
        .where(variant.c.id == variant_id, variant.c.stock + delta >= 0)
        .values(stock=variant.c.stock + delta)
        .returning(variant.c.stock, variant.c.product_id),
        execution_options={"synchronize_session": False},
    ).first()
    if result is None:
        exists = db.session.scalar(select(variant.c.id).where(variant.c.id == variant_id))
        if exists is None:
            raise NotFound(_l("This item does not exist."))
        raise InsufficientStock(variant_id=variant_id)
    stock_after, product_id = result
    db.session.add(
        StockMovement(
            variant_id=variant_id,
            delta=delta,
            stock_after=stock_after,
            reason=reason,
            note=note,
            actor_id=actor_id,
            order_id=order_id,
        )
    )
    if refreshed is None:
        refresh_summaries(db.session.connection(), [product_id])
    else:
        refreshed.add(product_id)
    # The ORM copy (if loaded) is stale now.
    obj = db.session.identity_map.get((ProductVariant, (variant_id,), None))
    if obj is not None:
        db.session.expire(obj, ["stock"])
    return stock_after


def adjust_stock(
    variant_id, delta, reason=StockReason.ADJUST, actor=None, note=None, also=None
) -> int:
    """A staff correction or goods received: change stock by `delta`, record why; commits.

    `also(stock)`: more writes of the same transaction (the back office's audit entry).

    Returns the new stock. Raises ValidationFailed (delta not a non-zero whole number, unknown
    reason), NotFound (unknown variant), InsufficientStock (stock would go below 0).
    """
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise ValidationFailed(_l("The change must be a whole number other than zero."))
    if reason not in REASONS:
        raise ValidationFailed(_l("Unknown reason for a stock change."))
    try:
        variant_id = int(variant_id)
    except (TypeError, ValueError):
        raise NotFound(_l("This item does not exist.")) from None
    try:
        stock = apply_delta(
            variant_id, delta, reason, actor_id=getattr(actor, "id", actor), note=note
        )
        if also is not None:
            also(stock)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return stock


def take_for_order(quantities: dict[int, int], order_id: int) -> list[int]:
    """Take stock for an order's lines inside the caller's transaction (no commit).

    Variants are updated in id order, and the products' listing rows only after the last
    variant, so every transaction locks variants (ascending), then products: two orders, or an
    order and a stock correction, can wait for each other but never deadlock (oscar's rule).
    Refreshing a product right after its variant would break that: an order for sizes S and M
    would hold the product while waiting for M, held by an order for M waiting for the product.
    Returns the ids of variants that were short; when that list is not empty the caller must
    roll back.
    """
    short, products = [], set()
    for variant_id in sorted(quantities):
        try:
            apply_delta(
                variant_id, -quantities[variant_id], StockReason.ORDER,
                order_id=order_id, refreshed=products,
            )
        except (InsufficientStock, NotFound):
            short.append(variant_id)
    if not short:
        refresh_summaries(db.session.connection(), products)
    return short


def return_for_order(order) -> None:
    """Put a cancelled order's goods back on the shelf (no commit)."""
    quantities = {}
    for line in order.lines:
        if line.variant_id is not None:
            quantities[line.variant_id] = quantities.get(line.variant_id, 0) + line.quantity
    put_back(quantities, order.id, StockReason.CANCEL)


def put_back(quantities: dict[int, int], order_id: int, reason: str, actor_id=None) -> None:
    """Put goods of an order back on the shelf: {variant id: units} (no commit). A cancelled
    order's (CANCEL), or goods a shopper sent back (RETURN). Variants in id order, products
    after the last one, as `take_for_order` (no deadlock with an order being placed)."""
    products = set()
    for variant_id in sorted(quantities):
        apply_delta(
            variant_id, quantities[variant_id], reason,
            actor_id=actor_id, order_id=order_id, refreshed=products,
        )
    refresh_summaries(db.session.connection(), products)
