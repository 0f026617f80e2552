"""Profile, address book, data export and account deletion: owner only, own fields only."""

import json

import pytest

from shop.accounts.models import Address, User
from shop.extensions import db
from tests.accounts.helpers import PASSWORD, csrf, login
from tests.factories import UserFactory


@pytest.fixture()
def shopper(client):
    user = UserFactory(full_name="Анна", phone=None, locale="ru")
    login(client, user)
    return user


def make_address(user, **overrides):
    data = dict(recipient="Анна", city="Москва", street="Тверская, 1", country="Россия")
    data.update(overrides)
    address = Address(user_id=user.id, **data)
    db.session.add(address)
    db.session.commit()
    return address


ADDRESS_FORM = {
    "recipient": "Анна Петрова",
    "phone": "+7 900 123-45-67",
    "country": "Россия",
    "region": "Московская область",
    "city": "Химки",
    "postcode": "141400",
    "street": "ул. Ленина",
    "house": "5",
    "flat": "12",
}


@pytest.mark.parametrize(
    "path",
    [
        "/account/profile",
        "/account/addresses",
        "/account/addresses/new",
        "/account/data",
        "/account/delete",
    ],
)
def test_account_pages_need_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/account/profile",
        "/account/addresses",
        "/account/data",
        "/account/login",
        "/account/change",
        "/account/tf-setup",
    ],
)
def test_account_pages_are_not_cached(client, shopper, path):
    response = client.get(path)
    assert "no-store" in response.headers["Cache-Control"]


