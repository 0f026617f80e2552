"""The demo catalogue for `make run`: a small shop's goods in two languages, with drawn pictures.

What is sold lives in `shop.cli.demo_catalogue` (plain data); the pictures are drawn by
`shop.cli.demo_pictures` and stored through `shop.catalog.images.store_image`, like an upload.
Categories and products are saved through `shop.catalog.saving` (sanitised descriptions,
search data), as the back office and the CSV import save theirs.

Idempotent: categories, products and delivery methods are looked up by slug/code and only
missing ones are added, so running it twice adds nothing. Deterministic: stock, SKUs and
pictures depend only on the data, not on the order of runs.
"""

import hashlib
import os
import random
import re
import shutil
import tempfile
from datetime import timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import PIL
from slugify import slugify
from sqlalchemy import select

from shop.accounts.services import ensure_roles
from shop.catalog import saving
from shop.catalog.images import ensure_thumbnail, store_image, thumb_path
from shop.catalog.models import Category, Product, ProductImage, ProductVariant
from shop.cli import demo_pictures
from shop.cli.demo_catalogue import CATEGORIES, COLOURS_EN, DELIVERY, PRODUCTS
from shop.cli.demo_pictures import picture
from shop.core.models import utcnow
from shop.extensions import db
from shop.inventory.models import StockMovement, StockReason
from shop.shipping.models import DeliveryMethod

COLOUR_CODES = {
    "чёрный": "BLK", "белый": "WHT", "синий": "BLU", "голубой": "LBL", "красный": "RED",
    "зелёный": "GRN", "серый": "GRY", "бежевый": "BEI", "коричневый": "BRN", "жёлтый": "YLW",
    "розовый": "PNK", "фиолетовый": "PRP", "оранжевый": "ORG",
}
# The widths a product card asks for (its srcset): made at seed time for each first picture.
CARD_WIDTHS = (320, 640)


def seed() -> dict | None:
    """Add whatever part of the demo catalogue is missing; commit once. Returns counts or None."""
    ensure_roles()
    counts = {"categories": 0, "products": 0, "variants": 0, "images": 0, "delivery": 0}
    categories = _ensure_categories(counts)
    existing_products = set(db.session.scalars(select(Product.slug)).all())
    new_variants, new_products = [], []
    now = utcnow()
    for index, item in enumerate(PRODUCTS):
        slug = product_slug(item)
        if slug in existing_products:
            continue
        product = _make_product(item, slug, categories[item["category"]])
        # The newest goods were "added" in the last days, the rest over the past months: the
        # home page's "new" shelf (newest first) shows the ones marked new.
        age = timedelta(hours=index) if item.get("new") else timedelta(days=30 + index * 2)
        product.created_at = product.updated_at = now - age
        db.session.add(product)
        saving.save_product(product)
        new_variants.extend(product.variants)
        new_products.append(product)
        existing_products.add(slug)
        counts["products"] += 1
        counts["variants"] += len(product.variants)
        counts["images"] += len(product.images)
    _ensure_delivery(counts)
    db.session.flush()
    for variant in new_variants:
        db.session.add(
            StockMovement(
                variant_id=variant.id,
                delta=variant.stock,
                stock_after=variant.stock,
                reason=StockReason.INITIAL,
                note="demo seed",
            )
        )
    db.session.commit()
    # The home page and listings show first pictures: their thumbnails are made now, so the
    # first visitor of a fresh demo waits for none (the others are made when first asked for).
    for product in new_products:
        first = product.images[0].filename
        for width in CARD_WIDTHS:
            _card_thumbnail(first, _PICTURE_KEYS.get(first), width)
    return counts if any(counts.values()) else None


def product_slug(item: dict) -> str:
    return slugify(item["ru"], max_length=150)


