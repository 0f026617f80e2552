"""factory_boy factories bound to the app's session."""

from decimal import Decimal

import factory
from flask_security import hash_password

from shop.accounts.models import Role, User
from shop.catalog import saving
from shop.catalog.models import Category, Product, ProductVariant
from shop.extensions import db
from shop.shipping.models import DeliveryMethod


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class RoleFactory(Base):
    class Meta:
        model = Role
        sqlalchemy_get_or_create = ("name",)

    name = "customer"


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.LazyFunction(lambda: hash_password("correct horse 1"))
    active = True
    fs_uniquifier = factory.Faker("uuid4")
    full_name = factory.Faker("name", locale="ru_RU")
    locale = "ru"
    confirmed_at = factory.Faker("date_time")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        roles = [RoleFactory(name=name) for name in extracted or ()]
        for role in roles:
            self.roles.append(role)
        if create and extracted:
            db.session.commit()


class CatalogueBase(Base):
    """Saves what it builds through shop.catalog.saving, as every writer of the shop does."""

    class Meta:
        abstract = True

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        obj = model_class(*args, **kwargs)
        session.add(obj)
        save = {
            Category: saving.save_category,
            Product: saving.save_product,
            ProductVariant: saving.save_variant,
        }[model_class]
        save(obj, session)
        session.commit()
        return obj


class CategoryFactory(CatalogueBase):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    name_ru = factory.Sequence(lambda n: f"Категория {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class ProductFactory(CatalogueBase):
    class Meta:
        model = Product

    category = factory.SubFactory(CategoryFactory)
    slug = factory.Sequence(lambda n: f"product-{n}")
    name_ru = factory.Sequence(lambda n: f"Товар {n}")
    name_en = factory.Sequence(lambda n: f"Product {n}")
    description_ru = "<p>Описание</p>"
    description_en = "<p>Description</p>"
    active = True


class VariantFactory(CatalogueBase):
    class Meta:
        model = ProductVariant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = Decimal("1000.00")
    stock = 10


class DeliveryMethodFactory(Base):
    class Meta:
        model = DeliveryMethod

    code = factory.Sequence(lambda n: f"method-{n}")
    name_ru = "Курьер"
    name_en = "Courier"
    price = Decimal("390.00")
    free_from = Decimal("5000.00")
    needs_address = True
