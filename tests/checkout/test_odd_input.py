"""QA regression: odd characters typed into the checkout details (NUL and other control
characters, as pasted or sent by a script) never reach the database (PostgreSQL refuses NUL
in text: that was a 500) and never reach the order."""

import pytest
from sqlalchemy import select

from shop.extensions import db as _db
from shop.orders.models import Order
from tests.checkout.helpers import ADDRESS_LINE, stocked
from tests.checkout.test_views import add, details_form, review_form
from tests.factories import DeliveryMethodFactory


@pytest.fixture()
def csrf(csrf_token):
    return csrf_token()


@pytest.mark.parametrize("field", ["name", "street", "house", "city", "note", "phone", "email"])
def test_control_characters_in_details_are_refused_or_dropped(client, csrf, field):
    method = DeliveryMethodFactory()
    add(client, csrf, stocked().id)
    form = details_form(csrf, method, note="Позвоните заранее")
    form[field] = form[field][:3] + "\x00\x07\x1b" + form[field][3:]
    response = client.post("/checkout", data=form)
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused with a message on the form
        assert "invalid-feedback" in response.get_data(as_text=True)
        return
    fields = review_form(client)
    placed = client.post("/checkout/place", data=fields)
    assert placed.status_code == 302, placed.get_data(as_text=True)[:300]
    order = _db.session.scalars(select(Order)).one()
    for value in (order.customer_name, order.shipping_address, order.customer_note, order.phone,
                  order.email):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in (value or ""))


@pytest.mark.parametrize("field", ["name", "email", "phone"])
@pytest.mark.parametrize("value", ["   ", "\x00", "\t\x07"])
def test_blank_after_cleaning_is_refused(client, csrf, field, value):
    method = DeliveryMethodFactory()
    add(client, csrf, stocked().id)
    response = client.post("/checkout", data=details_form(csrf, method, **{field: value}))
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_comment_keeps_its_line_breaks_and_the_address_is_one_line(client, csrf):
    method = DeliveryMethodFactory()
    add(client, csrf, stocked().id)
    form = details_form(csrf, method, note="Домофон 12\r\nПозвоните",
                        street="ул.\r\nТверская", city="Москва\t")
    assert client.post("/checkout", data=form).status_code == 302
    client.post("/checkout/place", data=review_form(client))
    order = _db.session.scalars(select(Order)).one()
    assert order.customer_note == "Домофон 12\nПозвоните"
    assert order.shipping_address == ADDRESS_LINE
