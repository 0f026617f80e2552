"""A shopper's whole account life in a real browser, in Russian and in English.

Register, confirm through the link in the mail (read from the outbox), log in, edit the profile
and an address, switch language, log out, reset the forgotten password, delete the account.
Screenshots at 375 and 1366 px go to tests/e2e/screenshots/.
"""

import re
import secrets
import time

import pytest
from sqlalchemy import create_engine, text

from shop import normalise_database_url
from tests.e2e.helpers import log_out, open_menu

pytestmark = pytest.mark.e2e

PASSWORD = "Tr0ub4dor&3x-lavka"

TEXTS = {
    "ru": {
        "register": "Регистрация",
        "login": "Войти",
        "logout": "Выйти",
        "saved": "Профиль сохранён",
        "address_added": "Адрес добавлен",
        "address_saved": "Адрес сохранён",
    },
    "en": {
        "register": "Register",
        "login": "Log in",
        "logout": "Log out",
        "saved": "Your profile has been saved",
        "address_added": "The address has been added",
        "address_saved": "The address has been saved",
    },
}


def outbox_link(database_url, recipient, path_part, wait=10.0):
    """The link containing `path_part` in the newest such mail to `recipient`.

    Account mail may be written just after the response has been sent (shop.accounts.deferred),
    so the outbox is read again for up to `wait` seconds.
    """
    pattern = re.compile(r"https?://\S*" + re.escape(path_part) + r"\S*")
    engine = create_engine(normalise_database_url(database_url))
    deadline = time.monotonic() + wait
    try:
        while True:
            with engine.connect() as conn:
                bodies = (
                    conn.execute(
                        text(
                            "SELECT body_text FROM outbox_message WHERE recipient = :r"
                            " ORDER BY id DESC"
                        ),
                        {"r": recipient},
                    )
                    .scalars()
                    .all()
                )
            for body in bodies:
                if match := pattern.search(body):
                    return match.group(0)
            assert time.monotonic() < deadline, f"no {path_part} link for {recipient}: {bodies}"
            time.sleep(0.1)
    finally:
        engine.dispose()


def submit(page, form_name):
    with page.expect_navigation():
        page.locator(f"form[name='{form_name}'] [type=submit]").click()


def new_admin_logs_in(live_server, page, email, path="/account/login"):
    """`create-admin` makes the account; its password leads to the two-factor setup page."""
    live_server.manage("create-admin", email, "--password", PASSWORD)
    page.goto(live_server.url + path)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    submit(page, "login_user_form")
    assert "/account/tf-setup" in page.url


