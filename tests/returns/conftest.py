"""Fixtures for refunds and returns: delivered orders paid in cash or through the fake
YooKassa (tests/payments/fake_yookassa.py)."""

import pytest

from tests.payments.fake_yookassa import serve_for
from tests.returns.helpers import delivered


@pytest.fixture()
def yookassa(app):
    fake, stop = serve_for(app)
    yield fake
    stop()


@pytest.fixture()
def cash_order(db):
    """A delivered cash order: 2 × 1000.00 of one variant, 3 × 500.00 of another, delivery
    390.00 (DeliveryMethodFactory)."""
    return delivered(payment="cash")


@pytest.fixture()
def card_order(db, yookassa):
    """The same order paid through YooKassa (the fake took the money), delivered."""
    return delivered(payment="yookassa_card", fake=yookassa)
