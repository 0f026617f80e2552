"""Catalogue builders shared by the storefront tests."""

from decimal import Decimal
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import event

from shop.catalog.images import store_image
from shop.catalog.models import ProductImage
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


def make_image(product, colour=(200, 40, 40), size=(800, 600), position=0, alt_ru=None):
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    filename, width, height = store_image(buffer.getvalue())
    image = ProductImage(
        product=product,
        filename=filename,
        width=width,
        height=height,
        position=position,
        alt_ru=alt_ru,
    )
    from shop.extensions import db

    db.session.add(image)
    db.session.commit()
    return image


def make_product(category, name_ru, name_en, variants=(("1000", 5),), **kwargs):
    """A product with variants given as (price, stock) or (price, stock, size, colour[, old])."""
    product = ProductFactory(category=category, name_ru=name_ru, name_en=name_en, **kwargs)
    for spec in variants:
        price, stock, *rest = spec
        size, colour, old = (list(rest) + [None, None, None])[:3]
        VariantFactory(
            product=product,
            price=Decimal(price),
            stock=stock,
            size=size,
            colour=colour,
            old_price=Decimal(old) if old else None,
        )
    return product


@pytest.fixture(autouse=True)
def _fresh_language_per_request(app):
    """Each test request chooses its language anew.

    The test client reuses the test's app context, and Flask-Babel caches the locale in its
    `g`; a real server has one app context per request.
    """
    from flask import g, request_started

    def forget(_sender, **_extra):
        g.pop("_flask_babel", None)

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)


@pytest.fixture()
def shoes(db):
    """Shoes > Sneakers with four products of different prices, sizes, colours and stock."""
    shoes = CategoryFactory(slug="obuv", name_ru="Обувь", name_en="Shoes")
    sneakers = CategoryFactory(
        slug="krossovki", name_ru="Кроссовки", name_en="Sneakers", parent=shoes
    )
    items = {
        "run": make_product(
            sneakers,
            "Кроссовки беговые",
            "Running shoes",
            [("5000", 3, "42", "чёрный", "6500"), ("5000", 0, "43", "белый")],
            slug="krossovki-begovye",
            featured=True,
        ),
        "gym": make_product(
            sneakers,
            "Кроссовки для зала",
            "Gym shoes",
            [("3000", 2, "41", "белый")],
            slug="krossovki-dlya-zala",
        ),
        "boots": make_product(
            shoes,
            "Ботинки зимние",
            "Winter boots",
            [("9000", 0, "44", "чёрный")],
            slug="botinki-zimnie",
            description_ru="<p>Тёплые, на меху</p>",
            description_en="<p>Warm, fur-lined</p>",
        ),
        "kedy": make_product(
            sneakers,
            "Кеды парусиновые",
            "Canvas plimsolls",
            [("1500", 7, "40", "синий")],
            slug="kedy",
            description_ru="<p>Лёгкие кроссовки на лето</p>",
        ),
    }
    return items


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.statements = []

    def _record(self, _conn, _cursor, statement, *_args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture()
def count_queries(db):
    return lambda: QueryCounter(db.engine)
