"""QA regression: a registered shopper whose profile lacks a phone (or name) but whose saved
address has one finds the checkout form filled from that address; the profile wins otherwise."""

import re

from shop.accounts.models import Address
from shop.extensions import db as _db
from tests.checkout.helpers import stocked
from tests.checkout.test_views import add, fresh_token, login
from tests.factories import UserFactory


def _value(body, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def _checkout_page(client, user, **address):
    _db.session.add(Address(user_id=user.id, city="Казань", street="Баумана, 5",
                            is_default=True, **address))
    _db.session.commit()
    login(client, user)
    add(client, fresh_token(client, "/cart"), stocked().id, "1")
    return client.get("/checkout").get_data(as_text=True)


def test_phone_and_name_come_from_the_saved_address(client, db):
    user = UserFactory(phone=None, full_name=None)
    body = _checkout_page(client, user, recipient="Анна Ли", phone="+7 900 111-22-33")
    assert _value(body, "phone") == "+7 900 111-22-33"
    assert _value(body, "name") == "Анна Ли"


def test_the_profile_wins_over_the_address(client, db):
    user = UserFactory(phone="+7 911 000-00-00", full_name="Мария")
    body = _checkout_page(client, user, recipient="Анна Ли", phone="+7 900 111-22-33")
    assert _value(body, "phone") == "+7 911 000-00-00"
    assert _value(body, "name") == "Мария"
