"""Consents: asked at registration and checkout, recorded with the version, the address and
the email; asked again after a new version; part of "download my data"."""

import json
import re

from sqlalchemy import func, select

from shop.accounts.models import User
from shop.extensions import db as _db
from shop.legal import services
from shop.legal.models import Consent
from shop.orders.models import Order
from tests.accounts.helpers import csrf
from tests.accounts.helpers import login as log_in
from tests.checkout.helpers import stocked
from tests.checkout.test_views import details_form
from tests.factories import DeliveryMethodFactory, UserFactory

GOOD_PASSWORD = "Tr0ub4dor&3x-lavka"
BROWSER = {"User-Agent": "LavkaTest/1.0"}


def count(model):
    return _db.session.scalar(select(func.count()).select_from(model))


def register(client, lang=None, **extra):
    data = {
        "email": "new@example.com",
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
        "full_name": "Анна",
        "csrf_token": csrf(client, "/account/register"),
        **extra,
    }
    path = "/account/register" + (f"?lang={lang}" if lang else "")
    return client.post(path, data=data, headers=BROWSER)


def registered_and_logged_in(client):
    """A shopper registered through the form (consenting), confirmed and logged in."""
    register(client, accept_privacy="y")
    user = _db.session.scalar(select(User))
    user.confirmed_at = user.create_datetime
    _db.session.commit()
    log_in(client, user, password=GOOD_PASSWORD)
    return user


def test_registration_without_the_consent_is_refused(client, db):
    response = register(client, lang="en")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Please consent to the processing of your personal data." in body
    assert count(User) == 0 and count(Consent) == 0


def test_registration_records_the_policy_version_address_and_email(client, db):
    response = register(client, accept_privacy="y")
    assert response.status_code == 302
    user = _db.session.scalar(select(User))
    consent = _db.session.scalar(select(Consent))
    policy = services.current_version("privacy")
    assert (consent.user_id, consent.order_id, consent.kind) == (user.id, None, "privacy")
    assert consent.version_id == policy.id and consent.email == "new@example.com"
    assert consent.ip_address == "127.0.0.1" and consent.user_agent == "LavkaTest/1.0"


# --- checkout ---------------------------------------------------------------------------


def _details(csrf_token, method, **boxes):
    """The checkout details form with only the consent boxes in `boxes` ticked."""
    data = details_form(csrf_token, method, email="Anna@Example.com")
    del data["accept_offer"], data["accept_privacy"]
    return data | boxes


def _start(client, csrf_token):
    variant = stocked()
    client.post("/cart/add", data={"csrf_token": csrf_token, "variant_id": variant.id,
                                   "quantity": "1"})
    return DeliveryMethodFactory()


