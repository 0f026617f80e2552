"""Product cards: what listings, shelves and related products show of each product.

A card is read as a plain row, not as an ORM object: one Core statement gives a page its cards
with everything they show (the lowest price and the old price it crosses out, whether prices
differ, the first picture), and building two dozen `Product` objects with their images was
most of a listing's time (bench/profile_page.py --pages). Listings find their ids first, then
read their cards by id.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

from flask import current_app
from markupsafe import Markup
from sqlalchemy import bindparam, func, select

from shop.catalog.models import Product, ProductImage, ProductVariant
from shop.core.cache import fragments_cached
from shop.core.models import Translated
from shop.extensions import db


@dataclass(slots=True, eq=False)
class CardImage:
    """The first picture of a product (its lowest position)."""

    filename: str
    width: int
    height: int
    alt_ru: str | None
    alt_en: str | None

    alt = Translated("alt")


@dataclass(slots=True, eq=False)
class Card:
    """One product as a card shows it; `name` is in the reader's language."""

    id: int
    slug: str
    name_ru: str
    name_en: str | None
    category_id: int
    featured: bool
    created_at: datetime
    min_price: Decimal | None
    in_stock: bool
    # The old price of the cheapest active variant (crossed out when above min_price), and the
    # highest active price ("from" when above min_price).
    card_old_price: Decimal | None
    card_max_price: Decimal | None
    image: CardImage | None

    name = Translated("name")

    @property
    def images(self) -> list:
        """As `Product.images`, for templates: the first picture, or none."""
        return [self.image] if self.image is not None else []

    @property
    def several_prices(self) -> bool:
        """Its variants cost different amounts: the card says "from" the lowest."""
        return (
            self.min_price is not None and self.card_max_price is not None
            and self.card_max_price > self.min_price
        )

    @property
    def on_sale(self) -> bool:
        """The card crosses out an old price."""
        return bool(
            self.min_price is not None and self.card_old_price
            and self.card_old_price > self.min_price
        )


def card_old_price():
    """SQL: the old price of a product's cheapest active variant, the one its card crosses out."""
    return (
        select(ProductVariant.old_price)
        .where(ProductVariant.product_id == Product.id, ProductVariant.active.is_(True))
        .order_by(ProductVariant.price, ProductVariant.position, ProductVariant.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )


def first_image_column(column):
    """SQL: `column` of the product's first picture (its lowest position), for a statement
    over `product`."""
    return (
        select(column)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )


_PRODUCT_COLUMNS = (
    Product.id, Product.slug, Product.name_ru, Product.name_en, Product.category_id,
    Product.featured, Product.created_at, Product.min_price, Product.in_stock,
)
_IMAGE_COLUMNS = (
    ProductImage.filename, ProductImage.width, ProductImage.height, ProductImage.alt_ru,
    ProductImage.alt_en,
)
# Where a row's picture starts: after the product's columns and the two prices.
_IMAGE_AT = len(_PRODUCT_COLUMNS) + 2

# The cards of some products, the ids a parameter. Built once, so that SQLAlchemy reuses its
# compiled form and its result's column map as they are (a new statement object of the same
# shape costs matching its columns again, a third of a small statement's time).
_CARDS_BY_ID = (
    select(
        *_PRODUCT_COLUMNS,
        card_old_price(),
        select(func.max(ProductVariant.price))
        .where(ProductVariant.product_id == Product.id, ProductVariant.active.is_(True))
        .correlate(Product)
        .scalar_subquery(),
        *_IMAGE_COLUMNS,
    )
    .outerjoin(ProductImage, ProductImage.id == first_image_column(ProductImage.id))
    .where(Product.id.in_(bindparam("card_ids", expanding=True)))
)


def load_cards(ids) -> list[Card]:
    """The cards of these product ids, in their order (one statement); ids not found are left
    out."""
    ids = list(ids)
    if not ids:
        return []
    by_id = {}
    for row in db.session.execute(_CARDS_BY_ID, {"card_ids": ids}):
        image = CardImage(*row[_IMAGE_AT:]) if row[_IMAGE_AT] is not None else None
        by_id[row[0]] = Card(*row[:_IMAGE_AT], image)
    return [by_id[i] for i in ids if i in by_id]


# What the HTML of cards has in common (the markup of the `card_body` macro, in both languages,
# on sale and sold out; card_dictionary.html): zlib's preset dictionary for kept cards
# (shop.core.cache.fragments_cached), each of which then keeps about a hundred bytes of its own
# instead of four hundred, so a worker's cache holds more cards. A matter of size only: cards
# of a changed macro are still kept right, if less small.
CARD_SHARED = (Path(__file__).parent / "card_dictionary.html").read_bytes()


# --- Rendering ----------------------------------------------------------------------------------


def product_cards_html(cards, heading_level: int = 3, eager: int = 0) -> Markup:
    """The cards' HTML, one after another (the `card_body` macro of macros/products.html);
    the first `eager` load their pictures at once.

    Each card is rendered once per product, language and catalogue version, then reused by
    every listing, shelf and page (shop.core.cache.fragments_cached). One entry serves every
    place: the kept HTML has an h2 title and a lazy picture, changed here for another heading
    level and for a card on screen when the page opens. The stock and the lowest price the
    row was read with are in the key as well, so a card never shows other values than the
    row it is drawn for.
    """
    macro = _card_macro()
    kept = fragments_cached(
        "card",
        [((card.id, card.in_stock, card.min_price), partial(macro, card)) for card in cards],
        shared=CARD_SHARED,
    )
    parts = []
    for number, html in enumerate(kept):
        html = str(html)
        if heading_level != 2:
            html = html.replace("<h2 ", f"<h{heading_level} ", 1).replace(
                "</h2>", f"</h{heading_level}>", 1
            )
        if number < eager:
            html = html.replace('loading="lazy"', 'fetchpriority="high"', 1)
        parts.append(html)
    return Markup("".join(parts))  # noqa: S704 (kept, escaped cards with two tags changed)


def _card_macro():
    return current_app.jinja_env.get_template("macros/products.html").module.card_body
