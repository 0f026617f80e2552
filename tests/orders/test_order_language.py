"""QA regression: an order read in the other language than it was placed in names its goods and
delivery in the reader's language (not the snapshot's), and free delivery reads "free"."""

from decimal import Decimal

from shop.extensions import db as _db
from shop.orders.models import Order
from shop.orders.services import guest_token
from tests.checkout.helpers import details, stocked
from tests.factories import DeliveryMethodFactory


def _place(locale, price="1000.00", method=None):
    import secrets

    from shop.cart import services as cart_services
    from shop.checkout import services as checkout

    variant = stocked(price=price, size="M", colour="красный")
    variant.product.name_ru, variant.product.name_en = "Футболка базовая", "Basic T-shirt"
    _db.session.commit()
    method = method or DeliveryMethodFactory()
    cart = cart_services.add_item(None, variant.id, 1)
    return checkout.place_order(cart, details(method), idempotency_key=secrets.token_urlsafe(8),
                                locale=locale)


def _page(client, order, lang):
    return client.get(f"/orders/view/{guest_token(order)}?lang={lang}").get_data(as_text=True)


def test_russian_order_reads_english_on_an_english_page(client, db):
    order = _place("ru")
    assert order.lines[0].product_name == "Футболка базовая"  # the snapshot stays Russian
    body = _page(client, order, "en")
    assert "Basic T-shirt" in body and "M / red" in body and "Courier" in body
    assert "Футболка" not in body and "красный" not in body and "Курьер" not in body


def test_english_order_reads_russian_on_a_russian_page(client, db):
    order = _place("en")
    assert order.lines[0].product_name == "Basic T-shirt"
    body = _page(client, order, "ru")
    assert "Футболка базовая" in body and "M / красный" in body and "Курьер" in body
    assert "Basic T-shirt" not in body and "Courier" not in body


def test_the_own_language_shows_the_snapshot_even_after_a_rename(client, db):
    order = _place("ru")
    order.lines[0].variant.product.name_ru = "Новое имя"
    _db.session.commit()
    body = _page(client, order, "ru")
    assert "Футболка базовая" in body and "Новое имя" not in body


def test_a_deleted_variant_falls_back_to_the_snapshot(client, db):
    order = _place("ru")
    line = order.lines[0]
    line.variant_id = None
    _db.session.commit()
    _db.session.expire_all()
    body = _page(client, _db.session.get(Order, order.id), "en")
    assert "Футболка базовая" in body  # nothing better to show


def test_free_delivery_reads_free_on_the_page_and_in_the_email(client, db, outbox):
    method = DeliveryMethodFactory(price=Decimal("0.00"), free_from=None)
    order = _place("en", method=method)
    body = _page(client, order, "en")
    assert 'data-testid="order-delivery">free<' in body
    body_ru = _page(client, order, "ru")
    assert 'data-testid="order-delivery">бесплатно<' in body_ru
    from shop.notifications.models import OutboxMessage

    mail = _db.session.query(OutboxMessage).filter_by(kind="order_placed").one()
    assert "Delivery: Courier — free" in mail.body_text
