"""Read-side queries for the storefront, each page a fixed number of SQL statements.

Budget per page (anonymous shopper), whatever the number of products:

* every page: the category tree (menu, tiles, breadcrumbs, visibility), kept by each worker
  per catalogue version: a statement only after the catalogue changed;
* a listing (category, search, new arrivals, sale): 1 for the cards of its page. Its whole
  order of ids per sort (a search: the products it finds by relevance, one statement) is
  kept until the catalogue changes; filters and filter options are answered in Python from
  `ListingFacts`, kept by each worker per catalogue version;
* home: 1 for the cards of its shelves, +1 for their ids when not kept;
* product: 1 for the product with its variants and pictures, 1 for the related products'
  cards.
"""

import heapq
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from math import ceil, floor

from flask import current_app, has_request_context
from sqlalchemy import (
    and_,
    bindparam,
    case,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    true,
    union,
    union_all,
)
from sqlalchemy.orm import defer, joinedload

from shop.catalog.attributes import colour_label
from shop.catalog.cards import card_old_price, load_cards
from shop.catalog.models import Category, Product, ProductImage, ProductVariant
from shop.catalog.search import (
    FTS_TABLE,
    fts5_query_text,
    printable,
    query_terms,
    tsquery_text,
)
from shop.core.cache import (
    catalogue_cached,
    worker_kept,
)
from shop.core.i18n import current_language
from shop.core.models import Translated
from shop.core.sql import like_escape
from shop.extensions import db

SORTS = ("relevance", "default", "price_asc", "price_desc", "newest", "name")
MAX_PRICE = Decimal("99999999")
MAX_FILTER_VALUES = 20
# SQLite's full-text index of the products' search stems (rowid = product.id).
_FTS = table(FTS_TABLE, column("rowid"))


# --- The category tree -------------------------------------------------------------------------


class TreeCategory:
    """A category as the storefront reads it (menu, tiles, breadcrumbs, listings): a plain copy
    of its row, so the tree can be kept between requests (an ORM object must not outlive its
    session). `children` holds the visible subcategories in menu order."""

    __slots__ = ("id", "parent_id", "slug", "position", "name_ru", "name_en", "description_ru",
                 "description_en", "updated_at", "children", "parent")
    active = True  # the tree holds active categories only
    name = Translated("name")
    description = Translated("description")

    def __init__(self, row):
        (self.id, self.parent_id, self.slug, self.position, self.name_ru, self.name_en,
         self.description_ru, self.description_en, self.updated_at) = row
        self.children = []
        self.parent = None

    def __repr__(self):
        return f"<TreeCategory {self.id} {self.slug}>"


class CatalogTree:
    """Active categories that lead to at least one active product, loaded in one statement.

    A category is visible when it and all its ancestors are active and it or a descendant holds
    an active product; hidden ones get no menu entry, no tile, no sitemap line and a 404.
    """

    def __init__(self, rows):
        self.by_id = {}
        self.has_products = {}
        for *fields, has_products in rows:
            category = TreeCategory(fields)
            self.by_id[category.id] = category
            self.has_products[category.id] = bool(has_products)
        kids = {cid: [] for cid in self.by_id}
        for category in self.by_id.values():
            if category.parent_id in kids:
                kids[category.parent_id].append(category)
        order = lambda c: (c.position, c.id)  # noqa: E731
        self.visible = set()

        def visit(category) -> bool:
            category.children = [
                child for child in sorted(kids[category.id], key=order) if visit(child)
            ]
            category.parent = self.by_id.get(category.parent_id)
            if category.children or self.has_products[category.id]:
                self.visible.add(category.id)
                return True
            return False

        self.roots = [
            c for c in sorted(self.by_id.values(), key=order) if c.parent_id is None and visit(c)
        ]
        self.by_slug = {c.slug: c for c in self.by_id.values() if c.id in self.visible}
        self.visible_ids = sorted(self.visible)
        self.clauses = {}  # SQL built from the tree, kept with it (see _shown)

    def __getstate__(self):
        # Kept between requests as plain data: the SQL is built again where it is read.
        return {**self.__dict__, "clauses": {}}

    def descendant_ids(self, category) -> list[int]:
        ids = [category.id]
        for child in category.children:
            ids.extend(self.descendant_ids(child))
        return ids


_TREE_COLUMNS = (Category.id, Category.parent_id, Category.slug, Category.position,
                 Category.name_ru, Category.name_en, Category.description_ru,
                 Category.description_en, Category.updated_at)


