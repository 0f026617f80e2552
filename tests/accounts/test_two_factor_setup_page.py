"""The two-factor setup page says plainly whether two-factor is on, preselects the only method,
and does not offer "Log in / Register" to someone halfway through logging in."""

import re

import pytest

from tests.accounts.helpers import PASSWORD, csrf, enable_totp, login
from tests.factories import UserFactory

TEXTS = {
    "ru": {"off": "Двухфакторная аутентификация ещё не настроена.", "login": "Войти"},
    "en": {"off": "Two-factor authentication is not set up yet.", "login": "Log in"},
}


def _half_logged_in_staff(client, lang):
    staff = UserFactory(roles=["manager"])
    client.post(
        "/account/login",
        data={"email": staff.email, "password": PASSWORD, "csrf_token": csrf(client)},
        headers={"Accept-Language": lang},
    )
    return staff


def _radio(body, value):
    return re.search(rf'<input[^>]*value="{value}"[^>]*>', body).group(0)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_first_staff_login_says_two_factor_is_not_set_up(client, lang):
    _half_logged_in_staff(client, lang)
    body = client.get("/account/tf-setup", headers={"Accept-Language": lang}).get_data(
        as_text=True
    )
    assert f'lang="{lang}"' in body
    assert TEXTS[lang]["off"] in body
    # no "enabled: none"
    assert "text-bg-success" not in body
    assert "ничего" not in body and ">none<" not in body and " none</p>" not in body
    # the only method is already chosen
    assert "checked" in _radio(body, "authenticator")
    # halfway through logging in: no Log in / Register links in the header
    header = body.split("<main", 1)[0]
    assert "/account/login" not in header and "/account/register" not in header


@pytest.mark.parametrize(("lang", "on"), [("ru", "включена"), ("en", "is on")])
def test_the_page_names_the_method_when_two_factor_is_on(client, lang, on):
    user = UserFactory(locale=lang)
    login(client, user, setup_two_factor=False)
    enable_totp(user)
    body = client.get("/account/tf-setup").get_data(as_text=True)
    status = re.search(r'<p class="tf-status">(.*?)</p>', body, re.S).group(1)
    assert "text-bg-success" in status and on in status
    assert ("приложение" if lang == "ru" else "authenticator app") in status
    # two choices (turn off or keep the app): nothing is preselected
    assert "checked" not in _radio(body, "disable")


def test_logged_out_pages_still_offer_log_in(client):
    body = client.get("/account/reset", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert TEXTS["en"]["login"] in body.split("<main", 1)[0]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_shopper_without_two_factor_sees_not_set_up(client, lang):
    login(client, UserFactory(locale=lang))
    body = client.get("/account/tf-setup").get_data(as_text=True)
    status = re.search(r'<p class="tf-status">(.*?)</p>', body, re.S).group(1)
    assert "text-bg-secondary" in status and TEXTS[lang]["off"] in status
    assert "checked" in _radio(body, "authenticator")
