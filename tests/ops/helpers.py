"""Helpers for the ops tests: a second app on the test database, an order without checkout."""

import secrets
from decimal import Decimal

from shop import create_app
from shop.extensions import db


def env_app(monkeypatch, **env):
    """A fresh testing app on the session's database with SHOP_ variables set for it: for
    settings read at start-up, or a test that adds a route."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = create_app("testing")
    return app


def dispose(app):
    with app.app_context():
        db.engine.dispose()


def new_order(**fields):
    from shop.orders.models import Order

    values = dict(
        number=f"T-{secrets.token_hex(4)}",
        email="buyer@example.com",
        phone="+79990000000",
        customer_name="Покупатель",
        delivery_method_name="Courier",
        delivery_price=Decimal("0.00"),
        payment_method="cod",
        subtotal=Decimal("100.00"),
        total=Decimal("100.00"),
        access_token=secrets.token_hex(16),
    )
    values.update(fields)
    return Order(**values)