def _load_tree() -> CatalogTree:
    has_products = (
        exists()
        .where(Product.category_id == Category.id, Product.active.is_(True))
        .where(Product.min_price.is_not(None))
        .correlate(Category)
    )
    rows = db.session.execute(
        select(*_TREE_COLUMNS, has_products.label("has_products")).where(Category.active.is_(True))
    ).all()
    return CatalogTree(rows)


def catalog_tree() -> CatalogTree:
    """The visible category tree, kept until the catalogue changes (every worker and node
    computes it once per catalogue version: a category's or a product's committed change moves
    the version).

    The worker also keeps it as it is (shop.core.cache.worker_kept), so a request does not
    unpickle it from the cache on each call. The tree is plain data, read and never changed.
    """
    if not has_request_context():
        return _load_tree()
    return worker_kept("catalog-tree", lambda: catalogue_cached("catalog-tree", _load_tree))


def nav_categories():
    """Visible top-level categories, their `.children` the visible subcategories."""
    return catalog_tree().roots


def category_by_slug(slug: str):
    return catalog_tree().by_slug.get(slug)


def breadcrumbs(category):
    """The chain of categories from the root down to `category`."""
    chain = []
    while category is not None:
        chain.append(category)
        category = category.parent
    return list(reversed(chain))


def _shown(by_category: bool = True):
    """Products a shopper may see: active, sellable (an active variant), in a visible category.

    `by_category=False` when the products are found another way (a search's ids): the
    category test is then written `category_id + 0`, which no index serves, so SQLite does
    not prefer reading every product of the visible categories through ix_product_listing
    over reading the few found by id.
    """
    tree = catalog_tree()
    clause = tree.clauses.get(by_category)
    if clause is None:  # built once per tree: the visible ids are those of this version
        category = Product.category_id if by_category else Product.category_id + 0
        clause = and_(
            Product.active.is_(True),
            Product.min_price.is_not(None),
            category.in_(tree.visible_ids or [0]),
        )
        tree.clauses[by_category] = clause
    return clause


def _product_options():
    """What the product page loads with its product, in one statement: its variants and its
    pictures (a few of each, so the joined rows are few). Built once: they hold no value of a
    request. The search stems, the widest columns of the row, are for finding, never shown."""
    if not _PRODUCT_OPTIONS:
        _PRODUCT_OPTIONS.extend((
            joinedload(Product.variants),
            joinedload(Product.images),
            defer(Product.search_text),
            defer(Product.search_vector),
        ))
    return _PRODUCT_OPTIONS


_PRODUCT_OPTIONS: list = []


# --- Filters, sorting and pages from the URL ---------------------------------------------------