def _ensure_categories(counts: dict) -> dict:
    """Every category of the tree by slug, adding the missing ones."""
    known = {c.slug: c for c in db.session.scalars(select(Category)).all()}
    for top_pos, (slug, ru, en, children) in enumerate(CATEGORIES):
        top = known.get(slug)
        if top is None:
            top = known[slug] = Category(slug=slug, name_ru=ru, name_en=en, position=top_pos)
            db.session.add(top)
            saving.save_category(top)
            counts["categories"] += 1
        for child_pos, (cslug, cru, cen) in enumerate(children):
            if cslug not in known:
                known[cslug] = Category(
                    slug=cslug, name_ru=cru, name_en=cen, position=child_pos, parent=top
                )
                db.session.add(known[cslug])
                saving.save_category(known[cslug])
                counts["categories"] += 1
    return known


def _ensure_delivery(counts: dict) -> None:
    known_codes = set(db.session.scalars(select(DeliveryMethod.code)).all())
    for position, method in enumerate(DELIVERY, start=1):
        if method["code"] in known_codes:
            continue
        free_from = method["free_from"]
        db.session.add(
            DeliveryMethod(
                code=method["code"],
                name_ru=method["ru"],
                name_en=method["en"],
                description_ru=method["about_ru"],
                description_en=method["about_en"],
                price=Decimal(method["price"]),
                free_from=Decimal(free_from) if free_from is not None else None,
                needs_address=method["needs_address"],
                position=position,
            )
        )
        counts["delivery"] += 1


def _make_product(item: dict, slug: str, category: Category) -> Product:
    product = Product(
        slug=slug,
        category=category,
        name_ru=item["ru"],
        name_en=item["en"],
        description_ru=f"<p>{item['about_ru']}</p>",
        description_en=f"<p>{item['about_en']}</p>",
        brand=item.get("brand"),
        featured=bool(item.get("featured")),
        active=True,
    )
    # Seeded by the slug, so a product's stock is the same whatever else the seed adds.
    rng = random.Random(slug)
    sku_base = "LV-" + hashlib.sha256(slug.encode()).hexdigest()[:6].upper()
    sizes = item.get("sizes") or (None,)
    colours = item.get("colours") or (None,)
    position = 0
    for colour in colours:
        for size_index, size in enumerate(sizes):
            price = Decimal(item["prices"][size] if "prices" in item else item["price"])
            old_price = item.get("old_prices", {}).get(size) or item.get("old_price")
            product.variants.append(
                ProductVariant(
                    sku=_sku(sku_base, colour, size),
                    size=size,
                    colour=colour,
                    price=price,
                    old_price=Decimal(old_price) if old_price else None,
                    stock=_stock(rng, size_index, len(sizes)),
                    weight_grams=variant_weight(item, size),
                    position=position,
                )
            )
            position += 1
    for position, (shot, colour) in enumerate(picture_plan(item)):
        drawn, key = _drawn(item, shot, colour)
        filename, width, height = store_image(drawn)
        _PICTURE_KEYS[filename] = key
        alt_ru, alt_en = _alt(item, shot, colour)
        product.images.append(
            ProductImage(
                filename=filename, width=width, height=height, position=position,
                alt_ru=alt_ru, alt_en=alt_en, colour=picture_colour(item, shot, colour),
            )
        )
    return product


def _sku(base: str, colour: str | None, size: str | None) -> str:
    parts = [base]
    if colour:
        parts.append(COLOUR_CODES[colour])
    if size:
        parts.append(re.sub(r"[^0-9A-Z]", "", size.upper().replace("×", "X")))
    return "-".join(parts)


def _stock(rng: random.Random, size_index: int, size_count: int) -> int:
    """A believable count: the smallest and largest sizes sell out now and then, the middle
    ones never (so "in stock" filters and the browser tests always find something)."""
    edge = size_count > 2 and size_index in (0, size_count - 1)
    if edge and rng.random() < 0.3:
        return 0
    return rng.randint(2, 9) if edge else rng.randint(5, 40)


def variant_weight(item: dict, size: str | None) -> int:
    """Grams with packaging: given per size, or one weight that grows a little with the size
    (an XL T-shirt or a size-45 boot weighs more than the smallest one)."""
    if "weights" in item:
        return item["weights"][size]
    sizes = item.get("sizes")
    if not sizes or size is None:
        return item["weight"]
    middle = (len(sizes) - 1) / 2
    grams = item["weight"] * (1 + 0.05 * (sizes.index(size) - middle))
    return int(round(grams / 5) * 5)


