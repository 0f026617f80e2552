"""manage.py commands: seed-demo, create-admin, translate."""

from sqlalchemy import func, select

from shop.accounts.models import Role, User
from shop.catalog.models import Category, Product, ProductImage, ProductVariant
from shop.inventory.models import StockMovement
from shop.shipping.models import DeliveryMethod


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_builds_a_bilingual_catalogue_once(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert count(db, Category) >= 12
    assert count(db, Product) >= 80
    assert count(db, ProductVariant) > count(db, Product)
    assert count(db, DeliveryMethod) >= 3
    assert count(db, ProductImage) >= 2 * count(db, Product)
    assert count(db, StockMovement) == count(db, ProductVariant)
    top = db.session.scalars(select(Category).where(Category.parent_id.is_(None))).all()
    assert all(c.children for c in top), "a two-level tree"
    assert all(p.name_en and p.name_ru for p in db.session.scalars(select(Product)))
    models = (Category, Product, ProductVariant, ProductImage, StockMovement, DeliveryMethod)
    before = {m.__name__: count(db, m) for m in models}
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "nothing added" in again.output
    assert before == {m.__name__: count(db, m) for m in models}


def test_create_admin_makes_roles_and_a_staff_user(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "boss@example.com", "--password", "long enough 1"])
    assert result.exit_code == 0, result.output
    names = set(db.session.scalars(select(Role.name)))
    assert {"admin", "manager", "warehouse", "customer"} <= names
    user = db.session.scalars(select(User).where(User.email == "boss@example.com")).one()
    assert user.has_role("admin") and user.password.startswith("$argon2")
    # running it again updates instead of failing
    assert (
        runner.invoke(
            args=["create-admin", "boss@example.com", "--password", "long enough 2"]
        ).exit_code
        == 0
    )
    assert count(db, User) == 1


def test_create_admin_refuses_bad_input_and_writes_nothing(app, db):
    runner = app.test_cli_runner()
    bad_email = runner.invoke(args=["create-admin", "not-an-email", "--password", "long enough 1"])
    assert bad_email.exit_code != 0 and "Некорректный адрес" in bad_email.output
    short = runner.invoke(args=["create-admin", "a@example.com", "--password", "short"])
    assert short.exit_code != 0 and "8" in short.output
    assert count(db, User) == 0
