"""Category tree, Product, ProductVariant and ProductImage.

Saving a category or product (slug, sanitised descriptions, search data) is
`shop.catalog.saving`'s job, called by whoever writes; the catalogue's ORM hooks (listing
summaries) live in `shop.catalog.hooks`, registered on the app's session.

A product is what a shopper reads about; a variant is what is sold and stocked (one per size or
colour; a simple product has exactly one). Carts and orders point at variants.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.cache import note_catalogue_change, watch_catalogue_models
from shop.core.models import TimestampMixin, Translated, utcnow
from shop.core.vat import DEFAULT_VAT_RATE
from shop.extensions import db


class Category(TimestampMixin, db.Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("category.id", ondelete="RESTRICT"), index=True
    )
    slug: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    name_ru: Mapped[str] = mapped_column(String(120), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(120))
    description_ru: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    parent = relationship("Category", remote_side=[id], back_populates="children")
    children = relationship(
        "Category", back_populates="parent", order_by="(Category.position, Category.id)"
    )
    products = relationship("Product", back_populates="category")

    name = Translated("name")
    description = Translated("description")

    def __str__(self):
        return self.name_ru


class Product(TimestampMixin, db.Model):
    __tablename__ = "product"
    __table_args__ = (
        # A category's newest products, read in order (related products); on PostgreSQL
        # from the index alone (the columns the choice reads are included).
        Index(
            "ix_product_category_newest", "category_id", "active", "id",
            postgresql_include=["min_price", "in_stock", "featured"],
        ),
        # Listings filter on the first columns and sort on the rest: counting and sorting a
        # category's products reads this index alone, never the wide product rows.
        Index(
            "ix_product_listing",
            "category_id", "active", "min_price", "in_stock", "featured", "created_at",
        ),
        Index("ix_product_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    slug: Mapped[str] = mapped_column(String(160), unique=True, nullable=False)
    name_ru: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(200))
    description_ru: Mapped[str | None] = mapped_column(Text)  # sanitised HTML
    description_en: Mapped[str | None] = mapped_column(Text)  # sanitised HTML
    # The page's own <title> and meta description for search engines (the editor's SEO tab);
    # empty: the name and the description's first words.
    meta_title_ru: Mapped[str | None] = mapped_column(String(200))
    meta_title_en: Mapped[str | None] = mapped_column(String(200))
    meta_description_ru: Mapped[str | None] = mapped_column(String(320))
    meta_description_en: Mapped[str | None] = mapped_column(String(320))
    brand: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False, index=True)
    featured: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # shop.core.vat.VatRate: the VAT inside its (VAT-inclusive) prices; order lines copy it.
    vat_rate: Mapped[str] = mapped_column(
        String(8), nullable=False, default=DEFAULT_VAT_RATE.value, server_default="22"
    )
    # Denormalised from the variants so listings can sort and filter without a join.
    min_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), index=True)
    in_stock: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # Stemmed words of names, descriptions and SKUs in both languages (search off PostgreSQL).
    search_text: Mapped[str | None] = mapped_column(Text)
    # The same on PostgreSQL as a tsvector (GIN-indexed); unused and NULL elsewhere.
    search_vector = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"), nullable=True)

    category = relationship("Category", back_populates="products")
    variants = relationship(
        "ProductVariant",
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="(ProductVariant.position, ProductVariant.id)",
    )
    images = relationship(
        "ProductImage",
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="(ProductImage.position, ProductImage.id)",
    )

    name = Translated("name")
    description = Translated("description")

    def __str__(self):
        return self.name_ru


class ProductVariant(TimestampMixin, db.Model):
    __tablename__ = "product_variant"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        # A listing's size and colour filters and its filter options: per product, read from
        # the index alone (migration 0022).
        Index("ix_product_variant_filter", "product_id", "active", "size", "colour", "price"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True, nullable=False
    )
    sku: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    size: Mapped[str | None] = mapped_column(String(32), index=True)
    colour: Mapped[str | None] = mapped_column(String(32), index=True)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2), nullable=False)
    old_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    stock: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    weight_grams: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    product = relationship("Product", back_populates="variants")

    @property
    def label(self) -> str:
        """Size and colour as a shopper reads them ("M / red"), or the SKU for a simple product."""
        parts = [p for p in (self.size, self.colour) if p]
        return " / ".join(parts)

    def __str__(self):
        return f"{self.sku}"


class ProductImage(db.Model):
    """An image kept under MEDIA_ROOT by a random name; thumbnails are derived from it."""

    __tablename__ = "product_image"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("product.id", ondelete="CASCADE"), index=True, nullable=False
    )
    filename: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    alt_ru: Mapped[str | None] = mapped_column(String(200))
    alt_en: Mapped[str | None] = mapped_column(String(200))
    # The variant colour this picture shows (as ProductVariant.colour); empty: any colour.
    colour: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    product = relationship("Product", back_populates="images")

    alt = Translated("alt")


# Every committed change of these drops the catalogue caches (menu, facets, cards).
watch_catalogue_models(Category, Product, ProductVariant, ProductImage)


def refresh_summaries(connection, product_ids) -> None:
    """Recompute the listing columns (lowest active price, any stock) of these products in SQL.

    Runs as one UPDATE, so it also serves the guarded stock updates of checkout, which bypass
    the ORM on purpose. Only rows whose values really change are written, and when any does the
    catalogue version moves on at commit (shop.core.cache): listings filtered or counted by
    stock or price (`?in_stock=1`, facets, counts) show the change on the next request, not
    after the cache's time limit. A sale that leaves stock above zero changes nothing here.
    """
    ids = sorted({pid for pid in product_ids if pid is not None})
    if not ids:
        return
    variant = ProductVariant.__table__
    product = Product.__table__
    active = (variant.c.product_id == product.c.id) & variant.c.active.is_(True)
    min_price = select(func.min(variant.c.price)).where(active).scalar_subquery()
    in_stock = exists().where(active & (variant.c.stock > 0))
    changed = connection.execute(
        product.update()
        .where(
            product.c.id.in_(ids),
            or_(product.c.min_price.is_distinct_from(min_price), product.c.in_stock != in_stock),
        )
        .values(min_price=min_price, in_stock=in_stock)
    ).rowcount
    if changed:
        note_catalogue_change(db.session)
