"""An export imported back unchanged changes nothing: the export's formula guards (a leading
apostrophe) are read back as the guard, not as part of the data."""

import html
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.catalog.models import Product, ProductVariant
from shop.core.csvfiles import safe_cell
from shop.inventory.catalog_csv import (
    _guard_apostrophe,
    decode,
    export_products,
    plan_import,
    unguard,
)
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


@pytest.fixture()
def tricky_catalogue(db):
    category = CategoryFactory(slug="sale")
    product = ProductFactory(
        category=category,
        slug="formula-names",
        name_ru="=SUM(A1)",
        name_en="-10% sale",
        brand="+7 phone",
    )
    VariantFactory(product=product, sku="-SKU-1", size="+XL", colour="@red", price=Decimal("5"))
    VariantFactory(product=product, sku="=SKU-2", size="'=kept", colour="'plain quote")
    other = ProductFactory(category=category, slug="plain", name_ru="'-5 quoted", brand="-")
    # "-" as a value (exported "'-") is not the import's "clear this" marker (a bare "-")
    VariantFactory(
        product=other, sku="PLAIN-1", size="-", old_price=Decimal("7.50"), weight_grams=300
    )
    return product


def snapshot(db):
    db.session.expire_all()
    products = db.session.scalars(select(Product).order_by(Product.id))
    variants = db.session.scalars(select(ProductVariant).order_by(ProductVariant.id))
    return (
        [(p.slug, p.name_ru, p.name_en, p.brand, p.description_ru, p.active) for p in products],
        [(v.sku, v.size, v.colour, v.price, v.old_price, v.stock, v.active) for v in variants],
    )


def test_unguard_removes_only_the_exports_guard():
    for value in ("=SUM(A1)", "-10% sale", "+7 phone", "@home", "\tx", "'=x", "''-x", "'x", "'"):
        assert unguard(safe_cell(_guard_apostrophe(value))) == value
    assert unguard("'123") == "'123"  # Excel's "number as text": data, not our guard
    assert unguard("it's") == "it's"


def test_plan_of_an_unchanged_export_changes_nothing(db, tricky_catalogue):
    plan = plan_import(decode(export_products()))
    assert plan.ok, plan.errors
    assert [(r.sku, r.action, r.changes) for r in plan.rows] == [
        ("-SKU-1", "unchanged", {}),
        ("=SKU-2", "unchanged", {}),
        ("PLAIN-1", "unchanged", {}),
    ]


def test_round_trip_through_the_back_office(client, db, as_role, token, tricky_catalogue):
    as_role("manager")
    before = snapshot(db)
    exported = client.get("/admin/csv/export.csv")
    assert exported.status_code == 200
    text = exported.get_data().decode("utf-8-sig")
    assert "'=SUM(A1)" in text and "'-10% sale" in text  # still guarded for spreadsheets

    preview = client.post(
        "/admin/csv/preview",
        data={"csrf_token": token("/admin/csv/"), "file": (io.BytesIO(exported.data), "p.csv")},
        content_type="multipart/form-data",
    )
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert body.count('class="import-unchanged"') == 3
    assert "import-update" not in body and "import-create" not in body
    assert "→" not in body

    csv_text = re.search(r'name="csv_text" type="hidden" value="([^"]*)"', body).group(1)
    applied = client.post(
        "/admin/csv/apply",
        data={"csrf_token": token("/admin/csv/"), "csv_text": html.unescape(csv_text)},
    )
    assert applied.status_code == 302
    assert snapshot(db) == before
    assert snapshot(db)[0][0][1:4] == ("=SUM(A1)", "-10% sale", "+7 phone")
    assert (
        db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "import"))
        == 0
    )


def test_a_bare_dash_still_clears_and_a_guarded_one_is_a_value(db, tricky_catalogue):
    header = "sku,product_slug,size,brand\n"
    plan = plan_import(header + "-SKU-1,formula-names,-,'-\n")
    assert plan.ok, plan.errors
    (row,) = plan.rows
    assert row.values["size"] is None  # cleared
    assert row.product_values["brand"] == "-"