def test_shop_pages_keep_their_caching(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_profile_update_and_language(client, shopper):
    response = client.post(
        "/account/profile",
        data={
            "full_name": "Anna P.",
            "phone": "+7 (900) 111-22-33",
            "locale": "en",
            "csrf_token": csrf(client, "/account/profile"),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, shopper.id)
    assert (user.full_name, user.phone, user.locale) == ("Anna P.", "+7 (900) 111-22-33", "en")
    # pages now come in English
    assert '<html lang="en">' in client.get("/account/profile").get_data(as_text=True)


def test_profile_refuses_bad_input_and_changes_nothing(client, shopper):
    for data in (
        {"full_name": "", "locale": "ru"},
        {"full_name": "A", "phone": "call me", "locale": "ru"},
        {"full_name": "A", "locale": "de"},
        {"full_name": "x" * 121, "locale": "ru"},
    ):
        response = client.post(
            "/account/profile", data={**data, "csrf_token": csrf(client, "/account/profile")}
        )
        assert response.status_code == 200, data
        assert "is-invalid" in response.get_data(as_text=True), data
    db.session.expire_all()
    assert db.session.get(User, shopper.id).full_name == "Анна"


def test_profile_ignores_fields_it_does_not_declare(client, shopper):
    client.post(
        "/account/profile",
        data={
            "full_name": "Анна",
            "locale": "ru",
            "roles": "admin",
            "active": "false",
            "confirmed_at": "",
            "fs_uniquifier": "mine",
            "email": "other@example.com",
            "user_id": "999",
            "csrf_token": csrf(client, "/account/profile"),
        },
    )
    db.session.expire_all()
    user = db.session.get(User, shopper.id)
    assert user.active and not user.is_staff and user.fs_uniquifier != "mine"
    assert user.email == shopper.email and user.confirmed_at is not None


def test_profile_without_csrf_is_refused(client, shopper):
    response = client.post("/account/profile", data={"full_name": "Hacker", "locale": "en"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, shopper.id).full_name == "Анна"


def test_address_book(client, shopper):
    token = csrf(client, "/account/addresses/new")
    assert (
        client.post(
            "/account/addresses/new", data={**ADDRESS_FORM, "csrf_token": token}
        ).status_code
        == 302
    )
    second = {**ADDRESS_FORM, "city": "Тула", "is_default": "y"}
    client.post("/account/addresses/new", data={**second, "csrf_token": token})
    addresses = db.session.query(Address).filter_by(user_id=shopper.id).order_by(Address.id).all()
    assert [a.city for a in addresses] == ["Химки", "Тула"]
    assert [a.is_default for a in addresses] == [False, True]
    first, last = addresses
    # edit, make default, delete
    client.post(
        f"/account/addresses/{first.id}/edit",
        data={**ADDRESS_FORM, "street": "Новая, 1", "csrf_token": token},
    )
    client.post(f"/account/addresses/{first.id}/default", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Address, first.id).street == "Новая, 1"
    assert (
        db.session.get(Address, first.id).is_default
        and not db.session.get(Address, last.id).is_default
    )
    client.post(f"/account/addresses/{first.id}/delete", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Address, first.id) is None
    assert db.session.get(Address, last.id).is_default  # another one takes over
    body = client.get("/account/addresses").get_data(as_text=True)
    assert "Тула" in body


def test_address_form_refuses_bad_input(client, shopper):
    token = csrf(client, "/account/addresses/new")
    for bad in ({"city": ""}, {"postcode": "<script>"}, {"phone": "abc"}, {"street": "x" * 300}):
        response = client.post(
            "/account/addresses/new", data={**ADDRESS_FORM, **bad, "csrf_token": token}
        )
        assert response.status_code == 200
    assert db.session.query(Address).count() == 0


def test_address_form_ignores_user_id(client, shopper):
    victim = UserFactory()
    token = csrf(client, "/account/addresses/new")
    client.post(
        "/account/addresses/new", data={**ADDRESS_FORM, "user_id": victim.id, "csrf_token": token}
    )
    assert db.session.query(Address).filter_by(user_id=victim.id).count() == 0
    assert db.session.query(Address).filter_by(user_id=shopper.id).count() == 1


def test_someone_elses_address_is_404_and_untouched(client, shopper):
    victim = UserFactory()
    theirs = make_address(victim, street="Секретная, 7", is_default=True)
    token = csrf(client, "/account/addresses")
    assert client.get(f"/account/addresses/{theirs.id}/edit").status_code == 404
    assert (
        client.post(
            f"/account/addresses/{theirs.id}/edit", data={**ADDRESS_FORM, "csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/account/addresses/{theirs.id}/delete", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/account/addresses/{theirs.id}/default", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert client.get("/account/addresses/999999/edit").status_code == 404
    db.session.expire_all()
    kept = db.session.get(Address, theirs.id)
    assert kept is not None and kept.street == "Секретная, 7" and kept.is_default


def test_address_delete_needs_post_and_csrf(client, shopper):
    mine = make_address(shopper)
    assert client.get(f"/account/addresses/{mine.id}/delete").status_code == 405
    assert client.post(f"/account/addresses/{mine.id}/delete").status_code == 400
    assert db.session.get(Address, mine.id) is not None


def test_download_my_data(client, shopper):
    make_address(shopper, city="Казань")
    response = client.get("/account/data")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == shopper.email
    assert data["addresses"][0]["city"] == "Казань"
    assert data["orders"] == []
    assert "password" not in json.dumps(data).lower().replace("password_", "")


def test_delete_account_needs_the_password(client, shopper):
    token = csrf(client, "/account/delete")
    response = client.post(
        "/account/delete", data={"password": "wrong one 1", "confirm": "y", "csrf_token": token}
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(User, shopper.id).active


def test_delete_account_anonymises_and_ends_sessions(app, client, shopper):
    make_address(shopper)
    stolen = client.get_cookie("session").value
    other_device = app.test_client()
    login(other_device, shopper)
    token = csrf(client, "/account/delete")
    response = client.post(
        "/account/delete", data={"password": PASSWORD, "confirm": "y", "csrf_token": token}
    )
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, shopper.id)
    assert not user.active and user.full_name is None and user.phone is None
    assert user.email.endswith("@deleted.invalid")
    assert db.session.query(Address).filter_by(user_id=shopper.id).count() == 0
    assert client.get("/account/profile").status_code == 302
    assert other_device.get("/account/profile").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/account/profile").status_code == 302
    # the old email can register again, and the old password no longer logs in
    assert login(app.test_client(), user, PASSWORD).status_code == 200


def _order(user, number="L-0001"):
    from decimal import Decimal

    from shop.orders.models import Order

    order = Order(
        number=number,
        user_id=user.id,
        email=user.email,
        phone="+7 900 000-00-00",
        customer_name="Анна",
        shipping_address="Москва, Тверская, 1",
        delivery_method_name="Курьер",
        delivery_price=Decimal("390.00"),
        payment_method="cod",
        subtotal=Decimal("1000.00"),
        total=Decimal("1390.00"),
        access_token=f"token-{number}",
    )
    db.session.add(order)
    db.session.commit()
    return order


def test_my_data_includes_my_orders_only(client, shopper):
    _order(shopper, "L-0001")
    _order(UserFactory(), "L-0002")
    data = json.loads(client.get("/account/data").get_data(as_text=True))
    assert [o["number"] for o in data["orders"]] == ["L-0001"]
    assert data["orders"][0]["total"] == "1390.00"


def test_deleting_the_account_keeps_orders_without_contact_details(client, shopper):
    from shop.orders.models import Order

    order_id = _order(shopper).id
    token = csrf(client, "/account/delete")
    client.post("/account/delete", data={"password": PASSWORD, "confirm": "y", "csrf_token": token})
    db.session.expire_all()
    order = db.session.get(Order, order_id)
    assert order is not None and order.total == 1390
    assert order.email.endswith("@deleted.invalid") and order.phone == "-"


def test_account_menu_links_profile_addresses_and_orders(client, shopper):
    body = client.get("/").get_data(as_text=True)
    for path in ("/account/profile", "/account/addresses", "/account/orders"):
        assert f'href="{path}"' in body
    assert client.get("/account/orders").status_code == 200


def test_huge_or_odd_ids_and_control_characters_are_not_errors(client, shopper):
    token = csrf(client, "/account/addresses")
    assert client.get("/account/addresses/99999999999999999999/edit").status_code == 404
    assert (
        client.post(
            "/account/addresses/99999999999999999999/delete", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert client.get("/account/addresses/-1/edit").status_code == 404
    response = client.post(
        "/account/profile",
        data={"full_name": "Ан\x00на", "phone": "", "locale": "ru", "csrf_token": token},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, shopper.id).full_name == "Анна"
    response = client.post(
        "/account/addresses/new",
        data={**ADDRESS_FORM, "street": "Тверская\x00, 1", "csrf_token": token},
    )
    assert response.status_code == 302
    assert db.session.query(Address).one().street == "Тверская, 1"


def test_default_address_for_checkout(db):
    from shop.accounts import services

    user = UserFactory()
    assert services.default_address(user) is None
    first = services.add_address(
        user, {"recipient": "A", "city": "Тула", "street": "1", "country": "Россия"}
    )
    assert first.is_default and services.default_address(user).id == first.id
    second = services.add_address(
        user,
        {"recipient": "B", "city": "Орёл", "street": "2", "country": "Россия", "is_default": True},
    )
    assert services.default_address(user).id == second.id
    from shop.core.errors import NotFound

    with pytest.raises(NotFound):
        services.get_address(UserFactory(), second.id)
