"""Catalogue writes the back office makes besides Flask-Admin's own forms: switching products on
and off in bulk, changing many variants at once, receiving stock for many variants, and
removing a product's image with its files.

One call, one transaction, with its audit entries inside it (`actor` and `ip` say who asked).
What lives outside the database (image files) is removed only after the commit, so a rolled
back deletion never leaves a row pointing at a missing file.
"""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.audit import services as audit
from shop.catalog import saving
from shop.catalog.images import remove_image_files
from shop.catalog.models import Product, ProductImage, refresh_summaries
from shop.core.errors import NotFound
from shop.extensions import db
from shop.inventory.models import StockReason
from shop.inventory.services import apply_delta


def set_products_active(ids: Iterable[int], active: bool, *, actor=None, ip=None) -> int:
    """Show (`active=True`) or hide these products in the shop; commits.

    One audit entry ("activate" or "deactivate") per product whose flag changes. Returns how
    many of `ids` name a product, changed or already so; unknown ids are ignored. Raises
    nothing of its own.
    """
    try:
        products = db.session.scalars(select(Product).where(Product.id.in_(list(ids)))).all()
        for product in products:
            audit.switch_active(product, active, actor=actor, ip=ip)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(products)


def delete_image(image_id: int, *, actor=None, ip=None) -> int:
    """Delete one product image, with an audit entry; commits, then removes its files (the
    original and every thumbnail: a file name belongs to one image row, it is unique).

    Returns the id of the product the image belonged to. Raises NotFound for an unknown image
    (nothing is written).
    """
    try:
        image = db.session.get(ProductImage, image_id)
        if image is None:
            raise NotFound(_l("The image was not found."))
        product_id, filename = image.product_id, image.filename
        audit.record("delete", "ProductImage", image.id, before=audit.snapshot(image),
                     actor=actor, ip=ip)
        db.session.delete(image)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    remove_image_files(filename)
    return product_id


def update_variants(variants, values: dict, *, actor=None, ip=None) -> None:
    """Set the same `values` (price, active...) on these variants, each saved through
    `saving.save_variant` with an "update" audit entry of what changed; one transaction,
    commits."""
    try:
        for variant in variants:
            before = audit.snapshot(variant)
            for key, value in values.items():
                setattr(variant, key, value)
            saving.save_variant(variant)
            before, after = audit.changed_only(before, audit.snapshot(variant))
            if after:
                audit.record("update", "ProductVariant", variant.id, before=before, after=after,
                             actor=actor, ip=ip)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def receive_stock(variants, quantity: int, note: str | None, *, actor=None, ip=None) -> None:
    """Goods received for each variant, through the stock ledger, in one transaction: variants
    in id order, the products' listing rows after the last (the inventory's lock order), with
    a "stock" audit entry each; commits."""
    refreshed: set = set()
    try:
        for variant in sorted(variants, key=lambda v: v.id):
            before = variant.stock
            stock = apply_delta(variant.id, quantity, StockReason.RECEIVE,
                                actor_id=getattr(actor, "id", None), note=note or None,
                                refreshed=refreshed)
            audit.record("stock", "ProductVariant", variant.id, before={"stock": before},
                         after={"stock": stock, "reason": StockReason.RECEIVE,
                                "note": note or None},
                         actor=actor, ip=ip)
        refresh_summaries(db.session.connection(), refreshed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
