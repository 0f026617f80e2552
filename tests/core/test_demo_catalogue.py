"""The demo catalogue (`manage.py seed-demo`) looks like a real small shop: enough goods on
enough shelves, each with its own name and description, believable weights, sizes and colours
that fit the kind of goods, and several drawn pictures whose files exist."""

import hashlib
import os
from datetime import timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from shop.catalog import saving
from shop.catalog.attributes import colour_label
from shop.catalog.images import original_path, thumb_path
from shop.catalog.models import Category, Product
from shop.cli.demo_catalogue import PRODUCTS
from shop.cli.demo_pictures import picture
from shop.core.models import utcnow

# Grams with packaging, per shelf: a T-shirt is not a kilo, a cast-iron pan is not 200 g.
WEIGHTS = {
    "t-shirts": (120, 350), "hoodies": (350, 900), "jeans": (300, 1000),
    "sneakers": (400, 1200), "boots": (900, 2000), "hats": (50, 200),
    "scarves-gloves": (50, 300), "bags": (150, 1500), "mugs": (150, 800),
    "cookware": (800, 3500), "teapots": (400, 1300), "blankets": (400, 2500),
    "towels": (150, 700), "candles": (100, 700), "plants": (300, 4500),
    "notebooks": (100, 600), "pens": (20, 200),
}
LETTER_SIZES = {"XS", "S", "M", "L", "XL"}


@pytest.fixture()
def demo(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(Product).order_by(Product.id)).all()


def test_enough_goods_on_enough_shelves(demo, db):
    assert len(demo) >= 80
    shelves = {p.category.slug for p in demo}
    assert len(shelves) >= 12
    assert all(p.category.parent is not None for p in demo), "goods sit on second-level shelves"
    names = db.session.scalars(select(Category.name_ru)).all()
    assert len(names) == len(set(names))


def test_every_product_has_its_own_name_and_description(demo):
    for field in ("name_ru", "name_en", "description_ru", "description_en"):
        values = [getattr(p, field) for p in demo]
        assert all(values), field
        assert len(set(values)) == len(values), f"two products share a {field}"
    # No sentence is a template copied from product to product.
    sentences = [s.strip() for p in demo for s in p.description_ru.split(". ") if len(s) > 30]
    assert len(set(sentences)) == len(sentences)


def test_weights_sizes_and_colours_fit_the_goods(app, demo):
    for product in demo:
        shelf = product.category.slug
        low, high = WEIGHTS[shelf]
        sizes = {v.size for v in product.variants}
        for variant in product.variants:
            assert low <= variant.weight_grams <= high, (product.name_en, variant.weight_grams)
            assert variant.price > 0 and (variant.old_price is None
                                          or variant.old_price > variant.price)
        if shelf in ("t-shirts", "hoodies"):
            assert sizes <= LETTER_SIZES and len(sizes) >= 4, product.name_en
        elif shelf in ("sneakers", "boots"):
            assert all(36 <= int(s) <= 47 for s in sizes), product.name_en
        elif shelf in ("mugs", "teapots", "candles", "bags", "hats", "pens"):
            assert sizes == {None}, product.name_en
        skus = [v.sku for v in product.variants]
        assert len(set(skus)) == len(skus)
    # Stored colours are the ones the shop can name in English.
    with app.test_request_context(headers={"Accept-Language": "en"}):
        colours = {v.colour for p in demo for v in p.variants if v.colour}
        assert all(colour_label(c) != c for c in colours), colours


def test_some_goods_are_new_some_on_sale_some_recommended(demo):
    on_sale = [p for p in demo if any(v.old_price for v in p.variants)]
    recent = [p for p in demo if p.created_at > utcnow() - timedelta(days=7)]
    featured = [p for p in demo if p.featured]
    assert len(on_sale) >= 8 and len(recent) >= 8 and len(featured) >= 8
    assert len(on_sale) < len(demo) / 2 and len(recent) < len(demo) / 2
    # Something in stock in every product, and a few sizes sold out.
    assert all(any(v.stock > 0 for v in p.variants) for p in demo)
    assert any(v.stock == 0 for p in demo for v in p.variants)


def test_every_product_has_pictures_on_disk(demo):
    first_pictures = set()
    for product in demo:
        # What a shopper sees for each colour (its own pictures and the colourless ones).
        colours = {v.colour for v in product.variants if v.colour} or {None}
        for colour in colours:
            shown = [i for i in product.images if i.colour in (colour, None)]
            assert 2 <= len(shown) <= 4, (product.name_en, colour)
        for image in product.images:
            path = original_path(image.filename)
            assert os.path.getsize(path) > 5000
            assert image.alt_ru and image.alt_en
            with Image.open(path) as stored:
                assert stored.size == (image.width, image.height)
        # the card's thumbnails are ready before anyone asks for them
        assert all(os.path.exists(thumb_path(product.images[0].filename, w)) for w in (320, 640))
        with open(original_path(product.images[0].filename), "rb") as f:
            first_pictures.add(hashlib.sha256(f.read()).hexdigest())
        colours = [v.colour for v in product.variants if v.colour]
        if len(set(colours)) > 1:
            assert len({i.alt_en for i in product.images}) == len(product.images)
    assert len(first_pictures) == len(demo), "no two products open with the same picture"


def test_pictures_follow_the_colour_and_are_deterministic():
    item = next(p for p in PRODUCTS if p["picture"] == "mug")
    blue = picture("mug", None, "синий", "front", seed=1)
    assert blue == picture("mug", None, "синий", "front", seed=1)
    assert blue != picture("mug", None, "зелёный", "front", seed=1)
    with Image.open(BytesIO(blue)) as image:
        assert image.format == "JPEG" and image.size == (800, 600)
        # the middle of the picture, where the mug stands, is blue
        r, g, b = image.convert("RGB").getpixel((380, 330))
        assert b > r + 40 and b > g
    for shot in ("detail", "scene", "lineup"):
        assert picture("mug", None, "синий", shot, colours=item["colours"], seed=1) != blue


def test_the_seed_saves_its_goods_through_the_catalogue_service(app, db, monkeypatch):
    """Slugs, clean descriptions and search data come from shop.catalog.saving called by the
    seed itself, not from the flush-time safety net (shop.catalog.hooks)."""
    caught = []
    real = saving.needs_saving

    def spy(obj, session):
        if real(obj, session):
            caught.append(obj)
            return True
        return False

    monkeypatch.setattr(saving, "needs_saving", spy)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert caught == []
    mug = select(Product).where(Product.slug == "kruzhka-keramicheskaia-350-ml")
    product = db.session.scalars(mug).one()
    assert "кружк" in product.search_text and "mug" in product.search_text
