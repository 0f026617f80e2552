"""The product editor (issue 19.2): the variant table saved with the product (all or nothing),
bulk actions on ticked variants, images' order, alt texts and colours, several uploads at once,
descriptions sanitised, the category picker's tree."""

import io
import json
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.catalog.models import Product, ProductImage, ProductVariant
from shop.inventory.models import StockMovement
from tests.admin.test_catalog import png_bytes
from tests.catalog.conftest import make_image
from tests.factories import CategoryFactory, ProductFactory, VariantFactory


def variant_fields(index, variant=None, **values):
    """The inputs of one row of the variant table, as the page posts them."""
    data = {
        "sku": variant.sku if variant else "",
        "size": (variant.size or "") if variant else "",
        "colour": (variant.colour or "") if variant else "",
        "price": str(variant.price) if variant else "",
        "old_price": "",
        "weight_grams": "",
        "position": str(variant.position if variant else index),
        "active": "y",
        **values,
    }
    if variant is not None:
        data["id"] = str(variant.id)
    if data["active"] is None:
        del data["active"]
    return {f"variants-{index}-{key}": value for key, value in data.items()}


def editor_form(product, csrf, rows=(), **extra):
    data = {
        "csrf_token": csrf,
        "category": str(product.category_id),
        "name_ru": product.name_ru,
        "name_en": product.name_en or "",
        "slug": product.slug,
        "brand": "",
        "description_ru": product.description_ru or "",
        "description_en": product.description_en or "",
        "active": "y",
        "vat_rate": product.vat_rate,
    }
    for row in rows:
        data.update(row)
    data.update(extra)
    return data


@pytest.fixture()
def jacket(db):
    product = ProductFactory(name_ru="Куртка", name_en="Jacket")
    for number, (size, colour) in enumerate([("M", "чёрный"), ("L", "чёрный"), ("M", "белый")]):
        VariantFactory(product=product, sku=f"J-{number}", size=size, colour=colour,
                       price=Decimal("4990.00"), stock=5, position=number)
    db.session.expire_all()
    return db.session.get(Product, product.id)


def test_the_variant_table_saves_edits_a_new_row_and_ignores_a_blank_one(
    client, db, as_role, token, jacket
):
    as_role("manager")
    first, second, third = jacket.variants
    rows = [
        variant_fields(0, first, price="5490"),
        variant_fields(1, second, active=None),
        variant_fields(2, third),
        variant_fields(3, sku="J-3", size="XL", colour="белый", price="5990", weight_grams="900"),
        variant_fields(4, active=None, position=""),  # the blank row the page always offers
        {**variant_fields(5, active=None), "variants-5-id": ""},  # one added, left empty
    ]
    url = f"/admin/products/edit/?id={jacket.id}"
    response = client.post(url, data=editor_form(jacket, token(url), rows))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    variants = db.session.get(Product, jacket.id).variants
    assert [(v.sku, v.price, v.active) for v in variants] == [
        ("J-0", Decimal("5490.00"), True),
        ("J-1", Decimal("4990.00"), False),
        ("J-2", Decimal("4990.00"), True),
        ("J-3", Decimal("5990.00"), True),
    ]
    assert variants[3].weight_grams == 900 and variants[3].stock == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "Product"))
    assert entry.action == "update"
    assert [v["sku"] for v in json.loads(entry.after)["variants"]] == ["J-0", "J-1", "J-2", "J-3"]


