"""The checkout details page: delivery and payment methods as cards, and the address asked for
only when the chosen method delivers to one (pickup needs none, a courier does)."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from shop.extensions import db as _db
from shop.orders.models import Order
from tests.checkout.helpers import ADDRESS_PARTS, NO_ADDRESS, stocked
from tests.checkout.test_views import (
    add,
    checkout,
    details_form,
    review_form,
    signed_in_with_saved_address,
)
from tests.checkout.test_views import csrf as csrf  # noqa: F401 - the fixture
from tests.factories import DeliveryMethodFactory


def pickup_method():
    return DeliveryMethodFactory(
        needs_address=False, price=Decimal("0"), free_from=None,
        name_ru="Самовывоз", name_en="Pickup",
        description_ru="Москва, ул. Садовая, 3", description_en="Moscow, 3 Sadovaya St",
    )


def test_pickup_order_without_an_address_is_placed(client, csrf):
    add(client, csrf, stocked().id, "1")
    pickup = pickup_method()
    # with JavaScript the (disabled) address block is not sent at all
    data = without_address(details_form(csrf, pickup))
    response = client.post("/checkout", data=data)
    assert response.status_code == 302 and response.location.endswith("/checkout/review")
    form = checkout(client, csrf, pickup, **NO_ADDRESS)
    review = client.get("/checkout/review").get_data(as_text=True)
    assert 'data-testid="pickup-point"' in review and "Садовая, 3" in review
    response = client.post("/checkout/place", data=form)
    assert response.status_code == 302 and "/thanks" in response.location
    order = _db.session.scalars(select(Order)).one()
    assert order.shipping_address is None and order.delivery_method_id == pickup.id


def test_pickup_ignores_what_the_address_box_still_holds(client, csrf):
    """Without JavaScript the fields stay on the page: whatever was typed there before choosing
    pickup (even too long a street, or a postcode of five digits) neither stops the order nor
    lands on it."""
    add(client, csrf, stocked().id, "1")
    form = checkout(client, csrf, pickup_method(), street="ул. Длинная, " + "д" * 600,
                    postcode="12345", house="")
    client.post("/checkout/place", data=form)
    assert _db.session.scalars(select(Order)).one().shipping_address is None


def test_pickup_of_a_shopper_with_saved_addresses_sends_none_of_them(client):
    """The script disables the address block for pickup, so neither the saved address's radio
    nor the box is sent (for a courier the saved one serves: see test_views)."""
    _user, _address, csrf = signed_in_with_saved_address(client)
    data = without_address(details_form(csrf, pickup_method()))
    response = client.post("/checkout", data=data)
    assert response.location.endswith("/checkout/review")
    client.post("/checkout/place", data=review_form(client))
    assert _db.session.scalars(select(Order)).one().shipping_address is None


def without_address(data):
    """The form as the browser sends it when checkout.js has disabled the address block."""
    for name in (*ADDRESS_PARTS, "saved_address", "save_address"):
        data.pop(name, None)
    return data


def error_of(body, field):
    """The error shown under a field, tied to it by aria-describedby; None without one."""
    match = re.search(rf'<div class="invalid-feedback d-block" id="{field}-error">([^<]*)<', body)
    if match is None:
        return None
    control = re.search(rf'<input[^>]*id="{field}"[^>]*>', body).group(0)
    assert f"{field}-error" in control and 'aria-invalid="true"' in control, control
    return match.group(1)


def test_courier_without_an_address_is_refused_with_a_message_per_field(client, csrf):
    add(client, csrf, stocked().id, "1")
    courier = DeliveryMethodFactory(needs_address=True)
    messages = {
        "ru": {"postcode": "Укажите индекс.", "region": "Укажите регион.",
               "city": "Укажите город или населённый пункт.", "street": "Укажите улицу.",
               "house": "Укажите номер дома."},
        "en": {"postcode": "Enter the postcode.", "region": "Enter the region.",
               "city": "Enter the city or town.", "street": "Enter the street.",
               "house": "Enter the house number."},
    }
    for lang, expected in messages.items():
        for blank in ("", "   \r\n ", "\x00"):
            response = client.post(
                "/checkout",
                data=details_form(csrf, courier, **dict.fromkeys(ADDRESS_PARTS, blank)),
                headers={"Accept-Language": lang},
            )
            assert response.status_code == 200, (lang, blank)
            body = response.get_data(as_text=True)
            errors = {name: error_of(body, name) for name in ADDRESS_PARTS}
            assert errors == {**expected, "flat": None}, (lang, blank)
    # nothing went on to the review step
    assert client.get("/checkout/review").status_code == 302
    assert _db.session.scalar(select(func.count(Order.id))) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "12345", "A Russian postcode has six digits, for example 101000."),
        ("postcode", "1010001", "A Russian postcode has six digits, for example 101000."),
        ("postcode", "10100A", "A Russian postcode has six digits, for example 101000."),
        ("house", "д.", "A house number has digits, for example 5, 5к2 or 12 стр. 1."),
        ("house", "", "Enter the house number."),
        ("house", "корпус", "A house number has digits, for example 5, 5к2 or 12 стр. 1."),
        ("house", "1" * 33, "Please use at most 32 characters."),
        ("flat", "1" * 17, "Please use at most 16 characters."),
        ("street", "ул. " + "д" * 300, "Please use at most 255 characters."),
        ("city", "Г" * 121, "Please use at most 120 characters."),
        ("region", "Р" * 121, "Please use at most 120 characters."),
    ],
)
def test_each_bad_part_is_named_beside_its_field(client, csrf, field, value, message):
    add(client, csrf, stocked().id, "1")
    response = client.post(
        "/checkout?lang=en", data=details_form(csrf, DeliveryMethodFactory(), **{field: value})
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert error_of(body, field) == message
    assert [name for name in ADDRESS_PARTS if name != field and error_of(body, name)] == []


def test_the_order_keeps_the_parts_as_one_line(client, csrf):
    """Spaces in a postcode, a "д." or "кв." typed before the numbers: the line reads as the
    Russian Post writes it; a region that is the city itself is said once."""
    add(client, csrf, stocked().id, "1")
    form = checkout(
        client, csrf, DeliveryMethodFactory(), postcode=" 190 000 ", region="Санкт-Петербург",
        city="Санкт-Петербург", street="Невский  проспект", house="д. 28", flat="кв. 7",
    )
    review = client.get("/checkout/review").get_data(as_text=True)
    line = "190000, Санкт-Петербург, Невский проспект, д. 28, кв. 7"
    assert line in review
    client.post("/checkout/place", data=form)
    assert _db.session.scalars(select(Order)).one().shipping_address == line


def test_region_and_office_are_kept_as_written(client, csrf):
    add(client, csrf, stocked().id, "1")
    form = checkout(
        client, csrf, DeliveryMethodFactory(), postcode="141400", region="Московская область",
        city="Химки", street="ул. Ленина", house="5к2", flat="офис 12",
    )
    client.post("/checkout/place", data=form)
    assert _db.session.scalars(select(Order)).one().shipping_address == (
        "141400, Московская область, Химки, ул. Ленина, д. 5к2, офис 12"
    )


def test_back_from_the_review_finds_the_parts_as_typed(client, csrf):
    add(client, csrf, stocked().id, "1")
    checkout(client, csrf, DeliveryMethodFactory(), flat="12")
    body = client.get("/checkout").get_data(as_text=True)
    for name, value in {**ADDRESS_PARTS, "flat": "12"}.items():
        control = re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)
        assert f'value="{value}"' in control, (name, control)


class Cards(HTMLParser):
    """The radios of each fieldset (by its legend), each with the label it sits in."""

    def __init__(self):
        super().__init__()
        self.fieldsets, self.stack, self.in_legend = [], [], False
        self.label = None
        self.scripts, self.inline_scripts = [], 0
        self.address_block = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "fieldset":
            self.fieldsets.append({"legend": "", "radios": [], "attrs": attrs})
            self.stack.append(self.fieldsets[-1])
            if "data-address-block" in attrs:
                self.address_block = self.fieldsets[-1]
        elif tag == "legend":
            self.in_legend = True
        elif tag == "label":
            self.label = {"class": attrs.get("class", ""), "text": ""}
        elif tag == "input" and attrs.get("type") == "radio" and self.stack:
            self.stack[-1]["radios"].append({**attrs, "label": self.label})
        elif tag == "script":
            if attrs.get("src"):
                self.scripts.append(attrs["src"])
            else:
                self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "fieldset":
            self.stack.pop()
        elif tag == "legend":
            self.in_legend = False
        elif tag == "label":
            self.label = None

    def handle_data(self, data):
        if self.in_legend:
            self.stack[-1]["legend"] += data.strip()
        if self.label is not None:
            self.label["text"] += data


def test_details_page_shows_methods_as_cards_in_fieldsets(client, csrf):
    variant = stocked(price="1000.00")
    add(client, csrf, variant.id, "1")
    courier = DeliveryMethodFactory(price=Decimal("390.00"), free_from=None,
                                    description_ru="1–2 дня по Москве")
    pickup = pickup_method()
    body = client.get("/checkout", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    page = Cards()
    page.feed(body)
    by_legend = {f["legend"]: f for f in page.fieldsets}
    delivery, payment = by_legend["Доставка"]["radios"], by_legend["Оплата"]["radios"]
    assert [r["value"] for r in delivery] == [str(courier.id), str(pickup.id)]
    for radio in delivery + payment:
        # each option is a card: its radio inside the label that names it
        assert "choice-card" in radio["label"]["class"].split(), radio
    texts = [" ".join(r["label"]["text"].split()) for r in delivery]
    assert "Курьер" in texts[0] and "390,00" in texts[0] and "1–2 дня по Москве" in texts[0]
    assert "Самовывоз" in texts[1] and "бесплатно" in texts[1] and "Садовая, 3" in texts[1]
    assert [r["data-needs-address"] for r in delivery] == ["true", "false"]
    assert {r["value"] for r in payment} >= {"cash"}
    # the address block the script toggles, shown as it is without JavaScript
    assert page.address_block is not None and "hidden" not in page.address_block["attrs"]
    assert any("/js/checkout.js" in src for src in page.scripts) and page.inline_scripts == 0
    assert 'data-testid="order-summary"' in body and "checkout-summary" in body