def _price(value):
    try:
        amount = Decimal((value or "").strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_PRICE:
        return None
    return amount.quantize(Decimal("0.01"))


def _page(value):
    try:
        page = int(value)
    except (TypeError, ValueError):
        return 1
    return page if 0 < page < 1_000_000 else 1


def _values(args, name):
    values = []
    for value in args.getlist(name)[:MAX_FILTER_VALUES]:
        # Control characters (NUL above all: PostgreSQL refuses it) are never real values.
        value = "".join(c for c in value if c.isprintable()).strip()[:32]
        if value and value not in values:
            values.append(value)
    return values


@dataclass
class Filters:
    """What the shopper asked for in the query string; anything malformed is dropped."""

    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    sizes: list[str] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    sort: str = "default"
    page: int = 1

    @classmethod
    def from_args(cls, args, default_sort="default"):
        sort = args.get("sort", default_sort)
        if sort not in (default_sort, *SORTS[2:]):
            sort = default_sort
        price_min, price_max = _price(args.get("price_min")), _price(args.get("price_max"))
        if price_min is not None and price_max is not None and price_min > price_max:
            price_min, price_max = price_max, price_min
        return cls(
            price_min=price_min,
            price_max=price_max,
            in_stock=args.get("in_stock") in ("1", "on", "true"),
            sizes=_values(args, "size"),
            colours=_values(args, "colour"),
            sort=sort,
            page=_page(args.get("page")),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.price_min is not None
            or self.price_max is not None
            or self.in_stock
            or self.sizes
            or self.colours
        )


def _sort_key(sort: str):
    """`sort` as part of a kept order's key: only the name sort depends on the reader's
    language, so one kept order of any other sort serves both."""
    return (sort, current_language()) if sort == "name" else sort


def _order_by(sort: str, default=None):
    """The ORDER BY of a listing; `default` replaces the "default" sort (a collection's own
    order: newest first for new arrivals, the biggest discount first for the sale)."""
    if sort == "default" and default is not None:
        return default
    name = func.coalesce(getattr(Product, f"name_{current_language()}"), Product.name_ru)
    if sort == "price_asc":
        return (Product.min_price.asc(), Product.id.desc())
    if sort == "price_desc":
        return (Product.min_price.desc(), Product.id.desc())
    if sort == "newest":
        return (Product.created_at.desc(), Product.id.desc())
    if sort == "name":
        return (func.lower(name).asc(), Product.id.asc())
    return (Product.in_stock.desc(), Product.featured.desc(), Product.id.desc())


class Page:
    """One page of a listing (what the pager macro reads)."""

    def __init__(self, items, page, per_page, total):
        self.items = items
        self.page = page
        self.per_page = per_page
        self.total = total
        self.pages = max(1, ceil(total / per_page)) if total else 0
        self.has_prev = page > 1
        self.has_next = page < self.pages

    def iter_pages(self, left_edge=1, right_edge=1, left_current=2, right_current=2):
        last = 0
        for num in range(1, self.pages + 1):
            if (
                num <= left_edge
                or self.page - left_current <= num <= self.page + right_current
                or num > self.pages - right_edge
            ):
                if last + 1 != num:
                    yield None
                yield num
                last = num


def _per_page() -> int:
    try:
        value = int(current_app.config.get("PRODUCTS_PER_PAGE", 24))
    except (TypeError, ValueError):
        value = 24
    return min(max(value, 1), 200)


def _filtered_page(order, filters: "Filters") -> Page:
    """The page `filters` ask for of a listing whose whole order of ids is known (kept until
    the catalogue changes): the order is filtered in Python (`ListingFacts.select`), so a
    page costs only its cards' statement however the shopper filters.

    Every listing is served this way (categories, collections, searches): no statement is
    built per filter set, sort or page.
    """
    if filters.active:
        order = listing_facts().select(order, filters)
    return _page_of(order, filters.page)


def _page_of(order, page: int) -> Page:
    """A page of a listing of which every id is known, in order: its cards by primary key."""
    per_page = _per_page()
    total = len(order)
    pages = max(1, ceil(total / per_page))
    page = min(page, pages)  # past the last page (an old link): the last page instead
    chosen = list(order[(page - 1) * per_page : page * per_page])
    # A product gone since the order was kept is gone from the page too.
    return Page(load_cards(chosen), page, per_page, total)


def _filters_key(filters: Filters):
    return (
        filters.price_min,
        filters.price_max,
        filters.in_stock,
        tuple(sorted(filters.sizes)),
        tuple(sorted(filters.colours)),
    )


@dataclass
class Facets:
    """The filter options found among the products a listing could show."""

    sizes: list[str]
    colours: list[str]
    price_low: Decimal | None
    price_high: Decimal | None


def _size_key(value: str):
    order = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]
    if value.upper() in order:
        return (0, order.index(value.upper()), "")
    try:
        return (1, float(value.replace(",", ".")), "")
    except ValueError:
        return (2, 0, value.lower())


def _facets(cache_key, ids) -> Facets:
    """The filter options of a listing of these product ids (a function giving them: called
    only when the options are not kept), kept per `cache_key` until the catalogue changes.
    Read from `listing_facts`: no statement of their own. The same for both languages: only
    the colours' order is the reader's, sorted here."""
    sizes, colours, low, high = catalogue_cached(
        ("facets", cache_key), lambda: listing_facts().options(ids())
    )
    return Facets(sizes, sorted(colours, key=lambda c: colour_label(c).lower()), low, high)


# --- Catalogue-wide collections: new arrivals and the sale --------------------------------------

NEW_ARRIVALS_DAYS = 30


def new_arrivals_days() -> int:
    """How many days a product counts as new (`NEW_ARRIVALS_DAYS`, 1 to 365)."""
    try:
        days = int(current_app.config.get("NEW_ARRIVALS_DAYS", NEW_ARRIVALS_DAYS))
    except (TypeError, ValueError):
        days = NEW_ARRIVALS_DAYS
    return min(max(days, 1), 365)


def new_arrivals_since() -> datetime:
    """The oldest creation time of a new arrival: midnight UTC, `new_arrivals_days()` ago.

    A whole day, so the window moves once a day: it is part of the keys under which the
    listing's order, total and filter options are kept (a product ages out of the window
    without any change to the catalogue that would drop them).
    """
    today = datetime.now(UTC).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=new_arrivals_days())


def _is_new(since):
    return Product.created_at >= since


def _on_sale():
    """SQL: the product's card crosses out an old price (that of its cheapest active variant).

    The card's rule, not "any variant reduced": a product whose cheapest variant is at full
    price would show no discount on its card, and a sale page of cards without one misleads.
    """
    return card_old_price() > Product.min_price


# Newest first; what can be bought before what cannot, as on the home page's shelf.
_NEW_ORDER = (Product.in_stock.desc(), Product.created_at.desc(), Product.id.desc())