@pytest.mark.parametrize(("locale", "lang", "width"), [("ru-RU", "ru", 375), ("en-GB", "en", 1366)])
def test_account_life(live_server, server_database, new_page, screenshot, locale, lang, width):
    t = TEXTS[lang]
    email = f"shopper-{lang}-{secrets.token_hex(3)}@example.com"
    page = new_page(locale=locale, width=width)

    # register
    page.goto(live_server.url + "/account/register")
    assert page.locator("html").get_attribute("lang") == lang
    screenshot(page, f"account-register-{lang}-{width}")
    page.fill("#full_name", "Анна" if lang == "ru" else "Anna")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.check("#accept_privacy")
    submit(page, "register_user_form")
    # not signed in (a registered address must look the same): asked to confirm, then log in
    assert "/account/login" in page.url
    assert email in page.content()

    # confirm through the link in the mail
    link = outbox_link(server_database, email, "/account/confirm/")
    page.goto(link)
    assert "/account/login" in page.url

    # log in
    screenshot(page, f"account-login-{lang}-{width}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    submit(page, "login_user_form")
    assert "/account/login" not in page.url

    # edit the profile
    page.goto(live_server.url + "/account/profile")
    assert "not confirmed" not in page.content() and "не подтверждён" not in page.content()
    page.fill("#full_name", "Анна Петрова" if lang == "ru" else "Anna Petrova")
    page.fill("#phone", "+7 900 123-45-67")
    with page.expect_navigation():
        page.locator("form[action$='/account/profile'] [type=submit]").click()
    assert t["saved"] in page.content()
    screenshot(page, f"account-profile-{lang}-{width}")

    # add and edit an address
    page.goto(live_server.url + "/account/addresses/new")
    for field, value in (("#postcode", "420111"), ("#region", "Республика Татарстан"),
                         ("#city", "Казань"), ("#street", "ул. Баумана"), ("#house", "1")):
        page.fill(field, value)
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert t["address_added"] in page.content()
    with page.expect_navigation():
        page.locator(".address-card a", has_text=re.compile("Изменить|Edit")).first.click()
    page.fill("#house", "2")
    page.fill("#flat", "14")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert t["address_saved"] in page.content()
    assert re.search(r"ул\. Баумана, (д\.|bldg) 2, (кв\.|apt) 14", page.content())
    screenshot(page, f"account-addresses-{lang}-{width}")

    # switch language: the header's switch changes this visit; the profile saves the preference
    other = "en" if lang == "ru" else "ru"
    open_menu(page)
    with page.expect_navigation():
        page.locator(".lang-switch a", has_text=other.upper()).click()
    assert page.locator("html").get_attribute("lang") == other
    page.goto(live_server.url + "/account/profile")
    assert page.locator("html").get_attribute("lang") == other
    assert page.locator("#locale").input_value() == lang  # a link never saves it
    page.select_option("#locale", other)
    with page.expect_navigation():
        page.locator("form[action$='/account/profile'] [type=submit]").click()
    page.goto(live_server.url + "/account/profile")
    assert page.locator("#locale").input_value() == other
    screenshot(page, f"account-profile-{other}-{width}")

    # log out
    page.goto(live_server.url + "/")
    log_out(page)
    page.goto(live_server.url + "/account/profile")
    assert "/account/login" in page.url

    # forgot the password: reset it through the mailed link, log in with the new one
    new_password = PASSWORD + "-2"
    page.goto(live_server.url + "/account/reset")
    page.fill("#email", email)
    submit(page, "forgot_password_form")
    page.goto(outbox_link(server_database, email, "/account/reset/"))
    page.fill("#password", new_password)
    page.fill("#password_confirm", new_password)
    submit(page, "reset_password_form")
    page.goto(live_server.url + "/account/login")
    page.fill("#email", email)
    page.fill("#password", new_password)
    submit(page, "login_user_form")
    assert "/account/login" not in page.url

    # delete the account
    page.goto(live_server.url + "/account/delete")
    screenshot(page, f"account-delete-{other}-{width}")
    page.fill("#password", new_password)
    page.check("#confirm")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    page.goto(live_server.url + "/account/login")
    page.fill("#email", email)
    page.fill("#password", new_password)
    submit(page, "login_user_form")
    assert "/account/login" in page.url  # the account is gone


@pytest.mark.parametrize("width", [375, 1366])
@pytest.mark.parametrize(("locale", "lang"), [("ru-RU", "ru"), ("en-GB", "en")])
def test_account_pages_screenshots(live_server, new_page, screenshot, locale, lang, width):
    page = new_page(locale=locale, width=width)
    for path, name in (("/account/login", "login"), ("/account/reset", "forgot")):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator(".card form").count() >= 1
        screenshot(page, f"account-{name}-{lang}-{width}")


@pytest.mark.parametrize(("locale", "lang", "width"), [("ru-RU", "ru", 1366), ("en-GB", "en", 375)])
def test_staff_set_up_two_factor_before_the_back_office(
    live_server, new_page, screenshot, locale, lang, width
):
    """The `create-admin` account logs in, must set up TOTP, then reaches the back office."""
    from passlib.totp import TOTP

    page = new_page(locale=locale, width=width)
    new_admin_logs_in(live_server, page, f"admin-{lang}@example.com", "/admin/")
    page.locator("input[name=setup][value=authenticator]").check()
    submit(page, "two_factor_setup_form")
    qr = page.locator("#qrcode")
    assert qr.is_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    screenshot(page, f"account-tf-setup-{lang}-{width}")
    key = page.locator("#tf-key").inner_text().replace(" ", "")
    page.fill("#code", TOTP(key=key, format="base32").generate().token)
    submit(page, "two_factor_verify_code_form")
    response = page.goto(live_server.url + "/admin/")
    assert response.status == 200 and page.url.endswith("/admin/")
