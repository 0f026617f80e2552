"""Rate limits on the account forms: per client address and per account, 429 with our page."""

import pytest

from shop.core.net import PROXY_MARK
from tests.accounts.helpers import csrf
from tests.factories import UserFactory

# limited_app (tests/accounts/conftest.py): 6 per minute per address, 3 per account.


def attempt(client, path, email, **data):
    return client.post(
        path,
        data={
            "email": email,
            "password": "wrong password 1",
            "csrf_token": csrf(client, path),
            **data,
        },
    )


@pytest.mark.parametrize(
    "path", ["/account/login", "/account/register", "/account/reset", "/account/confirm"]
)
def test_per_account_limit_gives_a_translated_429(limited_app, path):
    client = limited_app.test_client()
    UserFactory(email="target@example.com")
    statuses = [attempt(client, path, "target@example.com").status_code for _ in range(4)]
    assert statuses[:3] != [429] * 3 and statuses[3] == 429
    client.set_cookie("lang", "ru")
    response = attempt(client, path, "target@example.com")
    assert response.status_code == 429
    assert "Слишком много запросов" in response.get_data(as_text=True)
    assert 'class="navbar-brand brand"' in response.get_data(as_text=True)


def test_per_address_limit_across_accounts(limited_app):
    client = limited_app.test_client()
    statuses = [
        attempt(client, "/account/login", f"u{i}@example.com").status_code for i in range(7)
    ]
    assert 429 not in statuses[:6] and statuses[6] == 429


def test_spoofed_forwarded_for_is_not_trusted(limited_app):
    client = limited_app.test_client()
    statuses = [
        client.post(
            "/account/login",
            data={"email": f"u{i}@example.com", "password": "x" * 9, "csrf_token": csrf(client)},
            headers={"X-Forwarded-For": f"10.0.0.{i}"},
        ).status_code
        for i in range(7)
    ]
    assert statuses[6] == 429


@pytest.mark.parametrize("limited_app", [1], indirect=True)
def test_forwarded_for_counts_when_a_proxy_is_configured(limited_app):
    client = limited_app.test_client()
    client.environ_base[PROXY_MARK] = "1"  # came through the nginx site's uwsgi socket
    statuses = [
        client.post(
            "/account/login",
            data={"email": f"u{i}@example.com", "password": "x" * 9, "csrf_token": csrf(client)},
            headers={"X-Forwarded-For": f"10.0.0.{i}"},
        ).status_code
        for i in range(7)
    ]
    assert 429 not in statuses


def test_two_factor_codes_are_limited_per_account(limited_app):
    from tests.accounts.helpers import enable_totp

    client = limited_app.test_client()
    user = UserFactory(roles=["admin"])
    enable_totp(user)
    client.post(
        "/account/login",
        data={"email": user.email, "password": "correct horse 1", "csrf_token": csrf(client)},
    )
    token = csrf(client, "/account/tf-validate")
    statuses = [
        client.post(
            "/account/tf-validate", data={"code": "000000", "csrf_token": token}
        ).status_code
        for _ in range(4)
    ]
    assert statuses[3] == 429


def test_get_pages_are_not_limited(limited_app):
    client = limited_app.test_client()
    assert all(client.get("/account/login").status_code == 200 for _ in range(10))
