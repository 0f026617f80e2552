"""The per-account limit counts the account named in the body whatever the body's format
(issue 13.3: 150 wrong passwords sent as JSON from many addresses were never limited, then the
right one was accepted; the same flooded a victim with reset mails)."""

import pytest

from shop.core.net import PROXY_MARK
from tests.accounts.helpers import PASSWORD, csrf
from tests.factories import UserFactory

# limited_app (tests/accounts/conftest.py): 6 per minute per address, 3 per account; with one
# trusted proxy, so each attempt below comes from an address of its own.


def from_address(client, index):
    client.environ_base[PROXY_MARK] = "1"
    return {"X-Forwarded-For": f"198.51.100.{index}"}


@pytest.mark.parametrize("limited_app", [1], indirect=True)
@pytest.mark.parametrize("path", ["/account/login", "/account/reset", "/account/confirm"])
def test_json_bodies_count_for_the_account(limited_app, path):
    UserFactory(email="victim@example.com")
    client = limited_app.test_client()
    token = csrf(client)
    statuses = []
    for i in range(5):
        body = {"email": "victim@example.com", "password": f"wrong-{i}-password"}
        response = client.post(
            path, json=body, headers={"X-CSRFToken": token, **from_address(client, i)}
        )
        statuses.append(response.status_code)
    assert 429 not in statuses[:3] and statuses[3:] == [429, 429], statuses


@pytest.mark.parametrize("limited_app", [1], indirect=True)
def test_the_right_password_after_the_limit_is_still_refused(limited_app):
    UserFactory(email="victim@example.com")
    client = limited_app.test_client()
    token = csrf(client)
    for i in range(3):
        client.post(
            "/account/login",
            json={"email": "victim@example.com", "password": f"wrong-{i}-password"},
            headers={"X-CSRFToken": token, **from_address(client, i)},
        )
    response = client.post(
        "/account/login",
        json={"email": "victim@example.com", "password": PASSWORD},
        headers={"X-CSRFToken": token, **from_address(client, 99)},
    )
    assert response.status_code == 429
    assert client.get("/account/profile").status_code != 200


@pytest.mark.parametrize("limited_app", [1], indirect=True)
def test_spellings_of_one_address_count_as_one_account(limited_app):
    UserFactory(email="victim@example.com")
    client = limited_app.test_client()
    spellings = ["victim@example.com", "VICTIM@example.com", " Victim@Example.COM ",
                 "victim@EXAMPLE.com", "victim@example.com"]
    statuses = []
    for i, email in enumerate(spellings):
        response = client.post(
            "/account/login",
            data={"email": email, "password": f"wrong-{i}-password", "csrf_token": csrf(client)},
            headers=from_address(client, i),
        )
        statuses.append(response.status_code)
    assert statuses[3:] == [429, 429], statuses


@pytest.mark.parametrize("limited_app", [1], indirect=True)
def test_form_and_json_share_one_count(limited_app):
    UserFactory(email="victim@example.com")
    client = limited_app.test_client()
    token = csrf(client)
    statuses = []
    for i in range(4):
        kwargs = (
            {"json": {"email": "victim@example.com", "password": "x" * 10},
             "headers": {"X-CSRFToken": token, **from_address(client, i)}}
            if i % 2
            else {"data": {"email": "victim@example.com", "password": "x" * 10,
                           "csrf_token": token}, "headers": from_address(client, i)}
        )
        statuses.append(client.post("/account/login", **kwargs).status_code)
    assert statuses[3] == 429, statuses


@pytest.mark.parametrize("limited_app", [0], indirect=True)
def test_change_email_counts_for_the_logged_in_account_not_the_address_typed(limited_app):
    """The change-email form names the *new* address: guessing the password there must count
    for the account being changed, whatever new address each attempt names."""
    from tests.accounts.helpers import login

    user = UserFactory(email="owner@example.com")
    client = limited_app.test_client()
    login(client, user)
    statuses = []
    for i in range(5):
        response = client.post(
            "/account/change-email",
            data={"email": f"new{i}@example.com", "password": f"wrong-{i}-password",
                  "csrf_token": csrf(client, "/account/change-email")},
        )
        statuses.append(response.status_code)
    assert 429 in statuses, statuses
