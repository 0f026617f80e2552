"""The domain model's guarantees, enforced by the database itself on SQLite and PostgreSQL."""

from decimal import Decimal

import pytest
from flask_migrate import check as _unused  # noqa: F401 - the command exists
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from shop.catalog.models import ProductVariant
from shop.catalog.search import include_in_schema_compare
from shop.core.models import Translated
from shop.orders.models import Order, OrderLine, OrderStatus
from tests.factories import CategoryFactory, ProductFactory, UserFactory, VariantFactory


def test_stock_cannot_go_negative_even_with_raw_sql(db):
    variant = VariantFactory(stock=2)
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("UPDATE product_variant SET stock = stock - 3 WHERE id = :id"), {"id": variant.id}
        )
        db.session.flush()
    db.session.rollback()
    assert db.session.get(ProductVariant, variant.id).stock == 2


def test_sku_is_unique(db):
    VariantFactory(sku="DUP-1")
    with pytest.raises(IntegrityError):
        VariantFactory(sku="DUP-1")
    db.session.rollback()


def test_money_is_decimal_with_two_places(db):
    variant = VariantFactory(price=Decimal("1234.5"))
    db.session.expire_all()
    price = db.session.get(ProductVariant, variant.id).price
    assert isinstance(price, Decimal)
    assert price == Decimal("1234.50")


def test_product_summary_follows_variants(db):
    product = ProductFactory()
    VariantFactory(product=product, price=Decimal("500"), stock=0)
    VariantFactory(product=product, price=Decimal("300"), stock=0)
    db.session.refresh(product)
    assert product.min_price == Decimal("300.00")
    assert product.in_stock is False
    product.variants[0].stock = 4
    db.session.commit()
    assert product.in_stock is True


def test_translated_fields_fall_back_to_russian(app, db):
    from flask_babel import force_locale

    category = CategoryFactory(name_ru="Обувь", name_en=None)
    with app.test_request_context(), force_locale("en"):
        assert category.name == "Обувь"
        category.name_en = "Shoes"
        assert category.name == "Shoes"
    with app.test_request_context(), force_locale("ru"):
        assert category.name == "Обувь"
    assert isinstance(type(category).__dict__["name"], Translated)


def test_order_snapshot_survives_catalogue_changes(db):
    user = UserFactory()
    variant = VariantFactory(price=Decimal("990.00"))
    order = Order(
        number="A-0001",
        user_id=user.id,
        email=user.email,
        phone="+79990000000",
        customer_name="Иван",
        delivery_method_name="Курьер",
        delivery_price=Decimal("390"),
        payment_method="cash",
        subtotal=Decimal("990.00"),
        total=Decimal("1380.00"),
        access_token="t" * 32,
        lines=[
            OrderLine(
                variant_id=variant.id,
                product_name=variant.product.name_ru,
                sku=variant.sku,
                unit_price=variant.price,
                quantity=1,
                line_total=variant.price,
            )
        ],
    )
    db.session.add(order)
    db.session.commit()
    variant.price = Decimal("1990.00")
    variant.product.name_ru = "Переименован"
    db.session.commit()
    db.session.expire_all()
    line = db.session.get(Order, order.id).lines[0]
    assert line.unit_price == Decimal("990.00")
    assert line.product_name != "Переименован"
    assert db.session.get(Order, order.id).status == OrderStatus.NEW


def test_migrations_match_the_models(app, db):
    """Alembic's autogenerate finds nothing to add: the migration and the models agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        # SQLite's FTS5 search table (and its shadow tables) and the case-blind SKU index come
        # from migration 0013_fts_search only: no model declares them, so they are not compared.
        context = MigrationContext.configure(
            conn, opts={"include_name": include_in_schema_compare}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_every_foreign_key_is_indexed(db):
    inspector = inspect(db.engine)
    unindexed = []
    for table in db.metadata.sorted_tables:
        indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes(table.name)}
        indexed |= {
            tuple(uq["column_names"]) for uq in inspector.get_unique_constraints(table.name)
        }
        indexed.add(tuple(inspector.get_pk_constraint(table.name)["constrained_columns"]))
        for fk in table.foreign_keys:
            column = fk.parent.name
            if not any(cols and cols[0] == column for cols in indexed):
                unindexed.append(f"{table.name}.{column}")
    # roles_users is Flask-Security's association table; its pair is looked up by user.
    assert [c for c in unindexed if not c.startswith("roles_users")] == []
