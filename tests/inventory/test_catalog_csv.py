"""The catalogue CSV service on its own (shop.inventory.catalog_csv): its three reading steps
(header, one row, the diff), the apply step writing through what the plan loaded, refusals that
write nothing, and the export's audit entry. The back office's pages around it are tested in
tests/admin/test_csv*.py."""

import json
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from shop.audit.models import AuditEntry
from shop.catalog.models import Product, ProductVariant
from shop.inventory import catalog_csv
from shop.inventory.catalog_csv import (
    ImportRefused,
    ParsedRow,
    RawRow,
    apply_import,
    export_products,
    parse_row,
    plan_import,
    read_table,
)
from shop.inventory.models import StockMovement
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VariantFactory


@pytest.fixture()
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_header_problems_stop_the_file_on_line_one(english, monkeypatch):
    assert read_table("") == ([], [(1, "The file is empty.")])
    assert read_table("sku,price\n") == ([], [(1, "Missing columns: product_slug.")])
    assert read_table("sku,product_slug,password\n") == (
        [],
        [(1, "Unknown columns: password.")],
    )
    monkeypatch.setattr(catalog_csv, "MAX_ROWS", 2)
    rows, errors = read_table("sku,product_slug\na,b\nc,d\ne,f\n")
    assert rows == [] and errors == [(1, "At most 2 rows can be imported at once.")]


def test_the_table_skips_blank_rows_and_refuses_overlong_ones(english):
    rows, errors = read_table("SKU,Product_Slug,,size\nA,a,ignored,-\n,,,\nB,b,x,M,extra\n")
    assert errors == [(4, "The row has more cells than the header.")]
    assert rows == [RawRow(line=2, cells={"sku": "A", "product_slug": "a", "size": "-"},
                           cleared={"size"})]


def test_a_row_is_parsed_without_the_database(english):
    class Shelf:
        id = 7

    raw = RawRow(
        line=5,
        cells={
            "sku": " T-1 ", "product_slug": "tee", "category_slug": "shirts", "price": "1 200,5",
            "old_price": "-", "active": "да", "stock": "3", "brand": "-", "name_ru": "Футболка",
        },
        cleared={"old_price", "brand"},
    )
    assert parse_row(raw, {"shirts": Shelf()}) == ParsedRow(
        line=5,
        sku="T-1",
        product_slug="tee",
        values={"old_price": None, "price": Decimal("1200.50"), "active": True},
        product_values={"name_ru": "Футболка", "brand": None, "category_id": 7},
        stock=3,
        has_price=True,
        errors=[],
    )


def test_a_rows_errors_come_in_reading_order(english):
    raw = RawRow(
        line=3,
        cells={"sku": "", "product_slug": "Bad Slug", "price": "ten", "stock": "-1",
               "category_slug": "nowhere"},
        cleared=set(),
    )
    assert parse_row(raw, {}).errors == [
        "The SKU is empty.",
        "The product slug may hold only lowercase latin letters, digits and hyphens.",
        "price must be an amount of money, not “ten”.",
        "stock cannot be negative (“-1”).",
        "There is no category “nowhere”.",
    ]


def test_the_diff_names_every_change_and_the_new_product_once(db, english):
    CategoryFactory(slug="mugs")
    VariantFactory(sku="OLD", price=Decimal("10.00"), stock=2, product__slug="old")
    text = (
        "sku,product_slug,category_slug,name_ru,price,stock\n"
        "OLD,old,,,12,2\n"
        "N-1,new,mugs,Кружка,5,\n"
        "N-2,new,,,6,4\n"
        "N-1,new,,,7,\n"
    )
    plan = plan_import(text)
    assert plan.errors == [(5, "SKU N-1 is already on line 3.")]
    assert [(r.sku, r.action, r.product_action) for r in plan.rows] == [
        ("OLD", "update", "unchanged"),
        ("N-1", "create", "create"),
        ("N-2", "create", "unchanged"),
    ]
    assert plan.rows[0].changes == {"price": (Decimal("10.00"), Decimal("12.00"))}
    assert plan.rows[2].changes == {"price": (None, Decimal("6.00")), "stock": (0, 4)}
    assert plan.new_products == 1


def variant_selects(db):
    """A list that fills with every SELECT reading product_variant rows by SKU."""
    seen = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        text = " ".join(statement.split()).lower()
        if text.startswith("select") and "from product_variant" in text and ".sku" in text:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", listen)


