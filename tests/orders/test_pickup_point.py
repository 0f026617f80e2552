"""QA regression: an order for pickup says where to collect it (on review, on the order page and
in the email); before, a pickup order showed no address at all."""

from decimal import Decimal

import pytest

from shop.extensions import db as _db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order
from shop.orders.services import guest_token
from tests.checkout.helpers import stocked
from tests.checkout.test_views import add, details_form, review_form
from tests.factories import DeliveryMethodFactory


@pytest.fixture()
def csrf(csrf_token):
    return csrf_token()


def test_pickup_point_on_review_order_page_and_email(client, csrf):
    pickup = DeliveryMethodFactory(
        needs_address=False, price=Decimal("0"), name_ru="Самовывоз", name_en="Pickup",
        description_ru="Москва, ул. Мясницкая, 10", description_en="Moscow, 10 Myasnitskaya St.",
    )
    add(client, csrf, stocked().id)
    form = details_form(csrf, pickup, address="")
    assert client.post("/checkout?lang=en", data=form).status_code == 302
    review = client.get("/checkout/review?lang=en").get_data(as_text=True)
    assert "Pick up at: Moscow, 10 Myasnitskaya St." in review
    client.post("/checkout/place", data=review_form(client))
    order = _db.session.query(Order).one()
    assert order.shipping_address is None
    page = client.get(f"/orders/view/{guest_token(order)}?lang=ru").get_data(as_text=True)
    assert 'data-testid="pickup-point">Москва, ул. Мясницкая, 10<' in page
    mail = _db.session.query(OutboxMessage).filter_by(kind="order_placed").one()
    # the shopper checked out in English (?lang=en carries on): the email is in English too
    assert mail.locale == "en"
    assert "Moscow, 10 Myasnitskaya St." in mail.body_text


def test_courier_order_shows_no_pickup_point(client, csrf):
    method = DeliveryMethodFactory(description_ru="Курьер привезёт")
    add(client, csrf, stocked().id)
    assert client.post("/checkout", data=details_form(csrf, method)).status_code == 302
    client.post("/checkout/place", data=review_form(client))
    order = _db.session.query(Order).one()
    page = client.get(f"/orders/view/{guest_token(order)}").get_data(as_text=True)
    assert 'data-testid="pickup-point"' not in page
