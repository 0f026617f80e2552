"""Back-office fixtures: staff users by role, logging in, orders to work on."""

import re

import pytest

from shop.extensions import db as _db
from tests.admin.orders_data import build_order
from tests.factories import DeliveryMethodFactory, UserFactory, VariantFactory


@pytest.fixture(autouse=True)
def no_staff_two_factor(app, monkeypatch):
    """Staff two-factor is tested on its own; elsewhere staff log in with a password only."""
    monkeypatch.setitem(app.config, "STAFF_TWO_FACTOR_REQUIRED", False)


def login_as(client, user):
    """Log `user` in by the session Flask-Login reads (Flask-Security keys it by fs_uniquifier)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.fs_uniquifier
        session["_fresh"] = True
        session["_id"] = "test"


@pytest.fixture()
def staff(db):
    """staff("manager") -> a logged-out user with that role."""

    def make(*roles, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture()
def as_role(client, staff):
    """as_role("warehouse") -> the user, with the test client logged in as them."""

    def make(*roles, **kwargs):
        user = staff(*roles, **kwargs)
        login_as(client, user)
        return user

    return make


@pytest.fixture()
def tr(app):
    """tr("ru", msgid, **variables): what the catalogue says in that language."""
    from flask_babel import force_locale, gettext

    def translate(lang, msgid, **variables):
        with app.test_request_context(), force_locale(lang):
            return gettext(msgid, **variables)

    return translate


@pytest.fixture()
def token(client):
    """A CSRF token for this client's session, taken from a page of the back office."""

    def fetch(path="/admin/"):
        for page in (path, "/", "/account/login"):
            body = client.get(page).get_data(as_text=True)
            match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', body)
            if match:
                return match.group(1)
        raise AssertionError(f"no CSRF token on {path}")

    return fetch


def make_order(status="new", variant=None, quantity=2, user=None, **kwargs):
    """An order as checkout would leave it (stock already taken), for the back office to handle."""
    variant = variant or VariantFactory(stock=10)
    order = build_order(variant, DeliveryMethodFactory(), status, quantity, user, **kwargs)
    _db.session.add(order)
    _db.session.commit()
    return order