def test_an_invalid_row_saves_nothing_and_says_which_row(client, db, as_role, token, jacket):
    as_role("manager", locale="en")
    first, second, third = jacket.variants
    rows = [
        variant_fields(0, first, price="5490"),
        variant_fields(1, second, price="abc"),
        variant_fields(2, third),
        variant_fields(3, sku="", size="XL", price="10"),
    ]
    url = f"/admin/products/edit/?id={jacket.id}"
    response = client.post(url, data=editor_form(jacket, token(url), rows, name_ru="Другое"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not saved" in body and "#2: Price" in body and "#4: SKU" in body
    # the errors sit in their rows, tied to their inputs
    assert 'id="variants-1-price-errors"' in body and 'id="variants-3-sku-errors"' in body
    assert re.search(r'aria-describedby="variants-1-price-errors"', body)
    db.session.expire_all()
    product = db.session.get(Product, jacket.id)
    assert product.name_ru == "Куртка"
    assert [v.price for v in product.variants] == [Decimal("4990.00")] * 3
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_duplicate_sku_in_the_table_saves_nothing(client, db, as_role, token, jacket):
    as_role("manager", locale="en")
    first, second, third = jacket.variants
    rows = [variant_fields(0, first, price="1"), variant_fields(1, second, sku="J-0"),
            variant_fields(2, third)]
    url = f"/admin/products/edit/?id={jacket.id}"
    response = client.post(url, data=editor_form(jacket, token(url), rows))
    assert response.status_code == 200
    assert "Variant #2: SKU: Already exists." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ProductVariant, first.id).price == Decimal("4990.00")


def bulk(client, token, product, action, ids, **values):
    url = f"/admin/products/edit/?id={product.id}"
    data = {"csrf_token": token(url), "bulk_action": action, "variant_id": [str(i) for i in ids]}
    data.update({f"bulk_{key}": value for key, value in values.items()})
    return client.post(f"/admin/products/{product.id}/variants", data=data)


def test_bulk_set_price_changes_the_ticked_variants_only(client, db, as_role, token, jacket):
    manager = as_role("manager")
    first, second, third = jacket.variants
    other = VariantFactory(price=Decimal("100.00"))  # another product's: ignored
    response = bulk(client, token, jacket, "set_price", [first.id, third.id, other.id],
                    price="3990")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"id={jacket.id}#section-variants")
    db.session.expire_all()
    assert [v.price for v in db.session.get(Product, jacket.id).variants] == [
        Decimal("3990.00"), Decimal("4990.00"), Decimal("3990.00"),
    ]
    assert db.session.get(ProductVariant, other.id).price == Decimal("100.00")
    assert db.session.get(Product, jacket.id).min_price == Decimal("3990.00")
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.object_id, e.actor_id) for e in entries] == [
        ("update", str(first.id), manager.id), ("update", str(third.id), manager.id),
    ]
    assert json.loads(entries[0].after) == {"price": "3990.00"}


@pytest.mark.parametrize(
    ("action", "values", "message"),
    [
        ("set_price", {"price": "-1"}, "Number must be"),
        ("set_price", {"price": "abc"}, "Not a valid decimal value"),
        ("set_price", {}, "Say which price to set."),
        ("fly", {}, "Not a valid choice"),
    ],
)
def test_a_bad_bulk_action_changes_nothing(
    client, db, as_role, token, jacket, action, values, message
):
    as_role("manager", locale="en")
    response = bulk(client, token, jacket, action, [v.id for v in jacket.variants], **values)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert message in page
    db.session.expire_all()
    assert {v.price for v in db.session.get(Product, jacket.id).variants} == {Decimal("4990.00")}
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_a_bulk_action_with_nothing_ticked_says_so(client, db, as_role, token, jacket):
    as_role("manager", locale="en")
    response = bulk(client, token, jacket, "deactivate", [])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tick at least one variant" in page


def test_bulk_activate_and_deactivate(client, db, as_role, token, jacket):
    as_role("manager")
    ids = [v.id for v in jacket.variants]
    bulk(client, token, jacket, "deactivate", ids[:2])
    db.session.expire_all()
    assert [v.active for v in db.session.get(Product, jacket.id).variants] == [False, False, True]
    bulk(client, token, jacket, "activate", ids[:1])
    db.session.expire_all()
    assert [v.active for v in db.session.get(Product, jacket.id).variants] == [True, False, True]
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 3


def test_bulk_add_stock_goes_through_the_ledger(client, db, as_role, token, jacket):
    admin = as_role("admin")
    first, second, _third = jacket.variants
    response = bulk(client, token, jacket, "add_stock", [first.id, second.id],
                    quantity="7", note="поставка 12")
    assert response.status_code == 302
    db.session.expire_all()
    assert [v.stock for v in db.session.get(Product, jacket.id).variants] == [12, 12, 5]
    movements = db.session.scalars(select(StockMovement).order_by(StockMovement.id)).all()
    assert [(m.variant_id, m.delta, m.stock_after, m.reason, m.note, m.actor_id)
            for m in movements] == [
        (first.id, 7, 12, "receive", "поставка 12", admin.id),
        (second.id, 7, 12, "receive", "поставка 12", admin.id),
    ]
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "stock")).all()
    assert len(entries) == 2 and json.loads(entries[0].after)["stock"] == 12