def test_apply_writes_through_what_the_plan_loaded(db):
    """Five rows of existing variants: one SELECT of variants for the plan, none more to
    apply it (the old apply step loaded every variant again, one query per row)."""
    product = ProductFactory(slug="tee")
    for n in range(5):
        VariantFactory(product=product, sku=f"T-{n}", price=Decimal("10.00"), stock=1)
    text = "sku,product_slug,price,stock\n" + "".join(f"T-{n},tee,11,{n}\n" for n in range(5))

    seen, stop = variant_selects(db)
    try:
        plan_import(text)
        db.session.rollback()
        planning = len(seen)
        seen.clear()
        apply_import(text)
    finally:
        stop()
    assert planning == 1
    assert len(seen) == planning
    db.session.expire_all()
    variants = db.session.scalars(select(ProductVariant).order_by(ProductVariant.sku)).all()
    assert [(v.price, v.stock) for v in variants] == [(Decimal("11.00"), n) for n in range(5)]
    assert db.session.get(Product, product.id).in_stock is True


def test_stock_goes_to_the_ledger_and_every_change_to_the_audit_log(db):
    CategoryFactory(slug="mugs")
    manager = UserFactory(email="manager@example.com")
    VariantFactory(sku="OLD", stock=5, product__slug="old")
    text = (
        "sku,product_slug,category_slug,name_ru,price,stock\n"
        "NEW,new,mugs,Кружка,9,3\n"
        "OLD,old,,,,2\n"
    )
    plan = apply_import(text, actor=manager, ip="10.0.0.1")
    assert [r.action for r in plan.rows] == ["create", "update"]
    movements = db.session.scalars(select(StockMovement).order_by(StockMovement.id)).all()
    assert [(m.delta, m.reason, m.note, m.actor_id) for m in movements] == [
        (3, "initial", "CSV import", manager.id),
        (-3, "adjust", "CSV import", manager.id),
    ]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_email, e.ip) for e in entries] == [
        ("import", "manager@example.com", "10.0.0.1"),
        ("import", "manager@example.com", "10.0.0.1"),
    ]
    assert json.loads(entries[1].before) == {"stock": 5}
    assert json.loads(entries[1].after) == {"stock": 2}


def test_a_refused_file_writes_nothing_and_carries_its_plan(db):
    VariantFactory(sku="OK", price=Decimal("1.00"), product__slug="ok")
    text = "sku,product_slug,price\nOK,ok,2\nBAD,nowhere,x\n"
    with pytest.raises(ImportRefused) as refused:
        apply_import(text)
    plan = refused.value.details["plan"]
    assert [r.sku for r in plan.rows] == ["OK"] and refused.value.details["errors"] == plan.errors
    assert {line for line, _message in plan.errors} == {3}
    db.session.expire_all()
    assert db.session.scalar(select(ProductVariant.price)) == Decimal("1.00")
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_the_export_is_recorded_with_who_asked(db):
    VariantFactory(sku="E-1")
    manager = UserFactory(email="exporter@example.com")
    body = export_products(actor=manager, ip="10.0.0.2")
    assert b"E-1" in body
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.object_type, entry.actor_email, entry.ip) == (
        "export", "Product", "exporter@example.com", "10.0.0.2"
    )


def test_the_vat_rate_column_sets_the_products_rate_and_refuses_other_rates(db, english):
    """Staff set VAT rates in bulk (issue 17.2): "10", "10%", "none", "без НДС"; a rate the
    law does not have is an error of its line and nothing is imported."""
    VariantFactory(sku="BOOK-1", product__slug="book", product__vat_rate="22")
    VariantFactory(sku="MILK-1", product__slug="milk", product__vat_rate="22")
    refused = plan_import("sku,product_slug,vat_rate\nBOOK-1,book,15%\n")
    assert refused.errors == [(2, "vat_rate must be 22, 10, 0 or none, not “15%”.")]
    with pytest.raises(ImportRefused):
        apply_import("sku,product_slug,vat_rate\nBOOK-1,book,15%\nMILK-1,milk,10\n")
    assert {p.vat_rate for p in db.session.scalars(select(Product))} == {"22"}
    plan = apply_import("sku,product_slug,vat_rate\nBOOK-1,book,10%\nMILK-1,milk,без НДС\n")
    assert [r.product_action for r in plan.rows] == ["update", "update"]
    db.session.expire_all()
    rates = {p.slug: p.vat_rate for p in db.session.scalars(select(Product))}
    assert rates == {"book": "10", "milk": "none"}
    exported = export_products().decode("utf-8-sig").splitlines()
    header = exported[0].split(",")
    assert "vat_rate" in header
    at = header.index("vat_rate")
    assert sorted(line.split(",")[at] for line in exported[1:]) == ["10", "none"]
