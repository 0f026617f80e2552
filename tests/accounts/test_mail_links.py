"""Links in emails point at SHOP_PUBLIC_URL whatever the request's headers say (issue 13.1).

The audit's attack: a reset request sent with `X-Forwarded-Prefix: @evil.example` mailed the
victim `https://shop@evil.example/account/reset/<token>`.
"""

import re

import pytest

from shop.core.net import PROXY_MARK
from tests.accounts.helpers import csrf
from tests.factories import UserFactory
from tests.ops.helpers import dispose, env_app

PUBLIC = "https://shop.example.com"
LINK = re.compile(r"https?://\S+")


@pytest.fixture()
def proxied_app(monkeypatch, db):
    """The app as deployed behind nginx: one trusted proxy, a public address of its own."""
    app = env_app(monkeypatch, SHOP_PROXY_COUNT="1", SHOP_PUBLIC_URL=PUBLIC)
    try:
        yield app
    finally:
        dispose(app)


def links(message):
    return LINK.findall(message.body_text) + LINK.findall(message.body_html or "")


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-Prefix": "@evil.example"},
        {"X-Forwarded-Prefix": "//evil.example"},
        {"X-Forwarded-Host": "evil.example"},
        {"X-Forwarded-Proto": "http", "X-Forwarded-Port": "8443"},
    ],
)
def test_reset_link_is_built_from_the_public_url(proxied_app, queued, headers):
    UserFactory(email="victim@example.com")
    client = proxied_app.test_client()
    client.environ_base[PROXY_MARK] = "1"  # through the nginx site, as in production
    with proxied_app.app_context():
        token = csrf(client, "/account/reset")
        client.post(
            "/account/reset",
            data={"email": "victim@example.com", "csrf_token": token},
            headers=headers,
        )
        mail = [m for m in queued("victim@example.com") if "reset" in m.kind][-1]
    found = links(mail)
    assert found, mail.body_text
    assert all(link.startswith(PUBLIC + "/account/reset/") for link in found), found
    assert "evil" not in mail.body_text + (mail.body_html or "")


def test_confirmation_link_ignores_the_request_host(proxied_app, queued):
    """The plain listener (no proxy mark): a Host header the test client sends is not used."""
    client = proxied_app.test_client()
    with proxied_app.app_context():
        token = csrf(client, "/account/register")
        client.post(
            "/account/register",
            data={
                "email": "new@example.com",
                "password": "Tr0ub4dor&3x-lavka",
                "password_confirm": "Tr0ub4dor&3x-lavka",
                "full_name": "Новый",
                "accept_privacy": "y",
                "csrf_token": token,
            },
            headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "@evil.example"},
        )
        mails = queued("new@example.com")
    assert mails
    found = [link for mail in mails for link in links(mail)]
    assert found and all(link.startswith(PUBLIC + "/") for link in found), found


def test_order_mail_link_is_built_from_the_public_url(app, db, monkeypatch):
    from shop.core.urls import public_url_for

    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://shop.example.com/lavka/")
    with app.test_request_context("/", base_url="https://evil.example/x"):
        assert public_url_for("orders.detail", number="A-1") == (
            "https://shop.example.com/lavka/account/orders/A-1"
        )