def _sale_order():
    """The biggest discount first (the lowest share of the old price), in stock first."""
    return (
        Product.in_stock.desc(),
        (Product.min_price / card_old_price()).asc(),
        Product.id.desc(),
    )


def collection_listing(name: str, filters: Filters):
    """(page of products, facets) of a catalogue-wide collection: "new" (added in the last
    `new_arrivals_days()`, newest first) or "sale" (reduced, the biggest discount first).

    The same listing as a category's, with the collection's condition instead of a subtree
    and its own default order; the other sorts and the filters are the category's. Raises
    KeyError for an unknown name.
    """
    if name == "new":
        since = new_arrivals_since()
        where = [_is_new(since)]
        order = _NEW_ORDER
        key = ("collection", "new", since.date().isoformat())
    elif name == "sale":
        where = [_on_sale()]
        order = _sale_order()
        key = ("collection", "sale")
    else:
        raise KeyError(name)

    def read_order():
        ids = select(Product.id).where(_shown(), *where).order_by(
            *_order_by(filters.sort, default=order)
        )
        return array("I", db.session.scalars(ids))

    # The whole order of the collection for this sort, kept as a compact array (4 bytes an id:
    # the largest listing of a 10,000-product shop costs 40 KB of cache).
    whole = catalogue_cached(("listing-order", key, _sort_key(filters.sort)), read_order)
    return _filtered_page(whole, filters), _facets(key, lambda: whole)


# --- Pages -------------------------------------------------------------------------------------


@dataclass
class HomeCollections:
    """The home page's shelves; `bestsellers` says whether `popular` starts with what sold
    (else it holds only the shop's featured products: a new shop has no sales yet)."""

    newest: list
    on_sale: list
    popular: list
    bestsellers: bool


def home_collections(bestseller_ids: list[int], limit: int = 8) -> HomeCollections:
    """New arrivals, products on sale and popular products: one statement (their cards), +1
    when the shelves' ids are not kept yet.

    * new: the first of the new arrivals page (`collection_listing("new")`): added in the last
      `new_arrivals_days()`, in stock first, newest first;
    * on sale: the first of the sale page that are in stock (the card crosses out an old
      price), the biggest discount first;
    * popular: `bestseller_ids` (ranked by shop.reports.bestsellers) that a shopper may see,
      then the featured products to fill the shelf.

    The top ids of each shelf are fetched as one union; each shelf is then cut back out of it
    in Python, which gives exactly the database's top `limit` because the union contains it.
    """
    since = new_arrivals_since()

    def shelves_ids():
        shown = _shown()
        newest_ids = (
            select(Product.id).where(shown, _is_new(since)).order_by(*_NEW_ORDER).limit(limit)
        )
        sale_ids = (
            select(Product.id)
            .where(shown, Product.in_stock.is_(True), _on_sale())
            .order_by(*_sale_order())
            .limit(limit)
        )
        featured_ids = (
            select(Product.id)
            .where(shown, Product.featured.is_(True))
            .order_by(Product.in_stock.desc(), Product.id.desc())
            .limit(limit)
        )
        candidates = select(Product.id).where(
            shown,
            or_(
                Product.id.in_(newest_ids),
                Product.id.in_(sale_ids),
                Product.id.in_(featured_ids),
                Product.id.in_(list(bestseller_ids)),
            ),
        )
        return list(db.session.scalars(candidates))

    # The shelves' ids are kept until the catalogue changes: finding the biggest discounts
    # compares every product's cheapest variant with its old price (50 ms on 10,000
    # products), the same for every visitor. Each request then reads their cards by id, so
    # they show the prices and stock of now.
    ids = catalogue_cached(
        ("home-shelves", limit, since.isoformat(), tuple(bestseller_ids)), shelves_ids
    )
    products = load_cards(ids)
    newest = sorted(
        (p for p in products if p.created_at >= since),
        key=lambda p: (not p.in_stock, -p.created_at.timestamp(), -p.id),
    )
    on_sale = sorted(
        (p for p in products if p.in_stock and (p.card_old_price or 0) > p.min_price),
        key=lambda p: (p.min_price / p.card_old_price, -p.id),
    )
    by_id = {p.id: p for p in products}
    sold = [by_id[i] for i in bestseller_ids if i in by_id]
    featured = sorted((p for p in products if p.featured), key=lambda p: (not p.in_stock, -p.id))
    popular = sold + [p for p in featured if p not in sold]
    return HomeCollections(newest[:limit], on_sale[:limit], popular[:limit], bool(sold))