def _place(client):
    body = client.get("/checkout/review").get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|token|fingerprint)" value="([^"]*)"', body))
    return client.post("/checkout/place", data=fields, headers=BROWSER)


def test_checkout_without_either_box_is_refused_and_nothing_is_created(client, csrf_token):
    token = csrf_token()
    method = _start(client, token)
    for boxes in ({}, {"accept_offer": "y"}, {"accept_privacy": "y"}):
        response = client.post("/checkout?lang=en", data=_details(token, method, **boxes))
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        if "accept_offer" not in boxes:
            assert "Please accept the terms of the public offer." in body
        if "accept_privacy" not in boxes:
            assert "Please consent to the processing of your personal data." in body
        # nothing to review, nothing to place
        assert client.get("/checkout/review").status_code == 302
        placed = client.post("/checkout/place", data={"csrf_token": token, "token": "x"})
        assert placed.status_code == 302 and placed.location.endswith("/checkout")
    assert count(Order) == 0 and count(Consent) == 0


def test_checkout_records_both_consents_with_the_order(client, csrf_token):
    token = csrf_token()
    method = _start(client, token)
    response = client.post(
        "/checkout", data=_details(token, method, accept_offer="y", accept_privacy="y")
    )
    assert response.status_code == 302
    assert _place(client).status_code == 302
    order = _db.session.scalar(select(Order))
    rows = {c.kind: c for c in _db.session.scalars(select(Consent))}
    assert set(rows) == {"offer", "privacy"}
    for kind, row in rows.items():
        assert row.version_id == services.current_version(kind).id
        assert (row.order_id, row.user_id, row.email) == (order.id, None, "anna@example.com")
        assert row.ip_address == "127.0.0.1" and row.user_agent == "LavkaTest/1.0"


def test_a_new_version_between_review_and_placing_asks_again(client, csrf_token):
    token = csrf_token()
    method = _start(client, token)
    client.post("/checkout", data=_details(token, method, accept_offer="y", accept_privacy="y"))
    services.publish("offer", title_ru="Оферта", body_ru="<p>Новая редакция</p>")
    response = _place(client)
    assert response.status_code == 302 and response.location.endswith("/checkout")
    assert count(Order) == 0 and count(Consent) == 0
    # ticking the boxes again accepts the new version
    client.post("/checkout", data=_details(token, method, accept_offer="y", accept_privacy="y"))
    assert _place(client).status_code == 302
    offer = _db.session.scalar(select(Consent).where(Consent.kind == "offer"))
    assert offer.version.number == 2


def test_a_session_without_the_consents_cannot_place(client, csrf_token):
    token = csrf_token()
    method = _start(client, token)
    client.post("/checkout", data=_details(token, method, accept_offer="y", accept_privacy="y"))
    with client.session_transaction() as sess:
        sess["checkout"] = {k: v for k, v in sess["checkout"].items() if k != "consent"}
    response = _place(client)
    assert response.status_code == 302 and response.location.endswith("/checkout")
    assert count(Order) == 0


# --- a new version asks signed-in shoppers again ------------------------------------------


def test_a_new_policy_asks_signed_in_shoppers_again(client, db):
    user = registered_and_logged_in(client)
    assert 'data-testid="legal-updates"' not in client.get("/").get_data(as_text=True)

    services.publish("privacy", title_ru="Политика", body_ru="<p>Вторая редакция</p>")
    home = client.get("/?lang=en").get_data(as_text=True)
    assert 'data-testid="legal-updates"' in home
    page = client.get("/legal/updates?lang=en")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'href="/legal/privacy"' in body
    version_id = re.search(r'name="privacy" value="(\d+)"', body).group(1)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', body).group(1)
    response = client.post("/legal/updates", data={"csrf_token": token, "privacy": version_id},
                           headers=BROWSER)
    assert response.status_code == 302
    rows = _db.session.scalars(select(Consent).order_by(Consent.id)).all()
    assert [r.version.number for r in rows] == [1, 2]
    assert rows[1].user_id == user.id and rows[1].ip_address == "127.0.0.1"
    assert 'data-testid="legal-updates"' not in client.get("/").get_data(as_text=True)
    # accepting again records nothing more; a stale version is refused
    client.post("/legal/updates", data={"csrf_token": token, "privacy": version_id})
    assert count(Consent) == 2


def test_a_settled_shopper_costs_no_statement_per_page(client, db):
    """The header's question is answered from the session once nothing is pending: a page
    of a signed-in shopper reads no legal document (the SQL budget of issue 16)."""
    from sqlalchemy import event

    registered_and_logged_in(client)
    client.get("/")
    seen = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", listen)
    try:
        client.get("/")
    finally:
        event.remove(_db.engine, "before_cursor_execute", listen)
    assert seen and not [s for s in seen if "legal_version" in s or "consent" in s]


def test_accepting_a_replaced_version_is_refused(client, db):
    user = UserFactory(roles=["customer"])
    log_in(client, user)
    old = services.current_version("privacy").id
    services.publish("privacy", title_ru="Политика", body_ru="<p>Вторая редакция</p>")
    token = csrf(client, "/legal/updates")
    response = client.post("/legal/updates?lang=en", data={"csrf_token": token, "privacy": old})
    assert response.status_code == 302 and response.location.endswith("/legal/updates")
    assert count(Consent) == 0
    for junk in ("", "abc", "99999999999999", "-1"):
        client.post("/legal/updates", data={"csrf_token": token, "privacy": junk})
    assert count(Consent) == 0


def test_the_offer_is_asked_again_only_of_those_who_accepted_it(db):
    services.current_versions()
    shopper, buyer = UserFactory(roles=["customer"]), UserFactory(roles=["customer"])
    for user, kinds in ((shopper, ("privacy",)), (buyer, ("privacy", "offer"))):
        grant = services.Grant({k: services.current_version(k).id for k in kinds})
        services.add_consents(grant, email=user.email, user_id=user.id)
    _db.session.commit()
    assert services.pending_for(shopper.id) == services.pending_for(buyer.id) == []
    services.publish("offer", title_ru="Оферта", body_ru="<p>Новая</p>")
    assert services.pending_for(shopper.id) == []
    assert [v.document.slug for v in services.pending_for(buyer.id)] == ["offer"]


# --- "download my data" -------------------------------------------------------------------


def test_the_data_export_includes_the_consents(client, db):
    registered_and_logged_in(client)
    data = json.loads(client.get("/account/data").get_data(as_text=True))
    assert data["consents"] == [
        {
            "kind": "privacy",
            "document": "privacy",
            "version": 1,
            "version_published_at": services.current_version("privacy").published_at.isoformat(),
            "accepted_at": _db.session.scalar(select(Consent)).accepted_at.isoformat(),
            "email": "new@example.com",
            "ip_address": "127.0.0.1",
            "user_agent": "LavkaTest/1.0",
            "order": None,
        }
    ]


def test_deleting_the_account_keeps_the_consent_without_contact_details(client, db):
    user = registered_and_logged_in(client)
    token = csrf(client, "/account/delete")
    response = client.post(
        "/account/delete", data={"password": GOOD_PASSWORD, "confirm": "y", "csrf_token": token}
    )
    assert response.status_code == 302
    consent = _db.session.scalar(select(Consent))
    assert consent.user_id == user.id and consent.version.number == 1
    assert consent.email.endswith("@deleted.invalid")
    assert consent.ip_address is None and consent.user_agent is None
