"""Saving catalogue content: slugs, sanitised descriptions and search data, made in one place.

Whoever creates or changes a category, a product or its variants calls this module after
setting their fields and before the flush (the commit flushes), in the same transaction:

    category = Category(name_ru="Обувь", name_en="Shoes")        # slug left empty
    db.session.add(category)
    saving.save_category(category)
    product = Product(category=category, name_ru="Кеды", description_ru=html_from_staff)
    product.variants.append(ProductVariant(sku="KED-1", price=Decimal("2990")))
    db.session.add(product)
    saving.save_product(product)        # after its variants: their SKUs are searched
    db.session.commit()

* `save_category(category)`: an empty slug made from the name (transliterated, unique), the
  descriptions sanitised; a renamed or moved category refreshes the search data of every
  product under it (category names are searched).
* `save_product(product)`: the same for the product, then its search data (`search_text`, and
  `search_vector` on PostgreSQL) built by `shop.catalog.search` from its names, descriptions,
  SKUs and shelves.
* `save_variant(variant)`: a variant changed on its own (a new SKU) saves its product.

None of them commits or flushes: the caller's service owns the transaction. Calling one twice
is harmless: a description is sanitised once (the value a call cleaned is not cleaned again)
and the search text is written only when it changes. A typed slug is kept as it is (the back
office normalises what staff type; the CSV import refuses a bad one).

The back office (admin/catalog.py), the CSV import (shop.inventory.catalog_csv) and the demo
seed (shop.cli.demo) call these. Until every writer does, `shop.catalog.hooks` calls them at
flush time for a catalogue object its caller did not save (`needs_saving`): a safety net, not
the way to save.
"""

from sqlalchemy import inspect, select

from shop.catalog.models import Category, Product, ProductVariant
from shop.catalog.sanitize import clean_html
from shop.catalog.search import build_search_text, vector_expression
from shop.catalog.slugs import make_slug, unique_slug
from shop.extensions import db

DESCRIPTIONS = ("description_ru", "description_en")
# What a save depends on, per model: a change to one of these after the save needs another.
SAVED_FIELDS = {
    Category: ("slug", "name_ru", "name_en", *DESCRIPTIONS, "parent_id", "parent"),
    Product: ("slug", "name_ru", "name_en", *DESCRIPTIONS, "category_id", "category"),
    ProductVariant: ("sku", "product_id", "product"),
}
_SAVED = "catalogue_saved"  # InstanceState.info key: the fields' values when last saved
_CLEAN = "catalogue_clean"  # InstanceState.info key: description values already sanitised
_DELETED = ("deleted",)


def save_category(category: Category, session=None) -> None:
    """Prepare a new or changed category for the flush: slug, descriptions, products' search
    data when its name or place in the tree changed. Raises nothing of its own."""
    session = session or db.session
    renamed = _has_changes(category, ("name_ru", "name_en", "parent_id", "parent"))
    with session.no_autoflush:
        _sanitise(category)
        _fill_slug(session, category)
        if renamed and category.id is not None:
            for product in _products_under(session, category):
                _refresh_search(session, product)
    _remember(category)


def save_product(product: Product, session=None) -> None:
    """Prepare a new or changed product (and its variants) for the flush: slug, descriptions,
    search data. Call it after the variants are set. Raises nothing of its own."""
    session = session or db.session
    with session.no_autoflush:
        _sanitise(product)
        _fill_slug(session, product)
        _refresh_search(session, product)
        for variant in product.variants:
            if variant in session.deleted:
                inspect(variant).info[_SAVED] = _DELETED
            else:
                _remember(variant)
    _remember(product)


def save_variant(variant: ProductVariant, session=None) -> None:
    """A variant added, changed or deleted on its own: its product's search data follows."""
    if variant.product is not None:
        save_product(variant.product, session)


def assign_clean(obj, name: str, value: str | None) -> None:
    """Set a description its caller already sanitised with `clean_html` (the CSV import
    cleans while it parses, so its preview shows the text that will be stored); the save does
    not clean it again."""
    setattr(obj, name, value)
    inspect(obj).info.setdefault(_CLEAN, {})[name] = value