def leading_category(products):
    """The top category holding most of `products` (the first in menu order on a tie): where
    a shelf's "see more" link leads. None for no products."""
    tree = catalog_tree()
    counts = {}
    for product in products:
        category = tree.by_id.get(product.category_id)
        while category is not None and category.parent_id is not None:
            category = tree.by_id.get(category.parent_id)
        if category is not None:
            counts[category.id] = counts.get(category.id, 0) + 1
    ranked = [root for root in tree.roots if root.id in counts]
    return max(ranked, key=lambda root: counts[root.id]) if ranked else None


@dataclass(frozen=True)
class TileImage:
    """The picture of a category tile (a plain copy, kept between requests)."""

    filename: str
    width: int
    height: int


def category_tile_images(roots) -> dict:
    """{top category id: TileImage}: the first picture of the best product (featured, then in
    stock) of the category itself, else of its first subcategory in menu order that has one.
    The pictures of every category are found in one statement, kept until the catalogue
    changes."""
    firsts = catalogue_cached("category-tile-images", _first_image_by_category)

    def find(category):
        if category.id in firsts:
            return firsts[category.id]
        for child in category.children:
            found = find(child)
            if found is not None:
                return found
        return None

    tiles = {}
    for root in roots:
        found = find(root)
        if found is not None:
            tiles[root.id] = found
    return tiles


def _first_image_by_category() -> dict:
    rank = (
        func.row_number()
        .over(
            partition_by=Product.category_id,
            order_by=(
                Product.featured.desc(),
                Product.in_stock.desc(),
                Product.id,
                ProductImage.position,
                ProductImage.id,
            ),
        )
        .label("rank")
    )
    ranked = (
        select(
            Product.category_id,
            ProductImage.filename,
            ProductImage.width,
            ProductImage.height,
            rank,
        )
        .join(ProductImage, ProductImage.product_id == Product.id)
        .where(_shown())
        .subquery()
    )
    rows = db.session.execute(select(ranked).where(ranked.c.rank == 1)).all()
    return {row.category_id: TileImage(row.filename, row.width, row.height) for row in rows}


def category_listing(category, filters: Filters):
    """(page of products, facets) of a category and its subcategories.

    Without filters, the page comes from the category's whole order, kept until the
    catalogue changes (`_category_order`): every page of it, deep ones included, is then one
    primary-key read.
    """
    tree = catalog_tree()
    whole = _category_order(tree, category, filters.sort)
    return _filtered_page(whole, filters), _facets(("category", category.id), lambda: whole)


class ListingFacts:
    """What filters and filter options ask of each shown product, to filter a kept order and
    list a listing's options in Python: its lowest and highest price (in kopecks) and stock,
    and which sizes and colours its active variants have (one variant must have both a
    chosen size and a chosen colour, as a shopper means it).

    Products whose active variants come in the same (size, colour) pairs share one "kind"
    (a shop sells a few size runs in a few colours: a few hundred kinds for thousands of
    products), so a filter by size or colour picks kinds (indexed by size, colour and pair),
    then the products of those kinds: sets of product ids per size, colour and pair took
    4.5 MB of each worker's memory in a 10,000-product shop. A shop whose every product is
    a kind of its own costs what those sets did, no more.

    Read in one statement over the active variants of shown products, kept by each worker
    for its catalogue version (`listing_facts`): a filtered page then costs no statement of
    its own, where building and running one per filter set cost most of it.
    """

    def __init__(self, rows):
        """`rows`: (product id, lowest price, in stock, size, colour, price) of every active
        variant of a shown product, a product's rows one after another."""
        self.price: dict[int, int] = {}
        self.top: dict[int, int] = {}
        self.stocked: set[int] = set()
        # product id -> its kind's number; self.kinds[number]: the kind's (size, colour) pairs
        self.kind: dict[int, int] = {}
        numbers: dict[frozenset, int] = {}
        current, pairs = None, set()

        def close():
            if current is not None:
                self.kind[current] = numbers.setdefault(frozenset(pairs), len(numbers))

        for product_id, min_price, in_stock, size, colour, price in rows:
            kopecks = int(price * 100)  # prices have two decimals
            if product_id != current:
                close()
                current, pairs = product_id, set()
                self.price[product_id] = int(min_price * 100)
                self.top[product_id] = kopecks
                if in_stock:
                    self.stocked.add(product_id)
            elif kopecks > self.top[product_id]:
                self.top[product_id] = kopecks
            pairs.add((size, colour))
        close()
        self.kinds: list[frozenset] = list(numbers)
        # The kinds with a variant of each size, colour and (size, colour) pair.
        self.by_size: dict[str, set] = {}
        self.by_colour: dict[str, set] = {}
        self.by_pair: dict[tuple, set] = {}
        for number, kind_pairs in enumerate(self.kinds):
            for size, colour in kind_pairs:
                self.by_size.setdefault(size, set()).add(number)
                self.by_colour.setdefault(colour, set()).add(number)
                self.by_pair.setdefault((size, colour), set()).add(number)

    def _kinds_with_variant(self, sizes, colours) -> set | None:
        """The kinds with a variant of one of `sizes` and of one of `colours` (either list
        empty: any); None when neither is asked."""
        if sizes and colours:
            sets = [self.by_pair.get((s, c), ()) for s in sizes for c in colours]
        elif sizes:
            sets = [self.by_size.get(s, ()) for s in sizes]
        elif colours:
            sets = [self.by_colour.get(c, ()) for c in colours]
        else:
            return None
        return set().union(*sets)

    def select(self, order, filters: "Filters") -> list[int]:
        """The ids of `order` (in order) that pass `filters`."""
        ids = order
        kinds = self._kinds_with_variant(filters.sizes, filters.colours)
        if kinds is not None:
            kind = self.kind
            ids = [i for i in ids if kind.get(i) in kinds]
        if filters.in_stock:
            stocked = self.stocked
            ids = [i for i in ids if i in stocked]
        if filters.price_min is None and filters.price_max is None:
            return list(ids)
        # Prices are whole kopecks: `price >= 19.995` is `kopecks >= 2000`, `<= 19.995` is
        # `kopecks <= 1999`, as the amounts compare.
        low = ceil(filters.price_min * 100) if filters.price_min is not None else -1
        high = floor(filters.price_max * 100) if filters.price_max is not None else 1 << 62
        price = self.price
        return [i for i in ids if low <= price.get(i, -1) <= high]

    def options(self, ids) -> tuple:
        """(sizes in size order, colours, lowest price, highest price) among the active
        variants of these products: what a listing of them offers to filter by."""
        kind, price, top = self.kind, self.price, self.top
        ids = [i for i in ids if i in kind]
        pairs = set().union(*(self.kinds[n] for n in {kind[i] for i in ids}))
        sizes = sorted({size for size, _colour in pairs if size}, key=_size_key)
        colours = sorted({colour for _size, colour in pairs if colour})
        low = Decimal(min(price[i] for i in ids)).scaleb(-2) if ids else None
        high = Decimal(max(top[i] for i in ids)).scaleb(-2) if ids else None
        return sizes, colours, low, high