def picture_plan(item: dict) -> list[tuple[str, str | None]]:
    """Which pictures a product gets, first one first (it is the card's): the product in each
    of its colours, then a scene and a close-up in the first colour, then every colour side by
    side. The product page shows a colour's own pictures and the colourless lineup, so each
    colour has two to four pictures (a product in one look has three)."""
    colours = item.get("colours") or (None,)
    fronts = [("front", colour) for colour in colours]
    lineup = [("lineup", None)] if len(colours) > 1 else []
    return fronts + [("scene", colours[0]), ("detail", colours[0])] + lineup


def picture_colour(item: dict, shot: str, colour: str | None) -> str | None:
    """The variant colour a picture belongs to (ProductImage.colour): the one it is drawn in;
    none for the lineup, which shows them all."""
    return None if shot == "lineup" else colour


# Drawing the pictures is most of the seed's time, and every run draws the same ones (the
# browser tests seed a fresh database for each server): drawings and the card thumbnails made
# from them are kept in a cache folder between runs, keyed by the arguments, the drawing code
# and Pillow's version. SHOP_DEMO_CACHE names the folder ("off": no cache); by default it is
# lavka-demo in the user's cache folder. A folder that cannot be written only costs the time.
_PICTURE_KEYS: dict[str, str] = {}  # stored filename -> its drawing's cache key


@cache
def _cache_dir() -> Path | None:
    configured = os.environ.get("SHOP_DEMO_CACHE", "")
    if configured == "off":
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = Path(configured) if configured else base / "lavka-demo"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


@cache
def _drawing_version() -> str:
    source = Path(demo_pictures.__file__).read_bytes() + PIL.__version__.encode()
    return hashlib.sha256(source).hexdigest()[:16]


def _cache_path(name: str) -> Path | None:
    folder = _cache_dir()
    return folder / name if folder is not None else None


def _keep(path: Path | None, data: bytes) -> None:
    """Write a cache file whole or not at all (other seeds may read it at the same time)."""
    if path is None:
        return
    try:
        handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        pass


@cache
def _picture(kind, style, colour, shot, colours, seed) -> bytes:
    # The same drawing for the same arguments: a second seed in one process (the tests) reuses
    # it, and so does a later run through the cache folder.
    key = _picture_key(kind, style, colour, shot, colours, seed)
    path = _cache_path(f"{key}.jpg")
    if path is not None and path.is_file():
        return path.read_bytes()
    data = picture(kind, style, colour, shot, colours=colours, seed=seed)
    _keep(path, data)
    return data


def _picture_key(*args) -> str:
    return hashlib.sha256(repr((_drawing_version(), *args)).encode()).hexdigest()[:32]


def _drawn(item: dict, shot: str, colour: str | None) -> tuple[bytes, str]:
    """The picture's JPEG bytes and its cache key."""
    seed = int(hashlib.sha256(item["ru"].encode()).hexdigest()[:4], 16)
    colours = tuple(item.get("colours") or ())
    args = (item["picture"], item.get("style"), colour, shot, colours, seed)
    return _picture(*args), _picture_key(*args)


def _card_thumbnail(filename: str, key: str | None, width: int) -> None:
    """ensure_thumbnail, taken from the cache folder when this drawing's was made before
    (stored images are re-encoded the same way each time, so their thumbnails are the same)."""
    cached = _cache_path(f"{key}-{width}.webp") if key else None
    if cached is not None and cached.is_file():
        target = Path(thumb_path(filename, width))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
        return
    made = ensure_thumbnail(filename, width)
    if cached is not None:
        _keep(cached, Path(made).read_bytes())


def _alt(item: dict, shot: str, colour: str | None) -> tuple[str, str]:
    ru, en = item["ru"], item["en"]
    if shot == "lineup":
        return f"{ru}: все цвета", f"{en}: every colour"
    if shot == "scene":
        return f"{ru} в интерьере", f"{en} at home"
    if shot == "detail":
        return f"{ru} крупным планом", f"{en}, close-up"
    if colour and len(item.get("colours") or ()) > 1:
        return f"{ru}, {colour}", f"{en}, {COLOURS_EN[colour]}"
    return ru, en
