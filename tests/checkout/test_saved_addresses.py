"""A signed-in shopper's addresses at checkout (issue 18.4): a new address saved to the book when
asked (once, however often it is sent), a saved one chosen by its card and kept chosen on the way
back from the review; a guest's "save" is never read."""

import re

from sqlalchemy import select

from shop.accounts.models import Address
from shop.extensions import db as _db
from shop.orders.models import Order
from tests.checkout.helpers import ADDRESS_LINE, NO_ADDRESS, stocked
from tests.checkout.test_views import (
    add,
    details_form,
    fresh_token,
    login,
    review_form,
    signed_in_with_saved_address,
)
from tests.checkout.test_views import csrf as csrf  # noqa: F401 - the fixture
from tests.factories import DeliveryMethodFactory, UserFactory


def chosen_cards(page):
    """The values of the checked saved-address radios on the details page."""
    return re.findall(r'<input[^>]*name="saved_address"[^>]*value="([^"]+)"[^>]*checked', page)


def _signed_in(client):
    user = UserFactory(full_name="Анна Смирнова")
    login(client, user)
    token = fresh_token(client, "/cart")
    add(client, token, stocked().id, "1")
    return user, token


def test_a_new_address_is_saved_to_the_book_when_asked_and_only_once(client):
    user, token = _signed_in(client)
    courier = DeliveryMethodFactory()
    for _ in range(2):  # back from the review and on again: still one address
        response = client.post(
            "/checkout", data=details_form(token, courier, save_address="y", flat="12")
        )
        assert response.location.endswith("/checkout/review")
    saved = _db.session.scalars(select(Address).where(Address.user_id == user.id)).one()
    assert (saved.recipient, saved.phone, saved.postcode, saved.region, saved.city) == (
        "Анна Смирнова", "+7 900 000-00-00", "101000", "Москва", "Москва"
    )
    assert (saved.street, saved.house, saved.flat, saved.is_default) == (
        "ул. Тверская", "1", "12", True
    )
    client.post("/checkout/place", data=review_form(client))
    assert _db.session.scalars(select(Order)).one().shipping_address == ADDRESS_LINE + ", кв. 12"
    # the next checkout offers it as a card, chosen
    add(client, token, stocked().id, "1")
    page = client.get("/checkout").get_data(as_text=True)
    assert 'data-testid="saved-addresses"' in page
    assert chosen_cards(page) == [str(saved.id)]


def test_without_the_box_nothing_is_saved(client):
    user, token = _signed_in(client)
    client.post("/checkout", data=details_form(token, DeliveryMethodFactory()))
    assert _db.session.scalars(select(Address).where(Address.user_id == user.id)).all() == []


def test_a_guest_cannot_save_an_address(client, csrf):
    add(client, csrf, stocked().id, "1")
    response = client.post(
        "/checkout", data=details_form(csrf, DeliveryMethodFactory(), save_address="y")
    )
    assert response.location.endswith("/checkout/review")
    assert _db.session.scalars(select(Address)).all() == []
    assert 'name="save_address"' not in client.get("/checkout").get_data(as_text=True)


def test_pickup_saves_nothing_even_when_asked(client):
    user, token = _signed_in(client)
    pickup = DeliveryMethodFactory(needs_address=False)
    client.post("/checkout", data=details_form(token, pickup, save_address="y"))
    assert _db.session.scalars(select(Address).where(Address.user_id == user.id)).all() == []


def test_the_saved_card_stays_chosen_on_the_way_back(client):
    _user, address, token = signed_in_with_saved_address(client)
    response = client.post(
        "/checkout",
        data=details_form(token, DeliveryMethodFactory(), saved_address=str(address.id),
                          **NO_ADDRESS),
    )
    assert response.location.endswith("/checkout/review")
    page = client.get("/checkout").get_data(as_text=True)
    assert chosen_cards(page) == [str(address.id)]


def test_a_saved_address_is_used_whatever_the_fields_hold(client):
    """Without JavaScript the new address's fields stay on the page: with a saved card chosen
    they are not read (nor judged: a bad postcode there stops nothing)."""
    _user, address, token = signed_in_with_saved_address(client)
    client.post(
        "/checkout",
        data=details_form(token, DeliveryMethodFactory(), saved_address=str(address.id),
                          postcode="1", house=""),
    )
    client.post("/checkout/place", data=review_form(client))
    assert _db.session.scalars(select(Order)).one().shipping_address == address.one_line()