def listing_facts() -> ListingFacts:
    """This worker's `ListingFacts` for the catalogue version of the request (read again after
    any catalogue change)."""
    # Read through the Core connection, row by row as they are used: the ORM's execute
    # builds every row of the result first, and the memory a worker takes at its peak stays
    # taken (16 MB for the 30,000 variants of the benchmark's catalogue, where what is kept
    # takes 3).
    return worker_kept("listing-facts", lambda: ListingFacts(db.session.connection().execute(
        select(ProductVariant.product_id, Product.min_price, Product.in_stock,
               ProductVariant.size, ProductVariant.colour, ProductVariant.price)
        .join(Product, Product.id == ProductVariant.product_id)
        .where(_shown(), ProductVariant.active.is_(True))
        .order_by(ProductVariant.product_id)  # a product's rows together
    )))


def _category_order(tree, category, sort: str) -> array:
    """The ids of the products a category's listing shows, in the order of `sort`.

    Cut out of the whole catalogue's order for that sort (`_catalogue_order`), which is read
    once per sort and catalogue version: a worker sorts the catalogue a handful of times
    instead of once for every category and sort a shopper opens (a shop of 10,000 products
    has a few hundred such pairs, and sorting a large subtree took milliseconds each). A
    category without visible subcategories takes its part as it is; a parent's parts are
    merged by their places in the whole order (kept in turn). Only the name sort depends on
    the language.
    """
    by_category = _kept_catalogue_order(sort)
    parts = [by_category[c] for c in tree.descendant_ids(category) if c in by_category]
    if len(parts) <= 1:
        return parts[0][1] if parts else array("I")

    def merge():
        merged = heapq.merge(*(zip(places, ids, strict=True) for places, ids in parts))
        return array("I", [product_id for _place, product_id in merged])

    return catalogue_cached(("category-order", category.id, _sort_key(sort)), merge)


def _kept_catalogue_order(sort: str) -> dict:
    """`_catalogue_order(sort)`, kept until the catalogue changes."""
    return catalogue_cached(("catalogue-order", _sort_key(sort)), lambda: _catalogue_order(sort))


