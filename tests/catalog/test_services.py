"""Catalogue services the back office calls (shop.catalog.services): products switched on and off
with their audit entries, and an image removed with its files only once the removal is
committed."""

import json
import os

import pytest
from sqlalchemy import func, select

from shop.audit import services as audit
from shop.audit.models import AuditEntry
from shop.catalog.images import THUMB_SIZES, ensure_thumbnail, image_paths
from shop.catalog.models import Product, ProductImage
from shop.catalog.services import delete_image, set_products_active
from shop.core.errors import NotFound
from tests.catalog.conftest import make_image
from tests.factories import ProductFactory, UserFactory


def test_products_are_switched_with_one_entry_per_change(db):
    on, off, other = ProductFactory(active=True), ProductFactory(active=False), ProductFactory()
    manager = UserFactory(email="m@example.com")
    count = set_products_active([on.id, off.id, 999_999], False, actor=manager, ip="10.1.1.1")
    assert count == 2  # the unknown id is not counted; the one already off is
    db.session.expire_all()
    assert [db.session.get(Product, p.id).active for p in (on, off, other)] == [
        False, False, True
    ]
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.object_id, entry.actor_email, entry.ip) == (
        "deactivate", str(on.id), "m@example.com", "10.1.1.1"
    )
    assert json.loads(entry.before) == {"active": True}
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
    assert set_products_active([], True) == 0


def thumbnailed(product):
    image = make_image(product)
    for width in THUMB_SIZES:
        ensure_thumbnail(image.filename, width)
    paths = image_paths(image.filename)
    assert all(os.path.exists(path) for path in paths)
    return image, paths


def test_an_image_goes_with_its_original_and_thumbnails(db):
    product = ProductFactory()
    image, paths = thumbnailed(product)
    keep, kept_paths = thumbnailed(product)
    assert delete_image(image.id, actor=UserFactory()) == product.id
    assert db.session.scalars(select(ProductImage.id)).all() == [keep.id]
    assert not any(os.path.exists(path) for path in paths)
    assert all(os.path.exists(path) for path in kept_paths)
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.object_type, entry.object_id) == (
        "delete", "ProductImage", str(image.id)
    )


def test_a_removal_that_fails_keeps_the_row_and_its_files(db, monkeypatch):
    image, paths = thumbnailed(ProductFactory())

    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        delete_image(image.id)
    assert db.session.get(ProductImage, image.id) is not None
    assert all(os.path.exists(path) for path in paths)


def test_an_unknown_image_is_not_found(db):
    with pytest.raises(NotFound):
        delete_image(999_999)
