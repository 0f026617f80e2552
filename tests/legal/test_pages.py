"""The public legal pages: in the reader's language, the other language when the text has
none in theirs, 404 for a document that does not exist, links in the footer and at checkout."""

import pytest

from shop.extensions import db as _db
from shop.legal import services
from shop.legal.models import SLUGS, LegalVersion


@pytest.mark.parametrize("slug", SLUGS)
def test_every_document_has_a_page_in_russian_and_english(client, slug):
    ru = client.get(f"/legal/{slug}?lang=ru")
    en = client.get(f"/legal/{slug}?lang=en")
    assert ru.status_code == en.status_code == 200
    version = services.current_version(slug)
    ru_body, en_body = ru.get_data(as_text=True), en.get_data(as_text=True)
    assert f"<h1 class=\"h2 mb-2\">{version.title_ru}</h1>" in ru_body
    assert f"<h1 class=\"h2 mb-2\">{version.title_en}</h1>" in en_body
    # the templates say plainly that the owner must replace them
    assert "Владелец магазина должен заменить этот текст" in ru_body
    assert "The shop owner must replace this text" in en_body


def test_the_template_takes_the_company_details_from_settings(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LEGAL_NAME", "ООО «Ромашка»")
    monkeypatch.setitem(app.config, "LEGAL_INN", "7701234567")
    body = client.get("/legal/contacts?lang=ru").get_data(as_text=True)
    assert "ООО «Ромашка»" in body and "ИНН 7701234567" in body
    assert "[ОГРН / ОГРНИП]" in body  # not set: a visible placeholder


def test_a_text_missing_in_one_language_is_shown_in_the_other(client, db):
    services.publish("returns", title_ru="Возврат", body_ru="<p>Только по-русски</p>")
    en = client.get("/legal/returns?lang=en").get_data(as_text=True)
    assert "Только по-русски" in en and 'lang="ru"' in en
    # and the other way round (a version stored with English only)
    current = services.current_version("delivery")
    _db.session.add(LegalVersion(document_id=current.document_id, number=current.number + 1,
                                 title_ru="", body_ru="", title_en="Delivery",
                                 body_en="<p>English only</p>"))
    _db.session.commit()
    ru = client.get("/legal/delivery?lang=ru").get_data(as_text=True)
    assert "English only" in ru and 'lang="en"' in ru


def test_the_page_shows_the_newest_version(client, db):
    services.publish("offer", title_ru="Оферта", body_ru="<p>Вторая редакция</p>",
                     title_en="Offer", body_en="<p>Second edition</p>")
    body = client.get("/legal/offer?lang=en").get_data(as_text=True)
    assert "Second edition" in body and "Version 2" in body


@pytest.mark.parametrize("slug", ["nope", "OFFER", "offer.html", "..%2Fadmin"])
def test_unknown_documents_are_404(client, slug):
    assert client.get(f"/legal/{slug}").status_code == 404


def test_footer_and_checkout_link_the_documents(client, db, csrf_token):
    from tests.checkout.helpers import stocked

    home = client.get("/?lang=ru").get_data(as_text=True)
    for slug in SLUGS:
        assert f'href="/legal/{slug}"' in home
    variant = stocked()
    client.post("/cart/add", data={"csrf_token": csrf_token(), "variant_id": variant.id,
                                   "quantity": "1"})
    checkout = client.get("/checkout").get_data(as_text=True)
    assert 'name="accept_offer"' in checkout and 'name="accept_privacy"' in checkout
    assert "checked" not in checkout.split('name="accept_offer"')[1].split(">")[0]
    assert 'data-testid="consent-offer"' in checkout
