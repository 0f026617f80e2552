"""Staff find a variant by what they type: its SKU or its product's name (issue 19).

One search for the back office's pages that add an item by hand: the order editor's "add an
item" (admin/order_edit.py) and the phone order's variant search (admin/phone_order.py). They
used to have one each, with different rules (one matched the whole text anywhere in the SKU
or a name and folded only ASCII case on SQLite; the other wanted every word, ordered by
name, and put no exact SKU first).

This is not the storefront's search (shop.catalog.search: stems, ranks, products): staff know
an SKU or a few letters of a name, and want variants, exact SKU first.
"""

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager

from shop.catalog.models import Product, ProductVariant
from shop.core.sql import contains_word, starts_with_word, text_lower
from shop.extensions import db

SEARCH_LIMIT = 20
MIN_LENGTH = 2  # one letter is in nearly every name: a page of noise
MAX_LENGTH = 100
MAX_WORDS = 5


def find_variants(text: str | None, limit: int = SEARCH_LIMIT, *,
                  include_inactive: bool = False) -> list[ProductVariant]:
    """Variants whose SKU starts with the text typed, or whose product's name (ru or en)
    holds every word of it; ignoring case in any alphabet, with `%` and `_` taken literally.

    A word may also be the start of the SKU ("hat-01 red" narrows nothing a SKU cannot).
    Only variants on sale (the variant and its product active) unless `include_inactive`.
    The exact SKU comes first, then SKUs starting with the text, then by product name (ru),
    the variants' order on the product page, and id; at most `limit`, each with its product
    loaded. Text shorter than two characters, or holding a NUL, finds nothing. Raises nothing.
    """
    typed = " ".join((text or "").split())[:MAX_LENGTH]
    if len(typed) < MIN_LENGTH or "\x00" in typed or limit <= 0:
        return []
    typed = typed.lower()
    words = typed.split()[:MAX_WORDS]
    sku = ProductVariant.sku
    sku_starts = starts_with_word(sku, typed)
    every_word = and_(*(
        or_(starts_with_word(sku, word), contains_word(Product.name_ru, word),
            contains_word(Product.name_en, word))
        for word in words
    ))
    query = (
        select(ProductVariant)
        .join(ProductVariant.product)
        .options(contains_eager(ProductVariant.product))
        .where(or_(sku_starts, every_word))
        .order_by((text_lower(sku) == typed).desc(), sku_starts.desc(), Product.name_ru,
                  ProductVariant.position, ProductVariant.id)
        .limit(limit)
    )
    if not include_inactive:
        query = query.where(ProductVariant.active.is_(True), Product.active.is_(True))
    return list(db.session.scalars(query))
