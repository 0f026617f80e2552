"""Every storefront page is valid HTML by the W3C Nu checker, in Russian and in English
(issue 14.15): no error on any page, and every page says its language on <html>.

The pages are served by the app through the test client, with the data a shopper would have:
a catalogue with photos, sizes and colours, a cart, a checkout, placed orders (cash and card),
an account with an address. The checker (vnu.jar, `make vnu`) runs once for all of them.
"""

import re

import pytest
from flask_security.recoverable import generate_reset_password_token

from shop.accounts.models import Address
from shop.extensions import db
from tests.accounts.helpers import enable_totp
from tests.catalog.conftest import make_image
from tests.checkout.helpers import ADDRESS_PARTS, place
from tests.factories import DeliveryMethodFactory, UserFactory
from tests.nu_checker import check_documents, errors_only, format_report, require_checker

PASSWORD = "correct horse 1"
LANGUAGES = ("ru", "en")
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="(token|fingerprint)" value="([^"]*)"')


def _token(client, path):
    match = _CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class Pages:
    """Collects served pages under readable names, checking each answered as expected."""

    def __init__(self):
        self.documents = {}

    def get(self, client, name, path, status=200, **kwargs):
        response = client.get(path, **kwargs)
        return self.keep(name, path, response, status)

    def keep(self, name, path, response, status=200):
        body = response.get_data(as_text=True)
        assert response.status_code == status, f"{name} ({path}): {response.status_code}"
        assert response.mimetype == "text/html", f"{name} ({path}): {response.mimetype}"
        self.documents[name] = body
        return body


def _shop(shoes):
    """Photos on two products (one with a gallery), delivery methods, a pickup point."""
    make_image(shoes["run"])
    make_image(shoes["run"], colour=(30, 30, 160), position=1)
    make_image(shoes["gym"], colour=(20, 120, 40))
    courier = DeliveryMethodFactory(code="courier")
    DeliveryMethodFactory(
        code="pickup",
        name_ru="Самовывоз",
        name_en="Pickup",
        price=0,
        needs_address=False,
        description_ru="Москва, ул. Тверская, 1",
        description_en="Moscow, 1 Tverskaya St",
    )
    return courier


