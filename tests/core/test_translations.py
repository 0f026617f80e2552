"""The catalogs are complete and current: a new untranslated string fails this test."""

from shop.cli.translations import LANGS, SECURITY_DOMAIN, missing_entries, template_is_current


def test_message_template_is_current():
    assert template_is_current(), "run `python manage.py translate update` and translate"


def test_every_message_is_translated():
    for lang in LANGS:
        assert missing_entries(lang) == [], f"{lang} has untranslated messages"
    assert missing_entries("ru", SECURITY_DOMAIN) == [], "Flask-Security's Russian is incomplete"


def test_flask_security_pages_speak_russian(client):
    body = client.get("/account/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Пароль" in body and "Password" not in body


def test_russian_plural_forms(app):
    from flask_babel import force_locale, ngettext

    expected = {
        1: "1 штука",
        2: "2 штуки",
        5: "5 штук",
        11: "11 штук",
        21: "21 штука",
        22: "22 штуки",
    }
    with app.test_request_context(), force_locale("ru"):
        for n, start in expected.items():
            text = ngettext("%(num)d piece in stock", "%(num)d pieces in stock", n)
            assert text.startswith(start), (n, text)
