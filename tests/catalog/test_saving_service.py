"""The catalogue save service (shop.catalog.saving): what a writer gets by calling it before
the commit, sanitising once, and the safety net for writers that do not call it yet."""

from decimal import Decimal

from shop.catalog import saving
from shop.catalog.models import Category, Product, ProductVariant
from shop.extensions import db as _db
from tests.factories import CategoryFactory, ProductFactory


def test_save_product_prepares_everything_before_the_flush(db):
    shelf = CategoryFactory(name_ru="Посуда", name_en="Tableware")
    product = Product(
        category=shelf,
        name_ru="Кружка керамическая",
        name_en="Ceramic mug",
        description_ru="<p onclick='x()'>Фарфор</p><script>alert(1)</script>",
    )
    product.variants.append(ProductVariant(sku="MUG-350", price=Decimal("590")))
    _db.session.add(product)
    saving.save_product(product)
    # nothing flushed yet: the save did it all, no hook at flush time
    assert product.id is None
    assert product.slug == "kruzhka-keramicheskaia"
    assert product.description_ru == "<p>Фарфор</p>"
    assert product.search_text.startswith(" кружк керамическ ceram mug 350 |")
    assert "посуд" in product.search_text
    assert saving.needs_saving(product, _db.session) is False
    _db.session.commit()
    assert _db.session.get(Product, product.id).slug == "kruzhka-keramicheskaia"


def test_each_description_is_sanitised_exactly_once(db, sanitised):
    product = Product(
        category=CategoryFactory(),
        name_ru="Чайник",
        description_ru="<p>Чугун<script>1</script></p>",
        description_en="<p onclick='x()'>Cast iron</p>",
    )
    _db.session.add(product)
    saving.save_product(product)
    saving.save_product(product)  # a second call cleans nothing again
    _db.session.commit()  # nor does the flush
    assert sorted(sanitised) == sorted(
        ["<p>Чугун<script>1</script></p>", "<p onclick='x()'>Cast iron</p>"]
    )
    assert product.description_ru == "<p>Чугун</p>"


def test_a_writer_that_does_not_save_is_caught_by_the_net_once(db, sanitised, caplog):
    product = ProductFactory(description_en="<p>Plain</p>")
    sanitised.clear()
    product.description_en = "<h2 style='x'>Title</h2>"
    product.name_en = "Kettle"
    with caplog.at_level("WARNING", logger="shop.catalog.hooks"):
        _db.session.commit()
    # the forgetful writer is named in the log, so it gets fixed
    assert [r.getMessage() for r in caplog.records] == [
        f"catalogue: Product {product.id} changed without shop.catalog.saving; saved now"
    ]
    assert sanitised == ["<h2 style='x'>Title</h2>"]
    assert product.description_en == "<h2>Title</h2>"
    assert " kettl " in product.search_text


def test_a_value_loaded_from_the_database_is_not_sanitised_again(db, sanitised):
    product_id = ProductFactory(description_ru="<p>Описание</p>").id
    _db.session.remove()
    sanitised.clear()
    product = _db.session.get(Product, product_id)
    product.name_ru = "Новое имя"
    saving.save_product(product)
    _db.session.commit()
    assert sanitised == []
    assert " нов им " in product.search_text


def test_saving_a_renamed_category_refreshes_the_search_of_products_under_it(db):
    top = CategoryFactory(name_ru="Дом", name_en="Home")
    shelf = CategoryFactory(name_ru="Кухня", name_en="Kitchen", parent=top)
    top_id = top.id
    product_id = ProductFactory(category=shelf, name_ru="Сковорода", name_en="Pan").id
    _db.session.remove()
    top = _db.session.get(Category, top_id)
    top.name_en = "Household"
    saving.save_category(top)
    product = _db.session.get(Product, product_id)
    assert " household " in product.search_text and " home " not in product.search_text


def test_an_empty_slug_is_made_unique_among_unsaved_ones(db):
    shelf = CategoryFactory()
    first = Product(category=shelf, name_ru="Плед шерстяной")
    second = Product(category=shelf, name_ru="Плед шерстяной")
    _db.session.add_all([first, second])
    saving.save_product(first)
    saving.save_product(second)
    assert (first.slug, second.slug) == ("pled-sherstianoi", "pled-sherstianoi-2")
