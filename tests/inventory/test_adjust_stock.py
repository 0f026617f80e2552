"""adjust_stock: the back office's only way to change stock."""

import pytest
from sqlalchemy import select

from shop.core.errors import NotFound, ValidationFailed
from shop.extensions import db as _db
from shop.inventory.models import StockMovement
from shop.inventory.services import InsufficientStock, adjust_stock
from tests.checkout.helpers import stocked
from tests.factories import UserFactory


def test_adjust_writes_movement_and_refreshes_listing(db):
    staff = UserFactory()
    variant = stocked(stock=0)
    assert variant.product.in_stock is False
    assert adjust_stock(variant.id, 5, "receive", actor=staff, note="delivery") == 5
    _db.session.expire_all()
    assert variant.stock == 5 and variant.product.in_stock is True
    movement = _db.session.scalars(select(StockMovement)).one()
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor_id) == (
        5, 5, "receive", staff.id,
    )


def test_never_below_zero(db):
    variant = stocked(stock=2)
    with pytest.raises(InsufficientStock):
        adjust_stock(variant.id, -3, "adjust")
    _db.session.expire_all()
    assert variant.stock == 2
    assert _db.session.scalars(select(StockMovement)).all() == []
    assert adjust_stock(variant.id, -2, "adjust") == 0


@pytest.mark.parametrize("delta", [0, 1.5, "3", True, None])
def test_bad_delta(db, delta):
    variant = stocked()
    with pytest.raises(ValidationFailed):
        adjust_stock(variant.id, delta, "adjust")


def test_bad_reason_and_variant(db):
    with pytest.raises(ValidationFailed):
        adjust_stock(stocked().id, 1, "stolen by elves")
    with pytest.raises(NotFound):
        adjust_stock(999999, 1, "adjust")
    with pytest.raises(NotFound):
        adjust_stock("x", 1, "adjust")
