"""What happens when catalogue content is saved, whoever saves it (storefront, admin, CSV)."""

from shop.catalog.models import Category, Product
from shop.extensions import db as _db
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


def test_descriptions_are_sanitised_when_saved(db):
    dirty = '<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">l</a></p>'
    product = ProductFactory(description_ru=dirty, description_en="<img src=x onerror=alert(1)>")
    category = CategoryFactory(description_ru="<style>*{}</style><b>ok</b>")
    _db.session.expire_all()
    product = _db.session.get(Product, product.id)
    assert "script" not in product.description_ru and "onclick" not in product.description_ru
    assert "javascript" not in product.description_ru
    assert "<p>Hi" in product.description_ru
    assert "onerror" not in product.description_en
    assert _db.session.get(Category, category.id).description_ru == "<b>ok</b>"
    product.description_en = "<h2 style='x'>Title</h2>"
    _db.session.commit()
    assert product.description_en == "<h2>Title</h2>"


def test_slugs_are_transliterated_and_unique(db):
    category = CategoryFactory(slug=None, name_ru="Обувь и сумки")
    first = ProductFactory(slug=None, name_ru="Кроссовки беговые лёгкие", category=category)
    second = ProductFactory(slug="", name_ru="Кроссовки беговые лёгкие", category=category)
    assert category.slug == "obuv-i-sumki"
    assert first.slug == "krossovki-begovye-legkie"
    assert second.slug == "krossovki-begovye-legkie-2"


def test_search_text_is_filled_for_new_products_and_variants(db):
    product = ProductFactory(name_ru="Кружка керамическая", name_en="Ceramic mug")
    VariantFactory(product=product, sku="MUG-350")
    assert product.search_text.startswith(" кружк керамическ ceram mug 350 |")


def test_stock_changes_leave_search_data_alone(db, count_queries):
    from shop.catalog.models import ProductVariant

    variant_id = VariantFactory(stock=5, sku="KEEP-1").id
    _db.session.remove()
    variant = _db.session.get(ProductVariant, variant_id)
    with count_queries() as counter:
        variant.stock = 4
        _db.session.commit()
    # the stock UPDATE and the listing summary UPDATE; no reload of the product's variants
    assert not any("search_text" in s for s in counter.statements)
    assert not any(s.lstrip().upper().startswith("SELECT") for s in counter.statements)
    assert " keep 1 " in _db.session.get(ProductVariant, variant_id).product.search_text
