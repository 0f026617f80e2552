"""The fake YooKassa (tests/payments/fake_yookassa.py), with the app pointed at it."""

import pytest

from tests.payments.fake_yookassa import serve_for


@pytest.fixture()
def yookassa(app):
    fake, stop = serve_for(app)
    yield fake
    stop()