def needs_saving(obj, session) -> bool:
    """Whether a catalogue object in the session changed what a save depends on since its last
    save (or was never saved): the safety net's question."""
    state = inspect(obj)
    if obj in session.deleted:
        return isinstance(obj, ProductVariant) and state.info.get(_SAVED) != _DELETED
    fields = SAVED_FIELDS[type(obj)]
    if not _has_changes(obj, fields):
        return False
    return state.info.get(_SAVED) != tuple(state.dict.get(name) for name in fields)


def shelf_names(product: Product, session=None) -> list[str]:
    """Names (ru and en) of the product's category and every category above it: searched too."""
    names, seen = [], set()
    category = product.category
    if product.category_id is not None and session is not None:
        state = inspect(product)
        moved_by_id = state.attrs.category_id.history.has_changes() and not (
            state.attrs.category.history.has_changes()
        )
        if category is None or moved_by_id:
            category = session.get(Category, product.category_id)  # given by id only
    while category is not None and id(category) not in seen:
        seen.add(id(category))
        names += [category.name_ru, category.name_en]
        category = category.parent
    return [name for name in names if name]


# --- the steps -------------------------------------------------------------------------------


def _has_changes(obj, fields) -> bool:
    """New objects always; persistent ones when one of these attributes has pending changes."""
    state = inspect(obj)
    if state.pending or not state.has_identity:
        return True
    return any(state.attrs[name].history.has_changes() for name in fields)


def _remember(obj) -> None:
    fields = SAVED_FIELDS[type(obj)]
    state = inspect(obj)
    for name in fields:
        getattr(obj, name)  # loaded now, so the net compares what was saved with what is
    state.info[_SAVED] = tuple(state.dict.get(name) for name in fields)


def _sanitise(obj) -> None:
    """Staff HTML through nh3, once: a value as loaded from the database was cleaned when it
    was saved, and a value this module cleaned is not cleaned again."""
    state = inspect(obj)
    clean = state.info.setdefault(_CLEAN, {})
    for name in DESCRIPTIONS:
        value = getattr(obj, name)
        if not value or clean.get(name) == value:
            continue
        if state.has_identity and not state.attrs[name].history.has_changes():
            continue
        clean[name] = clean_html(value)
        setattr(obj, name, clean[name])


def _fill_slug(session, obj) -> None:
    """An empty slug becomes the transliterated name, made unique among its model's slugs."""
    if obj.slug:
        return
    model = type(obj)
    base = make_slug(obj.name_ru or obj.name_en or "") or model.__name__.lower()
    taken = {
        slug
        for slug, row_id in session.execute(
            select(model.slug, model.id).where(model.slug.like(base[:100] + "%"))
        )
        if row_id != obj.id
    }
    taken |= {o.slug for o in session.new if isinstance(o, model) and o.slug and o is not obj}
    obj.slug = unique_slug(base, taken)


def _products_under(session, category: Category) -> set:
    """Products filed under this category or any of its descendants."""
    ids = {category.id}
    frontier = set(ids)
    while frontier:
        frontier = set(session.scalars(select(Category.id).where(Category.parent_id.in_(frontier))))
        frontier -= ids
        ids |= frontier
    return set(session.scalars(select(Product).where(Product.category_id.in_(ids))))


def _refresh_search(session, product: Product) -> None:
    """The product's search text (and on PostgreSQL its tsvector), written only on a change.

    How the words are computed is `shop.catalog.search`'s business; this only gathers them.
    """
    skus = [v.sku for v in product.variants if v.sku and v not in session.deleted]
    shelves = shelf_names(product, session)
    text = build_search_text(
        (product.name_ru, product.name_en),
        (product.description_ru, product.description_en),
        skus,
        shelves,
    )
    if product.search_text == text:
        return
    product.search_text = text
    if session.get_bind().dialect.name == "postgresql":
        # Computed by PostgreSQL itself, from the values being saved.
        product.search_vector = vector_expression(
            (product.name_ru, product.name_en),
            (product.description_ru,),
            (product.description_en,),
            skus,
            shelves,
        )
