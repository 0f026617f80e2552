"""CSV import (dry run, then one transaction) and export (formula cells escaped)."""

import csv
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.catalog.models import Product, ProductVariant
from shop.core.csvfiles import safe_cell
from shop.inventory.catalog_csv import apply_import
from shop.inventory.models import StockMovement
from tests.factories import CategoryFactory, ProductFactory, VariantFactory

HEADER = "sku,product_slug,category_slug,name_ru,name_en,price,stock,active\n"


def upload(client, token, text, encoding="utf-8"):
    return client.post(
        "/admin/csv/preview",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode(encoding)), "products.csv")},
        content_type="multipart/form-data",
    )


def hidden_csv(body):
    match = re.search(r'name="csv_text" type="hidden" value="([^"]*)"', body)
    assert match, "no apply form"
    import html

    return html.unescape(match.group(1))


def counts(db):
    return (
        db.session.scalar(select(func.count(Product.id))),
        db.session.scalar(select(func.count(ProductVariant.id))),
    )


def test_dry_run_shows_what_will_happen_and_changes_nothing(client, db, as_role, token):
    category = CategoryFactory(slug="mugs")
    existing = VariantFactory(sku="OLD-1", price=Decimal("100.00"), product__slug="old-mug")
    as_role("manager")
    text = HEADER + (
        "NEW-1,new-mug,mugs,Новая кружка,New mug,450,7,1\n"
        "NEW-2,new-mug,,,,470.50,,yes\n"
        "OLD-1,old-mug,,,,120,,\n"
    )
    before = counts(db)
    response = upload(client, token("/admin/csv/"), text)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "NEW-1" in body and "NEW-2" in body and "OLD-1" in body
    assert "100.00 → 120.00" in body
    assert counts(db) == before
    assert db.session.get(ProductVariant, existing.id).price == Decimal("100.00")
    assert category.id  # the category stays as it was

    # Apply: everything in one go.
    response = client.post(
        "/admin/csv/apply", data={"csrf_token": token("/admin/csv/"), "csv_text": hidden_csv(body)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    product = db.session.scalar(select(Product).where(Product.slug == "new-mug"))
    assert product.name_ru == "Новая кружка" and product.category_id == category.id
    assert sorted(v.sku for v in product.variants) == ["NEW-1", "NEW-2"]
    new1 = db.session.scalar(select(ProductVariant).where(ProductVariant.sku == "NEW-1"))
    assert new1.stock == 7 and new1.price == Decimal("450.00")
    movement = db.session.scalar(select(StockMovement).where(StockMovement.variant_id == new1.id))
    assert movement.delta == 7 and movement.reason == "initial"
    assert db.session.get(ProductVariant, existing.id).price == Decimal("120.00")
    assert (
        db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "import"))
        == 3
    )


def test_row_errors_carry_line_numbers_and_block_the_import(client, db, as_role, token):
    CategoryFactory(slug="mugs")
    VariantFactory(sku="TAKEN", product__slug="other")
    as_role("manager")
    text = HEADER + (
        "OK-1,fine,mugs,Годная,Fine,10,1,1\n"  # line 2: fine
        ",no-sku,mugs,Без артикула,,10,,\n"  # line 3
        "BAD-PRICE,bad,mugs,Плохая цена,,десять,,\n"  # line 4
        "OK-1,fine,,,,11,,\n"  # line 5: duplicate SKU
        "NOCAT,nocat,missing,Нет раздела,,10,,\n"  # line 6
        "TAKEN,wrong-product,,,,10,,\n"  # line 7: SKU of another product
        "NEG,neg,mugs,Минус,,10,-3,\n"  # line 8
        "ACT,act,mugs,Флаг,,10,,может быть\n"  # line 9
    )
    before = counts(db)
    body = upload(client, token("/admin/csv/"), text).get_data(as_text=True)
    lines = [int(n) for n in re.findall(r"<tr><td>(\d+)</td><td>", body)]
    assert {3, 4, 5, 6, 7, 8, 9} <= set(lines)
    assert 2 not in lines
    assert 'name="csv_text"' not in body  # no apply button

    # Even a forced apply changes nothing.
    response = client.post(
        "/admin/csv/apply", data={"csrf_token": token("/admin/csv/"), "csv_text": text}
    )
    assert response.status_code == 200
    assert counts(db) == before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_apply_is_one_transaction(client, db, as_role, token, monkeypatch):
    """A failure half-way (here: the stock service) leaves no row of the file behind."""
    CategoryFactory(slug="mugs")
    as_role("manager")
    text = HEADER + "A-1,a,mugs,А,,10,,\nB-1,b,mugs,Б,,10,5,\n"
    import shop.inventory.services as inventory

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(inventory, "apply_delta", broken)
    before = counts(db)
    with pytest.raises(RuntimeError):
        apply_import(text)
    assert counts(db) == before


def test_semicolon_and_windows_1251_files_are_read(client, db, as_role, token):
    CategoryFactory(slug="mugs")
    as_role("manager")
    text = "sku;product_slug;category_slug;name_ru;price\nW-1;w;mugs;Чашка;99,90\n"
    body = upload(client, token("/admin/csv/"), text, encoding="cp1251").get_data(as_text=True)
    assert "W-1" in body and "99.90" in body
    assert 'name="csv_text"' in body  # no errors: the file may be applied
    assert "Чашка" in hidden_csv(body)


def test_unknown_columns_and_binary_files_are_refused(client, db, as_role, token):
    as_role("manager")
    body = upload(client, token("/admin/csv/"), "sku,product_slug,password\n").get_data(
        as_text=True
    )
    assert "password" in body
    response = client.post(
        "/admin/csv/preview",
        data={
            "csrf_token": token("/admin/csv/"),
            "file": (io.BytesIO(b"\x89PNG\x00\x00binary"), "x.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_export_escapes_formulas(client, db, as_role):
    product = ProductFactory(
        name_ru='=HYPERLINK("http://evil")', name_en="+1 cmd", brand="@SUM(A1)"
    )
    VariantFactory(product=product, sku="-2+3", price=Decimal("10.00"))
    as_role("manager")
    response = client.get("/admin/csv/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, row = rows[0], rows[1]
    data = dict(zip(header, row, strict=True))
    assert data["name_ru"] == '\'=HYPERLINK("http://evil")'
    assert data["name_en"] == "'+1 cmd"
    assert data["brand"] == "'@SUM(A1)"
    assert data["sku"] == "'-2+3"
    assert data["price"] == "10.00"


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("\t=x") == "'\t=x"
    assert safe_cell("plain") == "plain"
    assert safe_cell(None) == ""
    assert safe_cell(Decimal("-5.00")) == "'-5.00"
