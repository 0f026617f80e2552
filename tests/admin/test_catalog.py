"""Catalogue in the back office: products with variants and images on one page, categories."""

import io
import json
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.catalog.models import Category, Product, ProductImage, ProductVariant
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


def png_bytes(size=(64, 48), colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def product_form(category, token, **extra):
    data = {
        "csrf_token": token,
        "category": str(category.id),
        "name_ru": "Кружка «Утро»",
        "name_en": "Morning mug",
        "slug": "",
        "brand": "Лавка",
        "description_ru": '<p>Фарфор</p><script>alert(1)</script><a href="javascript:x">x</a>',
        "description_en": "<p onclick='x()'>Porcelain</p>",
        "active": "y",
        "variants-0-sku": "MUG-001",
        "variants-0-size": "300 мл",
        "variants-0-colour": "белый",
        "variants-0-price": "590.00",
        "variants-0-position": "0",
        "variants-0-active": "y",
    }
    data.update(extra)
    return data


def test_manager_creates_product_with_variant_and_image(client, db, as_role, token):
    category = CategoryFactory()
    manager = as_role("manager")
    data = product_form(category, token())
    data["new_image"] = (io.BytesIO(png_bytes()), "photo.png")
    response = client.post("/admin/products/new/", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    product = db.session.scalar(select(Product))
    assert product.slug == "kruzhka-utro"
    assert "<script" not in product.description_ru and "javascript:" not in product.description_ru
    assert "onclick" not in product.description_en
    assert [v.sku for v in product.variants] == ["MUG-001"]
    variant = product.variants[0]
    assert variant.price == Decimal("590.00") and variant.stock == 0
    assert len(product.images) == 1
    image = product.images[0]
    assert image.filename.endswith(".jpg") and "photo" not in image.filename
    assert (image.width, image.height) == (64, 48)

    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert {(e.action, e.object_type) for e in entries} == {
        ("create", "Product"),
        ("create", "ProductImage"),
    }
    created = next(e for e in entries if e.object_type == "Product")
    assert created.actor_id == manager.id
    assert json.loads(created.after)["name_ru"] == "Кружка «Утро»"

    # The storefront shows it with its image.
    page = client.get(f"/product/{product.slug}")
    assert page.status_code == 200
    assert image.filename.split(".")[0] in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("payload", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg"),
        (b"<?php echo 'hi'; ?>" + b"\0" * 20, "shell.jpg"),
        (b"GIF89a" + b"not really a gif", "fake.gif"),
    ],
)
def test_bad_images_are_refused_and_nothing_is_saved(client, db, as_role, token, payload, name):
    category = CategoryFactory()
    as_role("manager")
    data = product_form(category, token())
    data["new_image"] = (io.BytesIO(payload), name)
    response = client.post("/admin/products/new/", data=data, content_type="multipart/form-data")
    assert response.status_code == 200  # the form again, with the message
    body = response.get_data(as_text=True)
    assert "image" in body.lower() or "изображ" in body.lower()
    assert db.session.scalar(select(Product)) is None
    assert db.session.scalar(select(ProductImage)) is None
    assert db.session.scalar(select(AuditEntry)) is None


def test_too_large_image_is_refused(client, db, as_role, token, monkeypatch):
    import admin.catalog

    monkeypatch.setattr(admin.catalog, "MAX_IMAGE_BYTES", 100)
    category = CategoryFactory()
    as_role("manager")
    data = product_form(category, token())
    data["new_image"] = (io.BytesIO(png_bytes((300, 300))), "big.png")
    response = client.post("/admin/products/new/", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert db.session.scalar(select(Product)) is None


def test_edit_records_before_and_after(client, db, as_role, token):
    variant = VariantFactory(sku="A-1", price=Decimal("100.00"))
    product = variant.product
    old_name = product.name_ru
    as_role("manager")
    data = product_form(
        product.category,
        token(),
        name_ru="Новое имя",
        slug=product.slug,
        **{
            "variants-0-id": str(variant.id),
            "variants-0-sku": "A-1",
            "variants-0-price": "120.00",
        },
    )
    response = client.post(f"/admin/products/edit/?id={product.id}", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).name_ru == "Новое имя"
    assert db.session.get(ProductVariant, variant.id).price == Decimal("120.00")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert before["name_ru"] == old_name and after["name_ru"] == "Новое имя"
    assert before["variants"][0]["price"] == "100.00"
    assert after["variants"][0]["price"] == "120.00"


def test_negative_price_is_refused(client, db, as_role, token):
    category = CategoryFactory()
    as_role("manager")
    data = product_form(category, token(), **{"variants-0-price": "-5"})
    response = client.post("/admin/products/new/", data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(Product)) is None


def test_bulk_deactivate_and_activate(client, db, as_role, token):
    products = [ProductFactory() for _ in range(3)]
    as_role("manager")
    csrf = token("/admin/products/")
    response = client.post(
        "/admin/products/action/",
        data={
            "action": "deactivate",
            "rowid": [str(p.id) for p in products[:2]],
            "csrf_token": csrf,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [db.session.get(Product, p.id).active for p in products] == [False, False, True]
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions == ["deactivate", "deactivate"]
    client.post(
        "/admin/products/action/",
        data={"action": "activate", "rowid": [str(products[0].id)], "csrf_token": csrf},
    )
    db.session.expire_all()
    assert db.session.get(Product, products[0].id).active is True


def test_product_list_search_filter_and_sort(client, db, as_role):
    ProductFactory(name_ru="Синий чайник", name_en="Blue kettle")
    ProductFactory(name_ru="Красная чашка", name_en="Red cup", active=False)
    as_role("manager")
    body = client.get("/admin/products/?search=чайник").get_data(as_text=True)
    assert "Синий чайник" in body and "Красная чашка" not in body
    body = client.get("/admin/products/?sort=0&desc=1").get_data(as_text=True)
    assert body.index("Синий чайник") < body.index("Красная чашка")


def test_category_tree_with_generated_slug(client, db, as_role, token):
    parent = CategoryFactory(name_ru="Кухня")
    as_role("manager")
    response = client.post(
        "/admin/categories/new/",
        data={
            "csrf_token": token(),
            "parent": str(parent.id),
            "name_ru": "Чашки и кружки",
            "position": "2",
            "active": "y",
            "description_ru": "<p>ok</p><img src=x onerror=alert(1)>",
        },
    )
    assert response.status_code == 302
    child = db.session.scalar(select(Category).where(Category.parent_id == parent.id))
    assert child.slug == "chashki-i-kruzhki"
    assert "onerror" not in child.description_ru
    body = client.get("/admin/categories/").get_data(as_text=True)
    assert "Кухня › Чашки и кружки" in body


def test_category_cannot_be_its_own_parent(client, db, as_role, token):
    category = CategoryFactory()
    as_role("manager")
    response = client.post(
        f"/admin/categories/edit/?id={category.id}",
        data={
            "csrf_token": token(),
            "parent": str(category.id),
            "name_ru": category.name_ru,
            "slug": category.slug,
            "position": "0",
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Category, category.id).parent_id is None


def test_non_empty_category_is_not_deleted(client, db, as_role, token):
    product = ProductFactory()
    as_role("admin")
    response = client.post(
        "/admin/categories/delete/",
        data={"csrf_token": token(), "id": str(product.category_id)},
    )
    assert response.status_code == 302
    assert db.session.get(Category, product.category_id) is not None


def test_image_can_be_removed(client, db, as_role, token, app):
    from shop.catalog.images import store_image

    product = ProductFactory()
    with app.test_request_context():
        filename, width, height = store_image(png_bytes())
    image = ProductImage(product_id=product.id, filename=filename, width=width, height=height)
    db.session.add(image)
    db.session.commit()
    as_role("manager")
    csrf = token(f"/admin/products/edit/?id={product.id}")
    response = client.post(f"/admin/products/image/{image.id}/delete", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert db.session.scalar(select(ProductImage)) is None
    assert db.session.scalar(select(AuditEntry.action)) == "delete"


def test_product_form_has_variants_and_image_on_one_page(client, db, as_role):
    as_role("manager")
    body = client.get("/admin/products/new/").get_data(as_text=True)
    assert 'id="new_image"' in body and 'type="file"' in body
    assert 'id="variants-button"' in body
    assert 'id="slug"' in body and 'name="slug" required' not in body
    assert 'name="stock"' not in body  # stock changes only through the stock screens


def test_inline_list_edit_is_audited(client, db, as_role, token):
    category = CategoryFactory(position=0)
    as_role("manager")
    response = client.post(
        "/admin/categories/ajax/update/",
        data={
            "csrf_token": token("/admin/categories/"),
            "list_form_pk": str(category.id),
            "position": "7",
        },
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Category, category.id).position == 7
    entry = db.session.scalar(select(AuditEntry))
    assert entry.action == "update" and json.loads(entry.after) == {"position": 7}


def test_sold_products_and_variants_are_kept(client, db, as_role, token):
    from tests.admin.conftest import make_order

    variant = VariantFactory(sku="SOLD-1")
    make_order(variant=variant)
    product = variant.product
    as_role("manager", locale="en")
    csrf = token()
    response = client.post(
        "/admin/products/delete/",
        data={"csrf_token": csrf, "id": str(product.id)},
        follow_redirects=True,
    )
    assert "deactivate it" in response.get_data(as_text=True)
    assert db.session.get(Product, product.id) is not None
    data = product_form(
        product.category,
        csrf,
        slug=product.slug,
        **{
            "variants-0-id": str(variant.id),
            "variants-0-sku": "SOLD-1",
            "del-variants-0": "on",
        },
    )
    response = client.post(f"/admin/products/edit/?id={product.id}", data=data)
    assert response.status_code == 200
    assert "deactivate it" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProductVariant, variant.id) is not None
    assert db.session.scalar(select(AuditEntry)) is None


def test_edit_page_shows_stock_and_images(client, db, as_role):
    variant = VariantFactory(sku="SHOW-1", stock=13)
    as_role("manager")
    body = client.get(f"/admin/products/edit/?id={variant.product_id}").get_data(as_text=True)
    assert "SHOW-1" in body and ">13<" in body
    assert f"/admin/stock-adjust/{variant.id}" not in body  # managers do not adjust stock


def test_duplicate_sku_is_refused_without_sql_in_the_page(client, db, as_role, token, app):
    import os

    from shop.catalog.images import original_path

    category = CategoryFactory()
    as_role("manager", locale="en")
    data = product_form(
        category,
        token(),
        **{
            "variants-1-sku": "MUG-001",
            "variants-1-price": "1",
            "variants-1-position": "1",
        },
    )
    data["new_image"] = (io.BytesIO(png_bytes()), "photo.png")
    with app.test_request_context():
        folder = os.path.dirname(original_path("x.jpg"))
    before = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    response = client.post("/admin/products/new/", data=data, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already in use" in body
    assert "UNIQUE" not in body and "duplicate key" not in body and "INSERT" not in body
    assert db.session.scalar(select(Product)) is None
    after = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    assert after == before  # the stored upload was removed again