def _catalogue_order(sort: str) -> dict:
    """{category id: (places, ids)} of every product shown in a category, in `sort` order:
    `ids` the category's own products in that order, `places` their places in the whole
    catalogue's order (to merge subcategories)."""
    rows = db.session.connection().execute(  # row by row, as listing_facts reads
        select(Product.id, Product.category_id).where(_shown()).order_by(*_order_by(sort))
    )
    by_category: dict = {}
    for place, (product_id, category_id) in enumerate(rows):
        kept = by_category.get(category_id)
        if kept is None:
            kept = by_category[category_id] = (array("I"), array("I"))
        kept[0].append(place)
        kept[1].append(product_id)
    return by_category


def _catalogue_sequence(sort: str) -> array:
    """Every shown product's id in `sort` order (the whole catalogue's, `_catalogue_order`
    laid out by place), kept by each worker for its catalogue version: what a search's
    products are cut out of, in order."""
    def lay_out():
        by_category = _kept_catalogue_order(sort)
        whole = array("I", bytes(4 * sum(len(ids) for _places, ids in by_category.values())))
        for places, ids in by_category.values():
            for place, product_id in zip(places, ids, strict=True):
                whole[place] = product_id
        return whole

    return worker_kept(f"catalogue-sequence:{_sort_key(sort)!r}", lay_out)


def search_listing(q: str, filters: Filters):
    """(page, facets) for a search; (None, None) when the query has no searchable word.

    The products a query finds are read once, in order of relevance (`_ranked`: one
    statement), and kept per query until the catalogue changes; its order for another sort
    is cut from the catalogue's own (`_catalogue_sequence`) and kept too (shoppers page
    through results, sort and filter them, and search again). Filters and filter options
    come from `ListingFacts`, as a category's: a search costs at most one statement of its
    own, and none once kept.
    """
    if not query_terms(q):
        return None, None
    key = ("search", q.lower())
    ranked = catalogue_cached(("search-order", key, "relevance"), lambda: _ranked(q))
    whole = ranked
    if filters.sort != "relevance":
        whole = catalogue_cached(
            ("search-order", key, _sort_key(filters.sort)),
            lambda: _in_catalogue_order(ranked, filters.sort),
        )
    return _filtered_page(whole, filters), _facets(key, lambda: ranked)


def _ranked(q: str) -> array:
    """The ids of the shown products `q` finds, by relevance: what can be bought first, then
    the higher rank (`match_and_rank`), then the newer id, as a listing sorts."""
    match, rank = match_and_rank(db.session.get_bind().dialect.name, q)
    rows = db.session.execute(
        select(Product.id, rank).where(_shown(by_category=False), match)
    ).all()
    stocked = listing_facts().stocked
    rows.sort(key=lambda row: (row[0] in stocked, row[1], row[0]), reverse=True)
    return array("I", [row[0] for row in rows])


def _in_catalogue_order(ids, sort: str) -> array:
    """These product ids in the catalogue's order for `sort`."""
    chosen = set(ids)
    return array("I", [i for i in _catalogue_sequence(sort) if i in chosen])


def match_and_rank(dialect_name: str, q: str):
    """A (where clause, rank expression) pair for products matching `q`, or None for no words
    (the words and stems come from shop.catalog.search).

    Both engines find the same products: every word of the query, as any of its stems, starts a
    word of the product's names, shelves or descriptions (through an index: the tsvector's GIN
    on PostgreSQL, the FTS5 table `product_fts` on SQLite), or the query starts a SKU of one
    of its variants. Both rank by the same rule: a word found in the names counts most, then
    one in the shelves, then one in the descriptions; a SKU the query starts adds most.

    The clause is meant for a SELECT over `product`.
    """
    terms = query_terms(q)
    raw = printable(q)[:64]
    if not terms:
        return None
    sku_pattern = like_escape(raw.lower()) + "%"
    if dialect_name == "postgresql":
        # The SKUs are read once per statement (a CTE), however often the statement asks, from
        # ix_product_variant_sku_nocase (lower(sku) text_pattern_ops, migration 0013_fts_search).
        skus = (
            select(ProductVariant.product_id)
            .where(func.lower(ProductVariant.sku).like(sku_pattern, escape="\\"))
            .cte("sku_match")
        )
        sku_ids = select(skus.c.product_id)
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery_text(terms))
        vector = Product.search_vector
        # A union of ids, as on SQLite: an OR of the two let PostgreSQL read every product
        # (and test its tsvector) instead of asking the GIN index.
        text_ids = select(Product.id).where(vector.op("@@")(tsquery)).correlate(None)
        rank = func.ts_rank(vector, tsquery) + case((Product.id.in_(sku_ids), 1.0), else_=0.0)
        return Product.id.in_(union(text_ids, sku_ids)), rank
    # SQLite's LIKE ignores ASCII case as lower() does; without lower() it can read the prefix
    # from ix_product_variant_sku_nocase (migration 0013_fts_search) instead of every variant.
    sku_ids = select(ProductVariant.product_id).where(
        ProductVariant.sku.like(sku_pattern, escape="\\")
    )
    text_ids = select(_FTS.c.rowid).where(literal_column(FTS_TABLE).match(fts5_query_text(terms)))
    # One IN over the union, not an OR of two: without statistics (no ANALYZE) SQLite then
    # still reads the products by these ids, where an OR let it prefer reading every product
    # of the visible categories through ix_product_category_newest.
    found = Product.id.in_(union(text_ids, sku_ids))
    # The rank reads the found rows' own `search_text` (what `product_fts` holds, split in
    # its columns): per word, 3 when it starts a word of the names, 2 of the shelves, else 1.
    rank_parts = []
    text = Product.search_text
    head = func.substr(text, 1, func.instr(text, "|"))
    rest = func.substr(text, func.instr(text, "|") + 1)
    shelf = func.substr(rest, 1, func.instr(rest, "|"))
    for variants in terms:
        patterns = [f"% {like_escape(v)}%" for v in variants]
        rank_parts.append(
            case(
                (or_(*(head.like(p, escape="\\") for p in patterns)), 3),
                (or_(*(shelf.like(p, escape="\\") for p in patterns)), 2),
                else_=1,
            )
        )
    rank = sum(rank_parts[1:], rank_parts[0]) + case((Product.id.in_(sku_ids), 10), else_=0)
    return found, rank + literal(0)


