"""What the back office's own pages gain by writing through services (issue 15.2): an image's
files go with it, a staff note reaches the order's timeline, a CSV import that loses a race for
stock says so instead of failing, and a staff account switched off is logged out."""

import os

from sqlalchemy import func, select

from shop.catalog.images import THUMB_SIZES, ensure_thumbnail, image_paths
from shop.catalog.models import Product, ProductImage
from shop.orders.models import OrderEvent
from tests.admin.conftest import login_as, make_order
from tests.catalog.conftest import make_image
from tests.factories import ProductFactory, UserFactory


def test_removing_an_image_removes_its_files(client, db, as_role, token):
    product = ProductFactory()
    image = make_image(product)
    for width in THUMB_SIZES:
        ensure_thumbnail(image.filename, width)
    paths = image_paths(image.filename)
    as_role("manager")
    csrf = token(f"/admin/products/edit/?id={product.id}")
    response = client.post(f"/admin/products/image/{image.id}/delete", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert db.session.scalar(select(ProductImage)) is None
    assert [path for path in paths if os.path.exists(path)] == []


def test_removing_an_unknown_image_says_so(client, db, as_role, token):
    as_role("manager", locale="en")
    response = client.post(
        "/admin/products/image/999999/delete", data={"csrf_token": token()}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "The image was not found." in response.get_data(as_text=True)


def test_a_staff_note_is_written_to_the_timeline(client, db, as_role, token):
    order = make_order()
    clerk = as_role("warehouse")
    csrf = token(f"/admin/orders/details/?id={order.id}")
    client.post(
        f"/admin/orders/{order.id}/note", data={"csrf_token": csrf, "staff_note": "хрупкое"}
    )
    event = db.session.scalar(select(OrderEvent).where(OrderEvent.kind == "note"))
    assert (event.note, event.actor_id) == ("хрупкое", clerk.id)
    body = client.get(f"/admin/orders/details/?id={order.id}").get_data(as_text=True)
    timeline = body[body.index("order-timeline"):]
    assert "хрупкое" in timeline and clerk.email in timeline


def test_an_import_that_loses_a_race_for_stock_is_refused_without_a_500(
    client, db, as_role, token, monkeypatch
):
    import shop.inventory.services as inventory
    from shop.inventory.services import InsufficientStock

    def sold_meanwhile(variant_id, *args, **kwargs):
        raise InsufficientStock(variant_id=variant_id)

    monkeypatch.setattr(inventory, "apply_delta", sold_meanwhile)
    ProductFactory(slug="mug")
    as_role("manager", locale="en")
    text = "sku,product_slug,price,stock\nM-1,mug,10,3\n"
    response = client.post(
        "/admin/csv/apply",
        data={"csrf_token": token("/admin/csv/"), "csv_text": text},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Not enough stock." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Product.id))) == 1
    assert db.session.scalar(select(Product).where(Product.slug == "mug")).variants == []


def test_a_staff_account_switched_off_is_logged_out(client, app, db, as_role, token):
    clerk = UserFactory(roles=["warehouse"], full_name="Склад")
    as_role("admin")
    csrf = token(f"/admin/accounts/edit/?id={clerk.id}")
    response = client.post(
        f"/admin/accounts/edit/?id={clerk.id}",
        data={"csrf_token": csrf, "full_name": "Склад", "locale": "ru", "roles": ["warehouse"]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(clerk), clerk.id).active is False
    with app.test_client() as other:
        login_as(other, clerk)  # the clerk's old session
        assert other.get("/admin/").status_code == 302