def _guest_pages(client, lang, shoes, courier, pages):
    p = f"{lang} guest"
    client.get(f"/lang/{lang}")
    pages.get(client, f"{p}: home", "/")
    pages.get(client, f"{p}: category", "/catalog/obuv")
    pages.get(
        client,
        f"{p}: category with filters",
        "/catalog/krossovki?size=42&colour=чёрный&in_stock=1&price_min=100&sort=price_asc",
    )
    pages.get(client, f"{p}: category, nothing matches", "/catalog/krossovki?price_min=999999")
    pages.get(client, f"{p}: new arrivals", "/new")
    pages.get(client, f"{p}: sale, sorted", "/sale?sort=price_asc")
    pages.get(client, f"{p}: search without a query", "/search")
    pages.get(
        client,
        f"{p}: search with results",
        "/search?q=" + ("кроссовки" if lang == "ru" else "shoes"),
    )
    pages.get(client, f"{p}: search without results", "/search?q=zzzqqq")
    pages.get(client, f"{p}: product with variants", "/product/krossovki-begovye")
    pages.get(client, f"{p}: product, one variant", "/product/kedy")
    pages.get(client, f"{p}: product out of stock", "/product/botinki-zimnie")
    pages.get(client, f"{p}: cart, empty", "/cart")
    pages.get(client, f"{p}: 404", "/no-such-page", status=404)
    pages.get(client, f"{p}: product 404", "/product/no-such-product", status=404)
    pages.get(client, f"{p}: order 404", "/orders/000000-00000000/thanks", status=404)
    pages.get(client, f"{p}: 405", "/checkout/place", status=405)
    pages.keep(f"{p}: 400 (no CSRF token)", "/cart/add", client.post("/cart/add"), status=400)
    pages.get(client, f"{p}: login", "/account/login")
    response = client.post(
        "/account/login",
        data={
            "email": "x@example.com",
            "password": "bad",
            "csrf_token": _token(client, "/account/login"),
        },
    )
    pages.keep(f"{p}: login with errors", "/account/login", response)
    pages.get(client, f"{p}: register", "/account/register")
    pages.get(client, f"{p}: legal document", "/legal/offer")
    pages.get(client, f"{p}: password reset request", "/account/reset")
    pages.get(client, f"{p}: resend confirmation", "/account/confirm")

    csrf = _token(client, "/product/krossovki-begovye")
    variant = shoes["run"].variants[0]
    client.post("/cart/add", data={"csrf_token": csrf, "variant_id": variant.id, "quantity": 1})
    pages.get(client, f"{p}: cart, full", "/cart")
    pages.get(client, f"{p}: checkout details", "/checkout")
    response = client.post("/checkout", data={"csrf_token": csrf, "name": ""})
    pages.keep(f"{p}: checkout details with errors", "/checkout", response)
    response = client.post(
        "/checkout",
        data={
            "csrf_token": csrf,
            "name": "Анна Смирнова",
            "email": "anna@example.com",
            "phone": "+7 900 000-00-00",
            "delivery_method": str(courier.id),
            "payment_method": "cash",
            **ADDRESS_PARTS,
            "note": "Позвонить",
            "accept_offer": "y",
            "accept_privacy": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    review = pages.get(client, f"{p}: checkout review", "/checkout/review")
    hidden = dict(_HIDDEN.findall(review))
    response = client.post("/checkout/place", data={"csrf_token": csrf, **hidden})
    assert response.status_code == 302 and "/thanks" in response.location, response.location
    thanks = pages.get(client, f"{p}: order thank-you (guest)", response.location)
    guest_link = re.search(r'href="(/orders/view/[^"]+)" data-testid="guest-link"', thanks)
    assert guest_link, "no guest link on the thank-you page"
    pages.get(client, f"{p}: order page (guest link)", guest_link.group(1))


def _user_pages(client, lang, shoes, courier, user, pages):
    p = f"{lang} user"
    client.get(f"/lang/{lang}")
    csrf = _token(client, "/account/login")
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    client.get(f"/lang/{lang}")  # logging in brings back the saved language
    csrf = _token(client, "/account/profile")
    pages.get(client, f"{p}: profile", "/account/profile")
    if 'data-testid="legal-updates"' in pages.documents[f"{p}: profile"]:  # until accepted
        pages.get(client, f"{p}: new documents to accept", "/legal/updates")
    pages.get(client, f"{p}: addresses", "/account/addresses")
    pages.get(client, f"{p}: new address", "/account/addresses/new")
    pages.get(client, f"{p}: my orders", "/account/orders")
    address_id = re.search(r"/account/addresses/(\d+)/edit", pages.documents[f"{p}: addresses"])
    pages.get(client, f"{p}: edit address", f"/account/addresses/{address_id.group(1)}/edit")
    response = client.post("/account/addresses/new", data={"csrf_token": csrf, "recipient": ""})
    pages.keep(f"{p}: new address with errors", "/account/addresses/new", response)
    pages.get(client, f"{p}: change password", "/account/change")
    pages.get(client, f"{p}: change email", "/account/change-email")
    pages.get(client, f"{p}: two-factor setup", "/account/tf-setup")
    pages.get(client, f"{p}: delete account", "/account/delete")

    variant = shoes["gym"].variants[0]
    client.post("/cart/add", data={"csrf_token": csrf, "variant_id": variant.id, "quantity": 1})
    pages.get(client, f"{p}: checkout details (saved address)", "/checkout")
    response = client.post(
        "/checkout",
        data={
            "csrf_token": csrf,
            "name": user.full_name,
            "email": user.email,
            "phone": "+7 900 000-00-01",
            "delivery_method": str(courier.id),
            "payment_method": "card",
            "saved_address": "new",
            **ADDRESS_PARTS,
            "save_address": "y",
            "accept_offer": "y",
            "accept_privacy": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    review = pages.get(client, f"{p}: checkout review (card)", "/checkout/review")
    hidden = dict(_HIDDEN.findall(review))
    response = client.post("/checkout/place", data={"csrf_token": csrf, **hidden})
    assert response.status_code == 302 and "/payments/test-gateway/" in response.location
    pages.get(client, f"{p}: test payment gateway", response.location)
    number = client.get("/account/orders").get_data(as_text=True)
    numbers = re.findall(r'href="/account/orders/([0-9-]+)"', number)
    assert numbers, "no orders on the my-orders page"
    pages.get(client, f"{p}: my orders (with orders)", "/account/orders")
    for index, found in enumerate(dict.fromkeys(numbers), 1):
        pages.get(client, f"{p}: order #{index}", f"/account/orders/{found}")
        pages.get(client, f"{p}: order #{index} thank-you", f"/orders/{found}/thanks")


@pytest.fixture()
def served_pages(client, shoes, app):
    courier = _shop(shoes)
    user = UserFactory(email="maria@example.com", full_name="Мария Иванова")
    db.session.add(
        Address(
            user=user,
            recipient="Мария Иванова",
            phone="+7 900 000-00-01",
            city="Москва",
            postcode="101000",
            street="ул. Мясницкая, 10",
            is_default=True,
        )
    )
    db.session.commit()
    place(variant=shoes["kedy"].variants[0], user_id=user.id, method=courier)
    token = generate_reset_password_token(user)
    fresh = UserFactory(email="new@example.com")
    careful = UserFactory(email="totp@example.com")
    enable_totp(careful)
    pages = Pages()
    for lang in LANGUAGES:
        guest = app.test_client()
        _guest_pages(guest, lang, shoes, courier, pages)
        pages.get(guest, f"{lang} guest: set a new password", f"/account/reset/{token}")
        _user_pages(app.test_client(), lang, shoes, courier, user, pages)
        other = app.test_client()
        csrf = _token(other, "/account/login")
        other.post(
            "/account/login", data={"email": fresh.email, "password": PASSWORD, "csrf_token": csrf}
        )
        other.get(f"/lang/{lang}")
        pages.get(other, f"{lang} user: my orders (none)", "/account/orders")
        pages.get(other, f"{lang} user: addresses (none)", "/account/addresses")
        halfway = app.test_client()
        halfway.get(f"/lang/{lang}")
        csrf = _token(halfway, "/account/login")
        response = halfway.post(
            "/account/login",
            data={"email": careful.email, "password": PASSWORD, "csrf_token": csrf},
        )
        assert "/account/tf-validate" in response.location
        pages.get(halfway, f"{lang} guest: two-factor code", "/account/tf-validate")
    return pages.documents


def test_every_storefront_page_has_no_nu_checker_error(served_pages):
    require_checker()
    results = check_documents(served_pages)
    errors = errors_only(results)
    assert not any(errors.values()), format_report(errors)


def test_every_storefront_page_declares_its_language(served_pages):
    for name, html in served_pages.items():
        lang = name.split(" ", 1)[0]
        assert re.search(rf'<html[^>]* lang="{lang}"', html), f"{name}: no lang={lang} on <html>"


def test_the_header_cart_count_is_read_out_in_words(served_pages):
    """The badge's number is hidden from screen readers, which hear the words instead (a plain
    span may not carry an aria-label)."""
    header = served_pages["en guest: cart, full"].split('data-testid="header-cart"', 1)[1]
    header = header.split("</a>", 1)[0]
    assert '<span class="badge rounded-pill text-bg-dark" aria-hidden="true">1</span>' in header
    assert '<span class="visually-hidden">Cart, 1 item</span>' in header
    assert "aria-label" not in header