def test_managers_cannot_add_stock_from_the_editor(client, db, as_role, token, jacket):
    as_role("manager")
    page = client.get(f"/admin/products/edit/?id={jacket.id}").get_data(as_text=True)
    assert 'value="add_stock"' not in page and "bulk_quantity" not in page
    response = bulk(client, token, jacket, "add_stock", [jacket.variants[0].id], quantity="3")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(ProductVariant, jacket.variants[0].id).stock == 5
    assert db.session.scalar(select(func.count(StockMovement.id))) == 0


@pytest.mark.parametrize("quantity", ["0", "-3", "100001", "x"])
def test_a_bad_stock_quantity_adds_nothing(client, db, as_role, token, jacket, quantity):
    as_role("admin")
    bulk(client, token, jacket, "add_stock", [jacket.variants[0].id], quantity=quantity)
    db.session.expire_all()
    assert db.session.get(ProductVariant, jacket.variants[0].id).stock == 5
    assert db.session.scalar(select(func.count(StockMovement.id))) == 0


def test_bulk_for_an_unknown_product_is_404(client, db, as_role, token):
    as_role("manager")
    response = client.post("/admin/products/999999/variants",
                           data={"csrf_token": token(), "bulk_action": "activate"})
    assert response.status_code == 404


def image_fields(image, position, alt_ru="", alt_en="", colour=""):
    key = f"image-{image.id}-"
    return {key + "position": str(position), key + "alt_ru": alt_ru, key + "alt_en": alt_en,
            key + "colour": colour}


def rows_of(product):
    return [variant_fields(i, v) for i, v in enumerate(product.variants)]


def test_images_order_alt_texts_and_colours_are_saved(client, db, as_role, token, jacket):
    as_role("manager")
    images = [make_image(jacket, position=i, alt_ru=f"Фото {i}") for i in range(3)]
    url = f"/admin/products/edit/?id={jacket.id}"
    data = editor_form(jacket, token(url), rows_of(jacket))
    data.update(image_fields(images[0], 3, "Спереди", "Front", "чёрный"))
    data.update(image_fields(images[1], 2, "Сбоку", "Side"))
    data.update(image_fields(images[2], 1, "  Сзади   ", "", "белый"))
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    saved = db.session.get(Product, jacket.id).images
    assert [(i.id, i.position, i.alt_ru, i.alt_en, i.colour) for i in saved] == [
        (images[2].id, 0, "Сзади", None, "белый"),
        (images[1].id, 1, "Сбоку", "Side", None),
        (images[0].id, 2, "Спереди", "Front", "чёрный"),
    ]
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "ProductImage")
    ).all()
    assert len(entries) == 3
    # The editor shows them in the new order, each colour chosen in its select.
    page = client.get(url).get_data(as_text=True)
    assert page.index(images[2].filename[:32]) < page.index(images[0].filename[:32])
    assert re.search(r'<option value="белый" selected>белый</option>', page)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("colour", "зелёный", "Image 1: no variant of this product has that colour."),
        ("alt_ru", "я" * 201, "Image 1: the description is longer than 200 characters."),
        ("position", "первый", "Image 1: the position must be a whole number."),
        ("position", "0", "Image 1: the position must be between 1 and 9999."),
    ],
)
def test_bad_image_values_save_nothing(
    client, db, as_role, token, jacket, field, value, message
):
    as_role("manager", locale="en")
    image = make_image(jacket, position=0, alt_ru="Фото")
    url = f"/admin/products/edit/?id={jacket.id}"
    data = editor_form(jacket, token(url), rows_of(jacket), name_ru="Иначе")
    data.update(image_fields(image, 1, "Фото", "Photo"))
    data[f"image-{image.id}-{field}"] = value
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Product, jacket.id).name_ru == "Куртка"
    assert db.session.get(ProductImage, image.id).alt_ru == "Фото"
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_the_colour_select_offers_the_variants_colours(client, db, as_role, jacket):
    as_role("manager")
    make_image(jacket)
    page = client.get(f"/admin/products/edit/?id={jacket.id}").get_data(as_text=True)
    select_html = page[page.index("data-image-colour"):]
    select_html = select_html[: select_html.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', select_html) == ["", "чёрный", "белый"]


def test_several_images_are_uploaded_at_once(client, db, as_role, token, jacket):
    as_role("manager")
    make_image(jacket, position=0)
    url = f"/admin/products/edit/?id={jacket.id}"
    data = editor_form(jacket, token(url), rows_of(jacket))
    data["new_image"] = [
        (io.BytesIO(png_bytes(colour=(1, 2, 3))), "a.png"),
        (io.BytesIO(png_bytes(colour=(4, 5, 6))), "b.png"),
    ]
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    images = db.session.get(Product, jacket.id).images
    assert [i.position for i in images] == [0, 1, 2]
    created = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "create")).all()
    assert len(created) == 2


