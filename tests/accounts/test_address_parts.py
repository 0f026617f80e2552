"""The address book asks for an address part by part (issue 18.4): each part judged with its own
message, Russia's rules (six-digit postcode, a region) only for Russia, the line composed from
the parts, addresses saved before the parts existed kept and shown as they were typed."""

import json

import pytest

from shop.accounts.models import Address, format_address
from shop.extensions import db
from tests.accounts.helpers import csrf
from tests.accounts.test_profile import ADDRESS_FORM, make_address
from tests.accounts.test_profile import shopper as shopper  # noqa: F401 - the fixture
from tests.checkout.test_details_page import error_of

SIX_DIGITS = "A Russian postcode has six digits, for example 101000."
DIGITS_IN_HOUSE = "A house number has digits, for example 5, 5к2 or 12 стр. 1."


def _post(client, data, path="/account/addresses/new"):
    token = csrf(client, path)
    return client.post(path + "?lang=en", data={**ADDRESS_FORM, **data, "csrf_token": token})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"postcode": ""}, "postcode", "Enter the postcode."),
        ({"postcode": "14140"}, "postcode", SIX_DIGITS),
        ({"region": ""}, "region", "Enter the region."),
        ({"city": " "}, "city", "Enter the city or town."),
        ({"street": ""}, "street", "Enter the street."),
        ({"house": ""}, "house", "Enter the house number."),
        ({"house": "корп."}, "house", DIGITS_IN_HOUSE),
        ({"flat": "1" * 17}, "flat", "Please use at most 16 characters."),
        ({"country": "Germany", "postcode": "<b>"}, "postcode", "Enter a valid postcode."),
    ],
)
def test_each_part_is_judged_beside_its_field(client, shopper, data, field, message):
    response = _post(client, data)
    assert response.status_code == 200
    assert error_of(response.get_data(as_text=True), field) == message
    assert db.session.query(Address).count() == 0


def test_the_parts_are_saved_and_read_as_one_line(client, shopper):
    response = _post(client, {"postcode": "141 400", "house": "д. 5к2", "flat": "кв. 12"})
    assert response.status_code == 302
    address = db.session.query(Address).one()
    assert (address.postcode, address.street, address.house, address.flat) == (
        "141400", "ул. Ленина", "5к2", "12"
    )
    page = client.get("/account/addresses").get_data(as_text=True)
    assert "141400, Московская область, Химки, ул. Ленина, д. 5к2, кв. 12" in page
    english = client.get("/account/addresses?lang=en").get_data(as_text=True)
    assert "141400, Московская область, Химки, ул. Ленина, bldg 5к2, apt 12" in english


def test_another_country_needs_no_region_and_keeps_its_postcode(client, shopper):
    response = _post(client, {"country": "Germany", "region": "", "postcode": "10115",
                              "city": "Berlin", "street": "Unter den Linden", "house": "7",
                              "flat": ""})
    assert response.status_code == 302
    assert db.session.query(Address).one().one_line() == (
        "10115, Germany, Berlin, Unter den Linden, bldg 7"
    )


def test_an_address_saved_before_the_parts_reads_as_typed_and_asks_for_them(client, shopper):
    old = make_address(shopper, postcode="101000", street="ул. Мясницкая, д. 10, кв. 5")
    assert old.one_line() == "101000, Москва, ул. Мясницкая, д. 10, кв. 5"
    path = f"/account/addresses/{old.id}/edit"
    page = client.get(path).get_data(as_text=True)
    assert 'data-testid="old-address-note"' in page
    assert 'value="ул. Мясницкая, д. 10, кв. 5"' in page
    # saving it asks for the house; once the parts are moved, the note is gone
    response = _post(client, {"street": "ул. Мясницкая", "house": "", "flat": "5"}, path)
    assert error_of(response.get_data(as_text=True), "house") == "Enter the house number."
    response = _post(client, {"street": "ул. Мясницкая", "house": "10", "flat": "5"}, path)
    assert response.status_code == 302
    assert 'data-testid="old-address-note"' not in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    ("parts", "line"),
    [
        ({"postcode": "190000", "country": "Россия", "region": "санкт-петербург ",
          "city": "Санкт-Петербург", "street": "Невский пр.", "house": "28"},
         "190000, Санкт-Петербург, Невский пр., д. 28"),
        ({"country": "РФ", "region": "Тульская обл.", "city": "Тула", "street": "Ленина",
          "house": "1", "flat": "офис 3"},
         "Тульская обл., Тула, Ленина, д. 1, офис 3"),
        ({"country": "Казахстан", "city": "Алматы", "street": "Абая", "house": "10",
          "flat": "7А"},
         "Казахстан, Алматы, Абая, д. 10, кв. 7А"),
    ],
)
def test_format_address(app, parts, line):
    with app.test_request_context("/?lang=ru"):
        assert format_address(**parts) == line


def test_my_data_has_the_house_and_the_flat(client, shopper):
    make_address(shopper, postcode="101000", street="ул. Мясницкая", house="10", flat="5")
    data = json.loads(client.get("/account/data").get_data(as_text=True))
    saved = data["addresses"][0]
    assert (saved["street"], saved["house"], saved["flat"]) == ("ул. Мясницкая", "10", "5")
