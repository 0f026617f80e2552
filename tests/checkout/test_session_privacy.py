"""The checkout details kept between the two steps are encrypted in the session cookie: the
cookie is only signed, so before this the name, email, phone and address were readable by
anyone holding it (base64). A tampered or foreign value just sends the shopper back to step 1."""

import base64
import zlib

import pytest

from tests.checkout.helpers import stocked
from tests.checkout.test_views import add, details_form
from tests.factories import DeliveryMethodFactory


@pytest.fixture()
def csrf(csrf_token):
    return csrf_token()


def _cookie_payload(client) -> str:
    raw = client.get_cookie("session").value
    compressed = raw.startswith(".")
    payload = raw.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(data) if compressed else data).decode("utf-8", "replace")


def test_details_are_not_readable_in_the_cookie(client, csrf):
    method = DeliveryMethodFactory()
    add(client, csrf, stocked().id)
    form = details_form(csrf, method, email="secret-buyer@example.com", phone="+7 900 555-44-33")
    assert client.post("/checkout", data=form).status_code == 302
    payload = _cookie_payload(client)
    assert "checkout" in payload
    for secret in ("secret-buyer", "555-44-33", "Тверская", "Анна"):
        assert secret not in payload
    # the review page still shows them
    review = client.get("/checkout/review").get_data(as_text=True)
    assert "secret-buyer@example.com" in review and "+7 900 555-44-33" in review


def test_tampered_details_send_back_to_step_one(client, csrf):
    method = DeliveryMethodFactory()
    add(client, csrf, stocked().id)
    assert client.post("/checkout", data=details_form(csrf, method)).status_code == 302
    with client.session_transaction() as sess:
        sess["checkout"] = dict(sess["checkout"], details="not-a-fernet-token")
    response = client.get("/checkout/review")
    assert response.status_code == 302 and response.location.endswith("/checkout")
    with client.session_transaction() as sess:
        # the old, plain form of a session from before this change
        sess["checkout"] = dict(sess["checkout"], details={"email": "x@example.com"})
    assert client.get("/checkout/review").location.endswith("/checkout")