def test_one_bad_file_among_several_saves_none(client, db, as_role, token, jacket):
    as_role("manager", locale="en")
    url = f"/admin/products/edit/?id={jacket.id}"
    data = editor_form(jacket, token(url), rows_of(jacket))
    data["new_image"] = [
        (io.BytesIO(png_bytes()), "good.png"),
        (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "bad.svg"),
    ]
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "bad.svg" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ProductImage.id))) == 0


def test_the_editors_description_is_sanitised_on_save(client, db, as_role, token, jacket):
    as_role("manager")
    url = f"/admin/products/edit/?id={jacket.id}"
    typed = (
        '<h3>Уход</h3><p><strong>Тёплая</strong> и <em>лёгкая</em>.</p>'
        '<ul><li>стирать при 30°</li></ul><ol><li>раз</li></ol>'
        '<p><a href="https://example.com/size">Размеры</a></p>'
        '<p onclick="x()">Ещё</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>'
        '<img src=x onerror=alert(3)>'
    )
    response = client.post(url, data=editor_form(jacket, token(url), rows_of(jacket),
                                                 description_ru=typed))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Product, jacket.id).description_ru
    for kept in ("<h3>Уход</h3>", "<strong>Тёплая</strong>", "<em>лёгкая</em>",
                 "<ul><li>стирать при 30°</li></ul>", "<ol><li>раз</li></ol>",
                 'href="https://example.com/size"'):
        assert kept in saved
    for gone in ("onclick", "<script", "javascript:", "<img", "onerror"):
        assert gone not in saved


def test_the_category_picker_shows_the_tree_with_paths(client, db, as_role):
    clothes = CategoryFactory(name_ru="Одежда", name_en="Clothes", position=1)
    kitchen = CategoryFactory(name_ru="Кухня", name_en="Kitchen", position=0)
    jackets = CategoryFactory(name_ru="Куртки", name_en="Jackets", parent=clothes)
    winter = CategoryFactory(name_ru="Зимние", name_en="Winter", parent=jackets)
    as_role("manager")
    page = client.get("/admin/products/new/").get_data(as_text=True)
    picker = page[page.index('<select id="category"'):]
    picker = picker[: picker.index("</select>")]
    options = re.findall(
        r'<option value="(\d+)" data-path="([^"]+)" data-search="([^"]+)" data-depth="(\d)"',
        picker,
    )
    assert [(int(i), path, int(depth)) for i, path, _words, depth in options] == [
        (kitchen.id, "Кухня", 0),
        (clothes.id, "Одежда", 0),
        (jackets.id, "Одежда › Куртки", 1),
        (winter.id, "Одежда › Куртки › Зимние", 2),
    ]
    assert "winter" in options[3][2] and "зимние" in options[3][2]
    assert "\u2003\u2003Зимние" in picker  # indented by depth
    assert 'id="category-filter"' in page and 'data-category-filter' in page
    # the reader's language: paths in English for an English reader
    client.get("/lang/en?next=/")
    page = client.get("/admin/products/new/").get_data(as_text=True)
    assert 'data-path="Clothes › Jackets › Winter"' in page


def test_the_editor_assets_are_on_the_editor_pages_only(client, db, as_role, jacket):
    as_role("manager")
    edit = client.get(f"/admin/products/edit/?id={jacket.id}").get_data(as_text=True)
    create = client.get("/admin/products/new/").get_data(as_text=True)
    listing = client.get("/admin/products/").get_data(as_text=True)
    for page in (edit, create):
        assert "js/admin_editor.js" in page and "css/admin_editor.css" in page
        assert "data-rich-text" in page and 'id="editor-strings"' in page
        for key in ("main", "description", "variants", "images", "seo", "vat"):
            assert f'id="section-{key}"' in page and f'href="#section-{key}"' in page
    assert "admin_editor" not in listing
    # no stock input anywhere: stock moves only through the ledger
    assert re.search(r'name="[^"]*stock[^"]*"', edit.replace("bulk_", "")) is None
