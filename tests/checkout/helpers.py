"""Shared helpers for the buying-flow tests: a stocked variant, a cart, details, a placed order."""

import secrets
from decimal import Decimal

from shop.cart import services as cart_services
from shop.checkout import services as checkout
from tests.factories import DeliveryMethodFactory, VariantFactory

# A new address as the checkout form posts it, one field per part, and the line the order keeps.
ADDRESS_PARTS = {
    "postcode": "101000",
    "region": "Москва",
    "city": "Москва",
    "street": "ул. Тверская",
    "house": "1",
    "flat": "",
}
ADDRESS_LINE = "101000, Москва, ул. Тверская, д. 1"
NO_ADDRESS = dict.fromkeys(ADDRESS_PARTS, "")


def stocked(stock=10, price="1000.00", **kw):
    return VariantFactory(stock=stock, price=Decimal(price), **kw)


def details(method, payment="cash", **kw):
    data = dict(
        email="buyer@example.com",
        phone="+7 900 123-45-67",
        name="Иван Петров",
        delivery_method_id=method.id,
        payment_method=payment,
        address="101000, Москва, ул. Мясницкая, 1",
    )
    data.update(kw)
    return checkout.Details(**data)


def place(variant=None, quantity=1, payment="cash", user_id=None, method=None, key=None):
    variant = variant or stocked()
    method = method or DeliveryMethodFactory()
    cart = cart_services.add_item(None, variant.id, quantity, user_id=user_id)
    return checkout.place_order(
        cart,
        details(method, payment=payment),
        idempotency_key=key or secrets.token_urlsafe(16),
        user_id=user_id,
    )


def run_together(app, jobs):
    """Run callables in threads released at the same instant, each in its own app context
    (so its own database session and connection). Returns (results, errors) in job order."""
    import threading

    from shop.extensions import db

    results, errors = [None] * len(jobs), []
    start = threading.Barrier(len(jobs))

    def run(i):
        with app.app_context():
            try:
                start.wait()
                results[i] = jobs[i]()
            except Exception as exc:  # noqa: BLE001 - returned to the test
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
