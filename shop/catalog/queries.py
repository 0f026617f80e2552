"""Read-side queries for the storefront, each a fixed number of SQL statements."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.catalog.models import Category, Product
from shop.extensions import db


def listing_options():
    """What a product card needs, loaded in bulk (no query per card)."""
    return (selectinload(Product.images), selectinload(Product.variants))


def nav_categories():
    """Top-level active categories with their active children, for the menu and home tiles."""
    stmt = (
        select(Category)
        .where(Category.parent_id.is_(None), Category.active.is_(True))
        .options(selectinload(Category.children))
        .order_by(Category.position, Category.id)
    )
    return db.session.scalars(stmt).all()


def home_products(limit: int = 12):
    base = select(Product).where(Product.active.is_(True)).options(*listing_options())
    featured = db.session.scalars(
        base.where(Product.featured.is_(True))
        .order_by(Product.in_stock.desc(), Product.id.desc())
        .limit(limit)
    ).all()
    newest = db.session.scalars(
        base.order_by(Product.in_stock.desc(), Product.created_at.desc(), Product.id.desc()).limit(
            limit
        )
    ).all()
    return featured, newest


def category_by_slug(slug: str):
    stmt = (
        select(Category)
        .where(Category.slug == slug, Category.active.is_(True))
        .options(selectinload(Category.children), selectinload(Category.parent))
    )
    return db.session.scalars(stmt).first()


def breadcrumbs(category):
    """The chain of categories from the root down to `category` (the tree is two levels deep)."""
    chain = []
    while category is not None:
        chain.append(category)
        category = category.parent
    return list(reversed(chain))


def _active_products():
    return select(Product).where(Product.active.is_(True)).options(*listing_options())


def category_products(category, page: int = 1):
    ids = [category.id] + [c.id for c in category.children if c.active]
    stmt = (
        _active_products()
        .where(Product.category_id.in_(ids))
        .order_by(Product.in_stock.desc(), Product.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=_per_page(), error_out=False)


def search_products(q: str, page: int = 1):
    """Plain substring search over names and SKUs (the storefront issue brings morphology)."""
    from sqlalchemy import or_

    from shop.catalog.models import ProductVariant

    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sku_match = select(ProductVariant.product_id).where(
        ProductVariant.sku.ilike(pattern, escape="\\")
    )
    stmt = (
        _active_products()
        .where(
            or_(
                Product.name_ru.ilike(pattern, escape="\\"),
                Product.name_en.ilike(pattern, escape="\\"),
                Product.id.in_(sku_match),
            )
        )
        .order_by(Product.in_stock.desc(), Product.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=_per_page(), error_out=False)


def product_by_slug(slug: str):
    stmt = (
        select(Product)
        .where(Product.slug == slug, Product.active.is_(True))
        .options(
            *listing_options(),
            selectinload(Product.category).selectinload(Category.parent),
        )
    )
    return db.session.scalars(stmt).first()


def _per_page() -> int:
    from flask import current_app

    return int(current_app.config.get("PRODUCTS_PER_PAGE", 24))
