"""Checkout offers YooKassa's methods (a bank card, СБП) only when the shop id and the secret key
are both set; the test gateway stays for development and is off in production (issue 17.1, 17.5).
"""

import pytest

from config.production import ProductionConfig
from shop.core.errors import ValidationFailed
from shop.payments import providers
from tests.checkout.helpers import place, stocked
from tests.checkout.test_views import add, fresh_token


def offered(client):
    csrf = fresh_token(client)
    add(client, csrf, stocked().id)
    body = client.get("/checkout?lang=en").get_data(as_text=True)
    return [code for code in ("cash", "card", "yookassa_card", "yookassa_sbp")
            if f'value="{code}"' in body], body


@pytest.mark.parametrize(
    ("shop_id", "secret", "shown"),
    [("100500", "test_key", True), ("100500", None, False), (None, "test_key", False),
     ("", "", False)],
)
def test_methods_appear_with_both_settings(app, client, db, monkeypatch, shop_id, secret, shown):
    monkeypatch.setitem(app.config, "YOOKASSA_SHOP_ID", shop_id)
    monkeypatch.setitem(app.config, "YOOKASSA_SECRET_KEY", secret)
    codes, body = offered(client)
    assert ("yookassa_card" in codes and "yookassa_sbp" in codes) is shown
    assert ("yookassa_card" in codes or "yookassa_sbp" in codes) is shown
    assert "cash" in codes and "card" in codes  # beside cash, and the test gateway (testing)
    if shown:
        assert "SBP (Faster Payments System)" in body


def test_an_unconfigured_method_cannot_be_placed(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "YOOKASSA_SHOP_ID", None)
    with pytest.raises(ValidationFailed):
        place(payment="yookassa_sbp")


def test_production_offers_no_test_gateway(app, monkeypatch):
    """Item 5: the test gateway stays for development, and is off in production."""
    assert ProductionConfig.TEST_GATEWAY_ENABLED is False
    monkeypatch.setitem(app.config, "TEST_GATEWAY_ENABLED", ProductionConfig.TEST_GATEWAY_ENABLED)
    monkeypatch.setitem(app.config, "YOOKASSA_SHOP_ID", "100500")
    monkeypatch.setitem(app.config, "YOOKASSA_SECRET_KEY", "live_key")
    with app.app_context():
        codes = [code for code, _label in providers.available_methods()]
    assert codes == ["cash", "yookassa_card", "yookassa_sbp"]


def test_an_sbp_order_is_paid_in_advance_and_expires(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "YOOKASSA_SHOP_ID", "100500")
    monkeypatch.setitem(app.config, "YOOKASSA_SECRET_KEY", "test_key")
    order = place(payment="yookassa_sbp")
    assert order.expires_at is not None
    (payment,) = order.payments
    assert payment.provider == "yookassa" and payment.provider_reference is None
    assert payment.idempotency_key == f"{order.number}-1"
