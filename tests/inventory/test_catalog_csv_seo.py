"""The products CSV carries the search-engine titles and descriptions (issue 19.2): exported,
imported with the editor's rules (plain text, squeezed, within the columns' lengths; "-"
clears), and an export imported back changes nothing."""

import csv
import io

import pytest

from shop.catalog.models import Product
from shop.extensions import db as _db
from shop.inventory.catalog_csv import COLUMNS, apply_import, decode, export_products, plan_import
from tests.factories import CategoryFactory, ProductFactory, VariantFactory

META = ("meta_title_ru", "meta_title_en", "meta_description_ru", "meta_description_en")


@pytest.fixture()
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture()
def coat(db):
    category = CategoryFactory(slug="coats")
    product = ProductFactory(
        category=category, slug="palto", name_ru="Пальто", name_en="Coat",
        meta_title_ru="Шерстяное пальто — купить", meta_title_en="=Wool coat, \"warm\"",
        meta_description_ru="Тёплое, из шерсти; размеры 44–56.", meta_description_en=None,
    )
    VariantFactory(product=product, sku="COAT-1")
    return product


def exported_rows():
    text = decode(export_products())
    return list(csv.DictReader(io.StringIO(text)))


def test_the_columns_are_exported(db, coat):
    assert all(name in COLUMNS for name in META)
    (row,) = exported_rows()
    assert row["meta_title_ru"] == "Шерстяное пальто — купить"
    assert row["meta_title_en"] == "'=Wool coat, \"warm\""  # the formula guard, as for names
    assert row["meta_description_ru"] == "Тёплое, из шерсти; размеры 44–56."
    assert row["meta_description_en"] == ""


def test_an_export_imported_back_changes_nothing(db, coat):
    plan = plan_import(decode(export_products()))
    assert plan.ok, plan.errors
    assert [(r.action, r.changes) for r in plan.rows] == [("unchanged", {})]


def test_import_sets_squeezes_and_clears(db, coat):
    text = (
        "sku,product_slug,meta_title_ru,meta_title_en,meta_description_ru,meta_description_en\n"
        'COAT-1,palto,-,"  Wool   coat  ",,"A warm\n coat."\n'
    )
    plan = apply_import(text)
    (row,) = plan.rows
    assert row.changes["product.meta_title_ru"] == ("Шерстяное пальто — купить", None)
    _db.session.expire_all()
    saved = _db.session.get(Product, coat.id)
    assert saved.meta_title_ru is None  # "-" clears
    assert saved.meta_title_en == "Wool coat"
    assert saved.meta_description_ru == "Тёплое, из шерсти; размеры 44–56."  # empty keeps
    assert saved.meta_description_en == "A warm coat."


def test_a_new_product_from_the_file_gets_them(db, coat):
    text = (
        "sku,product_slug,category_slug,name_ru,price,meta_title_en,meta_description_en\n"
        "HAT-1,shlyapa,coats,Шляпа,990,Felt hat,A felt hat for autumn.\n"
    )
    apply_import(text)
    hat = _db.session.scalar(_db.select(Product).where(Product.slug == "shlyapa"))
    assert (hat.meta_title_en, hat.meta_description_en) == ("Felt hat", "A felt hat for autumn.")
    assert hat.meta_title_ru is None and hat.meta_description_ru is None


def test_html_and_too_long_values_are_refused_by_line(english, db, coat):
    text = (
        "sku,product_slug,meta_title_ru,meta_title_en,meta_description_ru,meta_description_en\n"
        "COAT-1,palto,<b>Пальто</b>,,,\n"
        f"COAT-2,palto,,{'x' * 201},,\n"
        f"COAT-3,palto,,,,{'y' * 321}\n"
        "COAT-4,palto,,Coat &amp; hat,,\n"
    )
    plan = plan_import(text)
    messages = {}
    for line, message in plan.errors:
        messages.setdefault(line, []).append(message)
    assert "meta_title_ru: Plain text only: remove the HTML “<b>”." in messages[2]
    assert "meta_title_en: At most 200 characters (now 201)." in messages[3]
    assert "meta_description_en: At most 320 characters (now 321)." in messages[4]
    assert any(m.startswith("meta_title_en: Plain text only: type the character itself")
               for m in messages[5])
    assert not plan.ok and plan.rows == []
    _db.session.expire_all()
    assert _db.session.get(Product, coat.id).meta_title_ru == "Шерстяное пальто — купить"
