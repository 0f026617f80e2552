"""CSV import: an empty cell or a missing column keeps the value; "-" clears an optional one
(issue 14.1: empty size, colour and weight_grams cells erased them, and the dry run showed
"S → —"). The dry run shows exactly what applying does."""

from decimal import Decimal

from shop.catalog.models import Product, ProductVariant
from shop.inventory.catalog_csv import apply_import, plan_import
from tests.factories import ProductFactory, VariantFactory

FULL = "sku,product_slug,size,colour,old_price,weight_grams,brand,name_en,price,stock\n"


def variant(db):
    product = ProductFactory(slug="tee", brand="Lavka", name_en="Tee")
    return VariantFactory(
        product=product, sku="TEE-S", size="S", colour="белый", old_price=Decimal("900.00"),
        weight_grams=250, price=Decimal("700.00"), stock=4,
    )


def reread(db, sku="TEE-S"):
    db.session.expire_all()
    return db.session.query(ProductVariant).filter_by(sku=sku).one()


def test_empty_cells_keep_every_value(db):
    v = variant(db)
    text = FULL + "TEE-S,tee,,,,,,,,\n"
    plan = plan_import(text)
    assert plan.ok and plan.rows[0].action == "unchanged" and plan.rows[0].changes == {}
    apply_import(text)
    v = reread(db)
    assert (v.size, v.colour, v.old_price, v.weight_grams, v.price, v.stock) == (
        "S", "белый", Decimal("900.00"), 250, Decimal("700.00"), 4
    )
    product = db.session.query(Product).filter_by(slug="tee").one()
    assert product.brand == "Lavka" and product.name_en == "Tee"


def test_columns_left_out_keep_their_values(db):
    variant(db)
    text = "sku,product_slug,price\nTEE-S,tee,750\n"
    plan = plan_import(text)
    assert plan.rows[0].changes == {"price": (Decimal("700.00"), Decimal("750.00"))}
    apply_import(text)
    v = reread(db)
    assert v.size == "S" and v.weight_grams == 250 and v.price == Decimal("750.00")


def test_a_hyphen_clears_an_optional_value_and_the_dry_run_says_so(db):
    variant(db)
    text = FULL + "TEE-S,tee,-,-,-,-,-,-,,\n"
    plan = plan_import(text)
    assert plan.ok, plan.errors
    changes = plan.rows[0].changes
    assert changes["size"] == ("S", None) and changes["weight_grams"] == (250, None)
    assert changes["old_price"] == (Decimal("900.00"), None)
    assert changes["product.brand"] == ("Lavka", None)
    apply_import(text)
    v = reread(db)
    assert (v.size, v.colour, v.old_price, v.weight_grams) == (None, None, None, None)
    assert v.price == Decimal("700.00") and v.stock == 4  # required ones untouched
    product = db.session.query(Product).filter_by(slug="tee").one()
    assert product.brand is None and product.name_en is None


def test_a_negative_stock_is_called_negative(db, app):
    variant(db)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        plan = plan_import(FULL + "TEE-S,tee,,,,,,,,-3\n")
        messages = [str(m) for _line, m in plan.errors]
    assert messages == ["stock cannot be negative (“-3”)."], messages