RELATED_CANDIDATES = 25  # newest products read per category to pick related products from


def _newest(category_id):
    """The newest shown products of one category, read in the order of
    ix_product_category_newest (category, active, id: no sort)."""
    return (
        select(Product.id, Product.category_id, Product.in_stock, Product.featured)
        .where(
            Product.category_id == category_id,
            # `= true`, not `IS true`: PostgreSQL matches only the former against the index,
            # and then reads the newest in its order instead of walking the whole table
            # backwards by id (7 ms a product page on the benchmark's catalogue).
            Product.active == true(),
            Product.min_price.is_not(None),
        )
        .order_by(Product.id.desc())
        .limit(RELATED_CANDIDATES)
        .subquery()
    )


def _related_candidates(tree, root_id) -> list[tuple]:
    """(id, category id, in stock, featured) of the newest products of every visible category
    under the top-level category `root_id`, each category read in its index's order (no sort
    over a category, let alone the catalogue: comparing every product's top-level category
    took 20 of a product page's 30 ms on 10,000 products)."""
    family = [cid for cid in sorted(tree.visible) if _root_id(tree, cid) == root_id]
    if not family:
        return []
    parts = [select(*sub.c) for sub in map(_newest, family)]
    stmt = union_all(*parts) if len(parts) > 1 else parts[0]
    return [tuple(row) for row in db.session.execute(stmt)]


_PRODUCT_BY_SLUG: list = []


def product_with_related(slug: str, limit: int = 4):
    """(product, cards of related products) by slug; (None, []) if hidden.

    The product comes with its variants and pictures in one statement (built once, the slug
    its parameter). Related products come from the same top-level category: the product's
    own category first, then in stock, featured, newest. Their candidates, the newest
    RELATED_CANDIDATES of each category of that top level, are the same for every product
    there: they are kept per top-level category until the catalogue changes, so a product
    page reads its product and its related cards (two statements).
    """
    if not _PRODUCT_BY_SLUG:
        _PRODUCT_BY_SLUG.append(
            select(Product).where(Product.slug == bindparam("slug")).options(*_product_options())
        )
    product = db.session.scalars(_PRODUCT_BY_SLUG[0], {"slug": slug}).unique().first()
    tree = catalog_tree()
    if product is None or not product.active or product.category_id not in tree.visible:
        return None, []
    root = _root_id(tree, product.category_id)
    candidates = catalogue_cached(("related", root), lambda: _related_candidates(tree, root))
    best = sorted(
        (row for row in candidates if row[0] != product.id),
        key=lambda row: (row[1] != product.category_id, not row[2], not row[3], -row[0]),
    )[:limit]
    return product, load_cards([row[0] for row in best])


def _root_id(tree, category_id):
    category = tree.by_id[category_id]
    while category.parent_id is not None and category.parent_id in tree.by_id:
        category = tree.by_id[category.parent_id]
    return category.id


def sitemap_entries():
    """(categories, products) for sitemap.xml: only what a shopper can open."""
    tree = catalog_tree()
    categories = [tree.by_id[cid] for cid in sorted(tree.visible)]
    products = db.session.execute(
        select(Product.slug, Product.updated_at).where(_shown()).order_by(Product.id)
    ).all()
    return categories, products
