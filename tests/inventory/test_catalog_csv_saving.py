"""The CSV import saves through shop.catalog.saving: a description cell is sanitised exactly
once (while the row is read, so the preview shows what is stored), and new products get their
search data."""

from sqlalchemy import select

from shop.catalog.models import Product
from shop.inventory.catalog_csv import apply_import
from tests.factories import CategoryFactory


def test_an_imported_description_is_sanitised_once(db, sanitised):
    CategoryFactory(slug="mugs", name_ru="Кружки", name_en="Mugs")
    dirty = "<p>Фарфор<script>alert(1)</script></p>"
    text = (
        "sku,product_slug,category_slug,name_ru,description_ru,price,stock\n"
        f'MUG-1,mug,mugs,Кружка,"{dirty}",590,3\n'
        "MUG-2,mug,,,,590,1\n"
    )
    sanitised.clear()
    apply_import(text)
    assert sanitised == [dirty]
    product = db.session.scalar(select(Product).where(Product.slug == "mug"))
    assert product.description_ru == "<p>Фарфор</p>"
    assert product.search_text.startswith(" кружк mug 1 2 |")
    assert " кружк mug " in product.search_text  # the shelf
